"""Fieldwork pages, mounted at /fieldwork/."""

from django.urls import path

from otclinic.clinic.fieldwork import views

urlpatterns = [
    path("", views.placement_list, name="fieldwork-list"),
    path("new/", views.placement_new, name="fieldwork-new"),
    path("<uuid:placement_id>/", views.placement_detail, name="fieldwork-placement"),
    path("<uuid:placement_id>/hours/", views.hours_add, name="fieldwork-hours"),
    path("<uuid:placement_id>/evaluations/", views.evaluation_add, name="fieldwork-evaluation"),
]

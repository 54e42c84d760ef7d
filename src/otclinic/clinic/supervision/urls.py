"""Supervision of assistants, mounted at /supervision/."""

from django.urls import path

from otclinic.clinic.supervision import views

urlpatterns = [
    path("", views.dashboard, name="supervision-dashboard"),
    path("notes/", views.dashboard_notes, name="supervision-notes"),
    path("ota/<uuid:ota_id>/", views.ota_page, name="supervision-ota"),
    path("ota/<uuid:ota_id>/contacts/", views.contact_add, name="supervision-contact"),
    path("ota/<uuid:ota_id>/plan/", views.plan_add, name="supervision-plan"),
    path("ota/<uuid:ota_id>/hours/", views.hours_add, name="supervision-hours"),
    path("ota/<uuid:ota_id>/supervisor/", views.supervisor_set, name="supervision-supervisor"),
]

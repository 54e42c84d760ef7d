"""The eligibility page, mounted at /eligibility/."""

from django.urls import path

from otclinic.clinic.payers import views_eligibility as views

urlpatterns = [
    path("", views.eligibility_page, name="eligibility"),
    path("inquire/", views.eligibility_inquire, name="eligibility-inquire"),
    path("answers/", views.eligibility_answers, name="eligibility-answers"),
    path("files/<uuid:file_id>/", views.eligibility_file, name="eligibility-file"),
]

"""The job pages, mounted at /jobs/."""

from django.urls import path

from otclinic.clinic.jobs import views

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("<uuid:job_id>/", views.job_detail, name="job-detail"),
    path("<uuid:job_id>/progress/", views.job_progress, name="job-progress"),
]

"""The schedule's pages, mounted at /schedule/."""

from django.urls import path

from otclinic.clinic.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path(
        "clinicians/<uuid:clinician_id>/calendar.ics",
        views.clinician_calendar,
        name="clinician-calendar",
    ),
]

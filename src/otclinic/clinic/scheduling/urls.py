"""The schedule's pages, mounted at /schedule/."""

from django.urls import path

from otclinic.clinic.scheduling import (
    views,
    views_appointment,
    views_booking,
    views_calendar,
    views_waitlist,
)

app_name = "scheduling"

_APPOINTMENT = "appointments/<uuid:appointment_id>/"

urlpatterns = [
    path("", views_calendar.day_view, name="day"),
    path("week/", views_calendar.week_view, name="week"),
    path("book/", views_booking.book, name="book"),
    path("series/", views_booking.book_series, name="series"),
    path("patients/search/", views_booking.patient_search, name="patient-search"),
    path(_APPOINTMENT, views_appointment.appointment_detail, name="appointment"),
    path(f"{_APPOINTMENT}check-in/", views_appointment.check_in, name="check-in"),
    path(f"{_APPOINTMENT}cancel/", views_appointment.cancel, name="cancel"),
    path(f"{_APPOINTMENT}no-show/", views_appointment.no_show, name="no-show"),
    path(f"{_APPOINTMENT}undo-cancel/", views_appointment.undo_cancel, name="undo-cancel"),
    path(
        f"{_APPOINTMENT}waitlist/<uuid:waitlist_entry_id>/book/",
        views_appointment.book_from_waitlist,
        name="book-from-waitlist",
    ),
    path("waitlist/", views_waitlist.waitlist, name="waitlist"),
    path("waitlist/<uuid:waitlist_entry_id>/withdraw/", views_waitlist.withdraw, name="withdraw"),
    path(
        "clinicians/<uuid:clinician_id>/calendar.ics",
        views.clinician_calendar,
        name="clinician-calendar",
    ),
]

"""The patient and caregiver portal, mounted at /portal/, and the staff's portal-access pages."""

from django.urls import path

from otclinic.clinic.portal import views, views_messages, views_staff

urlpatterns = [
    path("", views.home, name="portal-home"),
    path("patients/<uuid:patient_id>/", views.patient, name="portal-patient"),
    path("patients/<uuid:patient_id>/goals/", views.goals, name="portal-goals"),
    path(
        "patients/<uuid:patient_id>/home-program/", views.home_program, name="portal-home-program"
    ),
    path(
        "patients/<uuid:patient_id>/home-program/<uuid:document_id>/",
        views.document_download,
        name="portal-document",
    ),
    path(
        "patients/<uuid:patient_id>/appointments/", views.appointments, name="portal-appointments"
    ),
    path("patients/<uuid:patient_id>/messages/", views_messages.threads, name="portal-messages"),
    path(
        "patients/<uuid:patient_id>/messages/<uuid:thread_id>/",
        views_messages.thread,
        name="portal-thread",
    ),
    # Staff: who may see the patient's record in the portal.
    path("access/<uuid:patient_id>/", views_staff.access_page, name="patient-portal-access"),
    path(
        "access/<uuid:patient_id>/invite/",
        views_staff.invite,
        name="patient-portal-invite",
    ),
    path(
        "access/<uuid:patient_id>/consents/",
        views_staff.consent_record,
        name="patient-portal-consent",
    ),
    path(
        "access/consents/<uuid:consent_id>/revoke/",
        views_staff.consent_revoke,
        name="patient-portal-consent-revoke",
    ),
    path(
        "access/grants/<uuid:access_id>/revoke/",
        views_staff.access_revoke,
        name="patient-portal-access-revoke",
    ),
]

from django.contrib.auth import views as auth_views
from django.urls import include, path

from otclinic.clinic.web import views, views_audit, views_intake
from otclinic.clinic.web.sign_in import SignInView

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("ping/", views.ping, name="ping"),
    path("patients/", views.patient_search, name="patient-search"),
    path("patients/new/", views.patient_new, name="patient-new"),
    path("patients/mrn-pattern/", views_intake.mrn_pattern, name="mrn-pattern"),
    path("patients/<uuid:patient_id>/", views.patient_chart, name="patient-chart"),
    path(
        "patients/<uuid:patient_id>/care/",
        views.patient_care_overview,
        name="patient-care-overview",
    ),
    path("patients/<uuid:patient_id>/edit/", views_intake.patient_edit, name="patient-edit"),
    path("coverage/<uuid:coverage_id>/edit/", views_intake.coverage_edit, name="coverage-edit"),
    path("patients/<uuid:patient_id>/diagnoses/", views.diagnosis_add, name="diagnosis-add"),
    path("patients/<uuid:patient_id>/contacts/", views.contact_add, name="contact-add"),
    path("contacts/<uuid:contact_id>/edit/", views.contact_edit, name="contact-edit"),
    path("patients/<uuid:patient_id>/coverage/new/", views.coverage_new, name="coverage-new"),
    path("physicians/", views.physician_list, name="physician-list"),
    path("audit/", views_audit.audit_review, name="audit-review"),
    path("audit/export.csv", views_audit.audit_review_export, name="audit-review-export"),
    path("reports/", include("otclinic.clinic.web.reports.urls")),
    path("staff-admin/", include("otclinic.clinic.web.staff_admin.urls")),
    path("physicians/new/", views.physician_new, name="physician-new"),
    path("physicians/<uuid:physician_id>/", views.physician_detail, name="physician-detail"),
]

"""The remittance pages, mounted under /billing/: ERA upload, unmatched queue, denials, A/R."""

from django.urls import path

from otclinic.clinic.revenue import views_remittance as views

urlpatterns = [
    path("remittances/upload/", views.era_upload, name="era-upload"),
    path("remittances/unmatched/", views.unmatched_queue, name="era-unmatched"),
    path("remittances/<uuid:remittance_id>/835/", views.remittance_file, name="remittance-file"),
    path(
        "remittances/unmatched/<uuid:remittance_claim_id>/",
        views.unmatched_match,
        name="era-unmatched-match",
    ),
    path("acknowledgments/", views.acknowledgment_upload, name="acknowledgment-upload"),
    path("rejections/", views.rejection_queue, name="rejection-queue"),
    path(
        "rejections/<uuid:rejection_id>/correct/",
        views.rejection_correct,
        name="rejection-correct",
    ),
    path("denials/", views.denial_queue, name="denial-queue"),
    path("denials/<uuid:denial_id>/", views.denial_detail, name="denial-detail"),
    path("aging/", views.aging, name="ar-aging"),
    path("aging/figures/", views.aging_figures, name="ar-figures"),
    path("balances/", views.patient_balances, name="patient-balances"),
    path("balances/statements/", views.statements_run, name="statements-run"),
    path("patients/<uuid:patient_id>/balance/", views.patient_balance, name="patient-balance"),
    path(
        "patients/<uuid:patient_id>/statements/",
        views.statement_new,
        name="patient-statement-new",
    ),
    path(
        "patients/<uuid:patient_id>/payments/",
        views.patient_payment_new,
        name="patient-payment-new",
    ),
    path(
        "patients/<uuid:patient_id>/refunds/", views.patient_refund_new, name="patient-refund-new"
    ),
    path(
        "patients/<uuid:patient_id>/credit/apply/",
        views.patient_credit_apply,
        name="patient-credit-apply",
    ),
    path("payments/<uuid:payment_id>/receipt.pdf", views.payment_receipt, name="payment-receipt"),
    path("statements/<uuid:statement_id>/pdf/", views.statement_pdf, name="patient-statement-pdf"),
]

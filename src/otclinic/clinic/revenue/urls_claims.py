"""The claims pages, mounted at /billing/claims/."""

from django.urls import path

from otclinic.clinic.revenue import views_claims as views

urlpatterns = [
    path("claims/", views.claims_list, name="claims-list"),
    path("claims/charges/", views.charges_create, name="claims-charges-create"),
    path("claims/assemble/", views.claims_assemble, name="claims-assemble"),
    path("claims/scrub/", views.claims_scrub_drafts, name="claims-scrub"),
    path("claims/export/", views.claims_export_view, name="claims-export"),
    path("claims/batches/<uuid:batch_id>/837p/", views.batch_download, name="claims-batch"),
    path("claims/<uuid:claim_id>/", views.claim_detail, name="claim-detail"),
    path("claims/<uuid:claim_id>/scrub/", views.claim_scrub, name="claim-scrub"),
    path("claims/<uuid:claim_id>/ready/", views.claim_ready, name="claim-ready"),
    path("claims/<uuid:claim_id>/status/", views.claim_status, name="claim-status"),
    path("claims/<uuid:claim_id>/action/", views.claim_action, name="claim-action"),
    path("claims/<uuid:claim_id>/cms1500.pdf", views.claim_cms1500, name="claim-cms1500"),
]

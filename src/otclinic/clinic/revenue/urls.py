"""The billing pages, mounted at /billing/: claims (urls_claims), remittance (urls_remittance)
and the code table (urls_codes)."""

from django.urls import include, path

urlpatterns = [
    path("", include("otclinic.clinic.revenue.urls_claims")),
    path("", include("otclinic.clinic.revenue.urls_remittance")),
    path("", include("otclinic.clinic.revenue.urls_codes")),
]

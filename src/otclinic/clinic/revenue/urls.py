"""The billing pages, mounted at /billing/: claims (urls_claims) and remittance (urls_remittance)."""

from django.urls import include, path

urlpatterns = [
    path("", include("otclinic.clinic.revenue.urls_claims")),
    path("", include("otclinic.clinic.revenue.urls_remittance")),
]

"""The clinical record's pages: the daily note and co-signature, and the therapist's documents."""

from django.urls import include, path

urlpatterns = [
    path("", include("otclinic.clinic.care.urls_notes")),
    path("", include("otclinic.clinic.care.urls_clinical")),
]

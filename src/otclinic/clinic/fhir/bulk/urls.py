"""The bulk export's routes, placed before the read routes in fhir/urls.py (`Patient/$export`
would otherwise read as a Patient's id). Ids are named for the tenant walk."""

from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt

from otclinic.clinic.fhir.bulk import views

urlpatterns: list[URLPattern] = [
    path("$export", csrf_exempt(views.export_system), name="fhir-export"),
    path("Patient/$export", csrf_exempt(views.export_patients), name="fhir-export-patients"),
    path("Group/<str:group_id>/$export", csrf_exempt(views.export_group), name="fhir-export-group"),
    path(
        "$export-status/<str:bulkexport_id>",
        csrf_exempt(views.export_status),
        name="fhir-export-status",
    ),
    path(
        "$export-file/<str:bulkexport_id>/<str:export_file>",
        csrf_exempt(views.export_file),
        name="fhir-export-file",
    ),
]

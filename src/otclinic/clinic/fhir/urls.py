"""/fhir/R4/: metadata, and per served type its search and its read.

Each read route names its id after the type (`Patient/<patient_id>`), so the tenant-isolation
walk of the URLconf knows which record of another organization to try at it.
"""

from django.urls import URLPattern, path, re_path
from django.views.decorators.csrf import csrf_exempt

from otclinic.clinic.fhir import views, views_write
from otclinic.clinic.fhir.bulk import urls as bulk_urls
from otclinic.clinic.fhir.catalog import TYPES
from otclinic.clinic.smart import views as smart_views


def _routes() -> list[URLPattern]:
    # The bulk export's first: `Patient/$export` is not a Patient's id.
    routes = [
        *bulk_urls.urlpatterns,
        path("metadata", views.metadata, name="fhir-metadata"),
        # POST [base]: transaction and batch Bundles (views_write).
        path("", csrf_exempt(views_write.bundle), name="fhir-bundle"),
        path(
            ".well-known/smart-configuration",
            smart_views.configuration,
            name="fhir-smart-configuration",
        ),
    ]
    for name in TYPES:
        key = f"{name.lower()}_id"
        routes += [
            path(
                name,
                csrf_exempt(views_write.search_or_create),
                {"resource_type": name},
                name=f"fhir-{name}-search",
            ),
            path(
                f"{name}/<str:{key}>",
                csrf_exempt(views_write.read_or_update),
                {"resource_type": name},
                name=f"fhir-{name}-read",
            ),
        ]
    # Any other type: an OperationOutcome 404, not the site's page.
    routes.append(
        re_path(
            r"^([A-Za-z]+)(?:/[^/]+)?/?$",
            csrf_exempt(views.unknown_type),
            name="fhir-unknown-type",
        )
    )
    return routes


urlpatterns = _routes()

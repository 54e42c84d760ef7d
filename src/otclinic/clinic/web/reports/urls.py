"""The reports, mounted at /reports/: one fixed path per report and per list (no ids)."""

from django.urls import URLPattern, path

from otclinic.clinic.web.reports import views
from otclinic.clinic.web.reports.rows import ROW_LISTS


def _reports() -> list[URLPattern]:
    patterns = []
    for slug in views.REPORTS:
        kwargs = {"slug": slug}
        patterns += [
            path(f"{slug}/", views.report_page, kwargs, name=f"report-{slug}"),
            path(f"{slug}/export.csv", views.report_csv, kwargs, name=f"report-csv-{slug}"),
        ]
    for kind in ROW_LISTS:
        patterns.append(
            path(f"list/{kind}/", views.report_rows, {"kind": kind}, name=f"report-rows-{kind}")
        )
    return patterns


urlpatterns = [path("", views.reports_index, name="reports"), *_reports()]

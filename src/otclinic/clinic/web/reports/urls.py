"""The reports, mounted at /reports/."""

from django.urls import path

from otclinic.clinic.web.reports import views

urlpatterns = [
    path("", views.reports_index, name="reports"),
    path("list/<slug:kind>/", views.report_rows, name="report-rows"),
    path("<slug:slug>/", views.report_page, name="report"),
    path("<slug:slug>/export.csv", views.report_csv, name="report-csv"),
]

"""The clearinghouse page, mounted at /clearinghouse/."""

from django.urls import path

from otclinic.clinic.clearinghouse import views

urlpatterns = [
    path("", views.clearinghouse_page, name="clearinghouse"),
    path("settings/", views.settings_save, name="clearinghouse-settings"),
    path("claim-status/", views.status_inquire, name="clearinghouse-status-inquire"),
    path("send/", views.send, name="clearinghouse-send"),
    path("fetch/", views.fetch, name="clearinghouse-fetch"),
    path("inbox/", views.upload, name="clearinghouse-upload"),
    path("files/<uuid:exchange_file_id>/", views.exchange_file, name="clearinghouse-file"),
    path("payers/<uuid:payer_id>/", views.connection_edit, name="clearinghouse-connection"),
]

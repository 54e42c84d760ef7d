from django.contrib import admin
from django.urls import include, path

from otclinic.config.api import api

admin.site.site_header = "otclinic administration"
admin.site.site_title = "otclinic admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("otclinic.clinic.web.urls")),
]

handler404 = "otclinic.clinic.web.views.not_found"
handler500 = "otclinic.clinic.web.views.server_error"
handler403 = "otclinic.clinic.web.views.forbidden"

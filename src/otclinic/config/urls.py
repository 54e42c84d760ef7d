from django.urls import include, path

from otclinic.clinic.common.admin import site as admin_site
from otclinic.config.api import api

urlpatterns = [
    path("admin/", admin_site.urls),
    path("api/v1/", api.urls),
    path("fhir/R4/", include("otclinic.clinic.fhir.urls")),
    path("oauth/", include("otclinic.clinic.smart.urls")),
    path("care/", include("otclinic.clinic.care.urls")),
    path("billing/", include("otclinic.clinic.revenue.urls")),
    path("fieldwork/", include("otclinic.clinic.fieldwork.urls")),
    path("staff/", include("otclinic.clinic.staff.urls")),
    path("schedule/", include("otclinic.clinic.scheduling.urls")),
    path("messages/", include("otclinic.clinic.messaging.urls")),
    path("supervision/", include("otclinic.clinic.supervision.urls")),
    path("hiring/", include("otclinic.clinic.hiring.urls")),
    path("assistant/", include("otclinic.clinic.assistant.urls")),
    path("portal/", include("otclinic.clinic.portal.urls")),
    path("jobs/", include("otclinic.clinic.jobs.urls")),
    path("eligibility/", include("otclinic.clinic.payers.urls_eligibility")),
    path("clearinghouse/", include("otclinic.clinic.clearinghouse.urls")),
    path("", include("otclinic.clinic.accounts.urls")),
    path("", include("otclinic.clinic.web.urls")),
]

handler404 = "otclinic.clinic.web.views.not_found"
handler500 = "otclinic.clinic.web.views.server_error"
handler403 = "otclinic.clinic.web.views.forbidden"

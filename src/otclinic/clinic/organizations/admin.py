from otclinic.clinic.common.admin import OrgScopedAdmin, site
from otclinic.clinic.organizations.models import Clinic


class ClinicAdmin(OrgScopedAdmin[Clinic]):
    list_display = (
        "name",
        "city",
        "state",
        "setting",
        "place_of_service",
        "cosign_every_note",
        "cosign_sample_percent",
    )
    search_fields = ("name", "city")


site.register(Clinic, ClinicAdmin)

from otclinic.clinic.common.admin import OrgScopedAdmin, site
from otclinic.clinic.scheduling.models import ClinicHours, Room


class RoomAdmin(OrgScopedAdmin[Room]):
    list_display = ("name", "clinic")


class ClinicHoursAdmin(OrgScopedAdmin[ClinicHours]):
    list_display = ("clinic", "opens", "closes", "slot_minutes")


site.register(Room, RoomAdmin)
site.register(ClinicHours, ClinicHoursAdmin)

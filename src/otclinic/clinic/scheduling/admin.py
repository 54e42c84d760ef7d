from otclinic.clinic.common.admin import OrgScopedAdmin, site
from otclinic.clinic.scheduling.models import Room


class RoomAdmin(OrgScopedAdmin[Room]):
    list_display = ("name", "clinic")


site.register(Room, RoomAdmin)

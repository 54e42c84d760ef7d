from otclinic.clinic.common.admin import OrgScopedAdmin, site
from otclinic.clinic.referrals.models import ReferringPhysician


class ReferringPhysicianAdmin(OrgScopedAdmin[ReferringPhysician]):
    list_display = ("__str__", "npi", "practice_name", "phone")
    search_fields = ("last_name", "npi")


site.register(ReferringPhysician, ReferringPhysicianAdmin)

from otclinic.clinic.common.admin import OrgScopedAdmin, site
from otclinic.clinic.payers.models import Payer


class PayerAdmin(OrgScopedAdmin[Payer]):
    list_display = ("name", "payer_id", "plan_kind", "unit_method", "assistant_modifier_policy")
    list_filter = ("plan_kind",)
    search_fields = ("name", "payer_id")


site.register(Payer, PayerAdmin)

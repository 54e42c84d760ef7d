"""Payer rows as the domain's payer policy: the clinic's settings become the first override."""

from otclinic.clinic.payers.models import Payer
from otclinic.domain.codes import AssistantModifierPolicy, PayerPlan, UnitMethod
from otclinic.domain.compliance.payer_policy import PayerPolicy, PolicyOverride, resolve_policy


def payer_override(payer: Payer) -> PolicyOverride:
    """What this clinic set for this payer; blank fields leave the shipped policy in force."""
    return PolicyOverride(
        name=f"clinic setting for payer {payer.payer_id}",
        payer_ids=frozenset({payer.payer_id}),
        unit_method=UnitMethod(payer.unit_method) if payer.unit_method else None,
        assistant_modifier=(
            AssistantModifierPolicy(payer.assistant_modifier_policy)
            if payer.assistant_modifier_policy
            else None
        ),
        progress_interval=payer.progress_interval_days,
    )


def policy_for_payer(payer: Payer | None) -> PayerPolicy:
    """The resolved policy for a payer row; self-pay when there is none."""
    if payer is None:
        return resolve_policy(plan=PayerPlan.SELF_PAY)
    return resolve_policy(
        plan=PayerPlan(payer.plan_kind), payer_id=payer.payer_id, overrides=(payer_override(payer),)
    )

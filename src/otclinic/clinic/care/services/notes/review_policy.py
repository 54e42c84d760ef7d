"""The clinic admin's choice of which findings of the review before signing block a note."""

from collections.abc import Iterable

from django.db import transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care.models import NoteReviewPolicy
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.organizations.models import Clinic
from otclinic.domain.access import Capability
from otclinic.domain.care.review_rules import review_rule_ids


@transaction.atomic
def note_review_policy_set(
    *, user: User, clinic: Clinic, blocking: Iterable[str]
) -> NoteReviewPolicy:
    """Set the rules that block signing at `clinic` (the others warn). Saving the same choice
    twice changes nothing; an unknown rule id is refused, nothing saved."""
    require(user, Capability.MANAGE_STAFF)
    require_same_organization(user, clinic)
    known = review_rule_ids()
    chosen = set(blocking)
    unknown = sorted(chosen - set(known))
    if unknown:
        raise ValidationFailed({"blocking": [f"Unknown review rule: {', '.join(unknown)}."]})
    policy, _ = NoteReviewPolicy.objects.select_for_update().get_or_create(
        clinic=clinic, defaults={"organization_id": clinic.organization_id}
    )
    policy.blocking = [rule_id for rule_id in known if rule_id in chosen]
    policy.save()
    return policy

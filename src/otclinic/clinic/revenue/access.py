"""Who may see which claim and claim batch: one rule, as queries.

Claims and batches are visible to the staff of their organization whose role may view billing
(`domain.access`: billers and clinic admins); to no one else, portal logins included. A
claim's patient is not checked again: billing reads every patient's claims by design (the
chart rule of `patients.access` limits clinical reading, not the billing office).

The claims pages, counts, the CMS-1500 and 837P downloads and the API start from these
queries; opening one is their `.get` (`get_visible_*`), so another organization's claim, one the
user may not see and a missing one are all answered 404.
"""

import uuid
from typing import Any

from django.db.models import QuerySet

from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.common.access import get_visible
from otclinic.clinic.revenue.models import Claim, ClaimBatch
from otclinic.domain.access import Capability


def visible_claims(user: Any) -> QuerySet[Claim]:
    if not user_may(user, Capability.VIEW_BILLING):
        return Claim.objects.none()
    return Claim.objects.for_org(user.organization_id)


def visible_batches(user: Any) -> QuerySet[ClaimBatch]:
    if not user_may(user, Capability.VIEW_BILLING):
        return ClaimBatch.objects.none()
    return ClaimBatch.objects.for_org(user.organization_id)


def get_visible_claim(user: Any, claim_id: uuid.UUID | str) -> Claim:
    return get_visible(visible_claims(user), claim_id, what="claim")


def get_visible_batch(user: Any, batch_id: uuid.UUID | str) -> ClaimBatch:
    return get_visible(visible_batches(user), batch_id, what="batch")

"""The clinic admin's writes to the organization's own shorthand table (each audited by the
audit trail's save and delete signals)."""

from django.db import transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.care.models import ShorthandEntry
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.payers.selectors_codes import rulebook_for_organization
from otclinic.domain.access import Capability
from otclinic.domain.care.shorthand import ClinicPhrase, normal_phrase, phrase_problems


@transaction.atomic
def shorthand_entry_add(*, user: User, entry: ClinicPhrase) -> ShorthandEntry:
    """Add a phrase to the organization's shorthand: a code of its code table (with the note
    line's category), an equipment choice or an assistance level. A phrase the organization
    has already is refused (remove it first); one the shipped table has is the clinic's own."""
    require(user, Capability.MANAGE_STAFF)
    organization_id = organization_id_of(user)
    codes = rulebook_for_organization(organization_id).codes
    problems = phrase_problems(entry, codes=codes)
    phrase = normal_phrase(entry.phrase)
    mine = ShorthandEntry.objects.for_org(organization_id)
    if "phrase" not in problems and mine.filter(phrase=phrase).exists():
        problems["phrase"] = f"“{phrase}” is in the clinic's table already; remove it first."
    if problems:
        raise ValidationFailed({k: [v] for k, v in problems.items()})
    return ShorthandEntry.objects.create(
        organization_id=organization_id,
        phrase=phrase,
        kind=entry.kind,
        value=entry.value,
        category=entry.category if entry.kind == "code" else "",
    )


@transaction.atomic
def shorthand_entry_remove(*, user: User, entry: ShorthandEntry) -> None:
    require(user, Capability.MANAGE_STAFF)
    require_same_organization(user, entry)
    entry.delete()

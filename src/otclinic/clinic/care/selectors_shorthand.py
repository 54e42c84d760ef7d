"""Reads of the organization's own shorthand table, and the lexicon its notes are read with
(the shipped table with the organization's phrases over it)."""

from typing import Any

from django.db.models import QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.care.models import ShorthandEntry
from otclinic.clinic.common.access import get_visible
from otclinic.domain.access import Capability
from otclinic.domain.care.shorthand import ClinicPhrase, Lexicon, clinic_table, lexicon_from
from otclinic.domain.care.shorthand.lexicon import shipped_lexicon, shipped_table


def visible_shorthand_entries(user: User) -> QuerySet[ShorthandEntry]:
    """The entries a clinic admin manages: their organization's."""
    require(user, Capability.MANAGE_STAFF)
    return ShorthandEntry.objects.for_org(organization_id_of(user))


def shorthand_entry_get_for_user(*, user: User, entry_id: Any) -> ShorthandEntry:
    return get_visible(visible_shorthand_entries(user), entry_id, what="shorthand entry")


def organization_lexicon(organization_id: Any) -> Lexicon:
    """The shipped table with the organization's phrases read after it (they win)."""
    entries = [
        ClinicPhrase(e.phrase, e.kind, e.value, e.category)
        for e in ShorthandEntry.objects.for_org(organization_id)
    ]
    return lexicon_from(clinic_table(entries)) if entries else shipped_lexicon()


def shipped_rows() -> dict[str, list[tuple[str, str]]]:
    """The built-in table as the admin's page shows it beside the clinic's: what each stands
    for and its phrases, by kind."""
    table = shipped_table()
    return {
        "code": [
            (" or ".join(i["codes"]), ", ".join(i["phrases"])) for i in table["interventions"]
        ],
        "device": [(k, ", ".join(v)) for k, v in table["devices"].items()],
        "assist": [(k, ", ".join(v)) for k, v in table["assist"].items()],
    }

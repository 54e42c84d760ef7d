"""The clinic admin's own shorthand: added on its page beside the built-in table, validated,
audited, and read by the organization's notes (Fill, as typed) and the command line with
`--organization`; another organization's notes never read it."""

import json
from typing import Any

import pytest
from click.testing import CliRunner
from django.urls import reverse

from otclinic.cli.note import note as note_cli
from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.care.models import ShorthandEntry
from otclinic.clinic.care.services import notes as svc
from tests.clinic import factories as f
from tests.clinic.care.notes.builders import DAY, client_for, form_data, practice, rendered_value

pytestmark = pytest.mark.django_db

KITCH = {"phrase": "Kitch  Trng", "kind": "code", "value": "97535", "category": "self_care_adl"}


def _admin(org: Any) -> Any:
    return f.UserFactory(organization=org, role="clinic_admin")


def _add(client: Any, **fields: str) -> Any:
    return client.post(reverse("shorthand-table"), fields)


def test_the_admin_adds_an_abbreviation_and_sees_it_beside_the_built_in_table() -> None:
    p = practice()
    client = client_for(_admin(p.org))

    response = _add(client, **KITCH)

    assert response.status_code == 302
    entry = ShorthandEntry.objects.get(organization=p.org)
    assert (entry.phrase, entry.value, entry.category) == ("kitch trng", "97535", "self_care_adl")
    assert AuditEvent.objects.filter(object_type="care.shorthandentry").exists()
    page = client.get(reverse("shorthand-table")).content.decode()
    assert "<code>kitch trng</code>" in page
    assert "The built-in table" in page and "ther act" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": "99999"}, "99999 is not a code of the clinic&#x27;s code table."),
        ({"category": ""}, "Choose the category the note&#x27;s line takes."),
        ({"kind": "device", "value": "hoverboard", "category": ""}, "equipment choices"),
        ({"phrase": "kitch 15"}, "would be read as minutes"),
    ],
)
def test_an_abbreviation_that_cannot_be_read_is_refused_with_422(
    changes: dict[str, str], message: str
) -> None:
    p = practice()
    response = _add(client_for(_admin(p.org)), **{**KITCH, **changes})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ShorthandEntry.objects.exists()


def test_the_same_abbreviation_twice_is_refused() -> None:
    p = practice()
    client = client_for(_admin(p.org))
    _add(client, **KITCH)
    response = _add(client, **{**KITCH, "phrase": "kitch trng", "value": "97530"})
    assert response.status_code == 422
    assert "in the clinic&#x27;s table already" in response.content.decode()


def test_a_clinician_may_not_open_the_page() -> None:
    p = practice()
    assert client_for(p.ota).get(reverse("shorthand-table")).status_code == 403


def test_removing_an_abbreviation_is_audited() -> None:
    p = practice()
    client = client_for(_admin(p.org))
    _add(client, **KITCH)
    entry = ShorthandEntry.objects.get()
    response = client.post(reverse("shorthand-entry-remove", args=[entry.pk]))
    assert response.status_code == 302
    assert not ShorthandEntry.objects.exists()
    assert AuditEvent.objects.filter(object_type="care.shorthandentry", action="delete").exists()


def _fill(p: Any, text: str) -> str:
    note = svc.note_start(user=p.ota, episode=p.episode, date_of_service=DAY)
    data = form_data(note, shorthand=text)
    response = client_for(p.ota).post(
        reverse("note-shorthand", args=[note.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_note_reads_the_organizations_abbreviations_and_no_other_organizations_do() -> None:
    p = practice()
    _add(client_for(_admin(p.org)), **KITCH)
    html = _fill(p, "kitch trng 15")
    assert rendered_value(html, "lines-0-code") == "97535"
    assert rendered_value(html, "lines-0-assistant_minutes") == "15"

    other = practice()
    html = _fill(other, "kitch trng 15")
    assert rendered_value(html, "lines-0-code") == ""
    assert "<mark>kitch" in html


def test_the_organizations_abbreviation_wins_over_the_built_in_one() -> None:
    p = practice()
    _add(client_for(_admin(p.org)), phrase="ta", kind="code", value="97112", category="other")
    html = _fill(p, "ta 15")
    assert rendered_value(html, "lines-0-code") == "97112"


def test_the_command_line_reads_the_organizations_table_with_organization() -> None:
    p = practice()
    _add(client_for(_admin(p.org)), **KITCH)
    runner = CliRunner()

    done = runner.invoke(
        note_cli, ["shorthand", "--organization", p.org.slug, "-"], "kitch trng 15\n"
    )
    without = runner.invoke(note_cli, ["shorthand", "-"], "kitch trng 15\n")
    unknown = runner.invoke(note_cli, ["shorthand", "--organization", "no-such", "-"], "ta\n")

    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["code"] == "97535"
    assert json.loads(without.stdout)["code"] is None
    assert unknown.exit_code == 1

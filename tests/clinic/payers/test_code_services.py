"""The clinic's own billing codes: saved through the code table's own rules, refused on the field
they name, idempotent, audited, for billers and clinic admins only; and the organization's book
that the billing check reads, rebuilt after every change and only then."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.payers.models import ClinicBillingCode
from otclinic.clinic.payers.selectors_codes import rulebook_for_organization
from otclinic.clinic.payers.services_codes import clinic_code_remove, clinic_code_save
from otclinic.domain.billing.codebook import CodeKind
from otclinic.domain.billing.rulebook import default_rulebook
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

SOURCE = "State Medicaid fee schedule, 2026 (encounter codes)"
NOW = dt.datetime(2026, 3, 12, 9, tzinfo=dt.UTC)


@pytest.fixture
def biller() -> Any:
    return f.staff_user(organization=f.OrganizationFactory(), role="biller")


def encounter(user: Any, **changes: Any) -> ClinicBillingCode:
    values: dict[str, Any] = {
        "code": "T1015",
        "summary": "clinic encounter",
        "source": SOURCE,
        "kind": "untimed",
    }
    return clinic_code_save(user=user, **{**values, **changes})


def audit(row: ClinicBillingCode) -> list[tuple[str, list[str]]]:
    events = AuditEvent.objects.filter(object_type="payers.clinicbillingcode", object_id=row.pk)
    return [(e.action, e.fields) for e in events]


def test_a_biller_adds_a_code_with_its_source_and_the_entry_is_tidied(biller: Any) -> None:
    row = encounter(
        biller,
        code=" t1015 ",
        summary="  clinic encounter ",
        disciplines=["SLP", "OT", "OT"],
        addon_to=[],
    )
    assert (row.code, row.summary, row.source) == ("T1015", "clinic encounter", SOURCE)
    assert row.disciplines == ["OT", "SLP"]
    assert row.organization_id == biller.organization_id
    assert row.added_by == biller
    assert audit(row)[0][0] == "create"


def test_a_clinic_admin_may_add_one_too() -> None:
    admin = f.staff_user(organization=f.OrganizationFactory(), role="clinic_admin")
    assert encounter(admin).code == "T1015"


def test_saving_the_same_entry_twice_writes_and_audits_once(biller: Any) -> None:
    first = encounter(biller)
    again = encounter(biller)
    assert again.pk == first.pk
    assert again.updated_at == first.updated_at
    assert ClinicBillingCode.objects.count() == 1
    assert [action for action, _ in audit(first)] == ["create"]


def test_saving_a_code_again_with_a_change_changes_that_field_and_audits_it(biller: Any) -> None:
    row = encounter(biller)
    encounter(biller, kind="timed", unit_minutes=60)
    row.refresh_from_db()
    assert (row.kind, row.unit_minutes) == ("timed", 60)
    assert audit(row)[-1] == ("update", ["kind", "unit_minutes"])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "T10155"}, "code", "T10155 is not a CPT or HCPCS code (e.g. T1015)."),
        ({"code": ""}, "code", "An empty code is not a CPT or HCPCS code (e.g. T1015)."),
        ({"kind": "hourly"}, "kind", "One of timed, untimed."),
        ({"kind": "timed", "unit_minutes": 500}, "unit_minutes", "A whole number of minutes"),
        ({"kind": "timed", "unit_minutes": 0}, "unit_minutes", "A whole number of minutes"),
        ({"summary": "  "}, "summary", "Say what the code is for."),
        ({"source": ""}, "source", "Say where the code comes from"),
        ({"disciplines": []}, "disciplines", "At least one of OT, PT or SLP."),
        ({"disciplines": ["OTR"]}, "disciplines", "OT, PT or SLP."),
        ({"discipline_limit": "hard"}, "discipline_limit", "One of firm, usual."),
        ({"addon_to": ["0001F"]}, "addon_to", "0001F is in neither otclinic's code table nor"),
        ({"addon_to": ["t1015"]}, "addon_to", "A code is not its own add-on."),
        ({"addon_to": ["9753"]}, "addon_to", "9753 is not a code."),
        (
            {"effective_from": dt.date(2026, 3, 1), "effective_to": dt.date(2026, 2, 1)},
            "effective_to",
            "2026-02-01 is before effective_from (2026-03-01).",
        ),
    ],
)
def test_a_refusal_names_the_field_and_saves_nothing(
    biller: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        encounter(biller, **changes)
    assert list(refused.value.errors) == [field]
    assert refused.value.errors[field][0].startswith(message)
    assert not ClinicBillingCode.objects.exists()


def test_an_add_on_may_name_a_shipped_code_or_one_of_the_clinics_own(biller: Any) -> None:
    encounter(biller)
    encounter(biller, code="T1016", addon_to=["T1015"])
    assert encounter(biller, code="T1017", addon_to=["97530"]).addon_to == ["97530"]


@pytest.mark.parametrize("role", ["OT", "OTA", "front_desk", "student"])
def test_other_roles_may_not_add_or_remove_codes(biller: Any, role: str) -> None:
    encounter(biller)
    other = f.staff_user(organization=biller.organization, role=role)
    with pytest.raises(PermissionDenied):
        encounter(other, code="T1016")
    with pytest.raises(PermissionDenied):
        clinic_code_remove(user=other, code="T1015")
    assert list(ClinicBillingCode.objects.values_list("code", flat=True)) == ["T1015"]


def test_removing_a_code_deletes_it_once_and_audits_it(biller: Any) -> None:
    row = encounter(biller)
    assert clinic_code_remove(user=biller, code="t1015") is True
    assert clinic_code_remove(user=biller, code="T1015") is False
    assert not ClinicBillingCode.objects.exists()
    assert [action for action, _ in audit(row)] == ["create", "delete"]


def test_a_user_removes_only_their_own_organizations_code(biller: Any) -> None:
    encounter(biller)
    other = f.staff_user(organization=f.OrganizationFactory(), role="biller")
    assert clinic_code_remove(user=other, code="T1015") is False
    assert ClinicBillingCode.objects.filter(organization=biller.organization).exists()


# The organization's book


def test_an_organization_without_codes_checks_with_the_shipped_book(biller: Any) -> None:
    assert rulebook_for_organization(biller.organization_id) is default_rulebook()


def test_the_book_holds_the_clinics_codes_and_is_kept_between_calls(
    biller: Any, django_assert_num_queries: Any
) -> None:
    encounter(biller)
    book = rulebook_for_organization(biller.organization_id)
    assert book.codes["T1015"].local
    assert "97530" in book.codes
    with django_assert_num_queries(1):  # the stamp only: the book is not rebuilt
        assert rulebook_for_organization(biller.organization_id) is book


def test_saving_and_removing_a_code_rebuild_the_book_even_within_one_clock_tick(
    biller: Any,
) -> None:
    with time_machine.travel(NOW, tick=False):
        encounter(biller)
        assert rulebook_for_organization(biller.organization_id).codes["T1015"].kind is (
            CodeKind.UNTIMED
        )
        encounter(biller, kind="timed")
        assert rulebook_for_organization(biller.organization_id).codes["T1015"].kind is (
            CodeKind.TIMED
        )
        clinic_code_remove(user=biller, code="T1015")
        assert rulebook_for_organization(biller.organization_id) is default_rulebook()


def test_a_change_written_by_another_process_is_seen_by_its_stamp(biller: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        encounter(biller)
        assert "T1016" not in rulebook_for_organization(biller.organization_id).codes
    with time_machine.travel(NOW + dt.timedelta(seconds=1), tick=False):
        # Another process's write: this process is not told, but the stamp changes.
        ClinicBillingCode.objects.create(
            organization=biller.organization, code="T1016", summary="x", source=SOURCE
        )
        assert "T1016" in rulebook_for_organization(biller.organization_id).codes


def test_a_code_only_another_organization_added_is_not_in_this_ones_book(biller: Any) -> None:
    encounter(biller)
    other = f.OrganizationFactory()
    assert "T1015" not in rulebook_for_organization(other.pk).codes


def test_a_clinics_entry_replaces_the_shipped_one_for_that_organization_only(
    biller: Any,
) -> None:
    encounter(biller, code="97530", summary="therapeutic activities, per visit")
    assert rulebook_for_organization(biller.organization_id).codes["97530"].kind is (
        CodeKind.UNTIMED
    )
    other = f.OrganizationFactory()
    assert rulebook_for_organization(other.pk).codes["97530"].kind is CodeKind.TIMED

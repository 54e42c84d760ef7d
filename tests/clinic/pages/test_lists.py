"""The lists that grow with the clinic show a page at a time, with the count and a search.

The claims list (patient, claim number, payer, status, service dates), the denials queue
(grouped by payer and CARC, one group a page at a time), patient balances, the front desk's day
on the home page and the supervision dashboard. Another organization's ids in their query
strings show nothing of it.
"""

import datetime as dt
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from otclinic.clinic.common.paging import PER_PAGE
from otclinic.clinic.revenue.models import (
    ClaimStatus,
    Denial,
    LedgerEntry,
    LedgerKind,
    RemittanceClaim,
)
from otclinic.clinic.revenue.views_claims import CLAIMS_PER_PAGE
from otclinic.clinic.web.views import CLINIC_DAY_PAGE
from tests.clinic import factories as f
from tests.clinic.revenue.remittance.helpers import make_claim

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")


@pytest.fixture
def org() -> Any:
    return f.OrganizationFactory()


@pytest.fixture
def biller(client: Client, org: Any) -> Client:
    client.force_login(f.staff_user(organization=org, role="biller"))
    return client


def _claim(coverage: Any, number: str, day: dt.date = dt.date(2026, 3, 12)) -> Any:
    """A claim of `coverage`'s patient (their one open OT episode, made once)."""
    episode = coverage.patient.episodes.first() or f.EpisodeFactory(patient=coverage.patient)
    lines = [("97530", "100.00", day)]
    return make_claim(
        organization=coverage.organization,
        control_number=number,
        coverage=coverage,
        episode=episode,
        lines=lines,
    )


def _rows(body: str) -> list[str]:
    return re.findall(r'href="/billing/claims/[0-9a-f-]{36}/">([^<]+)</a>', body)


# The claims list ---------------------------------------------------------------------------


def test_the_claims_list_shows_a_page_of_claims_the_count_and_the_next_page(
    biller: Client, org: Any
) -> None:
    coverage = f.CoverageFactory(patient__organization=org)
    for n in range(CLAIMS_PER_PAGE + 3):
        _claim(coverage, f"C{n:04d}", dt.date(2026, 1, 1) + dt.timedelta(days=n))
    first = biller.get("/billing/claims/").content.decode()
    assert f"{CLAIMS_PER_PAGE + 3} claims" in first
    assert len(_rows(first)) == CLAIMS_PER_PAGE
    assert _rows(first)[0] == f"C{CLAIMS_PER_PAGE + 2:04d}"  # the newest service first
    assert 'href="?page=2"' in first
    second = biller.get("/billing/claims/?page=2").content.decode()
    assert _rows(second) == ["C0002", "C0001", "C0000"]


def test_claims_are_found_by_patient_claim_number_payer_status_and_service_dates(
    biller: Client, org: Any
) -> None:
    alpha = f.CoverageFactory(
        patient__organization=org, patient__last_name="Quillfeather", payer__name="Alpha Health"
    )
    beta = f.CoverageFactory(
        patient__organization=org, patient__last_name="Brandt", payer__name="Beta Care"
    )
    march, may = dt.date(2026, 3, 10), dt.date(2026, 5, 10)
    _claim(alpha, "QA1", march)
    _claim(alpha, "QA2", may)
    paid = _claim(beta, "BB1", march)
    paid.status = ClaimStatus.PAID
    paid.save()

    def found(**query: str) -> list[str]:
        response = biller.get("/billing/claims/", query)
        assert response.status_code == 200
        return sorted(_rows(response.content.decode()))

    assert found(q="quill") == ["QA1", "QA2"]
    assert found(q="bb1") == ["BB1"]
    assert found(q=beta.patient.mrn) == ["BB1"]
    assert found(payer=str(alpha.payer.pk)) == ["QA1", "QA2"]
    assert found(status="paid") == ["BB1"]
    assert found(service_from="2026-04-01") == ["QA2"]
    assert found(service_to="2026-04-01") == ["BB1", "QA1"]
    assert found(q="quill", service_from="2026-03-01", service_to="2026-03-31") == ["QA1"]
    body = biller.get("/billing/claims/", {"q": "quill"}).content.decode()
    assert "2 claims</strong> match the search" in body


def test_a_bad_search_answers_422_naming_the_field(biller: Client) -> None:
    response = biller.get(
        "/billing/claims/", {"service_from": "2026-05-01", "service_to": "2026-04-01"}
    )
    assert response.status_code == 422
    assert "Service to: Enter a date on or after" in response.content.decode()
    response = biller.get("/billing/claims/", {"service_from": "yesterday"})
    assert response.status_code == 422
    assert "Service from: Enter a valid date." in response.content.decode()


def test_another_organizations_payer_is_refused_and_shows_none_of_its_claims(
    biller: Client, org: Any
) -> None:
    mine = make_claim(organization=org, control_number="MINE1")
    stranger = f.CoverageFactory(
        patient__organization=f.OrganizationFactory(), payer__name="Zyx Co"
    )
    theirs = _claim(stranger, "THEIRS1")
    response = biller.get("/billing/claims/", {"payer": str(theirs.coverage.payer.pk)})
    assert response.status_code == 422
    body = response.content.decode()
    assert "THEIRS1" not in body and theirs.patient.last_name not in body
    assert theirs.coverage.payer.name not in re.sub(r"<select.*?</select>", "", body, flags=re.S)
    assert _rows(body) == [mine.patient_control_number]


# The denials queue ---------------------------------------------------------------------------


def _denial(claim: Any, reason: str, amount: str = "150.00", group: str = "CO") -> Denial:
    answer = RemittanceClaim.objects.create(
        organization=claim.organization,
        remittance=_remittance(claim.organization),
        claim=claim,
        patient_control_number=claim.patient_control_number,
        status_code="4",
        charge=claim.total_charge,
        paid=Decimal("0.00"),
    )
    return Denial.objects.create(
        organization=claim.organization,
        claim=claim,
        claim_line=claim.lines.first(),
        remittance_claim=answer,
        group_code=group,
        reason_code=reason,
        amount=Decimal(amount),
    )


def _remittance(org: Any) -> Any:
    from otclinic.clinic.revenue.models import Remittance

    return Remittance.objects.create(
        organization=org,
        file_sha256="0" * 64,
        payer_name="ACME",
        payment_amount=Decimal("0.00"),
        imported_by=f.staff_user(organization=org, role="biller"),
    )


def test_the_denials_queue_lists_groups_and_pages_through_one_group(
    biller: Client, org: Any
) -> None:
    alpha = f.CoverageFactory(patient__organization=org, payer__name="Alpha Health")
    beta = f.CoverageFactory(patient__organization=org, payer__name="Beta Care")
    for n in range(PER_PAGE + 2):
        _denial(_claim(alpha, f"A{n:03d}"), "50")
    lone = _denial(_claim(beta, "B001"), "97")
    body = biller.get("/billing/denials/").content.decode()
    # The groups, largest total first; the largest group's denials shown, a page at a time.
    assert body.index("Alpha Health</td>") < body.index("Beta Care</td>")
    assert f"Alpha Health, CARC 50: {PER_PAGE + 2} denials" in body
    assert body.count("Work denial A") == PER_PAGE
    assert "Work denial B001" not in body
    assert "Next page" in body
    page_two = biller.get("/billing/denials/?page=2").content.decode()
    assert page_two.count("Work denial A") == 2
    group = biller.get(
        "/billing/denials/", {"payer": str(beta.payer.pk), "carc": "97"}
    ).content.decode()
    assert "Beta Care, CARC 97: 1 denial, 150.00" in group
    assert f"/billing/denials/{lone.pk}/" in group


def test_another_organizations_group_shows_the_queue_of_ones_own(biller: Client, org: Any) -> None:
    mine = _denial(make_claim(organization=org, control_number="MINE1"), "50")
    theirs = _denial(make_claim(organization=f.OrganizationFactory(), control_number="T1"), "97")
    response = biller.get(
        "/billing/denials/",
        {"payer": str(theirs.claim.coverage.payer.pk), "carc": "97"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f"/billing/denials/{mine.pk}/" in body
    assert f"/billing/denials/{theirs.pk}/" not in body
    assert theirs.claim.patient.last_name not in body


# Patient balances ----------------------------------------------------------------------------


def _owes(claim: Any, amount: str) -> None:
    LedgerEntry.objects.create(
        organization=claim.organization,
        patient=claim.patient,
        claim=claim,
        claim_line=claim.lines.first(),
        kind=LedgerKind.TRANSFER,
        amount=Decimal(amount),
        responsibility="patient",
        posted_on=dt.date(2026, 4, 1),
    )


def test_patient_balances_are_largest_first_a_page_at_a_time_and_searchable(
    biller: Client, org: Any
) -> None:
    for n in range(PER_PAGE + 1):
        coverage = f.CoverageFactory(patient__organization=org, patient__last_name=f"Owes{n:03d}")
        _owes(make_claim(organization=org, coverage=coverage), f"{n + 1}.00")
    settled = f.CoverageFactory(patient__organization=org, patient__last_name="Settled")
    claim = make_claim(organization=org, coverage=settled)
    _owes(claim, "10.00")
    _owes(claim, "-10.00")
    body = biller.get("/billing/balances/").content.decode()
    assert f"{PER_PAGE + 1} patients</strong> with a balance" in body
    names = re.findall(r">(Owes\d+), ", body)
    assert names[0] == f"Owes{PER_PAGE:03d}" and len(names) == PER_PAGE
    assert "Settled" not in body
    assert re.findall(
        r">(Owes\d+), ", biller.get("/billing/balances/?page=2").content.decode()
    ) == ["Owes000"]
    found = biller.get("/billing/balances/", {"q": "owes003"}).content.decode()
    assert re.findall(r">(Owes\d+), ", found) == ["Owes003"]
    assert ">4.00<" in found


# The front desk's day and the supervision dashboard ------------------------------------------


def test_the_desks_day_on_the_home_page_opens_on_the_visits_of_the_last_hour(
    client: Client, org: Any
) -> None:
    clinic = f.ClinicFactory(organization=org)
    clinician = f.StaffProfileFactory(user__organization=org, user__role="OT")
    today = dt.date(2026, 12, 3)  # the suite's day; it is 10:00 in the clinic
    starts = [
        dt.datetime.combine(today, dt.time(7), tzinfo=NY) + dt.timedelta(minutes=10 * n)
        for n in range(CLINIC_DAY_PAGE + 5)
    ]
    for n, at in enumerate(starts):
        f.AppointmentFactory(
            patient=f.PatientFactory(organization=org, last_name=f"Visit{n:03d}"),
            clinician=clinician,
            clinic=clinic,
            episode=None,
            starts_at=at,
            ends_at=at + dt.timedelta(minutes=45),
        )
    client.force_login(f.staff_user(organization=org, role="front_desk"))
    body = client.get("/").content.decode()
    # 07:00 to 08:50 is before 09:00 (an hour ago): 12 visits, so the first page still holds
    # the visits from 09:00; the page holds CLINIC_DAY_PAGE of them, then links the next.
    assert f"{CLINIC_DAY_PAGE + 5} appointments today" in body
    assert "Visit000" in body and f"Visit{CLINIC_DAY_PAGE - 1:03d}" in body
    assert f"Visit{CLINIC_DAY_PAGE:03d}" not in body
    later = client.get("/?day_page=2").content.decode()
    assert f"Visit{CLINIC_DAY_PAGE:03d}" in later and "Visit000" not in later


def test_the_supervision_dashboard_lists_the_otas_a_page_at_a_time(
    client: Client, org: Any
) -> None:
    for n in range(PER_PAGE + 1):
        f.StaffProfileFactory(
            user__organization=org, user__role="OTA", user__last_name=f"Ota{n:03d}"
        )
    client.force_login(f.staff_user(organization=org, role="clinic_admin"))
    body = client.get("/supervision/").content.decode()
    assert f"{PER_PAGE + 1} OTAs, overdue first" in body
    assert len(re.findall(r"Ota\d{3}", body)) >= PER_PAGE
    assert "Next page" in body

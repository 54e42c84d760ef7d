"""The scrubber, rule by rule: each broken fact gives one problem naming its field and fix."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from otclinic.clinic.revenue import claim_assembly, claim_copies
from otclinic.clinic.revenue import claims as svc
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from otclinic.clinic.revenue.models import Claim
from otclinic.clinic.revenue.scrubber import blocking, scrub_claim
from otclinic.domain.compliance.findings import Severity
from tests.clinic.revenue.claims.builders import Billing, billing_practice, note

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 4, 1)


def _claim(b: Billing) -> Claim:
    note(b)
    charges_create_for_signed_notes(user=b.biller)
    [claim] = claim_assembly.claims_assemble(user=b.biller)
    return claim


def _set(obj: Any, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def _lines(claim: Claim, **fields: Any) -> None:
    claim.lines.update(**fields)


def _assistant_renders(b: Billing, claim: Claim) -> None:
    """The OTA, licensed, as the rendering provider: only the role is wrong."""
    b.ota.licenses.create(
        organization=b.org, state="OH", number="OTA-1", expires_on=dt.date(2027, 6, 30)
    )
    _set(claim, rendering_provider=b.ota)


Break = Callable[[Billing, Claim], None]
CASES: list[tuple[str, Break, str, str]] = [
    (
        "billing NPI check digit",
        lambda b, c: _set(b.org, npi=b.org.npi[:9] + str((int(b.org.npi[9]) + 1) % 10)),
        "claim.billing_provider.npi",
        "organization",
    ),
    (
        "rendering NPI missing",
        lambda b, c: _set(b.ot, npi=""),
        "claim.rendering_provider.npi",
        "staff profile",
    ),
    (
        "referring NPI check digit",
        lambda b, c: (
            type(b.physician)
            .objects.filter(pk=b.physician.pk)
            .update(npi=b.physician.npi[:9] + str((int(b.physician.npi[9]) + 1) % 10))
        ),
        "claim.referring_provider.npi",
        "referring physician",
    ),
    (
        "member id",
        lambda b, c: _set(b.coverage, member_id="#"),
        "claim.subscriber.member_id",
        "insurance card",
    ),
    (
        "pointer past the diagnoses",
        lambda b, c: _lines(c, diagnosis_pointers=[1, 3]),
        "claim.lines[0].diagnosis_pointers[1]",
        "points at 1 to 4",
    ),
    (
        "five pointers",
        lambda b, c: _lines(c, diagnosis_pointers=[1, 2, 3, 4, 5]),
        "claim.lines[0].diagnosis_pointers",
        "points at 1 to 4",
    ),
    (
        "thirteen diagnoses",
        lambda b, c: _set(c, diagnosis_codes=[f"M62.{n}" for n in range(10, 23)]),
        "claim.diagnoses",
        "plan of care",
    ),
    (
        "no referring physician",
        lambda b, c: _set(c, referring_physician=None),
        "referring_physician",
        "certifying physician",
    ),
    (
        "rendering provider an assistant",
        lambda b, c: _assistant_renders(b, c),
        "rendering_provider",
        "supervising OT",
    ),
    (
        "timely filing passed",
        lambda b, c: _set(b.payer, plan_kind="commercial", timely_filing_days=10),
        "first_service_on",
        "exception",
    ),
    (
        "license expired",
        lambda b, c: b.ot.licenses.update(expires_on=dt.date(2026, 3, 1)),
        "rendering_provider.licenses",
        "license",
    ),
    (
        "license for another state",
        lambda b, c: b.ot.licenses.update(state="IN"),
        "rendering_provider.licenses",
        "OH license",
    ),
    (
        "NBCOT expired",
        lambda b, c: _set(b.ot, nbcot_expires_on=dt.date(2026, 2, 1)),
        "rendering_provider.nbcot_expires_on",
        "NBCOT",
    ),
    (
        "correction without the payer's number",
        lambda b, c: type(c).objects.filter(pk=c.pk).update(frequency="7", original=c),
        "claim.payer_claim_control_number",
        "payer's claim number",
    ),
]


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def test_a_clean_claim_has_no_problems() -> None:
    b = billing_practice()
    assert scrub_claim(_claim(b), today=TODAY) == []


@pytest.mark.parametrize(("case", "breaks", "field", "fix"), CASES, ids=[c[0] for c in CASES])
def test_each_broken_fact_is_named_with_its_fix(
    case: str, breaks: Break, field: str, fix: str
) -> None:
    b = billing_practice()
    claim = _claim(b)
    breaks(b, claim)
    claim = Claim.objects.get(pk=claim.pk)
    problems = blocking(scrub_claim(claim, today=TODAY))
    assert [p.field for p in problems] == [field]
    assert fix in problems[0].fix + problems[0].message


def test_medicare_filing_ends_twelve_months_after_the_date_of_service() -> None:
    b = billing_practice()
    claim = _claim(b)
    assert scrub_claim(claim, today=dt.date(2027, 3, 12)) != []
    late = scrub_claim(claim, today=dt.date(2027, 3, 13))
    assert [(p.rule_id, p.severity) for p in late] == [("scrub.timely_filing", Severity.ERROR)]
    soon = scrub_claim(claim, today=dt.date(2027, 3, 1))
    assert [(p.rule_id, p.severity) for p in soon] == [("scrub.timely_filing", Severity.WARNING)]


def test_a_line_already_on_another_claim_is_a_duplicate_until_that_claim_is_void() -> None:
    b = billing_practice()
    claim = _claim(b)
    copy = claim_copies.copy_claim(claim)
    [problem] = scrub_claim(copy, today=TODAY)
    assert problem.rule_id == "scrub.duplicate_line"
    assert claim.patient_control_number in problem.message
    svc.claim_set_status(claim=claim, status="void", user=b.biller)
    assert scrub_claim(copy, today=TODAY) == []


def test_a_payer_without_referral_rules_gets_a_warning_not_an_error() -> None:
    b = billing_practice(plan_kind="commercial", filing="CI")
    claim = _claim(b)
    _set(claim, referring_physician=None)
    [problem] = scrub_claim(claim, today=TODAY)
    assert (problem.field, problem.severity) == ("referring_physician", Severity.WARNING)

"""Claims from charges, scrubbed to ready, exported as 837P files that pyx12 accepts."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from otclinic.clinic.revenue import claim_assembly, claim_corrections
from otclinic.clinic.revenue import claims as svc
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from otclinic.clinic.revenue.export import claims_export
from otclinic.clinic.revenue.models import (
    ChargeStatus,
    Claim,
    ClaimBatch,
    ClaimStatus,
    ControlNumber,
    Remittance,
    RemittanceClaim,
    RemittanceService,
)
from otclinic.clinic.revenue.scrubber import ClaimHasProblems
from tests.clinic import factories as f
from tests.clinic.revenue.claims.builders import Billing, billing_practice, note
from tests.domain.claims.p837.pyx12_check import assert_passes

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = dt.date(2026, 4, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def billed(b: Billing) -> list[Claim]:
    charges_create_for_signed_notes(user=b.biller)
    return claim_assembly.claims_assemble(user=b.biller)


def segments(text: str) -> list[str]:
    return [s.strip() for s in text.split("~") if s.strip()]


def test_an_ota_note_becomes_a_claim_rendered_by_the_supervising_ot() -> None:
    b = billing_practice()
    note(b, ("97530", {"assistant_minutes": 38}), author=b.ota)
    [claim] = billed(b)
    assert claim.rendering_provider == b.ot
    assert claim.referring_physician == b.physician
    assert claim.diagnosis_codes == ["I69.351", "R27.8"]
    [line] = claim.lines.all()
    assert (line.code, line.units, sorted(line.modifiers)) == ("97530", 3, ["CO", "GO"])
    assert line.diagnosis_pointers == [1, 2]
    assert claim.total_charge == D("360.00")
    assert line.charge.status == ChargeStatus.BILLED
    assert claim_assembly.claims_assemble(user=b.biller) == []  # nothing left to bill


def test_ready_claims_export_to_an_837p_that_pyx12_accepts_and_are_submitted() -> None:
    b = billing_practice()
    note(b, ("97530", {"therapist_minutes": 12, "assistant_minutes": 12}), author=b.ota)
    note(
        b,
        ("97140", {"therapist_minutes": 15}),
        ("97530", {"therapist_minutes": 15, "separate_time_block": True}),
        day=dt.date(2026, 3, 13),
    )
    [claim] = billed(b)
    svc.claim_mark_ready(claim=claim, user=b.biller)
    [batch] = claims_export(user=b.biller)
    assert_passes(batch.read_text())
    text = batch.read_text()
    assert f"NM1*82*1*{b.ot.user.last_name}" in text  # rendering: the OT
    assert f"*XX*{b.ota.npi}" not in text  # never the OTA
    assert f"NM1*DN*1*{b.physician.last_name}" in text
    svs = [s for s in segments(text) if s.startswith("SV1*")]
    assert "SV1*HC:97530:GO:CO*120*UN*1***1:2" in svs
    assert "SV1*HC:97530:GO*120*UN*1***1:2" in svs
    assert any(s.startswith("SV1*HC:97530:GO:59") or s.startswith("SV1*HC:97530:59") for s in svs)
    claim.refresh_from_db()
    assert (claim.status, claim.batch) == (ClaimStatus.SUBMITTED, batch)


def test_control_numbers_are_unique_and_persist_across_exports() -> None:
    b = billing_practice()
    note(b, day=dt.date(2026, 3, 10))
    [first_claim] = billed(b)
    svc.claim_mark_ready(claim=first_claim, user=b.biller)
    [first] = claims_export(user=b.biller)
    note(b, day=dt.date(2026, 3, 11))
    [second_claim] = billed(b)
    svc.claim_mark_ready(claim=second_claim, user=b.biller)
    [second] = claims_export(user=b.biller)
    assert (first.interchange_control_number, second.interchange_control_number) == (1, 2)
    for batch in (first, second):
        assert_passes(batch.read_text())
    isa13 = [segments(x.read_text())[0].split("*")[13] for x in (first, second)]
    st02 = [
        next(s for s in segments(x.read_text()) if s.startswith("ST*")).split("*")[2]
        for x in (first, second)
    ]
    assert len(set(isa13)) == 2 and len(set(st02)) == 2
    counters = {c.kind: c.last_value for c in ControlNumber.objects.filter(organization=b.org)}
    assert counters == {"interchange": 2, "group": 2, "transaction": 2}
    assert claims_export(user=b.biller) == []  # nothing ready: no file, no number used


def test_two_payers_give_two_files() -> None:
    b = billing_practice()
    note(b)
    other_patient = f.PatientFactory(
        organization=b.org,
        home_clinic=b.clinic,
        address="1 Oak St",
        city="Columbus",
        state="OH",
        zip_code="43201",
    )
    commercial = f.PayerFactory(
        organization=b.org,
        name="Example Health",
        plan_kind="commercial",
        claim_filing_indicator="CI",
    )
    coverage = f.CoverageFactory(patient=other_patient, payer=commercial, member_id="XYZ12345601")
    episode = f.EpisodeFactory(
        patient=other_patient,
        therapist=b.ot,
        coverage=coverage,
        referral=b.episode.referral,
        started_on=dt.date(2026, 3, 2),
    )
    from otclinic.clinic.care.models import PlanDiagnosis

    plan = f.PlanOfCareFactory(episode=episode, status="active", certifying_physician=b.physician)
    PlanDiagnosis.objects.create(
        organization=b.org,
        plan=plan,
        rank=1,
        diagnosis=f.DiagnosisFactory(patient=other_patient, code="S52.501D"),
    )
    note(b, ("97110", {"therapist_minutes": 30}), episode=episode)
    for claim in billed(b):
        svc.claim_mark_ready(claim=claim, user=b.biller)
    batches = claims_export(user=b.biller)
    assert sorted(x.payer.name for x in batches) == ["Example Health", "Medicare Part B"]
    assert len({x.interchange_control_number for x in batches}) == 2
    for batch in batches:
        assert_passes(batch.read_text())


def _paid(b: Billing, claim: Claim) -> None:
    """Medicare paid 80% of the allowed amount on each line; the rest contractual or the
    patient's coinsurance."""
    remittance = Remittance.objects.create(
        organization=b.org,
        file_sha256="a" * 64,
        payer_name="MEDICARE",
        payment_amount=D("0"),
        payment_date=dt.date(2026, 3, 28),
        imported_by=b.biller,
    )
    paid_total = D(0)
    rc = RemittanceClaim.objects.create(
        organization=b.org,
        remittance=remittance,
        claim=claim,
        patient_control_number=claim.patient_control_number,
        status_code="1",
        charge=claim.total_charge,
        paid=D(0),
        payer_claim_number="2226088000123",
    )
    for line in claim.lines.all():
        allowed = D("35.10") * line.units
        paid = (allowed * D("0.8")).quantize(D("0.01"))
        paid_total += paid
        RemittanceService.objects.create(
            organization=b.org,
            remittance_claim=rc,
            claim_line=line,
            procedure=line.code,
            modifiers=line.modifiers,
            charge=line.amount,
            paid=paid,
            units=line.units,
            adjustments=[
                {"group": "CO", "reason": "45", "amount": str(line.amount - allowed)},
                {"group": "PR", "reason": "2", "amount": str(allowed - paid)},
            ],
        )
    rc.paid = paid_total
    rc.save()
    claim.status = ClaimStatus.PAID
    claim.save()


def _secondary(b: Billing) -> Any:
    commercial = f.PayerFactory(
        organization=b.org, name="Great Valley", plan_kind="commercial", claim_filing_indicator="CI"
    )
    return f.CoverageFactory(
        patient=b.patient,
        payer=commercial,
        member_id="GV123456789-01",
        priority="secondary",
        group_number="G12345",
    )


def test_the_secondary_claim_carries_the_primarys_adjudication_and_passes_pyx12() -> None:
    b = billing_practice()
    _secondary(b)
    note(b, ("97530", {"therapist_minutes": 12, "assistant_minutes": 12}), author=b.ota)
    [primary] = billed(b)
    with pytest.raises(svc.ClaimError, match="after the primary has paid"):
        claim_corrections.claim_create_secondary(claim=primary, user=b.biller)
    _paid(b, primary)
    secondary = claim_corrections.claim_create_secondary(claim=primary, user=b.biller)
    assert (
        claim_corrections.claim_create_secondary(claim=primary, user=b.biller) == secondary
    )  # once
    assert secondary.primary_claim == primary
    assert secondary.coverage.priority == "secondary"
    svc.claim_mark_ready(claim=secondary, user=b.biller)
    [batch] = claims_export(user=b.biller)
    assert_passes(batch.read_text())
    text = batch.read_text()
    assert "SBR*S*18*G12345" in text
    assert "AMT*D*56.16" in text  # 2 x 28.08
    assert text.count("SVD*") == 2


def test_corrections_and_voids_name_the_payers_claim_and_pass_pyx12() -> None:
    b = billing_practice()
    note(b)
    [claim] = billed(b)
    with pytest.raises(svc.ClaimError, match="received"):
        claim_corrections.claim_correct(claim=claim, user=b.biller)
    _paid(b, claim)
    correction = claim_corrections.claim_correct(claim=claim, user=b.biller)
    void = claim_corrections.claim_void(claim=claim, user=b.biller)
    assert (correction.frequency, correction.original, correction.payer_claim_number) == (
        "7",
        claim,
        "2226088000123",
    )
    assert (void.frequency, void.original) == ("8", claim)
    for made in (correction, void):
        svc.claim_mark_ready(claim=made, user=b.biller)
    [batch] = claims_export(user=b.biller)
    assert_passes(batch.read_text())
    assert "REF*F8*2226088000123" in batch.read_text()
    assert ":B:7*" in batch.read_text() and ":B:8*" in batch.read_text()


def test_a_claim_with_problems_is_not_marked_ready() -> None:
    b = billing_practice()
    b.coverage.member_id = "X"
    b.coverage.save()
    note(b)
    [claim] = billed(b)
    with pytest.raises(ClaimHasProblems) as raised:
        svc.claim_mark_ready(claim=claim, user=b.biller)
    assert [p.field for p in raised.value.problems] == ["claim.subscriber.member_id"]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT
    assert not ClaimBatch.objects.exists()


def test_statuses_move_only_along_the_table() -> None:
    b = billing_practice()
    note(b)
    [claim] = billed(b)
    with pytest.raises(svc.ClaimError, match="cannot become paid"):
        svc.claim_set_status(claim=claim, status=ClaimStatus.PAID, user=b.biller)
    assert (
        svc.claim_set_status(claim=claim, status=ClaimStatus.VOID, user=b.biller).status == "void"
    )


def test_a_subscriber_who_is_not_the_patient_is_sent_with_their_own_address() -> None:
    b = billing_practice()
    b.coverage.subscriber_relationship = "spouse"
    b.coverage.subscriber_name = "Harold Quill"
    b.coverage.subscriber_address = "900 Lake Shore Dr"
    b.coverage.subscriber_city = "Toledo"
    b.coverage.subscriber_state = "OH"
    b.coverage.subscriber_zip_code = "43604"
    b.coverage.save()
    note(b, ("97530", {"assistant_minutes": 38}), author=b.ota)
    [claim] = billed(b)
    svc.claim_mark_ready(claim=claim, user=b.biller)
    [batch] = claims_export(user=b.biller)
    text = batch.read_text()
    assert_passes(text)
    found = segments(text)
    subscriber = found.index("NM1*IL*1*Quill*Harold****MI*" + b.coverage.member_id)
    assert found[subscriber + 1 : subscriber + 3] == ["N3*900 Lake Shore Dr", "N4*Toledo*OH*43604"]
    patient = next(i for i, s in enumerate(found) if s.startswith("NM1*QC*1*"))
    assert found[patient + 1] == f"N3*{b.patient.address}"


def test_a_name_with_an_accent_is_sent_in_the_x12_character_set_and_the_record_keeps_it() -> None:
    b = billing_practice()
    b.patient.first_name = "Zoë"
    b.patient.save()
    note(b, ("97530", {"assistant_minutes": 38}), author=b.ota)
    [claim] = billed(b)
    svc.claim_mark_ready(claim=claim, user=b.biller)
    [batch] = claims_export(user=b.biller)
    text = batch.read_text()
    assert_passes(text)
    assert f"NM1*IL*1*{b.patient.last_name}*Zoe****MI*" in text and "Zoë" not in text
    b.patient.refresh_from_db()
    assert b.patient.first_name == "Zoë"


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("last_name", "李", "claim.subscriber.name.last"),
        ("address", "12 Main St\u202e", "claim.subscriber.address.line1"),
    ],
)
def test_a_value_x12_cannot_carry_stops_the_claim_at_the_scrubber_naming_the_field(
    field: str, value: str, named: str
) -> None:
    b = billing_practice()
    setattr(b.patient, field, value)
    b.patient.save()
    note(b, ("97530", {"assistant_minutes": 38}), author=b.ota)
    [claim] = billed(b)
    with pytest.raises(ClaimHasProblems) as raised:
        svc.claim_mark_ready(claim=claim, user=b.biller)
    problems = {p.field: p.message for p in raised.value.problems}
    assert named in problems, problems
    assert "X12 text cannot carry" in problems[named]


def _ready_with_a_secondary(b: Billing, days: int) -> None:
    """A secondary claim after the primary paid, and `days` more primary claims, all ready."""
    _secondary(b)
    note(b, day=dt.date(2026, 3, 2))
    [primary] = billed(b)
    _paid(b, primary)
    svc.claim_mark_ready(
        claim=claim_corrections.claim_create_secondary(claim=primary, user=b.biller), user=b.biller
    )
    for day in range(days):
        note(b, day=dt.date(2026, 3, 10 + day))
    for claim in billed(b):
        svc.claim_mark_ready(claim=claim, user=b.biller)


def test_an_export_reads_in_bulk_however_many_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    """No query per claim: the practice, payers, clinicians and the primaries' remittances are
    read once per export, however many claims share them."""
    monkeypatch.setattr(
        claim_assembly, "MAX_LINES", 1
    )  # a claim per line, so more notes, more claims
    small, large = billing_practice(), billing_practice()
    _ready_with_a_secondary(small, days=1)
    _ready_with_a_secondary(large, days=4)
    with CaptureQueriesContext(connection) as few:
        small_files = claims_export(user=small.biller)
    with CaptureQueriesContext(connection) as many:
        large_files = claims_export(user=large.biller)
    claims = [sum(batch.claims.count() for batch in files) for files in (small_files, large_files)]
    assert (len(small_files), len(large_files)) == (2, 2)  # the primary payer's, the secondary's
    assert claims[0] < claims[1]
    assert len(many.captured_queries) == len(few.captured_queries)
    for batch in large_files:
        assert_passes(batch.read_text())
    assert "".join(batch.read_text() for batch in large_files).count("SVD*") == 1

"""The writer refuses claims it cannot write correctly, naming the field and saying why."""

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otclinic.domain.claims.x12.p837 import (
    Adjustment,
    AdjustmentGroup,
    Claim,
    ClaimFrequency,
    InvalidClaims,
    Relationship,
    claim_problems,
    write_interchange,
)
from otclinic.domain.claims.x12.p837.validate import _line_is_clean, line_problems
from otclinic.domain.codes import Role

from .samples import (
    CREATED_AT,
    ENVELOPE,
    NUMBERS,
    REFERRING_MD,
    SUPERVISING_OT,
    kx_over_threshold,
    line,
    ota_with_co,
    secondary_after_medicare,
    split_co,
)


def _patient_as_self(claim: Claim) -> Claim:
    assert claim.patient is not None
    return replace(claim, patient=replace(claim.patient, relationship=Relationship.SELF))


def _first_line(claim: Claim, **changes: Any) -> Claim:
    return replace(claim, lines=(replace(claim.lines[0], **changes), *claim.lines[1:]))


def _first_adjudication(claim: Claim, **changes: Any) -> Claim:
    first = claim.lines[0]
    adjudication = replace(first.adjudications[0], **changes)
    return replace(claim, lines=(replace(first, adjudications=(adjudication,)), *claim.lines[1:]))


CASES: list[tuple[str, Callable[[Claim], Claim], str, str]] = [
    (
        "missing rendering NPI",
        lambda c: replace(c, rendering_provider=replace(SUPERVISING_OT, npi="")),
        "claim.rendering_provider.npi",
        "exactly 10 digits",
    ),
    (
        "an assistant as rendering provider",
        lambda c: replace(c, rendering_provider=replace(SUPERVISING_OT, role=Role.OTA)),
        "claim.rendering_provider.role",
        "the supervising therapist (OT, PT or SLP), not OTA",
    ),
    (
        "bad referring NPI check digit",
        lambda c: replace(c, referring_provider=replace(REFERRING_MD, npi="1567890129")),
        "claim.referring_provider.npi",
        "check digit should be 8",
    ),
    (
        "billing NPI check digit",
        lambda c: replace(c, billing_provider=replace(c.billing_provider, npi="1234567890")),
        "claim.billing_provider.npi",
        "check digit",
    ),
    (
        "13 diagnoses",
        lambda c: replace(
            c, diagnoses=(*(f"M62.8{n}" for n in range(10)), "R27.8", "I69.351", "F84.0")
        ),
        "claim.diagnoses",
        "13 diagnoses; a claim carries 1 to 12",
    ),
    ("no diagnosis", lambda c: replace(c, diagnoses=()), "claim.diagnoses", "0 diagnoses"),
    (
        "not ICD-10",
        lambda c: replace(c, diagnoses=("438.89",)),
        "claim.diagnoses[0]",
        "not an ICD-10-CM",
    ),
    (
        "five modifiers",
        lambda c: _first_line(c, modifiers=("GO", "CO", "KX", "59", "XU")),
        "claim.lines[0].modifiers",
        "5 modifiers; a line carries at most 4",
    ),
    (
        "pointer past the diagnoses",
        lambda c: _first_line(c, diagnosis_pointers=(1, 3)),
        "claim.lines[0].diagnosis_pointers[1]",
        "points to diagnosis 3, but the claim has 2",
    ),
    (
        "pointer zero",
        lambda c: _first_line(c, diagnosis_pointers=(0,)),
        "claim.lines[0].diagnosis_pointers[0]",
        "1-based",
    ),
    (
        "five pointers",
        lambda c: _first_line(c, diagnosis_pointers=(1, 2, 1, 2, 1)),
        "claim.lines[0].diagnosis_pointers",
        "5 pointers",
    ),
    ("no units", lambda c: _first_line(c, units=0), "claim.lines[0].units", "0 units"),
    (
        "fraction of a cent",
        lambda c: _first_line(c, charge=Decimal("45.005")),
        "claim.lines[0].charge",
        "fractions of a cent",
    ),
    (
        "negative charge",
        lambda c: _first_line(c, charge=Decimal("-1")),
        "claim.lines[0].charge",
        "negative",
    ),
    (
        "bad procedure code",
        lambda c: _first_line(c, procedure_code="9753"),
        "claim.lines[0].procedure_code",
        "CPT",
    ),
    ("no lines", lambda c: replace(c, lines=()), "claim.lines", "0 lines"),
    (
        "void without the payer's claim number",
        lambda c: replace(c, frequency=ClaimFrequency.VOID),
        "claim.payer_claim_control_number",
        "a void (frequency 8) needs the payer's claim control number",
    ),
    (
        "correction without the payer's claim number",
        lambda c: replace(c, frequency=ClaimFrequency.REPLACEMENT),
        "claim.payer_claim_control_number",
        "a replacement (frequency 7)",
    ),
    (
        "original naming a payer claim",
        lambda c: replace(c, payer_claim_control_number="123"),
        "claim.payer_claim_control_number",
        "only a replacement (7) or a void (8)",
    ),
    (
        "separator in a name",
        lambda c: replace(
            c, subscriber=replace(c.subscriber, name=replace(c.subscriber.name, last="DOE*SMITH"))
        ),
        "claim.subscriber.name.last",
        "X12 separator",
    ),
    (
        "billing ZIP without the +4",
        lambda c: replace(
            c,
            billing_provider=replace(
                c.billing_provider, address=replace(c.billing_provider.address, postal_code="97001")
            ),
        ),
        "claim.billing_provider.address.postal_code",
        "9 digits (ZIP+4)",
    ),
    (
        "bad EIN",
        lambda c: replace(c, billing_provider=replace(c.billing_provider, ein="99-1234567")),
        "claim.billing_provider.ein",
        "9-digit EIN",
    ),
    (
        "member id",
        lambda c: replace(c, subscriber=replace(c.subscriber, member_id="#")),
        "claim.subscriber.member_id",
        "member id",
    ),
    (
        "place of service",
        lambda c: replace(c, place_of_service="office"),
        "claim.place_of_service",
        "two-digit",
    ),
    (
        "patient control number",
        lambda c: replace(c, patient_control_number=""),
        "claim.patient_control_number",
        "required",
    ),
    (
        "patient loop for the subscriber",
        lambda c: _patient_as_self(secondary_after_medicare()),
        "claim.patient.relationship",
        "without a patient loop",
    ),
]


@pytest.mark.parametrize(
    ("case", "change", "field", "message"), CASES, ids=[case[0] for case in CASES]
)
def test_a_bad_field_is_named_with_what_is_wrong(
    case: str, change: Callable[[Claim], Claim], field: str, message: str
) -> None:
    problems = claim_problems(change(kx_over_threshold()))
    assert any(p.field == field and message in p.message for p in problems), problems


@pytest.mark.parametrize(
    "build", [ota_with_co, kx_over_threshold, split_co, secondary_after_medicare]
)
def test_representative_claims_have_no_problems(build: Callable[[], Claim]) -> None:
    assert claim_problems(build()) == []


def test_a_line_adjudication_must_balance_to_the_line_charge() -> None:
    claim = _first_adjudication(secondary_after_medicare(), paid_amount=Decimal("50.00"))
    fields = {p.field: p.message for p in claim_problems(claim)}
    assert (
        "paid 50.00 + adjustments 34.00 must equal the line charge 90.00"
        in fields["claim.lines[0].adjudications[0].adjustments"]
    )
    assert (
        "the lines this payer adjudicated add up to 76.40"
        in fields["claim.other_payers[0].paid_amount"]
    )


def test_a_line_adjudication_names_a_payer_on_the_claim() -> None:
    claim = _first_adjudication(secondary_after_medicare(), payer_id="NOBODY")
    fields = [p.field for p in claim_problems(claim)]
    assert "claim.lines[0].adjudications[0].payer_id" in fields


def test_claim_level_adjustments_must_balance_paid_to_the_charge() -> None:
    claim = secondary_after_medicare()
    other = replace(
        claim.other_payers[0],
        claim_adjustments=(Adjustment(AdjustmentGroup.CONTRACTUAL, "45", Decimal("1.00")),),
    )
    problems = claim_problems(replace(claim, other_payers=(other,)))
    assert [p.field for p in problems] == ["claim.other_payers[0].claim_adjustments"]


def test_nothing_is_written_and_every_claim_is_named_when_claims_are_wrong() -> None:
    good = kx_over_threshold()
    bad = replace(split_co(), diagnoses=("I69.351",), lines=(line("97530", "GO", pointers=(2,)),))
    with pytest.raises(InvalidClaims) as raised:
        write_interchange(
            claims=[good, bad, replace(bad, patient_control_number="KX-1")],
            envelope=ENVELOPE,
            numbers=NUMBERS,
            created_at=CREATED_AT,
        )
    fields = [p.field for p in raised.value.problems]
    assert fields == [
        "claims[1].lines[0].diagnosis_pointers[0]",
        "claims[2].lines[0].diagnosis_pointers[0]",
        "claims[2].patient_control_number",
    ]
    assert "appears twice" in raised.value.problems[2].message
    assert "claims[1].lines[0].diagnosis_pointers[0]" in str(raised.value)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sender": replace(ENVELOPE.sender, identifier="A" * 16)}, "envelope.sender.identifier"),
        ({"receiver": replace(ENVELOPE.receiver, qualifier="XX")}, "envelope.receiver.qualifier"),
        ({"application_sender": ""}, "envelope.application_sender"),
        ({"submitter": replace(ENVELOPE.submitter, phone="555-0100")}, "envelope.submitter.phone"),
        (
            {"submitter": replace(ENVELOPE.submitter, contact_name="A~B")},
            "envelope.submitter.contact_name",
        ),
        ({"segment_end": "~"}, "envelope.segment_end"),
    ],
)
def test_a_bad_envelope_is_refused_naming_the_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidClaims) as raised:
        write_interchange(
            claims=[ota_with_co()],
            envelope=replace(ENVELOPE, **change),  # type: ignore[arg-type]
            numbers=NUMBERS,
            created_at=CREATED_AT,
        )
    assert [p.field for p in raised.value.problems] == [field]


def test_a_separator_in_a_shared_party_is_named_in_every_claim_that_carries_it() -> None:
    clinic = kx_over_threshold().billing_provider
    bad_clinic = replace(clinic, organization_name="RIVERBEND OT*EAST")
    claims = [
        replace(kx_over_threshold(), billing_provider=bad_clinic),
        replace(split_co(), billing_provider=bad_clinic),
    ]
    with pytest.raises(InvalidClaims) as raised:
        write_interchange(claims=claims, envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT)
    assert [p.field for p in raised.value.problems] == [
        "claims[0].billing_provider.organization_name",
        "claims[1].billing_provider.organization_name",
    ]


def test_a_shared_party_with_a_problem_is_named_in_every_claim_that_carries_it() -> None:
    """Shared parties are checked once while clean: one with problems is never skipped."""
    clinic = kx_over_threshold().billing_provider
    bad_clinic = replace(clinic, npi="1234567890")
    bad_ot = replace(SUPERVISING_OT, role=Role.OTA)
    claims = [
        replace(kx_over_threshold(), patient_control_number="C-0"),  # clean parties checked first
        replace(
            kx_over_threshold(),
            patient_control_number="C-1",
            billing_provider=bad_clinic,
            rendering_provider=bad_ot,
        ),
        replace(
            split_co(),
            patient_control_number="C-2",
            billing_provider=bad_clinic,
            rendering_provider=bad_ot,
        ),
        replace(split_co(), patient_control_number="C-3"),
    ]
    with pytest.raises(InvalidClaims) as raised:
        write_interchange(claims=claims, envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT)
    assert [p.field for p in raised.value.problems] == [
        "claims[1].billing_provider.npi",
        "claims[1].rendering_provider.role",
        "claims[2].billing_provider.npi",
        "claims[2].rendering_provider.role",
    ]


# Mostly values a line may carry, some it may not: lines with one fault among clean fields.
_CODES = st.sampled_from(["97530", "97110", "G0283", "97535", "9753", "97530X", "9753o"])
_MODIFIERS = st.sampled_from(
    [
        *((), ("GO",), ("GO", "KX"), ("GO", "CO", "KX", "59")),
        *(("GO", "GO"), ("G",), ("go",), ("GO", "KX", "CO", "59", "XU")),
    ]
)
_POINTERS = st.sampled_from([(1,), (1, 2), (2, 1), (1, 2, 3, 4), (), (1, 1), (0,), (1, 2, 3, 4, 5)])
_CHARGES = st.sampled_from(
    [Decimal(v) for v in ("120.00", "0", "45.5", "99.999", "-1", "NaN", "Infinity", "-0", "sNaN")]
)


@settings(max_examples=300)
@given(
    code=_CODES,
    modifiers=_MODIFIERS,
    pointers=_POINTERS,
    charge=_CHARGES,
    units=st.sampled_from([1, 4, 9999, 0, -1, 10_000]),
    control_number=st.sampled_from(["", "A1", "A" * 50, "A" * 51]),
    diagnoses=st.sampled_from([4, 2, 1, 0]),
)
def test_a_line_passes_the_quick_check_exactly_when_it_has_no_problem(
    code: str,
    modifiers: tuple[str, ...],
    pointers: tuple[int, ...],
    charge: Decimal,
    units: int,
    control_number: str,
    diagnoses: int,
) -> None:
    service = replace(
        line(code, *modifiers, pointers=pointers),
        charge=charge,
        units=units,
        line_item_control_number=control_number,
    )
    problems = line_problems(service, diagnoses=diagnoses, path="line")
    assert _line_is_clean(service, diagnoses=diagnoses) is (problems == [])

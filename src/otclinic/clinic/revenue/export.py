"""Claims as the 837P writer's facts, and the export of every ready claim to 837P files.

One file per payer: each is its own interchange (ISA/GS/ST...), recorded as a `ClaimBatch`
row, so that a payer's rejected file never holds up another's. Control numbers come from the
organization's `ControlNumber` rows, locked with SELECT ... FOR UPDATE and advanced in the same
transaction that records the files and marks the claims submitted: never reused, even across
concurrent exports.
"""

import datetime as dt
import hashlib
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.common.progress import Progress
from otclinic.clinic.organizations.models import Clinic, Organization
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.models import Coverage, Payer
from otclinic.clinic.payers.selectors import exchange_ids
from otclinic.clinic.referrals.models import ReferringPhysician
from otclinic.clinic.revenue.access import visible_claims
from otclinic.clinic.revenue.models import (
    Claim,
    ClaimBatch,
    ClaimLine,
    ClaimStatus,
    ControlNumber,
    RemittanceClaim,
    RemittanceService,
)
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.claims.x12 import p837
from otclinic.domain.claims.x12.charset import CharacterSetRefusal, x12_text
from otclinic.domain.codes import Discipline

RELATIONSHIPS = {
    "self": p837.Relationship.SELF,
    "spouse": p837.Relationship.SPOUSE,
    "child": p837.Relationship.CHILD,
    "other": p837.Relationship.OTHER,
}
TAXONOMIES = {
    Discipline.OT: p837.OCCUPATIONAL_THERAPIST_TAXONOMY,
    Discipline.PT: "225100000X",
    Discipline.SLP: "235Z00000X",
}
COUNTERS = ("interchange", "group", "transaction")
CLAIM_SELECT = (
    "organization",
    "patient",
    "coverage__payer",
    "episode__clinic",
    "rendering_provider__user",
    "referring_physician",
    "primary_claim__coverage__payer",
)
# What an export reads of each claim and of its own patient, coverage and episode: the columns
# the writer's facts are made of, and no others (no timestamps, notes or JSON it does not send).
# The parties many claims share are read once each (`_attach_shared`).
_PERSON = ("first_name", "last_name")
_PLACE = ("address", "city", "state", "zip_code")
_COVERAGE = (
    "payer",
    "member_id",
    "group_number",
    "subscriber_relationship",
    "subscriber_name",
    *(f"subscriber_{part}" for part in _PLACE),
)
_PAYER = ("name", "payer_id", "claim_filing_indicator")
_ORGANIZATION = (
    "name",
    "npi",
    "tax_id",
    "phone",
    "billing_address",
    "billing_city",
    "billing_state",
    "billing_zip",
)
EXPORT_COLUMNS = (
    "organization",
    "coverage",
    "rendering_provider",
    "referring_physician",
    "primary_claim",
    "patient_control_number",
    "place_of_service",
    "diagnosis_codes",
    "frequency",
    "payer_claim_number",
    "first_submitted_on",
    *(f"patient__{name}" for name in (*_PERSON, *_PLACE, "birth_date", "sex")),
    *(f"coverage__{name}" for name in _COVERAGE),
    "episode__discipline",
    "episode__clinic",
)


class ExportRefused(ValueError):
    """The writer refused claims (each problem names its field); nothing was exported."""

    def __init__(self, problems: Sequence[p837.Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = list(problems)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


@lru_cache(maxsize=4096)
def _x12(value: str) -> str:
    """A name or address line in the X12 character set: Zoë as Zoe, José as Jose. A value that
    cannot be written so (another script, a control character) is left as it is, for the
    writer's check to name the field (the scrubber shows it to the biller); the record itself
    always keeps what was entered."""
    try:
        return x12_text(value, field="").value
    except CharacterSetRefusal:
        return value


def _address(line1: str, city: str, state: str, postal: str) -> p837.Address:
    return p837.Address(
        line1=_x12(line1), city=_x12(city), state=state, postal_code=_digits(postal)
    )


def billing_provider(org: Organization) -> p837.BillingProvider:
    return p837.BillingProvider(
        organization_name=_x12(org.name),
        npi=org.npi,
        ein=org.tax_id,
        address=_address(org.billing_address, org.billing_city, org.billing_state, org.billing_zip),
    )


def clinician(staff: StaffProfile, *, discipline: str) -> p837.Clinician:
    user = staff.user
    return p837.Clinician(
        name=p837.PersonName(last=_x12(user.last_name), first=_x12(user.first_name)),
        npi=staff.npi,
        taxonomy=TAXONOMIES.get(Discipline(discipline)),
    )


def _person(patient: Patient) -> p837.PersonName:
    return p837.PersonName(last=_x12(patient.last_name), first=_x12(patient.first_name))


def _subscriber_name(coverage: Coverage, patient: Patient) -> p837.PersonName:
    if coverage.subscriber_relationship == "self" or not coverage.subscriber_name.strip():
        return _person(patient)
    first, _, last = coverage.subscriber_name.strip().partition(" ")
    return p837.PersonName(last=_x12(last or first), first=_x12(first) if last else "")


def _subscriber_address(coverage: Coverage, patient: Patient) -> p837.Address:
    if coverage.subscriber_relationship != "self" and coverage.subscriber_address.strip():
        return _address(
            coverage.subscriber_address,
            coverage.subscriber_city,
            coverage.subscriber_state,
            coverage.subscriber_zip_code,
        )
    return _address(patient.address, patient.city, patient.state, patient.zip_code)


def subscriber(
    coverage: Coverage, patient: Patient, responsibility: p837.PayerResponsibility
) -> p837.Subscriber:
    """2000B/2010BA. A subscriber who is not the patient is sent with the subscriber's own
    address from the coverage, and the patient's only when the coverage gives none (they live
    together); the writer sends no birth date or sex for such a subscriber (DMG only when the
    subscriber is the patient)."""
    return p837.Subscriber(
        member_id=coverage.member_id,
        name=_subscriber_name(coverage, patient),
        birth_date=patient.birth_date,
        sex=p837.Sex(patient.sex),
        address=_subscriber_address(coverage, patient),
        responsibility=responsibility,
        filing_indicator=p837.ClaimFilingIndicator(coverage.payer.claim_filing_indicator),
        group_number=coverage.group_number,
    )


def _patient(coverage: Coverage, patient: Patient) -> p837.Patient | None:
    if coverage.subscriber_relationship == "self":
        return None
    return p837.Patient(
        name=_person(patient),
        birth_date=patient.birth_date,
        sex=p837.Sex(patient.sex),
        address=_address(patient.address, patient.city, patient.state, patient.zip_code),
        relationship=RELATIONSHIPS[coverage.subscriber_relationship],
    )


def payer_facts(payer: Payer) -> p837.Payer:
    return p837.Payer(name=_x12(payer.name), payer_id=payer.payer_id)


def _facility(claim: Claim) -> p837.ServiceFacility | None:
    """2310C when the clinic is not at the billing address."""
    clinic, org = claim.episode.clinic, claim.organization
    if clinic.address.strip().lower() == org.billing_address.strip().lower():
        return None
    return p837.ServiceFacility(
        name=_x12(clinic.name),
        address=_address(clinic.address, clinic.city, clinic.state, clinic.zip_code),
        npi=clinic.npi or None,
    )


class LineRow(NamedTuple):
    """What the writer reads of a stored claim line, read without building model instances.

    `charge_id` is the charge's id as text, as the database writes it (a secondary claim's
    lines are matched to the primary's remittance by it, `_lines`): thousands of lines then
    hold no `UUID` objects, which the garbage collector would have to scan.
    """

    line_number: int
    charge_id: str | None
    code: str
    amount: Decimal
    units: int
    diagnosis_pointers: tuple[int, ...]
    date_of_service: dt.date
    modifiers: tuple[str, ...]


def line_rows(claim_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[LineRow]]:
    """The lines of many claims in line order, in one query per thousand claims.

    Pointers and modifiers are read as their JSON text and decoded once per distinct text: a
    clinic's lines carry a few dozen different lists, so thousands of lines share a few tuples.
    """
    found: dict[uuid.UUID, list[LineRow]] = defaultdict(list)
    columns = [
        "claim_id",
        *(
            Cast(name, output_field=TextField()) if name in _TEXT_COLUMNS else name
            for name in LineRow._fields
        ),
    ]
    for start in range(0, len(claim_ids), 1000):
        rows = (
            ClaimLine.objects.filter(claim_id__in=claim_ids[start : start + 1000])
            .order_by("claim_id", "line_number")
            .values_list(*columns)
        )
        for claim_id, number, charge_id, code, amount, units, pointers, day, modifiers in rows:
            found[claim_id].append(
                LineRow(
                    number,
                    charge_id,
                    code,
                    amount,
                    units,
                    _json_tuple(pointers),
                    day,
                    _json_tuple(modifiers),
                )
            )
    return found


_TEXT_COLUMNS = ("charge_id", "diagnosis_pointers", "modifiers")


@lru_cache(maxsize=1024)
def _json_tuple(text: str) -> tuple[Any, ...]:
    """A JSON list, stored as text, as a tuple (the same tuple for the same text)."""
    return tuple(json.loads(text))


def claim_facts(
    claim: Claim,
    *,
    lines: Sequence[LineRow] | None = None,
    shared: dict[tuple[Any, ...], Any] | None = None,
    remittances: dict[uuid.UUID | None, RemittanceClaim] | None = None,
) -> p837.Claim:
    """The writer's facts for one stored claim (a secondary claim carries the primary's
    adjudication from its latest remittance); `lines`: its lines, when already read. An export
    passes one `shared` dict for all its claims, so that the practice, payers, clinicians and
    patients many claims share are one object each (the writer checks each object once), and
    the primaries' latest remittances read at once (`primary_remittances`)."""
    memo: dict[tuple[Any, ...], Any] = {} if shared is None else shared
    coverage, patient = claim.coverage, claim.patient
    secondary = claim.primary_claim_id is not None
    responsibility = (
        p837.PayerResponsibility.SECONDARY if secondary else p837.PayerResponsibility.PRIMARY
    )
    remittance = None
    if secondary:
        remittance = (
            _primary_remittance(claim)
            if remittances is None
            else remittances.get(claim.primary_claim_id)
        )
    referring = claim.referring_physician
    discipline = claim.episode.discipline
    return p837.Claim(
        patient_control_number=claim.patient_control_number,
        billing_provider=_once(
            memo, ("org", claim.organization_id), lambda: billing_provider(claim.organization)
        ),
        subscriber=_once(
            memo,
            ("subscriber", coverage.pk, responsibility),
            lambda: subscriber(coverage, patient, responsibility),
        ),
        payer=_once(memo, ("payer", coverage.payer_id), lambda: payer_facts(coverage.payer)),
        patient=_once(memo, ("patient", coverage.pk), lambda: _patient(coverage, patient)),
        place_of_service=claim.place_of_service,
        diagnoses=tuple(claim.diagnosis_codes),
        rendering_provider=_once(
            memo,
            ("clinician", claim.rendering_provider_id, discipline),
            lambda: clinician(claim.rendering_provider, discipline=discipline),
        ),
        referring_provider=_once(
            memo, ("referring", claim.referring_physician_id), lambda: _referring(referring)
        ),
        service_facility=_once(
            memo,
            ("facility", claim.organization_id, claim.episode.clinic_id),
            lambda: _facility(claim),
        ),
        frequency=p837.ClaimFrequency(claim.frequency),
        payer_claim_control_number=claim.payer_claim_number if claim.frequency != "1" else "",
        lines=_lines(claim, remittance, lines),
        other_payers=_other_payers(claim, remittance) if remittance else (),
    )


def _once(memo: dict[tuple[Any, ...], Any], key: tuple[Any, ...], make: Any) -> Any:
    if key not in memo:
        memo[key] = make()
    return memo[key]


def _referring(physician: Any) -> p837.Clinician | None:
    if physician is None:
        return None
    return p837.Clinician(
        name=p837.PersonName(last=_x12(physician.last_name), first=_x12(physician.first_name)),
        npi=physician.npi,
    )


def _remittances() -> QuerySet[RemittanceClaim]:
    return RemittanceClaim.objects.select_related("remittance").prefetch_related(
        "services__claim_line"
    )


def _primary_remittance(claim: Claim) -> RemittanceClaim | None:
    primary = claim.primary_claim
    assert primary is not None
    return _remittances().filter(claim=primary).order_by("-created_at").first()


def primary_remittances(claims: Sequence[Claim]) -> dict[uuid.UUID | None, RemittanceClaim]:
    """The latest remittance of each secondary claim's primary, by the primary's id, in three
    queries however many claims (none when no claim is a secondary)."""
    primaries = {claim.primary_claim_id for claim in claims if claim.primary_claim_id}
    latest: dict[uuid.UUID | None, RemittanceClaim] = {}
    if primaries:
        found = _remittances().filter(claim_id__in=primaries).order_by("claim_id", "-created_at")
        for remittance in found:
            latest.setdefault(remittance.claim_id, remittance)
    return latest


def _adjustments(raw: list[dict[str, Any]]) -> tuple[p837.Adjustment, ...]:
    return tuple(
        p837.Adjustment(
            group=p837.AdjustmentGroup(item["group"]),
            reason=str(item["reason"]),
            amount=Decimal(str(item["amount"])),
        )
        for item in raw
    )


def _adjudication_date(remittance: RemittanceClaim) -> dt.date:
    payment = remittance.remittance
    return payment.payment_date or timezone.localdate(payment.created_at)


def _lines(
    claim: Claim, remittance: RemittanceClaim | None, rows: Sequence[LineRow] | None
) -> tuple[p837.ServiceLine, ...]:
    """2400 lines; on a secondary claim each with the primary's 2430 for the same charge."""
    by_charge: dict[uuid.UUID | None, RemittanceService] = {}
    if remittance is not None:
        for remitted in remittance.services.all():
            if remitted.claim_line is not None and remitted.claim_line.charge_id is not None:
                by_charge[remitted.claim_line.charge_id] = remitted
    primary = claim.primary_claim if remittance else None
    payer_id = primary.coverage.payer.payer_id if primary is not None else ""
    lines = []
    for line in claim.lines.all() if rows is None else rows:
        service = by_charge.get(_charge(line)) if by_charge else None
        adjudications: tuple[p837.LineAdjudication, ...] = ()
        if service is not None and remittance is not None:
            adjudications = (
                p837.LineAdjudication(
                    payer_id=payer_id,
                    paid_amount=service.paid,
                    units=service.units,
                    adjudication_date=_adjudication_date(remittance),
                    adjustments=_adjustments(service.adjustments),
                ),
            )
        lines.append(
            p837.ServiceLine(
                procedure_code=line.code,
                charge=line.amount,
                units=line.units,
                diagnosis_pointers=tuple(line.diagnosis_pointers),
                service_date=line.date_of_service,
                modifiers=tuple(line.modifiers),
                adjudications=adjudications,
            )
        )
    return tuple(lines)


def _charge(line: LineRow | ClaimLine) -> uuid.UUID | None:
    """A line's charge id as a `UUID` (a `LineRow` holds it as text)."""
    charge = line.charge_id
    return uuid.UUID(charge) if isinstance(charge, str) else charge


def _other_payers(claim: Claim, remittance: RemittanceClaim) -> tuple[p837.OtherPayer, ...]:
    primary = claim.primary_claim
    assert primary is not None
    coverage = primary.coverage
    has_lines = bool(remittance.services.all())
    return (
        p837.OtherPayer(
            payer=payer_facts(coverage.payer),
            subscriber_name=_subscriber_name(coverage, claim.patient),
            member_id=coverage.member_id,
            responsibility=p837.PayerResponsibility.PRIMARY,
            filing_indicator=p837.ClaimFilingIndicator(coverage.payer.claim_filing_indicator),
            paid_amount=remittance.paid,
            relationship=RELATIONSHIPS[coverage.subscriber_relationship],
            group_number=coverage.group_number,
            claim_adjustments=_adjustments(remittance.adjustments),
            adjudication_date=None if has_lines else _adjudication_date(remittance),
        ),
    )


def envelope_for(org: Organization, payer: Payer, *, usage: p837.Usage) -> p837.Envelope:
    """The file's sender is the practice (its group NPI), its receiver the payer's id, unless
    the payer's clearinghouse settings give a submitter or receiver id."""
    sender, receiver = exchange_ids(org, payer)
    return p837.Envelope(
        sender=p837.InterchangeParty(qualifier="ZZ", identifier=sender),
        receiver=p837.InterchangeParty(qualifier="ZZ", identifier=receiver),
        application_sender=sender,
        application_receiver=receiver,
        submitter=p837.Submitter(
            name=_x12(org.name),
            identifier=sender,
            contact_name="BILLING OFFICE",
            phone=_digits(org.phone) or "0000000000",
        ),
        claims_receiver=p837.Receiver(name=_x12(payer.name), identifier=receiver),
        usage=usage,
    )


def control_number_rows(organization_id: uuid.UUID) -> dict[str, ControlNumber]:
    """The organization's control number rows, locked; created at 0 the first time (also the
    answer to `payers.hooks.control_number_rows`, for the 270 and 276 files)."""
    locked = ControlNumber.objects.select_for_update().filter(organization_id=organization_id)
    rows = {row.kind: row for row in locked}
    if len(rows) < len(COUNTERS):
        for kind in COUNTERS:
            ControlNumber.objects.get_or_create(organization_id=organization_id, kind=kind)
        rows = {row.kind: row for row in locked.all()}
    return rows


def _counters_saved(counters: dict[str, ControlNumber]) -> None:
    for counter in counters.values():
        ControlNumber.objects.filter(pk=counter.pk).update(
            last_value=counter.last_value, updated_at=timezone.now()
        )


def _write_file(
    *,
    org: Organization,
    payer: Payer,
    claims: list[Claim],
    lines: dict[uuid.UUID, list[LineRow]],
    remittances: dict[uuid.UUID | None, RemittanceClaim],
    counters: dict[str, ControlNumber],
    usage: p837.Usage,
    now: dt.datetime,
    shared: dict[tuple[Any, ...], Any],
) -> p837.WrittenInterchange:
    """One payer's interchange, numbered from `counters`, which it advances (unsaved)."""
    numbers = p837.ControlNumbers(
        interchange=counters["interchange"].last_value + 1,
        group=counters["group"].last_value + 1,
        transaction=counters["transaction"].last_value + 1,
    )
    try:
        written = p837.write_interchange(
            claims=[
                claim_facts(
                    claim, lines=lines.get(claim.pk, []), shared=shared, remittances=remittances
                )
                for claim in claims
            ],
            envelope=envelope_for(org, payer, usage=usage),
            numbers=numbers,
            created_at=now,
        )
    except p837.InvalidClaims as exc:
        raise ExportRefused(exc.problems) from exc
    following = written.next_numbers
    counters["interchange"].last_value = following.interchange - 1
    counters["group"].last_value = following.group - 1
    counters["transaction"].last_value = following.transaction - 1
    return written


@transaction.atomic
def claims_export(
    *,
    user: User,
    usage: p837.Usage = p837.Usage.PRODUCTION,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> list[ClaimBatch]:
    """Every ready claim of the user's organization, one 837P file per payer; the claims are
    marked submitted. Nothing is exported when the writer refuses any claim."""
    require(user, Capability.MANAGE_BILLING)
    now = now or timezone.now()
    ready = list(
        visible_claims(user)
        .filter(status=ClaimStatus.READY)
        .select_for_update(of=("self",))
        .select_related("patient", "coverage", "episode")
        .only(*EXPORT_COLUMNS)
        .order_by("created_at", "patient_control_number")
    )
    _attach_shared(ready)
    by_payer: dict[uuid.UUID, list[Claim]] = defaultdict(list)
    for claim in ready:
        by_payer[claim.coverage.payer_id].append(claim)
    if not by_payer:
        return []
    if progress is not None:
        progress.begin(
            total=sum(len(c) for c in by_payer.values()), step="Writing one 837P file per payer"
        )
    everything = [claim for claims in by_payer.values() for claim in claims]
    lines = line_rows([claim.pk for claim in everything])
    remittances = primary_remittances(everything)
    counters = control_number_rows(organization_id_of(user))
    shared: dict[tuple[Any, ...], Any] = {}  # facts many claims share, made once (claim_facts)
    batches = []
    for claims in by_payer.values():
        payer = claims[0].coverage.payer
        written = _write_file(
            org=claims[0].organization,
            payer=payer,
            claims=claims,
            lines=lines,
            remittances=remittances,
            counters=counters,
            usage=usage,
            now=now,
            shared=shared,
        )
        batch = _batch_saved(user=user, payer=payer, written=written)
        _mark_submitted(claims, batch=batch, now=now)
        batches.append(batch)
        if progress is not None:
            progress.advance(len(claims))
    _counters_saved(counters)
    return batches


def _attach_shared(claims: list[Claim]) -> None:
    """The practice, payers, clinics, clinicians, referring physicians and primary claims of
    `claims`, read once each (one query per kind, none for a kind no claim has) and attached to
    the claims, as `select_related` would but without a copy per claim."""
    primaries = (
        Claim.objects.select_related("coverage")
        .only("coverage", *(f"coverage__{name}" for name in _COVERAGE))
        .in_bulk({claim.primary_claim_id for claim in claims if claim.primary_claim_id})
    )
    coverages = [claim.coverage for claim in claims]
    coverages += [primary.coverage for primary in primaries.values()]
    payers = Payer.objects.only(*_PAYER).in_bulk({coverage.payer_id for coverage in coverages})
    for coverage in coverages:
        _attach(coverage, "payer", payers)
    attached = (
        ("organization", Organization.objects.only(*_ORGANIZATION)),
        (
            "rendering_provider",
            StaffProfile.objects.select_related("user").only(
                "npi", "user", *(f"user__{name}" for name in _PERSON)
            ),
        ),
        ("referring_physician", ReferringPhysician.objects.only(*_PERSON, "npi")),
    )
    for name, rows in attached:
        found = rows.in_bulk({getattr(claim, f"{name}_id") for claim in claims} - {None})
        for claim in claims:
            _attach(claim, name, found)
    for claim in claims:
        _attach(claim, "primary_claim", primaries)
    clinics = Clinic.objects.only("name", "npi", *_PLACE).in_bulk(
        {claim.episode.clinic_id for claim in claims}
    )
    for claim in claims:
        _attach(claim.episode, "clinic", clinics)


def _attach(instance: Any, name: str, found: dict[Any, Any]) -> None:
    """Set `instance.<name>` to its row in `found` (or None) without a query."""
    field = instance._meta.get_field(name)
    field.set_cached_value(instance, found.get(getattr(instance, field.attname)))


def _mark_submitted(claims: list[Claim], *, batch: ClaimBatch, now: dt.datetime) -> None:
    """The file's claims are submitted in it: one UPDATE per thousand claims, and one more for
    those sent for the first time (the day of first submission is kept on resubmission)."""
    ids = [claim.pk for claim in claims]
    today = timezone.localdate(now)
    for start in range(0, len(ids), 1000):
        chunk = Claim.objects.filter(pk__in=ids[start : start + 1000])
        chunk.update(
            status=ClaimStatus.SUBMITTED, submitted_at=now, batch=batch, updated_at=timezone.now()
        )
        chunk.filter(first_submitted_on__isnull=True).update(first_submitted_on=today)
    for claim in claims:
        claim.status, claim.submitted_at, claim.batch = ClaimStatus.SUBMITTED, now, batch
        claim.first_submitted_on = claim.first_submitted_on or today


def _batch_saved(*, user: User, payer: Payer, written: p837.WrittenInterchange) -> ClaimBatch:
    """The batch row and its 837P file, written to the file storage (shared by every server)."""
    data = written.text.encode("ascii")
    batch = ClaimBatch(
        organization_id=organization_id_of(user),
        payer=payer,
        interchange_control_number=written.interchange,
        group_control_number=written.group,
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=user,
    )
    batch.file.save(batch_filename(batch), ContentFile(data), save=False)
    batch.save()
    return batch


def batch_filename(batch: ClaimBatch) -> str:
    """`837P-<ISA13>-<payer id>.x12`: unique per organization, sorted by export."""
    payer_id = re.sub(r"[^A-Za-z0-9]", "", batch.payer.payer_id) or "payer"
    return f"837P-{batch.interchange_control_number:09d}-{payer_id}.x12"

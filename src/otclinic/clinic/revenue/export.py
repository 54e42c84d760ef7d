"""The export of every ready claim to 837P files (the claims' facts: `export_facts`).

One file per payer: each is its own interchange (ISA/GS/ST...), recorded as a `ClaimBatch`
row, so that a payer's rejected file never holds up another's. Control numbers come from the
organization's `ControlNumber` rows, locked with SELECT ... FOR UPDATE and advanced in the same
transaction that records the files and marks the claims submitted: never reused, even across
concurrent exports.
"""

import datetime as dt
import hashlib
import re
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.common.progress import Progress
from otclinic.clinic.organizations.models import Clinic, Organization
from otclinic.clinic.payers.models import Payer
from otclinic.clinic.referrals.models import ReferringPhysician
from otclinic.clinic.revenue.access import visible_claims
from otclinic.clinic.revenue.export_facts import (
    LineRow,
    claim_facts,
    line_rows,
    primary_remittances,
)
from otclinic.clinic.revenue.export_parties import envelope_for
from otclinic.clinic.revenue.models import (
    Claim,
    ClaimBatch,
    ClaimStatus,
    ControlNumber,
    RemittanceClaim,
)
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.claims.x12 import p837

COUNTERS = ("interchange", "group", "transaction")
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

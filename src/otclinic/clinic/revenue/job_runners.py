"""The billing run's jobs: what each kind runs and how it uses transactions.

| kind | transactions | run twice |
|---|---|---|
| charges | one per batch of 200 notes (`charges.BATCH_NOTES`) | a note with charges is skipped |
| assemble | the whole job (`claims_assemble`) | only unbilled charges are taken |
| scrub | keeps each claim's results at the end | the same problems are kept again |
| export | the whole job (`claims_export`) | only ready claims are exported |
| era_import | the whole file (`era_import`) | a posted payment posts nothing |
| statements | one per patient (`statement_create`) | a patient with today's statement is skipped |

A job stopped halfway keeps the units it finished (each whole) or, for the one-transaction
kinds, nothing at all; starting it again finishes the rest.
"""

from decimal import Decimal
from typing import Any

from django.utils import timezone

from otclinic.clinic.jobs.kinds import JobProblems, kind_register, link
from otclinic.clinic.jobs.models import JobKind, JobRun
from otclinic.clinic.jobs.progress import JobProgress, error_entry
from otclinic.clinic.revenue import selectors_remittance as selectors
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from otclinic.clinic.revenue.claim_assembly import claims_assemble
from otclinic.clinic.revenue.export import ExportRefused, claims_export
from otclinic.clinic.revenue.models import PatientStatement
from otclinic.clinic.revenue.posting import EraImportError, era_import
from otclinic.clinic.revenue.scrubber import claims_scrub
from otclinic.clinic.revenue.statements import statement_create
from otclinic.domain.access import Capability


def run_charges(*, job: JobRun, user: Any, progress: JobProgress) -> dict[str, Any]:
    run = charges_create_for_signed_notes(user=user, progress=progress)
    return {
        "summary": f"{run.charges_created} charge(s) created from {run.notes_billed} signed "
        f"note(s)." + (f" {len(run.skipped)} note(s) left aside." if run.skipped else ""),
        "counts": {"notes_billed": run.notes_billed, "charges_created": run.charges_created},
        "links": [link("Back to the claims", "claims-list")],
    }


def run_assemble(*, job: JobRun, user: Any, progress: JobProgress) -> dict[str, Any]:
    made = claims_assemble(user=user, progress=progress)
    return {
        "summary": f"{len(made)} draft claim(s) assembled from unbilled charges.",
        "counts": {"claims": len(made)},
        "links": [link("Draft claims", "claims-list")]
        + [link(f"Claim {c.patient_control_number}", "claim-detail", c.pk) for c in made[:20]],
    }


def run_scrub(*, job: JobRun, user: Any, progress: JobProgress) -> dict[str, Any]:
    run = claims_scrub(user=user, progress=progress)
    clean = len(run.clean)
    return {
        "summary": f"{run.scrubbed} draft claim(s) scrubbed: {clean} without errors, "
        f"{run.scrubbed - clean} to correct.",
        "counts": {"scrubbed": run.scrubbed, "clean": clean},
        "links": [link("Draft claims", "claims-list")],
    }


def run_export(*, job: JobRun, user: Any, progress: JobProgress) -> dict[str, Any]:
    try:
        batches = claims_export(user=user, progress=progress)
    except ExportRefused as exc:
        errors = [error_entry(message=str(p)) for p in exc.problems]
        raise JobProblems("The export was refused; nothing was sent.", errors) from None
    claims = sum(b.claims.count() for b in batches)
    return {
        "summary": f"{len(batches)} 837P file(s) written with {claims} claim(s)."
        if batches
        else "No claims are ready: nothing was exported.",
        "counts": {"files": len(batches), "claims": claims},
        "links": [link(f"Download 837P for {b.payer.name}", "claims-batch", b.pk) for b in batches]
        + [link("Back to the claims", "claims-list")],
    }


def run_era_import(*, job: JobRun, user: Any, progress: JobProgress) -> dict[str, Any]:
    filename = str(job.params.get("filename", "remittance.835"))
    try:
        report = era_import(
            user=user, raw=bytes(job.payload or b""), filename=filename, progress=progress
        )
    except EraImportError as exc:
        raise JobProblems(
            "The file could not be read; nothing was posted.", [error_entry(message=str(exc))]
        ) from None
    summary = (
        f"Posted {len(report.posted)} claim(s) from {len(report.remittances)} payment(s), "
        f"{report.entries} ledger entries."
        if report.remittances
        else "Nothing posted."
    )
    details = [
        *report.already_imported,
        *(f"Not matched: {rc.patient_control_number}, paid {rc.paid}" for rc in report.unmatched),
        *(f"Denial {d.group_code}-{d.reason_code} {d.amount}" for d in report.denials),
        *(f"Warning: {w}" for w in report.warnings),
    ]
    posted = [
        [
            rc.patient_control_number,
            rc.status_code,
            str(rc.charge),
            str(rc.paid),
            str(rc.patient_responsibility or "0.00"),
        ]
        for rc in report.posted
    ]
    return {
        "summary": f"Result for {filename}: {summary}",
        "details": details,
        "table": {
            "caption": "Claims posted",
            "columns": ["Claim", "Status", "Charge", "Paid", "Patient owes"],
            "rows": posted,
        }
        if posted
        else None,
        "counts": {
            "payments": len(report.remittances),
            "posted": len(report.posted),
            "unmatched": len(report.unmatched),
            "denials": len(report.denials),
        },
        "links": [
            *(
                [link(f"The 835 file as received ({filename})", "remittance-file", kept.pk)]
                if (kept := next((r for r in report.remittances if r.file), None))
                else []
            ),
            link("Denials to work", "denial-queue"),
            link("Unmatched payments", "era-unmatched"),
        ],
    }


def run_statements(*, job: JobRun, user: Any, progress: JobProgress) -> dict[str, Any]:
    today = timezone.localdate()
    owing = list(selectors.balances_by_patient(user=user).filter(balance__gt=Decimal(0)))
    progress.begin(total=len(owing), step="Drawing patient statements")
    made = []
    for patient in owing:
        already = PatientStatement.objects.filter(patient=patient, statement_date=today).exists()
        if not already:
            made.append(statement_create(user=user, patient=patient))
        progress.advance()
    return {
        "summary": f"{len(made)} statement(s) drawn for {today.isoformat()}; "
        f"{len(owing) - len(made)} patient(s) already had today's.",
        "counts": {"statements": len(made)},
        "links": [
            link(
                f"Statement: {s.patient.last_name}, {s.patient.first_name}",
                "patient-statement-pdf",
                s.pk,
            )
            for s in made[:50]
        ]
        + [link("Patient balances", "patient-balances")],
    }


def register() -> None:
    """Register the billing run's kinds with the jobs app (`RevenueConfig.ready`)."""
    for kind, run in (
        (JobKind.CHARGES, run_charges),
        (JobKind.ASSEMBLE, run_assemble),
        (JobKind.SCRUB, run_scrub),
        (JobKind.EXPORT, run_export),
        (JobKind.ERA_IMPORT, run_era_import),
        (JobKind.STATEMENTS, run_statements),
    ):
        kind_register(kind, capability=Capability.MANAGE_BILLING, run=run)

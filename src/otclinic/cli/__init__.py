"""The `otclinic` command.

Sub-commands that need no database (the billing and episode checks, the ERA reader) import no
Django at all, so that they start fast and run anywhere; the rest set up Django on first use.
`otclinic era read` does not even import click (`cli.era_read`): it is run on files of tens of
thousands of claims, where start-up counts.
"""

import sys
from typing import Any

# Each group lives in its own module and is imported only when it is invoked.
_LAZY_GROUPS: dict[str, tuple[str, str, str]] = {
    "billing": ("otclinic.cli.billing", "billing", "Check a visit's billing (no database)."),
    "episode": (
        "otclinic.cli.episode",
        "episode",
        "Check an episode's documentation (no database).",
    ),
    "era": ("otclinic.cli.era", "era", "Read an ERA (X12 835) as JSON, or import and post it."),
    "x12": (
        "otclinic.cli.x12",
        "x12",
        "Read clearinghouse files (999, 277CA, 277, 271, 835); write 270 and 276 inquiries.",
    ),
    "claims": ("otclinic.cli.claims", "claims", "Export ready claims as 837P files."),
    "clearinghouse": (
        "otclinic.cli.clearinghouse",
        "clearinghouse",
        "Send the outbox, fetch and import answers, ask about unanswered claims (276).",
    ),
    "rules": (
        "otclinic.cli.rules",
        "rules",
        "List every rule with its dates and citation; import CMS's NCCI files (no database).",
    ),
    "audit": ("otclinic.cli.clinic", "audit", "Verify the audit trail."),
    "demo": ("otclinic.cli.clinic", "demo", "Seed the demo clinic and print its logins."),
    "staff": ("otclinic.cli.staff", "staff", "Email credential expiry alerts."),
    "api-token": (
        "otclinic.cli.api_token",
        "api_token",
        "Make, list and revoke a user's API tokens.",
    ),
    "fhir-client": (
        "otclinic.cli.fhir_client",
        "fhir_client",
        "Register, list and revoke an organization's SMART on FHIR apps.",
    ),
    "supervision": (
        "otclinic.cli.supervision",
        "supervision",
        "Recompute every OTA's stored supervision status.",
    ),
    "note": (
        "otclinic.cli.note",
        "note",
        "Read clinician shorthand into a note's facts as JSON (no database).",
    ),
    "care": ("otclinic.cli.care", "care", "Send the day's physician certification reminders."),
    "schedule": (
        "otclinic.cli.schedule",
        "schedule",
        "Send appointment reminders; recompute progress-report visits.",
    ),
}
_LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "migrate": ("otclinic.cli.clinic", "migrate", "Create or update the database tables."),
    "serve": ("otclinic.cli.clinic", "serve", "Serve the web app."),
    "manage": ("otclinic.cli.clinic", "manage", "Run a Django management command."),
    "worker": ("otclinic.cli.worker", "worker", "Run the background jobs (and the periodic ones)."),
}


def __getattr__(name: str) -> Any:
    # `from otclinic.cli import cli`: the click application, imported when first asked for.
    if name == "cli":
        from otclinic.cli.app import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    if sys.argv[1:3] == ["era", "read"]:
        from otclinic.cli.era_read import run_and_exit

        run_and_exit(sys.argv[3:])  # returns only when click is to handle the arguments
    from otclinic.cli.app import cli

    cli()

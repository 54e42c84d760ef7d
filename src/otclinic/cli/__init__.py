"""The `otclinic` command.

Sub-commands that need no database (the billing and episode checks, the ERA reader) import no
Django at all, so that they start fast and run anywhere; the rest set up Django on first use.
"""

import importlib

import click

# Each group lives in its own module and is imported only when it is invoked.
_LAZY_GROUPS: dict[str, tuple[str, str, str]] = {
    "billing": ("otclinic.cli.billing", "billing", "Check a visit's billing (no database)."),
    "episode": (
        "otclinic.cli.episode",
        "episode",
        "Check an episode's documentation (no database).",
    ),
    "era": ("otclinic.cli.era", "era", "Read an ERA (X12 835) as JSON, or import and post it."),
    "claims": ("otclinic.cli.claims", "claims", "Export ready claims as 837P files."),
    "rules": (
        "otclinic.cli.rules",
        "rules",
        "List every rule with its dates and citation; import CMS's NCCI files (no database).",
    ),
    "audit": ("otclinic.cli.clinic", "audit", "Verify the audit trail."),
    "demo": ("otclinic.cli.clinic", "demo", "Seed the demo clinic and print its logins."),
    "staff": ("otclinic.cli.staff", "staff", "Email credential expiry alerts."),
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


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported only when used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*_LAZY_GROUPS, *_LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = _LAZY_GROUPS.get(cmd_name) or _LAZY_COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module = importlib.import_module(spec[0])
        command: click.Command = getattr(module, spec[1])
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            (name, spec[2]) for name, spec in sorted({**_LAZY_GROUPS, **_LAZY_COMMANDS}.items())
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.command(cls=LazyGroup)
def cli() -> None:
    """otclinic: run an occupational therapy practice."""


def main() -> None:
    cli()

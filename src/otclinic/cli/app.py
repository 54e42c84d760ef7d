"""The `otclinic` click application: its sub-command groups are imported only when invoked."""

import importlib

import click

from otclinic.cli import _LAZY_COMMANDS, _LAZY_GROUPS


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

"""`otclinic claims export`: every ready claim to 837P files (sets up Django on first use).

Files: one per payer, each its own interchange. With one payer the file is written to
`--output FILE` itself; with several, each payer's file gets the payer id and the interchange
control number before the suffix: `claims.837` becomes `claims.15202.000000012.837`,
`claims.LHP77.000000013.837`. The command prints one line per file written.
"""

from pathlib import Path

import click

from otclinic.cli.clinic import setup_django


@click.group()
def claims() -> None:
    """Claims: export ready claims to the payers."""


def _paths(output: Path, names: list[tuple[str, int]]) -> list[Path]:
    if len(names) == 1:
        return [output]
    return [
        output.with_name(f"{output.stem}.{payer_id}.{number:09d}{output.suffix}")
        for payer_id, number in names
    ]


@claims.command("export")
@click.option("--format", "format_", type=click.Choice(["837p"]), required=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--organization", "slug", help="The organization's slug (needed when there are several)."
)
@click.option(
    "--user", "username", help="Who exports (a biller or clinic admin; default: the first)."
)
@click.option(
    "--test", "test_usage", is_flag=True, help="Mark the interchanges as test data (ISA15 T)."
)
def export(
    format_: str, output: Path, slug: str | None, username: str | None, test_usage: bool
) -> None:
    """Export every ready claim as 837P 005010X222A1 and mark the claims submitted."""
    setup_django()
    from otclinic.clinic.revenue.export import ExportRefused, claims_export
    from otclinic.clinic.revenue.selectors import exporting_user
    from otclinic.domain.claims.x12.p837 import Usage

    try:
        user = exporting_user(slug=slug, username=username)
    except LookupError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        batches = claims_export(user=user, usage=Usage.TEST if test_usage else Usage.PRODUCTION)
    except ExportRefused as exc:
        for problem in exc.problems:
            click.echo(f"{problem.field}: {problem.message}", err=True)
        raise SystemExit(1) from exc
    if not batches:
        click.echo("No claims are ready: nothing was exported.")
        return
    paths = _paths(output, [(b.payer.payer_id, b.interchange_control_number) for b in batches])
    for batch, path in zip(batches, paths, strict=True):
        path.write_text(batch.read_text(), encoding="ascii")
        click.echo(
            f"{path}: {batch.claims.count()} claim(s) to {batch.payer.payer_id}, ISA13 {batch.interchange_control_number:09d}"
        )

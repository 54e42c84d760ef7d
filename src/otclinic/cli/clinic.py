"""Commands that work on the clinic's database: they set up Django on first use."""

import os
import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from otclinic.clinic.accounts.models import User


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otclinic.config.settings")
    import django

    django.setup()


def active_user(username: str, *, option: str) -> "User":
    """The active user a command names with `option` (such as `--user`); a usage error naming
    the option when there is none."""
    from otclinic.clinic.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise click.BadParameter(f"no active user {username!r}", param_hint=option)
    return user


def _call(*args: str) -> None:
    setup_django()
    from django.core.management import call_command

    call_command(*args)


@click.command()
def migrate() -> None:
    """Create or update the database tables."""
    from otclinic.config.settings import BASE_DIR

    (BASE_DIR / "var").mkdir(exist_ok=True)
    _call("migrate", "--no-input", "--verbosity", "1")


@click.command()
@click.option(
    "--addr",
    default=None,
    help="host:port to listen on [default: WEB_BIND, else 127.0.0.1:8000]",
)
@click.option(
    "--collectstatic/--no-collectstatic",
    default=True,
    show_default=True,
    help="With DEBUG off, first collect the static files into STATIC_ROOT.",
)
def serve(addr: str | None, collectstatic: bool) -> None:
    """Serve the web app: gunicorn with DEBUG off (production), Django's development server
    with DEBUG=1."""
    setup_django()
    from django.conf import settings

    if settings.DEBUG:
        _call("runserver", addr or str(settings.WEB_SERVER["bind"]), "--noreload")
        return
    if collectstatic:
        _call("collectstatic", "--no-input", "--verbosity", "0")
    from otclinic.config.server import serve_production

    serve_production(bind=addr)


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `otclinic manage createsuperuser`."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["otclinic manage", *args])


@click.group()
def audit() -> None:
    """The audit trail."""


@audit.command("verify")
def audit_verify() -> None:
    """Recompute every chain, check the checkpoints and every signature's hash; exit 1 and name
    the first broken entry (or each changed signed document) if anything was tampered with."""
    setup_django()
    from otclinic.clinic.audit.services import audit_verify as verify

    report = verify()
    if report.ok:
        click.echo(
            f"audit trail intact: {report.entries} entries verified in {report.chains} chain(s) "
            f"({report.reads} reads, {report.unsealed} not sealed yet), "
            f"{report.checkpoints} checkpoint(s) found in them, {report.signatures} signature(s) "
            "match their documents"
        )
        return
    if report.signatures:
        # The chains held; what failed is the comparison of signed documents with their hashes.
        click.echo(
            f"audit trail BROKEN: the {report.entries} entries verify, but signed documents were "
            f"changed after signing ({len(report.problems)} listed):",
            err=True,
        )
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
    else:
        click.echo(f"audit trail BROKEN after {report.entries} entries: {report.problem}", err=True)
    sys.exit(1)


@audit.command("checkpoint")
def audit_checkpoint() -> None:
    """Write a signed checkpoint of every chain (length and last hash) to AUDIT_CHECKPOINT_DIR,
    outside the database; verify checks that each chain still holds it."""
    setup_django()
    from otclinic.clinic.audit.checkpoints import checkpoint_write

    click.echo(f"checkpoint written: {checkpoint_write()}")


@audit.command("seal")
def audit_seal() -> None:
    """Seal the reads of patient data written outside the chain (more than a minute ago) into
    their organizations' chains; the `audit-seal-reads` job does it every five minutes."""
    setup_django()
    from otclinic.clinic.audit.seals import seal_reads

    click.echo(f"reads sealed: {seal_reads()}")


@click.group()
def demo() -> None:
    """The synthetic demo clinic."""


@demo.command("seed")
@click.option(
    "--scale",
    default=1,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Multiply patients and visits (1 = about 150 patients, 3 months of visits).",
)
@click.option("--seed", "random_seed", default=2026, show_default=True, help="Random seed.")
@click.option(
    "--background",
    is_flag=True,
    help="Queue the seed for `otclinic worker` instead of running it here (large scales).",
)
def demo_seed(scale: int, random_seed: int, background: bool) -> None:
    """Create the demo clinic; run again on a later day, it only books that day."""
    setup_django()
    if background:
        from otclinic.clinic.demo.tasks import seed_demo_clinic

        queued = seed_demo_clinic.enqueue(scale, random_seed)
        click.echo(f"demo seed queued as task {queued.id}: `otclinic worker` runs it")
        return
    from otclinic.clinic.demo.seed import seed_demo

    result = seed_demo(scale=scale, random_seed=random_seed, progress=_EchoProgress())
    click.echo(result.summary())


class _EchoProgress:
    """The seed's stages on standard error, as it goes (`common.progress.Progress`)."""

    def begin(self, *, total: int | None, step: str) -> None:
        click.echo(f"  {step}...", err=True)

    def advance(self, count: int = 1, *, step: str | None = None) -> None:
        if step:
            click.echo(f"  {step}...", err=True)

    def problem(self, *, message: str, **where: Any) -> None:
        click.echo(f"  {message}", err=True)


@demo.command("logins")
def demo_logins() -> None:
    """Print one demo login per role."""
    setup_django()
    from otclinic.clinic.demo.seed import demo_logins as logins

    click.echo("Demo logins (synthetic data only), at http://127.0.0.1:8000/login/ :")
    for role, username, password in logins():
        click.echo(f"  {role:<32} {username:<22} {password}")
    click.echo(
        "The demo clinic asks no one for a second factor. To try it, sign in as the clinic "
        "admin, open Sign-in policy and tick the roles that must use an authenticator app; "
        "their next sign-in enrols one."
    )

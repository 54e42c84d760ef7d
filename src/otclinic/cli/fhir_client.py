"""`otclinic fhir-client`: register, list and revoke an organization's SMART on FHIR apps from
the server's shell (the same services as the admin's page, acting as the admin named)."""

import uuid
from pathlib import Path

import click

from otclinic.cli.clinic import active_user, setup_django


@click.group("fhir-client")
def fhir_client() -> None:
    """SMART on FHIR apps and backend services (docs/smart.md)."""


@fhir_client.command("register")
@click.option("--admin", "username", required=True, help="The clinic admin registering it.")
@click.option("--name", required=True, help="The app's name, as people see it.")
@click.option("--kind", type=click.Choice(["app", "backend"]), required=True)
@click.option("--scope", "scopes", multiple=True, required=True, help="Repeat: patient/*.rs ...")
@click.option("--redirect-uri", "redirect_uris", multiple=True, help="An app's redirect URIs.")
@click.option(
    "--jwks",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A backend service's public keys: a file holding a JWK Set.",
)
def fhir_client_register(
    username: str,
    name: str,
    kind: str,
    scopes: tuple[str, ...],
    redirect_uris: tuple[str, ...],
    jwks: Path | None,
) -> None:
    """Register a client and print its client_id."""
    setup_django()
    from django.core.exceptions import PermissionDenied

    from otclinic.clinic.audit.context import acting_as, actor_for_user
    from otclinic.clinic.common.errors import ValidationFailed
    from otclinic.clinic.smart import services

    admin = active_user(username, option="--admin")
    try:
        with acting_as(actor_for_user(admin)):
            client = services.client_register(
                user=admin,
                kind=kind,
                name=name,
                scopes=scopes,
                redirect_uris=" ".join(redirect_uris),
                jwks=jwks.read_text() if jwks else None,
            )
    except (ValidationFailed, PermissionDenied) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{client.pk} {client.name} ({client.kind}) {' '.join(client.scopes)}")
    click.echo(client.application.client_id)


@fhir_client.command("list")
@click.option("--admin", "username", required=True)
def fhir_client_list(username: str) -> None:
    """The organization's clients: id, client_id, name, kind, scopes, state."""
    setup_django()
    from otclinic.clinic.accounts.permissions import organization_id_of
    from otclinic.clinic.smart import selectors

    admin = active_user(username, option="--admin")
    for client in selectors.clients_for_org(organization_id_of(admin)):
        state = f"revoked {client.revoked_at:%Y-%m-%d}" if client.revoked_at else "active"
        click.echo(
            f"{client.pk} {client.application.client_id} {client.name} ({client.kind}) "
            f"{' '.join(client.scopes)} {state}"
        )


@fhir_client.command("revoke")
@click.option("--admin", "username", required=True)
@click.argument("client_id", type=click.UUID)
def fhir_client_revoke(username: str, client_id: uuid.UUID) -> None:
    """Revoke a client: its tokens stop working at once."""
    setup_django()
    from otclinic.clinic.audit.context import acting_as, actor_for_user
    from otclinic.clinic.smart import services
    from otclinic.clinic.smart.models import SmartClient

    admin = active_user(username, option="--admin")
    try:
        with acting_as(actor_for_user(admin)):
            client = services.client_revoke(user=admin, client_id=client_id)
    except SmartClient.DoesNotExist:
        raise click.BadParameter(
            "not a client of this organization", param_hint="CLIENT_ID"
        ) from None
    click.echo(f"revoked {client.pk} {client.name}")

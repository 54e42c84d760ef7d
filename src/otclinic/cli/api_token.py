"""`otclinic api-token`: make, list and revoke a user's API tokens from the server's shell
(the same service as the user's page; the token is printed once)."""

import uuid

import click

from otclinic.cli.clinic import active_user, setup_django


@click.group("api-token")
def api_token() -> None:
    """A user's API tokens."""


@api_token.command("create")
@click.option("--user", "username", required=True, help="The username the token acts as.")
@click.option("--name", required=True, help="The program that will use it.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    default=["read"],
    show_default=True,
    type=click.Choice(["read", "write"]),
    help="What it may do (repeat for both).",
)
@click.option("--days", default=90, show_default=True, type=click.Choice(["30", "90", "365"]))
def api_token_create(username: str, name: str, scopes: tuple[str, ...], days: str) -> None:
    """Make a token and print it (once: only its digest is kept)."""
    setup_django()
    from otclinic.clinic.accounts import api_tokens
    from otclinic.clinic.audit.context import acting_as, actor_for_user
    from otclinic.clinic.common.errors import ValidationFailed

    user = active_user(username, option="--user")
    try:
        with acting_as(actor_for_user(user)):
            token, secret = api_tokens.token_create(
                user=user,
                name=name,
                scopes=scopes,
                lifetime_days=int(days),
            )
    except ValidationFailed as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(
        f"{token.pk} {token.name} ({', '.join(token.scopes)}), expires {token.expires_at:%Y-%m-%d}"
    )
    click.echo(secret)


@api_token.command("list")
@click.option("--user", "username", required=True)
def api_token_list(username: str) -> None:
    """The user's tokens: id, first characters, name, scopes, state."""
    setup_django()
    from otclinic.clinic.accounts import api_tokens

    for token in api_tokens.tokens_for_user(user=active_user(username, option="--user")):
        state = "revoked" if token.revoked_at else f"expires {token.expires_at:%Y-%m-%d}"
        click.echo(f"{token.pk} {token.prefix}… {token.name} ({', '.join(token.scopes)}) {state}")


@api_token.command("revoke")
@click.option("--user", "username", required=True)
@click.argument("token_id", type=click.UUID)
def api_token_revoke(username: str, token_id: uuid.UUID) -> None:
    """Revoke one of the user's tokens, at once."""
    setup_django()
    from otclinic.clinic.accounts import api_tokens
    from otclinic.clinic.accounts.models import ApiToken
    from otclinic.clinic.audit.context import acting_as, actor_for_user

    user = active_user(username, option="--user")
    try:
        with acting_as(actor_for_user(user)):
            token = api_tokens.token_revoke(user=user, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise click.BadParameter("not one of this user's tokens", param_hint="TOKEN_ID") from None
    click.echo(f"revoked {token.pk} {token.name}")

"""Background jobs of the accounts: the password-reset e-mail leaves the request, so that the
answer to the form takes the same time whether or not the address belongs to an account."""

from django_tasks import task


@task()
def send_password_reset(email: str) -> None:
    """E-mail a reset link to each active account with this address (none: nothing is sent)."""
    from otclinic.clinic.accounts.password_reset import reset_links_send

    reset_links_send(email=email)

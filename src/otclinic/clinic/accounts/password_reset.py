"""Password reset that never says whether an account exists.

The form is answered the same way, in the same time, for any address: the request only queues
a job (accounts.tasks.send_password_reset), and the job looks the address up and sends the
link to the accounts that have it. The link carries Django's password-reset token, which stops
working once the password changes, after PASSWORD_RESET_TIMEOUT, or at the next sign-in. The
email itself goes out like every other (`mail.email_send`), so a failing mail server is tried
again rather than the failure being dropped.
"""

from otclinic.clinic.accounts.tasks import send_password_reset


def reset_request(*, email: str) -> None:
    """Queue the reset e-mail for whoever has this address."""
    send_password_reset.enqueue(email.strip().lower())

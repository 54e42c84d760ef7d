"""Password reset that never says whether an account exists.

The form is answered the same way, in the same time, for any address: the request only queues
a job (accounts.tasks.send_password_reset), and the job looks the address up and sends the link
to the accounts that have it. The link carries Django's password-reset token, which stops
working once the password changes, after PASSWORD_RESET_TIMEOUT, or at the next sign-in. The
email itself goes out like every other (`mail.email_send`), so a failing mail server is tried
again rather than the failure being dropped.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from otclinic.clinic.accounts.mail import email_send
from otclinic.clinic.accounts.tasks import send_password_reset


class _ResetForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        user = context["user"]
        email_send(to=[to_email], subject=subject, body=body, organization_id=user.organization_id)


def reset_request(*, email: str) -> None:
    """Queue the reset e-mail for whoever has this address."""
    send_password_reset.enqueue(email.strip().lower())


def reset_links_send(*, email: str) -> None:
    form = _ResetForm({"email": email})
    if not form.is_valid():
        return
    form.save(
        subject_template_name="accounts/password_reset_subject.txt",
        email_template_name="accounts/password_reset_email.txt",
        from_email=settings.DEFAULT_FROM_EMAIL,
        extra_email_context={"site_url": settings.SITE_URL.rstrip("/")},
        domain_override="otclinic",
    )

"""Background jobs of the accounts: the password-reset e-mail leaves the request, so that the
answer to the form takes the same time whether or not the address belongs to an account."""

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django_tasks import task

from otclinic.clinic.accounts.mail import email_send


class _ResetForm(PasswordResetForm):
    """Django's reset form, whose e-mail goes out like every other (`mail.email_send`), so a
    failing mail server is tried again rather than the failure being dropped."""

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


@task()
def send_password_reset(email: str) -> None:
    """E-mail a reset link to each active account with this address (none: nothing is sent)."""
    reset_links_send(email=email)


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

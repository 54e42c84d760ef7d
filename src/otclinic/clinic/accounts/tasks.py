"""Background jobs of the accounts: the password-reset e-mail leaves the request, so that the
answer to the form takes the same time whether or not the address belongs to an account."""

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django_tasks import task


@task()
def send_password_reset(email: str) -> None:
    """E-mail a reset link to each active account with this address (none: nothing is sent)."""
    reset_links_send(email=email)


def reset_links_send(*, email: str) -> None:
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    form.save(
        subject_template_name="accounts/password_reset_subject.txt",
        email_template_name="accounts/password_reset_email.txt",
        from_email=settings.DEFAULT_FROM_EMAIL,
        extra_email_context={"site_url": settings.SITE_URL.rstrip("/")},
        domain_override="otclinic",
    )

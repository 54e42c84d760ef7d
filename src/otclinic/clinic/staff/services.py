"""Writes about staff: credential expiry alerts, sent once per credential per window.

Alerts go by email (Django's mail backend) to the clinician and the organization's clinic
admins; the home page lists the same credentials. Certificates, CE and licenses entered on
the staff pages are written in `services_records.py`.
"""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.staff.models import CredentialAlert
from otclinic.clinic.staff.selectors import (
    ExpiringCredential,
    clinician_profiles,
    expiring_credentials,
)
from otclinic.domain.codes import Role
from otclinic.domain.compliance.credentials import CredentialKind, alert_window, alert_windows

log = logging.getLogger(__name__)
_LAPSE_BLOCKS = (
    "After that date otclinic refuses their notes, co-signatures, bookings and claims "
    "(a lapsed credential is denied as CARC B7). Record the renewal on the staff profile."
)


@transaction.atomic
def credential_alerts_send(*, today: dt.date) -> list[CredentialAlert]:
    """Email each clinician and their clinic admins about credentials entering an alert window.

    A credential 45 days from expiry is in the 60-day window, 20 days in the 30-day one, and so
    on; each (credential, expiry, window) is alerted once, however often this runs.
    """
    widest = max(alert_windows(today), default=-1)
    sent = []
    for credential in expiring_credentials(
        profiles=clinician_profiles(), today=today, within=widest
    ):
        window = alert_window(expires_on=credential.expires_on, today=today)
        if window is not None and (alert := _record(credential, window)) is not None:
            _email(credential, window)
            sent.append(alert)
    return sent


def _record(credential: ExpiringCredential, window: int) -> CredentialAlert | None:
    """The new alert row, or None when this window was already alerted."""
    alert, created = CredentialAlert.objects.get_or_create(
        kind=str(credential.kind),
        credential_id=credential.credential_id,
        expires_on=credential.expires_on,
        window_days=window,
        defaults={
            "organization_id": credential.staff.organization_id,
            "staff": credential.staff,
            "sent_at": timezone.now(),
        },
    )
    return alert if created else None


def _email(credential: ExpiringCredential, window: int) -> None:
    staff = credential.staff
    recipients = [staff.user.email, *_admin_emails(staff.organization_id)]
    recipients = sorted({r for r in recipients if r})
    subject = f"Credential expires in {credential.days_left} days: {credential.label}"
    body = (
        f"{staff} - {credential.label} expires on {credential.expires_on.isoformat()} "
        f"({credential.days_left} days; alert window {window} days).\n\n"
        + _CONSEQUENCE[credential.kind]
    )
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    # Ids only in the log: no names.
    log.info(
        "credential alert kind=%s staff=%s window=%s recipients=%d",
        credential.kind,
        staff.pk,
        window,
        len(recipients),
    )


_CONSEQUENCE = {
    CredentialKind.LICENSE: _LAPSE_BLOCKS,
    CredentialKind.NBCOT: _LAPSE_BLOCKS,
    CredentialKind.CERTIFICATE: (
        "The clinic requires this certificate of its clinicians; after that date the staff "
        "page shows it as lapsed (clinic policy: care is not blocked). Record the renewed "
        "certificate on the staff page."
    ),
}


def _admin_emails(organization_id: Any) -> list[str]:
    return list(
        User.objects.filter(
            organization_id=organization_id, role=str(Role.CLINIC_ADMIN), is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )

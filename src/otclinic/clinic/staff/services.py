"""Writes about staff: credential expiry alerts, sent once per credential per window.

Alerts go by email to the clinician and the organization's clinic admins, queued with
`accounts.mail.email_send` and sent by a background job once the alert rows commit; the home page lists the same credentials. Certificates, CE and licenses entered on
the staff pages are written in `services_records.py`.
"""

import datetime as dt
import logging
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.mail import email_send
from otclinic.clinic.accounts.models import User
from otclinic.clinic.common.progress import Progress
from otclinic.clinic.staff.models import CredentialAlert, StaffProfile
from otclinic.clinic.staff.overview import ce_lines_by_requirement, clinic_facts
from otclinic.clinic.staff.selectors import (
    ExpiringCredential,
    clinician_profiles,
    expiring_credentials,
)
from otclinic.domain.codes import Role
from otclinic.domain.compliance.continuing_education import warning_days
from otclinic.domain.compliance.credentials import CredentialKind, alert_window, alert_windows

log = logging.getLogger(__name__)
_LAPSE_BLOCKS = (
    "After that date otclinic refuses their notes, co-signatures, bookings and claims "
    "(a lapsed credential is denied as CARC B7). Record the renewal on the staff profile."
)


@transaction.atomic
def credential_alerts_send(
    *, today: dt.date, progress: Progress | None = None
) -> list[CredentialAlert]:
    """Email each clinician and their clinic admins about credentials entering an alert window.

    A credential 45 days from expiry is in the 60-day window, 20 days in the 30-day one, and so
    on; each (credential, expiry, window) is alerted once, however often this runs.
    """
    widest = max(alert_windows(today), default=-1)
    sent = []
    expiring = list(expiring_credentials(profiles=clinician_profiles(), today=today, within=widest))
    if progress is not None:
        progress.begin(total=len(expiring), step="Alerting credentials near expiry")
    for credential in expiring:
        window = alert_window(expires_on=credential.expires_on, today=today)
        if window is not None and (alert := _record(credential, window)) is not None:
            _email(credential, window)
            sent.append(alert)
        if progress is not None:
            progress.advance()
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
    email_send(to=recipients, subject=subject, body=body, organization_id=staff.organization_id)
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


def _admin_emails(organization_id: uuid.UUID) -> list[str]:
    return list(
        User.objects.filter(
            organization_id=organization_id, role=str(Role.CLINIC_ADMIN), is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )


CE_KIND = "ce"
# A second, closer reminder inside the CE warning window (rules/ce_warning_days.yaml, 90 days).
CE_LAST_WINDOW_DAYS = 30


def ce_alert_window(*, days_left: int, today: dt.date) -> int | None:
    """The narrowest CE alert window (90 or 30 days) that `days_left` falls in; None outside
    them or once the cycle has ended."""
    widest = warning_days(today)
    if widest is None or days_left < 0:
        return None
    windows = sorted({widest, min(widest, CE_LAST_WINDOW_DAYS)})
    return next((w for w in windows if days_left <= w), None)


@transaction.atomic
def ce_shortfall_alerts_send(*, today: dt.date) -> list[CredentialAlert]:
    """Email each clinician short of CE hours, and their clinic admins, once per cycle and window.

    The shortfall is `domain.compliance.continuing_education.ce_progress`'s (the staff pages'
    warning); a cycle ending within 90 days is alerted at 90 and again at 30 days. The email
    says only the credential, the hours still needed and the cycle's end.
    """
    sent = []
    facts: dict[Any, Any] = {}
    for staff in clinician_profiles().prefetch_related("ce_activities"):
        if staff.organization_id not in facts:
            facts[staff.organization_id] = clinic_facts(staff.organization_id)
        clinic = facts[staff.organization_id]
        for row, line in ce_lines_by_requirement(staff, today=today, clinic=clinic):
            progress = line.progress
            if progress is None or progress.still_needed <= 0:
                continue
            window = ce_alert_window(days_left=progress.days_left, today=today)
            if window is None:
                continue
            alert, created = CredentialAlert.objects.get_or_create(
                kind=CE_KIND,
                staff=staff,
                credential_id=row.pk,
                expires_on=progress.cycle.ends_on,
                window_days=window,
                defaults={"organization_id": staff.organization_id, "sent_at": timezone.now()},
            )
            if created:
                _ce_email(staff, line.label, progress, window)
                sent.append(alert)
    return sent


def _ce_email(staff: StaffProfile, label: str, progress: Any, window: int) -> None:
    recipients = sorted({r for r in [staff.user.email, *_admin_emails(staff.organization_id)] if r})
    ends = progress.cycle.ends_on.isoformat()
    hours = f"{progress.still_needed.normalize():f}"
    subject = f"Continuing education short: {hours} hours needed by {ends}"
    body = (
        f"{staff} - {label} continuing education: {hours} hours still needed "
        f"before the renewal cycle ends on {ends} ({progress.days_left} days; alert window "
        f"{window} days).\n\nRecord completed activities on the staff page."
    )
    email_send(to=recipients, subject=subject, body=body, organization_id=staff.organization_id)
    log.info(
        "ce shortfall alert staff=%s window=%s recipients=%d", staff.pk, window, len(recipients)
    )

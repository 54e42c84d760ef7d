"""The second factor at sign-in: a TOTP authenticator app (django-otp) and recovery codes.

Who needs one: a member of staff whose role the organization lists in `second_factor_roles`
(clinic admins and billers unless it says otherwise), and anyone who has enrolled an app. The
password alone signs such a user in only as far as the second-factor pages
(accounts.middleware.SecondFactorMiddleware); the session is fully open once a code from the app
or an unused recovery code is given.

What a session needs is decided when the user signs in and kept in the session, so that pages
spend no query on it; a change of the organization's policy applies from the next sign-in.
"""

import hashlib
import secrets
from base64 import b32encode

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice as TOTPDevice

from otclinic.clinic.accounts.models import RecoveryCode, User
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.access import require_same_organization

SESSION_STATE = "_second_factor"
NOT_NEEDED, NEEDED, VERIFIED = "not-needed", "needed", "verified"
RECOVERY_CODE_COUNT = 10
# 31 letters and digits without the look-alikes 0/O and 1/I/L: 16 of them carry 79 bits.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class SecondFactorRefused(ValueError):
    """The code given is not the app's current code nor an unused recovery code."""


def is_required(user: User) -> bool:
    """The organization requires a second factor of the user's role."""
    if not user.is_clinic_staff:
        return False
    organization = user.organization
    return organization is not None and user.role in (organization.second_factor_roles or [])


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def needs_second_factor(user: User) -> bool:
    return is_required(user) or confirmed_device(user) is not None


def session_start(*, request: HttpRequest, user: User) -> None:
    """At sign-in: note in the session whether this user must still give a second factor."""
    state = NEEDED if needs_second_factor(user) else NOT_NEEDED
    request.session[SESSION_STATE] = [state, str(user.pk)]


def session_state(request: HttpRequest) -> str:
    state, user_id = request.session.get(SESSION_STATE) or (NEEDED, "")
    return str(state) if user_id == str(request.user.pk) else NEEDED


def session_verified(request: HttpRequest) -> None:
    request.session[SESSION_STATE] = [VERIFIED, str(request.user.pk)]


def _digest(code: str) -> str:
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def _new_code() -> str:
    letters = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(letters[i : i + 4] for i in range(0, 16, 4))


def device_pending(*, user: User) -> TOTPDevice:
    """The app being enrolled: a new secret, kept unconfirmed until the app's first code."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def manual_key(device: TOTPDevice) -> str:
    """The secret as the authenticator apps take it when typed (base32, in groups of four)."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """A new set of recovery codes (the old ones stop working); the only time they are shown."""
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.filter(user=user).delete()
    now = timezone.now()
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, digest=_digest(c), created_at=now) for c in codes]
    )
    _audit(user=user, action=AuditAction.UPDATE, detail="recovery codes replaced")
    return codes


@transaction.atomic
def enrol_confirm(*, user: User, token: str) -> list[str]:
    """Confirm the pending app with its current code; returns the new recovery codes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        raise SecondFactorRefused("That code does not match: enter the 6 digits the app shows now.")
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _audit(user=user, action=AuditAction.CREATE, detail="authenticator app enrolled")
    return recovery_codes_replace(user=user)


@transaction.atomic
def verify(*, user: User, code: str) -> str:
    """Check a code from the app or a recovery code (used up); returns which it was."""
    code = "".join(code.split())
    if code.isdigit():
        device = confirmed_device(user)
        if device is not None and device.verify_token(code):
            return "app"
        raise SecondFactorRefused("That code does not match. Enter the code the app shows now.")
    used = RecoveryCode.objects.filter(
        user=user, digest=_digest(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if not used:
        raise SecondFactorRefused("That recovery code does not match or has been used.")
    _audit(user=user, action=AuditAction.LOGIN, detail="signed in with a recovery code")
    return "recovery code"


def recovery_codes_left(*, user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def reset(*, user: User, by: User) -> None:
    """A clinic admin removes a user's app and recovery codes (a lost phone): the user enrols
    again at the next sign-in if their role requires it."""
    require_same_organization(by, user)
    if by.pk == user.pk:
        raise SecondFactorRefused("You may reset the second factor of your own staff only.")
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    _audit(user=user, action=AuditAction.DELETE, detail="second factor reset by a clinic admin")


def _audit(*, user: User, action: AuditAction, detail: str) -> None:
    audit_record(
        action=action,
        object_type="accounts.second_factor",
        object_id=user.pk,
        organization_id=user.organization_id,
        detail=detail,
    )

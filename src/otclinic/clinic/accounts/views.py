"""The sign-in pages beyond the password: the second factor, enrolment, recovery codes, the
organization's sign-in policy, automatic logoff, and password reset."""

from collections.abc import Callable
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts import second_factor
from otclinic.clinic.accounts.forms import (
    CodeForm,
    EnrolForm,
    PasswordResetRequestForm,
    SignInPolicyForm,
)
from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.middleware import activity_record
from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.password_reset import reset_request
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.accounts.throttle import attempt, throttle_posts, too_many
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.domain.access import Capability


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


class _Throttled(Exception):
    pass


def _code_checked(request: HttpRequest, form: BaseForm, check: Callable[[str], Any]) -> Any:
    """`check(code)` on a valid POSTed code form, counted against the user's throttle: its result,
    or None with its refusal on the form's field."""
    if request.method != "POST" or not form.is_valid():
        return None
    if not attempt(scope="second_factor", key=f"user:{request.user.pk}"):
        raise _Throttled
    try:
        result = check(form.cleaned_data["code"])
    except second_factor.SecondFactorRefused as exc:
        form.add_error("code", str(exc))
        return None
    second_factor.session_verified(request)
    return result


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a recovery code."""
    user: User = request.user
    if second_factor.session_state(request) != second_factor.NEEDED:
        return redirect(_next(request))
    if second_factor.confirmed_device(user) is None and not user.recovery_codes.exists():
        return redirect(reverse("second-factor-enrol") + "?next=" + _next(request))
    form = CodeForm(request.POST or None)
    try:
        used = _code_checked(request, form, lambda code: second_factor.verify(user=user, code=code))
    except _Throttled:
        return too_many(request)
    if used == "recovery code":
        left = second_factor.recovery_codes_left(user=user)
        messages.warning(
            request,
            f"You signed in with a recovery code; {left} left. "
            "Enrol your authenticator app again if you lost it.",
        )
    if used:
        return redirect(_next(request))
    status = 422 if request.method == "POST" else 200
    return render(
        request, "accounts/verify.html", {"form": form, "next": _next(request)}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add an authenticator app: a QR code and the key to type, then the app's first code.

    A user who still owes the second factor may enrol only when they have none yet (their role
    requires one); once signed in fully, anyone on the staff may enrol or replace their app."""
    user: User = request.user
    owes = second_factor.session_state(request) == second_factor.NEEDED
    if owes and second_factor.confirmed_device(user) is not None:
        return redirect("second-factor-verify")
    if not user.is_clinic_staff:
        return redirect("home")
    device = second_factor.device_pending(user=user)
    form = EnrolForm(request.POST or None)
    try:
        codes = _code_checked(
            request, form, lambda code: second_factor.enrol_confirm(user=user, token=code)
        )
    except _Throttled:
        return too_many(request)
    if codes:
        context = {"codes": codes, "next": _next(request)}
        return render(request, "accounts/recovery_codes.html", context)
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=True),
        "key": second_factor.manual_key(device),
        "next": _next(request),
    }
    return render(
        request, "accounts/enrol.html", context, status=422 if request.method == "POST" else 200
    )


@login_required
@require_POST
def recovery_codes_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: User = request.user
    if second_factor.confirmed_device(user) is None:
        return redirect("second-factor-enrol")
    codes = second_factor.recovery_codes_replace(user=user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/"})


@login_required
@require_http_methods(["GET", "POST"])
def sign_in_policy(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A clinic admin's page: who must use a second factor, the idle timeout, and each staff
    member's second factor (with a reset for a lost phone)."""
    require(request.user, Capability.MANAGE_STAFF)
    admin: Any = request.user
    organization = admin.organization
    form = SignInPolicyForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit_record(
            action=AuditAction.UPDATE,
            object_type="organizations.organization",
            object_id=organization.pk,
            organization_id=organization.pk,
            fields=form.changed_data,
            detail="sign-in policy",
        )
        messages.success(request, "Sign-in policy saved: it applies from each user's next sign-in.")
        return redirect("sign-in-policy")
    staff = (
        User.objects.filter(organization=organization, is_active=True)
        .exclude(role__in=["patient", "caregiver"])
        .order_by("last_name", "first_name")
    )
    enrolled = set(
        second_factor.TOTPDevice.objects.filter(user__in=staff, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    required = set(organization.second_factor_roles or [])
    rows = [
        {"user": u, "enrolled": u.pk in enrolled, "required": u.role in required} for u in staff
    ]
    status = 422 if request.method == "POST" else 200
    return render(
        request, "accounts/sign_in_policy.html", {"form": form, "rows": rows}, status=status
    )


@login_required
@require_POST
def second_factor_reset(request: AuthenticatedHttpRequest, user_id: str) -> HttpResponse:
    require(request.user, Capability.MANAGE_STAFF)
    admin: Any = request.user
    member = get_object_or_404(User, pk=user_id, organization_id=admin.organization_id)
    try:
        second_factor.reset(user=member, by=admin)
    except second_factor.SecondFactorRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{member.display_name()}'s authenticator app and recovery codes are removed."
        )
    return redirect("sign-in-policy")


def signed_out(request: HttpRequest) -> HttpResponse:
    """Where automatic logoff lands."""
    minutes = request.GET.get("idle", "")
    return render(
        request, "accounts/signed_out.html", {"minutes": minutes if minutes.isdigit() else ""}
    )


@login_required
@require_POST
def keepalive(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The idle warning's "Stay signed in": counts as activity."""
    activity_record(request, now=int(timezone.now().timestamp()), force=True)
    return HttpResponse(status=204)


def _email_of(request: HttpRequest) -> str:
    return request.POST.get("email", "").strip().lower()


@require_http_methods(["GET", "POST"])
@throttle_posts("password_reset", also_by=_email_of)
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reset_request(email=form.cleaned_data["email"])
        return redirect("password-reset-sent")
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


password_reset_confirm = throttle_posts("set_password")(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("password-reset-done"),
    )
)


def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_done.html")

"""The biller's clearinghouse page: the clinic's settings, 276s for unanswered claims in one
click, send and fetch, the outbox and inbox; and each payer's connection settings."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.clearinghouse import inbox, selectors, services, status, transport
from otclinic.clinic.clearinghouse.forms import ConnectionForm, ProfileForm, UploadForm
from otclinic.clinic.clearinghouse.models import Direction, FileState
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.payers.selectors import connection_of
from otclinic.domain.access import Capability

PAGE = "clearinghouse/page.html"
CONNECTION = "clearinghouse/connection.html"


def _users(request: AuthenticatedHttpRequest) -> QuerySet[User]:
    return User.objects.filter(
        organization_id=organization_id_of(request.user), role__in=["biller", "clinic_admin"]
    ).order_by("username")


def _page(request: AuthenticatedHttpRequest, status_code: int = 200, **extra: Any) -> HttpResponse:
    require(request.user, Capability.MANAGE_BILLING)
    profile = status.profile_for(organization_id_of(request.user))
    context = {
        "profile": profile,
        "profile_form": extra.pop("profile_form", None)
        or ProfileForm(instance=profile, users=_users(request)),
        "upload_form": extra.pop("upload_form", None) or UploadForm(),
        "payers": selectors.payers_with_connections(user=request.user),
        "outbox": selectors.exchange_files_for_user(user=request.user, direction=Direction.OUT)[
            :25
        ],
        "inbox": selectors.exchange_files_for_user(user=request.user, direction=Direction.IN)[:25],
        **extra,
    }
    return render(request, PAGE, context, status=status_code)


@login_required
@require_GET
def clearinghouse_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def settings_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_BILLING)
    profile = status.profile_for(organization_id_of(request.user))
    form = ProfileForm(request.POST, instance=profile, users=_users(request))
    if not form.is_valid():
        return _page(request, 422, profile_form=form)
    services.profile_update(user=request.user, profile=profile, form=form)
    messages.success(request, "Settings saved.")
    return redirect("clearinghouse")


@login_required
@require_POST
def status_inquire(request: AuthenticatedHttpRequest) -> HttpResponse:
    run = status.status_inquire(user=request.user)
    return _page(request, 422 if run.problems else 200, inquiry=run)


@login_required
@require_POST
def send(request: AuthenticatedHttpRequest) -> HttpResponse:
    run = transport.clearinghouse_send(user=request.user)
    return _page(request, 200, sent=run)


@login_required
@require_POST
def fetch(request: AuthenticatedHttpRequest) -> HttpResponse:
    run = transport.clearinghouse_fetch(user=request.user)
    return _page(request, 200, fetched=run)


@login_required
@require_POST
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_BILLING)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        received = form.cleaned_data["file"]
        try:
            record = inbox.inbox_receive(
                user=request.user, name=received.name, data=received.read()
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            run = inbox.inbox_import(user=request.user)
            record.refresh_from_db()
            if record.state != FileState.FAILED:
                return _page(request, 200, imported=run, received=record)
            form.add_error("file", f"{record.file_name}: {record.outcome}")
    return _page(request, 422, upload_form=form)


@login_required
@require_GET
def exchange_file(request: AuthenticatedHttpRequest, exchange_file_id: str) -> FileResponse:
    record = selectors.exchange_file_get_for_user(user=request.user, file_id=exchange_file_id)
    return FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.file_name,
        content_type="application/edi-x12",
    )


@login_required
@require_http_methods(["GET", "POST"])
def connection_edit(request: AuthenticatedHttpRequest, payer_id: str) -> HttpResponse:
    payer = selectors.payer_get_for_user(user=request.user, payer_id=payer_id)
    connection = connection_of(payer)
    if request.method == "GET":
        form = ConnectionForm(instance=connection)
        return render(request, CONNECTION, {"payer": payer, "form": form})
    form = ConnectionForm(request.POST, instance=connection)
    if not form.is_valid():
        return render(request, CONNECTION, {"payer": payer, "form": form}, status=422)
    services.connection_save(user=request.user, payer=payer, form=form)
    messages.success(request, f"Clearinghouse settings for {payer.name} saved.")
    return redirect("clearinghouse")

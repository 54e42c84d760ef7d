"""A user's API tokens: make one (its secret shown once) and revoke one."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts import api_tokens
from otclinic.clinic.accounts.forms import ApiTokenForm
from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.models import ApiToken
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.domain.access import Capability


@login_required
@require_http_methods(["GET", "POST"])
def api_token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's tokens, and the form that makes one; a new token's secret is on the answer
    to the POST that made it, and nowhere else."""
    require(request.user, Capability.USE_API)
    form = ApiTokenForm(request.POST or None)
    made: tuple[ApiToken, str] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            made = api_tokens.token_create(user=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "made": made,
        "tokens": api_tokens.tokens_for_user(user=request.user),
        "now": timezone.now(),
    }
    status = 422 if request.method == "POST" and made is None else 200
    return render(request, "accounts/api_tokens.html", context, status=status)


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedHttpRequest, token_id: uuid.UUID) -> HttpResponse:
    require(request.user, Capability.USE_API)
    try:
        token = api_tokens.token_revoke(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("api-tokens")

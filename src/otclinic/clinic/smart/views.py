"""The SMART endpoints: discovery, authorize (with the consent page), token and revoke (all
django-oauth-toolkit's, with otclinic's checks), and the admin's page of registered apps."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from oauth2_provider import views as oauth_views
from oauth2_provider.models import Application
from oauth2_provider.settings import oauth2_settings

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import organization_id_of, require, user_may
from otclinic.clinic.common.errors import NotFoundForUser, ValidationFailed, add_errors
from otclinic.clinic.smart import selectors, services
from otclinic.clinic.smart.forms import ClientForm
from otclinic.clinic.smart.models import SmartClient
from otclinic.clinic.smart.oauth import client_of
from otclinic.domain.access import Capability
from otclinic.domain.fhir.smart import scope_writes, smart_configuration


@require_GET
def configuration(request: HttpRequest) -> JsonResponse:
    """/fhir/R4/.well-known/smart-configuration: open to anyone (it holds no records). Its
    issuer is the OAuth server's (the id_token's `iss`); with OpenID Connect on, it names the
    keys id_tokens are signed with."""
    absolute = request.build_absolute_uri
    openid = oauth2_settings.OIDC_ENABLED
    return JsonResponse(
        smart_configuration(
            issuer=oauth2_settings.oidc_issuer(request),
            authorize=absolute(reverse("smart-authorize")),
            token=absolute(reverse("smart-token")),
            revoke=absolute(reverse("smart-revoke")),
            jwks=absolute(reverse("oauth2_provider:jwks-info")) if openid else "",
        )
    )


class AuthorizeView(oauth_views.AuthorizationView):
    """The consent page: the person signs in with their otclinic login and sees the app and
    the scopes. An app of another organization is refused, and so is any PKCE method but
    S256 (SMART App Launch 2.x)."""

    template_name = "smart/authorize.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and request.method == "GET":
            missing = _launch_problem(request)
            if missing:
                return render(request, "smart/refused.html", {"why": missing}, status=400)
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["client"] = self._client_of_organization(context.get("application"))
        asks_writes = any(scope_writes(scope) for scope in context.get("scopes") or [])
        staff = user_may(self.request.user, Capability.USE_API)
        context["writes"] = asks_writes and staff
        context["writes_refused"] = asks_writes and not staff
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        client_id = form.cleaned_data["client_id"]
        self._client_of_organization(Application.objects.filter(client_id=client_id).first())
        response: HttpResponse = super().form_valid(form)
        return response

    def _client_of_organization(self, application: Any) -> SmartClient:
        """The app's registration, when it is of the signed-in person's organization."""
        client = client_of(application) if application is not None else None
        if client is None or client.organization_id != getattr(
            self.request.user, "organization_id", None
        ):
            raise PermissionDenied("this app is not registered with your organization")
        return client


def _launch_problem(request: HttpRequest) -> str:
    """What a launch request lacks that SMART requires: PKCE with S256, and (when the app names
    the FHIR server it wants, `aud`) this server's FHIR base."""
    if request.GET.get("code_challenge_method") != "S256":
        return "PKCE with S256"
    aud = request.GET.get("aud")
    if aud and aud.rstrip("/") != request.build_absolute_uri("/fhir/R4"):
        return f"this server's FHIR base as aud ({request.build_absolute_uri('/fhir/R4')})"
    return ""


token = oauth_views.TokenView.as_view()
revoke = oauth_views.RevokeTokenView.as_view()
authorize = AuthorizeView.as_view()


@login_required
@require_http_methods(["GET", "POST"])
def clients(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The admin's page: the organization's SMART apps and backend services, and a form to
    register one."""
    require(request.user, Capability.MANAGE_STAFF)
    form = ClientForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_register(
                user=request.user,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"].split(),
                redirect_uris=form.cleaned_data["redirect_uris"],
                jwks=form.cleaned_data["jwks"] or None,
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, f"Registered {client.name}: client_id {client.application.client_id}"
            )
            return redirect("smart-clients")
    if request.method == "POST":
        status = 422
    listed = selectors.clients_for_org(organization_id_of(request.user))
    return render(request, "smart/clients.html", {"form": form, "clients": listed}, status=status)


@login_required
@require_POST
def client_revoke(request: AuthenticatedHttpRequest, smart_client_id: str) -> HttpResponse:
    try:
        client = services.client_revoke(user=request.user, client_id=smart_client_id)  # type: ignore[arg-type]
    except SmartClient.DoesNotExist:
        raise NotFoundForUser("no such app") from None
    messages.success(request, f"Revoked {client.name}: its tokens no longer work.")
    return redirect("smart-clients")

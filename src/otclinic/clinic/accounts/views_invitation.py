"""The invitation's page: set a first password from the emailed link, then be signed in.

The link carries its token in the query string. The page moves it into the session at once and
redirects to itself, so the token does not stay in the address bar, the browser history or a
Referer header (as Django's own password-reset page does). An expired link offers to email a
new one; a used, replaced or unknown one says so plainly.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.invitations import (
    LinkRefused,
    LinkState,
    invitation_accept,
    invitation_renew,
    link_state,
)
from otclinic.clinic.accounts.throttle import throttle_posts

SESSION_KEY = "_invitation"
PAGE = "accounts/invitation.html"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refused(request: HttpRequest, state: LinkState) -> HttpResponse:
    return render(request, PAGE, {"state": state.value}, status=200)


@require_http_methods(["GET", "POST"])
@throttle_posts("set_password")
def invitation(request: HttpRequest) -> HttpResponse:
    if "t" in request.GET:
        request.session[SESSION_KEY] = request.GET["t"]
        return redirect("invitation")
    token = str(request.session.get(SESSION_KEY, ""))
    link = link_state(token)
    if link.state is not LinkState.VALID or link.invitation is None:
        return _refused(request, link.state)
    user = link.invitation.user
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_accept(token=token, form=form)
        except LinkRefused as exc:
            return _refused(request, exc.state)
        request.session.pop(SESSION_KEY, None)
        login(request, user, backend=BACKEND)
        messages.success(request, "Password set: you are signed in.")
        return redirect("portal-home" if user.is_portal_user else settings.LOGIN_REDIRECT_URL)
    status = 422 if request.method == "POST" else 200
    context = {"state": link.state.value, "form": form, "username": user.get_username()}
    return render(request, PAGE, context, status=status)


@require_POST
@throttle_posts("set_password")
def invitation_renew_view(request: HttpRequest) -> HttpResponse:
    """An expired link's "Email me a new link": sent to the address the clinic has on file."""
    token = str(request.session.get(SESSION_KEY, ""))
    try:
        invitation_renew(token=token)
    except LinkRefused as exc:
        return _refused(request, exc.state)
    request.session.pop(SESSION_KEY, None)
    return render(request, PAGE, {"state": "renewed"})

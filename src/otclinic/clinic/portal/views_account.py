"""Setting a portal password from the invitation's one-time link.

The link carries the user id and a Django password-reset token in its query string. The view
moves them into the session at once and redirects to the bare page, so the token never stays
in the address bar, the browser history or a Referer header (as Django's own reset view does).
A missing, used or expired link sends the visitor to the sign-in page with a message.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_http_methods

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.throttle import throttle_posts

SESSION_KEY = "_portal_set_password"


def _user_for(uid: str, token: str) -> User | None:
    if not uid or not token:
        return None
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uid).decode())
    except (User.DoesNotExist, ValueError, TypeError, ValidationError):
        return None
    if not user.is_portal_user or not user.is_active:
        return None
    return user if default_token_generator.check_token(user, token) else None


@require_http_methods(["GET", "POST"])
@throttle_posts("set_password")
def set_password(request: HttpRequest) -> HttpResponse:
    if "u" in request.GET and "t" in request.GET:
        request.session[SESSION_KEY] = [request.GET["u"], request.GET["t"]]
        return redirect("portal-set-password")
    uid, token = request.session.get(SESSION_KEY) or ("", "")
    user = _user_for(uid, token)
    if user is None:
        request.session.pop(SESSION_KEY, None)
        messages.error(
            request, "This link has been used or has expired. Ask the clinic for a new one."
        )
        return redirect("login")
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        request.session.pop(SESSION_KEY, None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("portal-home")
    status = 422 if request.method == "POST" else 200
    return render(request, "portal/set_password.html", {"form": form, "who": user}, status=status)

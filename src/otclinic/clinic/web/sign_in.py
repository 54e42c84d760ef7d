"""The sign-in page, with an opt-in "remember me on this device" for the username.

A username is not protected health information and not a secret (it appears on signed notes'
audit trails and in messages), so remembering it on a device the clinician chose does not
weaken the sign-in: the password is still typed every time, the second factor and the failure
limit are unchanged. It saves typing at each sign-in on the clinician's own tablet. On a
tablet shared by several clinicians the box is left unticked (the page says so): the next
person would otherwise see the last one's username. Unticking it at a sign-in forgets it.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse

from otclinic.clinic.web.forms import SignInForm

REMEMBER_COOKIE = "otclinic_username"
REMEMBER_DAYS = 90


class SignInView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_initial(self) -> dict[str, Any]:
        remembered = self.request.COOKIES.get(REMEMBER_COOKIE, "")
        return {"username": remembered, "remember": bool(remembered)}

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        if form.cleaned_data.get("remember"):
            response.set_cookie(
                REMEMBER_COOKIE,
                form.get_user().get_username(),
                max_age=REMEMBER_DAYS * 24 * 3600,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        else:
            response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")
        return response

"""The request a signed-in view receives, for the type checker.

Django types `request.user` as a user or the anonymous user. Behind `login_required` (and the
API's authentication, which admits signed-in staff only) it is always otclinic's `User`; views
say so by taking an `AuthenticatedHttpRequest`, and what they hand to services is typed.
"""

from django.http import HttpRequest

from otclinic.clinic.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User

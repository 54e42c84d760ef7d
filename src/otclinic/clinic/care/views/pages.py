"""What the care pages share: htmx detection, the generic form page, running a service on a form."""

from collections.abc import Callable
from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from otclinic.clinic.common.errors import ValidationFailed, add_errors

FORM_PAGE = "care/clinical/form.html"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def form_page(
    request: HttpRequest, form: BaseForm, *, title: str, submit: str, back: str, **extra: Any
) -> HttpResponse:
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "title": title, "submit": submit, "back": back, **extra}
    return render(request, FORM_PAGE, context, status=status)


def attempt(form: BaseForm, action: Callable[[], Any]) -> Any:
    """Run a service on a valid form; None (with the errors on the form) when it refuses."""
    try:
        return action()
    except ValidationFailed as exc:
        add_errors(form, exc)
        return None


def submitted(form: BaseForm, action: Callable[[], Any]) -> bool:
    """Whether the form is valid and the service it feeds accepted it."""
    return form.is_valid() and attempt(form, action) is not None

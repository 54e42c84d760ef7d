"""The clinic admin's page of the organization's own shorthand, beside the built-in table."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.care import selectors_shorthand as selectors
from otclinic.clinic.care.models import CATEGORY_CHOICES, ShorthandKind
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.domain.care.shorthand import ClinicPhrase

TEMPLATE = "care/notes/shorthand_table.html"


class ShorthandEntryForm(forms.Form):
    phrase = forms.CharField(label="Abbreviation", max_length=60)
    kind = forms.ChoiceField(label="Stands for", choices=ShorthandKind.choices)
    value = forms.CharField(
        label="Code, equipment or level",
        max_length=24,
        help_text="A CPT code (97535), an equipment choice (walker) or a level (min_assist)",
    )
    category = forms.ChoiceField(
        label="Category (for a code)", choices=[("", "—"), *CATEGORY_CHOICES], required=False
    )

    def entry(self) -> ClinicPhrase:
        d = self.cleaned_data
        return ClinicPhrase(d["phrase"], d["kind"], d["value"].strip(), d["category"])


@login_required
@require_http_methods(["GET", "POST"])
def shorthand_table(request: AuthenticatedHttpRequest) -> HttpResponse:
    entries = selectors.visible_shorthand_entries(request.user)
    form = ShorthandEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = svc.shorthand_entry_add(user=request.user, entry=form.entry())
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Added “{added.phrase}”.")
            return redirect("shorthand-table")
    context = {"entries": entries, "form": form, "shipped": selectors.shipped_rows()}
    status = 422 if form.is_bound else 200
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_POST
def shorthand_entry_remove(
    request: AuthenticatedHttpRequest, shorthand_entry_id: str
) -> HttpResponse:
    entry = selectors.shorthand_entry_get_for_user(user=request.user, entry_id=shorthand_entry_id)
    svc.shorthand_entry_remove(user=request.user, entry=entry)
    messages.success(request, f"Removed “{entry.phrase}”.")
    return redirect("shorthand-table")

"""The one-pass drop-down writes what Django's Select writes, without counting its choices."""

import re
from typing import Any

import pytest
from django import forms

from otclinic.clinic.common.widgets import QuickSelect
from otclinic.clinic.staff.models import StaffProfile
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db


def _field(widget: type[forms.Select], org: Any) -> forms.ModelChoiceField:
    rows = StaffProfile.objects.filter(organization=org).select_related("user")
    rows = rows.order_by("user__last_name")
    return forms.ModelChoiceField(queryset=rows, widget=widget, required=False, empty_label="Any")


def _options(html: str) -> list[tuple[str, bool, str]]:
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
    return [(value, bool(selected), label.strip()) for value, selected, label in found]


def test_it_writes_the_same_options_as_select(django_assert_num_queries: Any) -> None:
    org = f.OrganizationFactory()
    rows = [
        f.StaffProfileFactory(user__organization=org, user__last_name=name)
        for name in ("Abbott", "O'Brien <Jr>", "Zorn")
    ]
    plain = _field(forms.Select, org).widget.render("who", rows[1].pk, {"id": "id_who"})
    with django_assert_num_queries(1):  # the choices, and no count of them first
        quick = _field(QuickSelect, org).widget.render("who", rows[1].pk, {"id": "id_who"})
    assert _options(quick) == _options(plain)
    assert [selected for _, selected, _ in _options(quick)] == [False, False, True, False]
    assert "O&#x27;Brien &lt;Jr&gt;" in quick
    assert quick.startswith('<select id="id_who" name="who">')


def test_grouped_choices_are_left_to_select() -> None:
    widget = QuickSelect(choices=[("Fruit", [("a", "Apple"), ("b", "Banana")])])
    assert "<optgroup" in widget.render("fruit", "b")

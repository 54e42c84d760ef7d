"""The Billing codes page: otclinic's table searched by code or words, the clinic's own codes
added, changed and removed (htmx partials and plain forms), 422 naming the refused field, and
the same refusals as the rest of the billing pages for other roles and other organizations."""

from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.payers.models import ClinicBillingCode
from otclinic.clinic.payers.services_codes import clinic_code_save
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

URL = "/billing/codes/"
HTMX = {"HTTP_HX_REQUEST": "true"}
ENCOUNTER = {
    "code": "t1015",
    "summary": "clinic encounter (state Medicaid)",
    "source": "State Medicaid fee schedule, 2026 (encounter codes)",
    "kind": "untimed",
    "unit_minutes": "15",
    "disciplines": ["OT", "PT", "SLP"],
    "discipline_limit": "usual",
    "addon_to": "",
    "effective_from": "",
    "effective_to": "",
}


@pytest.fixture
def biller() -> Any:
    return f.staff_user(organization=f.OrganizationFactory(), role="biller")


@pytest.fixture
def client_b(client: Client, biller: Any) -> Client:
    client.force_login(biller)
    return client


def saved(user: Any, **changes: Any) -> ClinicBillingCode:
    values = {k: ENCOUNTER[k] for k in ("code", "summary", "source", "kind")}
    return clinic_code_save(user=user, **{**values, **changes})


def test_the_page_lists_otclinics_table_with_units_who_bills_and_source(client_b: Client) -> None:
    page = client_b.get(URL).content.decode()
    assert "<h1>Billing codes</h1>" in page
    assert '<th scope="row">97530</th>' in page
    assert "Timed (15 min)" in page
    assert "Always therapy" in page
    assert "<summary>Why?</summary>" in page
    assert "CMS therapy code list, CY2026" in page  # behind the disclosure
    assert '<th scope="row">97130</th>' in page and "97129" in page  # the add-on's parent


def test_the_biller_finds_the_link_in_the_navigation(client_b: Client) -> None:
    assert f'href="{URL}">Billing codes</a>' in client_b.get("/billing/claims/").content.decode()


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [("97530", "97530", "97110"), ("cognitive function", "97129", "97530"), ("G02", "G0283", "97")],
)
def test_search_by_code_or_words_narrows_the_table(
    client_b: Client, query: str, found: str, not_found: str
) -> None:
    response = client_b.get(URL, {"q": query}, HTTP_HX_TARGET="shipped-codes", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="shipped-codes">')  # the partial only
    assert f'<th scope="row">{found}' in html
    assert f'<th scope="row">{not_found}</th>' not in html


def test_a_search_that_finds_nothing_says_so(client_b: Client) -> None:
    html = client_b.get(URL, {"q": "zzz"}).content.decode()
    assert "0 codes matching “zzz”" in html


def test_adding_a_code_with_htmx_answers_with_the_clinics_list(client_b: Client) -> None:
    response = client_b.post(URL, ENCOUNTER, HTTP_HX_TARGET="clinic-codes", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="clinic-codes"')
    assert "T1015 is in the clinic&#x27;s code table." in html
    assert '<th scope="row">T1015</th>' in html
    assert ClinicBillingCode.objects.get().disciplines == ["OT", "PT", "SLP"]


def test_adding_a_code_without_javascript_redirects_with_a_message(client_b: Client) -> None:
    response = client_b.post(URL, ENCOUNTER, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "T1015 is in the clinic&#x27;s code table." in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "T10155"}, "code", "Code: Ensure this value has at most 5 characters"),
        ({"code": "T10X"}, "code", "Code: T10X is not a CPT or HCPCS code"),
        ({"kind": "timed", "unit_minutes": "0"}, "unit_minutes", "Minutes per unit"),
        ({"source": ""}, "source", "Source: This field is required."),
        ({"disciplines": []}, "disciplines", "Who bills it: At least one of OT, PT or SLP."),
        ({"addon_to": "0001F"}, "addon_to", "Add-on to: 0001F is in neither"),
        (
            {"effective_from": "2026-03-01", "effective_to": "2026-02-01"},
            "effective_to",
            "Last date of service: 2026-02-01 is before effective_from (2026-03-01).",
        ),
        ({"effective_from": "March"}, "effective_from", "Enter a date as YYYY-MM-DD."),
    ],
)
def test_a_refused_code_answers_422_with_the_message_on_its_field(
    client_b: Client, changes: dict[str, Any], field: str, message: str
) -> None:
    response = client_b.post(URL, {**ENCOUNTER, **changes}, HTTP_HX_TARGET="clinic-codes", **HTMX)
    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert not ClinicBillingCode.objects.exists()


def test_a_refusal_without_javascript_is_the_whole_page(client_b: Client) -> None:
    response = client_b.post(URL, {**ENCOUNTER, "summary": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<h1>Billing codes</h1>" in html and 'id="id_summary_error"' in html


def test_every_field_has_a_label_and_the_choices_a_legend(client_b: Client) -> None:
    html = client_b.get(URL).content.decode()
    for name in ("code", "summary", "source", "unit_minutes", "discipline_limit", "addon_to"):
        assert f'<label for="id_{name}">' in html
    assert "<legend>Units <span" in html and "<legend>Who bills it</legend>" in html
    assert '<label for="id_q">Code or words</label>' in html


def test_the_clinics_code_is_changed_on_its_own_page(client_b: Client, biller: Any) -> None:
    record = saved(biller)
    url = f"{URL}{record.pk}/"
    page = client_b.get(url).content.decode()
    assert "Change T1015" in page and 'value="clinic encounter (state Medicaid)"' in page
    response = client_b.post(url, {**ENCOUNTER, "code": "T9999", "kind": "timed"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.code, record.kind) == ("T1015", "timed")  # the code itself stays


def test_a_refused_change_answers_422_with_the_form_only_for_htmx(
    client_b: Client, biller: Any
) -> None:
    record = saved(biller)
    response = client_b.post(
        f"{URL}{record.pk}/", {**ENCOUNTER, "summary": ""}, HTTP_HX_TARGET="code-form", **HTMX
    )
    assert response.status_code == 422
    assert response.content.decode().lstrip().startswith('<form id="code-form"')


def test_a_change_with_htmx_sends_the_browser_back_to_the_list(
    client_b: Client, biller: Any
) -> None:
    record = saved(biller)
    response = client_b.post(f"{URL}{record.pk}/", ENCOUNTER, HTTP_HX_TARGET="code-form", **HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"] == URL


def test_removing_a_code_takes_it_off_the_list(client_b: Client, biller: Any) -> None:
    record = saved(biller)
    response = client_b.post(f"{URL}{record.pk}/remove/", HTTP_HX_TARGET="clinic-codes", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "T1015 was removed from the clinic&#x27;s code table." in html
    assert '<th scope="row">T1015</th>' not in html
    assert not ClinicBillingCode.objects.exists()


def test_a_clinics_entry_for_a_shipped_code_is_marked_on_both_lists(
    client_b: Client, biller: Any
) -> None:
    saved(biller, code="97530", summary="therapeutic activities, per visit")
    html = client_b.get(URL, {"q": "97530"}).content.decode()
    assert "Replaces otclinic's entry" in html
    assert "Your clinic's entry replaces this one" in html


@pytest.mark.parametrize("role", ["OT", "OTA", "front_desk"])
def test_other_roles_are_refused_like_the_rest_of_the_billing_pages(
    client: Client, biller: Any, role: str
) -> None:
    record = saved(biller)
    client.force_login(f.staff_user(organization=biller.organization, role=role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, ENCOUNTER).status_code == 403
    assert client.get(f"{URL}{record.pk}/").status_code == 403
    assert client.post(f"{URL}{record.pk}/remove/").status_code == 403
    assert ClinicBillingCode.objects.count() == 1
    assert "Billing codes</a>" not in client.get("/").content.decode()


def test_a_clinic_admin_manages_codes_too(client: Client) -> None:
    admin = f.staff_user(organization=f.OrganizationFactory(), role="clinic_admin")
    client.force_login(admin)
    assert client.post(URL, ENCOUNTER).status_code == 302
    assert ClinicBillingCode.objects.get().organization_id == admin.organization_id


def test_another_organizations_code_answers_404_and_is_not_listed(
    client_b: Client, biller: Any
) -> None:
    theirs = saved(f.staff_user(organization=f.OrganizationFactory(), role="biller"))
    assert client_b.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client_b.post(f"{URL}{theirs.pk}/", ENCOUNTER).status_code == 404
    assert client_b.post(f"{URL}{theirs.pk}/remove/").status_code == 404
    assert ClinicBillingCode.objects.filter(pk=theirs.pk).exists()
    assert '<th scope="row">T1015</th>' not in client_b.get(URL).content.decode()

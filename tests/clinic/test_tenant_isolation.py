"""One clinic can never read or change another's rows, through the pages or through the API.

The URL tests walk the URLconf, so a new page or endpoint that takes an id is covered as soon
as it is added; one whose id kind is unknown here fails until ID_KINDS says which of the other
organization's records to try.
"""

import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from otclinic.clinic.common.models import OrgOwned
from otclinic.clinic.organizations.models import Organization
from tests.clinic import factories as f
from tests.clinic.accounts import tenant_records as account_records
from tests.clinic.assistant import tenant_records as assistant_records
from tests.clinic.clearinghouse import tenant_records as clearinghouse_records
from tests.clinic.fhir import tenant_records as fhir_records
from tests.clinic.fieldwork import tenant_records as fieldwork_records
from tests.clinic.hiring import tenant_records as hiring_records
from tests.clinic.jobs import tenant_records as job_records
from tests.clinic.messaging import tenant_records as messaging_records
from tests.clinic.not_found import refusal_shape
from tests.clinic.patients import tenant_records as patient_records
from tests.clinic.payers import tenant_records as payer_records
from tests.clinic.portal import tenant_records as portal_records
from tests.clinic.revenue.claims import tenant_records as claim_records
from tests.clinic.revenue.remittance import tenant_records as remittance_records
from tests.clinic.scheduling import tenant_records as schedule_records
from tests.clinic.smart import tenant_records as smart_records
from tests.clinic.staff import tenant_records as staff_records
from tests.clinic.supervision import tenant_records as supervision_records

pytestmark = pytest.mark.django_db

# Each app's tenant_records module says how to make the other organization's records for its
# URL id kinds; each is made up front so that "changes nothing" compares against rows that exist.
APP_RECORDS = (
    account_records,
    assistant_records,
    remittance_records,
    claim_records,
    fieldwork_records,
    hiring_records,
    staff_records,
    schedule_records,
    messaging_records,
    portal_records,
    supervision_records,
    patient_records,
    payer_records,
    job_records,
    clearinghouse_records,
    fhir_records,
    smart_records,
)

_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    name: str
    template: str
    params: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        """The JSON API and the FHIR server: they answer 401, never a sign-in redirect."""
        return self.template.startswith(("api/", "fhir/"))

    def url(self, values: dict[str, object]) -> str:
        return "/" + _PARAM.sub(lambda m: str(values[m.group(1)]), self.template)

    def __str__(self) -> str:
        return self.name


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            template = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield Route(name, template, tuple(_PARAM.findall(template)))


def _routes() -> list[Route]:
    # The Django admin is for platform superusers and has its own staff check; it is not a
    # tenant's page. One Route per URL template (ninja names GET and POST of a path apart).
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if route.name.startswith("admin:") or route.template.startswith("admin/"):
            continue
        seen.setdefault(route.template, route)
    return list(seen.values())


ROUTES = _routes()
# Public by design: the sign-in pages, the API's schema (it describes, it holds no records),
# ninja's bare index, which answers 404 to everyone, the FHIR server's CapabilityStatement and
# its OperationOutcome 404 for a type it does not serve, the invitation's set-password page (and
# its "email me a new link"), which only an invitation token opens, the page automatic logoff
# lands on, and password reset (its link's ids are a token, not a record of any organization).
PUBLIC = {
    "login",
    "logout",
    "signed-out",
    "password-reset",
    "password-reset-sent",
    "password-reset-confirm",
    "password-reset-done",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
    "invitation",
    "invitation-renew",
    # The fax gateway's delivery reports: no session; the gateway's shared secret opens it.
    "care-fax-status",
    "fhir-metadata",
    "fhir-unknown-type",
    # SMART: discovery; the token and revoke endpoints, where the app authenticates itself; the
    # consent page, which sends whoever is not signed in to sign in (tests/clinic/smart).
    "fhir-smart-configuration",
    "smart-token",
    "smart-revoke",
    "smart-authorize",
    # OpenID Connect and RFC 8414 discovery, the keys id_tokens are signed with, and userinfo,
    # which answers only an access token given `openid` (tests/clinic/smart/test_openid.py).
    "oauth2_provider:oidc-connect-discovery-info",
    "oauth2_provider:jwks-info",
    "oauth2_provider:oauth-server-metadata",
    "oauth2_provider:user-info",
}
ID_ROUTES = [r for r in ROUTES if r.params and r.name not in PUBLIC]
# The second step of signing in and the session's own pages, open to any signed-in user.
SIGNED_IN_PAGES = {
    "second-factor-verify",
    "second-factor-enrol",
    "second-factor-recovery-codes",
    "session-keepalive",
}


@dataclass
class Tenant:
    org: Organization
    user: Any
    patient: Any
    payer: Any
    coverage: Any
    physician: Any
    diagnosis: Any


def _tenant(role: str = "clinic_admin") -> Tenant:
    org = f.OrganizationFactory()
    patient = f.PatientFactory(organization=org, last_name=f"Secret{org.slug}")
    coverage = f.CoverageFactory(patient=patient, payer__name=f"Payer {org.slug}")
    tenant = Tenant(
        org=org,
        user=f.staff_user(organization=org, role=role),
        patient=patient,
        payer=coverage.payer,
        coverage=coverage,
        physician=f.PhysicianFactory(organization=org, last_name=f"Doc{org.slug}"),
        diagnosis=f.DiagnosisFactory(patient=patient),
    )
    _note(tenant)  # made now, so that "changes nothing" compares against rows that exist
    for records in APP_RECORDS:
        for kind in records.ID_KINDS:
            ID_KINDS[kind](tenant)
    for kind in (
        "referral_id",
        "evaluation_id",
        "plan_id",
        "report_id",
        "discharge_id",
        "document_id",
        "delivery_id",
        "program_id",
        "item_id",
        "shorthand_entry_id",
    ):
        ID_KINDS[kind](tenant)
    return tenant


def _once(tenant: Tenant, name: str, make: Callable[[], Any]) -> Any:
    """A record made the first time a URL asks for it, then reused (one open episode per patient)."""
    made = tenant.__dict__.setdefault("_made", {})
    if name not in made:
        made[name] = make()
    return made[name]


def _episode(t: Tenant) -> Any:
    return _once(t, "episode", lambda: f.EpisodeFactory(patient=t.patient, coverage=t.coverage))


def _note(t: Tenant) -> Any:
    return _once(t, "note", lambda: f.TreatmentNoteFactory(episode=_episode(t)))


# Which of a tenant's records each kind of id in a URL names.
ID_KINDS: dict[str, Callable[[Tenant], object]] = {
    "patient_id": lambda t: t.patient.pk,
    "physician_id": lambda t: t.physician.pk,
    "coverage_id": lambda t: t.coverage.pk,
    "episode_id": lambda t: _episode(t).pk,
    "note_id": lambda t: _note(t).pk,
    "referral_id": lambda t: _referral(t).pk,
    "evaluation_id": lambda t: _evaluation(t).pk,
    "plan_id": lambda t: _plan(t).pk,
    "report_id": lambda t: _progress_report(t).pk,
    "discharge_id": lambda t: _discharge(t).pk,
    "delivery_id": lambda t: _delivery(t).pk,
    "program_id": lambda t: _home_program(t).pk,
    "item_id": lambda t: _home_program_item(t).pk,
    "document_id": lambda t: _document(t).pk,
    "clinician_id": lambda t: _episode(t).therapist.pk,
    "shorthand_entry_id": lambda t: _shorthand_entry(t).pk,
}
for _records in APP_RECORDS:
    ID_KINDS.update(_records.ID_KINDS)


def _referral(t: Tenant) -> Any:
    return _once(t, "referral", lambda: f.ReferralFactory(patient=t.patient, physician=t.physician))


def _evaluation(t: Tenant) -> Any:
    from otclinic.clinic.care.models import Evaluation

    def make() -> Any:
        episode = _episode(t)
        return Evaluation.objects.create(
            organization=t.org,
            episode=episode,
            kind="evaluation",
            performed_on=episode.started_on,
            therapist=episode.therapist,
            code="97165",
        )

    return _once(t, "evaluation", make)


def _plan(t: Tenant) -> Any:
    return _once(t, "plan", lambda: f.PlanOfCareFactory(episode=_episode(t)))


def _progress_report(t: Tenant) -> Any:
    from otclinic.clinic.care.models import ProgressReport

    def make() -> Any:
        episode = _episode(t)
        day = episode.started_on
        return ProgressReport.objects.create(
            organization=t.org, episode=episode, report_date=day, period_start=day
        )

    return _once(t, "report", make)


def _discharge(t: Tenant) -> Any:
    from otclinic.clinic.care.models import DischargeSummary

    def make() -> Any:
        episode = _episode(t)
        return DischargeSummary.objects.create(
            organization=t.org,
            episode=episode,
            discharge_date=episode.started_on,
            author=episode.therapist,
            reason="goals_met",
            summary="Goals met.",
        )

    return _once(t, "discharge", make)


def _delivery(t: Tenant) -> Any:
    from otclinic.clinic.care.models import PhysicianDelivery

    def make() -> Any:
        return PhysicianDelivery.objects.create(
            organization=t.org,
            document=_document(t),
            physician=t.physician,
            channel="fax",
            status="failed",
            reason="The line was busy.",
            queued_by=t.user,
        )

    return _once(t, "delivery", make)


def _shorthand_entry(t: Tenant) -> Any:
    from otclinic.clinic.care.models import ShorthandEntry

    return _once(
        t,
        "shorthand_entry",
        lambda: ShorthandEntry.objects.create(
            organization=t.org, phrase="kitch", kind="code", value="97535", category="self_care_adl"
        ),
    )


def _home_program(t: Tenant) -> Any:
    from otclinic.clinic.care.models import HomeProgram

    return _once(
        t,
        "home_program",
        lambda: HomeProgram.objects.create(
            organization=t.org, episode=_episode(t), age_group="adult", created_by=t.user
        ),
    )


def _home_program_item(t: Tenant) -> Any:
    from otclinic.clinic.care.models import HomeProgramItem

    return _once(
        t,
        "home_program_item",
        lambda: HomeProgramItem.objects.create(
            organization=t.org, program=_home_program(t), exercise="putty_squeeze", position=1
        ),
    )


def _document(t: Tenant) -> Any:
    from django.core.files.base import ContentFile

    from otclinic.clinic.care.models import EpisodeDocument

    def make() -> Any:
        document = EpisodeDocument(
            organization=t.org,
            episode=_episode(t),
            kind="home_program",
            title="Home program",
            sha256="0" * 64,
            created_by=t.user,
        )
        document.file.save("home.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
        return document

    return _once(t, "document", make)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _ids(route: Route, tenant: Tenant) -> dict[str, object]:
    unknown = [p for p in route.params if p not in ID_KINDS]
    assert not unknown, f"{route.template} takes {unknown}: add the record it names to ID_KINDS"
    return {p: ID_KINDS[p](tenant) for p in route.params}


def _attack_payload(b: Tenant) -> dict[str, object]:
    """A submission that would be valid for organization B: the worst case for isolation."""
    return {
        "code": "S72.001A",
        "onset_on": "2026-01-02",
        "payer": str(b.payer.pk),
        "payer_id": str(b.payer.pk),
        "patient_id": str(b.patient.pk),
        "member_id": "ZZ9PLURALZ",
        "priority": "secondary",
        "starts_on": "2026-02-01",
        "subscriber_relationship": "self",
        "first_name": "Mallory",
        "last_name": "Intruder",
        "npi": f.next_npi(),
        "mrn": "STOLEN1",
        "birth_date": "1960-01-01",
        "sex": "M",
        "home_clinic": str(b.patient.home_clinic_id),
        "home_clinic_id": str(b.patient.home_clinic_id),
    }


def _post(client: Client, route: Route, url: str, payload: dict[str, object]) -> Any:
    if route.is_api:
        return client.post(url, json.dumps(payload), content_type="application/json")
    return client.post(url, payload)


def _org_rows(org: Organization) -> dict[str, list[dict[str, Any]]]:
    """Every row organization `org` owns, model by model: its whole tenant."""
    return {
        model._meta.label: list(model.objects.filter(organization=org).order_by("pk").values())
        for model in apps.get_models()
        if issubclass(model, OrgOwned)
    }


def _secrets(b: Tenant) -> list[str]:
    return [b.patient.last_name, b.patient.mrn, b.physician.last_name, b.coverage.member_id]


@pytest.fixture
def a() -> Tenant:
    return _tenant()


@pytest.fixture
def b() -> Tenant:
    return _tenant()


@pytest.fixture
def client_a(client: Client, a: Tenant) -> Client:
    client.force_login(a.user)
    return client


def test_the_urlconf_walk_finds_the_pages_and_endpoints_that_take_ids() -> None:
    names = {r.name for r in ID_ROUTES}
    assert {"patient-chart", "diagnosis-add", "api:patient_get", "api:physician_get"} <= names


@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_a_user_reaches_their_own_records_at_every_url_with_an_id(
    client_a: Client, a: Tenant, route: Route
) -> None:
    # The control for the test below: the same URLs answer for the user's own records.
    # A FHIR $export kick-off needs `Prefer: respond-async` and answers 202 Accepted.
    response = client_a.get(route.url(_ids(route, a)), headers={"Prefer": "respond-async"})
    reached = {200, 403, 405} | ({202} if route.name.startswith("fhir-export") else set())
    # A 403 names the role, not the record: the pages look the record up (404) before the role.
    assert response.status_code in reached, response.content[:300]
    if response.status_code == 403:
        assert b"your role may not" in response.content, response.content[:300]


@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_another_organizations_ids_get_404_and_no_data(
    client_a: Client, b: Tenant, route: Route
) -> None:
    # As a page and as an htmx partial, the answer is exactly the one for ids that do not
    # exist (the one NotFound path: pages, partials, downloads and the API's 404 JSON).
    for headers in ({}, {"HX-Request": "true"}):
        response = client_a.get(route.url(_ids(route, b)), headers=headers)
        assert response.status_code in {404, 405}
        body = response.content.decode()
        for secret in _secrets(b):
            assert secret not in body
        missing = client_a.get(route.url(_missing_ids(route)), headers=headers)
        assert refusal_shape(response) == refusal_shape(missing), headers
        if route.template.startswith("api/") and response.status_code == 404:
            assert response.json() == {"detail": "Not Found"}


@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_posting_to_another_organizations_ids_changes_nothing(
    client_a: Client, b: Tenant, route: Route
) -> None:
    before = _org_rows(b.org)
    response = _post(client_a, route, route.url(_ids(route, b)), _attack_payload(b))
    assert response.status_code in {404, 405}
    assert _org_rows(b.org) == before
    for secret in _secrets(b):
        assert secret not in response.content.decode()


@pytest.mark.parametrize("path", ["/patients/?q=Secret", "/api/v1/patients/?q=Secret"])
def test_search_never_returns_another_organizations_patients(
    client_a: Client, a: Tenant, b: Tenant, path: str
) -> None:
    response = client_a.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert a.patient.last_name in body
    assert b.patient.last_name not in body
    assert b.patient.mrn not in body


def test_search_by_another_organizations_mrn_finds_nothing(client_a: Client, b: Tenant) -> None:
    response = client_a.get("/api/v1/patients/", {"q": b.patient.mrn})
    assert response.json() == []


@pytest.mark.parametrize(
    ("path", "secret"),
    [
        ("/physicians/", lambda t: t.physician.last_name),
        ("/api/v1/physicians/", lambda t: t.physician.npi),
        ("/api/v1/payers/", lambda t: t.payer.payer_id),
        ("/billing/codes/", lambda t: payer_records.clinic_code(t).summary),
    ],
)
def test_lists_show_only_the_users_organization(
    client_a: Client, a: Tenant, b: Tenant, path: str, secret: Callable[[Tenant], str]
) -> None:
    body = client_a.get(path).content.decode()
    assert secret(a) in body
    assert secret(b) not in body


def test_coverage_list_for_another_organizations_patient_is_404(
    client_a: Client, b: Tenant
) -> None:
    response = client_a.get("/api/v1/coverages/", {"patient_id": str(b.patient.pk)})
    assert response.status_code == 404
    assert b.coverage.member_id not in response.content.decode()


def test_api_coverage_for_another_organizations_patient_is_404_and_saves_nothing(
    client_a: Client, a: Tenant, b: Tenant
) -> None:
    before = _org_rows(b.org)
    payload = _attack_payload(b) | {"payer_id": str(a.payer.pk)}
    response = client_a.post("/api/v1/coverages/", payload, content_type="application/json")
    assert response.status_code == 404
    assert _org_rows(b.org) == before


def test_api_coverage_with_another_organizations_payer_is_refused(
    client_a: Client, a: Tenant, b: Tenant
) -> None:
    payload = _attack_payload(b) | {"patient_id": str(a.patient.pk)}
    response = client_a.post("/api/v1/coverages/", payload, content_type="application/json")
    assert response.status_code == 422
    assert "payer_id" in response.json()["errors"]
    assert not a.patient.coverages.filter(payer=b.payer).exists()


def test_coverage_page_does_not_offer_or_accept_another_organizations_payer(
    client_a: Client, a: Tenant, b: Tenant
) -> None:
    url = f"/patients/{a.patient.pk}/coverage/new/"
    page = client_a.get(url).content.decode()
    assert a.payer.name in page
    assert b.payer.name not in page
    response = client_a.post(url, _attack_payload(b))
    assert response.status_code == 422
    assert "Payer:" in response.content.decode()
    assert not a.patient.coverages.filter(payer=b.payer).exists()


def test_api_patient_in_another_organizations_clinic_is_refused(
    client_a: Client, b: Tenant
) -> None:
    before = _org_rows(b.org)
    response = client_a.post(
        "/api/v1/patients/", _attack_payload(b), content_type="application/json"
    )
    assert response.status_code == 422
    assert _org_rows(b.org) == before


def test_patient_page_does_not_accept_another_organizations_clinic(
    client_a: Client, a: Tenant, b: Tenant
) -> None:
    response = client_a.post("/patients/new/", _attack_payload(b))
    assert response.status_code == 422
    assert not a.org.clinics.filter(patients__mrn="STOLEN1").exists()
    assert not b.org.clinics.filter(patients__mrn="STOLEN1").exists()


# Anonymous visitors --------------------------------------------------------------------------


def _any_ids(route: Route, tenant: Tenant) -> dict[str, object]:
    return {p: ID_KINDS[p](tenant) for p in route.params if p in ID_KINDS}


@pytest.mark.parametrize("route", [r for r in ROUTES if r.name not in PUBLIC], ids=str)
def test_anonymous_visitors_are_sent_to_sign_in_or_get_401(
    client: Client, a: Tenant, route: Route
) -> None:
    url = route.url(_any_ids(route, a))
    response = client.get(url)
    if route.is_api:
        assert response.status_code in {401, 405}
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    response = _post(client, route, url, _attack_payload(a))
    assert response.status_code in ({401, 405} if route.is_api else {302, 405})
    for secret in _secrets(a):
        assert secret not in response.content.decode()


# Portal users --------------------------------------------------------------------------------

# Pages a portal user is meant to open: sign-in, home (which sends them to the portal), /ping/
# (the layout and nothing else, for any signed-in user) and the portal's own pages
# (tests/clinic/portal walks those with other patients' ids).
PORTAL_PAGES = (
    PUBLIC
    | SIGNED_IN_PAGES
    | {"home", "ping"}
    | {r.name for r in ROUTES if r.name.startswith("portal-")}
    # The FHIR server reads a portal user what is shared with them (tests/clinic/fhir).
    | {r.name for r in ROUTES if r.name.startswith("fhir-")}
)


@pytest.fixture
def portal(a: Tenant) -> Any:
    return f.PortalAccessFactory(patient=a.patient)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.name not in PORTAL_PAGES], ids=str)
def test_portal_users_are_refused_every_staff_page_and_the_api(
    client: Client, a: Tenant, portal: Any, route: Route
) -> None:
    client.force_login(portal.user)
    # Even their own patient's id: the staff chart is not theirs to open.
    url = route.url(_any_ids(route, a))
    assert client.get(url).status_code in {403, 404, 405}
    before = _org_rows(a.org)
    assert _post(client, route, url, _attack_payload(a)).status_code in {403, 404, 405}
    assert _org_rows(a.org) == before


def test_portal_users_see_only_their_own_patient(client: Client, a: Tenant, portal: Any) -> None:
    other = f.PatientFactory(organization=a.org, last_name="Neighbour")
    client.force_login(portal.user)
    body = client.get("/portal/").content.decode()
    assert a.patient.last_name in body
    assert other.last_name not in body


def test_portal_home_is_where_a_portal_user_lands(client: Client, portal: Any) -> None:
    client.force_login(portal.user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


def test_staff_are_refused_the_portal_page(client_a: Client) -> None:
    assert client_a.get("/portal/").status_code == 403


# One 404 shape: htmx partials and downloads ---------------------------------------------------

# The pages that answer with a file: a download of another organization's record must be the
# same 404 as a download of a record that does not exist.
DOWNLOADS = {
    "care-document",  # an episode document (PDF)
    "claims-batch",  # an 837P batch
    "claim-cms1500",  # a CMS-1500 PDF
    "remittance-file",  # an 835
    "payment-receipt",  # a receipt PDF
    "patient-statement-pdf",  # a statement PDF
    "scheduling:clinician-calendar",  # an iCalendar feed
    "eligibility-file",  # a 270/271
    "clearinghouse-file",  # an exchanged X12 file
    "portal-document",  # a handout, in the portal
}
DOWNLOAD_ROUTES = [r for r in ID_ROUTES if r.name in DOWNLOADS]


def _missing_ids(route: Route) -> dict[str, object]:
    return {p: uuid.uuid4() for p in route.params}


def test_the_walk_finds_every_download() -> None:
    assert {r.name for r in DOWNLOAD_ROUTES} == DOWNLOADS


@pytest.mark.parametrize("route", DOWNLOAD_ROUTES, ids=str)
def test_downloads_of_another_organizations_records_are_the_404_page_not_a_file(
    client: Client, a: Tenant, b: Tenant, route: Route
) -> None:
    user = a.user
    if route.name.startswith("portal-"):
        # The patient's own login, and a handout the therapist shared with the portal.
        user = portal_records.access(a).user
        _document(a).__class__.objects.filter(pk=_document(a).pk).update(shared_with_portal=True)
    client.force_login(user)
    own = client.get(route.url(_ids(route, a)))
    assert own.status_code == 200, own.content[:300]
    assert not own["Content-Type"].startswith("text/html")
    theirs = client.get(route.url(_ids(route, b)))
    missing = client.get(route.url(_missing_ids(route)))
    assert refusal_shape(theirs) == refusal_shape(missing)
    assert theirs.status_code == 404 and theirs["Content-Type"].startswith("text/html")
    assert "There is no such page or record here." in theirs.content.decode()

"""How many database queries each page makes, and that none is run once per row of a list.

The demo clinic is seeded twice, each time inside a transaction rolled back afterwards: a clinic
of 40 patients (scale 1) and one with twice the staff and six times the patients (scale 2, 120
patients per scale), both with a revenue cycle (revenue_cycle.py), and every page is rendered as
the demo login that works there. Each statement is reduced to its shape (the SQL without its
values), and a page passes when:

- no shape runs more often on the larger clinic than on the smaller one (a statement run once per
  patient, note, claim or OTA, an N+1, runs more often as the clinic grows; the control test at
  the end shows one being caught). A shape may appear once on one clinic and not on the other:
  Django skips a prefetch when the list it would fill is empty, and which lists are empty for a
  given login differs between the two clinics;
- its total stays within its budget below, on both clinics: a new query on every page shows.

The budgets are the counts measured when the pages were made to scale, the largest over both
clinics, on SQLite and on PostgreSQL, plus the page's audit entry (AUDIT_ENTRIES); lower one when
a page gets cheaper.
"""

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.demo import catalog as demo
from otclinic.clinic.demo.seed import seed_demo
from otclinic.clinic.organizations.models import Organization
from tests.clinic.pages.catalog import PageSpec, baselines, pages
from tests.clinic.pages.revenue_cycle import add_revenue

# Both sizes get the same bulk revenue cycle (add_revenue), not the scale-1 demo's own month.
SMALL = {"scale": 1, "patients_per_scale": 40, "revenue": False}
LARGER = {"scale": 2, "patients_per_scale": 120}

# Each page that shows patients counts one more: its read entry (AUDIT_ENTRIES), one INSERT
# naming them all however many there are, written at the commit (audit.reads).
# The clinicians' homes read their due list's overdue goals and certification follow-ups with
# the episodes' stored checks (care.due_list): no query of their own; their drafts and the notes
# waiting for their co-signature are one query (care.selectors.home_notes_for_user).
BUDGET = {
    "home: OT": 7,
    "home: OTA": 9,
    "home: PT": 7,
    "home: SLP": 7,
    "home: student": 6,
    "home: biller": 2,
    "home: front desk": 5,
    "home: clinic admin": 8,
    "home: patient (portal)": 4,
    "home: caregiver (portal)": 5,
    "patient search": 5,  # + the count of matches, for the pager
    "patient search: birth date": 5,
    "patient search: phone": 5,
    # The episodes' overviews are a section of their own, loaded when it comes into view.
    "chart": 13,  # + the coverages' authorizations, + the referrals the OT may evaluate
    "chart: episodes section": 12,
    "note": 13,
    "co-sign queue": 6,
    # The calendars' pickers, columns and locations' hours come from the cache (one query of
    # the organization's token, scheduling/pickers.py); the visits, the holidays and the
    # chosen clinician's or room's check are read on each view.
    "day calendar: OT": 7,
    "day calendar: front desk": 7,
    "week calendar: OT": 7,
    "week calendar: front desk": 7,
    "day calendar: clinicians side by side": 7,  # the visits' times, then the shown visits
    "day calendar: rooms side by side": 7,
    "claims list": 12,  # + the payer status (277) of the claims shown
    "denials queue": 5,
    "A/R aging": 4,  # the key figures load after the page (ar-figures)
    "patient balances": 5,
    "messages": 7,
    # The supervisees' notes load after the page (supervision-notes).
    "supervision: OT": 4,
    "supervision: clinic admin": 4,
}
AREAS = {
    "homes": [name for name in BUDGET if name.startswith("home: ")],
    "clinical": [
        "patient search",
        "patient search: birth date",
        "patient search: phone",
        "chart",
        "chart: episodes section",
        "note",
        "co-sign queue",
        "messages",
    ],
    "schedule": [name for name in BUDGET if "calendar" in name],
    "billing": ["claims list", "denials queue", "A/R aging", "patient balances"],
    "supervision": [name for name in BUDGET if name.startswith("supervision")],
}


@contextmanager
def demo_clinic(**size: int) -> Iterator[Organization]:
    """The demo clinic at `size`, with its revenue cycle, gone again when the block ends."""
    with transaction.atomic():
        seed_demo(**size)
        organization = Organization.objects.get(slug=demo.ORG_SLUG)
        add_revenue(organization=organization, today=timezone.localdate())
        yield organization
        transaction.set_rollback(True)


def shape(sql: str) -> str:
    """A statement without its values: literals, lists of literals and generated names."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    sql = re.sub(r"\?(?:::\w+)?(?:, \?(?:::\w+)?)*", "?", sql)
    return re.sub(r"\b(_django_curs_|s)\w*", r"\1", sql)


Shapes = dict[str, Counter[str]]
AUDIT_ENTRIES = "(audit entries)"
READ_INSERT = re.compile(r'^INSERT INTO "audit_auditevent"')


def count_queries(specs: list[PageSpec]) -> Shapes:
    """The shapes of each page's statements on its second request (the first warms per-process
    caches), with how many times each ran.

    The page's audit entries are counted apart, as AUDIT_ENTRIES, one per entry: those that wait
    on the connection for a commit that never comes here (the clinic is rolled back), and its
    read entry, which is written at once outside the chain (one INSERT: audit.seals)."""
    found = {}
    for spec in specs:
        client = Client()
        client.force_login(User.objects.get(username=spec.login))
        assert client.get(spec.path).status_code == 200, spec
        pending = len(connection.audit_pending)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(spec.path)
        assert response.status_code == 200, spec
        statements = [q["sql"] for q in captured.captured_queries]
        reads = [sql for sql in statements if READ_INSERT.match(sql)]
        found[spec.name] = Counter(shape(sql) for sql in statements if sql not in reads)
        found[spec.name][AUDIT_ENTRIES] = len(connection.audit_pending) - pending + len(reads)
    return found


def grown(small: Counter[str], larger: Counter[str]) -> dict[str, tuple[int, int]]:
    """The shapes that run more often on the larger clinic (once where there was none is a
    prefetch of a list that was empty on the smaller clinic)."""
    return {sql: (small[sql], n) for sql, n in larger.items() if n > max(small[sql], 1)}


@pytest.fixture(scope="module")
def measured(django_db_setup: Any, django_db_blocker: Any) -> dict[str, Shapes]:
    """Every page's statements on the smaller and the larger clinic, measured once for the
    module (seeding is the slow part); nothing is left in the database."""
    found = {}
    with django_db_blocker.unblock():
        for label, size in (("small", SMALL), ("larger", LARGER)):
            with demo_clinic(**size) as organization:
                specs = pages(organization)
                found[label] = count_queries(baselines(specs) + specs)
    return found


@pytest.mark.parametrize("area", sorted(AREAS))
def test_no_statement_runs_once_per_row_of_a_list(measured: dict[str, Shapes], area: str) -> None:
    growing = {
        name: grown(measured["small"][name], measured["larger"][name]) for name in AREAS[area]
    }
    assert not {name: shapes for name, shapes in growing.items() if shapes}


@pytest.mark.parametrize("area", sorted(AREAS))
def test_every_page_records_its_reads_in_one_audit_entry(
    measured: dict[str, Shapes], area: str
) -> None:
    # One entry naming every patient the page shows (audit.reads), written in one INSERT outside
    # the chain (tests/clinic/audit/test_reads.py): a page never writes one entry per patient,
    # however many it lists.
    entries = {
        name: max(measured[size][name][AUDIT_ENTRIES] for size in ("small", "larger"))
        for name in AREAS[area]
    }
    assert all(n <= 1 for n in entries.values()), entries


@pytest.mark.parametrize("area", sorted(AREAS))
def test_every_page_stays_within_its_query_budget(measured: dict[str, Shapes], area: str) -> None:
    totals = {
        name: max(measured[size][name].total() for size in ("small", "larger"))
        for name in AREAS[area]
    }
    over = {name: (n, BUDGET[name]) for name, n in totals.items() if n > BUDGET[name]}
    assert not over, f"pages over their query budget (queries, budget): {over}"


def test_the_baseline_page_reads_only_the_session_and_the_user(
    measured: dict[str, Shapes],
) -> None:
    totals = {
        name: shapes.total()
        for name, shapes in measured["larger"].items()
        if name.startswith("baseline")
    }
    assert len(totals) == 10
    # An OTA's navigation also asks whether they educate fieldwork students.
    assert totals == {name: 3 if name.endswith("ota.demo") else 2 for name in totals}


def test_every_page_of_the_list_has_a_budget_and_an_area(measured: dict[str, Shapes]) -> None:
    names = [name for name in measured["small"] if not name.startswith("baseline")]
    assert sorted(names) == sorted(BUDGET)
    assert sorted(name for area in AREAS.values() for name in area) == sorted(BUDGET)


@pytest.mark.django_db
def test_a_statement_run_once_per_row_is_caught(monkeypatch: Any) -> None:
    # The control for the tests above: make the claims list ask for each claim's lines one
    # by one, and that statement runs more often on the larger clinic.
    from otclinic.clinic.revenue import views_claims
    from otclinic.clinic.revenue.models import ClaimLine

    original = views_claims._list_context

    def one_query_per_row(request: Any, form: Any) -> dict[str, Any]:
        context = original(request, form)
        for row in context["rows"]:
            list(ClaimLine.objects.filter(claim_id=row.pk))
        return context

    monkeypatch.setattr(views_claims, "_list_context", one_query_per_row)
    found = []
    for size in ({"scale": 1, "patients_per_scale": 4}, {"scale": 1, "patients_per_scale": 12}):
        with demo_clinic(**size) as organization:
            [claims] = [spec for spec in pages(organization) if spec.name == "claims list"]
            found.append(count_queries([claims])["claims list"])
    growing = grown(*found)
    assert len(growing) == 1
    [(sql, (before, after))] = growing.items()
    assert "revenue_claimline" in sql and after > before > 1

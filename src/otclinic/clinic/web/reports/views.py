"""The reports pages: each a plot and its table, the CSV of the same tables, and the lists
behind the counts. Owners (clinic admins) and lead therapists (`Capability.VIEW_REPORTS`);
the money figures only for roles that may see billing."""

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import organization_id_of, require, user_may
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.paging import paginate
from otclinic.clinic.web.reports import clinical, compliance
from otclinic.clinic.web.reports.end_of_day import end_of_day, end_of_day_table
from otclinic.clinic.web.reports.filters import ReportFilter, ReportFilterForm, report_filter
from otclinic.clinic.web.reports.plots import Bar, bar_chart_svg
from otclinic.clinic.web.reports.rows import MONEY_LISTS, ROW_LISTS
from otclinic.clinic.web.reports.tables import Table
from otclinic.domain.access import Capability

PER_PAGE = 25  # the long lists (patients, episodes, rows behind a count), a page at a time


@dataclass
class Built:
    tables: list[Table] = field(default_factory=list)
    plots: list[SafeString] = field(default_factory=list)
    pager: Any = None


@dataclass(frozen=True)
class Ask:
    """What a report is built from: the filter, the clinic's date, the request (for its page)."""

    wanted: ReportFilter
    today: dt.date
    request: AuthenticatedHttpRequest
    # The CSV export: every row of the period and filter, not the page the screen shows.
    whole: bool = False

    @property
    def money(self) -> bool:
        return user_may(self.request.user, Capability.VIEW_BILLING)

    def rows(self, rows: Any) -> tuple[list[Any], int, Any]:
        """A long list's rows to show, how many there are, and the pager (None: all of them)."""
        if self.whole:
            every = list(rows)
            return every, len(every), None
        pager = paginate(self.request, rows, per_page=PER_PAGE)
        return list(pager.rows), pager.count, pager


def _plot(plot_id: str, title: str, bars: list[Bar]) -> SafeString:
    # Safe: every label and value is escaped by bar_chart_svg.
    return mark_safe(bar_chart_svg(plot_id=plot_id, title=title, bars=bars))  # noqa: S308


def _end_of_day(ask: Ask) -> Built:
    day = end_of_day(ask.wanted)
    bars = [
        Bar("Completed", day.completed),
        Bar("Still scheduled or checked in", day.still_open),
        Bar("No-shows", day.no_show),
        Bar("Cancellations", day.cancelled),
        Bar("Notes signed", day.notes_signed),
        Bar("Notes unsigned", day.notes_unsigned),
        Bar("Notes missing", day.notes_missing),
    ]
    return Built(
        [end_of_day_table(day, money=ask.money)], [_plot("plot-eod", "Visits and notes", bars)]
    )


def _productivity(ask: Ask) -> Built:
    rows = clinical.productivity(ask.wanted)
    bars = [Bar(r.name, r.units) for r in rows]
    return Built(
        [clinical.productivity_table(rows)],
        [_plot("plot-units", "Units charged per clinician", bars)],
    )


def _notes(ask: Ask) -> Built:
    rows = clinical.notes_owed(ask.wanted, today=ask.today)
    bars = [Bar(f"{r.name} ({r.what})", r.total) for r in rows]
    return Built(
        [clinical.notes_owed_table(rows)], [_plot("plot-notes", "Notes owed by person", bars)]
    )


def _attendance(ask: Ask) -> Built:
    by_clinician = clinical.attendance_by_clinician(ask.wanted)
    by_weekday = clinical.attendance_by_weekday(ask.wanted)
    by_patient, _, pager = ask.rows(clinical.attendance_by_patient(ask.wanted))
    saw([r["patient_id"] for r in by_patient], "attendance figures")
    tables = [
        clinical.attendance_table("By clinician", "Clinician", by_clinician),
        clinical.attendance_table("By weekday", "Weekday", by_weekday),
        clinical.attendance_table("By patient (most no-shows first)", "Patient", by_patient),
    ]
    bars = [Bar(r["label"], r["no_show"] + r["cancelled"]) for r in by_weekday]
    plot = _plot("plot-attendance", "No-shows and cancellations by weekday", bars)
    return Built(tables, [plot], pager)


def _compliance(ask: Ask) -> Built:
    episodes = compliance.open_episodes(ask.wanted)
    shown, count, pager = ask.rows(episodes.select_related("patient", "therapist__user"))
    # The page's answers first (computed and stored where stale), then the summary over the
    # stored answers, which then include them: the page and its CSV agree.
    rows = compliance.episode_rows(shown, today=ask.today)
    summary = compliance.compliance(ask.wanted, today=ask.today, episodes=count)
    bars = [
        Bar("Certified on time", summary.certified_on_time),
        Bar("Certified late", summary.certified_late),
        Bar("Certification overdue", summary.certification_overdue),
        Bar("Progress report overdue", summary.progress_overdue),
        Bar("Recertification overdue", summary.recert_overdue),
    ]
    tables = [
        compliance.compliance_table(summary),
        compliance.episode_table(rows, today=ask.today),
    ]
    return Built(tables, [_plot("plot-compliance", "Plan-of-care compliance", bars)], pager)


@dataclass(frozen=True)
class Report:
    title: str
    daily: bool
    build: Callable[[Ask], Built]
    about: str


REPORTS: dict[str, Report] = {
    "end-of-day": Report(
        "End of day",
        True,
        _end_of_day,
        "The day's visits, notes, charges and payments; each count opens its list.",
    ),
    "productivity": Report(
        "Visits and units per clinician",
        False,
        _productivity,
        "Completed visits and the units their charges carry, timed and untimed.",
    ),
    "notes": Report(
        "Unsigned and missing notes",
        False,
        _notes,
        "Notes not yet signed, completed visits without a note, and notes waiting for a "
        "co-signature, by age and by who must act.",
    ),
    "attendance": Report(
        "No-shows and cancellations",
        False,
        _attendance,
        "Rates out of the visits booked, by clinician, weekday and patient.",
    ),
    "compliance": Report(
        "Plan-of-care compliance",
        False,
        _compliance,
        "Open episodes: certification on time, progress reports (every 10 treatment days) and "
        "recertifications due or overdue.",
    ),
}


def _report(slug: str) -> Report:
    if slug not in REPORTS:
        raise Http404("No such report.")
    return REPORTS[slug]


def _ask(
    request: AuthenticatedHttpRequest, *, daily: bool, whole: bool = False
) -> tuple[ReportFilterForm, Ask | None]:
    require(request.user, Capability.VIEW_REPORTS)
    today = timezone.localdate()
    form, wanted = report_filter(
        request.GET, organization_id=organization_id_of(request.user), today=today, daily=daily
    )
    return form, Ask(wanted, today, request, whole) if wanted else None


def _cells(table: Table, wanted: ReportFilter) -> list[list[tuple[str, str | None]]]:
    """Each cell's text and, for a count, the link to the list behind it."""
    base = wanted.as_query()
    out = []
    for row in table.rows:
        cells = []
        for cell in row:
            href = None
            if cell.link:
                kind, _, extra = cell.link.partition("&")
                query = {**base, **dict(p.split("=", 1) for p in extra.split("&") if p)}
                href = f"{reverse(f'report-rows-{kind}')}?{urlencode(query)}"
            cells.append((cell.text, href))
        out.append(cells)
    return out


@login_required
@require_GET
def reports_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_REPORTS)
    return render(request, "web/reports/index.html", {"reports": REPORTS})


@login_required
@require_GET
def report_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    report = _report(slug)
    form, ask = _ask(request, daily=report.daily)
    context: dict[str, Any] = {"slug": slug, "report": report, "form": form}
    if ask is None:
        return render(request, "web/reports/report.html", context, status=422)
    built = report.build(ask)
    query = urlencode(ask.wanted.as_query())
    context.update(
        built=built,
        tables=[(t, _cells(t, ask.wanted)) for t in built.tables],
        csv_url=f"{reverse(f'report-csv-{slug}')}?{query}",
    )
    return render(request, "web/reports/report.html", context)


@login_required
@require_GET
def report_csv(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The tables of the page as CSV, each long list with every row of the period and filter
    (not only the page shown); the download is audited."""
    report = _report(slug)
    _, ask = _ask(request, daily=report.daily, whole=True)
    if ask is None:
        return HttpResponse("The report's filter is not valid: open the report page.", status=422)
    built = report.build(ask)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{slug}-{ask.wanted.start}-{ask.wanted.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    out = csv.writer(response)
    for index, table in enumerate(built.tables):
        if index:
            out.writerow([])
        out.writerow([table.caption])
        out.writerows(table.as_csv_rows())
    audit_record(
        action=AuditAction.VIEW,
        object_type="report",
        object_id=slug,
        detail=f"report export: {ask.wanted.describe()}",
    )
    return response


@login_required
@require_GET
def report_rows(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """The rows behind one of the reports' counts, a page at a time."""
    listing = ROW_LISTS.get(kind)
    if listing is None:
        raise Http404("No such list.")
    if kind in MONEY_LISTS:
        require(request.user, Capability.VIEW_BILLING)
    form, ask = _ask(request, daily=True)
    if ask is None:
        context = {"form": form, "listing": listing}
        return render(request, "web/reports/rows.html", context, status=422)
    pager = paginate(request, listing.query(ask.wanted), per_page=PER_PAGE)
    rows = [listing.cells(row) for row in pager.rows]
    audit_record(
        action=AuditAction.VIEW,
        object_type="report",
        object_id=kind,
        detail=f"report list: {ask.wanted.describe()}",
    )
    context = {"form": form, "listing": listing, "pager": pager, "rows": rows, "kind": kind}
    return render(request, "web/reports/rows.html", context)

"""The calendar's visit blocks, written in Python: time, patient, kind, clinician and room,
status, the progress-report mark and the payer's latest eligibility answer.

A grid draws up to a few hundred visits; an included template per visit (with two more
templates inside it) was most of the calendar's time. Every value from a record is escaped
here as the template engine would escape it. A cancelled or no-show visit is labelled in
words, and the mark reads "Progress report due", so nothing depends on colour alone.
"""

from collections.abc import Callable
from typing import Any

from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.dateformat import format as date_format

from otclinic.clinic.common.escaping import escape_text as escape
from otclinic.clinic.common.links import link_maker
from otclinic.clinic.scheduling.calendar_rows import CalendarVisit
from otclinic.clinic.scheduling.models import Appointment, AppointmentKind, AppointmentStatus
from otclinic.domain.scheduling.grid import Cell

_STATUS_BADGE = {
    AppointmentStatus.CANCELLED: '<span class="badge err">✕ Cancelled</span>',
    AppointmentStatus.NO_SHOW: '<span class="badge err">✕ No-show</span>',
    AppointmentStatus.CHECKED_IN: '<span class="badge ok">✓ Checked in</span>',
    AppointmentStatus.COMPLETED: '<span class="badge ok">✓ Completed</span>',
}
_SCHEDULED_BADGE = '<span class="badge">Scheduled</span>'
_PROGRESS_DUE = '<span class="badge warn progress-due">Progress report due</span>'
_ELIGIBLE = {
    True: '<span class="badge ok">✓ Eligible</span>',
    False: '<span class="badge err">✕ Not eligible</span>',
    None: '<span class="badge warn">? Eligibility not answered</span>',
}


# The kinds' names, escaped once (a model's `get_kind_display` rebuilds its choices each call).
_KIND = {kind: escape(label) for kind, label in AppointmentKind.choices}


def _hh_mm(moment: Any, tz: Any) -> str:
    return f"{moment.astimezone(tz):%H:%M}"


def eligibility_html(coverage: Any) -> str:
    """The payer's latest eligibility answer (271) for the coverage a visit is billed to, with
    the date it was read: active or not in words, then what the payer said. Nothing when the
    visit has no coverage."""
    if coverage is None:
        return ""
    checked = coverage.eligibility_checked_at
    if checked is None:
        answer = '<span class="appt-meta muted">Eligibility not checked</span>'
    else:
        on = date_format(timezone.localtime(checked), "M j")
        answer = (
            f"{_ELIGIBLE.get(coverage.eligibility_active, _ELIGIBLE[None])}"
            f' <span class="appt-meta">{escape(coverage.eligibility_summary)}'
            f" <small>(checked {on})</small></span>"
        )
    return f'<span class="appt-line appt-eligibility">{answer}</span>'


def block_html(
    appointment: Appointment | CalendarVisit, link: Callable[[Any], str], tz: Any = None
) -> str:
    """One visit on the calendar, a link to its page (`link` makes it from the id); times in
    the zone `tz`, by default the current one (a grid looks it up once for all its visits)."""
    a = appointment
    tz = tz or timezone.get_current_timezone()
    patient = f"{escape(a.patient.last_name)}, {escape(a.patient.first_name)}"
    room = f" · {escape(a.room.name)}" if a.room is not None else ""
    kind = _KIND.get(a.kind) or escape(a.kind)
    meta = f"{kind} · {escape(a.clinician)}{room}"
    badge = _STATUS_BADGE.get(a.status, _SCHEDULED_BADGE)  # type: ignore[call-overload]
    progress = _PROGRESS_DUE if a.progress_report_due else ""
    coverage = a.episode.coverage if a.episode is not None else None
    return (
        f'<a class="appt appt-{escape(a.status)}" href="{link(a.pk)}">'
        f'<span class="appt-line"><span class="appt-time">{_hh_mm(a.starts_at, tz)}\N{EN DASH}'
        f"{_hh_mm(a.ends_at, tz)}</span>"
        f' <span class="appt-patient">{patient}</span></span>'
        f' <span class="appt-line"><span class="appt-meta">{meta}</span>'
        f" {badge} {progress}</span>"
        f" {eligibility_html(coverage)}</a>"
    )


def appointment_link() -> Callable[[Any], str]:
    """The link of any visit's page, reversed once for a grid."""
    return link_maker("scheduling:appointment")


def booked_cell_html(cell: Cell, link: Callable[[Any], str], rebook: str, tz: Any = None) -> str:
    """A cell of visits: their blocks, how many more start at the same time than it lists,
    and `rebook` (the link to book its slot again when none of them holds the time)."""
    blocks = "".join(block_html(a, link, tz) for a in cell.items)
    more = (
        f'<p class="muted">and {cell.more} more visit{pluralize(cell.more)} at the same time</p>'
        if cell.more
        else ""
    )
    return (
        f'<td class="slot-booked c{cell.column}" rowspan="{cell.rows}">{blocks}{more}{rebook}</td>'
    )

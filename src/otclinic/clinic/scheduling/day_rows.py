"""The home page's day (a clinician's own visits, the clinic's day), its rows written in one pass.

The rows were an included template whose every row resolved some thirty variables, conditions
and two `{% csrf_token %}` tags: most of the template time of a clinician's home. Here each row
is a few f-strings, with the same markup: each value from a record escaped as the template
engine escapes it (`common.escaping.escape_text`; the links come made, `selectors_day.VisitRow`).
A cancelled or no-show visit is struck through and says so in words.
"""

from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe

from otclinic.clinic.common.escaping import escape_text as escape
from otclinic.clinic.scheduling.models import AppointmentStatus
from otclinic.clinic.scheduling.selectors_day import VisitRow

_CLOSED_ROW = ' class="muted appt-closed"'
_ASSISTANT_NOTE = ' <span class="muted">(the therapist writes it: an assistant may not)</span>'


def visit_rows_html(
    rows: Iterable[VisitRow], *, mine: bool, can_schedule: bool, csrf_token: str
) -> SafeString:
    """The `<tr>`s of `rows`: `mine` on the clinician's own list (note and evaluation actions),
    else the clinic's day (a clinician column); a check-in button for a scheduled visit when
    the user may schedule. `csrf_token`: the request's token, for the forms."""
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    return mark_safe("".join(_row(row, mine, can_schedule, csrf) for row in rows))  # noqa: S308 - every value escaped


def _row(appt: VisitRow, mine: bool, can_schedule: bool, csrf: str) -> str:
    time = f'<a href="{escape(appt.detail_url)}">{escape(appt.time)}</a>'
    if appt.closed:
        time = f"<del>{time}</del>"
    status_css = f" {escape(appt.status_css)}" if appt.status_css else ""
    visit = (
        f'{escape(appt.kind_label)}\n    <span class="badge{status_css}">'
        f"{escape(appt.status_label)}</span>"
    )
    if appt.progress_report_due:
        visit += '\n    <span class="badge warn">Progress report due</span>'
        if appt.by_assistant:
            visit += _ASSISTANT_NOTE
    clinician = "" if mine else f"\n  <td>{escape(appt.clinician)}</td>"
    return (
        f'\n<tr{_CLOSED_ROW if appt.closed else ""} id="appt-{escape(appt.pk)}">'
        f"\n  <td>{time}</td>"
        f'\n  <td><a href="{escape(appt.chart_url)}">{escape(appt.patient_name)}</a></td>'
        f"{clinician}"
        f"\n  <td>{visit}\n  </td>"
        f"\n  <td>{escape(appt.room) if appt.room else '—'}</td>"
        f"\n  <td>{_actions(appt, mine, can_schedule, csrf)}\n  </td>\n</tr>\n"
    )


def _actions(appt: VisitRow, mine: bool, can_schedule: bool, csrf: str) -> str:
    spoken = f"{escape(appt.patient_spoken)} at {escape(appt.starts)}"
    actions = []
    if appt.status == AppointmentStatus.SCHEDULED and can_schedule:
        actions.append(
            f'<form method="post" action="{escape(appt.check_in_url)}">{csrf}'
            f'<button type="submit" aria-label="Check in {spoken}">Check in</button></form>'
        )
    if mine and not appt.closed:
        if appt.evaluation_url:
            kind = escape(appt.kind_label.lower())
            referral = "" if appt.episode_id else " from the referral"
            actions.append(
                f'<a class="button primary" href="{escape(appt.evaluation_url)}"'
                f' aria-label="Start the {kind} of {spoken}{referral}">Start {kind}</a>'
            )
        if appt.note_url and appt.note_start_url:
            actions.append(f'<a class="button" href="{escape(appt.note_url)}">Open note</a>')
        elif appt.note_start_url:
            actions.append(
                f'<form method="post" action="{escape(appt.note_start_url)}">{csrf}'
                f'<button type="submit" aria-label="Start the note for {spoken}">'
                "Start note</button></form>"
            )
    return "".join(f"\n    {action}" for action in actions)

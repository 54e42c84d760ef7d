"""The claims list's rows, written in one pass.

The template drew each of a page's claims through some twenty variable lookups, conditions and
two localized dates, with the payer's latest status looked up per row: most of the page's
template time at ten times the demo clinic. Here each row is a few f-strings with the same
markup, each value escaped as the template engine escapes it (`common.escaping`), each date
written as `{{ day }}` writes it (`day_text`).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from otclinic.clinic.common.escaping import day_text
from otclinic.clinic.common.escaping import escape_text as escape
from otclinic.clinic.revenue.selectors import ClaimRow


def claim_rows_html(rows: Iterable[ClaimRow], statuses: Mapping[Any, Any]) -> SafeString:
    """The `<tr>`s of a page of claims; `statuses`: each claim's latest answered payer status
    (an object with `summary` and `status_date`), by claim id, for the claims that have one."""
    return mark_safe("".join(_row(row, statuses.get(row.pk)) for row in rows))  # noqa: S308 - every value escaped


def _row(claim: ClaimRow, answer: Any) -> str:
    frequency = f" ({escape(claim.frequency_label)})" if claim.frequency_label else ""
    dates = day_text(claim.first_service_on)
    if claim.last_service_on != claim.first_service_on:
        dates += f" to {day_text(claim.last_service_on)}"
    status = (
        f'<span class="claim-status">{escape(claim.status_label)}</span>'
        f'<br><small class="scrub">scrub: {escape(claim.scrub_summary)}</small>'
    )
    if claim.crossed_over_to:
        status += f"<br><small>crossed over to {escape(claim.crossed_over_to)}</small>"
    if answer:
        on = f" ({day_text(answer.status_date)})" if answer.status_date else ""
        status += f'<br><small class="payer-status">payer: {escape(answer.summary)}{on}</small>'
    return (
        "<tr>"
        f'\n    <td><a href="{escape(claim.url)}">{escape(claim.patient_control_number)}</a>'
        f"{frequency}</td>"
        f"\n    <td>{escape(claim.patient_name)}</td>"
        f"\n    <td>{escape(claim.payer_name)}</td>"
        f"\n    <td>{dates}</td>"
        f"\n    <td>${escape(localize(claim.total_charge))}</td>"
        f"\n    <td>{status}</td>"
        "\n  </tr>"
    )

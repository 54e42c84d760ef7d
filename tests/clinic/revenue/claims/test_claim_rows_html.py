"""The claims list's rows written in one pass escape every value and write dates and money as
the template engine did."""

import datetime as dt
import uuid
from decimal import Decimal
from types import SimpleNamespace

from django.template import Context, Template

from otclinic.clinic.revenue.claim_rows_html import claim_rows_html
from otclinic.clinic.revenue.selectors import ClaimRow


def _row(**changes: object) -> ClaimRow:
    values: dict[str, object] = {
        "pk": uuid.uuid4(),
        "url": "/billing/claims/1/",
        "patient_control_number": "C-1",
        "frequency_label": "",
        "patient_name": "O'Brien, <Ann> & co",
        "payer_name": 'Payer "One"',
        "first_service_on": dt.date(2026, 11, 2),
        "last_service_on": dt.date(2026, 11, 2),
        "total_charge": Decimal("1234.50"),
        "status_label": "Draft",
        "scrub_summary": "not scrubbed",
        "crossed_over_to": "",
    }
    values.update(changes)
    return ClaimRow(**values)  # type: ignore[arg-type]


def test_every_value_is_escaped_as_the_template_engine_escapes_it() -> None:
    row = _row()
    html = claim_rows_html([row], {})
    expected = Template("{{ a }}|{{ b }}").render(
        Context({"a": row.patient_name, "b": row.payer_name})
    )
    name, payer = expected.split("|")
    assert f"<td>{name}</td>" in html and f"<td>{payer}</td>" in html
    assert "<Ann>" not in html


def test_dates_money_and_the_payer_s_answer_are_written_as_the_template_wrote_them() -> None:
    row = _row(last_service_on=dt.date(2026, 11, 20), crossed_over_to="Medicaid")
    answer = SimpleNamespace(summary="Finalized/Paid", status_date=dt.date(2026, 12, 1))
    html = claim_rows_html([row], {row.pk: answer})
    shown = Template("{{ a }} to {{ b }}|${{ m }}|{{ s }}").render(
        Context(
            {
                "a": row.first_service_on,
                "b": row.last_service_on,
                "m": row.total_charge,
                "s": answer.status_date,
            }
        )
    )
    dates, money, status_date = shown.split("|")
    assert f"<td>{dates}</td>" in html
    assert f"<td>{money}</td>" in html
    assert "crossed over to Medicaid" in html
    assert f"payer: Finalized/Paid ({status_date})" in html
    # A claim the payer has not answered about says nothing of the payer.
    assert "payer:" not in claim_rows_html([row], {})

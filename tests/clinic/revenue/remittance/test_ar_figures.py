"""The A/R key figures (days in A/R, net collection rate, denial rates by payer and CARC), the
aging plot and its CSV."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client

from otclinic.clinic.revenue import posting
from otclinic.clinic.revenue.ar_figures import key_figures
from tests import clock
from tests.clinic.revenue.remittance.helpers import era, make_claim
from tests.clinic.revenue.remittance.test_denials_aging_statements import (
    DENIED_97,
    PAID_WITH_COPAY,
)

pytestmark = pytest.mark.django_db


def _two_claims_answered(org: Any, biller: Any) -> None:
    """One claim paid (150 charged: 100 paid, CO-45 30, PR-3 20 to the patient), one denied
    (150, CO-97, left open in the denials queue)."""
    make_claim(organization=org, control_number="PAID1")
    make_claim(organization=org, control_number="DENY1")
    claims = [PAID_WITH_COPAY.format(pcn="PAID1"), DENIED_97.format(pcn="DENY1")]
    posting.era_import(user=biller, raw=era(claims, payment="100.00").encode(), filename="a.835")


def test_the_key_figures_from_the_ledger(org: Any, biller: Any) -> None:
    _two_claims_answered(org, biller)
    figures = key_figures(organization_id=org.pk, last_day=clock.TODAY, days=365)
    assert (figures.charges, figures.payments, figures.contractual) == (
        Decimal("300.00"),
        Decimal("100.00"),
        Decimal("30.00"),
    )
    assert figures.open_ar == Decimal("170.00")  # 150 denied and open, 20 the patient's
    assert figures.days_in_ar == Decimal("206.8")  # 170 / (300 / 365)
    assert figures.net_collection_rate == Decimal("37.0")  # 100 / (300 - 30)
    [payer] = figures.by_payer
    assert (payer.answered, payer.denied, payer.rate) == (2, 1, Decimal("50.0"))
    [carc] = figures.by_carc
    assert (carc.carc, carc.count, carc.amount) == ("97", 1, Decimal("150.00"))


def _answer_at(biller: Any, pcn: str, moment: dt.datetime, control: str) -> None:
    """An ERA (its own trace number `control`) denying claim `pcn` (CO-97), imported at
    `moment`."""
    with time_machine.travel(moment, tick=False):
        era_text = era([DENIED_97.format(pcn=pcn)], control=control, payment="0.00")
        posting.era_import(user=biller, raw=era_text.encode(), filename=f"{pcn}.835")


def test_the_denial_rates_count_the_answers_of_the_periods_local_days_only(
    org: Any, biller: Any
) -> None:
    # The period of 3 days ending on the suite's day: its first day starts at local midnight,
    # the day after its last starts at the next. An answer a minute inside each end counts;
    # one a minute outside does not.
    zone = clock.clinic_time_zone()
    first, last = clock.TODAY - dt.timedelta(days=2), clock.TODAY
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    minute = dt.timedelta(minutes=1)
    moments = {"BEFORE": start - minute, "FIRST": start + minute, "LAST": end - minute}
    moments["AFTER"] = end + minute
    for n, (pcn, moment) in enumerate(moments.items(), start=1):
        make_claim(organization=org, control_number=pcn)
        _answer_at(biller, pcn, moment, control=f"{n:04d}")
    figures = key_figures(organization_id=org.pk, last_day=last, days=3)
    [payer] = figures.by_payer
    assert (payer.answered, payer.denied) == (2, 2)
    [carc] = figures.by_carc
    assert (carc.carc, carc.count) == ("97", 2)


def test_no_charges_in_the_period_says_so_rather_than_dividing_by_zero(org: Any) -> None:
    figures = key_figures(organization_id=org.pk, last_day=dt.date(2026, 1, 31), days=30)
    assert figures.days_in_ar is None and figures.net_collection_rate is None


def test_the_aging_page_shows_the_figures_the_plot_and_gives_a_csv(
    client: Client, org: Any, biller: Any
) -> None:
    _two_claims_answered(org, biller)
    client.force_login(biller)
    period = {"as_of": clock.TODAY.isoformat(), "days": "365"}
    body = client.get("/billing/aging/", period).content.decode()
    assert '<svg role="img"' in body and "Open A/R by age" in body
    # The figures load after the page (htmx), or open as a page of their own.
    assert f'hx-get="/billing/aging/figures/?as_of={clock.TODAY.isoformat()}&amp;days=365"' in body
    htmx = {"HX-Request": "true"}
    for figures in (
        client.get("/billing/aging/figures/", period, headers=htmx),
        client.get("/billing/aging/figures/", period),
    ):
        assert '<dd id="days-in-ar">206.8</dd>' in figures.content.decode()
        assert '<dd id="net-collection-rate">37.0%</dd>' in figures.content.decode()
    assert client.get("/billing/aging/figures/", {"days": "0"}).status_code == 422
    assert client.get("/billing/aging/", {"days": "0"}).status_code == 422
    csv = client.get("/billing/aging/", {"as_of": clock.TODAY.isoformat(), "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0] == "payer,0-30,31-60,61-90,91-120,120+,total"
    assert lines[-1].startswith("Total,") and lines[-1].endswith(",170.00")

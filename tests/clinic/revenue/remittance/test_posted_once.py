"""Money posts once: a payment is recognised by payer, TRN02 trace number and BPR02 amount,
never by the file's bytes; of two simultaneous imports one posts and the other says so."""

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from click.testing import CliRunner
from django.db import connection

from otclinic.cli.era import era as era_cli
from otclinic.clinic.revenue import posting
from otclinic.clinic.revenue.models import LedgerEntry, LedgerKind, Remittance, RemittanceClaim
from tests.clinic import factories as f
from tests.clinic.revenue.remittance.helpers import era, ledger_sum, make_claim

# A $1,619.00 claim paid 1,619.00 (the figures of the report that three imports of one payment
# showed as -$4,857 paid).
PAID = "CLP*{pcn}*1*1619.00*1619.00*0*12*PAYER1~SVC*HC:97530:GO*1619.00*1619.00~DTM*472*20260312"
WHEN = dt.datetime(2026, 3, 20, 15, tzinfo=dt.UTC)


def _file(*, pcn: str = "OK1", control: str = "0001", payment: str = "1619.00") -> str:
    return era([PAID.format(pcn=pcn)], control=control, payment=payment)


def _snapshot() -> tuple[int, int, int, Decimal]:
    return (
        Remittance.objects.count(),
        RemittanceClaim.objects.count(),
        LedgerEntry.objects.count(),
        ledger_sum(),
    )


def _paid(claim: Any) -> Decimal:
    return -ledger_sum(claim=claim, kind=LedgerKind.PAYER_PAYMENT)


@pytest.mark.django_db
def test_the_same_payment_re_sent_with_crlf_endings_and_a_new_isa13_posts_once(
    org: Any, biller: Any
) -> None:
    claim = make_claim(
        organization=org, control_number="OK1", lines=[("97530", "1619.00", dt.date(2026, 3, 12))]
    )
    original = _file()
    crlf = original.replace("~", "~\r\n")
    new_isa13 = original.replace("000000001", "000000777")
    assert len({original, crlf, new_isa13}) == 3

    first = posting.era_import(user=biller, raw=original.encode(), filename="a.835")
    after_first = _snapshot()
    again = [
        posting.era_import(user=biller, raw=text.encode(), filename=name)
        for name, text in [("crlf.835", crlf), ("isa13.835", new_isa13)]
    ]

    assert len(first.remittances) == 1
    assert all(report.nothing_posted for report in again)
    assert [len(report.already_imported) for report in again] == [1, 1]
    assert _snapshot() == after_first
    assert _paid(claim) == Decimal("1619.00")


@pytest.mark.django_db
def test_posted_twice_in_a_row_the_second_says_when_and_by_whom_it_was_first_posted(
    org: Any, biller: Any
) -> None:
    make_claim(organization=org, control_number="OK1")
    raw = _file().encode()
    with time_machine.travel(WHEN, tick=False):
        posting.era_import(user=biller, raw=raw, filename="a.835")
    other_biller = f.staff_user(organization=org, role="biller")
    with time_machine.travel(WHEN + dt.timedelta(days=9), tick=False):
        again = posting.era_import(user=other_biller, raw=raw, filename="copy.835")

    assert again.already_imported == [
        "payment 1619.00 from ACME HEALTH (trace TRACE0001, transaction 0001) was already posted"
        f" on 2026-03-20 by {biller.username}: nothing posted"
    ]


@pytest.mark.django_db
def test_another_trace_number_or_amount_is_another_payment_and_posts(org: Any, biller: Any) -> None:
    make_claim(organization=org, control_number="OK1")
    make_claim(organization=org, control_number="OK2")
    posting.era_import(user=biller, raw=_file().encode(), filename="a.835")

    other_trace = posting.era_import(
        user=biller, raw=_file(pcn="OK2", control="0002").encode(), filename="b.835"
    )
    other_amount = posting.era_import(
        user=biller, raw=_file(payment="1618.00").encode(), filename="c.835"
    )

    assert len(other_trace.remittances) == 1
    assert len(other_amount.remittances) == 1
    assert Remittance.objects.count() == 3


@pytest.mark.django_db
def test_a_payment_without_trn_is_recognised_by_its_segments(org: Any, biller: Any) -> None:
    make_claim(organization=org, control_number="OK1")
    without_trn = "".join(
        segment + "~" for segment in _file().split("~") if segment and not segment.startswith("TRN")
    ).replace("SE*14*", "SE*13*")
    first = posting.era_import(user=biller, raw=without_trn.encode(), filename="a.835")
    resent = without_trn.replace("~", "~\n").replace("000000001", "000000002")

    again = posting.era_import(user=biller, raw=resent.encode(), filename="b.835")
    changed = posting.era_import(
        user=biller, raw=without_trn.replace("PAYER1", "PAYER2").encode(), filename="c.835"
    )

    assert len(first.remittances) == 1
    assert (
        again.nothing_posted and "(no trace number, transaction 0001)" in again.already_imported[0]
    )
    assert len(changed.remittances) == 1


@pytest.mark.django_db
def test_a_payment_first_recorded_by_its_payer_name_is_recognised_by_it_later(
    org: Any, biller: Any
) -> None:
    # As rows posted before TRN03 was kept are: recognised by the payer name.
    make_claim(organization=org, control_number="OK1")
    posting.era_import(user=biller, raw=_file().encode(), filename="a.835")
    Remittance.objects.update(payer_key="ACME HEALTH")

    again = posting.era_import(user=biller, raw=_file().encode(), filename="b.835")

    assert again.nothing_posted and len(again.already_imported) == 1


@pytest.mark.django_db
def test_one_file_holding_the_same_payment_twice_posts_it_once(org: Any, biller: Any) -> None:
    claim = make_claim(organization=org, control_number="OK1")
    single = _file()
    st = single[single.index("ST*835") : single.index("GE*")]
    twice = single[: single.index("GE*")] + st + "GE*2*1~IEA*1*000000001~"

    report = posting.era_import(user=biller, raw=twice.encode(), filename="twice.835")

    assert len(report.remittances) == 1 and len(report.already_imported) == 1
    assert _paid(claim) == Decimal("1619.00")


@pytest.mark.django_db
def test_the_loser_of_a_race_gets_the_message_and_not_an_integrity_error(
    org: Any, biller: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The other import commits between this one's look and its insert: the look finds nothing,
    # the unique constraint refuses the insert, and the import answers as for any re-sent file.
    make_claim(organization=org, control_number="OK1")
    raw = _file().encode()
    posting.era_import(user=biller, raw=raw, filename="a.835")
    before = _snapshot()
    real = posting.posted_before
    looks: list[str] = []

    def late(**kwargs: Any) -> Any:
        looks.append("look")
        return None if len(looks) == 1 else real(**kwargs)

    monkeypatch.setattr(posting, "posted_before", late)
    report = posting.era_import(user=biller, raw=raw, filename="b.835")

    assert looks == ["look", "look"]
    assert report.nothing_posted and "was already posted on" in report.already_imported[0]
    assert _snapshot() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_imports_post_once_and_the_other_gets_the_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org = f.OrganizationFactory()
    billers = [f.staff_user(organization=org, role="biller") for _ in range(2)]
    claim = make_claim(organization=org, control_number="OK1")
    raw = _file().encode()
    # Both imports look (and find nothing) before either inserts: the race the constraint settles.
    barrier = threading.Barrier(2, timeout=30)
    real = posting.posted_before
    waited: set[int] = set()

    def look_then_wait(**kwargs: Any) -> Any:
        found = real(**kwargs)
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            barrier.wait()
        return found

    monkeypatch.setattr(posting, "posted_before", look_then_wait)
    outcomes: list[object] = []

    def run(user: Any) -> None:
        try:
            outcomes.append(posting.era_import(user=user, raw=raw, filename="same.835"))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever a thread raised
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(user,)) for user in billers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    reports = [o for o in outcomes if isinstance(o, posting.ImportReport)]
    assert len(reports) == 2, outcomes
    posted = [r for r in reports if r.remittances]
    told = [r for r in reports if r.nothing_posted]
    assert len(posted) == 1 and len(told) == 1
    assert "was already posted on" in told[0].already_imported[0]
    winner = Remittance.objects.get()
    assert winner.imported_by.username in told[0].already_imported[0]
    # Nothing half-written: one remittance, its claim, and the claim paid once.
    assert RemittanceClaim.objects.count() == 1
    assert _paid(claim) == Decimal("1619.00")


@pytest.mark.django_db
def test_era_import_on_the_command_line_says_when_and_by_whom_and_exits_0(
    org: Any, biller: Any, tmp_path: Any
) -> None:
    make_claim(organization=org, control_number="OK1")
    path = tmp_path / "a.835"
    path.write_text(_file())
    args = ["import", str(path), "--organization", org.slug, "--user", biller.username]
    with time_machine.travel(WHEN, tick=False):
        CliRunner().invoke(era_cli, args)
    (tmp_path / "b.835").write_text(_file().replace("~", "~\r\n"))

    again = CliRunner().invoke(era_cli, [*args[:1], str(tmp_path / "b.835"), *args[2:]])

    assert again.exit_code == 0, again.output
    assert f"was already posted on 2026-03-20 by {biller.username}: nothing posted" in again.output
    assert "Nothing posted." in again.output

"""The biller's walk, in a real browser: from two signed notes to a posted payment and a worked
denial.

An Ohio practice (OT, supervised OTA, a Medicare Part B patient with an active plan of care and
a certifying physician, a fee schedule). Two notes are signed before the walk starts: the
therapist's documentation is another test's walk. Then, on the billing pages: charges, a draft
claim, scrubbed and marked ready, the 837P downloaded (and validated by pyx12), the payer's 835
written here from that file (the first visit's lines paid with a CO-45 contractual adjustment
and PR-2 coinsurance, the second visit's line denied CO-50), uploaded twice (the second time
posts nothing), the denial worked (written off: CO means the clinic, not the patient, is
liable), and the A/R aging and the patient's balance checked to the cent against figures
computed here.
"""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otclinic.domain.claims.x12.era import read_era
from tests import clock
from tests.browser.checks import sign_in
from tests.browser.demo_data import DemoClinic, Login, between_requests
from tests.browser.job_worker import JobWorker, job_done
from tests.browser.x12_walk import (
    BilledClaim,
    ClaimAnswer,
    LinePayment,
    claims_in_837,
    write_835,
)
from tests.clinic import factories as f
from tests.clock import TODAY
from tests.domain.claims.p837.pyx12_check import assert_passes, validate

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CENT = Decimal("0.01")
COINSURANCE = Decimal("0.20")  # Part B: the patient pays 20% of the allowed amount
ALLOWED_PER_UNIT = {"97530": Decimal("35.10"), "97535": Decimal("33.00")}  # builders.FEES
BUCKETS = ("0-30", "31-60", "61-90", "91-120", "120+")


@pytest.fixture
def ohio(demo_clinic: DemoClinic, django_db_blocker: Any) -> dict[str, Any]:
    from django.test import override_settings

    from tests.browser.demo_data import FAST_HASHER
    from tests.clinic.revenue.claims.builders import billing_practice, fee_schedule, note

    today = TODAY
    first, second = today - dt.timedelta(days=40), today - dt.timedelta(days=33)
    with between_requests(django_db_blocker), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        b = billing_practice()
        start = today - dt.timedelta(days=45)
        b.episode.started_on = start
        b.episode.save()
        b.plan.established_on = start
        b.plan.signed_at = clock.now()
        b.plan.save()
        for year in {first.year, second.year} - {2026}:
            fee_schedule(b.org, year=year)
        visit_1 = note(
            b,
            ("97530", {"therapist_minutes": 30}),
            ("97535", {"therapist_minutes": 15}),
            day=first,
        )
        visit_2 = note(b, ("97530", {"assistant_minutes": 38}), day=second, author=b.ota)
        return {
            "biller": Login(b.biller.username, f.PASSWORD),
            "patient_id": str(b.patient.pk),
            "last_name": b.patient.last_name,
            "member_id": b.coverage.member_id,
            "org_name": b.org.name,
            "payer_name": b.payer.name,
            "org_npi": b.org.npi,
            "notes": {first: str(visit_1.pk), second: str(visit_2.pk)},
            "first": first,
            "second": second,
        }


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT)


def _answer(claim: BilledClaim, denied_on: dt.date) -> ClaimAnswer:
    """The payer pays the first visit's lines at the allowed amount less 20% coinsurance, and
    denies the second visit's line as not medically necessary (CO-50)."""
    payments = []
    for line in claim.lines:
        if line.date_of_service == denied_on:
            payments.append(LinePayment(line, Decimal("0.00"), (("CO", "50", line.charge),)))
            continue
        allowed = _cents(ALLOWED_PER_UNIT[line.code] * line.units)
        coinsurance = _cents(allowed * COINSURANCE)
        adjustments = (("CO", "45", line.charge - allowed), ("PR", "2", coinsurance))
        payments.append(LinePayment(line, allowed - coinsurance, adjustments, allowed=allowed))
    return ClaimAnswer(claim, "1", "26" + claim.control_number[:12], tuple(payments))


def _walk_to_ready(
    page: Page, t: dict[str, Any], shot: Callable[[Page, str], Path], worker: JobWorker
) -> None:
    page.goto("/billing/claims/")
    expect(page.get_by_text("2 signed note(s) without charges")).to_be_visible()
    shot(page, "claims-work-to-do")
    # The button only queues the run: its page says so, and polls until a worker has done it.
    with worker.held():
        page.get_by_role("button", name="Create charges for signed notes").click()
        expect(page.get_by_role("heading", name="Create charges for signed notes")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("Waiting for a worker to start it.")
        expect(page.locator("#job-progress")).to_have_attribute("hx-trigger", "every 2s")
        shot(page, "job-queued")
    job_done(page, re.compile(r"\d+ charge\(s\) created from 2 signed note\(s\)"))
    expect(page.locator("#job-progress")).not_to_have_attribute("hx-trigger", "every 2s")
    shot(page, "job-done")
    page.get_by_role("link", name="Back to the claims").click()
    page.get_by_role("button", name="Assemble draft claims").click()
    job_done(page, "1 draft claim(s) assembled")
    page.get_by_role("link", name="Draft claims").click()
    row = page.locator("tbody tr").filter(has_text=t["last_name"])
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Draft")
    shot(page, "claims-draft")
    row.get_by_role("link").first.click()
    page.get_by_role("button", name="Scrub").click()
    expect(page.locator("#problems")).to_contain_text("No problems found.")
    shot(page, "claim-scrubbed")
    page.get_by_role("button", name="Mark ready").click()
    expect(page.get_by_text("The claim is ready to export.")).to_be_visible()
    expect(page.locator("#claim-h")).to_contain_text("Ready")


def _export(page: Page, tmp_path: Path) -> str:
    page.get_by_role("link", name="All claims").click()
    page.get_by_role("button", name=re.compile(r"Export 837P \(1 ready\)")).click()
    job_done(page, "1 837P file(s) written with 1 claim(s).")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Download 837P for ")).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path.read_text(encoding="utf-8")


def _upload(page: Page, path: Path) -> None:
    page.goto("/billing/remittances/upload/")
    page.get_by_label("835 remittance file").set_input_files(str(path))
    page.get_by_role("button", name="Import and post").click()
    job_done(page, f"Result for {path.name}")


def _aging_row(page: Page, payer: str) -> Any:
    return page.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=payer))


def test_the_biller_takes_two_signed_notes_to_a_posted_payment_and_a_worked_denial(
    page: Page,
    ohio: dict[str, Any],
    screenshot: Callable[[Page, str], Path],
    tmp_path: Path,
    job_worker: JobWorker,
) -> None:
    t = ohio
    sign_in(page, t["biller"])
    _walk_to_ready(page, t, screenshot, job_worker)

    # The 837P: downloaded as a file, accepted by pyx12, one claim with both visits' lines.
    text = _export(page, tmp_path)
    assert_passes(text)
    [claim] = claims_in_837(text)
    assert claim.member_id == t["member_id"]
    assert {line.date_of_service for line in claim.lines} == {t["first"], t["second"]}
    assert claim.total == sum((line.charge for line in claim.lines), Decimal("0.00"))
    page.goto("/billing/claims/")
    claims = page.get_by_role("region", name="Claims", exact=True)
    expect(claims.locator("tbody tr").filter(has_text=t["last_name"])).to_contain_text("Submitted")
    files = page.locator("section").filter(has_text="837P files")
    expect(files.get_by_role("link", name="Download 837P")).to_have_count(1)
    screenshot(page, "claims-exported")

    # The payer's answer, written from the exported claim, read back by our own reader.
    answer = _answer(claim, denied_on=t["second"])
    era_text = write_835([answer], paid_on=TODAY, payee_name=t["org_name"], payee_npi=t["org_npi"])
    assert validate(era_text).errors == []  # pyx12 writes no usable 999 for an 835: read its errors
    era = read_era(era_text)
    assert era.warnings == ()
    [tx] = era.transactions
    assert tx.payment.amount == answer.paid
    [paid_claim] = tx.claims
    assert paid_claim.patient_control_number == claim.control_number
    assert paid_claim.patient_responsibility == answer.patient_responsibility
    era_path = tmp_path / "medicare-b.835"
    era_path.write_text(era_text, encoding="utf-8")

    paid = answer.paid
    coinsurance = answer.patient_responsibility
    contractual = sum(
        (a for p in answer.lines for g, r, a in p.adjustments if (g, r) == ("CO", "45")),
        Decimal("0.00"),
    )
    [denied_line] = [line for line in claim.lines if line.date_of_service == t["second"]]
    denied = denied_line.charge
    assert paid > 0 and coinsurance > 0 and contractual > 0 and denied > 0
    # Every cent billed is paid, adjusted, owed by the patient or denied.
    assert claim.total == paid + contractual + coinsurance + denied

    # Posted: the payment, the patient's share and the denial, reported on the page.
    _upload(page, era_path)
    posted = page.locator("table").filter(has_text="Patient owes").locator("tbody tr")
    expect(posted).to_have_count(1)
    expect(posted).to_contain_text(claim.control_number)
    expect(posted.locator("td").nth(3)).to_have_text(str(paid))
    expect(posted.locator("td").nth(4)).to_have_text(str(coinsurance))
    expect(page.get_by_text(f"CO-50 {denied}")).to_be_visible()
    expect(page.get_by_text("Nothing posted.")).to_have_count(0)
    screenshot(page, "era-posted")

    # The same file again posts nothing, and says so.
    _upload(page, era_path)
    expect(page.get_by_text("Nothing posted.")).to_be_visible()
    expect(page.get_by_text("was already posted")).to_be_visible()
    expect(page.locator("table").filter(has_text="Patient owes")).to_have_count(0)
    screenshot(page, "era-nothing-posted")

    # Before the denial is worked, its amount is still owed by the payer.
    today = TODAY
    age = BUCKETS.index("31-60")  # the claim ages from its first date of service, 40 days ago
    page.goto("/billing/aging/")
    payer_row = _aging_row(page, t["payer_name"])
    expect(payer_row.locator("td").nth(age)).to_have_text(str(denied))

    # The denials queue: grouped by payer and CARC, the largest group shown, explained, with the
    # next action.
    page.get_by_role("navigation", name="Remittance and receivables").get_by_role(
        "link", name="Denials"
    ).click()
    groups = page.get_by_role("region", name="Open denials by payer and reason")
    expect(groups.locator("tbody tr")).to_have_count(1)
    expect(groups.locator("tbody tr")).to_contain_text("CARC 50")
    group = page.get_by_role("region", name=re.compile(r"CARC 50: 1 denial"))
    expect(group).to_contain_text("not consider the service medically necessary")
    expect(group).to_contain_text("Next action: Appeal with documentation")
    expect(group.locator("tbody tr")).to_have_count(1)
    expect(group.locator("tbody tr")).to_contain_text(str(denied))
    screenshot(page, "denials-queue")
    group.get_by_role("link", name=f"Work denial {claim.control_number}").click()

    # The denial: our explanation, the next action, the note behind the line.
    details = page.locator("section", has=page.get_by_role("heading", name="What the payer said"))
    expect(details).to_contain_text("The payer does not consider the service medically necessary.")
    expect(details).to_contain_text("Appeal with documentation")
    note_link = page.get_by_role("link", name=re.compile(r"^note of "))
    expect(note_link).to_have_attribute("href", f"/care/notes/{t['notes'][t['second']]}/")
    screenshot(page, "denial-detail")
    note_link.click()
    expect(page).to_have_url(re.compile(f"/care/notes/{t['notes'][t['second']]}/$"))
    expect(page.get_by_text("97530").first).to_be_visible()
    page.go_back()
    # CO: the clinic is liable, not the patient; without grounds to appeal, it is written off.
    page.get_by_label("What to do").select_option("write_off")
    page.get_by_label("Note").fill("no grounds to appeal; documentation reviewed")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Denial updated.")).to_be_visible()
    expect(details).to_contain_text("Written off")
    screenshot(page, "denial-written-off")
    page.get_by_role("navigation", name="Remittance and receivables").get_by_role(
        "link", name="Denials"
    ).click()
    expect(page.locator("section").filter(has_text="CARC 50").locator("tbody tr")).to_have_count(0)

    # A/R aging: the payer owes nothing more; the patient owes the coinsurance.
    page.goto(f"/billing/aging/?as_of={today.isoformat()}")
    expect(_aging_row(page, t["payer_name"])).to_have_count(0)
    patient_row = _aging_row(page, "Patient responsibility")
    expect(patient_row.locator("td").nth(age)).to_have_text(str(coinsurance))
    expect(page.locator("#aging-total")).to_have_text(str(coinsurance))
    screenshot(page, "ar-aging")

    # The patient's balance: the coinsurance of the paid visit, nothing for the written-off one.
    page.goto(f"/billing/patients/{t['patient_id']}/balance/")
    expect(page.locator("#balance-due")).to_have_text(str(coinsurance))
    shares = page.locator("section").filter(has_text="Services with a patient share")
    expect(shares.locator("tbody tr")).to_have_count(
        len([line for line in claim.lines if line.date_of_service == t["first"]])
    )
    # The ledger reconciles: charges less payments, adjustments and the write-off leave exactly
    # the coinsurance open.
    ledger = page.locator("section").filter(has_text="Ledger").locator("tbody tr")
    amounts = [Decimal(cell) for cell in ledger.locator("td:nth-child(7)").all_inner_texts()]
    assert sum(amounts, Decimal("0.00")) == coinsurance
    assert sum((a for a in amounts if a > 0), Decimal("0.00")) == claim.total + coinsurance
    screenshot(page, "patient-balance")

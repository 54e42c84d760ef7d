"""A billing office's month, in a real browser, through the pages (never the services).

An Ohio practice bills Medicare Part B for two patients: Avery (three visit lines over two
visits, with a Medigap plan after Medicare) and Blake (one visit, with a commercial plan after
Medicare). The biller creates the charges and the two claims, scrubs them,
exports the 837P (validated by pyx12), imports the clearinghouse's 999 (the file was readable)
and its 277CA (Avery's claim accepted, Blake's rejected for the subscriber's member number),
sends Blake's claim back to draft, scrubs it and resends it, with a 999 and a 277CA for the
second file. The payer's 835 pays both claims (CO-45 contractual, PR-2 coinsurance) and denies
Avery's second visit (CO-50); the denial is worked (written off). Medicare crossed Avery's claim
over to the Medigap plan (CLP02 19, NM1*TT, MOA MA18): the claim to it is made by the posting,
the claims list says so and nothing is exported for it. The biller bills Blake's secondary from
Medicare's claim ("Bill the next payer"), exports that 837P (validated by pyx12, with Medicare's
adjudication), and posts its 835; the Medigap plan's 835 answers under Medicare's claim number
(CLP02 2) and posts on the crossover claim. Each later payer pays half of the coinsurance and
leaves the rest to the patient. The front desk takes what Avery still owes with something over,
refunds what was over, and takes part of what Blake owes. Every X12 file is written here from
the exported 837P.

After each step the A/R aging is reconciled to the cent: each payer's row equals what its claims
still owe (from the figures the payers answered with, computed here), the patients' row equals
the sum of the patient balances page, and the aging total is the sum of the two. The key
figures at the end follow from the same figures.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otclinic.domain.claims.x12.ack999 import read_999
from otclinic.domain.claims.x12.status277 import read_277
from tests import clock
from tests.browser.checks import sign_in
from tests.browser.demo_data import DemoClinic, Login, between_requests
from tests.browser.job_worker import JobWorker, job_done
from tests.browser.x12_walk import (
    BilledClaim,
    ClaimAnswer,
    LinePayment,
    Rejection277,
    claims_in_837,
    write_277ca,
    write_835,
    write_999,
)
from tests.clinic import factories as f
from tests.domain.claims.p837.pyx12_check import assert_passes, validate

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
COINSURANCE = Decimal("0.20")  # Part B: the patient pays 20% of the allowed amount
ALLOWED_PER_UNIT = {"97530": Decimal("35.10"), "97535": Decimal("33.00")}  # builders.FEES


@dataclass
class Month:
    biller: Login
    desk: Login
    org_name: str
    org_npi: str
    payer_name: str
    patients: dict[str, dict[str, Any]]  # "avery", "blake": id, last_name, member_id
    denied_on: dt.date  # Avery's second visit, denied CO-50
    medigap: str  # Avery's supplemental plan, which Medicare forwards the claim to
    secondary: str  # Blake's commercial plan, billed by the biller after Medicare
    secondary_member_id: str


def _patient_with_plan(b: Any, *, member_id: str, start: dt.date) -> tuple[Any, Any]:
    """Another Medicare patient of the practice with an open episode and an active plan."""
    from otclinic.clinic.care.models import PlanDiagnosis, PlanStatus

    patient = f.PatientFactory(
        organization=b.org,
        home_clinic=b.clinic,
        address="40 Example Ave",
        city="Columbus",
        state="OH",
        zip_code="43202",
    )
    coverage = f.CoverageFactory(patient=patient, payer=b.payer, member_id=member_id)
    episode = f.EpisodeFactory(
        patient=patient,
        therapist=b.ot,
        coverage=coverage,
        referral=f.ReferralFactory(patient=patient, physician=b.physician),
        started_on=start,
    )
    plan = f.PlanOfCareFactory(
        episode=episode,
        status=PlanStatus.ACTIVE,
        certifying_physician=b.physician,
        established_on=start,
        signed_at=clock.now(),
    )
    for rank, code in enumerate(["M19.041", "R27.8"], start=1):
        diagnosis = f.DiagnosisFactory(patient=patient, code=code)
        PlanDiagnosis.objects.create(organization=b.org, plan=plan, diagnosis=diagnosis, rank=rank)
    return patient, episode


@pytest.fixture
def month(demo_clinic: DemoClinic, django_db_blocker: Any) -> Month:
    from django.test import override_settings

    from tests.browser.demo_data import FAST_HASHER
    from tests.clinic.revenue.claims.builders import billing_practice, note

    today = clock.TODAY
    start = today - dt.timedelta(days=45)
    first, second = today - dt.timedelta(days=40), today - dt.timedelta(days=33)
    with between_requests(django_db_blocker), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        b = billing_practice()
        b.episode.started_on = start
        b.episode.save()
        b.plan.established_on = start
        b.plan.signed_at = clock.now()
        b.plan.save()
        note(
            b,
            ("97530", {"therapist_minutes": 30}),
            ("97535", {"therapist_minutes": 15}),
            day=first,
        )
        note(b, ("97530", {"assistant_minutes": 38}), day=second, author=b.ota)
        blake, episode = _patient_with_plan(b, member_id="2AC3DF6GH84", start=start)
        note(
            b,
            ("97530", {"therapist_minutes": 38}),
            day=first + dt.timedelta(days=2),
            episode=episode,
        )
        medigap = f.PayerFactory(
            organization=b.org, name="AARP MEDIGAP", plan_kind="commercial", payer_id="MG00123"
        )
        f.CoverageFactory(patient=b.patient, payer=medigap, priority="secondary")
        secondary = f.PayerFactory(
            organization=b.org,
            name="GREAT VALLEY HEALTH",
            plan_kind="commercial",
            payer_id="GVH01",
            claim_filing_indicator="CI",
        )
        f.CoverageFactory(
            patient=blake, payer=secondary, priority="secondary", member_id="GVH778812"
        )
        desk = f.UserFactory(organization=b.org, role="front_desk")
        return Month(
            biller=Login(b.biller.username, f.PASSWORD),
            desk=Login(desk.username, f.PASSWORD),
            org_name=b.org.name,
            org_npi=b.org.npi,
            payer_name=b.payer.name,
            patients={
                "avery": {"id": str(b.patient.pk), "last_name": b.patient.last_name},
                "blake": {"id": str(blake.pk), "last_name": blake.last_name},
            },
            denied_on=second,
            medigap=medigap.name,
            secondary=secondary.name,
            secondary_member_id="GVH778812",
        )


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT)


def _answer(
    claim: BilledClaim,
    *,
    denied_on: dt.date | None,
    payer_claim_number: str,
    forwarded_to: tuple[str, str] | None = None,
) -> ClaimAnswer:
    """The payer pays each line at the allowed amount less 20% coinsurance, and denies the
    lines of `denied_on` as not medically necessary (CO-50). With `forwarded_to`, the claim is
    crossed over to that supplemental payer (CLP02 19, NM1*TT, MOA MA18)."""
    payments = []
    for line in claim.lines:
        if line.date_of_service == denied_on:
            payments.append(LinePayment(line, ZERO, (("CO", "50", line.charge),)))
            continue
        allowed = _cents(ALLOWED_PER_UNIT[line.code] * line.units)
        coinsurance = _cents(allowed * COINSURANCE)
        adjustments = (("CO", "45", line.charge - allowed), ("PR", "2", coinsurance))
        payments.append(LinePayment(line, allowed - coinsurance, adjustments, allowed=allowed))
    if forwarded_to is not None:
        return ClaimAnswer(
            claim, "19", payer_claim_number, tuple(payments), forwarded_to=forwarded_to
        )
    return ClaimAnswer(claim, "1", payer_claim_number, tuple(payments))


def _later_answer(prior: ClaimAnswer, claim: BilledClaim, payer_claim_number: str) -> ClaimAnswer:
    """A later payer's answer (CLP02 2) to `claim`, line for line after `prior`: it pays half
    of what the prior payer left to the patient (rounded down to the cent) and leaves the rest
    to the patient (PR 2); it restates the prior contractual amount (CO 45) and puts the rest
    of the prior adjudication under OA 23 (what the prior payer paid, or all of a denied
    line)."""
    payments = []
    for before, line in zip(prior.lines, claim.lines, strict=True):
        assert (before.line.code, before.line.charge) == (line.code, line.charge)
        share = _sum(a for g, _, a in before.adjustments if g == "PR")
        pays = (share / 2).quantize(CENT, rounding=ROUND_DOWN)
        contractual = _sum(a for g, r, a in before.adjustments if (g, r) == ("CO", "45"))
        prior_adjudication = line.charge - pays - (share - pays) - contractual
        adjustments = tuple(
            (g, r, a)
            for g, r, a in (
                ("OA", "23", prior_adjudication),
                ("CO", "45", contractual),
                ("PR", "2", share - pays),
            )
            if a
        )
        payments.append(LinePayment(line, pays, adjustments))
    return ClaimAnswer(claim, "2", payer_claim_number, tuple(payments), filing="12")


def _sum(amounts: Any) -> Decimal:
    return sum(amounts, ZERO)


def _adjusted(answer: ClaimAnswer, group: str, reason: str) -> Decimal:
    return _sum(a for p in answer.lines for g, r, a in p.adjustments if (g, r) == (group, reason))


def _money_on(page: Page, selector: str) -> Decimal:
    return Decimal(page.locator(selector).inner_text().strip().replace(",", ""))


def _reconciled(
    page: Page, m: Month, *, payers_owe: Decimal | dict[str, Decimal], patients_owe: Decimal
) -> None:
    """The aging page against what the claims and the patients owe, to the cent. `payers_owe`
    is what Medicare owes, or what each payer owes by name (every payer of the walk named)."""
    owed_by = payers_owe if isinstance(payers_owe, dict) else {m.payer_name: payers_owe}
    owed_by = {m.payer_name: ZERO, m.medigap: ZERO, m.secondary: ZERO, **owed_by}
    page.goto(f"/billing/aging/?as_of={clock.TODAY.isoformat()}")
    rows = list(owed_by.items())
    rows.append(("Patient responsibility", patients_owe))
    for name, owed in rows:
        row = page.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=name))
        if owed:
            expect(row.locator("td").last).to_have_text(str(owed))
        else:
            expect(row).to_have_count(0)
    assert _money_on(page, "#aging-total") == _sum(owed_by.values()) + patients_owe
    page.goto("/billing/balances/")
    balances = page.locator("table tbody tr td:nth-child(2)").all_inner_texts()
    assert _sum(Decimal(b) for b in balances) == patients_owe, balances


def _save(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _scrub_and_mark_ready(page: Page, last_name: str) -> None:
    page.goto("/billing/claims/?status=draft")
    page.locator("tbody tr").filter(has_text=last_name).get_by_role("link").first.click()
    page.get_by_role("button", name="Scrub").click()
    expect(page.locator("#problems")).to_contain_text("No problems found.")
    page.get_by_role("button", name="Mark ready").click()
    expect(page.get_by_text("The claim is ready to export.")).to_be_visible()


def _export(page: Page, tmp_path: Path, ready: int) -> str:
    page.goto("/billing/claims/")
    page.get_by_role("button", name=f"Export 837P ({ready} ready)").click()
    job_done(page, f"1 837P file(s) written with {ready} claim(s).")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Download 837P for ")).first.click()
    path = tmp_path / f"sent-{ready}-{info.value.suggested_filename}"
    info.value.save_as(path)
    return path.read_text(encoding="utf-8")


def _import_acknowledgment(page: Page, path: Path, result: str) -> None:
    page.goto("/billing/acknowledgments/")
    page.get_by_label("Acknowledgment file (999 or 277CA)").set_input_files(str(path))
    page.get_by_role("button", name="Import the acknowledgment").click()
    expect(page.get_by_role("status")).to_contain_text(result)


def _claim_status(page: Page, last_name: str) -> Any:
    page.goto("/billing/claims/")
    claims = page.get_by_role("region", name="Claims", exact=True)
    return claims.locator("tbody tr").filter(has_text=last_name).locator(".claim-status")


def _pay_at_the_desk(page: Page, patient_id: str, amount: Decimal, method: str, ref: str) -> None:
    page.goto(f"/billing/patients/{patient_id}/balance/")
    form = page.locator("section").filter(has=page.get_by_role("heading", name="Take a payment"))
    form.get_by_label("Amount ($)").fill(str(amount))
    form.get_by_label("Paid by").select_option(method)
    form.get_by_label("Check number or card approval code").fill(ref)
    form.get_by_role("button", name="Take payment").click()
    expect(page.get_by_text(f"Payment of {amount} recorded: receipt")).to_be_visible()


def test_a_month_of_billing_reconciles_to_the_cent_at_every_step(
    page: Page,
    month: Month,
    screenshot: Callable[[Page, str], Path],
    tmp_path: Path,
    job_worker: JobWorker,
) -> None:
    m = month
    avery, blake = m.patients["avery"]["last_name"], m.patients["blake"]["last_name"]
    today = clock.TODAY
    sign_in(page, m.biller)

    # Notes -> charges -> two draft claims, scrubbed and ready. Charges enter the ledger with
    # their claim: the payer owes every cent billed.
    page.goto("/billing/claims/")
    expect(page.get_by_text("3 signed note(s) without charges")).to_be_visible()
    page.get_by_role("button", name="Create charges for signed notes").click()
    job_done(page, re.compile(r"\d+ charge\(s\) created from 3 signed note\(s\)"))
    page.goto("/billing/claims/")
    page.get_by_role("button", name="Assemble draft claims").click()
    job_done(page, "2 draft claim(s) assembled")
    for last_name in (avery, blake):
        _scrub_and_mark_ready(page, last_name)

    # The 837P: one file, both claims, accepted by pyx12.
    sent = _export(page, tmp_path, ready=2)
    assert_passes(sent)
    claims = {c.member_id: c for c in claims_in_837(sent)}
    assert len(claims) == 2
    [avery_claim] = [c for c in claims.values() if c.member_id != "2AC3DF6GH84"]
    blake_claim = claims["2AC3DF6GH84"]
    billed = avery_claim.total + blake_claim.total
    expect(_claim_status(page, avery)).to_have_text("Submitted")
    screenshot(page, "claims-exported")
    _reconciled(page, m, payers_owe=billed, patients_owe=ZERO)

    # The clearinghouse's 999: the file was readable; the claims wait for the 277CA.
    ack = write_999(sent, on=today, control=501)
    assert [s.accepted for g in read_999(ack).groups for s in g.transactions] == [True]
    _import_acknowledgment(page, _save(tmp_path, "first.999", ack), "0 claims accepted, 0 rejected")
    expect(_claim_status(page, blake)).to_have_text("Submitted")

    # The 277CA: Avery's claim accepted, Blake's rejected for the subscriber's member number.
    numbers = {avery_claim.control_number: "PAYER-A1", blake_claim.control_number: "PAYER-B1"}
    reject = {blake_claim.control_number: Rejection277()}
    front_end = write_277ca(
        [avery_claim, blake_claim],
        rejected=reject,
        on=today,
        control=502,
        payer_claim_numbers=numbers,
    )
    assert read_277(front_end).warnings == ()
    _import_acknowledgment(
        page, _save(tmp_path, "first.277", front_end), "1 claim accepted, 1 rejected"
    )
    screenshot(page, "277ca-imported")
    page.get_by_role("link", name="Work the rejected claims").click()
    row = page.locator("tbody tr").filter(has_text=blake_claim.control_number)
    expect(row).to_contain_text("Insured or subscriber")
    screenshot(page, "rejected-claims")
    expect(_claim_status(page, avery)).to_have_text("Accepted")
    expect(_claim_status(page, blake)).to_have_text("Rejected")
    # A claim the front end refused is still owed: nothing in A/R moves.
    _reconciled(page, m, payers_owe=billed, patients_owe=ZERO)

    # Fixed and resent: back to draft, scrubbed, ready, in a second 837P with a 999 and a 277CA.
    page.goto("/billing/rejections/")
    page.get_by_role("button", name=f"Correct and resend {blake_claim.control_number}").click()
    expect(page.get_by_text("is a draft again")).to_be_visible()
    _scrub_and_mark_ready(page, blake)
    resent = _export(page, tmp_path, ready=1)
    assert_passes(resent)
    [blake_again] = claims_in_837(resent)
    assert (blake_again.member_id, blake_again.total) == ("2AC3DF6GH84", blake_claim.total)
    _import_acknowledgment(
        page,
        _save(tmp_path, "second.999", write_999(resent, on=today, control=503)),
        "0 claims accepted, 0 rejected",
    )
    accepted = write_277ca(
        [blake_again],
        rejected={},
        on=today,
        control=504,
        payer_claim_numbers={blake_again.control_number: "PAYER-B2"},
    )
    _import_acknowledgment(
        page, _save(tmp_path, "second.277", accepted), "1 claim accepted, 0 rejected"
    )
    expect(page.get_by_role("link", name="Work the rejected claims")).to_have_count(0)
    expect(_claim_status(page, blake)).to_have_text("Accepted")
    _reconciled(page, m, payers_owe=billed, patients_owe=ZERO)

    # The payer's 835: both claims paid, Avery's second visit denied CO-50.
    answers = [
        _answer(
            avery_claim,
            denied_on=m.denied_on,
            payer_claim_number="PAYER-A1",
            forwarded_to=(m.medigap, "MG00123"),
        ),
        _answer(blake_again, denied_on=None, payer_claim_number="PAYER-B2"),
    ]
    era_text = write_835(answers, paid_on=today, payee_name=m.org_name, payee_npi=m.org_npi)
    assert validate(era_text).errors == []
    page.goto("/billing/remittances/upload/")
    page.get_by_label("835 remittance file").set_input_files(
        str(_save(tmp_path, "medicare-b.835", era_text))
    )
    page.get_by_role("button", name="Import and post").click()
    job_done(page, "Result for medicare-b.835")
    paid = _sum(a.paid for a in answers)
    coinsurance = {
        "avery": answers[0].patient_responsibility,
        "blake": answers[1].patient_responsibility,
    }
    contractual = _sum(_adjusted(a, "CO", "45") for a in answers)
    denied = _adjusted(answers[0], "CO", "50")
    assert paid > 0 and contractual > 0 and denied > 0 and all(coinsurance.values())
    assert billed == paid + contractual + _sum(coinsurance.values()) + denied
    expect(page.get_by_text(f"CO-50 {denied}")).to_be_visible()
    screenshot(page, "era-posted")
    # The denied visit is still owed by the payer until the denial is worked. Avery's claim was
    # crossed over: the Medigap plan holds Avery's coinsurance (its claim made by the posting).
    _reconciled(
        page,
        m,
        payers_owe={m.payer_name: denied, m.medigap: coinsurance["avery"]},
        patients_owe=coinsurance["blake"],
    )

    # The denial worked: written off (CO: the clinic is liable, not the patient).
    page.goto("/billing/denials/")
    page.get_by_role("link", name=f"Work denial {avery_claim.control_number}").click()
    page.get_by_label("What to do").select_option("write_off")
    page.get_by_label("Note").fill("no grounds to appeal; documentation reviewed")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Denial updated.")).to_be_visible()
    _reconciled(
        page, m, payers_owe={m.medigap: coinsurance["avery"]}, patients_owe=coinsurance["blake"]
    )

    # The crossover: Medicare forwarded Avery's claim to the Medigap plan, so the claim to it
    # exists already (submitted) and nothing is ready to export: it is not billed twice.
    page.goto("/billing/claims/")
    claims_region = page.get_by_role("region", name="Claims", exact=True)
    expect(claims_region.get_by_text(f"crossed over to {m.medigap}")).to_have_count(1)
    expect(page.get_by_role("button", name="Export 837P (0 ready)")).to_be_visible()
    page.goto("/billing/claims/?status=paid")
    page.locator("tbody tr").filter(has_text=avery_claim.control_number).get_by_role(
        "link"
    ).first.click()
    expect(page.locator(".crossover")).to_contain_text(f"Crossed over to {m.medigap}")
    screenshot(page, "claim-crossed-over")

    # Blake's secondary: the biller bills the next payer from Medicare's claim; the new claim
    # carries Medicare's adjudication and holds Blake's coinsurance (Blake owes nothing now).
    page.goto("/billing/claims/?status=paid")
    page.locator("tbody tr").filter(has_text=blake_again.control_number).get_by_role(
        "link"
    ).first.click()
    page.get_by_label("Action").select_option("secondary")
    page.get_by_role("button", name="Do it").click()
    expect(page.get_by_text("A new draft claim was made")).to_be_visible()
    _reconciled(
        page,
        m,
        payers_owe={m.medigap: coinsurance["avery"], m.secondary: coinsurance["blake"]},
        patients_owe=ZERO,
    )
    _scrub_and_mark_ready(page, blake)
    to_secondary = _export(page, tmp_path, ready=1)
    assert_passes(to_secondary)
    [blake_secondary] = claims_in_837(to_secondary)
    assert blake_secondary.total == blake_again.total
    assert blake_secondary.member_id == m.secondary_member_id
    assert "SBR*S*" in to_secondary  # the payer billed is the secondary one
    assert "AMT*D*" in to_secondary  # 2320: Medicare's payment, sent with the claim

    # The two later payers answer: each pays half of the coinsurance it holds and leaves the
    # rest to the patient. The secondary under its own claim; the Medigap plan under Medicare's
    # claim number (CLP02 2), which posts on the crossover claim.
    later = {
        "blake": _later_answer(answers[1], blake_secondary, "GV0001"),
        "avery": _later_answer(answers[0], avery_claim, "MG0001"),
    }
    for name, payer, sender in (
        ("blake", m.secondary, "GREATVALLEY"),
        ("avery", m.medigap, "AARPMEDIGAP"),
    ):
        text = write_835(
            [later[name]],
            paid_on=today,
            payee_name=m.org_name,
            payee_npi=m.org_npi,
            control=2 if name == "blake" else 3,
            payer_name=payer,
            sender=sender,
        )
        assert validate(text).errors == []
        page.goto("/billing/remittances/upload/")
        page.get_by_label("835 remittance file").set_input_files(
            str(_save(tmp_path, f"{name}-later.835", text))
        )
        page.get_by_role("button", name="Import and post").click()
        job_done(page, f"Result for {name}-later.835")
    # The patients owe what remains after every payer.
    owes = {name: coinsurance[name] - later[name].paid for name in ("avery", "blake")}
    assert all(owes[name] == later[name].patient_responsibility for name in owes)
    assert all(ZERO < owes[name] < coinsurance[name] for name in owes)
    screenshot(page, "later-payers-posted")
    _reconciled(page, m, payers_owe=ZERO, patients_owe=_sum(owes.values()))

    # At the desk: Avery pays what the payers left and $20.00 over by card; the $20.00 credit is
    # refunded by check. Blake pays part of what is left in cash.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, m.desk)
    over = Decimal("20.00")
    avery_id, blake_id = m.patients["avery"]["id"], m.patients["blake"]["id"]
    _pay_at_the_desk(page, avery_id, owes["avery"] + over, "card", "AUTH-4417")
    expect(page.locator("#credit")).to_have_text(str(over))
    screenshot(page, "desk-payment-with-credit")
    refund = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("^Credit on account"))
    )
    refund.get_by_label("Refund amount ($)").fill(str(over))
    refund.get_by_label("Refunded by").select_option("check")
    refund.get_by_label("Check number or card approval code").fill("1042")
    refund.get_by_role("button", name="Refund").click()
    expect(page.get_by_text(f"Refund of {over} recorded: receipt")).to_be_visible()
    expect(page.locator("#credit")).to_have_count(0)
    expect(page.locator("#balance-due")).to_have_text("0.00")
    screenshot(page, "desk-refund")
    part = (owes["blake"] / 2).quantize(CENT, rounding=ROUND_DOWN)
    assert part > 0
    _pay_at_the_desk(page, blake_id, part, "cash", "")
    left = owes["blake"] - part
    expect(page.locator("#balance-due")).to_have_text(str(left))
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, m.biller)
    _reconciled(page, m, payers_owe=ZERO, patients_owe=left)

    # The key figures over the last 90 days, from the same figures: every charge, payments
    # (payer and patients, less the refund) and the contractual adjustments.
    page.goto(f"/billing/aging/?as_of={today.isoformat()}&days=90")
    facts = page.locator("dl.facts")
    later_paid = _sum(a.paid for a in later.values())
    payments = paid + later_paid + owes["avery"] + over - over + part
    expect(facts).to_contain_text(f"Charges{billed}")
    expect(facts).to_contain_text(f"Payments (less refunds){payments}")
    expect(facts).to_contain_text(f"Contractual adjustments (CO){contractual}")
    rate = (Decimal(100) * payments / (billed - contractual)).quantize(Decimal("0.1"))
    expect(page.locator("#net-collection-rate")).to_have_text(f"{rate}%")
    days_in_ar = (left / (billed / 90)).quantize(Decimal("0.1"))
    expect(page.locator("#days-in-ar")).to_have_text(str(days_in_ar))
    by_payer = page.locator("table").filter(has_text="Denial rate").locator("tbody tr")
    # Medicare answered both claims and denied one; each later payer answered its one claim.
    expect(by_payer).to_have_count(3)
    answered = {tuple(row.locator("td").all_inner_texts()) for row in by_payer.all()}
    assert answered == {
        (m.payer_name, "2", "1", "50.0%"),
        (m.secondary, "1", "0", "0.0%"),
        (m.medigap, "1", "0", "0.0%"),
    }, answered
    by_carc = page.locator("table").filter(has_text="CARC").locator("tbody tr")
    expect(by_carc.filter(has_text="50")).to_contain_text(str(denied))
    screenshot(page, "ar-key-figures")

"""276 claim status inquiries for the claims without an answer after N days, and the 277
answers into each claim's payer status, in words; on the clearinghouse page, the claim page and
the claims list."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from otclinic.clinic.clearinghouse import status
from otclinic.clinic.clearinghouse.models import ClaimStatusInquiry, ExchangeFile, FileState
from otclinic.clinic.payers.models import PayerConnection
from otclinic.clinic.revenue.models import Claim, ClaimStatus
from otclinic.domain.claims.x12.inquiry276 import IMPLEMENTATION_GUIDE
from tests.clinic import factories as f
from tests.clinic.revenue.remittance.helpers import make_claim
from tests.domain.claims.clearinghouse.lfh import collect, lfh_validate
from tests.domain.claims.clearinghouse.samples import SAMPLES, STATUS_277

pytestmark = pytest.mark.django_db
ANSWER_277 = (SAMPLES / "277" / "lfh__claim-level-status.277").read_text(encoding="ascii")


def _submitted(org: Any, *, days_ago: int, **extra: Any) -> Claim:
    claim = make_claim(organization=org, **extra)
    claim.submitted_at = timezone.now() - dt.timedelta(days=days_ago)
    claim.save(update_fields=["submitted_at"])
    return claim


def _read(record: ExchangeFile) -> str:
    with record.file.open("rb") as handle:
        return handle.read().decode("ascii")


def _answer_for(first: str, second: str) -> bytes:
    """The public 277 sample with our trace numbers in its first two claims' TRN02."""
    text = ANSWER_277.replace("TRN*2*ABCXYZ1~", f"TRN*2*{first}~")
    return text.replace("TRN*2*ABCXYZ2~", f"TRN*2*{second}~").encode("ascii")


def test_claims_without_an_answer_after_n_days_are_asked_about_once(org: Any, biller: Any) -> None:
    old = _submitted(org, days_ago=31)
    _submitted(org, days_ago=5)  # too recent
    paid = _submitted(org, days_ago=60)
    paid.status = ClaimStatus.PAID
    paid.save(update_fields=["status"])
    run = status.status_inquire(user=biller)
    assert run.problems == [] and run.asked == 1
    [record] = run.files
    assert (record.kind, record.direction, record.state) == ("276", "out", FileState.WAITING)
    text = _read(record)
    assert f"REF*EJ*{old.patient_control_number}~" in text and IMPLEMENTATION_GUIDE in text
    again = status.status_inquire(user=biller)
    assert (again.asked, again.files) == (0, [])
    assert ClaimStatusInquiry.objects.count() == 1


def test_the_number_of_days_is_the_clinics_setting(org: Any, biller: Any) -> None:
    _submitted(org, days_ago=8)
    assert status.status_inquire(user=biller).asked == 0
    profile = status.profile_for(org.pk)
    profile.status_after_days = 7
    profile.save()
    assert status.status_inquire(user=biller).asked == 1


def test_a_payer_whose_connection_takes_no_276_is_not_asked(org: Any, biller: Any) -> None:
    claim = _submitted(org, days_ago=40)
    PayerConnection.objects.create(
        organization=org, payer=claim.coverage.payer, kinds=["837P", "270"]
    )
    assert status.status_inquire(user=biller).asked == 0


def test_the_276_carries_the_payers_submitter_and_receiver_ids(org: Any, biller: Any) -> None:
    claim = _submitted(org, days_ago=40)
    PayerConnection.objects.create(
        organization=org, payer=claim.coverage.payer, submitter_id="SUB123", receiver_id="RCV9"
    )
    text = _read(status.status_inquire(user=biller).files[0])
    assert "*ZZ*SUB123         *ZZ*RCV9           *" in text
    assert "GS*HR*SUB123*RCV9*" in text


def test_every_276_written_is_valid_for_linuxforhealth(
    org: Any, biller: Any, tmp_path: Path
) -> None:
    payer = f.PayerFactory(organization=org)
    claims = [
        _submitted(
            org, days_ago=45, coverage=f.CoverageFactory(patient__organization=org, payer=payer)
        )
        for _ in range(3)
    ]
    dependent = f.CoverageFactory(
        patient__organization=org,
        payer=payer,
        subscriber_relationship="child",
        subscriber_name="Dana Rivera",
    )
    claims.append(_submitted(org, days_ago=45, coverage=dependent))
    run = status.status_inquire(user=biller)
    assert run.asked == 4
    models = lfh_validate(tmp_path, [_read(r) for r in run.files], "276")
    traces = sorted(i.trace_number for i in ClaimStatusInquiry.objects.all())
    assert (
        sorted(trn["reference_identification_1"] for trn in collect(models, "trn_segment"))
        == traces
    )


def test_a_277_puts_the_status_in_words_on_the_claims_and_twice_changes_nothing(
    org: Any, biller: Any
) -> None:
    first, second = _submitted(org, days_ago=40), _submitted(org, days_ago=40)
    status.status_inquire(user=biller)
    traces = {i.claim_id: i.trace_number for i in ClaimStatusInquiry.objects.all()}
    data = _answer_for(traces[first.pk], traces[second.pk])
    run = status.status_import_277(user=biller, data=data, file_name="status.277")
    assert [i.claim_id for i in run.answered] == [first.pk, second.pk]
    assert run.unmatched == ["ABCXYC3"]
    pending = ClaimStatusInquiry.objects.get(claim=first)
    assert (pending.category, pending.status_code) == ("P3", "317")
    assert pending.status_date == dt.date(2005, 9, 13)
    assert pending.summary.startswith("Pending/Provider requested information")
    finalized = ClaimStatusInquiry.objects.get(claim=second)
    assert finalized.summary.startswith("Finalized: the claim has completed the adjudication")
    again = status.status_import_277(user=biller, data=data, file_name="status.277")
    assert again.already_imported
    assert ClaimStatusInquiry.objects.filter(answered_at__isnull=False).count() == 2


def test_an_answer_the_payer_sent_unasked_is_matched_by_our_claim_number(
    org: Any, biller: Any
) -> None:
    claim = _submitted(org, days_ago=3, control_number="SM123456")
    run = status.status_import_277(user=biller, data=ANSWER_277.encode("ascii"))
    assert [i.claim_id for i in run.answered] == [claim.pk]
    assert ClaimStatusInquiry.objects.get().category == "P3"


def test_another_organizations_claims_are_not_touched(org: Any, biller: Any) -> None:
    _submitted(f.OrganizationFactory(), days_ago=3, control_number="SM123456")
    run = status.status_import_277(user=biller, data=ANSWER_277.encode("ascii"))
    assert run.answered == [] and "ABCXYZ1" in run.unmatched
    assert not ClaimStatusInquiry.objects.exists()


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda t: t.replace("STC*P3:317*20050913**8513.88~", "STC~"), "(STC)"),
        (lambda t: t.split("SE*38")[0], "before SE closes"),
        (lambda t: t.replace("TRN*2*ABCXYZ1~", "TRN*2~"), "(TRN)"),
        (lambda t: t.replace("005010X212", "005010X214"), None),
    ],
)
def test_a_damaged_or_wrong_277_is_refused_naming_the_segment_and_nothing_is_written(
    org: Any, biller: Any, damage: Any, named: str | None
) -> None:
    with pytest.raises(status.ClaimStatusError) as refused:
        status.status_import_277(user=biller, data=damage(ANSWER_277).encode("ascii"))
    message = str(refused.value)
    assert (named or "277CA") in message, message
    assert not ExchangeFile.objects.exists()


def test_the_biller_asks_in_one_click_and_sees_the_answer_on_the_claim_and_the_list(
    client: Client, org: Any, biller: Any
) -> None:
    claim = _submitted(org, days_ago=40)
    client.force_login(biller)
    page = client.post("/clearinghouse/claim-status/")
    assert page.status_code == 200
    assert "1 claim asked about" in page.content.decode()
    trace = ClaimStatusInquiry.objects.get().trace_number
    upload = SimpleUploadedFile("status.277", _answer_for(trace, "NOTOURS"))
    answer = client.post("/clearinghouse/inbox/", {"file": upload})
    assert answer.status_code == 200, answer.content.decode()[-2000:]
    detail = client.get(f"/billing/claims/{claim.pk}/").content.decode()
    assert "Pending/Provider requested information" in detail
    listing = client.get("/billing/claims/").content.decode()
    assert "Pending/Provider requested information" in listing


def test_a_damaged_upload_answers_422_with_the_segment_never_a_traceback(
    client: Client, org: Any, biller: Any
) -> None:
    client.force_login(biller)
    bad = ANSWER_277.replace("STC*P3:317*20050913**8513.88~", "STC~").encode("ascii")
    answer = client.post("/clearinghouse/inbox/", {"file": SimpleUploadedFile("x.277", bad)})
    assert answer.status_code == 422
    assert "(STC)" in answer.content.decode()
    again = client.post("/clearinghouse/inbox/", {"file": SimpleUploadedFile("x.277", bad)})
    assert again.status_code == 422 and "(STC)" in again.content.decode()


def test_a_front_desk_user_may_not_open_the_clearinghouse_page(client: Client, org: Any) -> None:
    client.force_login(f.staff_user(organization=org, role="front_desk"))
    assert client.get("/clearinghouse/").status_code == 403
    assert client.post("/clearinghouse/claim-status/").status_code == 403


@pytest.mark.parametrize("path", STATUS_277, ids=lambda p: p.name)
def test_every_public_277_sample_is_read_and_its_claims_matched_or_listed(
    org: Any, biller: Any, path: Path
) -> None:
    data = path.read_bytes()
    run = status.status_import_277(user=biller, data=data, file_name=path.name)
    report = status.read_status_answer(data)
    assert run.answered == [] and len(run.unmatched) == len(report.claims)
    assert ExchangeFile.objects.get().state == FileState.IMPORTED

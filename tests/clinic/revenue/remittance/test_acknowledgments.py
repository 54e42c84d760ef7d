"""277CA claim acknowledgments: accepted claims to Accepted, rejected ones to the work queue with
the reason in words, corrected and sent again; a file imported twice changes nothing."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from otclinic.clinic.revenue import acknowledgments as acks
from otclinic.clinic.revenue.models import Acknowledgment, ClaimRejection, ClaimStatus
from tests.clinic import factories as f
from tests.clinic.revenue.remittance.helpers import make_claim
from tests.domain.claims.clearinghouse.test_status277 import ACKNOWLEDGMENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> Any:
    return f.OrganizationFactory()


@pytest.fixture
def biller(org: Any) -> Any:
    return f.UserFactory(organization=org, role="biller")


def _ack_for(accepted: str, rejected: str) -> bytes:
    """The clearinghouse's 277CA with our two claims' numbers in TRN02."""
    text = ACKNOWLEDGMENT.replace("TRN*2*CLM-00016~", f"TRN*2*{accepted}~")
    return text.replace("TRN*2*CLM-00017~", f"TRN*2*{rejected}~").encode()


def test_accepted_and_rejected_claims_move_and_the_rejection_reads_in_words(
    org: Any, biller: Any
) -> None:
    good, bad = make_claim(organization=org), make_claim(organization=org)
    report = acks.acknowledgment_import(
        user=biller, data=_ack_for(good.patient_control_number, bad.patient_control_number)
    )
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.status, good.payer_claim_number) == (ClaimStatus.ACCEPTED, "PAYER0016")
    assert bad.status == ClaimStatus.REJECTED
    assert [c.pk for c in report.accepted] == [good.pk]
    [rejection] = ClaimRejection.objects.filter(claim=bad)
    assert rejection.resolved_at is None
    assert any("Insured or subscriber" in reason for reason in rejection.reasons), rejection.reasons


def test_the_same_file_twice_changes_nothing(org: Any, biller: Any) -> None:
    good, bad = make_claim(organization=org), make_claim(organization=org)
    data = _ack_for(good.patient_control_number, bad.patient_control_number)
    acks.acknowledgment_import(user=biller, data=data)
    again = acks.acknowledgment_import(user=biller, data=data)
    assert again.already_imported
    assert Acknowledgment.objects.count() == 1 and ClaimRejection.objects.count() == 1


def test_claims_of_another_organization_are_not_touched(org: Any, biller: Any) -> None:
    other = make_claim(organization=f.OrganizationFactory())
    mine = make_claim(organization=org)
    report = acks.acknowledgment_import(
        user=biller, data=_ack_for(other.patient_control_number, mine.patient_control_number)
    )
    other.refresh_from_db()
    assert other.status == ClaimStatus.SUBMITTED
    assert report.unmatched == [other.patient_control_number]


def test_a_file_that_is_not_a_277ca_is_refused_and_nothing_is_written(biller: Any) -> None:
    with pytest.raises(acks.AcknowledgmentError):
        acks.acknowledgment_import(user=biller, data=b"ISA*00*garbage~")
    assert not Acknowledgment.objects.exists()


def test_a_biller_imports_from_the_page_and_corrects_a_rejection_from_the_queue(
    client: Client, org: Any, biller: Any
) -> None:
    good, bad = make_claim(organization=org), make_claim(organization=org)
    client.force_login(biller)
    data = _ack_for(good.patient_control_number, bad.patient_control_number)
    answer = client.post("/billing/acknowledgments/", {"file": SimpleUploadedFile("ack.277", data)})
    assert answer.status_code == 200
    assert "1 claim accepted, 1 rejected" in answer.content.decode()
    queue = client.get("/billing/rejections/").content.decode()
    assert bad.patient_control_number in queue and "Insured or subscriber" in queue
    rejection = ClaimRejection.objects.get()
    answer = client.post(f"/billing/rejections/{rejection.pk}/correct/")
    assert answer.status_code == 302
    assert "is a draft again" in client.get(answer["Location"]).content.decode()
    bad.refresh_from_db()
    assert bad.status == ClaimStatus.DRAFT
    assert bad.patient_control_number not in client.get("/billing/rejections/").content.decode()


def test_a_damaged_upload_answers_422_naming_the_field(client: Client, biller: Any) -> None:
    client.force_login(biller)
    answer = client.post(
        "/billing/acknowledgments/", {"file": SimpleUploadedFile("x.277", b"not x12 at all")}
    )
    assert answer.status_code == 422
    assert "This file cannot be imported" in answer.content.decode()


def test_a_therapist_cannot_import(client: Client, org: Any) -> None:
    client.force_login(f.staff_user(organization=org, role="OT"))
    answer = client.post("/billing/acknowledgments/", {"file": SimpleUploadedFile("x.277", b"x")})
    assert answer.status_code == 403


def test_the_cli_imports_once_and_exits_2_on_a_file_that_is_not_a_277ca(
    org: Any, biller: Any, tmp_path: Any
) -> None:
    from click.testing import CliRunner

    from otclinic.cli.x12 import x12

    good, bad = make_claim(organization=org), make_claim(organization=org)
    path = tmp_path / "ack.277"
    path.write_bytes(_ack_for(good.patient_control_number, bad.patient_control_number))
    args = ["import-277ca", str(path), "--organization", org.slug, "--user", biller.username]
    first = CliRunner().invoke(x12, args)
    assert first.exit_code == 0, first.output
    assert "1 accepted, 1 rejected, 0 not matched" in first.output
    assert f"rejected: {bad.patient_control_number}" in first.output
    again = CliRunner().invoke(x12, args)
    assert "Nothing changed" in again.output
    path.write_bytes(b"ISA*broken")
    assert CliRunner().invoke(x12, args).exit_code == 2


def _999(group: int, verdict: str) -> bytes:
    errors = "IK3*NM1*25*2010*8~IK4*9*67*7*ABC~" if verdict == "R" else ""
    count = 6 + (2 if errors else 0)
    return (
        "ISA*00*          *00*          *ZZ*PAYER          *ZZ*SENDER         *261203*1200*^"
        "*00501*000000001*0*P*:~GS*FA*PAYER*SENDER*20261203*1200*7*X*005010X231A1~"
        "ST*999*0001*005010X231A1~"
        f"AK1*HC*{group}*005010X222A1~AK2*837*0001*005010X222A1~{errors}IK5*{verdict}~"
        f"AK9*{verdict}*1*1*{1 if verdict == 'A' else 0}~SE*{count}*0001~GE*1*7~IEA*1*000000001~"
    ).encode()


def test_a_999_rejecting_our_file_sends_its_claims_to_the_queue_with_the_error_in_words() -> None:
    from otclinic.clinic.revenue import claim_assembly
    from otclinic.clinic.revenue import claims as svc
    from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
    from otclinic.clinic.revenue.export import claims_export
    from tests.clinic.revenue.claims.builders import billing_practice, note

    b = billing_practice()
    note(b, ("97530", {"assistant_minutes": 38}), author=b.ota)
    charges_create_for_signed_notes(user=b.biller)
    [claim] = claim_assembly.claims_assemble(user=b.biller)
    svc.claim_mark_ready(claim=claim, user=b.biller)
    [batch] = claims_export(user=b.biller)
    assert batch.group_control_number is not None
    accepted = acks.acknowledgment_import(user=b.biller, data=_999(batch.group_control_number, "A"))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and accepted.rejected == []
    report = acks.acknowledgment_import(user=b.biller, data=_999(batch.group_control_number, "R"))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert [c.pk for c in report.rejected] == [claim.pk]
    [rejection] = ClaimRejection.objects.filter(claim=claim)
    assert rejection.acknowledgment.kind == "999"
    assert any(r.startswith("segment NM1 (position 25)") for r in rejection.reasons), (
        rejection.reasons
    )
    unknown = acks.acknowledgment_import(user=b.biller, data=_999(987654, "R"))
    assert unknown.unmatched == ["file GS06 987654"]

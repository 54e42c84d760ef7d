"""An imported 835 file is kept in the file storage as received, once, and a biller downloads
it through an access-checked view that records the download in the audit trail."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.revenue import posting
from otclinic.clinic.revenue.models import Remittance
from tests.clinic import factories as f
from tests.clinic.jobs.helpers import finish
from tests.clinic.revenue.remittance.helpers import era, make_claim

pytestmark = pytest.mark.django_db

PAID = "CLP*{pcn}*1*150.00*150.00*0*12*PAYER1~SVC*HC:97530:GO*150.00*150.00~DTM*472*20260312"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


def _upload(client: Client, raw: bytes, name: str) -> Any:
    upload = SimpleUploadedFile(name, raw, content_type="application/octet-stream")
    return client.post(reverse("era-upload"), {"file": upload})


def test_an_uploaded_835_is_kept_as_received_and_downloads_with_its_name(
    org: Any, biller: Any, media: Path
) -> None:
    claim = make_claim(organization=org, control_number="K1")
    raw = era([PAID.format(pcn="K1")], payment="150.00").encode()
    client = Client()
    client.force_login(biller)

    page = finish(client, _upload(client, raw, "acme-0320.835"))

    remittance = Remittance.objects.get()
    url = reverse("remittance-file", args=[remittance.pk])
    assert url in page
    assert [p.read_bytes() for p in _stored(media)] == [raw]
    response = client.get(url)
    assert response.status_code == 200
    assert response.getvalue() == raw
    assert 'filename="acme-0320.835"' in response["Content-Disposition"]
    # The download names the patient of every claim the file pays.
    viewed = AuditEvent.objects.filter(action=AuditAction.VIEW, detail__startswith="835 file ")
    assert [(e.actor_id, e.object_ids) for e in viewed] == [(biller.pk, [str(claim.patient_id)])]


def test_the_same_file_imported_again_is_not_stored_twice(
    org: Any, biller: Any, media: Path
) -> None:
    make_claim(organization=org, control_number="K1")
    make_claim(organization=org, control_number="K2")
    first = era([PAID.format(pcn="K1")], control="0001", payment="150.00").encode()
    second = era([PAID.format(pcn="K2")], control="0002", payment="150.00").encode()

    posting.era_import(user=biller, raw=first, filename="a.835")
    again = posting.era_import(user=biller, raw=first, filename="a-copy.835")
    posting.era_import(user=biller, raw=second, filename="b.835")

    assert again.nothing_posted
    assert [p.read_bytes() for p in _stored(media)] == sorted([first, second])
    files = {r.file.name for r in Remittance.objects.all()}
    assert len(files) == 2
    assert all(name.startswith(f"remittances/{org.pk}/") for name in files)


def test_a_file_whose_payments_all_posted_before_stores_nothing_new(
    org: Any, biller: Any, media: Path
) -> None:
    make_claim(organization=org, control_number="K1")
    posting.era_import(
        user=biller, raw=era([PAID.format(pcn="K1")], payment="150.00").encode(), filename="a"
    )
    before = _stored(media)
    # The same payment re-sent with other line endings: other bytes, nothing posts.
    resent = era([PAID.format(pcn="K1")], payment="150.00").replace("~", "~\r\n").encode()

    report = posting.era_import(user=biller, raw=resent, filename="resent.835")

    assert report.nothing_posted
    assert _stored(media) == before


def test_a_role_without_billing_may_not_download_an_835(org: Any, biller: Any, media: Path) -> None:
    make_claim(organization=org, control_number="K1")
    posting.era_import(
        user=biller, raw=era([PAID.format(pcn="K1")], payment="150.00").encode(), filename="a"
    )
    client = Client()
    client.force_login(f.staff_user(organization=org, role="front_desk"))

    response = client.get(reverse("remittance-file", args=[Remittance.objects.get().pk]))

    assert response.status_code == 403


def test_a_remittance_imported_before_files_were_kept_has_no_file_to_download(
    org: Any, biller: Any, media: Path
) -> None:
    make_claim(organization=org, control_number="K1")
    posting.era_import(
        user=biller, raw=era([PAID.format(pcn="K1")], payment="150.00").encode(), filename="a"
    )
    Remittance.objects.update(file="")
    client = Client()
    client.force_login(biller)

    response = client.get(reverse("remittance-file", args=[Remittance.objects.get().pk]))

    assert response.status_code == 404

"""Files in S3-compatible object storage, against moto's standalone S3 server.

The server runs as its own process on a free loopback port, as a real object store would; the
storage is configured through the same function that reads S3_* from the environment
(otclinic.config.storage), and each file goes the whole way: made by the real service, written
to the bucket, read back through the access-checked download view. Nothing lands in MEDIA_ROOT.
"""

import datetime as dt
import io
import itertools
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from storages.backends.s3 import S3Storage

from otclinic.clinic.revenue import claim_assembly, statements
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from otclinic.clinic.revenue.models import ClaimBatch, Remittance
from otclinic.config.storage import default_storage as storage_from_env
from tests.clinic import factories as f
from tests.clinic.jobs.helpers import finish
from tests.clinic.revenue.claims.builders import billing_practice, note
from tests.clinic.revenue.remittance.helpers import era, make_claim
from tests.domain.claims.p837.pyx12_check import assert_passes
from tests.servers import BIN, clean_environment, free_port, log_of, running

pytestmark = pytest.mark.django_db

KEYS = {"S3_ACCESS_KEY_ID": "testing-key", "S3_SECRET_ACCESS_KEY": "testing-secret"}
REGION = "us-east-1"
PREFIX = "clinic-a"
_buckets = itertools.count(1)


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """moto's S3 server, a process of its own on a free port, for this module's tests."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    args = [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    with running(args, env=clean_environment(), log=log, ready_url=f"{endpoint}/moto-api/"):
        yield endpoint
    assert "Traceback" not in log_of(log)


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any, tmp_path: Path) -> Any:
    """A new bucket of this test's own, and the default storage pointed at it."""
    name = f"otclinic-test-{next(_buckets)}"
    s3 = boto3.resource(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(Bucket=name)
    environment = {
        "S3_BUCKET": name,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": REGION,
        "S3_PREFIX": PREFIX,
        **KEYS,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_env(lambda key, default: environment.get(key, default)),
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    yield s3.Bucket(name)
    assert not (tmp_path / "media").exists(), "a file went to the local folder"


def _objects(bucket: Any) -> dict[str, bytes]:
    return {o.key: o.get()["Body"].read() for o in bucket.objects.all()}


def test_the_storage_is_s3_and_writes_under_the_prefix(bucket: Any) -> None:
    assert isinstance(default_storage, S3Storage)
    name = default_storage.save("probe/hello.txt", io.BytesIO(b"hello"))

    assert _objects(bucket) == {f"{PREFIX}/{name}": b"hello"}
    assert default_storage.open(name).read() == b"hello"


def test_a_statement_pdf_is_written_to_the_bucket_and_downloaded_through_the_view(
    bucket: Any,
) -> None:
    org = f.OrganizationFactory()
    biller = f.staff_user(organization=org, role="biller")
    patient = f.PatientFactory(organization=org)

    record = statements.statement_create(user=biller, patient=patient)
    client = Client()
    client.force_login(biller)
    response = client.get(reverse("patient-statement-pdf", args=[record.pk]))

    stored = _objects(bucket)
    assert list(stored) == [f"{PREFIX}/{record.file.name}"]
    pdf = stored[f"{PREFIX}/{record.file.name}"]
    assert pdf.startswith(b"%PDF")
    assert response.status_code == 200
    assert response.getvalue() == pdf
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Balance due: $0.00" in text
    assert record.balance == Decimal("0.00")


def test_another_organization_cannot_download_a_statement_from_the_bucket(bucket: Any) -> None:
    org = f.OrganizationFactory()
    record = statements.statement_create(
        user=f.staff_user(organization=org, role="biller"),
        patient=f.PatientFactory(organization=org),
    )
    outsider = f.staff_user(organization=f.OrganizationFactory(), role="biller")
    client = Client()
    client.force_login(outsider)

    assert client.get(reverse("patient-statement-pdf", args=[record.pk])).status_code == 404


PAID = "CLP*{pcn}*1*150.00*150.00*0*12*PAYER1~SVC*HC:97530:GO*150.00*150.00~DTM*472*20260312"


def test_an_uploaded_835_is_kept_in_the_bucket_once_and_downloaded_through_the_view(
    bucket: Any,
) -> None:
    org = f.OrganizationFactory()
    biller = f.staff_user(organization=org, role="biller")
    make_claim(organization=org, control_number="S3A")
    raw = era([PAID.format(pcn="S3A")], payment="150.00").encode()
    client = Client()
    client.force_login(biller)

    for name in ["first.835", "again.835"]:
        upload = SimpleUploadedFile(name, raw, content_type="application/octet-stream")
        finish(client, client.post(reverse("era-upload"), {"file": upload}))
    remittance = Remittance.objects.get()
    response = client.get(reverse("remittance-file", args=[remittance.pk]))

    key = f"{PREFIX}/remittances/{org.pk}/{remittance.file_sha256}.835"
    assert _objects(bucket) == {key: raw}
    assert remittance.file.name == key.removeprefix(f"{PREFIX}/")
    assert response.status_code == 200
    assert response.getvalue() == raw
    assert 'filename="first.835"' in response["Content-Disposition"]


def test_an_exported_837p_is_written_to_the_bucket_and_downloaded_through_the_view(
    bucket: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 4, 1))
    b = billing_practice()
    note(b, ("97530", {"assistant_minutes": 38}), author=b.ota)
    charges_create_for_signed_notes(user=b.biller)
    [claim] = claim_assembly.claims_assemble(user=b.biller)
    client = Client()
    client.force_login(b.biller)
    assert client.post(f"/billing/claims/{claim.pk}/ready/").status_code == 302

    page = finish(client, client.post("/billing/claims/export/"))
    batch = ClaimBatch.objects.get()
    assert reverse("claims-batch", args=[batch.pk]) in page
    downloaded = client.get(reverse("claims-batch", args=[batch.pk]))

    stored = _objects(bucket)
    key = f"{PREFIX}/{batch.file.name}"
    assert list(stored) == [key]
    assert key.startswith(f"{PREFIX}/claims/{b.biller.organization_id}/837P-")
    assert downloaded.getvalue() == stored[key]
    assert_passes(stored[key].decode("ascii"))

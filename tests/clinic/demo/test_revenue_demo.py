"""The scale-1 demo clinic bills a month through the revenue services: claims exported and
answered, a denial to work, patients who paid at the desk, an A/R aging that adds up; the
larger scales bill nothing of their own (bench/pages.py adds a bulk cycle to them)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.audit.services import audit_verify
from otclinic.clinic.demo import catalog
from otclinic.clinic.demo.revenue import LEFT_TO_BILL_DAYS
from otclinic.clinic.demo.seed import seed_demo
from otclinic.clinic.organizations.models import Organization
from otclinic.clinic.revenue.aging import aging_report
from otclinic.clinic.revenue.charges import billable_notes
from otclinic.clinic.revenue.models import (
    Claim,
    ClaimBatch,
    ClaimStatus,
    Denial,
    LedgerEntry,
    PatientPayment,
    Remittance,
)

pytestmark = pytest.mark.django_db


def _demo() -> Organization:
    return Organization.objects.get(slug=catalog.ORG_SLUG)


def test_the_scale_1_demo_bills_a_month_and_its_aging_adds_up() -> None:
    seed_demo(patients_per_scale=30, months=1)
    org = _demo()
    today = timezone.localdate()
    claims = Claim.objects.filter(organization=org)
    assert claims.filter(status=ClaimStatus.PAID).exists()
    assert claims.filter(status=ClaimStatus.SUBMITTED).exists()  # the month's second half waits
    assert not claims.filter(status__in=(ClaimStatus.DRAFT, ClaimStatus.READY)).exists()
    assert ClaimBatch.objects.filter(organization=org).count() >= 2
    assert Remittance.objects.filter(organization=org).exists()
    assert Denial.objects.filter(organization=org, reason_code="50").count() == 1
    assert PatientPayment.objects.filter(organization=org).count() >= 1
    # The last week's notes are left for the biller; nothing older than the month is billed.
    recent = today - dt.timedelta(days=LEFT_TO_BILL_DAYS - 1)
    assert billable_notes(org.pk).filter(date_of_service__gte=recent).exists()
    assert not claims.filter(first_service_on__gte=recent).exists()
    total = LedgerEntry.objects.filter(organization=org).aggregate(total=Sum("amount"))["total"]
    ledger = Decimal(total).quantize(Decimal("0.01"))  # SQLite sums decimals as floats
    report = aging_report(organization_id=org.pk, as_of=today)
    assert report.total == ledger > Decimal("0.00")
    assert any(row.payer == "Patient responsibility" for row in report.rows)
    # Written by the services, which record their own entries: the chain still holds.
    assert AuditEvent.objects.filter(organization_id=org.pk).count() > 1
    report = audit_verify()
    assert report.ok, report.problems


def test_a_larger_scale_bills_nothing_of_its_own() -> None:
    seed_demo(scale=2, patients_per_scale=2, months=1)
    assert not Claim.objects.filter(organization=_demo()).exists()

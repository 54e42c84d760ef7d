"""Constraint cases for the kept ledger balances, the clearinghouse loop and sign-in (collected
by test_constraints.py)."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from otclinic.clinic.accounts.models import RecoveryCode
from otclinic.clinic.clearinghouse.models import (
    ClaimStatusInquiry,
    ClearinghouseProfile,
    ExchangeFile,
)
from otclinic.clinic.payers.models import PayerConnection
from otclinic.clinic.revenue.models_ledger import ClaimBalance, LedgerDay
from tests.clinic import factories as f
from tests.clinic.constraint_cases_revenue import _claim

Case = Callable[[bool], object]
DAY = dt.date(2026, 11, 2)


def claim_balance_one_per_responsibility(bad: bool) -> object:
    claim = _claim()
    values: dict[str, Any] = {
        "organization": claim.organization,
        "claim": claim,
        "patient": claim.patient,
        "amount": Decimal("10.00"),
    }
    ClaimBalance.objects.create(**values, responsibility="payer")
    return ClaimBalance.objects.create(**values, responsibility="payer" if bad else "patient")


def ledger_day_unique(bad: bool) -> object:
    org = f.OrganizationFactory()
    LedgerDay.objects.create(organization=org, day=DAY)
    return LedgerDay.objects.create(organization=org, day=DAY if bad else DAY.replace(day=3))


def _file(org: Any, *, sha: str = "a" * 64, direction: str = "in") -> ExchangeFile:
    return ExchangeFile.objects.create(
        organization=org,
        direction=direction,
        kind="277",
        file="clearinghouse/in/answer.x12",
        file_name="answer.x12",
        sha256=sha,
    )


def exchange_file_once(bad: bool) -> object:
    org = f.OrganizationFactory()
    _file(org)
    return _file(org, direction="in" if bad else "out")


def claim_status_trace_unique(bad: bool) -> object:
    claim = _claim()
    values: dict[str, Any] = {"organization": claim.organization, "claim": claim, "asked_on": DAY}
    ClaimStatusInquiry.objects.create(**values, trace_number="T0001")
    return ClaimStatusInquiry.objects.create(**values, trace_number="T0001" if bad else "T0002")


def clearinghouse_profile_once(bad: bool) -> object:
    first = ClearinghouseProfile.objects.create(organization=f.OrganizationFactory())
    other = first.organization if bad else f.OrganizationFactory()
    return ClearinghouseProfile.objects.create(organization=other)


def clearinghouse_status_days_in_range(bad: bool) -> object:
    return ClearinghouseProfile.objects.create(
        organization=f.OrganizationFactory(), status_after_days=366 if bad else 365
    )


def _connection(**fields: Any) -> PayerConnection:
    payer = f.PayerFactory()
    return PayerConnection.objects.create(organization=payer.organization, payer=payer, **fields)


def payer_connection_port_in_range(bad: bool) -> object:
    return _connection(transport="sftp", sftp_port=65536 if bad else 65535)


def payer_connection_transport_known(bad: bool) -> object:
    return _connection(transport="ftp" if bad else "sftp")


def organization_idle_timeout_1_to_480_minutes(bad: bool) -> object:
    return f.OrganizationFactory(idle_timeout_minutes=481 if bad else 480)


def recovery_code_unique(bad: bool) -> object:
    user = f.UserFactory()
    made = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    RecoveryCode.objects.create(user=user, digest="b" * 64, created_at=made)
    return RecoveryCode.objects.create(
        user=user, digest="b" * 64 if bad else "c" * 64, created_at=made
    )


BILLING_OFFICE_CASES: list[tuple[str, Case]] = [
    ("claim_balance_one_per_responsibility", claim_balance_one_per_responsibility),
    ("ledger_day_unique", ledger_day_unique),
    ("exchange_file_once", exchange_file_once),
    ("claim_status_trace_unique", claim_status_trace_unique),
    ("clearinghouse_profile_once", clearinghouse_profile_once),
    ("clearinghouse_status_days_in_range", clearinghouse_status_days_in_range),
    ("payer_connection_port_in_range", payer_connection_port_in_range),
    ("payer_connection_transport_known", payer_connection_transport_known),
    ("organization_idle_timeout_1_to_480_minutes", organization_idle_timeout_1_to_480_minutes),
    ("recovery_code_unique", recovery_code_unique),
]

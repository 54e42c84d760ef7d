"""Patient payments at the desk: applied to the oldest services owed, the rest a credit; refunds
of a credit only; a double-tapped form records one payment; a receipt PDF."""

import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.revenue import patient_payments as pay
from otclinic.clinic.revenue.models import LedgerEntry, LedgerKind, PatientPayment
from otclinic.clinic.revenue.statements import patient_balance, statement_for
from tests.clinic import factories as f
from tests.clinic.revenue.remittance.helpers import make_claim

pytestmark = pytest.mark.django_db
D = Decimal


def _owing(org: Any, *shares: str) -> tuple[Any, list[Any]]:
    """A patient with one claim whose lines each leave `share` to the patient (PR-2)."""
    lines = [("97530", "150.00", dt.date(2026, 3, 2 + i)) for i in range(len(shares))]
    claim = make_claim(organization=org, lines=lines)
    claim_lines = list(claim.lines.order_by("line_number"))
    for line, share in zip(claim_lines, shares, strict=True):
        LedgerEntry.objects.create(
            organization=org,
            patient=claim.patient,
            claim=claim,
            claim_line=line,
            kind=LedgerKind.TRANSFER,
            amount=D(share),
            responsibility="patient",
            posted_on=dt.date(2026, 3, 20),
            group_code="PR",
            reason_code="2",
        )
    return claim.patient, claim_lines


@pytest.fixture
def org() -> Any:
    return f.OrganizationFactory()


@pytest.fixture
def desk(org: Any) -> Any:
    return f.UserFactory(organization=org, role="front_desk")


def _take(desk: Any, patient: Any, amount: str, **extra: Any) -> PatientPayment:
    values = {"method": "cash", "request_token": uuid.uuid4()} | extra
    return pay.patient_payment_take(user=desk, patient=patient, amount=D(amount), **values)


def test_a_payment_goes_to_the_oldest_service_first_and_the_rest_is_a_credit(
    org: Any, desk: Any
) -> None:
    patient, (first, second) = _owing(org, "20.00", "30.00")
    payment = _take(desk, patient, "60.00")
    applied = {e.claim_line_id: e.amount for e in payment.entries.all()}
    assert applied == {first.pk: D("-20.00"), second.pk: D("-30.00"), None: D("-10.00")}
    assert patient_balance(patient=patient) == D("-10.00")
    assert pay.unapplied_credit(patient=patient) == D("10.00")
    statement = statement_for(patient=patient, statement_date=dt.date(2026, 12, 3))
    assert [line.due for line in statement.lines if line.code] == [D("0.00"), D("0.00")]


def test_the_same_form_sent_twice_records_one_payment(org: Any, desk: Any) -> None:
    patient, _ = _owing(org, "20.00")
    token = uuid.uuid4()
    first = _take(desk, patient, "20.00", request_token=token)
    again = _take(desk, patient, "20.00", request_token=token)
    assert first.pk == again.pk
    assert PatientPayment.objects.count() == 1
    assert patient_balance(patient=patient) == D("0.00")


@pytest.mark.parametrize(
    ("amount", "method", "reference", "field"),
    [
        ("0", "cash", "", "amount"),
        ("-5", "cash", "", "amount"),
        ("10.005", "cash", "", "amount"),
        ("10", "check", "", "reference"),
        ("10", "card", " ", "reference"),
        ("10", "barter", "", "method"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    org: Any, desk: Any, amount: str, method: str, reference: str, field: str
) -> None:
    patient, _ = _owing(org, "20.00")
    with pytest.raises(ValidationFailed) as refused:
        _take(desk, patient, amount, method=method, reference=reference)
    assert field in refused.value.errors
    assert not PatientPayment.objects.exists()


def test_a_refund_is_never_more_than_the_credit(org: Any, desk: Any) -> None:
    patient, _ = _owing(org, "20.00")
    _take(desk, patient, "50.00")
    with pytest.raises(ValidationFailed) as refused:
        pay.patient_refund(
            user=desk, patient=patient, amount="30.01", method="cash", request_token=uuid.uuid4()
        )
    assert "30.00" in refused.value.errors["amount"][0]
    pay.patient_refund(
        user=desk, patient=patient, amount="30.00", method="cash", request_token=uuid.uuid4()
    )
    assert patient_balance(patient=patient) == D("0.00")
    assert pay.unapplied_credit(patient=patient) == D("0.00")


def test_a_credit_moves_to_a_service_billed_later(org: Any, desk: Any) -> None:
    patient, (first,) = _owing(org, "20.00")
    _take(desk, patient, "45.00")  # 25.00 over
    later = make_claim(
        organization=org,
        coverage=first.claim.coverage,
        episode=first.claim.episode,
        lines=[("97110", "120.00", dt.date(2026, 4, 6))],
    )
    line = later.lines.get()
    LedgerEntry.objects.create(
        organization=org,
        patient=patient,
        claim=later,
        claim_line=line,
        kind=LedgerKind.TRANSFER,
        amount=D("15.00"),
        responsibility="patient",
        posted_on=dt.date(2026, 4, 20),
    )
    assert pay.patient_credit_apply(user=desk, patient=patient) == D("15.00")
    assert pay.owed_services(patient=patient) == []
    assert pay.unapplied_credit(patient=patient) == D("10.00")
    assert patient_balance(patient=patient) == D("-10.00")


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["pay", "refund", "apply"]),
            st.decimals(min_value=D("0.01"), max_value=D("80.00"), places=2),
        ),
        max_size=6,
    )
)
def test_the_balance_is_always_what_is_owed_less_the_credit(org: Any, steps: list) -> None:
    desk = f.UserFactory(organization=org, role="front_desk")
    patient, _ = _owing(org, "20.00", "35.50")
    for action, amount in steps:
        if action == "pay":
            _take(desk, patient, str(amount))
        elif action == "refund":
            credit = pay.unapplied_credit(patient=patient)
            if credit > 0:
                pay.patient_refund(
                    user=desk,
                    patient=patient,
                    amount=min(amount, credit),
                    method="cash",
                    request_token=uuid.uuid4(),
                )
        else:
            pay.patient_credit_apply(user=desk, patient=patient)
        owed = sum((o.due for o in pay.owed_services(patient=patient)), D("0.00"))
        credit = pay.unapplied_credit(patient=patient)
        assert patient_balance(patient=patient) == owed - credit
        assert owed >= 0 and credit >= 0


def test_the_desk_takes_a_payment_on_the_page_and_prints_the_receipt(
    client: Client, org: Any, desk: Any
) -> None:
    patient, _ = _owing(org, "20.00")
    client.force_login(desk)
    page = client.get(f"/billing/patients/{patient.pk}/balance/")
    assert page.status_code == 200
    token = page.context["payment_form"].initial["token"]
    data = {"amount": "20.00", "method": "card", "reference": "AUTH123", "token": str(token)}
    missing = client.post(f"/billing/patients/{patient.pk}/payments/", data | {"reference": ""})
    assert missing.status_code == 422
    assert "Enter the approval code." in missing.content.decode()
    answer = client.post(f"/billing/patients/{patient.pk}/payments/", data)
    assert answer.status_code == 302
    client.post(f"/billing/patients/{patient.pk}/payments/", data)  # a double tap
    payment = PatientPayment.objects.get()
    body = client.get(answer["Location"]).content.decode()
    assert f"receipt {payment.receipt_number}" in body
    assert '<span id="balance-due">0.00</span>' in body
    pdf = client.get(f"/billing/payments/{payment.pk}/receipt.pdf")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert payment.receipt_number in text and "Card (external terminal) (AUTH123)" in text


def test_a_therapist_cannot_take_a_payment(client: Client, org: Any) -> None:
    patient, _ = _owing(org, "20.00")
    client.force_login(f.staff_user(organization=org, role="OT"))
    data = {"amount": "20.00", "method": "cash", "token": str(uuid.uuid4())}
    assert client.post(f"/billing/patients/{patient.pk}/payments/", data).status_code == 403
    assert not PatientPayment.objects.exists()

"""On PostgreSQL: a billing-like transaction held open does not make chart views wait.

A thread writes audited rows in one transaction and stays open (as a billing run does for
minutes); meanwhile a chart view (a VIEW entry) in the same organization and in another one
completes at once, because the transaction's entries wait in memory and lock their chain's
head only for the moment of its commit.
"""

import threading
import time
from typing import Any

import pytest
from django.db import connections, transaction
from django.test import Client

from otclinic.clinic.audit.context import acting_as, actor_for_user
from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.audit.services import audit_verify
from otclinic.clinic.patients.models import Patient
from tests.clinic import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PATIENCE = 5.0  # seconds a chart view may take; it waited as long as the billing run before


def _chart_client(patient: Any) -> Client:
    client = Client()
    client.force_login(f.staff_user(organization=patient.organization, role="OT"))
    return client


def _billing_run(org: Any, started: threading.Event, release: threading.Event) -> None:
    """Audited writes in one transaction, which then stays open until released."""
    user = f.staff_user(organization=org, role="biller")
    try:
        with acting_as(actor_for_user(user)), transaction.atomic():
            for patient in Patient.objects.filter(organization=org):
                patient.preferred_name = "Billed"
                patient.save()
            Patient.objects.filter(organization=org).update(preferred_name="Billed again")
            started.set()
            release.wait(30)
    finally:
        connections.close_all()


def _timed_get(client: Client, patient: Any) -> tuple[int, float]:
    start = time.perf_counter()
    status = client.get(f"/patients/{patient.pk}/").status_code
    return status, time.perf_counter() - start


def test_a_chart_view_in_the_same_and_another_organization_does_not_wait_for_a_billing_run() -> (
    None
):
    same = f.PatientFactory()
    for _ in range(3):
        f.PatientFactory(organization=same.organization)
    other = f.PatientFactory()
    same_client, other_client = _chart_client(same), _chart_client(other)
    started, release = threading.Event(), threading.Event()
    billing = threading.Thread(target=_billing_run, args=(same.organization, started, release))
    billing.start()
    try:
        assert started.wait(30), "the billing transaction did not start"
        same_status, same_seconds = _timed_get(same_client, same)
        other_status, other_seconds = _timed_get(other_client, other)
        # The views are recorded at once, while the billing run's entries are not yet written.
        views = AuditEvent.objects.filter(action=AuditAction.VIEW)
        assert {e.patient_id for e in views} == {same.pk, other.pk}
        assert not AuditEvent.objects.filter(actor_role="biller").exists()
    finally:
        release.set()
        billing.join(60)
    assert (same_status, other_status) == (200, 200)
    assert same_seconds < PATIENCE, f"same organization's chart took {same_seconds:.1f} s"
    assert other_seconds < PATIENCE, f"other organization's chart took {other_seconds:.1f} s"
    # The billing run's entries went in at its commit, after the view, in the same chain.
    billed = AuditEvent.objects.filter(actor_role="biller", organization_id=same.organization_id)
    assert billed.count() == 4 + 1
    view = views.get(patient_id=same.pk)
    assert all(e.position > view.position for e in billed)
    assert audit_verify().ok

"""POST ServiceRequest, Coverage and Appointment, PUT Coverage and Appointment: the checks of
the pages that write the same records, and another organization's ids."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.payers.models import Coverage
from otclinic.clinic.referrals.models import Referral
from otclinic.clinic.scheduling.models import Appointment
from otclinic.domain.fhir.terminology import LOCAL_PAYER_ID
from tests.clinic import factories as f
from tests.clinic.fhir.writing import issue, post, put, referral_resource, valid
from tests.clock import TODAY, clinic_time_zone

pytestmark = pytest.mark.django_db


@dataclass
class Desk:
    client: Client
    user: Any
    patient: Any
    physician: Any
    payer: Any
    ot: Any


@pytest.fixture
def desk(client: Client, db: Any) -> Desk:
    org = f.OrganizationFactory()
    patient = f.PatientFactory(organization=org)  # its clinic first: the OT is licensed there
    user = f.staff_user(organization=org, role="front_desk")
    client.force_login(user)
    return Desk(
        client=client,
        user=user,
        patient=patient,
        physician=f.PhysicianFactory(organization=org),
        payer=f.PayerFactory(organization=org),
        ot=f.StaffProfileFactory(user__organization=org, user__role="OT"),
    )


# --- ServiceRequest ---------------------------------------------------------------------------


def test_a_referral_arrives_through_the_intake_with_its_diagnoses(desk: Desk) -> None:
    response = post(
        desk.client,
        "ServiceRequest",
        referral_resource(f"Patient/{desk.patient.pk}", desk.physician),
    )
    assert response.status_code == 201, response.content
    body = valid(response.json())
    referral = Referral.objects.get(pk=body["id"])
    assert (referral.physician, referral.discipline, referral.diagnosis_codes) == (
        desk.physician,
        "OT",
        ["I69.351"],
    )
    assert referral.received_on == TODAY
    assert list(desk.patient.diagnoses.values_list("code", flat=True)) == ["I69.351"]


def test_a_code_that_is_not_icd10cm_is_422_naming_the_reason(desk: Desk) -> None:
    icd = {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "Q99.999"}]}
    resource = referral_resource(f"Patient/{desk.patient.pk}", desk.physician, reasonCode=[icd])
    response = post(desk.client, "ServiceRequest", resource)
    assert response.status_code == 422
    assert issue(response)["expression"] == ["ServiceRequest.reasonCode"]
    assert not Referral.objects.exists()


def test_an_unknown_physician_is_422_naming_the_requester(desk: Desk) -> None:
    stranger = f.PhysicianFactory()  # another organization's
    response = post(
        desk.client, "ServiceRequest", referral_resource(f"Patient/{desk.patient.pk}", stranger)
    )
    assert response.status_code == 422
    assert issue(response)["expression"] == ["ServiceRequest.requester"]
    assert not Referral.objects.exists()


def test_another_organizations_patient_is_refused_like_a_missing_one(desk: Desk) -> None:
    other = f.PatientFactory()
    response = post(
        desk.client, "ServiceRequest", referral_resource(f"Patient/{other.pk}", desk.physician)
    )
    missing = post(
        desk.client,
        "ServiceRequest",
        referral_resource("Patient/4b0a1c1e-0000-4000-8000-000000000000", desk.physician),
    )
    assert response.status_code == missing.status_code == 422
    assert issue(response) == issue(missing)
    assert not Referral.objects.exists()


def test_the_same_referral_sent_again_is_the_one_on_file(desk: Desk) -> None:
    resource = referral_resource(f"Patient/{desk.patient.pk}", desk.physician)
    first = post(desk.client, "ServiceRequest", resource)
    again = post(desk.client, "ServiceRequest", resource)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Referral.objects.count() == 1


def test_if_none_exist_answers_the_referral_its_search_finds(desk: Desk) -> None:
    on_file = f.ReferralFactory(patient=desk.patient, signed_on=dt.date(2026, 11, 30))
    condition = {"If-None-Exist": f"patient=Patient/{desk.patient.pk}&authored=2026-11-30"}
    resource = referral_resource(f"Patient/{desk.patient.pk}", desk.physician)
    response = post(desk.client, "ServiceRequest", resource, **condition)
    assert response.status_code == 200
    assert response.json()["id"] == str(on_file.pk)
    assert Referral.objects.count() == 1


def test_a_biller_may_not_post_a_referral(desk: Desk, client: Client) -> None:
    client.force_login(f.staff_user(organization=desk.user.organization, role="biller"))
    response = post(
        client, "ServiceRequest", referral_resource(f"Patient/{desk.patient.pk}", desk.physician)
    )
    assert response.status_code == 403
    assert not Referral.objects.exists()


# --- Coverage ---------------------------------------------------------------------------------


def coverage_resource(desk: Desk, **overrides: Any) -> dict[str, Any]:
    return {
        "resourceType": "Coverage",
        "status": "active",
        "beneficiary": {"reference": f"Patient/{desk.patient.pk}"},
        "payor": [{"identifier": {"system": LOCAL_PAYER_ID, "value": desk.payer.payer_id}}],
        "subscriberId": "1EG4-TE5-MK73",
        "relationship": {"coding": [{"code": "self"}]},
        "period": {"start": "2026-01-01"},
        "order": 1,
        **overrides,
    }


def test_a_coverage_names_its_payer_by_identifier_and_keeps_the_normalized_member_id(
    desk: Desk,
) -> None:
    response = post(desk.client, "Coverage", coverage_resource(desk))
    assert response.status_code == 201, response.content
    coverage = Coverage.objects.get(pk=valid(response.json())["id"])
    assert (coverage.payer, coverage.member_id, coverage.priority) == (
        desk.payer,
        "1EG4TE5MK73",
        "primary",
    )
    again = post(desk.client, "Coverage", coverage_resource(desk))
    assert again.status_code == 200
    assert Coverage.objects.count() == 1


def test_a_member_id_the_payer_does_not_issue_is_422_naming_it(desk: Desk) -> None:
    response = post(desk.client, "Coverage", coverage_resource(desk, subscriberId="12"))
    assert response.status_code == 422
    assert issue(response)["expression"] == ["Coverage.subscriberId"]
    assert not Coverage.objects.exists()


def test_a_coverage_that_ends_before_it_starts_names_the_period(desk: Desk) -> None:
    period = {"start": "2026-06-01", "end": "2026-01-01"}
    response = post(desk.client, "Coverage", coverage_resource(desk, period=period))
    assert response.status_code == 422
    assert issue(response)["expression"][0].startswith("Coverage.period")


def test_put_coverage_changes_its_end_at_the_version_read(desk: Desk) -> None:
    coverage = f.CoverageFactory(patient=desk.patient, payer=desk.payer)
    read = desk.client.get(f"/fhir/R4/Coverage/{coverage.pk}")
    body = read.json() | {"period": {"start": "2026-01-01", "end": "2026-12-31"}}
    stale = put(desk.client, f"Coverage/{coverage.pk}", body, **{"If-Match": 'W/"1"'})
    assert stale.status_code == 412
    response = put(desk.client, f"Coverage/{coverage.pk}", body, **{"If-Match": read["ETag"]})
    assert response.status_code == 200, response.content
    coverage.refresh_from_db()
    assert coverage.ends_on == dt.date(2026, 12, 31)


def test_put_on_another_organizations_coverage_is_404_and_changes_nothing(desk: Desk) -> None:
    other = f.CoverageFactory()
    body = coverage_resource(
        desk, id=str(other.pk), period={"start": "2026-01-01", "end": "2026-02-01"}
    )
    response = put(desk.client, f"Coverage/{other.pk}", body)
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.ends_on is None


# --- Appointment ------------------------------------------------------------------------------


def appointment_resource(desk: Desk, hour: int = 14, **overrides: Any) -> dict[str, Any]:
    start = dt.datetime.combine(TODAY, dt.time(hour), tzinfo=clinic_time_zone())
    return {
        "resourceType": "Appointment",
        "status": "booked",
        "start": start.isoformat(),
        "end": (start + dt.timedelta(minutes=45)).isoformat(),
        "participant": [
            {"actor": {"reference": f"Patient/{desk.patient.pk}"}, "status": "accepted"},
            {"actor": {"reference": f"Practitioner/{desk.ot.pk}"}, "status": "accepted"},
            {
                "actor": {"reference": f"Location/{desk.patient.home_clinic_id}"},
                "status": "accepted",
            },
        ],
        **overrides,
    }


def test_an_appointment_is_booked_through_the_schedule(desk: Desk) -> None:
    response = post(desk.client, "Appointment", appointment_resource(desk))
    assert response.status_code == 201, response.content
    booked = Appointment.objects.get(pk=valid(response.json())["id"])
    assert (booked.clinician, booked.patient, booked.status) == (desk.ot, desk.patient, "scheduled")
    assert (booked.ends_at - booked.starts_at) == dt.timedelta(minutes=45)


def test_a_double_booking_is_409_naming_the_conflict_and_books_nothing(desk: Desk) -> None:
    assert post(desk.client, "Appointment", appointment_resource(desk)).status_code == 201
    response = post(desk.client, "Appointment", appointment_resource(desk))
    assert response.status_code == 409
    assert issue(response)["code"] == "conflict"
    assert Appointment.objects.count() == 1


def test_a_clinician_without_a_license_in_the_clinics_state_is_refused(desk: Desk) -> None:
    unlicensed = f.StaffProfileFactory(user__organization=desk.user.organization, licensed=False)
    resource = appointment_resource(desk)
    resource["participant"][1]["actor"]["reference"] = f"Practitioner/{unlicensed.pk}"
    response = post(desk.client, "Appointment", resource)
    assert response.status_code == 409
    assert "licen" in issue(response)["diagnostics"].lower()
    assert not Appointment.objects.exists()


def test_an_appointment_without_a_start_is_400_naming_it(desk: Desk) -> None:
    response = post(desk.client, "Appointment", appointment_resource(desk, start=None))
    assert response.status_code == 400
    assert issue(response)["expression"] == ["Appointment.start"]


def test_put_status_cancelled_cancels_and_repeating_it_changes_nothing(desk: Desk) -> None:
    booked = post(desk.client, "Appointment", appointment_resource(desk)).json()
    body = booked | {"status": "cancelled", "cancelationReason": {"text": "Patient is unwell"}}
    first = put(desk.client, f"Appointment/{booked['id']}", body)
    assert first.status_code == 200, first.content
    row = Appointment.objects.get(pk=booked["id"])
    assert (row.status, row.cancel_reason) == ("cancelled", "Patient is unwell")
    again = put(desk.client, f"Appointment/{booked['id']}", body)
    assert again.status_code == 200
    assert again["ETag"] == first["ETag"]


def test_a_cancellation_without_a_reason_names_the_reason(desk: Desk) -> None:
    booked = post(desk.client, "Appointment", appointment_resource(desk)).json()
    response = put(desk.client, f"Appointment/{booked['id']}", booked | {"status": "cancelled"})
    assert response.status_code == 422
    assert issue(response)["expression"] == ["Appointment.cancelationReason"]
    assert Appointment.objects.get().status == "scheduled"


def test_moving_an_appointment_by_put_is_refused(desk: Desk) -> None:
    booked = post(desk.client, "Appointment", appointment_resource(desk)).json()
    moved = appointment_resource(desk, hour=15, id=booked["id"])
    response = put(desk.client, f"Appointment/{booked['id']}", moved)
    assert response.status_code == 422
    assert issue(response)["expression"] == ["Appointment.start"]


def test_cancelling_another_organizations_appointment_is_404(desk: Desk) -> None:
    other = f.AppointmentFactory()
    body = appointment_resource(desk, id=str(other.pk), status="cancelled")
    response = put(desk.client, f"Appointment/{other.pk}", body)
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == "scheduled"


def test_a_biller_may_not_book(desk: Desk, client: Client) -> None:
    client.force_login(f.staff_user(organization=desk.user.organization, role="biller"))
    assert post(client, "Appointment", appointment_resource(desk)).status_code == 403
    assert not Appointment.objects.exists()

"""A coverage's member id in the payer's published form: the MBI for Medicare Part B."""

import datetime as dt

import pytest
from django.test import Client

from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.payers import services as payer_services
from otclinic.clinic.payers.models import Coverage
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db


def _desk_and_patient(plan_kind: str = "medicare_part_b", member_id_format: str = "") -> tuple:
    desk = f.UserFactory(role="front_desk")
    patient = f.PatientFactory(organization=desk.organization)
    payer = f.PayerFactory(
        organization=desk.organization, plan_kind=plan_kind, member_id_format=member_id_format
    )
    return desk, patient, payer


def test_an_mbi_typed_as_on_the_card_is_saved_as_medicare_takes_it_and_once() -> None:
    desk, patient, payer = _desk_and_patient()
    data = {"payer": payer, "member_id": "1eg4-te5-mk73", "starts_on": dt.date(2026, 1, 1)}
    first = payer_services.coverage_add(user=desk, patient=patient, data=dict(data))
    again = payer_services.coverage_add(
        user=desk, patient=patient, data={**data, "member_id": "1EG4TE5MK73"}
    )
    assert first.member_id == "1EG4TE5MK73"
    assert again.pk == first.pk
    assert Coverage.objects.filter(patient=patient).count() == 1


def test_an_id_that_is_not_an_mbi_is_refused_for_medicare_naming_the_field() -> None:
    desk, patient, payer = _desk_and_patient()
    data = {"payer": payer, "member_id": "1SG4TE5MK73", "starts_on": dt.date(2026, 1, 1)}
    with pytest.raises(ValidationFailed) as refused:
        payer_services.coverage_add(user=desk, patient=patient, data=data)
    assert (
        "not a Medicare Beneficiary Identifier (MBI): character 2 is"
        in refused.value.errors["member_id"][0]
    )
    assert not Coverage.objects.filter(patient=patient).exists()


def test_a_commercial_id_keeps_its_own_form() -> None:
    desk, patient, payer = _desk_and_patient(plan_kind="commercial")
    data = {"payer": payer, "member_id": "XYZ123456789-01", "starts_on": dt.date(2026, 1, 1)}
    coverage = payer_services.coverage_add(user=desk, patient=patient, data=data)
    assert coverage.member_id == "XYZ123456789-01"


def test_a_payer_can_name_a_published_format_of_its_own() -> None:
    # A Medicare plan billed as "commercial" (a railroad or supplemental plan) that takes the MBI.
    desk, patient, payer = _desk_and_patient("commercial", member_id_format="mbi")
    data = {"payer": payer, "member_id": "XYZ123456789", "starts_on": dt.date(2026, 1, 1)}
    with pytest.raises(ValidationFailed) as refused:
        payer_services.coverage_add(user=desk, patient=patient, data=data)
    assert "Medicare Beneficiary Identifier" in refused.value.errors["member_id"][0]


def test_the_coverage_form_says_what_is_wrong_with_an_mbi_next_to_the_field(
    client: Client,
) -> None:
    desk, patient, payer = _desk_and_patient()
    client.force_login(desk)
    answer = client.post(
        f"/patients/{patient.pk}/coverage/new/",
        {
            "payer": payer.pk,
            "member_id": "1EG4TE5M173",
            "priority": "primary",
            "starts_on": "2026-01-01",
            "subscriber_relationship": "self",
        },
    )
    assert answer.status_code == 422
    assert "not a Medicare Beneficiary Identifier (MBI): character 9 is" in answer.content.decode()
    assert not Coverage.objects.filter(patient=patient).exists()


def test_a_subscriber_address_is_whole_or_not_given() -> None:
    desk, patient, payer = _desk_and_patient(plan_kind="commercial")
    data = {
        "payer": payer,
        "member_id": "XYZ123456789",
        "starts_on": dt.date(2026, 1, 1),
        "subscriber_relationship": "spouse",
        "subscriber_name": "Harold Quill",
        "subscriber_address": "900 Lake Shore Dr",
    }
    with pytest.raises(ValidationFailed) as refused:
        payer_services.coverage_add(user=desk, patient=patient, data=data)
    assert "whole address" in refused.value.errors["subscriber_address"][0]
    whole = {"subscriber_city": "Toledo", "subscriber_state": "OH", "subscriber_zip_code": "43604"}
    coverage = payer_services.coverage_add(user=desk, patient=patient, data=data | whole)
    assert coverage.subscriber_city == "Toledo"

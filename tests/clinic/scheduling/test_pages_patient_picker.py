"""The booking form's patient picker: search as you type (htmx) or by a GET without script."""

from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.scheduling.models import Appointment
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

SEARCH = "/schedule/patients/search/"


def _radios(response: Any) -> list[str]:
    """The patient ids offered as radio buttons."""
    body = response.content.decode()
    return [part.split('"', 1)[0] for part in body.split('type="radio" name="patient" value="')[1:]]


def test_the_search_finds_by_last_name_first_name_and_mrn(
    desk_client: Client, plan_episode: Any
) -> None:
    org = plan_episode.organization
    ada = f.PatientFactory(organization=org, last_name="Quist", first_name="Ada", mrn="QX-771")
    bea = f.PatientFactory(organization=org, last_name="Quist", first_name="Bea")
    assert set(_radios(desk_client.get(SEARCH, {"patient_q": "qui"}))) == {str(ada.pk), str(bea.pk)}
    assert _radios(desk_client.get(SEARCH, {"patient_q": "Quist ad"})) == [str(ada.pk)]
    assert _radios(desk_client.get(SEARCH, {"patient_q": "qx-771"})) == [str(ada.pk)]
    assert _radios(desk_client.get(SEARCH, {"patient_q": ""})) == []


def test_another_organizations_patient_never_appears(
    desk_client: Client, plan_episode: Any
) -> None:
    ours = f.PatientFactory(organization=plan_episode.organization, last_name="Zeller")
    theirs = f.PatientFactory(last_name="Zeller", mrn="ZZ-1")
    found = _radios(desk_client.get(SEARCH, {"patient_q": "Zeller"}))
    assert found == [str(ours.pk)]
    assert _radios(desk_client.get(SEARCH, {"patient_q": "ZZ-1"})) == []
    # Nor as the "chosen" patient carried along with a search.
    assert _radios(desk_client.get(SEARCH, {"patient_q": "", "patient": theirs.pk})) == []


def test_the_search_lists_at_most_twenty(desk_client: Client, plan_episode: Any) -> None:
    for _ in range(23):
        f.PatientFactory(organization=plan_episode.organization, last_name="Manyfold")
    assert len(_radios(desk_client.get(SEARCH, {"patient_q": "Manyfold"}))) == 20


def test_a_portal_user_is_refused(client: Client, plan_episode: Any) -> None:
    access = f.PortalAccessFactory(patient=plan_episode.patient)
    client.force_login(access.user)
    assert client.get(SEARCH, {"patient_q": plan_episode.patient.last_name}).status_code == 403


def test_without_script_the_search_rerenders_the_form_with_the_matches(
    desk_client: Client, plan_episode: Any
) -> None:
    response = desk_client.get(
        "/schedule/book/", {"patient_q": plan_episode.patient.mrn, "time": "09:00"}
    )
    assert response.status_code == 200
    assert _radios(response) == [str(plan_episode.patient.pk)]
    assert 'value="09:00"' in response.content.decode()
    assert '<label for="id_patient_q">Find the patient</label>' in response.content.decode()


def test_the_episode_list_follows_the_chosen_patient(
    desk_client: Client, plan_episode: Any
) -> None:
    other = f.EpisodeFactory(patient=f.PatientFactory(organization=plan_episode.organization))
    unchosen = desk_client.get("/schedule/book/").content.decode()
    assert f'value="{plan_episode.pk}"' not in unchosen
    chosen = desk_client.get("/schedule/book/", {"patient": plan_episode.patient.pk})
    body = chosen.content.decode()
    assert f'value="{plan_episode.pk}"' in body
    assert f'value="{other.pk}"' not in body
    assert f'value="{plan_episode.patient.pk}" id="id_patient_0" checked' in body


def test_a_booking_made_with_the_picker_books(
    desk_client: Client, plan_episode: Any, frozen: None
) -> None:
    response = desk_client.post(
        "/schedule/book/",
        {
            "patient_q": plan_episode.patient.last_name,
            "patient": plan_episode.patient.pk,
            "episode": plan_episode.pk,
            "clinician": plan_episode.therapist.pk,
            "clinic": plan_episode.clinic.pk,
            "room": "",
            "day": "2026-06-03",
            "time": "09:00",
            "minutes": 45,
            "kind": "treatment",
        },
    )
    assert response.status_code == 302
    assert Appointment.objects.get().patient_id == plan_episode.patient.pk
    assert AuditEvent.objects.filter(object_type="scheduling.appointment", action="create").exists()


def test_the_series_form_lists_the_chosen_patients_episodes_and_refuses_anothers(
    desk_client: Client, plan_episode: Any
) -> None:
    chosen = desk_client.get("/schedule/series/", {"patient": plan_episode.patient.pk})
    assert f'value="{plan_episode.pk}"' in chosen.content.decode()
    assert f'value="{plan_episode.pk}"' not in desk_client.get("/schedule/series/").content.decode()
    other = f.PatientFactory(organization=plan_episode.organization)
    response = desk_client.post(
        "/schedule/series/",
        {
            "patient": other.pk,
            "episode": plan_episode.pk,
            "weekdays": ["0"],
            "start_date": "2026-06-01",
            "time": "09:00",
            "minutes": 45,
            "action": "preview",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["episode"] == ["that episode is another patient's"]

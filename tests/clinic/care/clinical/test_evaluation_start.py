"""The OT starts an evaluation from a referral or from the Today row; the evaluation offers the
measures for the patient's age and condition and asks for each complexity component; the plan's
frequency, duration and certification period agree."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.care.models import Episode, Evaluation, PlanOfCare
from tests.clinic import factories as f
from tests.clinic.care.clinical.conftest import DAY1, Practice
from tests.clock import TODAY, now

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _referral_without_episode(p: Practice, *, birth_date: dt.date, codes: list[str]) -> Any:
    child = f.PatientFactory(organization=p.org, birth_date=birth_date)
    f.CoverageFactory(patient=child)
    return f.ReferralFactory(
        patient=child, physician=p.physician, signed_on=TODAY, diagnosis_codes=codes
    )


def test_the_ot_starts_the_evaluation_from_a_new_referral(practice: Practice) -> None:
    referral = _referral_without_episode(practice, birth_date=dt.date(2018, 5, 2), codes=["F82"])
    client = client_for(practice.ot)
    chart = client.get(f"/patients/{referral.patient_id}/").content.decode()
    assert f"/care/referrals/{referral.pk}/evaluation/" in chart
    assert "Start evaluation from the" in chart

    form = client.get(f"/care/referrals/{referral.pk}/evaluation/").content.decode()
    selected = re.search(r'<option value="([0-9a-f-]+)" selected>', form)
    assert selected and selected.group(1) == str(practice.ot.staff_profile.pk)

    response = client.post(
        f"/care/referrals/{referral.pk}/evaluation/",
        {
            "therapist": str(practice.ot.staff_profile.pk),
            "started_on": TODAY.isoformat(),
            "coverage": str(referral.patient.coverages.get().pk),
        },
    )
    episode = Episode.objects.get(patient=referral.patient)
    assert response.status_code == 302
    assert response["Location"] == f"/care/episodes/{episode.pk}/evaluations/new/"
    assert episode.referral == referral and episode.therapist == practice.ot.staff_profile


def test_a_referral_with_an_open_episode_goes_straight_to_its_evaluation(
    practice: Practice,
) -> None:
    response = client_for(practice.ot).get(f"/care/referrals/{practice.referral.pk}/evaluation/")
    assert response.status_code == 302
    assert response["Location"] == f"/care/episodes/{practice.episode.pk}/evaluations/new/"


def test_an_evaluated_referral_no_longer_offers_to_start_one(practice: Practice) -> None:
    from tests.clinic.care.clinical.conftest import evaluate

    evaluate(practice)
    chart = client_for(practice.ot).get(f"/patients/{practice.patient.pk}/").content.decode()
    assert "Start evaluation from the" not in chart


def test_an_assistant_and_the_front_desk_may_not_start_an_evaluation(practice: Practice) -> None:
    referral = _referral_without_episode(practice, birth_date=dt.date(1960, 1, 1), codes=[])
    for user in (practice.ota, practice.desk):
        client = client_for(user)
        assert (
            "Start evaluation from the"
            not in client.get(f"/patients/{referral.patient_id}/").content.decode()
        )
        assert client.get(f"/care/referrals/{referral.pk}/evaluation/").status_code == 403
    assert not Episode.objects.filter(patient=referral.patient).exists()


def test_another_organizations_referral_is_not_found(practice: Practice) -> None:
    other = f.ReferralFactory()
    assert client_for(practice.ot).get(f"/care/referrals/{other.pk}/evaluation/").status_code == 404


def test_a_childs_evaluation_offers_the_paediatric_measures_by_their_labels(
    practice: Practice,
) -> None:
    referral = _referral_without_episode(practice, birth_date=dt.date(2018, 5, 2), codes=["F82"])
    episode = f.EpisodeFactory(
        patient=referral.patient,
        therapist=practice.ot.staff_profile,
        referral=referral,
        started_on=TODAY,
    )
    page = client_for(practice.ot).get(f"/care/episodes/{episode.pk}/evaluations/new/")
    body = page.content.decode()
    assert "Paediatric: development and participation (age 8, developmental)" in body
    assert "Goal Attainment Scaling (GAS), -2 to 2 level" in body
    assert "Nine-Hole Peg Test (right hand), 5 to 600 seconds" in body
    assert "Poole J.L. et al." in body  # the norm for a child of 8
    assert "Barthel Index" not in body and "QuickDASH" not in body
    assert ">nine_hole_peg_s" not in body and "nine_hole_peg_s_right</label>" not in body


def test_an_adult_after_a_stroke_is_offered_the_neurological_set(practice: Practice) -> None:
    page = client_for(practice.ot).get(f"/care/episodes/{practice.episode.pk}/evaluations/new/")
    body = page.content.decode()
    assert "Adult: neurological" in body and "Barthel Index" in body
    assert "Goal Attainment Scaling" not in body


def test_an_evaluation_without_a_complexity_choice_names_the_missing_fields(
    practice: Practice,
) -> None:
    response = client_for(practice.ot).post(
        f"/care/episodes/{practice.episode.pk}/evaluations/new/",
        {
            "performed_on": DAY1.isoformat(),
            "occupational_profile": "Retired teacher.",
            "history": "Left CVA.",
            "performance_deficits": "Dressing.",
            "deficit_count": "2",
        },
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Profile and history review: Choose how much history you reviewed" in body
    assert "Clinical decision making: Choose the clinical decision making" in body
    assert not Evaluation.objects.exists()


def test_the_evaluation_form_says_what_each_complexity_level_means(practice: Practice) -> None:
    body = (
        client_for(practice.ot)
        .get(f"/care/episodes/{practice.episode.pk}/evaluations/new/")
        .content.decode()
    )
    assert '<option value="" selected>Choose one</option>' in body
    assert "Expanded: plus physical, cognitive or psychosocial history (moderate, 97166)" in body
    assert "High: multiple options, significant modification (97167)" in body


def _plan_post(p: Practice, **overrides: str) -> Any:
    data = {
        "established_on": DAY1.isoformat(),
        "frequency_per_week": "3",
        "duration_weeks": "8",
        "duration_days": "56",
        "diagnoses": [str(p.diagnosis.pk)],
        **overrides,
    }
    return client_for(p.ot).post(f"/care/episodes/{p.episode.pk}/plans/new/", data)


def test_a_plan_longer_than_its_certification_period_is_refused_on_the_weeks(
    practice: Practice,
) -> None:
    response = _plan_post(practice, duration_weeks="10", duration_days="56")
    body = response.content.decode()
    assert response.status_code == 422
    assert "Weeks: 3x/week for 10 weeks (70 days) does not fit in the 56-day" in body
    assert not PlanOfCare.objects.exists()


def test_a_certification_period_over_90_days_is_refused_citing_the_manual(
    practice: Practice,
) -> None:
    response = _plan_post(practice, duration_days="120")
    body = response.content.decode()
    assert response.status_code == 422
    assert "Plan length in days: A plan is certified for at most 90 days, not 120" in body
    assert "ch. 15 sec. 220.1.2" in body


def test_eight_weeks_within_a_90_day_period_is_accepted(practice: Practice) -> None:
    assert _plan_post(practice, duration_days="90").status_code == 302
    assert PlanOfCare.objects.get().duration_days == 90


def test_the_plan_form_names_the_referring_physician(practice: Practice) -> None:
    body = (
        client_for(practice.ot)
        .get(f"/care/episodes/{practice.episode.pk}/plans/new/")
        .content.decode()
    )
    assert f'<option value="{practice.physician.pk}" selected>' in body


def test_the_plan_page_has_no_duplicate_ids(practice: Practice) -> None:
    assert _plan_post(practice).status_code == 302
    plan = PlanOfCare.objects.get()
    body = client_for(practice.ot).get(f"/care/plans/{plan.pk}/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert 'id="id_goal-description"' in body and 'id="id_intervention-description"' in body


def test_the_today_row_of_an_evaluation_visit_has_a_start_button(practice: Practice) -> None:
    episode = f.EpisodeFactory(
        patient=f.PatientFactory(organization=practice.org),
        therapist=practice.ot.staff_profile,
        started_on=TODAY,
    )
    start = now().replace(hour=11)
    for kind, patient_episode in (("evaluation", episode), ("treatment", practice.episode)):
        f.AppointmentFactory(
            patient=patient_episode.patient,
            clinician=practice.ot.staff_profile,
            episode=patient_episode,
            kind=kind,
            starts_at=start,
        )
        start += dt.timedelta(hours=1)
    body = client_for(practice.ot).get("/").content.decode()
    assert body.count(">Start evaluation</a>") == 1
    assert f'href="/care/episodes/{episode.pk}/evaluations/new/"' in body
    assert f'href="/care/episodes/{practice.episode.pk}/evaluations/new/"' not in body

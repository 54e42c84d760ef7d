"""The therapist's pages over HTTP: the flow, 422 with field errors, roles, and tenant isolation."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.care.models import EpisodeDocument, Evaluation, PlanOfCare, ProgressReport
from otclinic.clinic.care.selectors_clinical import episode_check_for, reload_episode
from otclinic.clinic.care.selectors_overview import episodes_for_chart
from otclinic.clinic.care.services import clinical_reports as reports
from tests.clinic import factories as f
from tests.clinic.care.clinical.conftest import DAY1, Practice, evaluate, signed_notes, signed_plan

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_ot_evaluates_and_the_page_shows_the_code_and_reasoning(practice: Practice) -> None:
    client = client_for(practice.ot)
    url = f"/care/episodes/{practice.episode.pk}/evaluations/new/"
    data = {
        "performed_on": DAY1.isoformat(),
        "occupational_profile": "Wants to cook again.",
        "history": "CVA.",
        "performance_deficits": "Dressing; cooking; writing",
        "history_review": "extensive",
        "deficit_count": "6",
        "decision_making": "high",
        "barthel": "55",
        "grip_kg_right": "14",
    }
    response = client.post(url, data)
    evaluation = Evaluation.objects.get(episode=practice.episode)
    assert response.status_code == 302 and evaluation.code == "97167"

    page = client.get(f"/care/evaluations/{evaluation.pk}/").content.decode()
    assert "selects 97167" in page and "<td>Grip strength</td>" in page and "grip_kg" not in page
    assert client.post(f"/care/evaluations/{evaluation.pk}/sign/").status_code == 302


def test_an_off_scale_score_answers_422_on_its_field(practice: Practice) -> None:
    response = client_for(practice.ot).post(
        f"/care/episodes/{practice.episode.pk}/evaluations/new/",
        {
            "performed_on": DAY1.isoformat(),
            "occupational_profile": "a",
            "history": "b",
            "performance_deficits": "c",
            "history_review": "brief",
            "deficit_count": "1",
            "decision_making": "low",
            "copm_performance": "12",
        },
    )
    assert response.status_code == 422
    assert "COPM performance must be between 1 and 10" in response.content.decode()


def test_a_goal_without_a_measure_answers_422_with_the_goals_partial(practice: Practice) -> None:
    client = client_for(practice.ot)
    response = client.post(
        f"/care/episodes/{practice.episode.pk}/plans/new/",
        {
            "established_on": DAY1.isoformat(),
            "frequency_per_week": "2",
            "duration_weeks": "8",
            "duration_days": "56",
            "diagnoses": [str(practice.diagnosis.pk)],
        },
    )
    plan = PlanOfCare.objects.get(episode=practice.episode)
    assert response.status_code == 302

    response = client.post(
        f"/care/plans/{plan.pk}/goals/",
        {
            "goal-term": "long",
            "goal-description": "Cooks a meal",
            "goal-measure": "",
            "goal-baseline": "1",
            "goal-target": "3",
            "goal-target_date": (DAY1 + dt.timedelta(days=40)).isoformat(),
        },
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert body.lstrip().startswith(
        '<section class="card wide" aria-labelledby="goals-h" id="goals">'
    )
    assert "Measure: A goal needs a measure" in body


def test_a_late_certification_without_reason_answers_422_on_delay_reason(
    practice: Practice,
) -> None:
    plan = signed_plan(practice)
    late = dt.date.today()
    if (late - DAY1).days <= 30:
        pytest.skip("the fixture's day 1 must be over 30 days ago")
    response = client_for(practice.ot).post(
        f"/care/plans/{plan.pk}/certification/", {"signed_on": late.isoformat()}, **HTMX
    )
    assert response.status_code == 422
    assert "Reason for any delay:" in response.content.decode()


def test_sending_the_plan_keeps_a_pdf_and_its_download_is_audited(practice: Practice) -> None:
    plan = signed_plan(practice)
    client = client_for(practice.ot)
    response = client.post(
        f"/care/plans/{plan.pk}/send/", {"sent_on": (DAY1 + dt.timedelta(days=2)).isoformat()}
    )
    assert response.status_code == 302
    document = EpisodeDocument.objects.get(episode=practice.episode)

    response = client_for(practice.biller).get(f"/care/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        patient_id=practice.episode.patient_id,
        action="view",
        detail=f"document download care-document /care/documents/{document.pk}/",
    ).exists()


def test_the_progress_report_is_drafted_by_the_ota_and_signed_by_the_ot(practice: Practice) -> None:
    plan = signed_plan(practice)
    signed_notes(practice, [DAY1 + dt.timedelta(days=2)])
    response = client_for(practice.ota).post(
        f"/care/episodes/{practice.episode.pk}/progress/new/",
        {
            "report_date": (DAY1 + dt.timedelta(days=3)).isoformat(),
            "objective_findings": "Barthel 70",
        },
    )
    report = ProgressReport.objects.get(episode=practice.episode)
    assert response.status_code == 302 and report.drafted_by == practice.ota.staff_profile

    assert (
        client_for(practice.ota).post(f"/care/progress/{report.pk}/complete/", {}).status_code
        == 403
    )
    data = {"assessment": "Better.", "plan": "Continue", "revision": str(report.revision)}
    for goal in plan.goals.all():
        data |= {f"goal_{goal.pk}_status": "active", f"goal_{goal.pk}_value": "70"}
    response = client_for(practice.ot).post(f"/care/progress/{report.pk}/complete/", data)
    report.refresh_from_db()
    assert response.status_code == 302 and report.status == "signed"


def test_the_discharge_page_closes_the_episode(practice: Practice) -> None:
    plan = signed_plan(practice)
    data = {
        "discharge_date": (DAY1 + dt.timedelta(days=5)).isoformat(),
        "reason": "goals_met",
        "summary": "Met goals.",
    }
    for goal in plan.goals.all():
        data |= {f"goal_{goal.pk}_status": "met", f"goal_{goal.pk}_value": str(goal.target)}
    response = client_for(practice.ot).post(
        f"/care/episodes/{practice.episode.pk}/discharge/", data
    )
    practice.episode.refresh_from_db()
    assert response.status_code == 302 and practice.episode.status == "discharged"


def test_the_episode_page_shows_timeline_plots_documents_and_due(practice: Practice) -> None:
    evaluate(practice)
    plan = signed_plan(practice)
    reports.home_program_create(user=practice.ot, episode=practice.episode)
    goal = plan.goals.get(term="long")
    note = signed_notes(practice, [DAY1 + dt.timedelta(days=2)])[0]
    f_goal_progress(note, goal, Decimal(70))

    page = (
        client_for(practice.biller).get(f"/care/episodes/{practice.episode.pk}/").content.decode()
    )

    assert "Plan of care v1" in page and "Your home program" in page
    assert page.count('class="goal-plot"') == 2
    assert "What is due" in page
    assert "Write the plan of care" not in page  # the biller reads but may not change


def f_goal_progress(note: Any, goal: Any, value: Decimal) -> None:
    from otclinic.clinic.care.models import GoalProgress

    GoalProgress.objects.create(organization=note.organization, note=note, goal=goal, value=value)


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("OTA", "evaluations/new/"),
        ("OTA", "plans/new/"),
        ("OTA", "discharge/"),
        ("biller", "evaluations/new/"),
        ("biller", "plans/new/"),
        ("biller", "progress/new/"),
        ("front_desk", "discharge/"),
    ],
)
def test_roles_that_may_not_write_get_403(practice: Practice, role: str, path: str) -> None:
    user = {"OTA": practice.ota, "biller": practice.biller, "front_desk": practice.desk}[role]
    response = client_for(user).post(f"/care/episodes/{practice.episode.pk}/{path}", {})
    assert response.status_code == 403


def test_the_ota_may_not_change_a_plan_over_http(practice: Practice) -> None:
    plan = svc_draft_plan(practice)
    client = client_for(practice.ota)
    for path in ("goals/", "interventions/", "sign/", "send/", "certification/", "recertify/"):
        assert client.post(f"/care/plans/{plan.pk}/{path}", {"term": "long"}).status_code == 403, (
            path
        )


def svc_draft_plan(practice: Practice) -> Any:
    from otclinic.clinic.care.services import clinical as svc

    return svc.plan_create(
        user=practice.ot,
        episode=practice.episode,
        established_on=DAY1,
        duration_days=30,
        frequency_per_week=2,
        duration_weeks=4,
        diagnoses=[practice.diagnosis],
    )


def test_another_organizations_ids_are_404_on_every_page(practice: Practice) -> None:
    evaluation = evaluate(practice)
    plan = signed_plan(practice)
    report = reports.progress_report_draft(
        user=practice.ota, episode=practice.episode, report_date=DAY1, objective_findings="x"
    )
    document = reports.home_program_create(user=practice.ot, episode=practice.episode)
    stranger = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    client = client_for(stranger)
    e, p = practice.episode.pk, plan.pk
    gets = [
        f"/care/patients/{practice.patient.pk}/referrals/new/",
        f"/care/referrals/{practice.referral.pk}/episode/",
        f"/care/episodes/{e}/",
        f"/care/episodes/{e}/evaluations/new/",
        f"/care/evaluations/{evaluation.pk}/",
        f"/care/episodes/{e}/plans/new/",
        f"/care/plans/{p}/",
        f"/care/plans/{p}/recertify/",
        f"/care/episodes/{e}/progress/new/",
        f"/care/progress/{report.pk}/",
        f"/care/episodes/{e}/discharge/",
        f"/care/documents/{document.pk}/",
    ]
    posts = [
        f"/care/evaluations/{evaluation.pk}/sign/",
        f"/care/plans/{p}/goals/",
        f"/care/plans/{p}/interventions/",
        f"/care/plans/{p}/sign/",
        f"/care/plans/{p}/send/",
        f"/care/plans/{p}/certification/",
        f"/care/progress/{report.pk}/complete/",
        f"/care/episodes/{e}/home-program/",
        f"/care/documents/{document.pk}/share/",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {}).status_code == 404, url


@pytest.mark.parametrize("htmx", [True, False])
def test_the_chart_shows_each_episodes_due_list_goal_plots_and_documents(
    practice: Practice, htmx: bool
) -> None:
    evaluate(practice)
    signed_plan(practice)
    document = reports.home_program_create(user=practice.ot, episode=practice.episode)
    client = client_for(practice.ota)

    chart = client.get(f"/patients/{practice.patient.pk}/").content.decode()
    # The chart loads the section when it comes into view; its link opens it without script.
    section_url = f"/patients/{practice.patient.pk}/care/"
    assert f'hx-get="{section_url}"' in chart and f'href="{section_url}"' in chart
    assert "Add referral" not in chart  # the OTA does not take referrals
    headers = {"HX-Request": "true"} if htmx else {}
    page = client.get(section_url, headers=headers).content.decode()

    assert "Plan, goals and documents" in page
    assert ("<html" in page) is not htmx  # the section alone, or a page of its own
    assert page.count('class="goal-plot"') == 2
    assert f"/care/documents/{document.pk}/" in page
    result = episode_check_for(reload_episode(practice.episode), as_of=timezone.localdate())
    owed = [f.message for f in result.findings if f.severity != "info"]
    assert owed and all(escape(message) in page for message in owed)


def test_the_episodes_section_reads_only_the_relations_some_episode_has(
    practice: Practice,
) -> None:
    evaluate(practice)
    signed_plan(practice)

    def read() -> tuple[list[Any], list[str]]:
        today = timezone.localdate()
        # The stored check answer made current first (as the daily job does): computing it
        # reads every relation the check reads.
        episodes_for_chart(user=practice.ot, patient=practice.patient, as_of=today)
        with CaptureQueriesContext(connection) as captured:
            chart = episodes_for_chart(user=practice.ot, patient=practice.patient, as_of=today)
        tables = [q["sql"].split(" FROM ")[1].split()[0] for q in captured.captured_queries]
        return chart.episodes, tables

    episodes, tables = read()
    # No discharge and no document yet: neither is read.
    assert '"care_dischargesummary"' not in tables and '"care_episodedocument"' not in tables
    assert [list(e.documents.all()) for e in episodes] == [[]]
    document = reports.home_program_create(user=practice.ot, episode=practice.episode)
    episodes, tables = read()
    assert '"care_episodedocument"' in tables and '"care_dischargesummary"' not in tables
    assert [list(e.documents.all()) for e in episodes] == [[document]]
    assert [list(e.recertifications.all()) for e in episodes] == [
        list(practice.episode.recertifications.all())
    ]
    with pytest.raises(ObjectDoesNotExist):
        episodes[0].discharge  # noqa: B018 - known absent, without a query


def test_a_write_shows_at_once_in_the_charts_episode_section(practice: Practice) -> None:
    evaluate(practice)
    client = client_for(practice.ot)
    section_url = f"/patients/{practice.patient.pk}/care/"
    assert "No plan of care yet" in client.get(section_url).content.decode()
    signed_plan(practice)
    page = client.get(section_url).content.decode()
    assert "No plan of care yet" not in page
    assert page.count('class="goal-plot"') == 2


def test_another_organizations_episode_section_is_not_found(practice: Practice) -> None:
    stranger = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    client = Client()
    client.force_login(stranger)
    assert client.get(f"/patients/{practice.patient.pk}/care/").status_code == 404


def test_the_front_desk_takes_a_referral_and_opens_the_episode_from_the_chart(
    practice: Practice,
) -> None:
    practice.episode.delete()
    client = client_for(practice.desk)
    assert "Add referral" in client.get(f"/patients/{practice.patient.pk}/").content.decode()
    response = client.post(
        f"/care/patients/{practice.patient.pk}/referrals/new/",
        {
            "physician": str(practice.physician.pk),
            "discipline": "OT",
            "signed_on": "2026-02-01",
            "names_discipline": "on",
            "diagnosis_codes": "M19.011, nonsense",
        },
    )
    assert response.status_code == 422
    assert "Diagnosis codes (ICD-10-CM):" in response.content.decode()
    response = client.post(
        f"/care/referrals/{practice.referral.pk}/episode/",
        {"therapist": str(practice.ot.staff_profile.pk), "started_on": "2026-02-02"},
    )
    assert response.status_code == 302
    assert practice.patient.episodes.get().referral == practice.referral

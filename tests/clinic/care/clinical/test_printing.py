"""Every clinical document prints as a PDF: header, patient, dates whole, each signer's
credentials once, co-signature and addenda; the download is checked like the page and audited."""

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.care.models import Signature
from otclinic.clinic.care.services import clinical as svc
from otclinic.clinic.care.services import clinical_reports as reports
from otclinic.clinic.care.services import notes as note_svc
from tests.clinic import factories as f
from tests.clinic.care.clinical.conftest import DAY1, Practice, evaluate, signed_notes, signed_plan

pytestmark = pytest.mark.django_db

DATE_LIKE = re.compile(r"\d+/\d+/\d*")
FULL_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def assert_dates_whole(text: str) -> None:
    """Every date in the text is a whole mm/dd/yyyy: none is split across two lines."""
    dates = DATE_LIKE.findall(text)
    assert dates, "the document prints at least one date"
    assert [d for d in dates if not FULL_DATE.fullmatch(d)] == []


def assert_patient_header(text: str, p: Practice) -> None:
    patient = p.patient
    assert f"{patient.first_name} {patient.last_name}" in text
    assert patient.mrn in text and f"{patient.birth_date:%m/%d/%Y}" in text
    assert p.episode.clinic.name in text and p.org.name in text


def signer(user: Any) -> str:
    return f"{user.first_name} {user.last_name}, {user.staff_profile.credentials}"


def assert_credentials_once(text: str, user: Any) -> None:
    credentials = user.staff_profile.credentials
    flat = " ".join(text.split())
    assert f"{credentials}, {credentials}" not in flat
    assert f"Signed by {signer(user)} on " in flat


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get_pdf(user: Any, url: str) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    return pdf_text(response.content)


def test_the_evaluation_prints_with_its_findings_scores_and_signature(practice: Practice) -> None:
    evaluation = evaluate(practice)
    svc.evaluation_sign(user=practice.ot, evaluation=evaluation)

    text = _get_pdf(practice.ot, f"/care/evaluations/{evaluation.pk}/pdf/")

    assert_patient_header(text, practice)
    assert "Retired teacher; wants to cook and dress on her own." in text
    assert "barthel" in text and "12.5 kg" in text
    assert_credentials_once(text, practice.ot)
    assert_dates_whole(text)


def test_the_plan_prints_its_goals_without_splitting_a_word_or_a_date(practice: Practice) -> None:
    plan = signed_plan(practice)

    text = _get_pdf(practice.ot, f"/care/plans/{plan.pk}/pdf/")
    words = set(text.split())

    assert_patient_header(text, practice)
    assert {"Long-term", "Short-term", "97535", "97110"} <= words
    assert "Dresses upper body independently" in " ".join(text.split())
    assert_credentials_once(text, practice.ot)
    assert_dates_whole(text)


def test_the_certification_pdf_names_the_therapist_with_the_credentials_once(
    practice: Practice,
) -> None:
    plan = signed_plan(practice)
    document = reports.plan_send_to_physician(
        user=practice.ot, plan=plan, sent_on=DAY1 + dt.timedelta(days=1)
    )
    text = pdf_text(document.file.read())
    flat = " ".join(text.split())

    assert f"From: {signer(practice.ot)} (NPI" in flat
    assert "OTR/L, OTR/L" not in flat
    assert {"Long-term", "Short-term"} <= set(text.split())
    assert_dates_whole(text)


def _signed_progress_report(p: Practice) -> Any:
    plan = signed_plan(p)
    signed_notes(p, [DAY1 + dt.timedelta(days=2)])
    report = reports.progress_report_draft(
        user=p.ota,
        episode=p.episode,
        report_date=DAY1 + dt.timedelta(days=20),
        objective_findings="Barthel 70; grip right 15 kg.",
    )
    goals = list(plan.goals.all())
    return reports.progress_report_complete(
        user=p.ot,
        report=report,
        assessment="Steady gains with daily practice.",
        plan="Continue twice a week.",
        goal_assessments=[
            reports.GoalAssessmentInput(goals[0], "active", Decimal(70), "Buttons alone"),
            reports.GoalAssessmentInput(goals[1], "met", Decimal(18)),
        ],
    )


def test_the_progress_report_prints_each_goal_and_the_therapist_signature(
    practice: Practice,
) -> None:
    report = _signed_progress_report(practice)

    text = _get_pdf(practice.ot, f"/care/progress/{report.pk}/pdf/")
    flat = " ".join(text.split())

    assert_patient_header(text, practice)
    assert "Steady gains with daily practice." in flat and "Buttons alone" in flat
    assert "70 points" in flat and "18 kg" in flat
    assert f"Drafted by {signer(practice.ota)}" in flat
    assert_credentials_once(text, practice.ot)
    assert_dates_whole(text)


def test_the_discharge_summary_prints_its_outcomes_and_signature(practice: Practice) -> None:
    plan = signed_plan(practice)
    signed_notes(practice, [DAY1 + dt.timedelta(days=2)])
    goals = list(plan.goals.all())
    discharge = reports.discharge_create(
        user=practice.ot,
        episode=practice.episode,
        discharge_date=DAY1 + dt.timedelta(days=40),
        reason="goals_met",
        summary="Dresses her upper body on her own.",
        outcomes=[
            reports.GoalAssessmentInput(goals[0], "met", Decimal(85)),
            reports.GoalAssessmentInput(goals[1], "partially_met", Decimal(16)),
        ],
        recommendations="Keep the home program.",
    )

    text = _get_pdf(practice.ot, f"/care/discharges/{discharge.pk}/pdf/")
    flat = " ".join(text.split())

    assert_patient_header(text, practice)
    assert "Goals met" in flat and "Keep the home program." in flat and "85 points" in flat
    assert_credentials_once(text, practice.ot)
    assert_dates_whole(text)


def test_the_note_prints_its_text_cosignature_and_addenda_after_the_body(
    practice: Practice,
) -> None:
    note = signed_notes(practice, [DAY1 + dt.timedelta(days=2)])[0]
    note.subjective = "Reports less pain when dressing."
    note.plan_next_visit = "Progress to buttons on a shirt."
    note.save()
    signed_at = timezone.make_aware(dt.datetime(2026, 1, 14, 17))
    for user, meaning in ((practice.ota, "author"), (practice.ot, "cosigner")):
        Signature.objects.create(
            organization=practice.org,
            signer=user,
            meaning=meaning,
            credentials=user.staff_profile.credentials,
            signed_at=signed_at,
            content_sha256="a" * 64,
            note=note,
        )
    note_svc.note_addendum(
        user=practice.ota, note=note, reason="Correction", text="Grip was measured on the right."
    )

    text = _get_pdf(practice.ot, f"/care/notes/{note.pk}/pdf/")
    flat = " ".join(text.split())

    assert_patient_header(text, practice)
    assert "Reports less pain when dressing." in flat and "Buttoning practice" in flat
    assert_credentials_once(text, practice.ota)
    assert f"Co-signed by {signer(practice.ot)} on 01/14/2026" in flat
    body, _, addenda = flat.partition("Addenda")
    assert "Progress to buttons on a shirt." in body
    assert "Reason: Correction Grip was measured on the right." in addenda
    assert f"Signed by {signer(practice.ota)}" in addenda
    assert flat.count("COTA/L, COTA/L") == 0
    assert_dates_whole(text)


def test_a_draft_prints_as_not_signed(practice: Practice) -> None:
    evaluation = evaluate(practice)

    text = _get_pdf(practice.ot, f"/care/evaluations/{evaluation.pk}/pdf/")

    assert "Draft: not signed" in text and "Signed by" not in text


def test_each_download_is_a_read_in_the_audit_trail(practice: Practice) -> None:
    plan = signed_plan(practice)

    _get_pdf(practice.biller, f"/care/plans/{plan.pk}/pdf/")

    assert AuditEvent.objects.filter(
        patient_id=practice.patient.pk,
        action="view",
        detail=f"plan-of-care PDF care-plan-pdf /care/plans/{plan.pk}/pdf/",
    ).exists()


def test_another_organization_and_a_portal_login_cannot_print_it(practice: Practice) -> None:
    plan = signed_plan(practice)
    stranger = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    portal = f.PortalAccessFactory(patient=practice.patient).user

    assert client_for(stranger).get(f"/care/plans/{plan.pk}/pdf/").status_code == 404
    assert client_for(portal).get(f"/care/plans/{plan.pk}/pdf/").status_code in {403, 404}

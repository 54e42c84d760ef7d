"""Pages of the episode's first and last documents: referral, episode, evaluation, files.

Thin: parse a form, one selector, one service, render. Validation failures answer 422 with the
form's errors; htmx requests get the named partial of the same template.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care import forms_clinical as forms
from otclinic.clinic.care import selectors_clinical as sel
from otclinic.clinic.care import selectors_overview as overview
from otclinic.clinic.care.services import clinical as svc
from otclinic.clinic.care.services import clinical_reports as reports
from otclinic.clinic.care.views.pages import attempt, form_page
from otclinic.clinic.care.views.sending import send_panel
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.patients.selectors import patient_get_for_user
from otclinic.domain.access import Capability

# --- referral and episode -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    patient = patient_get_for_user(user=request.user, patient_id=patient_id)
    require(request.user, Capability.INTAKE_REFERRAL)
    form = forms.ReferralForm(request.POST or None, organization_id=patient.organization_id)
    if request.method == "POST" and form.is_valid():
        referral = attempt(
            form,
            lambda: svc.referral_intake(user=request.user, patient=patient, **form.cleaned_data),
        )
        if referral:
            return redirect("patient-chart", patient_id=patient.pk)
    back = f"/patients/{patient.pk}/"
    return form_page(
        request,
        form,
        title=f"Referral for {patient.last_name}, {patient.first_name}",
        submit="Save referral",
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def episode_open(request: AuthenticatedHttpRequest, referral_id: str) -> HttpResponse:
    referral = sel.referral_get_for_user(user=request.user, referral_id=referral_id)
    form = forms.EpisodeOpenForm(
        request.POST or None, referral=referral, initial={"started_on": timezone.localdate()}
    )
    return _episode_open_page(
        request,
        referral,
        form,
        then="care-episode",
        title=f"Open an {referral.discipline} episode",
        submit="Open episode",
    )


def _episode_open_page(
    request: AuthenticatedHttpRequest,
    referral: Any,
    form: forms.EpisodeOpenForm,
    *,
    then: str,
    title: str,
    submit: str,
    intro: str = "",
) -> HttpResponse:
    """Open the referral's episode from a valid form and go on to `then`; else the form."""
    if request.method == "POST" and form.is_valid():
        episode = attempt(
            form,
            lambda: svc.episode_open(user=request.user, referral=referral, **form.cleaned_data),
        )
        if episode:
            return redirect(then, episode_id=episode.pk)
    back = f"/patients/{referral.patient_id}/"
    return form_page(request, form, title=title, submit=submit, back=back, intro=intro)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_start(request: AuthenticatedHttpRequest, referral_id: str) -> HttpResponse:
    """The therapist starts the evaluation a referral calls for: into the open episode of its
    discipline, or opening it first (the front desk's checks, with the therapist pre-chosen)."""
    referral = sel.referral_get_for_user(user=request.user, referral_id=referral_id)
    require(request.user, Capability.EVALUATE)
    episode = sel.open_episode_for_referral(referral)
    if episode is not None:
        return redirect("care-evaluation-new", episode_id=episode.pk)
    coverages = list(referral.patient.coverages.all()[:2])
    initial = {
        "started_on": timezone.localdate(),
        "therapist": getattr(request.user, "staff_profile", None),
        "coverage": coverages[0] if len(coverages) == 1 else None,
    }
    form = forms.EpisodeOpenForm(request.POST or None, referral=referral, initial=initial)
    return _episode_open_page(
        request,
        referral,
        form,
        then="care-evaluation-new",
        title=f"Start the {referral.discipline} evaluation",
        submit="Open the episode and evaluate",
        intro=f"From the {referral.signed_on} referral by {referral.physician}.",
    )


@login_required
def episode_detail(request: AuthenticatedHttpRequest, episode_id: str) -> HttpResponse:
    episode = overview.episode_get_for_user(user=request.user, episode_id=episode_id)
    context = overview.episode_overview(
        episode=episode, user=request.user, as_of=timezone.localdate()
    )
    return render(
        request, "care/clinical/episode.html", {**context, "home_form": forms.HomeProgramForm()}
    )


# --- evaluation ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_new(request: AuthenticatedHttpRequest, episode_id: str) -> HttpResponse:
    episode = overview.episode_get_for_user(user=request.user, episode_id=episode_id)
    require(request.user, Capability.EVALUATE)
    reevaluation = request.GET.get("kind") == "reevaluation"
    today = timezone.localdate()
    offer = sel.measures_offered(episode, as_of=today)
    form = forms.EvaluationForm(
        request.POST or None,
        measure_set=offer.measure_set,
        age=offer.age,
        reevaluation=reevaluation,
        initial={"performed_on": today},
    )
    if request.method == "POST" and form.is_valid():
        scores = [svc.ScoreInput(*score) for score in form.scores()]
        evaluation = attempt(
            form,
            lambda: svc.evaluation_create(
                user=request.user,
                episode=episode,
                reevaluation=reevaluation,
                scores=scores,
                **form.document(),
            ),
        )
        if evaluation:
            return redirect("care-evaluation", evaluation_id=evaluation.pk)
    title = "Re-evaluation (97168)" if reevaluation else "Evaluation"
    return form_page(
        request,
        form,
        title=title,
        submit="Save evaluation",
        back=f"/care/episodes/{episode.pk}/",
        intro=f"Measures offered: {offer.measure_set.name} (age {offer.age}, {offer.condition}).",
    )


@login_required
def evaluation_detail(request: AuthenticatedHttpRequest, evaluation_id: str) -> HttpResponse:
    evaluation = sel.evaluation_get_for_user(user=request.user, evaluation_id=evaluation_id)
    context = {"evaluation": evaluation, **send_panel(request, evaluation, "care-evaluation")}
    return render(request, "care/clinical/evaluation.html", context)


@login_required
@require_POST
def evaluation_sign(request: AuthenticatedHttpRequest, evaluation_id: str) -> HttpResponse:
    evaluation = sel.evaluation_get_for_user(user=request.user, evaluation_id=evaluation_id)
    require(request.user, Capability.EVALUATE)
    try:
        svc.evaluation_sign(user=request.user, evaluation=evaluation)
    except ValidationFailed as exc:
        context = {
            "evaluation": evaluation,
            "errors": exc.errors,
            **send_panel(request, evaluation, "care-evaluation"),
        }
        return render(request, "care/clinical/evaluation.html", context, status=422)
    return redirect("care-evaluation", evaluation_id=evaluation.pk)


# --- documents ----------------------------------------------------------------------------------


@login_required
@require_POST
def home_program_new(request: AuthenticatedHttpRequest, episode_id: str) -> HttpResponse:
    episode = overview.episode_get_for_user(user=request.user, episode_id=episode_id)
    form = forms.HomeProgramForm(request.POST)
    if form.is_valid():
        done = attempt(
            form,
            lambda: reports.home_program_create(
                user=request.user, episode=episode, **form.cleaned_data
            ),
        )
        if done:
            return redirect("care-episode", episode_id=episode.pk)
    context = overview.episode_overview(
        episode=episode, user=request.user, as_of=timezone.localdate()
    )
    return render(request, "care/clinical/episode.html", {**context, "home_form": form}, status=422)


@login_required
def document_download(request: AuthenticatedHttpRequest, document_id: str) -> FileResponse:
    document = sel.document_open_for_user(user=request.user, document_id=document_id)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=False,
        filename=f"{document.kind}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def document_share(request: AuthenticatedHttpRequest, document_id: str) -> HttpResponse:
    document = sel.document_get_for_user(user=request.user, document_id=document_id)
    shared = request.POST.get("shared_with_portal") in {"on", "true", "1"}
    try:
        reports.document_share(user=request.user, document=document, shared=shared)
    except ValidationFailed as exc:
        return HttpResponse("; ".join(m for ms in exc.errors.values() for m in ms), status=422)
    return redirect("care-episode", episode_id=document.episode_id)

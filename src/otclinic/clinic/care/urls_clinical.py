"""The therapist's documents: referral intake, evaluation, plan of care, progress, discharge, files.

Mounted at /care/ next to the daily note's pages.
"""

from django.urls import path

from otclinic.clinic.care.views import certification as certification_views
from otclinic.clinic.care.views import clinical as views
from otclinic.clinic.care.views import fax_callbacks
from otclinic.clinic.care.views import home_programs as program_views
from otclinic.clinic.care.views import plan as plan_views
from otclinic.clinic.care.views import printing as print_views
from otclinic.clinic.care.views import progress as progress_views
from otclinic.clinic.care.views import sending as sending_views

urlpatterns = [
    path("patients/<uuid:patient_id>/referrals/new/", views.referral_new, name="care-referral-new"),
    path("referrals/<uuid:referral_id>/episode/", views.episode_open, name="care-episode-open"),
    path(
        "referrals/<uuid:referral_id>/evaluation/",
        views.evaluation_start,
        name="care-evaluation-start",
    ),
    path("episodes/<uuid:episode_id>/", views.episode_detail, name="care-episode"),
    path(
        "episodes/<uuid:episode_id>/evaluations/new/",
        views.evaluation_new,
        name="care-evaluation-new",
    ),
    path("evaluations/<uuid:evaluation_id>/", views.evaluation_detail, name="care-evaluation"),
    path(
        "evaluations/<uuid:evaluation_id>/sign/", views.evaluation_sign, name="care-evaluation-sign"
    ),
    path("episodes/<uuid:episode_id>/plans/new/", plan_views.plan_new, name="care-plan-new"),
    path("plans/<uuid:plan_id>/", plan_views.plan_detail, name="care-plan"),
    path("plans/<uuid:plan_id>/goals/", plan_views.plan_goal_add, name="care-plan-goal"),
    path(
        "plans/<uuid:plan_id>/interventions/",
        plan_views.plan_intervention_add,
        name="care-plan-intervention",
    ),
    path("plans/<uuid:plan_id>/sign/", plan_views.plan_sign, name="care-plan-sign"),
    path("plans/<uuid:plan_id>/send/", plan_views.plan_send, name="care-plan-send"),
    path(
        "plans/<uuid:plan_id>/certification/",
        plan_views.plan_certification,
        name="care-plan-certification",
    ),
    path(
        "plans/<uuid:plan_id>/deliveries/<uuid:delivery_id>/resend/",
        plan_views.plan_delivery_resend,
        name="care-plan-delivery-resend",
    ),
    path("plans/<uuid:plan_id>/recertify/", plan_views.plan_recertify, name="care-plan-recertify"),
    path(
        "plans/<uuid:plan_id>/certification/reminder/",
        certification_views.plan_certification_reminder,
        name="care-plan-certification-reminder",
    ),
    path(
        "plans/<uuid:plan_id>/certification/refusal/",
        certification_views.plan_certification_refuse,
        name="care-plan-certification-refuse",
    ),
    path(
        "episodes/<uuid:episode_id>/progress/new/",
        progress_views.progress_new,
        name="care-progress-new",
    ),
    path("progress/<uuid:report_id>/", progress_views.progress_detail, name="care-progress"),
    path(
        "progress/<uuid:report_id>/complete/",
        progress_views.progress_complete,
        name="care-progress-complete",
    ),
    path(
        "episodes/<uuid:episode_id>/discharge/", progress_views.discharge_new, name="care-discharge"
    ),
    path(
        "episodes/<uuid:episode_id>/home-program/", views.home_program_new, name="care-home-program"
    ),
    path(
        "episodes/<uuid:episode_id>/home-programs/new/",
        program_views.home_program_start,
        name="care-home-program-start",
    ),
    path(
        "home-programs/<uuid:program_id>/",
        program_views.home_program_detail,
        name="care-home-program-detail",
    ),
    path(
        "home-programs/<uuid:program_id>/exercises/",
        program_views.home_program_add,
        name="care-home-program-add",
    ),
    path(
        "home-programs/<uuid:program_id>/exercises/<uuid:item_id>/",
        program_views.home_program_item,
        name="care-home-program-item",
    ),
    path(
        "home-programs/<uuid:program_id>/print/",
        program_views.home_program_print,
        name="care-home-program-print",
    ),
    path("documents/<uuid:document_id>/", views.document_download, name="care-document"),
    path("notes/<uuid:note_id>/pdf/", print_views.note_pdf, name="care-note-pdf"),
    path(
        "evaluations/<uuid:evaluation_id>/pdf/",
        print_views.evaluation_pdf,
        name="care-evaluation-pdf",
    ),
    path("plans/<uuid:plan_id>/pdf/", print_views.plan_pdf, name="care-plan-pdf"),
    path("progress/<uuid:report_id>/pdf/", print_views.progress_pdf, name="care-progress-pdf"),
    path(
        "discharges/<uuid:discharge_id>/pdf/",
        print_views.discharge_pdf,
        name="care-discharge-pdf",
    ),
    path("documents/<uuid:document_id>/share/", views.document_share, name="care-document-share"),
    path(
        "evaluations/<uuid:evaluation_id>/send/",
        sending_views.evaluation_send,
        name="care-evaluation-send",
    ),
    path(
        "progress/<uuid:report_id>/send/", progress_views.progress_send, name="care-progress-send"
    ),
    path(
        "discharges/<uuid:discharge_id>/",
        progress_views.discharge_detail,
        name="care-discharge-summary",
    ),
    path(
        "discharges/<uuid:discharge_id>/send/",
        progress_views.discharge_send,
        name="care-discharge-summary-send",
    ),
    path("fax/<slug:gateway>/status/", fax_callbacks.fax_status, name="care-fax-status"),
    path(
        "deliveries/<uuid:delivery_id>/resend/",
        sending_views.delivery_resend,
        name="care-delivery-resend",
    ),
]

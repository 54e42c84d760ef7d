"""Hiring: job postings, applicants and onboarding, mounted at /hiring/."""

from django.urls import path

from otclinic.clinic.hiring import views, views_applicant

A = "applicants/<uuid:applicant_id>/"

urlpatterns = [
    path("", views.posting_list, name="hiring-list"),
    path("new/", views.posting_new, name="hiring-posting-new"),
    path("settings/", views.settings_edit, name="hiring-settings"),
    path("<uuid:posting_id>/", views.posting_board, name="hiring-posting"),
    path("<uuid:posting_id>/close/", views.posting_close, name="hiring-posting-close"),
    path("<uuid:posting_id>/applicants/", views.applicant_new, name="hiring-applicant-new"),
    path(A, views_applicant.applicant_detail, name="hiring-applicant"),
    path(A + "move/", views_applicant.applicant_move, name="hiring-move"),
    path(A + "licenses/", views_applicant.license_add, name="hiring-license-add"),
    path(A + "nbcot/", views_applicant.nbcot_verify, name="hiring-nbcot"),
    path(A + "nbcot/claim/", views_applicant.nbcot_claim, name="hiring-nbcot-claim"),
    path(A + "lookups/", views_applicant.license_lookup, name="hiring-lookup"),
    path(A + "references/", views_applicant.reference_add, name="hiring-reference-add"),
    path(
        A + "references/result/", views_applicant.reference_result, name="hiring-reference-result"
    ),
    path(A + "onboarding/", views_applicant.onboarding_done, name="hiring-onboarding"),
    path(A + "hire/", views_applicant.hire, name="hiring-hire"),
    path(A + "invite/", views_applicant.invite_again, name="hiring-invite"),
]

"""The assistant's pages, mounted at /assistant/."""

from django.urls import path

from otclinic.clinic.assistant import views

urlpatterns = [
    path("settings/", views.assistant_settings, name="assistant-settings"),
    path("notes/<uuid:note_id>/draft/", views.draft_start, name="assistant-draft-start"),
    path("drafts/<uuid:draft_id>/", views.draft_poll, name="assistant-draft-poll"),
    path(
        "notes/<uuid:note_id>/shorthand/", views.shorthand_start, name="assistant-shorthand-start"
    ),
    path("shorthand/<uuid:ask_id>/", views.shorthand_poll, name="assistant-shorthand-poll"),
    path(
        "shorthand/<uuid:ask_id>/decide/",
        views.proposal_decide,
        name="assistant-shorthand-decide",
    ),
]

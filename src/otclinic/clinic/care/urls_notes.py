"""The daily note and co-signature pages, mounted at /care/."""

from django.urls import path

from otclinic.clinic.care.views import notes as views
from otclinic.clinic.care.views.review_settings import note_review_settings
from otclinic.clinic.care.views.shorthand_table import shorthand_entry_remove, shorthand_table

urlpatterns = [
    path("episodes/<uuid:episode_id>/notes/new/", views.note_start, name="note-start"),
    path("notes/<uuid:note_id>/", views.note_detail, name="note-detail"),
    path("notes/<uuid:note_id>/autosave/", views.note_autosave, name="note-autosave"),
    path("notes/<uuid:note_id>/preview/", views.note_preview, name="note-preview"),
    path("notes/<uuid:note_id>/narrative/", views.note_narrative, name="note-narrative"),
    path("notes/<uuid:note_id>/shorthand/", views.note_shorthand, name="note-shorthand"),
    path("notes/<uuid:note_id>/sign/", views.note_sign, name="note-sign"),
    path("notes/<uuid:note_id>/addenda/", views.note_addendum, name="note-addendum"),
    path("notes/<uuid:note_id>/cosign/", views.note_cosign, name="note-cosign"),
    path("notes/<uuid:note_id>/return/", views.note_return, name="note-return"),
    path("cosign/", views.cosign_queue, name="cosign-queue"),
    path("notes/review-settings/", note_review_settings, name="note-review-settings"),
    path("notes/shorthand/", shorthand_table, name="shorthand-table"),
    path(
        "notes/shorthand/<uuid:shorthand_entry_id>/remove/",
        shorthand_entry_remove,
        name="shorthand-entry-remove",
    ),
]

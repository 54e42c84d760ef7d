"""One assistant draft and one shorthand reading of a tenant for
tests/clinic/test_tenant_isolation.py: its ID_KINDS names them for the URLs that take draft_id
and ask_id. Their texts carry the patient's name, a secret the walk looks for."""

from typing import Any

from otclinic.clinic.assistant.models import AssistantDraft, ShorthandAsk
from tests.clinic import factories as f


def _draft(t: Any) -> AssistantDraft:
    made = t.__dict__.setdefault("_made", {})
    if "assistant_draft" not in made:
        # The walk's own episode and note (one open episode per patient), made the same way.
        if "episode" not in made:
            made["episode"] = f.EpisodeFactory(patient=t.patient, coverage=t.coverage)
        if "note" not in made:
            made["note"] = f.TreatmentNoteFactory(episode=made["episode"])
        made["assistant_draft"] = AssistantDraft.objects.create(
            organization=t.org,
            note=made["note"],
            requested_by=t.user,
            fallback=f"Caregiver training with {t.patient.last_name}.",
        )
    return made["assistant_draft"]


def _ask(t: Any) -> ShorthandAsk:
    made = t.__dict__.setdefault("_made", {})
    if "assistant_shorthand" not in made:
        note = _draft(t).note
        made["assistant_shorthand"] = ShorthandAsk.objects.create(
            organization=t.org,
            note=note,
            requested_by=t.user,
            status="done",
            refused=[[f"ther act w/ {t.patient.last_name}", "no reading"]],
        )
    return made["assistant_shorthand"]


ID_KINDS = {"draft_id": lambda t: _draft(t).pk, "ask_id": lambda t: _ask(t).pk}

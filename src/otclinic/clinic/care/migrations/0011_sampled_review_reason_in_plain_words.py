"""Sampled-review reasons kept before issue 15 spelled out the draw ("Sampled review: the clinic
reviews 10% of notes; draw 109 is below 1000 (of 0-9999)"); they now say what the pick means,
and the draw is shown behind "Why?" from the note's recorded draw. Running it twice changes
nothing: a reason already in plain words does not match."""

import re
from typing import Any

from django.db import migrations

OLD = re.compile(r"^Sampled review: the clinic reviews (\d+)% of notes; draw \d+ is below \d+")


def plain_reasons(apps: Any, schema_editor: Any) -> None:
    from otclinic.domain.compliance.cosign_sampling import sample_decision

    note_model = apps.get_model("care", "TreatmentNote")
    notes = note_model.objects.filter(
        cosign_required=False, cosign_reason__startswith="Sampled review: the clinic reviews"
    )
    for note in notes.only("pk", "cosign_reason"):
        match = OLD.match(note.cosign_reason)
        if match:
            percent = int(match.group(1))
            plain = sample_decision(percent=percent, draw=0).plain
            note_model.objects.filter(pk=note.pk).update(cosign_reason=plain[:300])


class Migration(migrations.Migration):
    dependencies = [("care", "0010_note_soap_and_editor")]

    operations = [migrations.RunPython(plain_reasons, migrations.RunPython.noop)]

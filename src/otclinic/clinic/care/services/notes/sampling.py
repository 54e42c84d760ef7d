"""Sampled review: a share of assistants' notes that need no co-signature goes to the OT anyway.

The clinic sets the share (`Clinic.cosign_sample_percent`, 0-100). When an assistant's or a
student's note is signed and no rule requires a co-signature, one draw is made and recorded
(`CosignSampleDraw`: the note, the clinic's percentage at the time, the draw, picked or not, when),
so every choice can be audited. A picked note waits in the supervising OT's co-signature queue,
marked as a sampled review; the OT co-signs or returns it like any other. A rule that requires
co-signature always wins: such a note is never sampled (domain.compliance.cosign_sampling).
"""

import datetime as dt
import random

from otclinic.clinic.care.models import CosignSampleDraw, TreatmentNote
from otclinic.domain.codes import Role
from otclinic.domain.compliance.cosign_sampling import (
    DRAW_RANGE,
    SampleDecision,
    eligible_for_sampling,
    sample_decision,
)

# Unpredictable by design: nobody can tell in advance which note will be picked.
_SYSTEM_RANDOM = random.SystemRandom()


def note_sample_for_review(
    *, note: TreatmentNote, cosign_required: bool, at: dt.datetime, rng: random.Random | None = None
) -> SampleDecision | None:
    """Draw for an eligible note and record the draw; None when the note is not eligible.

    Called by `note_sign` inside its transaction, before the note's status is set.
    `rng` lets a test fix the draw; production uses the system's random source.
    """
    author = note.author
    if not eligible_for_sampling(
        author_role=Role(author.user.role),
        cosign_required=cosign_required,
        has_supervisor=author.supervising_ot_id is not None,
    ):
        return None
    clinic = note.episode.clinic
    decision = sample_decision(
        percent=clinic.cosign_sample_percent,
        draw=(rng or _SYSTEM_RANDOM).randrange(DRAW_RANGE),
    )
    CosignSampleDraw.objects.create(
        organization_id=note.organization_id,
        note=note,
        clinic=clinic,
        percent=decision.percent,
        draw=decision.draw,
        picked=decision.picked,
        drawn_at=at,
    )
    return decision

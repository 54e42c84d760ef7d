"""A signed note's authorship as the co-signature rule's facts (domain.compliance.supervision).

The state is the clinic's (its practice act applies where the care is given), the payer plan
the episode coverage's, the setting the clinic's, the role the author's, and a temporary
license one the author holds in that state on the date of service.
The clinic's own policy (`Clinic.cosign_every_note`) and, in New York, the assistant's written
supervision plan in force on the date of service (`supervision.plans.plan_cosign_on`, asked
through `care.hooks` since supervision sits above care; 8 NYCRR 76.8) are inputs too; with no
plan on file the rule takes the strict reading and says so in a warning.
"""

from otclinic.clinic.care.adapters import payer_plan_of
from otclinic.clinic.care.hooks import supervision_plan_cosign
from otclinic.clinic.care.models import TreatmentNote
from otclinic.clinic.staff.models import StateLicense
from otclinic.domain.codes import Role, Setting
from otclinic.domain.compliance.supervision import NoteAuthorship


def authorship_facts(note: TreatmentNote) -> NoteAuthorship:
    clinic = note.episode.clinic
    temporary = StateLicense.objects.filter(
        staff=note.author,
        state=clinic.state,
        temporary=True,
        expires_on__gte=note.date_of_service,
    ).exists()
    return NoteAuthorship(
        date_of_service=note.date_of_service,
        state=clinic.state,
        payer_plan=payer_plan_of(note.episode),
        setting=Setting(clinic.setting),
        author_role=Role(note.author.user.role),
        temporary_license=temporary,
        supervision_plan_cosign=supervision_plan_cosign(ota=note.author, day=note.date_of_service),
        clinic_requires_cosign=clinic.cosign_every_note,
    )

"""The structured sections of a treatment note for what the OTA does beyond the codes.

Adaptive equipment and technology trained, environmental modifications recommended, and
caregiver training: each with its own fields, so that the narrative, the home program and the
billing rules (caregiver training without the patient needs consent) read facts, not prose.
"""

from django.db import models

from otclinic.clinic.care.models.note import TreatmentNote
from otclinic.clinic.common.models import OrgOwned


class Independence(models.TextChoices):
    """Levels of assistance as therapists grade them (most to least help)."""

    DEPENDENT = "dependent", "Dependent"
    MAX_ASSIST = "max_assist", "Maximal assistance"
    MOD_ASSIST = "mod_assist", "Moderate assistance"
    MIN_ASSIST = "min_assist", "Minimal assistance"
    CONTACT_GUARD = "contact_guard", "Contact guard"
    STANDBY = "standby", "Stand-by assistance"
    SUPERVISION = "supervision", "Supervision or set-up"
    MODIFIED_INDEPENDENT = "modified_independent", "Modified independent"
    INDEPENDENT = "independent", "Independent"


class Equipment(models.TextChoices):
    WHEELCHAIR = "wheelchair", "Wheelchair"
    WALKER = "walker", "Walker"
    CANE = "cane", "Cane"
    REACHER = "reacher", "Reacher"
    SOCK_AID = "sock_aid", "Sock aid"
    TUB_BENCH = "tub_bench", "Tub transfer bench"
    ADAPTED_UTENSILS = "adapted_utensils", "Adapted utensils"
    COMMUNICATION_DEVICE = "communication_device", "Communication device"
    TABLET_COMPUTER = "tablet_computer", "Tablet or computer access"
    ORTHOSIS = "orthosis", "Orthosis or splint"
    OTHER = "other", "Other"


class EquipmentTraining(OrgOwned):
    note = models.ForeignKey(
        TreatmentNote, on_delete=models.CASCADE, related_name="equipment_trained"
    )
    equipment = models.CharField(max_length=24, choices=Equipment.choices)
    detail = models.CharField(max_length=200, blank=True)
    independence = models.CharField(max_length=24, choices=Independence.choices)

    class Meta:
        ordering = ["created_at"]


class Modification(models.TextChoices):
    GRAB_BARS = "grab_bars", "Grab bars"
    RAMP = "ramp", "Ramp"
    RAISED_TOILET_SEAT = "raised_toilet_seat", "Raised toilet seat"
    TUB_TRANSFER_BENCH = "tub_transfer_bench", "Tub transfer bench"
    HANDRAILS = "handrails", "Handrails"
    LIGHTING = "lighting", "Lighting"
    REMOVE_RUGS = "remove_rugs", "Remove throw rugs"
    DESK_WORKSTATION = "desk_workstation", "Desk or workstation changes"
    OTHER = "other", "Other"


class Room(models.TextChoices):
    BATHROOM = "bathroom", "Bathroom"
    BEDROOM = "bedroom", "Bedroom"
    KITCHEN = "kitchen", "Kitchen"
    ENTRY = "entry", "Entry or stairs"
    LIVING = "living", "Living area"
    WORKPLACE = "workplace", "Workplace or school"
    OTHER = "other", "Other"


class EnvironmentalRecommendation(OrgOwned):
    note = models.ForeignKey(
        TreatmentNote, on_delete=models.CASCADE, related_name="environment_recommendations"
    )
    modification = models.CharField(max_length=24, choices=Modification.choices)
    room = models.CharField(max_length=12, choices=Room.choices)
    rationale = models.CharField(max_length=300)

    class Meta:
        ordering = ["created_at"]


class CaregiverTraining(OrgOwned):
    """Who was trained, on what, whether they showed it back, and the conditions of billing."""

    note = models.ForeignKey(
        TreatmentNote, on_delete=models.CASCADE, related_name="caregiver_training"
    )
    contact = models.ForeignKey(
        "patients.PatientContact", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    caregiver_name = models.CharField(max_length=120)
    topic = models.CharField(max_length=200)
    return_demonstration = models.BooleanField()
    patient_present = models.BooleanField()
    consent_documented = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at"]

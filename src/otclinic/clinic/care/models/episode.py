"""The episode of care: one discipline's course of care for one patient."""

from django.db import models

from otclinic.clinic.common.models import OrgOwned
from otclinic.domain.codes import Discipline

DISCIPLINE_CHOICES = [(d.value, d.value) for d in Discipline]


class EpisodeStatus(models.TextChoices):
    OPEN = "open", "Open"
    DISCHARGED = "discharged", "Discharged"
    CANCELLED = "cancelled", "Cancelled"


class Episode(OrgOwned):
    """One discipline's course of care for one patient, from evaluation to discharge."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="episodes"
    )
    discipline = models.CharField(max_length=3, choices=DISCIPLINE_CHOICES)
    clinic = models.ForeignKey("organizations.Clinic", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="episodes",
    )
    therapist = models.ForeignKey(
        "staff.StaffProfile",
        on_delete=models.PROTECT,
        related_name="episodes",
        help_text="The therapist responsible for the plan of care",
    )
    coverage = models.ForeignKey(
        "payers.Coverage", on_delete=models.PROTECT, null=True, blank=True, related_name="episodes"
    )
    status = models.CharField(
        max_length=12, choices=EpisodeStatus.choices, default=EpisodeStatus.OPEN
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "discipline"],
                condition=models.Q(status="open"),
                name="one_open_episode_per_discipline",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="episode_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(discipline__in=[d.value for d in Discipline]),
                name="episode_discipline_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.discipline} episode from {self.started_on}"

"""A home program built from the exercise library (`domain.care.exercise_library`)."""

from django.conf import settings
from django.db import models

from otclinic.clinic.care.models.documents import EpisodeDocument
from otclinic.clinic.care.models.episode import Episode
from otclinic.clinic.common.models import OrgOwned


class HomeProgram(OrgOwned):
    """The exercises an OT or OTA chose for a patient to do at home, in order.

    `age_group` is the patient's when the program was started: it decides the library offered
    and the wording printed (a child's program reads as a game). Each print is kept as an
    episode document; `printed` is the latest, and sharing it puts it in the patient's portal.
    """

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="home_programs")
    title = models.CharField(max_length=120, default="Home exercise program")
    age_group = models.CharField(
        max_length=12,
        choices=[
            ("child", "Child"),
            ("teen", "Teen"),
            ("adult", "Adult"),
            ("older_adult", "Older adult"),
        ],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    printed = models.ForeignKey(
        EpisodeDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]


class HomeProgramItem(OrgOwned):
    """One exercise of a home program: which, where in the order, how much, and a note."""

    program = models.ForeignKey(HomeProgram, on_delete=models.CASCADE, related_name="items")
    exercise = models.CharField(max_length=40, help_text="The library's key")
    position = models.PositiveSmallIntegerField()
    sets = models.PositiveSmallIntegerField(default=1)
    reps = models.PositiveSmallIntegerField(default=10)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sets__gte=1, sets__lte=20), name="home_item_sets_1_to_20"
            ),
            models.CheckConstraint(
                condition=models.Q(reps__gte=1, reps__lte=100), name="home_item_reps_1_to_100"
            ),
        ]

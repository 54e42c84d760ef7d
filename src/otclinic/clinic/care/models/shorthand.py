"""A clinic's own shorthand: abbreviations its clinicians write, read over the shipped table."""

from django.db import models

from otclinic.clinic.care.models.note_sections import Equipment, Independence
from otclinic.clinic.care.models.plan import CATEGORY_CHOICES
from otclinic.clinic.common.models import OrgOwned


class ShorthandKind(models.TextChoices):
    CODE = "code", "An intervention (CPT code)"
    DEVICE = "device", "A device or equipment"
    ASSIST = "assist", "An assistance level"


class ShorthandEntry(OrgOwned):
    """One phrase of the organization's shorthand and what it stands for: an intervention's code
    (with the note line's category), a device (the note's equipment choices) or an assistance
    level (the note's levels of independence). Phrases are kept lower-case, one space apart."""

    phrase = models.CharField(max_length=60)
    kind = models.CharField(max_length=8, choices=ShorthandKind.choices)
    value = models.CharField(
        max_length=24, help_text="The code, the equipment choice or the assistance level"
    )
    category = models.CharField(max_length=32, blank=True, choices=CATEGORY_CHOICES)

    class Meta:
        ordering = ["phrase"]
        verbose_name_plural = "shorthand entries"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "phrase"], name="shorthand_phrase_once_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ShorthandKind.values), name="shorthand_kind_known"
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="code") & ~models.Q(category=""))
                | (~models.Q(kind="code") & models.Q(category="")),
                name="shorthand_code_has_category",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="device") | models.Q(value__in=Equipment.values),
                name="shorthand_device_is_equipment",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="assist") | models.Q(value__in=Independence.values),
                name="shorthand_assist_is_level",
            ),
        ]

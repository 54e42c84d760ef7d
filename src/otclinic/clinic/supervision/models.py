"""OTA supervision: the written plan, the contact log and the hours worked each month.

The rules these rows feed live in otclinic.domain.compliance.supervision_contacts (and its packs
in domain/rules/supervision_packs.yaml); `adapters.py` turns these rows into their facts.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from otclinic.clinic.common.models import OrgOwned

MAX_CONTACT_MINUTES = 480
MAX_PLAN_EVERY_DAYS = 90
MAX_MONTH_HOURS = 400


class SupervisionPlan(OrgOwned):
    """An OTA's written supervision plan (required in New York, 8 NYCRR 76.8; useful anywhere).

    It names the supervising OT, how often and by which kinds of contact supervision happens,
    and whether the OTA's notes are co-signed or initialed. The plan in force on a note's date
    of service is what the co-signature rule reads (`plans.plan_cosign_on`).
    """

    ota = models.ForeignKey(
        "staff.StaffProfile", on_delete=models.PROTECT, related_name="supervision_plans"
    )
    supervising_ot = models.ForeignKey(
        "staff.StaffProfile", on_delete=models.PROTECT, related_name="+"
    )
    contact_every_days = models.PositiveSmallIntegerField(
        "contact at least every (days)",
        help_text="The longest gap allowed between supervision contacts",
    )
    by_in_person = models.BooleanField("in-person contacts count", default=True)
    by_phone = models.BooleanField("phone contacts count", default=False)
    by_video = models.BooleanField("video contacts count", default=False)
    notes_cosigned = models.BooleanField(
        "notes are co-signed",
        default=True,
        help_text="Yes: the supervising OT co-signs the OTA's notes; no: the OT initials them",
    )
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    setting_started_on = models.DateField(
        "started in this setting on",
        null=True,
        blank=True,
        help_text="For rules keyed to months in the setting (Illinois, North Carolina, Arizona)",
    )

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="supervision_plan_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(contact_every_days__gte=1, contact_every_days__lte=MAX_PLAN_EVERY_DAYS),
                name="supervision_plan_every_days_in_range",
            ),
            models.CheckConstraint(
                condition=Q(by_in_person=True) | Q(by_phone=True) | Q(by_video=True),
                name="supervision_plan_has_a_contact_kind",
            ),
            models.CheckConstraint(
                condition=~Q(ota=F("supervising_ot")), name="supervision_plan_not_self"
            ),
            models.UniqueConstraint(
                fields=["ota"],
                condition=Q(effective_to__isnull=True),
                name="supervision_plan_one_open_per_ota",
            ),
        ]

    def __str__(self) -> str:
        return f"Supervision plan from {self.effective_from}"

    @property
    def methods(self) -> list[str]:
        chosen = [(self.by_in_person, "in_person"), (self.by_phone, "phone")]
        return [name for on, name in [*chosen, (self.by_video, "video")] if on]

    @property
    def methods_display(self) -> str:
        return ", ".join(ContactMethod(m).label.lower() for m in self.methods)


class ContactMethod(models.TextChoices):
    """How a supervision contact took place (domain ContactMethod)."""

    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"


class SupervisionContact(OrgOwned):
    """One supervision contact between an OT and an OTA: when, how, how long, about what."""

    ota = models.ForeignKey(
        "staff.StaffProfile", on_delete=models.PROTECT, related_name="supervision_contacts"
    )
    supervisor = models.ForeignKey("staff.StaffProfile", on_delete=models.PROTECT, related_name="+")
    contact_on = models.DateField("date")
    method = models.CharField(max_length=9, choices=ContactMethod.choices)
    minutes = models.PositiveSmallIntegerField()
    on_site_face_to_face = models.BooleanField(
        "on-site, face to face",
        default=False,
        help_text="The OT and the OTA met in person at the OTA's work site (Illinois counts these)",
    )
    patients = models.ManyToManyField("patients.Patient", blank=True, related_name="+")
    content = models.TextField(help_text="What was discussed, observed or decided")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-contact_on", "-created_at"]
        indexes = [models.Index(fields=["organization", "ota", "contact_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MAX_CONTACT_MINUTES),
                name="supervision_contact_minutes_in_range",
            ),
            models.CheckConstraint(
                condition=Q(on_site_face_to_face=False) | Q(method="in_person"),
                name="supervision_contact_on_site_is_in_person",
            ),
            models.CheckConstraint(
                condition=~Q(ota=F("supervisor")), name="supervision_contact_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} supervision on {self.contact_on}"


class MonthlyHours(OrgOwned):
    """A timesheet entry: the hours an OTA worked in one month, typed by a clinic admin.

    When present it overrides the hours derived from the OTA's completed appointments for that
    month (a timesheet knows of documentation time, meetings and visits never booked).
    """

    ota = models.ForeignKey(
        "staff.StaffProfile", on_delete=models.PROTECT, related_name="monthly_hours"
    )
    month = models.DateField(help_text="The first day of the month")
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["ota", "month"], name="monthly_hours_once_per_month"),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=MAX_MONTH_HOURS),
                name="monthly_hours_in_range",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="monthly_hours_month_starts_on_the_first"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h in {self.month:%Y-%m}"


class StoredSupervisionStatus(models.Model):
    """The supervision engine's answer for one OTA, kept between the changes of its facts.

    Not a record of care: a stored computation (`supervision.stored`), so it is neither audited
    nor shown as such; the supervision dashboard reads it instead of judging every OTA on every
    view. Valid while three keys hold: `facts_version` (raised in the same transaction as every
    write to what the answer reads), `computed_for` (the clinic date it was computed for) and
    `rules_version` (the engine's code and rule files). `overdue` and `next_due` are the
    answer's sort key, so the dashboard sorts and pages in SQL; `result` is the whole answer
    (`status_as_json`), null until computed.
    """

    ota = models.OneToOneField(
        "staff.StaffProfile",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_supervision",
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    facts_version = models.PositiveBigIntegerField(default=0)
    computed_for = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    rules_version = models.CharField(max_length=64, blank=True)
    overdue = models.BooleanField(default=False)
    next_due = models.DateField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return f"supervision status of {self.ota_id} for {self.computed_for}"

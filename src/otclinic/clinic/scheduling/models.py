"""Rooms, appointments and the visits they become."""

import uuid

from django.db import models

from otclinic.clinic.common.models import OrgOwned


class Room(OrgOwned):
    clinic = models.ForeignKey(
        "organizations.Clinic", on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="room_name_unique")]

    def __str__(self) -> str:
        return self.name


class AppointmentKind(models.TextChoices):
    EVALUATION = "evaluation", "Evaluation"
    TREATMENT = "treatment", "Treatment"
    REEVALUATION = "reevaluation", "Re-evaluation"
    PROGRESS = "progress", "Progress-report visit"
    DISCHARGE = "discharge", "Discharge visit"


class AppointmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CHECKED_IN = "checked_in", "Checked in"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


class Appointment(OrgOwned):
    """A booked time for a patient with a clinician, at a clinic and optionally in a room."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="appointments"
    )
    clinician = models.ForeignKey(
        "staff.StaffProfile", on_delete=models.PROTECT, related_name="appointments"
    )
    clinic = models.ForeignKey("organizations.Clinic", on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    episode = models.ForeignKey(
        "care.Episode",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    kind = models.CharField(
        max_length=14, choices=AppointmentKind.choices, default=AppointmentKind.TREATMENT
    )
    status = models.CharField(
        max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.SCHEDULED
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cancel_reason = models.CharField(max_length=200, blank=True)
    progress_report_due = models.BooleanField(
        default=False,
        help_text="Computed: the visit on which the episode's progress report falls due",
    )

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["organization", "clinician", "starts_at"]),
            models.Index(fields=["organization", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="appointment_ends_after_start",
            ),
        ]


class Visit(OrgOwned):
    """A visit that took place: the patient was seen, and a note is owed."""

    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="visit"
    )
    episode = models.ForeignKey("care.Episode", on_delete=models.PROTECT, related_name="visits")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="visits")
    clinician = models.ForeignKey(
        "staff.StaffProfile", on_delete=models.PROTECT, related_name="visits"
    )
    date_of_service = models.DateField()
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date_of_service"]
        indexes = [models.Index(fields=["organization", "date_of_service"])]


class ClinicHoliday(OrgOwned):
    """A day a clinic (or, with no clinic, every clinic of the organization) is closed."""

    clinic = models.ForeignKey(
        "organizations.Clinic",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="holidays",
        help_text="Empty: the whole organization is closed",
    )
    date = models.DateField()
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "date"], name="holiday_unique_per_clinic"),
            models.UniqueConstraint(
                fields=["organization", "date"],
                condition=models.Q(clinic__isnull=True),
                name="holiday_unique_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    BOOKED = "booked", "Booked"
    WITHDRAWN = "withdrawn", "Withdrawn"


class WaitlistEntry(OrgOwned):
    """A patient who wants an earlier or extra slot, and when it would suit them."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    clinician = models.ForeignKey(
        "staff.StaffProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: any clinician",
    )
    preferred_weekdays = models.JSONField(
        default=list, blank=True, help_text="Weekday numbers, Monday = 0; empty: any day"
    )
    preferred_from = models.TimeField(null=True, blank=True)
    preferred_until = models.TimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(preferred_from__isnull=True)
                | models.Q(preferred_until__isnull=True)
                | models.Q(preferred_until__gt=models.F("preferred_from")),
                name="waitlist_window_ends_after_start",
            ),
        ]


class ReminderChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class AppointmentReminder(OrgOwned):
    """A reminder sent for one appointment in one window (e.g. 48 or 2 hours before).

    The start time is part of the key, so a moved appointment is reminded again for its new
    time; running the reminder command twice sends nothing twice.
    """

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    starts_at = models.DateTimeField(help_text="The appointment's start when it was reminded")
    window_hours = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=5, choices=ReminderChannel.choices)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "starts_at", "window_hours"],
                name="appointment_reminder_once_per_window",
            ),
            models.CheckConstraint(
                condition=models.Q(window_hours__gt=0), name="appointment_reminder_window_positive"
            ),
        ]


class ClinicHours(OrgOwned):
    """When a location opens and closes, and the slot length its calendar grid is cut into.

    A location without a row has `domain.scheduling.grid.DEFAULT_HOURS` (08:00-18:00, 30-minute
    slots). The hours shape the grid only: a visit may still be booked outside them."""

    clinic = models.OneToOneField(
        "organizations.Clinic", on_delete=models.CASCADE, related_name="hours"
    )
    opens = models.TimeField(help_text="The first slot of the day starts then")
    closes = models.TimeField(help_text="The last slot of the day ends then")
    slot_minutes = models.PositiveSmallIntegerField(
        "slot length (minutes)", default=30, help_text="5 to 240 minutes"
    )

    class Meta:
        verbose_name_plural = "clinic hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")),
                name="clinic_hours_close_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=5, slot_minutes__lte=240),
                name="clinic_hours_slot_5_to_240_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opens:%H:%M}-{self.closes:%H:%M}, {self.slot_minutes}-minute slots"


class PickerVersion(models.Model):
    """A token that changes with every write to what the calendar's pickers list (clinicians,
    locations, rooms), in the writer's transaction: the pickers are cached under it
    (`scheduling/pickers.py`). Not a tenant record: it holds no data but the token."""

    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    version = models.UUIDField(default=uuid.uuid4)

    def __str__(self) -> str:
        return f"pickers {self.version}"

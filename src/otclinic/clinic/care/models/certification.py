"""Requests for the physician's certification of a plan of care, and their reminders.

One request per sending of a plan version for its initial certification or a recertification:
sent, reminded (any number of times), then signed or refused (with the physician's reason).
The deadline is stored when the request is sent (BPM ch. 15 sec. 220.1.3: 30 days from the
evaluation for the initial certification; the end of the current certification for a
recertification), so the reminder schedule never moves under a later change of the plan.
"""

from django.conf import settings
from django.db import models

from otclinic.clinic.care.models.documents import EpisodeDocument
from otclinic.clinic.care.models.plan import PlanOfCare
from otclinic.clinic.common.models import OrgOwned


class CertificationKind(models.TextChoices):
    INITIAL = "initial", "Initial certification"
    RECERTIFICATION = "recertification", "Recertification"


class CertificationChannel(models.TextChoices):
    FAX = "fax", "Fax"
    DIRECT = "direct", "Direct secure email"
    PORTAL = "portal", "Physician portal"
    MAIL = "mail", "Mail"
    HAND = "hand", "Hand-delivered"


class CertificationRequestStatus(models.TextChoices):
    SENT = "sent", "Sent"
    REMINDED = "reminded", "Reminded"
    SIGNED = "signed", "Signed"
    REFUSED = "refused", "Refused"


OPEN_STATUSES = (CertificationRequestStatus.SENT, CertificationRequestStatus.REMINDED)


class CertificationRequest(OrgOwned):
    """A plan version sent to the physician for certification, and where that request stands."""

    plan = models.ForeignKey(
        PlanOfCare, on_delete=models.PROTECT, related_name="certification_requests"
    )
    kind = models.CharField(max_length=16, choices=CertificationKind.choices)
    physician = models.ForeignKey(
        "referrals.ReferringPhysician", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=CertificationChannel.choices)
    status = models.CharField(
        max_length=8,
        choices=CertificationRequestStatus.choices,
        default=CertificationRequestStatus.SENT,
    )
    sent_on = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(help_text="The last day for the signature (BPM 220.1.3)")
    document = models.ForeignKey(
        EpisodeDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True, help_text="Signed or refused on")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refusal_reason = models.TextField(blank=True, help_text="The physician's reason, as given")

    class Meta:
        ordering = ["-sent_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind"],
                condition=models.Q(status__in=["sent", "reminded"]),
                name="cert_request_one_open_per_plan_and_kind",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="cert_request_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["sent", "reminded"])
                | models.Q(closed_on__isnull=False),
                name="cert_request_closed_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=[c.value for c in CertificationChannel]),
                name="cert_request_channel_known",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CertificationReminder(OrgOwned):
    """One reminder of a request: which step of the schedule, when, how, and by whom.

    `sent_by` is empty when the scheduled command sent it. At most one a day per request, so
    running the command twice on a day sends nothing the second time.
    """

    request = models.ForeignKey(
        CertificationRequest, on_delete=models.CASCADE, related_name="reminders"
    )
    step = models.PositiveSmallIntegerField()
    escalation = models.BooleanField(default=False)
    sent_on = models.DateField()
    channel = models.CharField(max_length=8, choices=CertificationChannel.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        EpisodeDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["sent_on", "step"]
        constraints = [
            models.UniqueConstraint(fields=["request", "sent_on"], name="cert_reminder_once_a_day"),
            models.CheckConstraint(
                condition=models.Q(step__gte=1), name="cert_reminder_step_from_1"
            ),
        ]

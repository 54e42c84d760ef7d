"""Documents sent to a physician by fax or Direct secure email, and what became of each sending."""

from django.conf import settings
from django.db import models

from otclinic.clinic.care.models.documents import EpisodeDocument
from otclinic.clinic.common.models import OrgOwned


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class PhysicianDelivery(OrgOwned):
    """One document sent to one physician through one channel (`care.sending`).

    Queued in the request, sent by a background job (`care.services.delivery`), which records
    the gateway's answer: sent (handed over), delivered (the fax gateway confirmed it) or failed
    with the reason. One row per document and physician: sending it again re-queues a failed
    sending and leaves a queued, sent or delivered one as it is.
    """

    document = models.ForeignKey(
        EpisodeDocument, on_delete=models.PROTECT, related_name="deliveries"
    )
    physician = models.ForeignKey(
        "referrals.ReferringPhysician", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=[("fax", "Fax"), ("direct", "Direct")])
    destination = models.CharField(max_length=254, blank=True, help_text="Fax number or address")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    reason = models.CharField(max_length=300, blank=True, help_text="Why it failed")
    reference = models.CharField(max_length=100, blank=True, help_text="The gateway's id")
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "physician deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "physician"], name="delivery_once_per_document_and_physician"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="failed") | ~models.Q(reason=""),
                name="delivery_failure_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=["fax", "direct"]), name="delivery_channel_known"
            ),
        ]

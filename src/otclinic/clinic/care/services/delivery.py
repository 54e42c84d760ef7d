"""Sending a document to a physician: queued in the request, sent by a background job.

`physician_delivery_queue` records the sending (a `PhysicianDelivery`) in the caller's
transaction, through the physician's preferred channel unless told another, and queues the
`send_to_physician` task when that transaction commits. The worker sends it
(`physician_delivery_send`) through the channel's sender (`care.sending`) and records what
became of it: sent, delivered, or failed with the reason. A mail server or fax gateway that
cannot be reached is tried again after the pauses email uses (`accounts.mail.BACKOFF`); a
refusal (a wrong number, an unknown address) fails at once. Sending a document again is safe:
a queued, sent or delivered sending is left as it is, a failed one is queued again. A fax
gateway reports later what became of a fax it took (`fax_delivery_report`): delivered, or
failed with the reason. The log carries the delivery's id and the error's class only.
"""

import datetime as dt
import logging
import uuid

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from otclinic.clinic.accounts.mail import BACKOFF, MAX_ATTEMPTS
from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care.models import DeliveryStatus, EpisodeDocument, PhysicianDelivery
from otclinic.clinic.care.sending import Outgoing, SendFailed, sender_for
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.referrals.models import PhysicianChannel, ReferringPhysician
from otclinic.domain.access import Capability

log = logging.getLogger(__name__)

_MISSING = {
    PhysicianChannel.FAX: "No fax number is on file for {physician}.",
    PhysicianChannel.DIRECT: "No Direct secure email address is on file for {physician}.",
}


def _destination(physician: ReferringPhysician, channel: str) -> str:
    return physician.fax if channel == PhysicianChannel.FAX else physician.direct_address


@transaction.atomic
def physician_delivery_queue(
    *, user: User, document: EpisodeDocument, physician: ReferringPhysician, channel: str = ""
) -> PhysicianDelivery:
    """Queue `document` for `physician` by `channel` (their preferred one when blank)."""
    channel = channel or physician.preferred_channel
    if channel not in PhysicianChannel.values:
        raise ValueError(f"documents are sent by fax or Direct, not {channel!r}")
    existing = (
        PhysicianDelivery.objects.select_for_update()
        .filter(document=document, physician=physician)
        .first()
    )
    if existing is not None and existing.status != DeliveryStatus.FAILED:
        return existing  # already on its way or there: sending again sends nothing twice
    delivery = existing or PhysicianDelivery(
        organization_id=document.organization_id, document=document, physician=physician
    )
    delivery.channel, delivery.queued_by = channel, user
    delivery.destination = _destination(physician, channel)
    delivery.status, delivery.reason, delivery.attempts = DeliveryStatus.QUEUED, "", 0
    delivery.reference, delivery.finished_at = "", None
    if not delivery.destination:
        delivery.status = DeliveryStatus.FAILED
        delivery.reason = _MISSING[PhysicianChannel(channel)].format(physician=physician)
        delivery.finished_at = timezone.now()
        delivery.save()
        return delivery
    delivery.save()
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return delivery


def physician_delivery_resend(*, user: User, delivery: PhysicianDelivery) -> PhysicianDelivery:
    """Send a failed delivery again, by the physician's preferred channel as it is now (a fax
    number or address corrected since is used); one on its way or delivered is left alone."""
    require(user, Capability.PLAN_OF_CARE)
    require_same_organization(user, delivery)
    return physician_delivery_queue(
        user=user, document=delivery.document, physician=delivery.physician
    )


@task()
def send_to_physician(delivery_id: str) -> str:
    """The background job: send one queued document (`physician_delivery_send`)."""
    return physician_delivery_send(delivery_id=uuid.UUID(delivery_id))


def _enqueue(delivery_id: uuid.UUID, *, after: dt.timedelta | None = None) -> None:
    job = send_to_physician
    if after is not None and send_to_physician.get_backend().supports_defer:
        job = send_to_physician.using(run_after=timezone.now() + after)
    job.enqueue(str(delivery_id))


def physician_delivery_send(*, delivery_id: uuid.UUID) -> str:
    """Send one queued delivery (the worker's side); what became of it: sent, delivered,
    retrying, failed, or skipped (not queued any more: a job run twice sends once)."""
    delivery = (
        PhysicianDelivery.objects.select_related("document__episode__clinic", "physician")
        .filter(pk=delivery_id, status=DeliveryStatus.QUEUED)
        .first()
    )
    if delivery is None:
        return "skipped"
    # Claim this attempt: of two workers holding the same job, only one sends it.
    claimed = PhysicianDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.QUEUED, attempts=delivery.attempts
    ).update(attempts=delivery.attempts + 1)
    if not claimed:
        return "skipped"
    delivery.attempts += 1
    try:
        outcome = sender_for(delivery.channel).send(_outgoing(delivery))
    except SendFailed as exc:
        return _failed(delivery, exc)
    delivery.status, delivery.reference = outcome.status, outcome.reference[:100]
    delivery.finished_at = timezone.now()
    delivery.save(update_fields=["status", "reference", "finished_at", "updated_at"])
    log.info("document sent delivery=%s status=%s", delivery.pk, delivery.status)
    return delivery.status


def _outgoing(delivery: PhysicianDelivery) -> Outgoing:
    document = delivery.document
    clinic = document.episode.clinic
    with document.file.open("rb") as handle:
        content = handle.read()
    kind = document.get_kind_display()
    return Outgoing(
        destination=delivery.destination,
        subject=f"{kind} from {clinic.name}",
        body=(
            f"{delivery.physician}: please find attached a document from {clinic.name} "
            f"({kind}). Questions: {clinic.phone or 'call the clinic'}.\n\n"
            "This transmission contains protected health information. If you received it in "
            "error, please notify the sender and destroy it."
        ),
        filename=f"{document.kind}.pdf",
        content=content,
    )


def _failed(delivery: PhysicianDelivery, exc: SendFailed) -> str:
    delivery.reason = exc.reason[:300]
    if exc.retry and delivery.attempts < MAX_ATTEMPTS:
        delivery.save(update_fields=["reason", "updated_at"])
        _enqueue(delivery.pk, after=BACKOFF[delivery.attempts - 1])
        log.warning(
            "document not sent, trying again delivery=%s attempts=%d",
            delivery.pk,
            delivery.attempts,
        )
        return "retrying"
    delivery.status, delivery.finished_at = DeliveryStatus.FAILED, timezone.now()
    delivery.save(update_fields=["status", "reason", "finished_at", "updated_at"])
    log.error("document not sent delivery=%s attempts=%d", delivery.pk, delivery.attempts)
    return "failed"


class UnknownFax(Exception):
    """No fax sent from here has the gateway's id."""


FAX_REPORTS = {"delivered": DeliveryStatus.DELIVERED, "failed": DeliveryStatus.FAILED}
FAX_PROGRESS = {"queued", "sending", "sent"}  # on its way still: nothing to record


@transaction.atomic
def fax_delivery_report(*, reference: str, status: str, reason: str = "") -> PhysicianDelivery:
    """Record the fax gateway's report on the fax it knows as `reference`: delivered, or
    failed with `reason` (the page then offers "Send again"). Idempotent: a report on a fax
    already delivered or failed changes nothing, nor does a report that it is on its way."""
    if status not in FAX_REPORTS and status not in FAX_PROGRESS:
        raise ValueError(status)
    delivery = (
        PhysicianDelivery.objects.select_for_update()
        .filter(channel=PhysicianChannel.FAX, reference=reference)
        .exclude(reference="")
        .order_by("-created_at")
        .first()
    )
    if delivery is None:
        raise UnknownFax(reference)
    finished = delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)
    if finished or status in FAX_PROGRESS:
        return delivery
    delivery.status, delivery.finished_at = FAX_REPORTS[status], timezone.now()
    if delivery.status == DeliveryStatus.FAILED:
        delivery.reason = (reason.strip() or "The fax gateway could not deliver it.")[:300]
    delivery.save(update_fields=["status", "reason", "finished_at", "updated_at"])
    log.info("fax reported delivery=%s status=%s", delivery.pk, delivery.status)
    return delivery

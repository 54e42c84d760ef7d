"""The last scrub's results stay with a claim only while the claim is what was scrubbed.

A change to its lines (added, saved or deleted), or a save of the whole claim (an edit), clears
them; saves that name their fields (a status, a payer's claim number, the kept results
themselves) leave them. A return to draft clears them where it is made (`claims`,
`acknowledgments`). Connected in `RevenueConfig.ready`.
"""

from typing import Any

from otclinic.clinic.revenue.models import Claim, ClaimLine


def claim_edited(sender: type[Claim], instance: Claim, **kwargs: Any) -> None:
    """pre_save of a claim: a whole-row save of a stored claim is an edit."""
    if kwargs.get("update_fields") is None and not instance._state.adding:
        instance.scrub_findings, instance.scrubbed_at = None, None


def line_changed(sender: type[ClaimLine], instance: ClaimLine, **kwargs: Any) -> None:
    """post_save and post_delete of a claim line: its claim is no longer what was scrubbed."""
    Claim.objects.filter(pk=instance.claim_id, scrubbed_at__isnull=False).update(
        scrub_findings=None, scrubbed_at=None
    )


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    pre_save.connect(claim_edited, sender=Claim, dispatch_uid="revenue.scrub_kept.claim")
    post_save.connect(line_changed, sender=ClaimLine, dispatch_uid="revenue.scrub_kept.line")
    post_delete.connect(line_changed, sender=ClaimLine, dispatch_uid="revenue.scrub_kept.delete")

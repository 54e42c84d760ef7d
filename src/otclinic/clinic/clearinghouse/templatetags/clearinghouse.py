"""The payer's claim status (the latest 277 answer) on the claims list and the claim page,
without the revenue views importing the clearinghouse app, which sits above them."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from otclinic.clinic.clearinghouse.selectors import payer_statuses as _payer_statuses
from otclinic.clinic.revenue.claim_rows_html import claim_rows_html

register = template.Library()


@register.simple_tag
def claim_rows(rows: Any) -> SafeString:
    """The claims list's rows (`revenue.selectors.ClaimRow`), each with the payer's latest
    answered status: one query for the page, the rows written in one pass."""
    return claim_rows_html(rows, _payer_statuses([row.pk for row in rows]))


@register.simple_tag
def payer_status(claim: Any) -> Any:
    return _payer_statuses([claim.pk]).get(claim.pk)

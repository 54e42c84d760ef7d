"""Writes of the clearinghouse settings: the clinic's profile and each payer's connection."""

from typing import Any

from django.db import transaction

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.clearinghouse.models import ClearinghouseProfile
from otclinic.clinic.payers.models import Payer, PayerConnection
from otclinic.domain.access import Capability


@transaction.atomic
def profile_update(*, user: Any, profile: ClearinghouseProfile, form: Any) -> None:
    """Save the clinic's settings from a valid `ProfileForm`."""
    require(user, Capability.MANAGE_BILLING)
    form.instance = profile
    form.save()


@transaction.atomic
def connection_save(*, user: Any, payer: Payer, form: Any) -> PayerConnection:
    """Save a payer's clearinghouse settings from a valid `ConnectionForm`."""
    require(user, Capability.MANAGE_BILLING)
    connection: PayerConnection = form.save(commit=False)
    connection.organization_id = user.organization_id
    connection.payer = payer
    connection.save()
    return connection

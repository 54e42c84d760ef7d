"""Writes of the clearinghouse settings: the clinic's profile and each payer's connection."""

from typing import Any

from django.db import transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.clearinghouse.models import ClearinghouseProfile
from otclinic.clinic.payers.models import Payer, PayerConnection
from otclinic.domain.access import Capability


@transaction.atomic
def profile_update(*, user: User, profile: ClearinghouseProfile, form: Any) -> None:
    """Save the clinic's settings from a valid `ProfileForm`."""
    require(user, Capability.MANAGE_BILLING)
    form.instance = profile
    form.save()


@transaction.atomic
def connection_save(*, user: User, payer: Payer, form: Any) -> PayerConnection:
    """Save a payer's clearinghouse settings from a valid `ConnectionForm`."""
    require(user, Capability.MANAGE_BILLING)
    connection: PayerConnection = form.save(commit=False)
    connection.organization_id = organization_id_of(user)
    connection.payer = payer
    connection.save()
    return connection

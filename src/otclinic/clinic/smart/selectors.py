"""Reads of the SMART side."""

import uuid

from django.db.models import QuerySet

from otclinic.clinic.smart.models import SmartClient


def clients_for_org(organization_id: uuid.UUID) -> QuerySet[SmartClient]:
    """The organization's registered clients, revoked ones too (marked so)."""
    return SmartClient.objects.for_org(organization_id).select_related("application")

"""The demo portal: caregiver.demo sees the featured stroke patient by consent, with a shared
home program and visits booked ahead; a second seed adds nothing."""

import pytest
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.models import EpisodeDocument
from otclinic.clinic.patients.models import Consent, PortalScope
from otclinic.clinic.portal import selectors
from otclinic.clinic.portal.access import portal_home_for
from otclinic.clinic.scheduling.models import Appointment
from tests.clinic.demo.test_seed import small_seed

pytestmark = pytest.mark.django_db


def test_the_demo_caregiver_sees_the_home_program_and_the_next_visits() -> None:
    small_seed()
    home = portal_home_for(user=User.objects.get(username="caregiver.demo"))
    [grant] = home.grants
    assert grant.consent is not None and grant.consent.expires_on is not None
    assert grant.scopes == frozenset(PortalScope.values)
    documents = selectors.documents_for(grant)
    assert {d.kind for d in documents} == {"home_program", "caregiver_handout"}
    assert all(d.file.read(4) == b"%PDF" for d in documents)
    visits = selectors.appointments_for(grant, now=timezone.now())
    assert len(visits) >= 3
    assert selectors.goals_for(grant)[0].goals
    own = portal_home_for(user=User.objects.get(username="patient.demo")).grants
    assert len(own) == 1 and own[0].is_self and selectors.documents_for(own[0])


def test_seeding_again_adds_no_portal_rows() -> None:
    small_seed()
    counts = (Consent.objects.count(), EpisodeDocument.objects.count(), Appointment.objects.count())
    small_seed()
    assert (
        Consent.objects.count(),
        EpisodeDocument.objects.count(),
        Appointment.objects.count(),
    ) == counts

"""Listed == openable: for every resource, what a user can list is exactly what they can open.

Each resource's rule is one query (`visible_<noun>s`, in patients/care/messaging/revenue/
scheduling `access.py`); pages list through selectors built on it and open through its `.get`.
This property test draws a user across role x consent scope x participation x organization and
compares, for each resource, the ids the list functions the pages call return with the ids the
open functions the pages call accept, out of every record of two organizations; and neither
ever holds a record of the other organization.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from otclinic.clinic.care import selectors_clinical, selectors_notes, selectors_overview
from otclinic.clinic.care.models import EpisodeDocument
from otclinic.clinic.messaging import portal as messaging_portal
from otclinic.clinic.messaging import selectors as messaging
from otclinic.clinic.messaging.models import Participant
from otclinic.clinic.patients import selectors as patients
from otclinic.clinic.patients.models import PortalAccess, PortalScope
from otclinic.clinic.portal import selectors as portal
from otclinic.clinic.portal.access import AccessEnded, ScopeNotShared, grant_get, portal_home_for
from otclinic.clinic.revenue import selectors as revenue
from otclinic.clinic.scheduling import selectors as schedule
from otclinic.clinic.scheduling import selectors_calendar as calendar
from otclinic.domain.codes import Role
from tests.clinic import factories as f
from tests.clinic.messaging.helpers import message_row, thread_row
from tests.clinic.portal.helpers import contact_for, sharing_consent
from tests.clinic.revenue.remittance.helpers import make_claim

pytestmark = pytest.mark.django_db

REFUSED = (Http404, PermissionDenied, AccessEnded, ScopeNotShared)
SCOPES = list(PortalScope.values)


@dataclass
class Practice:
    """One organization's records: a patient with one of everything, and a neighbour."""

    org: Any
    therapist: Any
    patient: Any
    neighbour: Any
    episode: Any
    note: Any
    document: Any
    claim: Any
    appointment: Any
    thread: Any  # about the patient
    team_thread: Any  # about no patient
    contact: Any

    def records(self) -> dict[str, set[Any]]:
        return {
            "patient": {self.patient.pk, self.neighbour.pk},
            "episode": {self.episode.pk},
            "note": {self.note.pk},
            "document": {self.document.pk},
            "claim": {self.claim.pk},
            "appointment": {self.appointment.pk},
            "thread": {self.thread.pk, self.team_thread.pk},
        }


def _practice() -> Practice:
    org = f.OrganizationFactory()
    patient = f.PatientFactory(organization=org)
    coverage = f.CoverageFactory(patient=patient)
    episode = f.EpisodeFactory(patient=patient, coverage=coverage)
    therapist = episode.therapist
    document = EpisodeDocument(
        organization=org,
        episode=episode,
        kind="home_program",
        title="Home program",
        sha256="0" * 64,
        created_by=therapist.user,
        shared_with_portal=True,
    )
    document.file.save("home.pdf", ContentFile(b"%PDF-1.4 home"), save=True)
    thread = thread_row(user=therapist.user, patient=patient)
    message_row(thread)
    team_thread = thread_row(user=therapist.user)
    message_row(team_thread)
    return Practice(
        org=org,
        therapist=therapist,
        patient=patient,
        neighbour=f.PatientFactory(organization=org),
        episode=episode,
        note=f.TreatmentNoteFactory(episode=episode),
        document=document,
        claim=make_claim(organization=org, coverage=coverage, episode=episode),
        appointment=f.AppointmentFactory(
            patient=patient,
            clinician=therapist,
            starts_at=timezone.now() + dt.timedelta(days=1),
        ),
        thread=thread,
        team_thread=team_thread,
        contact=contact_for(patient),
    )


@pytest.fixture
def practices(settings: Any, tmp_path: Any) -> tuple[Practice, Practice]:
    settings.MEDIA_ROOT = tmp_path / "media"
    return _practice(), _practice()


# The user: role x consent scopes x participation x organization --------------------------------


@dataclass(frozen=True)
class Who:
    role: Role
    organization: int  # which of the two practices
    clinician_of_the_visit: bool  # staff: the appointment's clinician (their caseload)
    named: bool  # a participant of both threads by name
    by_role: bool  # staff: their role is a participant of both threads
    has_access: bool  # portal: an access row to the patient
    access_revoked: bool
    scopes: frozenset[str]  # caregiver: the first consent's
    second: frozenset[str] | None  # caregiver: a second consent recorded later, if any
    first_revoked: str  # caregiver: "no", "before the second", "after the second"


STAFF = [r for r in Role if not r.is_portal]
# Half the users are portal logins, and most have an access row that is not revoked: the
# consent cases are where the rules used to disagree.
mostly = st.sampled_from([True, True, True, False])
rarely = st.sampled_from([False, False, False, True])
who = st.builds(
    Who,
    role=st.sampled_from(STAFF) | st.sampled_from([Role.PATIENT, Role.CAREGIVER]),
    organization=st.sampled_from([0, 1]),
    clinician_of_the_visit=st.booleans(),
    named=mostly,
    by_role=st.booleans(),
    has_access=mostly,
    access_revoked=rarely,
    scopes=st.frozensets(st.sampled_from(SCOPES), min_size=1),
    second=st.none() | st.frozensets(st.sampled_from(SCOPES), min_size=1),
    first_revoked=st.sampled_from(["no", "no", "before the second", "after the second"]),
)
ALL_SCOPES = frozenset(SCOPES)
GOALS = frozenset({PortalScope.GOALS})
# The reported case: a caregiver named in the thread, whose consent was narrowed to goals by a
# second consent; and a caregiver whose first consent was revoked after a second was recorded.
NARROWED = Who(Role.CAREGIVER, 0, False, True, False, True, False, ALL_SCOPES, GOALS, "no")
REVOKED = Who(
    Role.CAREGIVER, 1, False, True, False, True, False, ALL_SCOPES, ALL_SCOPES, "after the second"
)


def _user(w: Who, p: Practice) -> Any:
    today = timezone.localdate()
    if not w.role.is_portal:
        user = f.staff_user(organization=p.org, role=w.role)
        if w.clinician_of_the_visit:
            p.appointment.__class__.objects.filter(pk=p.appointment.pk).update(
                clinician=user.staff_profile
            )
    else:
        user = f.UserFactory(organization=p.org, role=w.role)
    for thread in (p.thread, p.team_thread):
        if w.named:
            Participant.objects.create(
                organization=p.org, thread=thread, user=user, added_by=p.therapist.user
            )
        if w.by_role and not w.role.is_portal:
            Participant.objects.get_or_create(
                organization=p.org,
                thread=thread,
                role=w.role,
                defaults={"added_by": p.therapist.user},
            )
    if not w.role.is_portal or not w.has_access:
        return user
    caregiver = w.role == Role.CAREGIVER
    first = None
    if caregiver:
        first = sharing_consent(p.patient, p.contact, scopes=sorted(w.scopes))
        if w.first_revoked == "before the second":
            first.revoked_on = today
            first.save()
        if w.second is not None:
            sharing_consent(
                p.patient, p.contact, scopes=sorted(w.second), signed_on=today - dt.timedelta(5)
            )
        if w.first_revoked == "after the second":
            first.revoked_on = today
            first.save()
    PortalAccess.objects.create(
        organization=p.org,
        user=user,
        patient=p.patient,
        contact=p.contact if caregiver else None,
        granted_on=today - dt.timedelta(days=20),
        revoked_on=today if w.access_revoked else None,
    )
    return user


# What the pages list, and what they open ------------------------------------------------------


def _listed(call: Callable[[], Iterable[Any]]) -> set[Any]:
    try:
        return {row.pk for row in call()}
    except REFUSED:
        return set()


def _opens(call: Callable[[], Any]) -> bool:
    try:
        call()
    except REFUSED:
        return False
    return True


def _grants(user: Any) -> list[Any]:
    try:
        return portal_home_for(user=user).grants
    except REFUSED:
        return []


def listed(user: Any, everything: dict[str, set[Any]]) -> dict[str, set[Any]]:
    grants = _grants(user)
    staff_patients = _listed(lambda: patients.patients_for_user(user=user))
    episodes: set[Any] = set()
    documents: set[Any] = set()
    for pk in staff_patients:
        for episode in _try_list(
            lambda pk=pk: (
                selectors_overview.episodes_for_chart(
                    user=user,
                    patient=patients.patient_get_for_user(user=user, patient_id=pk),
                    as_of=timezone.localdate(),
                ).episodes
            )
        ):
            episodes.add(episode.pk)
            documents |= {d.pk for d in episode.documents.all()}
    # Staff list threads in the inbox; portal logins on each patient's messages page.
    threads = set() if user.is_portal_user else _listed(lambda: _summaries(user))
    for grant in grants:
        if grant.may(PortalScope.HOME_PROGRAM):
            documents |= {d.pk for d in portal.documents_for(grant)}
        if grant.may(PortalScope.MESSAGES):
            summaries = messaging_portal.portal_threads_for(user=user, patient=grant.patient)
            threads |= {s.thread.pk for s in summaries}
    first = timezone.localdate() - dt.timedelta(days=1)
    appointments = {
        a.pk
        for day in calendar.calendar_for_user(user=user, first=first, days=3, filters={})
        for a in day.appointments
    }
    for n in range(3):
        appointments |= _listed(
            lambda n=n: schedule.caseload_for_user(user=user, day=first + dt.timedelta(days=n))
        )
    return {
        "patient": staff_patients | {g.patient.pk for g in grants},
        "episode": episodes,
        "note": _listed(lambda: selectors_notes.notes_for_user(user=user)),
        "document": documents,
        "claim": _listed(lambda: revenue.claims_for_user(user=user)),
        "appointment": appointments,
        "thread": threads,
    }


def _summaries(user: Any) -> list[Any]:
    return [s.thread for s in messaging.thread_summaries(user=user)]


def _try_list(call: Callable[[], Iterable[Any]]) -> list[Any]:
    try:
        return list(call())
    except REFUSED:
        return []


def openable(user: Any, everything: dict[str, set[Any]]) -> dict[str, set[Any]]:
    def portal_document(pk: Any) -> bool:
        return any(
            _opens(
                lambda g=g: portal.document_open(
                    grant_get(user=user, patient_id=g.patient.pk, scope=PortalScope.HOME_PROGRAM),
                    document_id=pk,
                )
            )
            for g in _grants(user)
        )

    def portal_thread(pk: Any) -> bool:
        return any(
            _opens(
                lambda g=g: messaging_portal.portal_thread_get(
                    user=user, patient=g.patient, thread_id=pk
                )
            )
            for g in _grants(user)
        )

    def episode(pk: Any) -> bool:
        # Both pages' lookups (the episode page's and the note pages') answer alike.
        clinical = _opens(lambda: selectors_overview.episode_get_for_user(user=user, episode_id=pk))
        notes = _opens(lambda: selectors_notes.episode_get_for_user(user=user, episode_id=pk))
        assert clinical == notes
        return clinical

    # A portal login opens through the portal's pages, staff through the staff pages (each
    # refuses the other by role).
    portal_user = user.is_portal_user
    opens: dict[str, Callable[[Any], bool]] = {
        "patient": lambda pk: (
            _opens(lambda: grant_get(user=user, patient_id=pk))
            if portal_user
            else _opens(lambda: patients.patient_get_for_user(user=user, patient_id=pk))
        ),
        "episode": episode,
        "note": lambda pk: _opens(lambda: selectors_notes.note_get_for_user(user=user, note_id=pk)),
        "document": lambda pk: (
            portal_document(pk)
            if portal_user
            else _opens(
                lambda: selectors_clinical.document_open_for_user(user=user, document_id=pk)
            )
        ),
        "claim": lambda pk: _opens(lambda: revenue.claim_get_for_user(user=user, claim_id=pk)),
        "appointment": lambda pk: _opens(
            lambda: calendar.appointment_get_for_user(user=user, appointment_id=pk)
        ),
        "thread": lambda pk: (
            portal_thread(pk)
            if portal_user
            else _opens(lambda: messaging.thread_get_for_user(user=user, thread_id=pk))
        ),
    }
    return {kind: {pk for pk in pks if opens[kind](pk)} for kind, pks in everything.items()}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(w=NARROWED)
@example(w=REVOKED)
@given(w=who)
def test_what_a_user_lists_is_what_they_can_open(
    practices: tuple[Practice, Practice], w: Who
) -> None:
    mine, theirs = practices[w.organization], practices[1 - w.organization]
    everything = {kind: mine.records()[kind] | theirs.records()[kind] for kind in mine.records()}
    with transaction.atomic():
        user = _user(w, mine)
        shown = listed(user, everything)
        opened = openable(user, everything)
        for kind in everything:
            assert shown[kind] == opened[kind], (kind, w)
            assert not shown[kind] & theirs.records()[kind], (kind, w)
        # The unread badge counts only threads the user lists.
        unread = messaging.unread_by_thread(user=user, threads=messaging.visible_threads(user=user))
        assert set(unread) <= shown["thread"]
        assert messaging.unread_count_for(user=user) == sum(unread.values())
        transaction.set_rollback(True)


def test_the_property_sees_each_kind_of_user_reach_something(
    practices: tuple[Practice, Practice],
) -> None:
    # The control: the property above is not vacuous. A clinic admin named in the threads lists
    # (and opens) one of everything of their own practice; the patient's own login their record
    # and the thread about them; a caregiver sharing only goals their patient and nothing else.
    mine = practices[0]
    base = Who(Role.CLINIC_ADMIN, 0, False, True, False, True, False, ALL_SCOPES, None, "no")
    cases = {
        base: {
            "patient": 2,
            "episode": 1,
            "note": 1,
            "document": 1,
            "claim": 1,
            "appointment": 1,
            "thread": 2,
        },
        base.__class__(**{**base.__dict__, "role": Role.PATIENT}): {
            "patient": 1,
            "document": 1,
            "thread": 1,
        },
        base.__class__(
            **{**base.__dict__, "role": Role.CAREGIVER, "scopes": frozenset({PortalScope.GOALS})}
        ): {"patient": 1},
    }
    for w, expected in cases.items():
        with transaction.atomic():
            user = _user(w, mine)
            shown = listed(user, mine.records())
            counts = {kind: len(pks) for kind, pks in shown.items() if pks}
            assert counts == expected, w.role
            transaction.set_rollback(True)

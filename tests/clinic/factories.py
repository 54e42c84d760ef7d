"""Factories for database tests: a small, valid practice in a few lines."""

import datetime as dt
import itertools

import factory
from django.utils import timezone

from otclinic.clinic.accounts import api_tokens
from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.models import Episode, NoteLine, PlanOfCare, TreatmentNote
from otclinic.clinic.organizations.models import Clinic, Organization
from otclinic.clinic.patients.models import Patient, PatientDiagnosis, PortalAccess
from otclinic.clinic.payers.models import Coverage, Payer
from otclinic.clinic.referrals.models import Referral, ReferringPhysician
from otclinic.clinic.scheduling.models import Appointment
from otclinic.clinic.staff.models import StaffProfile, StateLicense
from otclinic.domain.compliance.credentials import CREDENTIALED_ROLES
from otclinic.domain.identifiers import npi_with_check_digit

PASSWORD = "correct-horse-battery-staple"
_npi_counter = itertools.count(100_000_001)
# Licenses the factories give clinicians, so that signing, booking and claims (which refuse a
# clinician not licensed in the clinic's state) work unless a test takes them away.
LICENSED_UNTIL = dt.date(2099, 12, 31)


def license_in(staff: StaffProfile, state: str) -> None:
    """A current test license for a credentialed clinician in `state` (once)."""
    if staff.user.role in CREDENTIALED_ROLES:
        StateLicense.objects.get_or_create(
            organization_id=staff.organization_id,
            staff=staff,
            state=state,
            number=f"TEST-{state}",
            defaults={"expires_on": LICENSED_UNTIL},
        )


def next_npi() -> str:
    return npi_with_check_digit(str(next(_npi_counter)))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Practice {n}")
    slug = factory.Sequence(lambda n: f"practice-{n}")
    # No role needs a second factor unless a test says so (tests/clinic/accounts): the other
    # tests sign in with force_login, which does not pass the second-factor page.
    second_factor_roles = factory.LazyFunction(list)


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Clinic {n}")
    address = "1 Main St"
    city = "Columbus"
    state = "OH"
    zip_code = "43215"

    @factory.post_generation
    def license_staff(obj, create, extracted, **kwargs):
        """The organization's clinicians are licensed in the new clinic's state."""
        if create:
            for staff in StaffProfile.objects.filter(organization_id=obj.organization_id):
                license_in(staff, obj.state)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    organization = factory.SubFactory(OrganizationFactory)
    role = "OT"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organization = factory.SelfAttribute("user.organization")
    npi = factory.LazyFunction(next_npi)
    credentials = factory.LazyAttribute(
        lambda o: {"OT": "OTR/L", "OTA": "COTA/L"}.get(o.user.role, "")
    )

    @factory.post_generation
    def licensed(obj, create, extracted, **kwargs):
        """Licensed in each state where the organization has a clinic (licensed=False: none)."""
        if create and extracted is not False:
            for state in set(
                Clinic.objects.filter(organization_id=obj.organization_id).values_list(
                    "state", flat=True
                )
            ):
                license_in(obj, state)


class PayerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payer

    organization = factory.SubFactory(OrganizationFactory)
    name = "Medicare Part B"
    payer_id = factory.Sequence(lambda n: f"MCR{n:04d}")
    plan_kind = "medicare_part_b"
    claim_filing_indicator = "MB"


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    organization = factory.SubFactory(OrganizationFactory)
    home_clinic = factory.SubFactory(
        ClinicFactory, organization=factory.SelfAttribute("..organization")
    )
    mrn = factory.Sequence(lambda n: f"MRN{n:06d}")
    first_name = factory.Sequence(lambda n: f"Pat{n}")
    last_name = factory.Sequence(lambda n: f"Ient{n}")
    birth_date = dt.date(1950, 5, 17)
    sex = "F"


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coverage

    patient = factory.SubFactory(PatientFactory)
    organization = factory.SelfAttribute("patient.organization")
    payer = factory.SubFactory(PayerFactory, organization=factory.SelfAttribute("..organization"))
    member_id = factory.Sequence(lambda n: f"1EG4TE5MK{n % 100:02d}")
    starts_on = dt.date(2026, 1, 1)


class DiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientDiagnosis

    patient = factory.SubFactory(PatientFactory)
    organization = factory.SelfAttribute("patient.organization")
    code = "I69.351"
    description = (
        "Hemiplegia and hemiparesis following cerebral infarction affecting right dominant side"
    )


class PhysicianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferringPhysician

    organization = factory.SubFactory(OrganizationFactory)
    first_name = "Ada"
    last_name = factory.Sequence(lambda n: f"Referrer{n}")
    credentials = "MD"
    npi = factory.LazyFunction(next_npi)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    patient = factory.SubFactory(PatientFactory)
    organization = factory.SelfAttribute("patient.organization")
    physician = factory.SubFactory(
        PhysicianFactory, organization=factory.SelfAttribute("..organization")
    )
    discipline = "OT"
    signed_on = dt.date(2026, 1, 5)


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    patient = factory.SubFactory(PatientFactory)
    organization = factory.SelfAttribute("patient.organization")
    clinic = factory.SelfAttribute("patient.home_clinic")
    therapist = factory.SubFactory(
        StaffProfileFactory,
        user__organization=factory.SelfAttribute("...organization"),
        user__role="OT",
    )
    discipline = "OT"
    started_on = dt.date(2026, 1, 12)


class PlanOfCareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanOfCare

    episode = factory.SubFactory(EpisodeFactory)
    organization = factory.SelfAttribute("episode.organization")
    author = factory.SelfAttribute("episode.therapist")
    established_on = factory.SelfAttribute("episode.started_on")
    duration_days = 56
    frequency_per_week = 2
    duration_weeks = 8


class TreatmentNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TreatmentNote

    episode = factory.SubFactory(EpisodeFactory)
    organization = factory.SelfAttribute("episode.organization")
    author = factory.SelfAttribute("episode.therapist")
    date_of_service = dt.date(2026, 1, 14)
    total_timed_minutes = 38
    total_treatment_minutes = 45


class NoteLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoteLine

    note = factory.SubFactory(TreatmentNoteFactory)
    organization = factory.SelfAttribute("note.organization")
    code = "97530"
    category = "therapeutic_activity"
    therapist_minutes = 38


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    patient = factory.SubFactory(PatientFactory)
    organization = factory.SelfAttribute("patient.organization")
    clinic = factory.SelfAttribute("patient.home_clinic")
    clinician = factory.SubFactory(
        StaffProfileFactory, user__organization=factory.SelfAttribute("...organization")
    )
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=45))


class PortalAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortalAccess

    patient = factory.SubFactory(PatientFactory)
    organization = factory.SelfAttribute("patient.organization")
    user = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..organization"), role="patient"
    )
    granted_on = dt.date(2026, 1, 1)


def staff_user(*, organization: Organization, role: str) -> User:
    """A signed-in-able staff member of `organization` with a profile."""
    return StaffProfileFactory(user__organization=organization, user__role=role).user


def bearer(user: User, *scopes: str) -> dict[str, str]:
    """The headers of an API call by `user` with a new token (read and write unless `scopes`)."""
    _row, secret = api_tokens.token_create(
        user=user, name="t", scopes=scopes or ("read", "write"), lifetime_days=30
    )
    return {"Authorization": f"Bearer {secret}"}

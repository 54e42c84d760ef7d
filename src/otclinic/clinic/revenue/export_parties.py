"""The parties of an 837P as the writer's facts: the practice, the clinicians, the subscriber
and patient, the payer, the service facility, and the file's envelope.

Names and addresses are sent in the X12 character set (Zoë as Zoe); a value that cannot be
written so is left for the writer's check to name.
"""

import re
from functools import lru_cache
from typing import Any

from otclinic.clinic.organizations.models import Organization
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.models import Coverage, Payer
from otclinic.clinic.payers.selectors import exchange_ids
from otclinic.clinic.revenue.models import Claim
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.claims.x12 import p837
from otclinic.domain.claims.x12.charset import CharacterSetRefusal, x12_text
from otclinic.domain.codes import Discipline

RELATIONSHIPS = {
    "self": p837.Relationship.SELF,
    "spouse": p837.Relationship.SPOUSE,
    "child": p837.Relationship.CHILD,
    "other": p837.Relationship.OTHER,
}
TAXONOMIES = {
    Discipline.OT: p837.OCCUPATIONAL_THERAPIST_TAXONOMY,
    Discipline.PT: "225100000X",
    Discipline.SLP: "235Z00000X",
}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


@lru_cache(maxsize=4096)
def _x12(value: str) -> str:
    """A name or address line in the X12 character set: Zoë as Zoe, José as Jose. A value that
    cannot be written so (another script, a control character) is left as it is, for the
    writer's check to name the field (the scrubber shows it to the biller); the record itself
    always keeps what was entered."""
    try:
        return x12_text(value, field="").value
    except CharacterSetRefusal:
        return value


def _address(line1: str, city: str, state: str, postal: str) -> p837.Address:
    return p837.Address(
        line1=_x12(line1), city=_x12(city), state=state, postal_code=_digits(postal)
    )


def billing_provider(org: Organization) -> p837.BillingProvider:
    return p837.BillingProvider(
        organization_name=_x12(org.name),
        npi=org.npi,
        ein=org.tax_id,
        address=_address(org.billing_address, org.billing_city, org.billing_state, org.billing_zip),
    )


def clinician(staff: StaffProfile, *, discipline: str) -> p837.Clinician:
    user = staff.user
    return p837.Clinician(
        name=p837.PersonName(last=_x12(user.last_name), first=_x12(user.first_name)),
        npi=staff.npi,
        taxonomy=TAXONOMIES.get(Discipline(discipline)),
    )


def _person(patient: Patient) -> p837.PersonName:
    return p837.PersonName(last=_x12(patient.last_name), first=_x12(patient.first_name))


def subscriber_name(coverage: Coverage, patient: Patient) -> p837.PersonName:
    if coverage.subscriber_relationship == "self" or not coverage.subscriber_name.strip():
        return _person(patient)
    first, _, last = coverage.subscriber_name.strip().partition(" ")
    return p837.PersonName(last=_x12(last or first), first=_x12(first) if last else "")


def _subscriber_address(coverage: Coverage, patient: Patient) -> p837.Address:
    if coverage.subscriber_relationship != "self" and coverage.subscriber_address.strip():
        return _address(
            coverage.subscriber_address,
            coverage.subscriber_city,
            coverage.subscriber_state,
            coverage.subscriber_zip_code,
        )
    return _address(patient.address, patient.city, patient.state, patient.zip_code)


def subscriber(
    coverage: Coverage, patient: Patient, responsibility: p837.PayerResponsibility
) -> p837.Subscriber:
    """2000B/2010BA. A subscriber who is not the patient is sent with the subscriber's own
    address from the coverage, and the patient's only when the coverage gives none (they live
    together); the writer sends no birth date or sex for such a subscriber (DMG only when the
    subscriber is the patient)."""
    return p837.Subscriber(
        member_id=coverage.member_id,
        name=subscriber_name(coverage, patient),
        birth_date=patient.birth_date,
        sex=p837.Sex(patient.sex),
        address=_subscriber_address(coverage, patient),
        responsibility=responsibility,
        filing_indicator=p837.ClaimFilingIndicator(coverage.payer.claim_filing_indicator),
        group_number=coverage.group_number,
    )


def patient_facts(coverage: Coverage, patient: Patient) -> p837.Patient | None:
    if coverage.subscriber_relationship == "self":
        return None
    return p837.Patient(
        name=_person(patient),
        birth_date=patient.birth_date,
        sex=p837.Sex(patient.sex),
        address=_address(patient.address, patient.city, patient.state, patient.zip_code),
        relationship=RELATIONSHIPS[coverage.subscriber_relationship],
    )


def payer_facts(payer: Payer) -> p837.Payer:
    return p837.Payer(name=_x12(payer.name), payer_id=payer.payer_id)


def service_facility(claim: Claim) -> p837.ServiceFacility | None:
    """2310C when the clinic is not at the billing address."""
    clinic, org = claim.episode.clinic, claim.organization
    if clinic.address.strip().lower() == org.billing_address.strip().lower():
        return None
    return p837.ServiceFacility(
        name=_x12(clinic.name),
        address=_address(clinic.address, clinic.city, clinic.state, clinic.zip_code),
        npi=clinic.npi or None,
    )


def referring_provider(physician: Any) -> p837.Clinician | None:
    if physician is None:
        return None
    return p837.Clinician(
        name=p837.PersonName(last=_x12(physician.last_name), first=_x12(physician.first_name)),
        npi=physician.npi,
    )


def envelope_for(org: Organization, payer: Payer, *, usage: p837.Usage) -> p837.Envelope:
    """The file's sender is the practice (its group NPI), its receiver the payer's id, unless
    the payer's clearinghouse settings give a submitter or receiver id."""
    sender, receiver = exchange_ids(org, payer)
    return p837.Envelope(
        sender=p837.InterchangeParty(qualifier="ZZ", identifier=sender),
        receiver=p837.InterchangeParty(qualifier="ZZ", identifier=receiver),
        application_sender=sender,
        application_receiver=receiver,
        submitter=p837.Submitter(
            name=_x12(org.name),
            identifier=sender,
            contact_name="BILLING OFFICE",
            phone=_digits(org.phone) or "0000000000",
        ),
        claims_receiver=p837.Receiver(name=_x12(payer.name), identifier=receiver),
        usage=usage,
    )

"""Referral intake and opening the episode of care it calls for."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require, user_may
from otclinic.clinic.care.models import Episode, EpisodeStatus
from otclinic.clinic.care.services.clinical.common import same_org
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.patients import services as patient_services
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.referrals.models import Referral, ReferringPhysician
from otclinic.domain.access import Capability
from otclinic.domain.codes import Discipline
from otclinic.domain.compliance.episode_model import THERAPIST_FOR
from otclinic.domain.diagnoses import check_icd10


@transaction.atomic
def referral_intake(
    *,
    user: User,
    patient: Patient,
    physician: ReferringPhysician,
    discipline: str,
    signed_on: dt.date,
    diagnosis_codes: Sequence[str] = (),
    received_on: dt.date | None = None,
    names_discipline: bool = True,
    notes: str = "",
) -> Referral:
    """A signed referral on file; its ICD-10-CM codes join the patient's diagnoses."""
    require(user, Capability.INTAKE_REFERRAL)
    same_org(user, patient, physician)
    codes, problems = [], []
    for raw in diagnosis_codes:
        result = check_icd10(raw)
        if result.problem:
            problems.append(result.problem)
        else:
            codes.append(result.code)
    if problems:
        raise ValidationFailed({"diagnosis_codes": [p[0].upper() + p[1:] + "." for p in problems]})
    if received_on and received_on < signed_on:
        raise ValidationFailed(
            {"received_on": ["A referral cannot be received before it is signed."]}
        )
    referral = validated_save(
        Referral(
            organization_id=organization_id_of(user),
            patient=patient,
            physician=physician,
            discipline=discipline,
            signed_on=signed_on,
            received_on=received_on,
            names_discipline=names_discipline,
            diagnosis_codes=codes,
            notes=notes,
        )
    )
    for code in codes:
        patient_services.diagnosis_add(user=user, patient=patient, code=code)
    return referral


@transaction.atomic
def episode_open(
    *,
    user: User,
    referral: Referral,
    therapist: Any,
    started_on: dt.date,
    coverage: Any = None,
) -> Episode:
    """Open the referral's discipline's episode for its patient, with the responsible therapist."""
    if not (user_may(user, Capability.INTAKE_REFERRAL) or user_may(user, Capability.EVALUATE)):
        require(user, Capability.INTAKE_REFERRAL)
    same_org(user, referral, therapist, coverage)
    if therapist.user.role != THERAPIST_FOR[Discipline(referral.discipline)].value:
        raise ValidationFailed(
            {"therapist": [f"Choose an {referral.discipline} therapist for this episode."]}
        )
    patient = referral.patient
    if patient.episodes.filter(discipline=referral.discipline, status=EpisodeStatus.OPEN).exists():
        raise ValidationFailed(
            {"__all__": [f"This patient already has an open {referral.discipline} episode."]}
        )
    return validated_save(
        Episode(
            organization_id=organization_id_of(user),
            patient=patient,
            discipline=referral.discipline,
            clinic=patient.home_clinic,
            referral=referral,
            therapist=therapist,
            coverage=coverage,
            started_on=started_on,
        )
    )

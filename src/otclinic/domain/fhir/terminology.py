"""Profiles, code systems and the maps from otclinic's statuses to FHIR's value sets.

Sources: HL7 FHIR R4 (4.0.1) value sets named beside each map; US Core 6.1.0
(http://hl7.org/fhir/us/core/STU6.1/), its profiles and the categories it binds; LOINC document
type codes from the LOINC Document Ontology as the C-CDA Progress Note Document Type value set
(2.16.840.1.113883.11.20.8.1) and US Core's clinical-note types list them. Every instrument is
coded in otclinic's own code system (`LOCAL_INSTRUMENT`); those with a LOINC code in
`INSTRUMENT_LOINC` carry it first.
"""

from types import MappingProxyType
from typing import Final

FHIR_VERSION: Final = "4.0.1"
US_CORE: Final = "http://hl7.org/fhir/us/core/StructureDefinition/"

# The US Core 6.1 profile each served type claims (`meta.profile`); None: base FHIR R4 only
# (US Core 6.1 has no Appointment or Consent profile; Claim and ExplanationOfBenefit follow the
# CARIN Blue Button element choices without claiming its profiles: see domain/fhir/financial.py).
PROFILES: Final = MappingProxyType(
    {
        "Patient": US_CORE + "us-core-patient",
        "Practitioner": US_CORE + "us-core-practitioner",
        "Organization": US_CORE + "us-core-organization",
        "Location": US_CORE + "us-core-location",
        "Condition": US_CORE + "us-core-condition-problems-health-concerns",
        "Encounter": US_CORE + "us-core-encounter",
        "Procedure": US_CORE + "us-core-procedure",
        "Goal": US_CORE + "us-core-goal",
        "CarePlan": US_CORE + "us-core-careplan",
        "Observation": US_CORE + "us-core-observation-screening-assessment",
        "DocumentReference": US_CORE + "us-core-documentreference",
        "ServiceRequest": US_CORE + "us-core-servicerequest",
        "Provenance": US_CORE + "us-core-provenance",
        "Appointment": None,
        "PractitionerRole": US_CORE + "us-core-practitionerrole",
        "Coverage": US_CORE + "us-core-coverage",
        "Consent": None,
        "Claim": None,
        "ExplanationOfBenefit": None,
        "Group": None,
    }
)

# Code systems (FHIR R4 terminology, and the external ones US Core names).
LOINC: Final = "http://loinc.org"
CPT: Final = "http://www.ama-assn.org/go/cpt"
ICD10CM: Final = "http://hl7.org/fhir/sid/icd-10-cm"
NPI: Final = "http://hl7.org/fhir/sid/us-npi"
TAX_ID: Final = "urn:oid:2.16.840.1.113883.4.4"
V2_0203: Final = "http://terminology.hl7.org/CodeSystem/v2-0203"
ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CONDITION_CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/condition-category"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
CAREPLAN_CATEGORY: Final = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
DOCUMENT_CATEGORY: Final = (
    "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category"
)
PROVENANCE_PARTICIPANT: Final = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
US_CORE_PROVENANCE_PARTICIPANT: Final = (
    "http://hl7.org/fhir/us/core/CodeSystem/us-core-provenance-participant-type"
)
ADMINISTRATIVE_GENDER: Final = "http://hl7.org/fhir/administrative-gender"
UCUM: Final = "http://unitsofmeasure.org"
# otclinic's own code systems, for what no standard code names (stable URNs, never URLs that
# would have to resolve).
LOCAL_INSTRUMENT: Final = "urn:otclinic:fhir:instrument"
LOCAL_GOAL_MEASURE: Final = "urn:otclinic:fhir:goal-measure"
LOCAL_SERVICE: Final = "urn:otclinic:fhir:service"
LOCAL_ROLE: Final = "urn:otclinic:fhir:role"
LOCAL_PORTAL_SCOPE: Final = "urn:otclinic:fhir:portal-scope"
LOCAL_PAYER_ID: Final = "urn:otclinic:fhir:x12-payer-id"
NUCC_TAXONOMY: Final = "http://nucc.org/provider-taxonomy"
SOURCE_OF_PAYMENT: Final = "urn:oid:2.16.840.1.113883.3.221.5"
COVERAGE_CLASS: Final = "http://terminology.hl7.org/CodeSystem/coverage-class"
SUBSCRIBER_RELATIONSHIP: Final = "http://terminology.hl7.org/CodeSystem/subscriber-relationship"
ORGANIZATION_TYPE: Final = "http://terminology.hl7.org/CodeSystem/organization-type"
CONSENT_SCOPE: Final = "http://terminology.hl7.org/CodeSystem/consentscope"
PARTICIPATION_TYPE: Final = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
RESOURCE_TYPES: Final = "http://hl7.org/fhir/resource-types"


def mrn_system(organization_id: object) -> str:
    """The identifier system of one organization's medical record numbers."""
    return f"urn:otclinic:organization:{organization_id}:mrn"


# Administrative sex as claims carry it (X12 DMG03) -> AdministrativeGender.
GENDER: Final = MappingProxyType({"F": "female", "M": "male", "U": "unknown"})

# Encounter.status (R4 EncounterStatus): a draft note's visit is in progress, a signed one finished.
ENCOUNTER_STATUS: Final = MappingProxyType(
    {
        "draft": "in-progress",
        "signed": "finished",
        "cosign_pending": "finished",
        "returned": "finished",
        "cosigned": "finished",
    }
)
# Encounter.class: every otclinic visit is outpatient (v3 ActCode AMB).
ENCOUNTER_CLASS: Final = ("AMB", "ambulatory")

# Goal.lifecycleStatus (R4 GoalLifecycleStatus) and Goal.achievementStatus (goal-achievement).
GOAL_LIFECYCLE: Final = MappingProxyType(
    {
        "active": "active",
        "met": "completed",
        "partially_met": "completed",
        "not_met": "completed",
        "discontinued": "cancelled",
    }
)
GOAL_ACHIEVEMENT_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/goal-achievement"
GOAL_ACHIEVEMENT: Final = MappingProxyType(
    {
        "active": "in-progress",
        "met": "achieved",
        "partially_met": "improving",
        "not_met": "not-achieved",
        "discontinued": "not-achieved",
    }
)

# CarePlan.status (R4 RequestStatus).
CAREPLAN_STATUS: Final = MappingProxyType(
    {"draft": "draft", "active": "active", "superseded": "revoked"}
)

# Appointment.status (R4 AppointmentStatus).
APPOINTMENT_STATUS: Final = MappingProxyType(
    {
        "scheduled": "booked",
        "checked_in": "checked-in",
        "completed": "fulfilled",
        "cancelled": "cancelled",
        "no_show": "noshow",
    }
)

# DocumentReference.type: LOINC document codes per otclinic document kind.
DOCUMENT_TYPE: Final = MappingProxyType(
    {
        "note": ("11507-1", "Occupational therapy Progress note"),
        "progress_report": ("11507-1", "Occupational therapy Progress note"),
        "evaluation": ("11488-4", "Consult note"),
        "discharge": ("18842-5", "Discharge summary"),
    }
)
# Progress notes of the other disciplines (the same LOINC value set).
PROGRESS_NOTE_BY_DISCIPLINE: Final = MappingProxyType(
    {
        "OT": ("11507-1", "Occupational therapy Progress note"),
        "PT": ("11508-9", "Physical therapy Progress note"),
        "SLP": ("11512-1", "Speech-language pathology Progress note"),
    }
)

# Observation.status of a measure recorded on a signed document, and of one on a draft.
OBSERVATION_STATUS: Final = MappingProxyType({True: "final", False: "preliminary"})

# Units written as UCUM codes where the unit has one; others are text only.
UCUM_UNITS: Final = MappingProxyType(
    {"kg": "kg", "s": "s", "lb": "[lb_av]", "%": "%", "deg": "deg"}
)

# LOINC codes of the instruments of rules/measures.yaml, by (instrument, side): (LOINC number, long
# common name as the source shows it). Checked 2026-12-07; each line names what was read.
# Not mapped (otclinic's code only): COPM performance and satisfaction, QuickDASH (no LOINC
# term found); GAS (LOINC has per-goal baseline 112296-9 and practitioner follow-up 107333-7
# scores, HL7 PCO IG STU1 ValueSet goal-attainment-scaling-score, but otclinic's GAS score does
# not record which of the two it is); the Nine-Hole Peg Test (LOINC's 9-Hole Pegboard terms are
# the NIH Toolbox method, and only the left hand's, 83156-0, could be read).
INSTRUMENT_LOINC: Final = MappingProxyType(
    {
        # HL7 US Behavioral Health Profiles IG (build.fhir.org/ig/HL7/us-behavioral-health-profiles),
        # QuestionnaireResponse barthel-index-functional-status-example-1.
        ("barthel", ""): ("96761-2", "Total score Barthel Index"),
        # loinc.org/83145-3, Grip Strength Test [NIH Toolbox] panel: its hand terms name the
        # dynamometer method, not the NIH Toolbox one.
        ("grip_kg", "left"): ("83173-5", "Grip strength Hand - left Dynamometer"),
        ("grip_kg", "right"): ("83174-3", "Grip strength Hand - right Dynamometer"),
    }
)


def instrument_loinc(instrument: str, side: str) -> tuple[str, str] | None:
    """The LOINC code and name of an instrument's score on a side ("" if unsided), if any."""
    return INSTRUMENT_LOINC.get((instrument, side))


# US Core's observation categories (functional status for OT measures).
US_CORE_CATEGORY: Final = "http://hl7.org/fhir/us/core/CodeSystem/us-core-category"


# PractitionerRole.specialty (US Core 6.1 binds it to the NUCC Health Care Provider Taxonomy,
# https://taxonomy.nucc.org): the taxonomy code of each clinician role. Roles without one
# (back office, portal) have no PractitionerRole.
NUCC_BY_ROLE: Final = MappingProxyType(
    {
        "OT": ("225X00000X", "Occupational Therapist"),
        "OTA": ("224Z00000X", "Occupational Therapy Assistant"),
        "PT": ("225100000X", "Physical Therapist"),
        "PTA": ("225200000X", "Physical Therapy Assistant"),
        "SLP": ("235Z00000X", "Speech-Language Pathologist"),
        "student": (
            "390200000X",
            "Student in an Organized Health Care Education/Training Program",
        ),
    }
)

# Coverage.type (US Core 6.1 binds it, extensible, to the PHDSC Source of Payment Typology,
# urn:oid:2.16.840.1.113883.3.221.5, https://www.nahdo.org/sopt): the payer's kind of plan.
# Codes and displays checked 2026-12-07 against the typology as HL7's Birth and Fetal Death
# Financial Class code system lists it (HL7/fhir-bfdr, CodeSystemBirthAndFetalDeathFinancialClass:
# 2, 5, 81, 311) and against published listings of the typology's Medicare branch (11 Medicare
# (Managed Care), 121 Medicare FFS).
PAYMENT_TYPOLOGY: Final = MappingProxyType(
    {
        "medicare_part_b": ("121", "Medicare FFS"),
        "medicare_advantage": ("11", "Medicare (Managed Care)"),
        "medicaid": ("2", "MEDICAID"),
        "tricare": ("311", "TRICARE (CHAMPUS)"),
        "commercial": ("5", "PRIVATE HEALTH INSURANCE"),
        "self_pay": ("81", "Self-pay"),
    }
)

# Coverage.relationship (R4 SubscriberRelationshipCodes): otclinic's subscriber relationship.
SUBSCRIBER_RELATIONSHIP_CODE: Final = MappingProxyType(
    {"self": "self", "spouse": "spouse", "child": "child", "other": "other"}
)

# Coverage.order: the order in which the payers are billed (X12 SBR01).
COVERAGE_ORDER: Final = MappingProxyType({"primary": 1, "secondary": 2, "tertiary": 3})

# Consent.category: LOINC 59284-0 Consent Document (R4 consent-category value set).
CONSENT_CATEGORY: Final = ("59284-0", "Consent Document")
# Consent.policyRule (R4 consent-policy, v3 ActCode): the patient opted in to sharing.
CONSENT_POLICY: Final = ("OPTIN", "opt-in")
# Consent.provision.actor.role: the caregiver receives the information (v3 ParticipationType).
CONSENT_RECIPIENT: Final = ("IRCP", "information recipient")

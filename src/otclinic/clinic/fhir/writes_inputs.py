"""What a posted Patient, Coverage, Appointment or ServiceRequest says, as the services take it.

Each function reads one resource into the keyword arguments of the service the page calls,
raising `Invalid` naming the element it cannot use. References are resolved by `Resolver`.
"""

from collections.abc import Mapping
from typing import Any

from otclinic.clinic.fhir.references import Resolver, contained
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.patients.models import Sex
from otclinic.clinic.scheduling.models import AppointmentKind
from otclinic.domain.codes import Discipline
from otclinic.domain.fhir import input as fin
from otclinic.domain.fhir.terminology import (
    COVERAGE_ORDER,
    GENDER,
    ICD10CM,
    LOCAL_SERVICE,
    NPI,
    SUBSCRIBER_RELATIONSHIP_CODE,
    mrn_system,
)

HOME_CLINIC = "urn:otclinic:fhir:extension:home-clinic"
_SEX = {fhir: code for code, fhir in GENDER.items()} | {"other": Sex.UNKNOWN}

# Where each service field lives in the resource: a refusal names the element.
ELEMENTS: dict[str, dict[str, str]] = {
    "Patient": {
        "first_name": "name.given",
        "last_name": "name.family",
        "preferred_name": "name",
        "birth_date": "birthDate",
        "sex": "gender",
        "phone": "telecom",
        "email": "telecom",
        "address": "address.line",
        "city": "address.city",
        "state": "address.state",
        "zip_code": "address.postalCode",
        "home_clinic": "extension",
        "mrn": "identifier",
    },
    "Coverage": {
        "payer": "payor",
        "member_id": "subscriberId",
        "group_number": "class",
        "priority": "order",
        "subscriber_relationship": "relationship",
        "starts_on": "period.start",
        "ends_on": "period.end",
    },
    "ServiceRequest": {
        "patient": "subject",
        "physician": "requester",
        "discipline": "code",
        "signed_on": "authoredOn",
        "received_on": "authoredOn",
        "diagnosis_codes": "reasonCode",
        "code": "reasonCode",
        "notes": "note",
        "npi": "requester",
    },
    "Appointment": {"starts_at": "start", "minutes": "end", "kind": "appointmentType"},
}


def element(resource_type: str, field: str) -> str:
    """The FHIRPath of the element a service's field comes from (the resource if none)."""
    found = ELEMENTS.get(resource_type, {}).get(field)
    return f"{resource_type}.{found}" if found else resource_type


def _list(resource: Mapping[str, Any], name: str, expression: str) -> list[Any]:
    value = resource.get(name) or []
    if not isinstance(value, list):
        raise fin.Invalid(expression, "must be a list")
    return value


def _official_name(resource: Mapping[str, Any]) -> Mapping[str, Any]:
    names = [n for n in _list(resource, "name", "Patient.name") if isinstance(n, Mapping)]
    official = [n for n in names if n.get("use") in {None, "official"}]
    if not official:
        raise fin.Invalid("Patient.name", "an official name (family and given) is required")
    return official[0]


def _given(name: Mapping[str, Any], expression: str) -> str:
    given = name.get("given") or []
    if not isinstance(given, list) or not given or not isinstance(given[0], str):
        raise fin.Invalid(expression, "is required")
    return given[0].strip()


def _telecom(resource: Mapping[str, Any], system: str) -> str:
    for point in _list(resource, "telecom", "Patient.telecom"):
        if isinstance(point, Mapping) and point.get("system") == system:
            return str(point.get("value", "")).strip()
    return ""


def _address(resource: Mapping[str, Any]) -> dict[str, str]:
    addresses = _list(resource, "address", "Patient.address")
    first = addresses[0] if addresses and isinstance(addresses[0], Mapping) else {}
    lines = first.get("line") or []
    return {
        "address": ", ".join(str(line) for line in lines) if isinstance(lines, list) else "",
        "city": str(first.get("city", "")),
        "state": str(first.get("state", "")),
        "zip_code": str(first.get("postalCode", "")),
    }


def patient_mrn(resource: Mapping[str, Any], organization_id: object) -> str:
    """The medical record number the resource gives in this organization's MRN system."""
    for ident in _list(resource, "identifier", "Patient.identifier"):
        if isinstance(ident, Mapping) and ident.get("system") == mrn_system(organization_id):
            return str(ident.get("value", "")).strip()
    return ""


def _home_clinic(resource: Mapping[str, Any], refs: Resolver) -> Clinic | None:
    for extension in _list(resource, "extension", "Patient.extension"):
        if isinstance(extension, Mapping) and extension.get("url") == HOME_CLINIC:
            return refs.clinic(extension.get("valueReference"), "Patient.extension")
    return None


def patient_data(resource: Mapping[str, Any], refs: Resolver) -> dict[str, Any]:
    """The demographics the patients service takes. The home clinic is the extension's
    Location when given (else the caller decides)."""
    name = _official_name(resource)
    gender = fin.text(resource, "gender", "Patient.gender", required=True)
    if gender not in _SEX:
        raise fin.Invalid("Patient.gender", f"{gender!r} is not an administrative gender")
    preferred = [
        n.get("given", [""])[0]
        for n in _list(resource, "name", "Patient.name")
        if isinstance(n, Mapping) and n.get("use") == "usual" and n.get("given")
    ]
    data: dict[str, Any] = {
        "first_name": _given(name, "Patient.name.given"),
        "last_name": fin.text(name, "family", "Patient.name.family", required=True),
        "preferred_name": str(preferred[0]) if preferred else "",
        "birth_date": fin.date(resource.get("birthDate"), "Patient.birthDate"),
        "sex": _SEX[gender],
        "phone": _telecom(resource, "phone"),
        "email": _telecom(resource, "email"),
        **_address(resource),
    }
    clinic = _home_clinic(resource, refs)
    if clinic is not None:
        data["home_clinic"] = clinic
    return data


def _period(resource: Mapping[str, Any]) -> dict[str, Any]:
    period = resource.get("period")
    if not isinstance(period, Mapping) or not period.get("start"):
        raise fin.Invalid("Coverage.period.start", "the day the coverage starts is required")
    starts_on = fin.date(period["start"], "Coverage.period.start")
    ends_on = fin.date(period["end"], "Coverage.period.end") if period.get("end") else None
    # The table's constraint says so too, but not which element: name the end.
    if ends_on is not None and ends_on < starts_on:
        raise fin.Invalid(
            "Coverage.period.end", "the coverage cannot end before it starts", status=422
        )
    return {"starts_on": starts_on, "ends_on": ends_on}


def _member_id(resource: Mapping[str, Any]) -> str:
    member_id = fin.text(resource, "subscriberId", "Coverage.subscriberId")
    for ident in _list(resource, "identifier", "Coverage.identifier"):
        if isinstance(ident, Mapping) and not member_id:
            member_id = str(ident.get("value", "")).strip()
    if not member_id:
        raise fin.Invalid("Coverage.subscriberId", "the member id is required")
    return member_id


def _order(resource: Mapping[str, Any]) -> str:
    order = resource.get("order", 1)
    priorities = {number: name for name, number in COVERAGE_ORDER.items()}
    if order not in priorities:
        raise fin.Invalid("Coverage.order", "must be 1 (primary), 2 or 3")
    return priorities[order]


def _relationship(resource: Mapping[str, Any]) -> str:
    codes = [code for _, code in fin.codings(resource.get("relationship"), "Coverage.relationship")]
    known = {fhir: ours for ours, fhir in SUBSCRIBER_RELATIONSHIP_CODE.items()}
    if not codes:
        return "self"
    if codes[0] not in known:
        raise fin.Invalid("Coverage.relationship", f"{codes[0]!r} is not a relationship kept here")
    return known[codes[0]]


def _group(resource: Mapping[str, Any]) -> str:
    for cls in _list(resource, "class", "Coverage.class"):
        kinds = [code for _, code in fin.codings(cls.get("type"), "Coverage.class.type")]
        if "group" in kinds:
            return str(cls.get("value", "")).strip()
    return ""


def coverage_data(resource: Mapping[str, Any], refs: Resolver) -> dict[str, Any]:
    """The patient (beneficiary) and the fields the coverage service takes."""
    payors = _list(resource, "payor", "Coverage.payor")
    if not payors:
        raise fin.Invalid("Coverage.payor", "the payer is required")
    return {
        "patient": refs.patient(resource.get("beneficiary"), "Coverage.beneficiary"),
        "payer": refs.payer(payors[0], "Coverage.payor"),
        "member_id": _member_id(resource),
        "group_number": _group(resource),
        "priority": _order(resource),
        "subscriber_relationship": _relationship(resource),
        **_period(resource),
    }


def _discipline(resource: Mapping[str, Any]) -> str:
    for system, code in fin.codings(resource.get("code"), "ServiceRequest.code"):
        if system == LOCAL_SERVICE and code in {d.value for d in Discipline}:
            return code
    raise fin.Invalid(
        "ServiceRequest.code", f"name the discipline as a {LOCAL_SERVICE} code: OT, PT or SLP"
    )


def _reason_codes(resource: Mapping[str, Any]) -> list[str]:
    codes = []
    for index, reason in enumerate(_list(resource, "reasonCode", "ServiceRequest.reasonCode")):
        expression = f"ServiceRequest.reasonCode[{index}]"
        found = [c for s, c in fin.codings(reason, expression) if s == ICD10CM]
        if not found:
            raise fin.Invalid(expression, f"give the diagnosis as an ICD-10-CM code ({ICD10CM})")
        codes.append(found[0])
    return codes


def physician_from(resource: Mapping[str, Any], refs: Resolver) -> Any:
    """The referring physician: on file by reference or NPI; a contained Practitioner is found
    by its NPI, or returned as the data to add (dict) when no physician has that NPI."""
    value = resource.get("requester")
    inner = contained(resource, value)
    if inner is None:
        return refs.physician(value, "ServiceRequest.requester")
    npis = [
        str(i.get("value", ""))
        for i in inner.get("identifier") or []
        if isinstance(i, Mapping) and i.get("system") == NPI
    ]
    if not npis:
        raise fin.Invalid("ServiceRequest.contained", "the requester needs its NPI identifier")
    try:
        return refs.physician({"identifier": {"system": NPI, "value": npis[0]}}, "")
    except fin.Invalid:
        names = [n for n in inner.get("name") or [] if isinstance(n, Mapping)]
        name = names[0] if names else {}
        return {
            "npi": npis[0],
            "last_name": str(name.get("family", "")),
            "first_name": str((name.get("given") or [""])[0]),
            "credentials": str((name.get("suffix") or [""])[0]),
        }


def referral_data(resource: Mapping[str, Any], refs: Resolver) -> dict[str, Any]:
    """What the referral intake takes (the physician may be a dict to add first)."""
    if resource.get("intent") not in {"order", "original-order"}:
        raise fin.Invalid("ServiceRequest.intent", "a referral's intent is order")
    if resource.get("status", "active") != "active":
        raise fin.Invalid("ServiceRequest.status", "a referral arrives active")
    notes = [n.get("text", "") for n in _list(resource, "note", "ServiceRequest.note")]
    return {
        "patient": refs.patient(resource.get("subject"), "ServiceRequest.subject"),
        "physician": physician_from(resource, refs),
        "discipline": _discipline(resource),
        "signed_on": fin.date(resource.get("authoredOn"), "ServiceRequest.authoredOn"),
        "diagnosis_codes": _reason_codes(resource),
        "notes": "\n".join(str(n) for n in notes if n),
    }


def _actors(resource: Mapping[str, Any]) -> dict[str, Any]:
    actors: dict[str, Any] = {}
    for index, participant in enumerate(_list(resource, "participant", "Appointment.participant")):
        actor = participant.get("actor") if isinstance(participant, Mapping) else None
        raw = actor.get("reference", "") if isinstance(actor, Mapping) else ""
        kind = str(raw).split("/fhir/R4/")[-1].split("/")[0].split("?")[0]
        if str(raw).startswith("urn:uuid:"):
            kind = "Patient"  # only a patient is written in the same Bundle
        actors.setdefault(kind, (actor, f"Appointment.participant[{index}].actor"))
    return actors


def _kind(resource: Mapping[str, Any]) -> str:
    concept = resource.get("appointmentType")
    if concept is None:
        return AppointmentKind.TREATMENT
    wanted = [c for _, c in fin.codings(concept, "Appointment.appointmentType")]
    if isinstance(concept, Mapping) and concept.get("text"):
        wanted.append(str(concept["text"]))
    for kind in AppointmentKind:
        if any(w.lower() in {kind.value, kind.label.lower()} for w in wanted):
            return kind.value
    raise fin.Invalid("Appointment.appointmentType", f"one of {[k.value for k in AppointmentKind]}")


def _minutes(resource: Mapping[str, Any], starts_at: Any) -> int:
    if resource.get("end"):
        ends_at = fin.instant(resource["end"], "Appointment.end")
        return int((ends_at - starts_at).total_seconds() // 60)
    minutes = resource.get("minutesDuration")
    if not isinstance(minutes, int):
        raise fin.Invalid("Appointment.end", "give the end or minutesDuration")
    return minutes


def booking_data(resource: Mapping[str, Any], refs: Resolver) -> dict[str, Any]:
    """What the booking service takes: patient, clinician and clinic from the participants,
    the times, the kind, and the episode of the referral named in `basedOn`."""
    actors = _actors(resource)
    for kind in ("Patient", "Practitioner", "Location"):
        if kind not in actors:
            raise fin.Invalid("Appointment.participant", f"a {kind} participant is required")
    starts_at = fin.instant(resource.get("start"), "Appointment.start")
    data = {
        "patient": refs.patient(*actors["Patient"]),
        "clinician": refs.clinician(*actors["Practitioner"]),
        "clinic": refs.clinic(*actors["Location"]),
        "starts_at": starts_at,
        "minutes": _minutes(resource, starts_at),
        "kind": _kind(resource),
        "episode": None,
    }
    based_on = _list(resource, "basedOn", "Appointment.basedOn")
    if based_on:
        referral = refs.referral(based_on[0], "Appointment.basedOn")
        episode = referral.episodes.filter(status="open").first()
        if episode is None:
            raise fin.Invalid("Appointment.basedOn", "the referral has no open episode", status=422)
        data["episode"] = episode
    return data

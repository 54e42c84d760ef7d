"""The JSON input of `otclinic x12 write-270` and `write-276`, read into the writers' facts.

Both documents share `envelope`, `control_numbers` and `created_at`:

    {"envelope": {"sender": {"qualifier": "ZZ", "id": "SUNRISEOT"},
                  "receiver": {"qualifier": "ZZ", "id": "CLEARHOUSE"},
                  "application_sender": "SUNRISEOT", "application_receiver": "CLEARHOUSE",
                  "usage": "T"},
     "control_numbers": {"interchange": 41, "group": 42, "transaction": 43},
     "created_at": "2026-12-03T15:00:00+00:00",
     "batches": [...]}

A 270 batch: {"payer": {"name", "payer_id"}, "provider": {"npi", "organization"},
"inquiries": [{"trace_number", "originator", "service_date", "service_types" (optional),
"subscriber": PERSON, "dependent": PERSON or absent}]}.

A 276 batch: {"payer", "provider", "receiver": {"name", "identifier"}, "claims":
[{"trace_number", "claim_number", "charge" (a string: "312.50"), "service_from", "service_to",
"payer_claim_number" (optional), "subscriber": PERSON, "patient": PERSON or absent}]}.

PERSON: {"last", "first", "middle", "member_id", "birth_date" (YYYY-MM-DD), "sex" (F, M, U)}.
`docs/clearinghouse.md` has whole examples. Bad input raises `InputError` naming the field.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from otclinic.domain.claims.x12.inquiry import InquiryEnvelope, Payer, Person, Provider
from otclinic.domain.claims.x12.inquiry270 import (
    THERAPY_SERVICE_TYPES,
    EligibilityBatch,
    EligibilityInquiry,
)
from otclinic.domain.claims.x12.inquiry276 import (
    ClaimInquiry,
    ClaimStatusBatch,
    InformationReceiver,
)
from otclinic.domain.claims.x12.interchange import ControlNumbers, InterchangeParty
from otclinic.domain.claims.x12.p837.parties import PersonName


class InputError(ValueError):
    """The JSON input is not what the writer takes; the message names the field."""


class _Fields:
    """Typed access to one JSON object, every error naming the field by its path."""

    def __init__(self, value: object, path: str) -> None:
        if not isinstance(value, dict):
            raise InputError(f"{path}: must be an object")
        self.value: dict[str, Any] = value
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def text(self, key: str, *, default: str | None = None) -> str:
        value = self.value.get(key, default)
        if value is None:
            raise InputError(f"{self.at(key)}: is required")
        if not isinstance(value, str):
            raise InputError(f"{self.at(key)}: must be a string")
        return value

    def number(self, key: str) -> int:
        value = self.value.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise InputError(f"{self.at(key)}: must be a whole number")
        return value

    def day(self, key: str, *, required: bool = True) -> date | None:
        if self.value.get(key) is None and not required:
            return None
        raw = self.text(key)
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise InputError(f"{self.at(key)}: {raw!r} is not a date (YYYY-MM-DD)") from None

    def money(self, key: str) -> Decimal:
        raw = self.text(key)
        try:
            return Decimal(raw)
        except InvalidOperation:
            raise InputError(f"{self.at(key)}: {raw!r} is not an amount") from None

    def child(self, key: str) -> "_Fields":
        return _Fields(self.value.get(key), self.at(key))

    def children(self, key: str) -> list["_Fields"]:
        items = self.value.get(key)
        if not isinstance(items, list):
            raise InputError(f"{self.at(key)}: must be a list")
        return [_Fields(item, f"{self.at(key)}[{i}]") for i, item in enumerate(items)]

    def optional_child(self, key: str) -> "_Fields | None":
        return None if self.value.get(key) is None else self.child(key)


def read_common(document: object) -> tuple[InquiryEnvelope, ControlNumbers, datetime]:
    """The envelope, control numbers and creation time of either input."""
    root = _Fields(document, "")
    envelope = root.child("envelope")
    numbers = root.child("control_numbers")
    raw = root.text("created_at")
    try:
        created_at = datetime.fromisoformat(raw)
    except ValueError:
        raise InputError(f"created_at: {raw!r} is not an ISO 8601 date and time") from None
    if created_at.tzinfo is None:
        raise InputError(f"created_at: {raw!r} has no time zone (add +00:00 or Z)")
    return (
        InquiryEnvelope(
            sender=_party(envelope.child("sender")),
            receiver=_party(envelope.child("receiver")),
            application_sender=envelope.text("application_sender"),
            application_receiver=envelope.text("application_receiver"),
            usage=envelope.text("usage", default="P"),
        ),
        ControlNumbers(
            interchange=numbers.number("interchange"),
            group=numbers.number("group"),
            transaction=numbers.number("transaction"),
        ),
        created_at,
    )


def read_270_input(document: object) -> list[EligibilityBatch]:
    """The 270 batches of the input document."""
    return [
        EligibilityBatch(
            payer=_payer(batch.child("payer")),
            provider=_provider(batch.child("provider")),
            inquiries=tuple(_inquiry(item) for item in batch.children("inquiries")),
        )
        for batch in _Fields(document, "").children("batches")
    ]


def read_276_input(document: object) -> list[ClaimStatusBatch]:
    """The 276 batches of the input document."""
    batches = []
    for batch in _Fields(document, "").children("batches"):
        receiver = batch.child("receiver")
        batches.append(
            ClaimStatusBatch(
                payer=_payer(batch.child("payer")),
                receiver=InformationReceiver(receiver.text("name"), receiver.text("identifier")),
                provider=_provider(batch.child("provider")),
                claims=tuple(_claim(item) for item in batch.children("claims")),
            )
        )
    return batches


def _party(fields: _Fields) -> InterchangeParty:
    return InterchangeParty(fields.text("qualifier"), fields.text("id"))


def _payer(fields: _Fields) -> Payer:
    return Payer(name=fields.text("name"), payer_id=fields.text("payer_id"))


def _provider(fields: _Fields) -> Provider:
    return Provider(npi=fields.text("npi"), organization=fields.text("organization"))


def _person(fields: _Fields) -> Person:
    return Person(
        name=PersonName(
            last=fields.text("last"),
            first=fields.text("first"),
            middle=fields.text("middle", default=""),
        ),
        member_id=fields.text("member_id", default=""),
        birth_date=fields.day("birth_date", required=False),
        sex=fields.text("sex", default=""),
    )


def _inquiry(fields: _Fields) -> EligibilityInquiry:
    types = fields.value.get("service_types", list(THERAPY_SERVICE_TYPES))
    if not isinstance(types, list) or not all(isinstance(code, str) for code in types):
        raise InputError(f"{fields.at('service_types')}: must be a list of codes")
    dependent = fields.optional_child("dependent")
    service_date = fields.day("service_date")
    assert service_date is not None  # required
    return EligibilityInquiry(
        trace_number=fields.text("trace_number"),
        originator=fields.text("originator"),
        subscriber=_person(fields.child("subscriber")),
        dependent=_person(dependent) if dependent else None,
        service_date=service_date,
        service_types=tuple(types),
    )


def _claim(fields: _Fields) -> ClaimInquiry:
    patient = fields.optional_child("patient")
    start, end = fields.day("service_from"), fields.day("service_to")
    assert start is not None and end is not None  # required
    return ClaimInquiry(
        trace_number=fields.text("trace_number"),
        claim_number=fields.text("claim_number"),
        subscriber=_person(fields.child("subscriber")),
        patient=_person(patient) if patient else None,
        charge=fields.money("charge"),
        service_from=start,
        service_to=end,
        payer_claim_number=fields.text("payer_claim_number", default=""),
    )

"""Checks of the file's envelope: ISA and GS ids, and the 1000A/1000B parties."""

import re
from typing import TYPE_CHECKING

from otclinic.domain.claims.x12.p837 import checks
from otclinic.domain.claims.x12.p837.problems import Problem

if TYPE_CHECKING:
    from otclinic.domain.claims.x12.p837.envelope import Envelope

ISA_QUALIFIERS = frozenset({"01", "14", "20", "27", "28", "29", "30", "33", "ZZ"})
_PHONE = re.compile(r"\d{10}")


def envelope_problems(envelope: "Envelope") -> list[Problem]:
    """Every problem in the envelope, fields named `envelope.*`."""
    found: list[Problem | None] = []
    for role, party in (("sender", envelope.sender), ("receiver", envelope.receiver)):
        if party.qualifier not in ISA_QUALIFIERS:
            found.append(
                Problem(
                    f"envelope.{role}.qualifier",
                    f"{party.qualifier!r} is not an ISA id qualifier ({', '.join(sorted(ISA_QUALIFIERS))})",
                )
            )
        found.append(
            checks.required(party.identifier, field=f"envelope.{role}.identifier", max_length=15)
        )
    for name in ("application_sender", "application_receiver"):
        value = getattr(envelope, name)
        found.append(checks.required(value, field=f"envelope.{name}", max_length=15))
    submitter, receiver = envelope.submitter, envelope.claims_receiver
    found += [
        checks.required(submitter.name, field="envelope.submitter.name", max_length=60),
        checks.required(submitter.identifier, field="envelope.submitter.identifier", max_length=80),
        checks.required(
            submitter.contact_name, field="envelope.submitter.contact_name", max_length=60
        ),
        None
        if _PHONE.fullmatch(submitter.phone)
        else Problem(
            "envelope.submitter.phone", f"{submitter.phone!r} is not a 10-digit phone number"
        ),
        checks.required(receiver.name, field="envelope.claims_receiver.name", max_length=60),
        checks.required(
            receiver.identifier, field="envelope.claims_receiver.identifier", max_length=80
        ),
    ]
    problems = [problem for problem in found if problem is not None]
    if envelope.segment_end not in {"", "\n", "\r\n"}:
        problems.append(
            Problem("envelope.segment_end", "is nothing or a line break after each terminator")
        )
    for name in ("sender", "receiver", "application_sender", "application_receiver"):
        problems += checks.delimiters(getattr(envelope, name), field=f"envelope.{name}")
    problems += checks.delimiters(submitter, field="envelope.submitter")
    return problems + checks.delimiters(receiver, field="envelope.claims_receiver")

"""The billing check: one visit in, one billing decision out (contracts/billing-check.md).

Public interface:

- `check_visit(visit) -> Decision`: the pure Python door, on frozen dataclasses.
- `parse_visit(document) -> Visit`: the contract's JSON document, checked field by field.
- `check_visit_json(raw) -> bytes`: bytes in, canonical JSON bytes out; what the CLI
  (`otclinic billing check`) and the HTTP API (`POST /api/v1/billing/check`) both call.
- `errors_json(problems) -> bytes`: the HTTP API's 422 body for bad input.

Bad input raises `InputProblems`, one message per problem naming its field.
"""

from otclinic.domain.billing.document import check_visit_json, errors_json, parse_visit
from otclinic.domain.billing.engine import check_visit
from otclinic.domain.billing.model import ClaimLine, Decision, ServiceLine, Visit
from otclinic.domain.billing.units import units_for_minutes
from otclinic.domain.compliance.findings import InputProblems

__all__ = [
    "ClaimLine",
    "Decision",
    "InputProblems",
    "ServiceLine",
    "Visit",
    "check_visit",
    "check_visit_json",
    "errors_json",
    "parse_visit",
    "units_for_minutes",
]

"""The API's error bodies: one shape per status, declared on every operation (config.api).

- 401, 403, 404, 409 and 429: `{"detail": "what is wrong"}` (`ApiError`);
- 422: `{"errors": {"field": ["what is wrong with it"]}}` (`FieldProblems`), whether the body
  could not be read, a parameter did not validate, or a service refused the input. The two
  engine checks (`/billing/check`, `/episodes/check`) answer 422 with the lines their command
  line prints, `{"errors": ["..."]}`, as their contracts say.
"""

from typing import Any

from ninja import Schema

# A problem that belongs to no one field (a body that is not a JSON object, say).
WHOLE_INPUT = "input"


class ApiError(Schema):
    detail: str


class FieldProblems(Schema):
    errors: dict[str, list[str]]


def field_problems(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """ninja's validation errors (pydantic's, with `loc` like ("body", "payload", "name") or
    ("query", "limit")) as messages by field: "name", "limit", "lines.0.code"."""
    problems: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        # A body's place starts with "body" and the view's parameter name: neither is a field.
        parts = loc[2:] if loc[:1] == ["body"] else loc[1:]
        field = ".".join(parts) or WHOLE_INPUT
        problems.setdefault(field, []).append(str(error.get("msg", "is not valid")))
    return problems

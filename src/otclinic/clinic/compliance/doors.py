"""What the engine's HTTP doors share: the raw body in, the command line's bytes out."""

from collections.abc import Callable

from django.http import HttpResponse

from otclinic.domain.compliance.findings import InputProblems
from otclinic.domain.compliance.jsonio import dump_bytes

JSON = "application/json"


def json_request_body(description: str) -> dict[str, object]:
    """The OpenAPI request body of a door that takes one JSON document, and its answers: 200
    with the decision (an object) or 422 with the lines the command line prints."""
    problems = {
        "type": "object",
        "properties": {"errors": {"type": "array", "items": {"type": "string"}}},
        "required": ["errors"],
        "title": "CheckProblems",
    }
    return {
        "requestBody": {
            "content": {JSON: {"schema": {"type": "object", "description": description}}}
        },
        "responses": {
            "200": {
                "description": "The decision.",
                "content": {JSON: {"schema": {"type": "object"}}},
            },
            "422": {"description": "Bad fields.", "content": {JSON: {"schema": problems}}},
        },
    }


def answer_json(check: Callable[[bytes], bytes], body: bytes) -> HttpResponse:
    """200 with `check(body)`, or 422 with `{"errors": [...]}`, the lines the CLI prints."""
    try:
        answer = check(body)
    except InputProblems as exc:
        return HttpResponse(dump_bytes({"errors": exc.problems}), status=422, content_type=JSON)
    return HttpResponse(answer, content_type=JSON)

"""What the engine's HTTP doors share: the raw body in, the command line's bytes out."""

from collections.abc import Callable

from django.http import HttpResponse

from otclinic.domain.compliance.findings import InputProblems
from otclinic.domain.compliance.jsonio import dump_bytes

JSON = "application/json"


def json_request_body(description: str) -> dict[str, object]:
    """The OpenAPI request body of a door that takes one JSON document."""
    return {
        "requestBody": {
            "content": {JSON: {"schema": {"type": "object", "description": description}}}
        }
    }


def answer_json(check: Callable[[bytes], bytes], body: bytes) -> HttpResponse:
    """200 with `check(body)`, or 422 with `{"errors": [...]}`, the lines the CLI prints."""
    try:
        answer = check(body)
    except InputProblems as exc:
        return HttpResponse(dump_bytes({"errors": exc.problems}), status=422, content_type=JSON)
    return HttpResponse(answer, content_type=JSON)

"""Every JSON API body is read by `load_document` (domain.compliance.jsonio), as the checks'
doors read theirs: nesting too deep, an integer thousands of digits long, NaN, a NUL character
or half a surrogate pair answer 422 naming the field, never a 500 (RecursionError, ValueError,
or PostgreSQL's DataError on NUL).

django-ninja catches whatever its parser raises and answers 400 "Cannot parse request body"
with the exception as the cause; `refused_body` finds our refusal there so that the API's
HttpError handler can answer 422 with the problems instead.
"""

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.parser import Parser

from otclinic.domain.compliance.jsonio import load_document


class BodyRefused(ValueError):
    """A JSON body `load_document` refused; `errors` maps each field (or "input") to messages."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.errors: dict[str, list[str]] = {}
        for problem in problems:
            field, _, message = problem.partition(": ")
            self.errors.setdefault(field, []).append(message)


class DocumentParser(Parser):
    """ninja's parser, reading bodies through `load_document`."""

    def parse_body(self, request: HttpRequest) -> Any:
        document, problems = load_document(request.body)
        if problems:
            raise BodyRefused(problems)
        return document


def refused_body(exc: HttpError) -> dict[str, list[str]] | None:
    """The problems of a body `DocumentParser` refused, when that is what `exc` is about."""
    cause = exc.__cause__
    return cause.errors if isinstance(cause, BodyRefused) else None

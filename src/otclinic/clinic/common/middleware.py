"""Refuses request parameters no database can keep: a NUL character in any query-string or
form parameter (name or value) answers 422 naming the field, before any view runs.

PostgreSQL refuses NUL in text (psycopg raises DataError, which was a 500); SQLite stores it;
nobody types one. One check here covers every search box, form and API query string, so no view
needs its own. JSON bodies are the JSON API's parser's business (common.json_api).
"""

from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
API_PREFIX = "/api/"  # where config/urls.py mounts the JSON API: it answers JSON
MESSAGE = "holds a NUL character, which cannot be stored; remove it and try again"


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = fields_with_nul(request)
        if not fields:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"errors": {name: [MESSAGE] for name in fields}}, status=422)
        named = ", ".join(f"“{name}”" for name in fields)
        context = {"title": "This cannot be saved", "status": 422, "message": f"{named} {MESSAGE}."}
        return render(request, "web/error.html", context, status=422)


def fields_with_nul(request: HttpRequest) -> list[str]:
    """The names of the parameters whose name or value holds a NUL, NUL shown as \\0."""
    found = []
    for parameters in _parameters(request):
        for name, values in parameters.lists():
            if NUL in name or any(NUL in value for value in values):
                found.append(name.replace(NUL, "\\0"))
    return found


def _parameters(request: HttpRequest) -> Iterator[QueryDict]:
    yield request.GET
    # Only forms to pages. The API reads its bodies itself (request.body), which reading a
    # multipart body as POST here would consume; its parser refuses a NUL there.
    if (
        request.method == "POST"
        and request.content_type in FORM_TYPES
        and not request.path.startswith(API_PREFIX)
    ):
        yield request.POST

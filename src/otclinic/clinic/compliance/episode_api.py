"""`POST /api/v1/episodes/check`: the episode check's HTTP door (contracts/episode-check.md).

It hands the raw body to the same helper as `otclinic episode check`, so both doors answer with
the same bytes. Who may call it is the API root's business: a signed-in staff member whose role
uses the API (portal users are refused there).
"""

from django.http import HttpRequest, HttpResponse
from ninja import Router

from otclinic.domain.compliance.episode import check_episode_json
from otclinic.domain.compliance.findings import InputProblems
from otclinic.domain.compliance.jsonio import dump_bytes

router = Router(tags=["episodes"])

_JSON = "application/json"
_BODY = {"content": {_JSON: {"schema": {"type": "object", "description": "An episode."}}}}


@router.post(
    "/check",
    summary="Check an episode's documentation",
    description="Input and output as in contracts/episode-check.md; 422 lists bad fields.",
    openapi_extra={"requestBody": _BODY},
)
def episode_check(request: HttpRequest) -> HttpResponse:
    try:
        answer = check_episode_json(request.body)
    except InputProblems as exc:
        return HttpResponse(dump_bytes({"errors": exc.problems}), status=422, content_type=_JSON)
    return HttpResponse(answer, content_type=_JSON)

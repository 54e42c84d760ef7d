"""`POST /api/v1/episodes/check`: the episode check's HTTP door (contracts/episode-check.md).

It hands the raw body to the same helper as `otclinic episode check`, so both doors answer with
the same bytes. Who may call it is the API root's business: a signed-in staff member whose role
uses the API (portal users are refused there).
"""

from django.http import HttpRequest, HttpResponse
from ninja import Router

from otclinic.clinic.accounts.api_auth import READ_ONLY_AUTH
from otclinic.clinic.compliance.doors import answer_json, json_request_body
from otclinic.domain.compliance.episode import check_episode_json

router = Router(tags=["episodes"])


@router.post(
    "/check",
    summary="Check an episode's documentation",
    description="Input and output as in contracts/episode-check.md; 422 lists bad fields.",
    auth=READ_ONLY_AUTH,
    openapi_extra=json_request_body("An episode."),
)
def episode_check(request: HttpRequest) -> HttpResponse:
    return answer_json(check_episode_json, request.body)

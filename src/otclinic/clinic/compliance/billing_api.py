"""`POST /api/v1/billing/check`: the billing check's HTTP door (contracts/billing-check.md).

It hands the raw body to the same helper as `otclinic billing check`, so both doors answer with
the same bytes: 200 with the decision (billable or not), or 422 with `{"errors": [...]}` holding
the lines the command line prints on standard error. Who may call it is the API root's business:
a signed-in staff member whose role uses the API (portal users are refused there). The check
uses the caller's organization's code table (the shipped one with the clinic's own codes), as
`otclinic billing check --codes` does with a file.
"""

import functools

from django.http import HttpResponse
from ninja import Router

from otclinic.clinic.accounts.api_auth import READ_ONLY_AUTH
from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import organization_id_of
from otclinic.clinic.compliance.doors import answer_json, json_request_body
from otclinic.clinic.payers.selectors_codes import rulebook_for_organization
from otclinic.domain.billing import check_visit_json

router = Router(tags=["billing"])


@router.post(
    "/check",
    summary="Check a visit's billing",
    description="Input and output as in contracts/billing-check.md; 422 lists bad fields.",
    auth=READ_ONLY_AUTH,
    openapi_extra=json_request_body("One visit."),
)
def billing_check(request: AuthenticatedHttpRequest) -> HttpResponse:
    book = rulebook_for_organization(organization_id_of(request.user))
    return answer_json(functools.partial(check_visit_json, rulebook=book), request.body)

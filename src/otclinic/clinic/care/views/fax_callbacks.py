"""The fax gateway's delivery reports: POST /care/fax/<gateway>/status/.

The gateway calls back with what became of a fax it took ({"id", "status", "reason"}), its
shared secret as a bearer token (`OTCLINIC_FAX_CALLBACK_SECRETS`, compared in constant time).
Answers are JSON: 401 without the right secret, 400 naming the field that is wrong, 404 for a
fax id not sent from here, 200 with the status recorded (the same for a report sent twice).
Not a page: no session, no CSRF token; the secret is the gateway's credential.
"""

import hmac
import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from otclinic.clinic.care.services import delivery as delivery_svc


def _authorized(request: HttpRequest, gateway: str) -> bool:
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    secret = settings.OTCLINIC_FAX_CALLBACK_SECRETS.get(gateway, "")
    # Compared even for a gateway not configured, so that the answer takes as long either way.
    same = hmac.compare_digest(given.encode(), (secret or "\0unset").encode())
    return bool(secret) and bool(given) and same


def _error(status: int, message: str, field: str = "") -> JsonResponse:
    body = {"error": message, **({"field": field} if field else {})}
    return JsonResponse(body, status=status)


def _report(request: HttpRequest) -> dict[str, Any] | JsonResponse:
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "The body is not JSON.")
    if not isinstance(data, dict):
        return _error(400, "The body is a JSON object: {id, status, reason}.")
    for field in ("id", "status"):
        if not isinstance(data.get(field), str) or not data[field].strip():
            return _error(400, f"{field} is missing: a non-empty string.", field)
    reason = data.get("reason", "")
    if not isinstance(reason, str):
        return _error(400, "reason is a string.", "reason")
    known = sorted({*delivery_svc.FAX_REPORTS, *delivery_svc.FAX_PROGRESS})
    if data["status"] not in known:
        return _error(400, f"status is one of {', '.join(known)}.", "status")
    return {"reference": data["id"].strip(), "status": data["status"], "reason": reason}


@csrf_exempt
@require_POST
def fax_status(request: HttpRequest, gateway: str) -> JsonResponse:
    if not _authorized(request, gateway):
        return _error(401, "The gateway's secret is missing or wrong.")
    report = _report(request)
    if isinstance(report, JsonResponse):
        return report
    try:
        delivery = delivery_svc.fax_delivery_report(**report)
    except delivery_svc.UnknownFax:
        return _error(404, "No fax sent from here has this id.", "id")
    return JsonResponse({"id": delivery.reference, "status": delivery.status})

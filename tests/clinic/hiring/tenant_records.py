"""A posting and an applicant for a tenant of tests/clinic/test_tenant_isolation.py."""

from typing import Any

from otclinic.clinic.hiring.models import Applicant, JobPosting
from tests.clinic.hiring.helpers import applicant_row, posting_row


def posting(t: Any) -> JobPosting:
    made = t.__dict__.setdefault("_made", {})
    if "posting" not in made:
        made["posting"] = posting_row(org=t.org)
    return made["posting"]


def applicant(t: Any) -> Applicant:
    made = t.__dict__.setdefault("_made", {})
    if "applicant" not in made:
        made["applicant"] = applicant_row(posting=posting(t), admin=t.user)
    return made["applicant"]


ID_KINDS = {
    "posting_id": lambda t: posting(t).pk,
    "applicant_id": lambda t: applicant(t).pk,
}

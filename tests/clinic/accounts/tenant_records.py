"""A colleague (a member of staff other than the signed-in admin) for a tenant of
tests/clinic/test_tenant_isolation.py: the account pages that take a user id name one."""

from typing import Any

from tests.clinic import factories as f


def colleague(t: Any) -> Any:
    made = t.__dict__.setdefault("_made", {})
    if "colleague" not in made:
        made["colleague"] = f.staff_user(organization=t.org, role="biller")
    return made["colleague"]


ID_KINDS = {"user_id": lambda t: colleague(t).pk}

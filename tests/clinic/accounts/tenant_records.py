"""A colleague (a member of staff other than the signed-in admin) and an API token of the
tenant's user, for tests/clinic/test_tenant_isolation.py: the account pages that take a user id
or a token id name one."""

from typing import Any

from tests.clinic import factories as f


def colleague(t: Any) -> Any:
    made = t.__dict__.setdefault("_made", {})
    if "colleague" not in made:
        made["colleague"] = f.staff_user(organization=t.org, role="biller")
    return made["colleague"]


def api_token(t: Any) -> Any:
    from otclinic.clinic.accounts.api_tokens import token_create

    made = t.__dict__.setdefault("_made", {})
    if "api_token" not in made:
        made["api_token"], _secret = token_create(
            user=t.user, name="Scheduler", scopes=["read", "write"], lifetime_days=90
        )
    return made["api_token"]


ID_KINDS = {"user_id": lambda t: colleague(t).pk, "token_id": lambda t: api_token(t).pk}

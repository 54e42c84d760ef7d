"""What a user sees of a refusal, to compare "another organization's" with "does not exist"."""

import re
from typing import Any

_MASKED = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def refusal_shape(response: Any) -> tuple[int, str, str]:
    """Status, content type and body; the CSRF tokens, masked afresh on every page, aside."""
    body = "" if response.streaming else response.content.decode()
    return response.status_code, response["Content-Type"], _MASKED.sub(r"\1", body)

"""Escaping for the HTML that pages write in Python, the same as the template engine's."""

from html import escape as _escape
from typing import Any


def escape_text(value: Any) -> str:
    """`django.utils.html.conditional_escape`'s output, for values written by the hundred on a
    page (a picker's options, the calendar's blocks): without its lazy-string wrapper and the
    SafeString it makes on each call, which were a tenth of a calendar's time. Anything that
    is already HTML (`__html__`, Django's safe strings) passes unchanged."""
    html = getattr(value, "__html__", None)
    if html is not None:
        return str(html())
    return _escape(str(value))

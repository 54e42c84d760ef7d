"""Escaping for the HTML that pages write in Python, the same as the template engine's."""

import datetime as dt
import functools
from html import escape as _escape
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language


def escape_text(value: Any) -> str:
    """`django.utils.html.conditional_escape`'s output, for values written by the hundred on a
    page (a picker's options, the calendar's blocks): without its lazy-string wrapper and the
    SafeString it makes on each call, which were a tenth of a calendar's time. Anything that
    is already HTML (`__html__`, Django's safe strings) passes unchanged."""
    html = getattr(value, "__html__", None)
    if html is not None:
        return str(html())
    return _escape(str(value))


@functools.lru_cache(maxsize=4096)
def _day_text(day: dt.date, language: str | None) -> str:
    return escape_text(date_format(day))


def day_text(day: dt.date) -> str:
    """`day` as `{{ day }}` writes it (Django's localized `date_format` in the active language,
    escaped), made once per date and language for the life of the process: lists that show a
    date per row spent most of their template time formatting dates."""
    return _day_text(day, get_language())

"""Template helpers for the note page: messages for one field of a formset row."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def messages_for(messages: dict[str, list[str]] | None, field: Any) -> list[str]:
    """The messages keyed by a bound field's name (`lines-0-code`) or by a plain key."""
    if not messages:
        return []
    key = getattr(field, "html_name", field)
    return list(messages.get(str(key), []))

"""An episode's timeline as the chart and the episode page list it, written in one pass.

The template wrote each entry's date twice (`{{ t.day|date:'Y-m-d' }}` and `{{ t.day }}`), each
through Django's localized date formatting: on the heaviest chart at ten times the demo clinic
(two episodes, 46 entries) those were most of the episode section's template time. Here each
entry is one f-string, its shown date formatted as `{{ t.day }}` would (`date_format` in the
active language), once per date and language for the life of the process
(`common.escaping.day_text`).
"""

from collections.abc import Iterable
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from otclinic.clinic.common.escaping import day_text


def timeline_items(entries: Iterable[Any]) -> SafeString:
    """The `<li>`s of the timeline `entries` (`overview_parts.TimelineEntry`), oldest
    first: the same markup the templates wrote, each text and link escaped."""
    items = []
    for entry in entries:
        text = conditional_escape(entry.text)
        shown = f'<a href="{conditional_escape(entry.url)}">{text}</a>' if entry.url else text
        items.append(
            f'<li><time datetime="{entry.day.isoformat()}">{day_text(entry.day)}</time>'
            f" {shown}</li>"
        )
    return mark_safe("".join(items))  # noqa: S308 - every value above escaped

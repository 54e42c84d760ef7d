"""`escape_text` writes what Django's `conditional_escape` writes, without its per-call work."""

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from otclinic.clinic.common.escaping import escape_text


@given(st.text())
def test_any_text_is_escaped_as_the_template_engine_escapes_it(text: str) -> None:
    assert escape_text(text) == conditional_escape(text)


def test_html_already_safe_passes_unchanged_and_other_values_are_escaped_as_text() -> None:
    assert escape_text(mark_safe("<b>ok</b>")) == "<b>ok</b>"
    assert escape_text("O'Neil & <Co>") == "O&#x27;Neil &amp; &lt;Co&gt;"
    assert escape_text(42) == "42"

"""Template helpers for findings in the user's words: `f|explained` for the "Why?" partial
(web/_why.html), and `|plain_label` for a stored key shown as words."""

from typing import Any

from django import template

from otclinic.domain.codes import Role
from otclinic.domain.compliance.explain import (
    Explained,
    confidence_wording,
    explain,
    explain_rule,
)

register = template.Library()


@register.filter
def explained(finding: Any) -> Explained:
    """A finding, decision or scrubber problem (anything with a `rule_id` and a `message`;
    optionally `citation`, `severity`, `plain` and `figures`) as the "Why?" partial shows it."""
    if isinstance(finding, Explained):
        return finding
    if isinstance(finding, dict):
        get = finding.get
    else:

        def get(name: str, default: Any = None) -> Any:
            return getattr(finding, name, default)

    figures = list(get("figures", ()) or ())
    # A claim scrubber's problem also names the claim's field, who found it and the rule's
    # own message.
    for key, label in (
        ("field", "Field"),
        ("source", "Found by"),
        ("detail", "What the rule computed"),
    ):
        if get(key, ""):
            figures.append((label, str(get(key))))
    return explain(
        str(get("rule_id", "") or ""),
        str(get("message", "") or ""),
        citation=str(get("citation", "") or ""),
        severity=str(get("severity", "") or ""),
        plain=str(get("plain", "") or ""),
        figures=tuple(figures),
    )


@register.filter
def as_rule(rule_id: str) -> Explained:
    """A rule id as the "Why?" partial shows it: the rule's plain sentence, the rule behind it."""
    return explain_rule(str(rule_id))


@register.filter
def role_label(role: str) -> str:
    """A stored role ("clinic_admin") in words ("Clinic admin"); an unknown one as it is."""
    try:
        return Role(role).label
    except ValueError:
        return str(role)


@register.filter
def confidence_words(confidence: str | None) -> str:
    """A data entry's confidence (firm | likely | check) in words."""
    return confidence_wording(confidence or None)


@register.filter
def field_words(path: str) -> str:
    """A claim field's path in words ("claim.subscriber.member_id": "Subscriber: member id");
    the path itself is shown behind "Why?". A path that is not dotted is already words."""
    parts = [part for part in str(path).split(".") if part and part != "claim"]
    if len(parts) < 2 and "_" not in str(path):
        return str(path)
    words = [part.replace("_", " ") for part in parts]
    text = words[0] + (": " + " ".join(words[1:]) if len(words) > 1 else "")
    return text[:1].upper() + text[1:]

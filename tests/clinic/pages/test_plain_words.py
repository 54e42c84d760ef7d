"""Clinical and billing screens speak the user's language (issue 15).

The demo clinic is seeded once, and every staff login walks its pages from its home page (links
followed breadth-first, at most two pages of each kind: `/care/notes/<id>/` is one kind). On
every page, outside the "Why?" disclosures (`<details class="why">`), none of the raw forms
the issue found may appear: stored keys and enum values (`exempt_by_referral`,
`nine_hole_peg_s`, any snake_case word), rule ids (`episode.certification.overdue`), rule files
(`.yaml`), citations (BPM, MCPM, CFR, Federal Register), confidences (`likely`), a sampling draw
(`draw 109`), a hash (`sha256 fdb338...`) or a model without its own name
(`ReferenceCheck object (...)`). Portal users never see a rule at all, not even behind "Why?".
"""

import html
import re
from collections import Counter

import pytest
from django.test import Client

from otclinic.clinic.accounts.models import User
from otclinic.clinic.demo.seed import seed_demo
from otclinic.domain.compliance.catalog import code_rules
from otclinic.domain.compliance.supervision import default_packs

STAFF = [
    "ot.demo",
    "ota.demo",
    "pt.demo",
    "slp.demo",
    "student.demo",
    "biller.demo",
    "frontdesk.demo",
    "admin.demo",
]
PORTAL = {"patient.demo": "/portal/", "caregiver.demo": "/portal/"}
PAGES_PER_LOGIN = 60
PAGES_PER_KIND = 2
# Links not to follow: files, sign-out, the Django admin, the audit export.
SKIP = re.compile(r"logout|/admin/|pdf|download|export|\.csv|/static/|837|cms1500|/files?/")

RAW_FORMS = {
    "a stored key or enum value": r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b",
    "a model without its own name": r"\bobject \(",
    "a hash": r"(?i)\bsha-?256\b|\b[0-9a-f]{40,64}\b",
    "a rule file": r"\.(?:yaml|yml)\b|\brules/",
    "a citation": r"\bBPM\b|\bMCPM\b|\bCFR\b|\b\d{2,3} FR \d+|Pub\. 100-0",
    "a confidence": r"\blikely\b|\(figure \w+\)",
    "a sampling draw": r"\bdraw \d+|\(of 0-\d+\)",
}
WHY = re.compile(r'<details class="why">.*?</details>', re.S)
MARKUP = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.S)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def rule_ids() -> re.Pattern[str]:
    ids = {entry.rule_id for entry in code_rules()} | {p.rule_id for p in default_packs()}
    return re.compile("|".join(rf"\b{re.escape(i)}\b" for i in sorted(ids, key=len, reverse=True)))


def raw_forms(text: str, ids: re.Pattern[str]) -> list[str]:
    """Each raw form in `text` (a page without its markup), with a little of its context."""
    found = []
    patterns = [*RAW_FORMS.items(), ("a rule id", ids.pattern)]
    for what, pattern in patterns:
        for match in re.finditer(pattern, text):
            around = " ".join(text[max(0, match.start() - 60) : match.end() + 30].split())
            found.append(f"{what} {match.group(0)!r}: ...{around}...")
    return found


def page_text(body: str, *, keep_why: bool = False) -> str:
    shown = body if keep_why else WHY.sub(" ", body)
    return html.unescape(MARKUP.sub(" ", shown))


def walk(login: str, start: str, pages: int = PAGES_PER_LOGIN) -> dict[str, str]:
    """The HTML pages a login reaches from `start`, by path."""
    client = Client()
    client.force_login(User.objects.get(username=login))
    queue, seen, kinds, bodies = [start], {start}, Counter[str](), {}
    while queue and len(bodies) < pages:
        path = queue.pop(0)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        bodies[path] = body
        for link in re.findall(r'href="(/[^"#?]*)', body):
            kind = UUID.sub("<id>", link)
            if link in seen or SKIP.search(link) or kinds[kind] >= PAGES_PER_KIND:
                continue
            seen.add(link)
            kinds[kind] += 1
            queue.append(link)
    return bodies


@pytest.mark.django_db
def test_pages_keep_keys_rule_ids_citations_and_draws_behind_why() -> None:
    """Seeded once for both parts: the staff's pages, then the portal's."""
    seed_demo(patients_per_scale=30, months=1)
    ids = rule_ids()
    problems, walked, why_blocks = [], 0, 0
    for login in STAFF:
        for path, body in walk(login, "/").items():
            walked += 1
            why_blocks += body.count('<details class="why">')
            problems += [f"{login} {path}: {p}" for p in raw_forms(page_text(body), ids)]
    assert walked >= len(STAFF) * 20, walked  # the walk reached the clinic's pages
    assert why_blocks > 0  # and findings, shown with their "Why?"
    # Portal users never see a rule, not even behind "Why?".
    for login, start in PORTAL.items():
        for path, body in walk(login, start, pages=30).items():
            walked += 1
            assert '<details class="why">' not in body, f"{login} {path}"
            text = page_text(body, keep_why=True)
            problems += [f"{login} {path}: {p}" for p in raw_forms(text, ids)]
    assert not problems, "\n".join(problems[:40])


def test_the_check_finds_each_raw_form_of_the_issue() -> None:
    """The issue's examples, each caught outside "Why?" and let through inside it."""
    ids = rule_ids()
    examples = [
        "Sampled review: draw 109 is below 1000 (of 0-9999)",
        "sha256 fdb338ab12…",
        "the year's PFS final rule (rules/therapy_threshold.yaml)",
        "OT threshold for 2026: $2,480.00 (figure likely)",
        "certification exempt_by_referral through Feb. 16",
        "episode.certification.overdue",
        "nine_hole_peg_s 45 seconds",
        "ReferenceCheck object (209dfeee-0000-4000-8000-000000000000)",
        "BPM ch. 15 sec. 220.1.3",
        "threshold.kx",
    ]
    for example in examples:
        assert raw_forms(page_text(f"<p>{example}</p>"), ids), example
        hidden = (
            f'<p>Plain words.</p><details class="why"><summary>Why?</summary>{example}</details>'
        )
        assert raw_forms(page_text(hidden), ids) == [], example

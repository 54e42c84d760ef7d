"""Findings as users read them: the plain sentence first, the rule in full behind "Why?"."""

from otclinic.domain.billing.threshold import KX
from otclinic.domain.care.assessments import instrument_label
from otclinic.domain.compliance.episode_model import CertificationStatus
from otclinic.domain.compliance.explain import citation_links, explain, explain_rule


def test_a_rule_with_a_plain_sentence_shows_it_and_keeps_the_message_for_why() -> None:
    message = "OT threshold for 2026: $2,480.00 (figure likely); $2,500.00 so far"
    explained = explain("threshold.kx", message, citation=KX.citation, severity="warning")
    assert explained.plain == KX.plain and "likely" not in explained.plain
    why = explained.why
    assert why.rule_id == "threshold.kx"
    assert why.rule_file == (
        "src/otclinic/domain/billing/threshold.py; src/otclinic/domain/rules/therapy_threshold.yaml"
    )
    assert why.citation == KX.citation
    assert ("What the rule computed", message) in why.figures
    assert [link.label for link in why.links] == [
        "Medicare Claims Processing Manual, chapter 5",
        "Social Security Act, title XVIII",
    ]


def test_a_plain_message_is_the_sentence_and_is_not_repeated_behind_why() -> None:
    explained = explain("units.untimed", "97535: 0 min billed as one unit")
    assert explained.plain == "97535: 0 min billed as one unit"
    assert explained.why.figures == ()


def test_citations_link_to_their_sources() -> None:
    links = citation_links("CY2025 PFS final rule, 89 FR 97710; 42 CFR 424.11(d); BPM ch. 15")
    assert [link.url for link in links] == [
        "https://www.cms.gov/Regulations-and-Guidance/Guidance/Manuals/Downloads/bp102c15.pdf",
        "https://www.federalregister.gov/citation/89-FR-97710",
        "https://www.ecfr.gov/current/title-42/section-424.11",
    ]


def test_the_confidence_in_a_citation_is_said_in_words() -> None:
    why = explain("episode.certification.exempt_by_referral", "No signature needed.").why
    assert why.confidence.startswith("Likely:")
    assert explain("units.untimed", "x").why.confidence.startswith("Firm:")


def test_a_rule_named_alone_reads_as_its_summary() -> None:
    explained = explain_rule("episode.certification.overdue")
    assert explained.plain.startswith("Not signed and past the 30 days")
    assert explained.why.rule_id == "episode.certification.overdue"


def test_stored_keys_read_as_words() -> None:
    assert instrument_label("nine_hole_peg_s") == "Nine-Hole Peg Test"
    assert instrument_label("tub_transfer_fim") == "Tub transfer FIM"
    assert CertificationStatus.EXEMPT_BY_REFERRAL.label == (
        "No signature needed (signed referral on file)"
    )

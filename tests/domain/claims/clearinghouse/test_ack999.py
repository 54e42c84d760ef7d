"""The 999 reader on public samples, on pyx12's own 999s, on a written 999 that pyx12 accepts,
and on damaged files."""

from pathlib import Path

import pytest

from otclinic.domain.claims.x12.ack999 import acknowledgment_as_json, read_999
from otclinic.domain.claims.x12.tokens import X12ReadError
from tests.domain.claims.p837 import pyx12_check

from .samples import ACKS_999, NEGATIVE_837S, text, with_se_count

# A 999 rejecting one of two 837P transaction sets, as a clearinghouse writes it: the subscriber's
# member id (NM109) in loop 2010BA fails a pattern, with the claim named in CTX.
REJECTING_999 = (
    with_se_count(
        "ISA*00*          *00*          *ZZ*CLEARHOUSE     *ZZ*SUNRISEOT      *261203*1500*^*00501"
        "*000000077*0*P*:~"
        "GS*FA*CLEARHOUSE*SUNRISEOT*20261203*1500*77*X*005010X231A1~"
        "ST*999*0001*005010X231A1~"
        "AK1*HC*42*005010X222A1~"
        "AK2*837*0043*005010X222A1~"
        "IK3*NM1*17*2010*8~"
        "CTX*CLM01:CLM-00017~"
        "IK4*9*67*I12*1EG4-TE5-MK73~"
        "IK5*R*I5~"
        "AK2*837*0044*005010X222A1~"
        "IK5*A~"
        "AK9*P*2*2*1~"
        "SE*0*0001~"
    )
    + "GE*1*77~\nIEA*1*000000077~\n"
)


def test_the_written_999_is_valid_for_pyx12() -> None:
    pyx12_check.assert_valid_acknowledgment(REJECTING_999)


def test_a_rejection_names_the_segment_the_element_and_the_claim_in_words() -> None:
    (group,) = read_999(REJECTING_999).groups
    rejected, accepted = group.transactions

    assert (group.status.code, group.status.words) == ("P", group.status.words)
    assert group.status.words is not None and group.status.words.startswith("Partially accepted")
    assert (group.sets_included, group.sets_received, group.sets_accepted) == (2, 2, 1)
    assert (rejected.control_number, rejected.accepted, accepted.accepted) == ("0043", False, True)
    assert [e.words for e in rejected.errors] == ["Implementation one or more segments in error"]
    (segment,) = rejected.segment_errors
    assert (segment.segment_id, segment.position, segment.loop) == ("NM1", 17, "2010")
    assert segment.error is not None and segment.error.words == "Segment has data element errors"
    assert segment.context == ("CLM01 = CLM-00017",)
    (element,) = segment.elements
    assert (element.position, element.reference, element.bad_value) == ("9", "67", "1EG4-TE5-MK73")
    assert element.error.words == "Implementation pattern match failure"


@pytest.mark.parametrize("path", ACKS_999, ids=lambda p: p.name)
def test_every_public_999_is_read_and_accepts_its_834s(path: Path) -> None:
    acknowledgment = read_999(text(path))

    assert acknowledgment.groups
    for group in acknowledgment.groups:
        assert group.functional_id.words == "Benefit enrollment and maintenance (834)"
        assert group.status.words == "Accepted"
        assert [t.accepted for t in group.transactions] == [True] * len(group.transactions)
    assert acknowledgment.warnings == ()


def test_the_json_gives_codes_and_words() -> None:
    document = acknowledgment_as_json(read_999(REJECTING_999))

    transaction = document["groups"][0]["transactions"][0]
    assert document["type"] == "999"
    assert transaction["status"] == {"code": "R", "words": "Rejected"}
    assert transaction["segment_errors"][0]["elements"][0]["error"] == {
        "code": "I12",
        "words": "Implementation pattern match failure",
    }


@pytest.mark.parametrize("path", NEGATIVE_837S[:4], ids=lambda p: p.name)
def test_pyx12s_own_999_for_a_broken_837_is_read_with_every_error(path: Path) -> None:
    """pyx12, an independent writer of 999s, acknowledges deliberately broken 837s."""
    acknowledgment_text = pyx12_check.validate(text(path)).acknowledgment
    acknowledgment = read_999(acknowledgment_text)

    ik3 = acknowledgment_text.count("IK3*")
    ik4 = acknowledgment_text.count("IK4*")
    read_ik3 = [e for g in acknowledgment.groups for t in g.transactions for e in t.segment_errors]
    assert len(read_ik3) == ik3
    assert sum(len(error.elements) for error in read_ik3) == ik4
    assert all(e.error is None or e.error.words for e in read_ik3)
    assert {g.status.code for g in acknowledgment.groups} <= {"A", "E", "P", "R"}


def _edit(old: str, new: str) -> str:
    assert old in REJECTING_999
    return REJECTING_999.replace(old, new, 1)


@pytest.mark.parametrize(
    ("damaged", "message"),
    [
        ("", "not an X12 interchange"),
        (REJECTING_999[: REJECTING_999.index("AK9")], "the file ends before SE closes"),
        (_edit("IK5*R*I5~", ""), "segment 5 (AK2): the AK2 loop for 0043 has no IK5 verdict"),
        (_edit("AK1*HC*42*005010X222A1~", ""), "has no AK1"),
        (_edit("AK9*P*2*2*1~", ""), "has no AK9"),
        (_edit("ST*999*0001", "ST*997*0001"), 'segment 3 (ST): ST01 is "997", not 999'),
        (_edit("IK3*NM1", "IK3\x00NM1"), "segment 6: holds a NUL character"),
        (_edit("AK2*837*0043*005010X222A1~", ""), "segment 5 (IK3): IK3 outside an AK2 loop"),
    ],
    ids=["empty", "truncated", "no-ik5", "no-ak1", "no-ak9", "a-997", "nul", "ik3-first"],
)
def test_a_damaged_999_is_a_clear_error_naming_the_segment(damaged: str, message: str) -> None:
    with pytest.raises(X12ReadError) as raised:
        read_999(damaged)

    assert message in str(raised.value)


def test_a_wrong_segment_count_is_a_warning_not_an_error() -> None:
    acknowledgment = read_999(REJECTING_999.replace("SE*11*0001", "SE*12*0001"))

    assert acknowledgment.groups[0].sets_accepted == 1
    assert acknowledgment.warnings == ('segment 13 (SE): SE01 says "12" segments, the file has 11',)

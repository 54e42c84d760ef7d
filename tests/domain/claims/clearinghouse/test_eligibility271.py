"""The 271 reader on public samples (cross-checked with linuxforhealth-x12), on a written 271
with the benefits an OT visit needs (valid for linuxforhealth-x12), and on damaged files."""

from decimal import Decimal
from pathlib import Path

import pytest

from otclinic.domain.claims.x12.eligibility271 import read_271
from otclinic.domain.claims.x12.eligibility271_json import eligibility_as_json
from otclinic.domain.claims.x12.tokens import X12ReadError

from .lfh import collect, lfh_read, lfh_validate
from .samples import ELIGIBILITY_271, ERROR_271, SUBSCRIBER_271, text


def _segments(*segments: str) -> str:
    body = ["ST*271*0001*005010X279A1", *segments]
    body.append(f"SE*{len(body) + 1}*0001")
    return (
        "ISA*00*          *00*          *ZZ*CLEARHOUSE     *ZZ*SUNRISEOT      *261203*1500*^*00501"
        "*000000079*0*P*:~\n"
        "GS*HB*CLEARHOUSE*SUNRISEOT*20261203*1500*79*X*005010X279A1~\n"
        + "".join(f"{segment}~\n" for segment in body)
        + "GE*1*79~\nIEA*1*000000079~\n"
    )


HEAD = (
    "BHT*0022*11*0000000410043*20261203*1500",
    "HL*1**20*1",
    "NM1*PR*2*SUNSHINE HEALTH PLAN*****PI*77001",
    "HL*2*1*21*1",
    "NM1*1P*2*SUNRISE OCCUPATIONAL THERAPY*****XX*1234567893",
    "HL*3*2*22*0",
    "TRN*2*ELIG0001*1123456789",
    "NM1*IL*1*RIVERA*ZOE****MI*SHP123456",
    "DMG*D8*19510402*F",
)
# An active commercial plan: $25 OT copay in network ($50 out), 20% coinsurance, a $500
# deductible with $120 left, 20 OT visits a calendar year of which 8 are used and 12 remain,
# and a therapy amount with the payer's note on the KX threshold.
THERAPY_271 = _segments(
    *HEAD,
    "EB*1*IND*30*C1*SILVER PPO",
    "EB*B*IND*AD*C1**27*50*****N",
    "EB*B*IND*AD*C1**27*25*****Y",
    "EB*A*IND*AD*C1**27**0.2****Y",
    "EB*C*IND*30*C1**23*500*****Y",
    "EB*C*IND*30*C1**29*120*****Y",
    "EB*F*IND*AD*C1**23***VS*20",
    "HSD*VS*20***22",
    "EB*F*IND*AD*C1**29***VS*12",
    "EB*F*IND*AD*C1*****99*8",
    "EB*F*IND*AD^PT*C1**23*1490",
    "MSG*THERAPY ABOVE 2480.00 NEEDS THE KX MODIFIER",
)


def test_the_written_271_is_valid_for_linuxforhealth(tmp_path: Path) -> None:
    """LFH 0.57 types EB09 as a number, so it refuses the valid code VS (visits): it checks the
    file with the two EB09/EB10 pairs that use VS left out (the limit then comes from HSD), and
    the other tests read the file as written."""
    without_vs = THERAPY_271.replace("***VS*20", "").replace("***VS*12", "")
    (model,) = lfh_validate(tmp_path, [without_vs], "271")

    assert len(collect(model, "eb_segment")) == 10
    therapy = read_271(without_vs).members[0].therapy
    assert (therapy.visits_limit, therapy.visits_used, therapy.visits_remaining) == (20, 8, None)


def test_the_ot_summary_gives_copay_coinsurance_deductible_and_visits() -> None:
    (member,) = read_271(THERAPY_271).members
    therapy = member.therapy

    assert (member.name, member.member_id, member.level) == (
        "RIVERA, ZOE",
        "SHP123456",
        "subscriber",
    )
    assert (therapy.active, therapy.plan) == (True, "SILVER PPO")
    assert therapy.copay == Decimal("25.00")  # in network before out of network
    assert therapy.coinsurance == Decimal("0.2")
    assert (therapy.deductible, therapy.deductible_remaining) == (
        Decimal("500.00"),
        Decimal("120.00"),
    )
    assert (therapy.visits_limit, therapy.visits_used, therapy.visits_remaining) == (20, 8, 12)
    assert therapy.therapy_amounts == (
        "Limitations, Occupational therapy, Physical therapy, Calendar year: 1490.00",
    )
    assert therapy.therapy_messages == ("THERAPY ABOVE 2480.00 NEEDS THE KX MODIFIER",)


def test_each_benefit_reads_in_words() -> None:
    (member,) = read_271(THERAPY_271).members

    assert (
        member.benefits[2].in_words()
        == "Co-payment, Occupational therapy, Visit: 25.00 (in network)"
    )
    assert (
        member.benefits[3].in_words()
        == "Co-insurance, Occupational therapy, Visit: 20% (in network)"
    )
    assert member.benefits[6].delivery == ("VS*20***22",)


def test_an_inactive_plan_is_not_active() -> None:
    (member,) = read_271(_segments(*HEAD, "EB*6**30")).members

    assert member.therapy.active is False
    assert member.benefits[0].info.words == "Inactive"


def test_a_rejected_inquiry_says_why_and_what_to_do() -> None:
    (member,) = read_271(_segments(*HEAD, "AAA*N**72*C")).members

    (rejection,) = member.rejections
    assert (
        rejection.reason is not None
        and rejection.reason.words == "Invalid/missing subscriber/insured id"
    )
    assert (
        rejection.follow_up is not None
        and rejection.follow_up.words == "Please correct and resubmit"
    )
    assert member.therapy.active is None


@pytest.mark.parametrize("path", ELIGIBILITY_271, ids=lambda p: p.name)
def test_every_public_271_is_read_as_linuxforhealth_reads_it(path: Path) -> None:
    response = read_271(text(path))
    (answer,) = lfh_read([path])
    if not answer["ok"]:  # the error sample's SE02 does not match its ST02, which LFH refuses
        assert path == ERROR_271, answer["error"]
        return

    theirs = [
        (eb["eligibility_benefit_information"], eb.get("service_type_code", []))
        for eb in collect(answer["models"], "eb_segment")
    ]
    ours = [
        (b.info.code, [s.code for s in b.service_types])
        for member in response.members
        for b in member.benefits
    ]
    assert ours == theirs
    ids = [
        nm1["identification_code"]
        for nm1 in collect(answer["models"], "nm1_segment")
        if nm1.get("entity_identifier_code") == "IL"
    ]
    assert [m.member_id for m in response.members if m.level == "subscriber"] == ids


def test_the_public_subscriber_sample_reads_active_with_its_copay() -> None:
    (member,) = read_271(text(SUBSCRIBER_271)).members

    assert (member.therapy.active, member.therapy.plan, member.therapy.copay) == (
        True,
        "GOLD 123 PLAN",
        Decimal("10.00"),
    )
    assert member.benefits[1].related_entity == "JONES, MARCUS"
    (plan_begin,) = member.dates
    assert (plan_begin.qualifier.words, plan_begin.start.isoformat()) == (
        "Plan begin",
        "2006-01-01",
    )  # type: ignore[union-attr]


def test_the_public_error_sample_rejects_the_provider_in_words() -> None:
    response = read_271(text(ERROR_271))

    document = eligibility_as_json(response)
    assert document["transactions"][0]["rejections"] == [
        {
            "level": "receiver",
            "reason": {"code": "50", "words": "Provider ineligible for inquiries"},
            "follow_up": {"code": "N", "words": "Resubmission not allowed"},
        }
    ]
    assert response.warnings == (
        'segment 10 (SE): SE02 "4323" does not match ST02 "4321" at segment 3 (ST)',
    )


@pytest.mark.parametrize(
    ("damaged", "message"),
    [
        (THERAPY_271[: THERAPY_271.index("HSD")], "the file ends before SE closes"),
        (
            _segments(*HEAD[:4], "EB*1**30"),
            "segment 8 (EB): EB outside a subscriber or dependent level",
        ),
        (
            _segments(*HEAD, "EB**IND*30"),
            "segment 13 (EB): EB01 (the benefit information) is missing",
        ),
        (THERAPY_271.replace("ST*271", "ST*270"), 'ST01 is "270", not 271'),
    ],
    ids=["truncated", "eb-above-members", "no-eb01", "a-270"],
)
def test_a_damaged_271_is_a_clear_error_naming_the_segment(damaged: str, message: str) -> None:
    with pytest.raises(X12ReadError) as raised:
        read_271(damaged)

    assert message in str(raised.value)


def test_a_bad_amount_is_a_warning_naming_the_element() -> None:
    response = read_271(_segments(*HEAD, "EB*B*IND*AD*C1**27*2x5"))

    assert response.members[0].benefits[0].amount is None
    assert response.warnings == ('segment 13 (EB): EB07 "2x5" is not an amount',)

"""The shorthand parser: the lines clinicians write, read into a note's facts; nothing dropped."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.care.shorthand import (
    CaregiverTraining,
    Minutes,
    TableError,
    Writer,
    lexicon_from,
    parse_line,
    parse_lines,
)
from otclinic.domain.care.shorthand.goals import GoalRef, goal_measure
from otclinic.domain.care.shorthand.tokens import damerau_within_one


@pytest.mark.parametrize(
    ("text", "code", "minutes", "assist", "devices"),
    [
        (
            "ther act 15 standing tol w/ RW CGA 3x2min",
            "97530",
            Minutes(assistant=15),
            "contact_guard",
            ["walker"],
        ),
        ("ADL LB dressing 10 min min A", "97535", Minutes(assistant=10), "min_assist", []),
        ("97530 ot 8 ota 7", "97530", Minutes(therapist=8, assistant=7), None, []),
        (
            "ther ex 12 BUE AROM 2x10 mod I",
            "97110",
            Minutes(assistant=12),
            "modified_independent",
            [],
        ),
        ("NMR 8min sitting balance SBA", "97112", Minutes(assistant=8), "standby", []),
        (
            "w/c mgmt 10 tog 5 propulsion S",
            "97542",
            Minutes(assistant=10, together=5),
            "supervision",
            [],
        ),
        (
            "orthotic fit 20 resting hand splint I",
            "97760",
            Minutes(assistant=20),
            "independent",
            ["orthosis"],
        ),
        (
            "ADL dressng 15 minA w/ reacher + sock aid",
            "97535",
            Minutes(assistant=15),
            "min_assist",
            ["reacher", "sock_aid"],
        ),
        (
            "THER  ACT   10'  sit to stand  Mod A w/RW",
            "97530",
            Minutes(assistant=10),
            "mod_assist",
            ["walker"],
        ),
        (
            "ther act 20 min transfers max a x3 trials",
            "97530",
            Minutes(assistant=20),
            "max_assist",
            [],
        ),
        ("self care 12 toileting dep", "97535", Minutes(assistant=12), "dependent", []),
    ],
)
def test_lines_as_clinicians_write_them_are_read(
    text: str, code: str, minutes: Minutes, assist: str | None, devices: list[str]
) -> None:
    line = parse_line(text)

    assert (line.code, line.minutes, line.assist_level) == (code, minutes, assist)
    assert [d.equipment for d in line.devices] == devices
    assert line.unread == ()


def test_the_writers_role_gets_the_minutes_nobody_else_was_given() -> None:
    assert parse_line("ther ex 15", writer=Writer.OT).minutes == Minutes(therapist=15)
    assert parse_line("ther ex 15", writer=Writer.OTA).minutes == Minutes(assistant=15)


def test_a_dose_is_not_minutes() -> None:
    line = parse_line("ther ex 3x10 15 min 2 lbs")

    assert line.minutes == Minutes(assistant=15)
    assert line.dose == ("3x10", "2 lbs")


def test_caregiver_training_says_who_what_and_whether_shown_back() -> None:
    line = parse_line("cg trng dtr tub transfer w/ bench 12 return demo")

    assert line.code == "97550"
    assert line.minutes == Minutes(assistant=12)
    assert line.caregiver == CaregiverTraining("daughter", "tub transfer w/ bench", True)
    assert [d.equipment for d in line.devices] == ["tub_bench"]


def test_caregiver_training_without_return_demo() -> None:
    line = parse_line("caregiver ed spouse hip precautions 10")

    assert line.caregiver == CaregiverTraining("spouse", "hip precautions", False)


def test_the_plans_code_is_taken_first() -> None:
    assert parse_line("cg trng son 20").code == "97550"
    assert parse_line("cg trng son 20", planned=("97535", "97530")).code == "97535"
    assert parse_line("orthotic mgmt 15", planned=("97763",)).code == "97763"


def test_home_modifications_take_the_room_written_or_their_usual_one() -> None:
    line = parse_line("home safety 15 rec grab bars bathroom, RTS, ramp")

    assert [(m.modification, m.room) for m in line.modifications] == [
        ("grab_bars", "bathroom"),
        ("raised_toilet_seat", "bathroom"),
        ("ramp", "bathroom"),
    ]
    plain = parse_line("home safety 15 rec ramp")
    assert [(m.modification, m.room) for m in plain.modifications] == [("ramp", "entry")]


def test_a_tub_bench_recommended_is_a_home_modification_not_a_device_trained() -> None:
    line = parse_line("ADL 10 rec TTB")

    assert [m.modification for m in line.modifications] == ["tub_transfer_bench"]
    assert line.devices == ()


def test_what_is_not_known_stays_unread_in_order() -> None:
    line = parse_line("ther ex 12 BUE AROM pt c/o dizziness mod I 42 zzq")

    assert line.unread == ("c/o dizziness", "42 zzq")
    assert line.assist_level == "modified_independent"


def test_a_second_assist_level_is_left_for_the_clinician() -> None:
    line = parse_line("ther act 15 sit to stand min A toilet transfer CGA")

    assert line.assist_level == "min_assist"
    assert line.unread == ("CGA",)


def test_one_typo_in_a_long_word_is_mended() -> None:
    assert parse_line("ADL 10 dresing w/ reachr").devices[0].equipment == "reacher"
    assert damerau_within_one("trasnfer", "transfer")
    assert not damerau_within_one("trasnfre", "transfer")


def test_a_clinics_table_adds_phrases_and_wins() -> None:
    lexicon = lexicon_from(
        {"interventions": [{"codes": ["97535"], "category": "self_care_adl", "phrases": ["kitch"]}]}
    )

    assert parse_line("kitch 15 mod I", lexicon=lexicon).code == "97535"
    assert parse_line("kitch 15 mod I").unread == ("kitch",)


def test_a_table_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(TableError):
        lexicon_from({"assist": ["not", "a", "mapping"]})


def test_blank_lines_are_skipped() -> None:
    assert [line.code for line in parse_lines("ther ex 10\n\n  \nADL 5\n")] == ["97110", "97535"]


SHORTHANDISH = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "ther",
                "act",
                "ex",
                "ADL",
                "min",
                "A",
                "mod",
                "I",
                "w/",
                "RW",
                "ot",
                "ota",
                "tog",
                "15",
                "3x2",
                "cg",
                "trng",
                "dtr",
                "rec",
                "GB",
                "97530",
                "w/c",
                "'",
                ",",
                "(i)",
                "x",
                "return",
                "demo",
            ]
        ),
        st.text(max_size=8),
    ),
    max_size=14,
).map(" ".join)


@given(st.one_of(st.text(max_size=200), SHORTHANDISH))
def test_no_text_makes_the_parser_raise_and_every_character_is_read_or_unread(text: str) -> None:
    line = parse_line(text, writer=Writer.OT)

    covered = [False] * len(text)
    for piece in line.pieces:
        for at in range(piece.start, piece.end):
            assert not covered[at], "a character read twice"
            covered[at] = True
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))
    unread_pieces = [text[p.start : p.end] for p in line.pieces if p.kind == "unread"]
    assert "".join(unread_pieces) == "".join("".join(line.unread).split())


@given(SHORTHANDISH)
def test_minutes_are_never_negative_and_codes_are_known_or_written(text: str) -> None:
    line = parse_line(text)

    assert min(line.minutes.therapist, line.minutes.assistant, line.minutes.together) >= 0
    assert line.code is None or line.code.isalnum()


@pytest.mark.parametrize(
    ("text", "minutes", "dose"),
    [
        ("ADL x 15 min dressing", 15, ()),
        ("ther ex x15 min", 15, ()),
        ("ther ex 3 x 10 12 min", 12, ("3 x 10",)),
        ("ther act x3 trials 10", 10, ("x3 trials",)),
        ("ADL 20 LB dressing", 20, ()),
        ("ther ex 10 5 lb weights", 10, ("5 lb",)),
    ],
)
def test_times_and_pounds_are_told_from_minutes(
    text: str, minutes: int, dose: tuple[str, ...]
) -> None:
    line = parse_line(text)

    assert (line.minutes.assistant, line.dose) == (minutes, dose)


GOALS = [
    GoalRef("g1", "Dress upper body", "Dress upper body with modified independence", "points"),
    GoalRef("g2", "Lower-body dressing (FIM)", "Lower-body dressing with a reacher", "level"),
    GoalRef("g3", "Tub transfer (FIM)", "Safe tub-bench transfer", "level"),
]


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("ADL LB dressing 10 min min A", "g2", 4),
        ("ther act 15 tub transfer w/ bench CGA", "g3", 4),
        ("ADL UB dressing 10 mod I", "g1", None),
        ("ther ex 10 BUE AROM mod I", None, None),
        ("ADL LB dressing 10", None, None),
    ],
)
def test_a_line_with_an_assist_level_measures_the_goal_its_activity_names(
    text: str, key: str | None, value: int | None
) -> None:
    found = goal_measure(parse_line(text), GOALS)

    assert (found.key, found.value) == (key, value) if found else key is None

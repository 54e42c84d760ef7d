"""JSON input through `load_document`: whatever the bytes, a document or problems naming where,
never an exception; and the checks' command lines exit 2 with one line naming the problem."""

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otclinic.domain.compliance.jsonio import MAX_DEPTH, MAX_INT_DIGITS, load_document


def _nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_nesting_up_to_the_limit_reads_and_one_level_more_is_refused_naming_where() -> None:
    document, problems = load_document(_nested(MAX_DEPTH))
    assert problems == [] and document is not None

    assert load_document(_nested(MAX_DEPTH + 1)) == (
        None,
        [
            f"input: nested deeper than {MAX_DEPTH} arrays and objects at line 1 column {MAX_DEPTH + 1}"
        ],
    )


@pytest.mark.parametrize("levels", [1_000, 100_000])
def test_json_nested_far_too_deep_is_a_problem_not_a_recursion_error(levels: int) -> None:
    document, problems = load_document('{"a": ' * levels + "1" + "}" * levels)

    assert document is None
    assert problems == [
        f"input: nested deeper than {MAX_DEPTH} arrays and objects at line 1 column 385"
    ]


def test_brackets_inside_strings_are_not_nesting() -> None:
    text = json.dumps({"note": "[" * 500 + '\\"{' * 100})

    assert load_document(text) == (json.loads(text), [])


def test_an_integer_of_5000_digits_is_a_problem_not_a_value_error() -> None:
    assert load_document('{"therapist_minutes": ' + "9" * 5000 + "}") == (
        None,
        [f"input: a number of 5000 digits is too long (at most {MAX_INT_DIGITS} digits)"],
    )
    assert load_document("[-" + "1" * MAX_INT_DIGITS + "]") == ([-int("1" * MAX_INT_DIGITS)], [])


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(constant: str) -> None:
    assert load_document(f'{{"allowed_amount": {constant}}}') == (
        None,
        [f"input: {constant} is not a JSON number"],
    )


def test_a_nul_character_or_half_a_surrogate_pair_is_refused_naming_the_field() -> None:
    document, problems = load_document(
        '{"lines": [{"code": "975\\u000030"}], "n\\u0000ote": "x", "name": "\\ud800"}'
    )

    assert document is None
    assert problems == [
        "lines[0].code: holds a NUL character, which cannot be stored",
        "n\\0ote: holds a NUL character, which cannot be stored",
        "name: holds half of a surrogate pair, not text",
    ]


@settings(max_examples=200, deadline=None)
@given(
    raw=st.binary(max_size=300)
    | st.text(alphabet='[]{}"\\:,0123456789-.eE ntrufalsNI\u0000', max_size=300)
)
def test_any_input_gives_the_document_or_problems_naming_where_and_never_raises(
    raw: bytes | str,
) -> None:
    document, problems = load_document(raw)

    if problems:
        assert document is None
        assert all(": " in problem for problem in problems), problems
    else:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        assert document == json.loads(text)


def _cli(door: str, raw: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", "from otclinic.cli import main; main()", door, "check", "-"],
        input=raw,
        capture_output=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("door", ["billing", "episode"])
@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (
            _nested(1_000).encode(),
            f"input: nested deeper than {MAX_DEPTH} arrays and objects at line 1 column 65",
        ),
        (
            b'{"as_of": ' + b"7" * 5000 + b"}",
            f"input: a number of 5000 digits is too long (at most {MAX_INT_DIGITS} digits)",
        ),
    ],
    ids=["nested-1000", "int-5000-digits"],
)
def test_the_check_commands_exit_2_with_one_line_naming_the_problem(
    door: str, raw: bytes, line: str
) -> None:
    done = _cli(door, raw)

    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode() == line + "\n"

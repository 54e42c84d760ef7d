"""Whatever a file holds, the readers answer with a reading or an `X12ReadError`, never another
exception: every public sample is cut, spliced and sprinkled with stray characters."""

from hypothesis import given, settings
from hypothesis import strategies as st

from otclinic.domain.claims.x12.read_any import read_x12
from otclinic.domain.claims.x12.tokens import X12ReadError

from .samples import ACKS_277CA, ACKS_999, ELIGIBILITY_271, STATUS_277, text

SAMPLES = [text(path) for path in (*ACKS_999, *ACKS_277CA, *STATUS_277, *ELIGIBILITY_271)]
STRAY = st.sampled_from(
    ["*", ":", "^", "~", "\n", "", "ST", "SE*1*1", "HL*9*9*22*0", "STC", "EB", "X", "\x00", "é"]
)


@st.composite
def damaged(draw: st.DrawFn) -> str:
    original = draw(st.sampled_from(SAMPLES))
    edits = draw(
        st.lists(st.tuples(st.integers(0, len(original)), st.integers(0, 12), STRAY), max_size=4)
    )
    result = original
    for at, cut, stray in edits:
        at = min(at, len(result))
        result = result[:at] + stray + result[at + cut :]
    return result


@settings(max_examples=300, deadline=None)
@given(damaged())
def test_a_damaged_file_is_read_or_refused_never_a_crash(x12: str) -> None:
    answer = _read_or_refuse(x12)

    assert answer in {"999", "277CA", "277", "271"} or answer.startswith("segment "), answer


def _read_or_refuse(x12: str) -> str:
    """The kind of file read, or the refusal's message (any other exception escapes)."""
    try:
        return read_x12(x12).kind
    except X12ReadError as error:
        return str(error)

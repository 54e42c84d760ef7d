"""The applicant pipeline's moves, as a table: every (from, to) pair is either allowed or refused."""

import itertools

import pytest

from otclinic.domain.hiring.pipeline import ALLOWED_MOVES, Stage, board_moves, move_refusal

S = Stage
ALLOWED = {
    (S.APPLIED, S.SCREENED),
    (S.APPLIED, S.DECLINED),
    (S.SCREENED, S.INTERVIEWED),
    (S.SCREENED, S.APPLIED),
    (S.SCREENED, S.DECLINED),
    (S.INTERVIEWED, S.OFFERED),
    (S.INTERVIEWED, S.SCREENED),
    (S.INTERVIEWED, S.DECLINED),
    (S.OFFERED, S.HIRED),
    (S.OFFERED, S.DECLINED),
    (S.DECLINED, S.APPLIED),
    (S.DECLINED, S.SCREENED),
    (S.DECLINED, S.INTERVIEWED),
}
PAIRS = list(itertools.product(Stage, Stage))


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_each_move_is_allowed_exactly_when_the_table_says(current: Stage, target: Stage) -> None:
    refusal = move_refusal(current, target, reason="Took another position.")
    assert (refusal is None) == ((current, target) in ALLOWED), refusal


@pytest.mark.parametrize("current", [s for s in Stage if s != S.HIRED and s != S.DECLINED])
def test_any_stage_before_hired_may_be_declined_with_a_reason(current: Stage) -> None:
    assert move_refusal(current, S.DECLINED, reason="No show at interview") is None


@pytest.mark.parametrize("reason", ["", "   "])
def test_declining_without_a_reason_is_refused(reason: str) -> None:
    assert move_refusal(S.SCREENED, S.DECLINED, reason=reason) == (
        "Give the reason the applicant is declined."
    )


@pytest.mark.parametrize("current", [s for s in Stage if s != S.OFFERED])
def test_hired_only_from_offered(current: Stage) -> None:
    assert move_refusal(current, S.HIRED) is not None


@pytest.mark.parametrize("target", list(Stage))
def test_nothing_moves_a_hired_applicant(target: Stage) -> None:
    assert move_refusal(S.HIRED, target, reason="x") is not None


def test_a_declined_applicant_reopens_only_before_an_offer() -> None:
    assert ALLOWED_MOVES[S.DECLINED] == {S.APPLIED, S.SCREENED, S.INTERVIEWED}
    assert "not to offered" in (move_refusal(S.DECLINED, S.OFFERED) or "")


def test_skipping_a_stage_is_refused_and_says_where_it_can_go() -> None:
    assert move_refusal(S.APPLIED, S.INTERVIEWED) == (
        "An applicant who is applied can move to screened, declined; not to interviewed."
    )


def test_the_board_offers_the_allowed_moves_except_declining_and_hiring() -> None:
    assert board_moves(S.INTERVIEWED) == (S.SCREENED, S.OFFERED)
    assert board_moves(S.OFFERED) == ()
    assert board_moves(S.HIRED) == ()
    assert board_moves(S.DECLINED) == (S.APPLIED, S.SCREENED, S.INTERVIEWED)

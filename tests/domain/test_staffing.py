import pytest

from otclinic.domain.codes import Discipline, Role
from otclinic.domain.staffing import discipline_of, roles_of, takeover_problems


def test_an_assistant_practises_the_discipline_of_their_therapist() -> None:
    assert discipline_of(Role.OTA) == Discipline.OT
    assert discipline_of(Role.PTA) == Discipline.PT
    assert discipline_of(Role.BILLER) is None
    assert roles_of(Discipline.OT) == (Role.OT, Role.OTA)


@pytest.mark.parametrize(
    ("leaving", "taking_over", "episodes", "supervises", "refused"),
    [
        (Role.OT, Role.OT, True, True, ""),
        (Role.OT, Role.PT, False, False, "practises OT"),
        (Role.OT, Role.OTA, True, False, "Episodes need a therapist"),
        (Role.OT, Role.OTA, False, False, ""),
        (Role.OTA, Role.OT, False, False, ""),
        (Role.PT, Role.PT, True, True, "Only an OT may supervise"),
        (Role.BILLER, Role.OT, False, False, "no caseload"),
    ],
)
def test_who_may_take_over_a_caseload(
    leaving: Role, taking_over: Role, episodes: bool, supervises: bool, refused: str
) -> None:
    problems = takeover_problems(
        leaving=leaving, taking_over=taking_over, has_episodes=episodes, supervises=supervises
    )
    if refused:
        assert any(refused in p for p in problems), problems
    else:
        assert problems == []

"""Hooks (common.hooks): every question a lower app asks is answered once Django has started,
and a question nobody answers stops the caller instead of letting it skip a rule."""

import importlib
import pkgutil

import pytest

import otclinic.clinic
from otclinic.clinic.common.hooks import Hook, HookMissing, hook
from otclinic.clinic.jobs import periodic
from otclinic.clinic.jobs.kinds import KINDS, kind_for
from otclinic.clinic.jobs.models import JobKind


def _declared_hooks() -> dict[str, Hook]:  # type: ignore[type-arg]
    found = {}
    for info in pkgutil.walk_packages(otclinic.clinic.__path__, "otclinic.clinic."):
        if ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, Hook):
                found[value.name] = value
    return found


def test_the_apps_declare_their_hooks() -> None:
    names = set(_declared_hooks())
    assert "otclinic.clinic.scheduling.hooks.supervision_booking_problems" in names
    assert len(names) >= 9


@pytest.mark.parametrize("name", sorted(_declared_hooks()))
def test_every_hook_is_answered_by_its_app(name: str) -> None:
    declared = _declared_hooks()[name]
    answer = declared.answer
    assert answer.__module__.startswith(f"otclinic.clinic.{declared.provider}.")


def test_a_hook_nobody_answered_raises_and_names_the_app_that_should() -> None:
    @hook(provider="revenue")
    def question(*, x: int) -> int:
        """A question."""
        raise NotImplementedError

    with pytest.raises(HookMissing, match="the revenue app registers it"):
        question(x=1)
    question.register(lambda *, x: x + 1)
    assert question(x=1) == 2


def test_every_job_kind_and_every_periodic_job_is_registered() -> None:
    assert set(KINDS) == set(JobKind)
    assert [p.name for p in periodic.schedule()] and set(periodic.BY_NAME) == set(
        periodic.SCHEDULE_NAMES
    )


def test_a_missing_periodic_job_stops_the_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        periodic, "BY_NAME", {k: v for k, v in periodic.BY_NAME.items() if k != "credential-alerts"}
    )
    with pytest.raises(HookMissing, match="credential-alerts"):
        periodic.schedule()


def test_a_job_kind_nobody_registered_cannot_be_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("otclinic.clinic.jobs.kinds.KINDS", {})
    with pytest.raises(HookMissing, match="charges"):
        kind_for(JobKind.CHARGES)

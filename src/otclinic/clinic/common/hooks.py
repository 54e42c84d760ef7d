"""Hooks: a lower app asks a question that only an app above it can answer.

Apps import only from the layers below them (docs/architecture.md, enforced by `lint-imports`).
When a rule in a lower app needs an upper app's answer (booking asks supervision whether an
OTA has a written plan in force), the lower app declares the question as a hook, a stub whose
signature and docstring say what is asked, and the upper app registers the function that
answers it in its `AppConfig.ready()`:

    # scheduling/hooks.py (lower)
    @hook(provider="supervision")
    def supervision_booking_problems(*, clinician: Any, clinic: Any, day: dt.date) -> list[str]:
        \"\"\"Why supervision rules forbid booking `clinician` at `clinic` on `day`.\"\"\"

    # supervision/apps.py (upper), in ready()
    supervision_booking_problems.register(gate.booking_problems)

Calling a hook that nobody registered raises `HookMissing` (an `ImproperlyConfigured`): a rule
is never skipped because the app that decides it is not installed.
"""

from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

from django.core.exceptions import ImproperlyConfigured

P = ParamSpec("P")
R = TypeVar("R")


class HookMissing(ImproperlyConfigured):
    """A hook was called before any app registered its answer."""


class Hook(Generic[P, R]):
    """A question a lower app asks, answered by the one function an upper app registers."""

    def __init__(self, stub: Callable[P, R], *, provider: str) -> None:
        self.name = f"{stub.__module__}.{stub.__qualname__}"
        self.provider = provider
        self.__doc__ = stub.__doc__
        self._answer: Callable[P, R] | None = None

    def register(self, answer: Callable[P, R]) -> Callable[P, R]:
        """Name the function that answers (once; registering again replaces it)."""
        self._answer = answer
        return answer

    @property
    def answer(self) -> Callable[P, R]:
        """The registered function; `HookMissing` when there is none."""
        if self._answer is None:
            raise HookMissing(
                f"{self.name}: nothing is registered; the {self.provider} app registers it in "
                f"its AppConfig.ready() (is otclinic.clinic.{self.provider} installed?)"
            )
        return self._answer

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.answer(*args, **kwargs)


def hook(*, provider: str) -> Callable[[Callable[P, R]], Hook[P, R]]:
    """Declare the decorated stub as a hook that the `provider` app answers."""

    def declare(stub: Callable[P, R]) -> Hook[P, R]:
        return Hook(stub, provider=provider)

    return declare

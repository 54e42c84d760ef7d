"""What is wrong with the facts given to the writer, each problem naming its field."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One field that cannot be written, e.g. `claims[3].lines[1].modifiers`, and why."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidClaims(ValueError):
    """Raised before anything is written; `problems` lists every field to fix."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        shown = "; ".join(str(problem) for problem in problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the claims: {shown}{more}")

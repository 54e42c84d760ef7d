"""A report's numbers as one table: the page shows it beside the plot, the CSV is its rows.

Both are drawn from the same `Table`, so the downloaded file says what the page says.
"""

from dataclasses import dataclass, field
from decimal import Decimal

Value = str | int | Decimal | None


@dataclass(frozen=True)
class Cell:
    value: Value
    # The list behind a count: a `rows` kind and its extra query (None: no list).
    link: str | None = None

    @property
    def text(self) -> str:
        """How the value is written, on the page and in the file."""
        if self.value is None:
            return ""
        return str(self.value)


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)

    def add(self, *values: Value | Cell) -> None:
        self.rows.append(tuple(v if isinstance(v, Cell) else Cell(v) for v in values))

    def as_csv_rows(self) -> list[list[str]]:
        return [list(self.columns), *[[cell.text for cell in row] for row in self.rows]]


def rate(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` as a percentage to one decimal (None when there is no denominator)."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def average(total: int, count: int) -> Decimal | None:
    if count == 0:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"))

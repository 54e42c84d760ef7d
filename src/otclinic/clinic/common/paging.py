"""Pages of a long list: a fixed number of rows per page, however large the clinic grows.

A list that grows with the patients (claims, denials, balances, the clinic's day) shows one page
of rows, the total count, and links to the pages before and after, which keep every other
parameter of the query string (the list's filters).
"""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 25


@dataclass(frozen=True)
class Pager:
    """One page of a list, and the query string its links carry (without the page number)."""

    page: Page[Any]
    param: str
    query: str

    @property
    def rows(self) -> Any:
        return self.page.object_list

    @property
    def count(self) -> int:
        return int(self.page.paginator.count)

    def link(self, number: int) -> str:
        return f"?{self.query}{'&' if self.query else ''}{self.param}={number}"

    @property
    def previous_url(self) -> str:
        return self.link(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.link(self.page.next_page_number()) if self.page.has_next() else ""


def paginate(
    request: HttpRequest,
    rows: Any,
    *,
    per_page: int = PER_PAGE,
    param: str = "page",
    default: int = 1,
    count: int | None = None,
) -> Pager:
    """The page of `rows` the query string names (`param`), else page `default`; a page number
    out of range or not a number gives the nearest page rather than an error. `count`, when the
    caller knows it already, is how many rows there are (no query counts them again)."""
    query = request.GET.copy()
    number = query.pop(param, [default])[-1]
    paginator = Paginator(rows, per_page)
    if count is not None:
        paginator.count = count  # sets the cached property
    page = paginator.get_page(number)
    return Pager(page=page, param=param, query=query.urlencode())

"""Every page a role can reach, checked with axe-core.

`walk_pages` follows the links a signed-in person sees, from their home page outwards, the way
someone clicking through the app would, and keeps one page per route (ids, dates and free-text
query values are folded, so a list of 50 patients is one route, not 50). `axe_violations` runs
axe-core (Deque's engine, as axe-playwright-python ships it) on a page and returns every
violation, whatever its impact.
"""

import re
from collections import deque
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

_AXE = Axe()

# Links that are not pages: signing out, files, the Django admin (no clinic role reaches it).
_NOT_A_PAGE = re.compile(
    r"^/(static/|media/|admin/|logout)|\.(pdf|csv|x12|txt|edi|ics|json|png|svg|zip)$|"
    r"/(download|export|pdf|feed|file|print)(/|$)"
)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_FOLDED_SEGMENT = re.compile(r"^(\d+|\d{4}-\d{2}-\d{2}|[0-9A-Z]{6,})$")
_KEPT_VALUE = re.compile(r"^[a-z_]{1,16}$")

_LINKS_JS = """
() => Array.from(document.querySelectorAll('a[href]'))
  .map(a => a.href)
  .filter(href => href.startsWith(location.origin))
"""


@dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        where = ", ".join(self.targets[:3])
        more = f" (+{len(self.targets) - 3} more)" if len(self.targets) > 3 else ""
        return f"{self.page}: [{self.impact}] {self.rule}: {self.help} at {where}{more}"


def route_of(url: str) -> str:
    """The route a URL belongs to: ids and dates folded, query keys kept with their
    one-word values (`view=week`), other values folded."""
    parts = urlsplit(url)
    segments = [
        "{id}" if _UUID.match(s) or _FOLDED_SEGMENT.match(s) else s for s in parts.path.split("/")
    ]
    query = sorted(
        f"{key}={value if _KEPT_VALUE.match(value) else '*'}"
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key != "page"
    )
    return "/".join(segments) + ("?" + "&".join(query) if query else "")


def walk_pages(page: Page, start: str = "/", limit: int = 60) -> tuple[list[str], list[Violation]]:
    """The paths of the pages reachable by links from `start` (one per route), in the order
    a breadth-first walk finds them, and axe-core's violations on each as it was found.
    Every page must answer 200 with HTML."""
    seen_routes: set[str] = set()
    found: list[str] = []
    violations: list[Violation] = []
    queue: deque[str] = deque([start])
    origin = ""
    while queue and len(found) < limit:
        path = queue.popleft()
        route = route_of(path)
        if route in seen_routes:
            continue
        seen_routes.add(route)
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" in error.message:
                continue  # a file (an 837P batch, a statement), not a page
            raise
        assert response is not None, f"no response for {path}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        assert response.status == 200, f"{path} answered {response.status}"
        _settle(page)
        found.append(path)
        violations += _axe(page, path)
        origin = origin or _origin(page.url)
        for href in page.evaluate(_LINKS_JS):
            link = href.removeprefix(origin).split("#", 1)[0]
            if (
                link
                and not _NOT_A_PAGE.search(urlsplit(link).path)
                and route_of(link) not in seen_routes
            ):
                queue.append(link)
    return found, violations


def axe_violations(page: Page, path: str) -> list[Violation]:
    """Every axe-core violation on the page at `path`, of any impact."""
    page.goto(path)
    _settle(page)
    return _axe(page, path)


def _settle(page: Page) -> None:
    """Wait until the page has loaded and no htmx request (a panel loading itself) is out."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def _axe(page: Page, path: str) -> list[Violation]:
    results = _AXE.run(page)
    return [
        Violation(
            page=path,
            rule=item["id"],
            impact=item.get("impact") or "unknown",
            help=item["help"],
            targets=tuple(str(node["target"]) for node in item["nodes"]),
        )
        for item in results.response["violations"]
    ]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"

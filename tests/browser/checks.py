"""What a person does in the browser, and what a page must offer them, as reusable steps."""

import re

from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.demo_data import Login

TABLET_LANDSCAPE: ViewportSize = {"width": 1024, "height": 768}
TABLET_PORTRAIT: ViewportSize = {"width": 768, "height": 1024}
MIN_TOUCH_TARGET_PX = 44  # WCAG 2.5.5 target size; the common tablet guideline


def sign_in(page: Page, login: Login) -> None:
    """Sign in through the real sign-in page, as a person would."""
    page.goto("/login/")
    page.get_by_label("Username").fill(login.username)
    page.get_by_label("Password").fill(login.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def go_to(page: Page, name: str) -> None:
    """Follow the main navigation's link `name`, opening the menu it sits in first when it
    is not one of the links always in view."""
    nav = page.get_by_role("navigation", name="Main")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        # A closed menu's links are outside the accessibility tree: find the menu by its markup.
        exactly = re.compile(rf"^\s*{re.escape(name)}\s*$")
        menu = nav.locator("details.menu").filter(has=page.locator("a", has_text=exactly))
        menu.locator("summary").click()
    link.click()


def expect_signed_in(page: Page) -> None:
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


# A control counts as labelled when it has a <label> with text (by `for=` or by wrapping it),
# a non-empty aria-label, or an aria-labelledby pointing at text. Placeholders do not count.
_UNLABELLED_CONTROLS_JS = """
() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
  .filter(el => {
    const byLabel = Array.from(el.labels || []).some(l => l.textContent.trim() !== '');
    const byAria = (el.getAttribute('aria-label') || '').trim() !== '';
    const byIds = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .some(id => (document.getElementById(id)?.textContent || '').trim() !== '');
    return !(byLabel || byAria || byIds);
  })
  .map(el => `<${el.tagName.toLowerCase()} name="${el.name}" id="${el.id}">`)
"""


def unlabelled_controls(page: Page) -> list[str]:
    """Form controls on the page that a screen reader could not name."""
    return list(page.evaluate(_UNLABELLED_CONTROLS_JS))


def horizontal_overflow_px(page: Page) -> int:
    """How far the page scrolls sideways (0 when everything fits the viewport's width)."""
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def widest_elements(page: Page, limit: int = 5) -> list[str]:
    """The elements sticking out past the viewport's right edge, to say what to fix."""
    return list(
        page.evaluate(
            """(limit) => {
              const width = document.documentElement.clientWidth;
              return Array.from(document.querySelectorAll('body *'))
                .filter(el => el.getBoundingClientRect().right > width + 0.5)
                .slice(-limit)
                .map(el => `${el.tagName.toLowerCase()}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`);
            }""",
            limit,
        )
    )


def small_touch_targets(page: Page, selector: str) -> list[str]:
    """Visible elements matching `selector` smaller than the minimum touch target either way."""
    return list(
        page.evaluate(
            """([selector, minimum]) => Array.from(document.querySelectorAll(selector))
                .filter(el => el.offsetParent !== null)
                .map(el => [el, el.getBoundingClientRect()])
                .filter(([el, box]) => box.height < minimum || box.width < minimum)
                .map(([el, box]) => `${el.tagName.toLowerCase()} "${el.textContent.trim()}" is ${box.width.toFixed(1)}x${box.height.toFixed(1)}px`)""",
            [selector, MIN_TOUCH_TARGET_PX],
        )
    )

"""Steps on the daily-note page that several browser walks take the same way."""

from playwright.sync_api import Page, expect


def note_line(page: Page, i: int, code: str, category: str, ota_minutes: int) -> None:
    """Fill intervention line `i` with a code, a category and the OTA's minutes (a new line
    of a note that has lines already is behind "Add an intervention")."""
    field = page.locator(f'[name="lines-{i}-code"]')
    expect(field).to_be_attached()
    if not field.is_visible():
        page.locator("details.add-row").filter(has=field).locator("> summary").click()
    field.select_option(code)
    page.locator(f'[name="lines-{i}-category"]').select_option(category)
    page.locator(f'[name="lines-{i}-assistant_minutes"]').fill(str(ota_minutes))


def open_section(page: Page, heading: str) -> None:
    """Open one of the note's folded sections (equipment, home changes, caregiver training)."""
    summary = page.locator("details.section > summary", has_text=heading)
    if summary.locator("xpath=..").get_attribute("open") is None:
        summary.click()


def sign_for_cosignature(page: Page) -> None:
    """Sign the note and see it sent to the supervising OT's queue."""
    page.get_by_role("button", name="Sign note").click()
    expect(page.get_by_role("status")).to_contain_text("Sent for co-signature")


def train_reacher_and_recommend_grab_bars(page: Page) -> None:
    """The structured sections of a visit with equipment training and a home modification."""
    open_section(page, "Adaptive equipment and technology trained")
    open_section(page, "Environmental modifications recommended")
    page.locator('[name="equipment-0-equipment"]').select_option("reacher")
    page.locator('[name="equipment-0-independence"]').select_option("min_assist")
    page.locator('[name="environment-0-modification"]').select_option("grab_bars")
    page.locator('[name="environment-0-room"]').select_option("bathroom")
    page.locator('[name="environment-0-rationale"]').fill("reduce fall risk at tub transfers")


def fill_from_shorthand(page: Page, lines: list[str]) -> None:
    """Type shorthand, one intervention a line, and let "Fill" add the note's rows."""
    box = page.get_by_label("Shorthand: one intervention a line")
    box.fill("\n".join(lines))
    page.get_by_role("button", name="Fill", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="added below")).to_be_visible()

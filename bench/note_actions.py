"""Count the user actions needed to complete a follow-up note with carry-forward (issues 4, 17).

An established Medicare patient in an Ohio clinic: the OTA's last note listed three
interventions (97530, 97535, 97110) and one goal (grip strength, kg). Today's appointment is on
the OTA's caseload. The script signs in as the OTA, starts the note from the caseload, and
completes it four ways, each on its own patient and clinic:

- "fields": enters today's minutes for the three carried-forward interventions and today's grip
  measure field by field, and signs (issue 4's path; target <= 15);
- "shorthand_fill": types today's four shorthand lines in the Shorthand box as one entry
  (`ther act 23 ...`, `ADL 15 ...`, `ther ex 8 ...`, `grip 21.5 kg`), presses Fill (which fills
  the carried-forward rows and the goal's measure in place), and signs (the first shorthand
  path of issue 17, kept for comparison);
- "shorthand_as_typed": the same four lines; the rows fill as they are typed (the box is read
  after a pause in typing), so there is no Fill to press; the script waits until the page says
  what it filled and checks the rows before it signs, as the clinician reads them;
- "remembered_as_typed": the same, on the OTA's own tablet where an earlier sign-in ticked
  "Remember me on this device": the username is already in the sign-in form and only the
  password is typed. That earlier sign-in (and its sign-out) is another day's session and is
  not counted.

What counts: every click, select, check and field entry is one action, whatever it types;
opening the app's address does not. Typing several lines into one box is one field entry, as
typing a long narrative is; it is not free (the script types every character of it), but it is
one place the OTA goes to, which is what the count measures. Waiting for the page is not an
action; reading the filled rows before signing is the clinician's review, which no path skips.

Two counts are printed per path:

- with sign-in (username, password, Sign in; the password and Sign in only when the username
  is remembered): a note written alone, the way issue 17's "today 9" was counted and its
  target of 5 is met;
- per note, without sign-in: an OTA signs in once at the start of a session and then writes
  the notes of a caseload one after another.

Run by hand (needs Chromium at /usr/bin/chromium or $OTCLINIC_CHROMIUM):

    .venv/bin/python bench/note_actions.py

It builds a throwaway SQLite database, serves it with Django's development server, and prints
one JSON line per path with both counts and the steps.
"""

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("OTCLINIC_CHROMIUM", "/usr/bin/chromium")


def setup_database() -> dict[str, dict[str, str]]:
    """In the child: migrate, then one clinic per path, each with an established patient,
    a signed note and today's visit."""
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    return {path: _established_patient() for path in PATHS}


def _established_patient() -> dict[str, str]:
    from django.utils import timezone
    from tests.clinic import factories as f
    from tests.clinic.care.notes.builders import practice

    from otclinic.clinic.care.services import notes as svc

    p = practice(state="OH")
    last = svc.note_start(
        user=p.ota, episode=p.episode, date_of_service=timezone.localdate() - dt.timedelta(days=2)
    )
    last = svc.note_save(
        user=p.ota,
        note=last,
        revision=last.revision,
        content=svc.NoteContent(
            lines=(
                svc.LineInput("97530", "therapeutic_activity", assistant_minutes=23),
                svc.LineInput("97535", "self_care_adl", assistant_minutes=15),
                svc.LineInput("97110", "therapeutic_exercise", assistant_minutes=10),
            ),
            goals=(svc.GoalInput(p.grip.pk, Decimal("20")),),
            plan_next_visit="Continue ADL retraining",
        ),
    )
    svc.note_sign(user=p.ota, note=last, revision=last.revision)
    starts = timezone.now().replace(minute=0, second=0, microsecond=0)
    f.AppointmentFactory(
        patient=p.episode.patient,
        clinician=p.ota.staff_profile,
        episode=p.episode,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=60),
    )
    return {"username": p.ota.username, "password": f.PASSWORD}


class Counter:
    """Wraps the page's actions so each one a person would do is counted and named."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.steps: list[str] = []

    def act(self, what: str, locator: object, method: str, *args: object) -> None:
        getattr(locator, method)(*args)
        self.steps.append(what)


SIGN_IN_STEPS = {"type username", "type password", "sign in"}
SHORTHAND = [
    "ther act 23 standing tol w/ RW CGA",
    "ADL 15 LB dressing min A",
    "ther ex 8 BUE AROM",
    "grip 21.5 kg",
]


def by_fields(page: Any, count: Counter) -> None:
    for i, minutes in enumerate(("23", "15", "8")):
        field = page.locator(f'[name="lines-{i}-assistant_minutes"]')
        count.act(f"minutes of line {i + 1}", field, "fill", minutes)
    count.act("goal measure", page.locator('[name="goals-0-value"]'), "fill", "21.5")


def _rows_filled(page: Any) -> None:
    """What the clinician reads before signing: the carried-forward rows were filled in
    place (no row was added for a carried code) and the goal's measure is today's."""
    from playwright.sync_api import expect

    expect(page.get_by_role("status").filter(has_text="added below")).to_be_visible()
    expect(page.locator('[name="lines-2-assistant_minutes"]')).to_have_value("8")
    expect(page.locator('[name="goals-0-value"]')).to_have_value("21.5")


def _type_shorthand(page: Any, count: Counter) -> None:
    box = page.get_by_label("Shorthand: one intervention a line")
    count.act("type the shorthand lines", box, "fill", "\n".join(SHORTHAND))


def by_shorthand_fill(page: Any, count: Counter) -> None:
    _type_shorthand(page, count)
    count.act("fill", page.get_by_role("button", name="Fill", exact=True), "click")
    _rows_filled(page)


def by_shorthand_as_typed(page: Any, count: Counter) -> None:
    _type_shorthand(page, count)
    _rows_filled(page)


@dataclass(frozen=True)
class Path:
    fill: Callable[[Any, Counter], None]
    remembered: bool = False
    target: int = 5


PATHS: dict[str, Path] = {
    "fields": Path(by_fields, target=15),
    "shorthand_fill": Path(by_shorthand_fill),
    "shorthand_as_typed": Path(by_shorthand_as_typed),
    "remembered_as_typed": Path(by_shorthand_as_typed, remembered=True),
}


def remember_on_this_device(page: Any, login: dict[str, str]) -> None:
    """An earlier day's sign-in on this tablet with "Remember me" ticked, then its sign-out."""
    page.goto("/login/")
    page.get_by_label("Username").fill(login["username"])
    page.get_by_label("Password").fill(login["password"])
    page.get_by_label("Remember me on this device").check()
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").click()


def sign_in(page: Any, count: Counter, login: dict[str, str], *, remembered: bool) -> None:
    from playwright.sync_api import expect

    page.goto("/login/")
    if remembered:
        expect(page.get_by_label("Username")).to_have_value(login["username"])
    else:
        count.act("type username", page.get_by_label("Username"), "fill", login["username"])
    count.act("type password", page.get_by_label("Password"), "fill", login["password"])
    count.act("sign in", page.get_by_role("button", name="Sign in"), "click")


def drive(url: str, login: dict[str, str], path: str) -> list[str]:
    from playwright.sync_api import expect, sync_playwright

    how = PATHS[path]
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1024, "height": 768}, base_url=url)
        if how.remembered:
            remember_on_this_device(page, login)
        count = Counter(page)
        sign_in(page, count, login, remembered=how.remembered)
        count.act("open today's note", page.get_by_role("button", name="Note"), "click")
        how.fill(page, count)
        count.act("sign", page.get_by_role("button", name="Sign note"), "click")
        expect(page.get_by_role("status")).to_contain_text("Signed and locked.")
        browser.close()
    return count.steps


def report(path: str, steps: list[str]) -> dict[str, Any]:
    target = PATHS[path].target
    sign_in_actions = sum(step in SIGN_IN_STEPS for step in steps)
    per_note = len(steps) - sign_in_actions
    return {
        "path": path,
        "actions_with_sign_in": len(steps),
        "actions_per_note_signed_in": per_note,
        "target": target,
        "met_with_sign_in": len(steps) <= target,
        "met_per_note": per_note <= target,
        "steps": steps,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, seconds: float = 120) -> None:
    """Until the development server answers (it starts slowly on a busy machine)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    sys.exit(f"the development server did not answer on port {port} in {seconds:.0f} s")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--setup":
        print(json.dumps(setup_database()))
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "otclinic.config.settings",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        }
        made = subprocess.run(
            [sys.executable, __file__, "--setup"], env=env, capture_output=True, text=True
        )
        if made.returncode:
            sys.exit(made.stderr)
        logins = json.loads(made.stdout.strip().splitlines()[-1])
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                str(REPO / "manage.py"),
                "runserver",
                "--noreload",
                f"127.0.0.1:{port}",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(port)
            found = {p: drive(f"http://127.0.0.1:{port}", logins[p], p) for p in PATHS}
        finally:
            server.terminate()
            server.wait(timeout=10)
    for path, steps in found.items():
        print(json.dumps(report(path, steps)))


if __name__ == "__main__":
    main()

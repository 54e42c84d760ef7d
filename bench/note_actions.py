"""Count the user actions needed to complete a follow-up note with carry-forward (issue 4).

An established Medicare patient in an Ohio clinic: the OTA's last note listed three
interventions (97530, 97535, 97110) and one goal. Today's appointment is on the OTA's caseload.
The script signs in as the OTA, starts the note from the caseload, enters today's minutes for
the three carried-forward interventions and today's goal measure, and signs. Every click, select,
check and field entry counts as one action; opening the app's address does not. Target: <= 15.

Run by hand (needs Chromium at /usr/bin/chromium or $OTCLINIC_CHROMIUM):

    .venv/bin/python bench/note_actions.py

It builds a throwaway SQLite database, serves it with Django's development server, and prints
a JSON line with the count and the steps.
"""

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("OTCLINIC_CHROMIUM", "/usr/bin/chromium")


def setup_database() -> dict[str, str]:
    """In the child: migrate, then an established patient with a signed note and today's visit."""
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", "--no-input", verbosity=0)
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


def drive(url: str, login: dict[str, str]) -> list[str]:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1024, "height": 768}, base_url=url)
        count = Counter(page)
        page.goto("/login/")
        count.act("type username", page.get_by_label("Username"), "fill", login["username"])
        count.act("type password", page.get_by_label("Password"), "fill", login["password"])
        count.act("sign in", page.get_by_role("button", name="Sign in"), "click")
        count.act("open today's note", page.get_by_role("button", name="Note"), "click")
        for i, minutes in enumerate(("23", "15", "8")):
            field = page.locator(f'[name="lines-{i}-assistant_minutes"]')
            count.act(f"minutes of line {i + 1}", field, "fill", minutes)
        count.act("goal measure", page.locator('[name="goals-0-value"]'), "fill", "21.5")
        count.act("sign", page.get_by_role("button", name="Sign note"), "click")
        expect(page.get_by_role("status")).to_contain_text("Signed and locked.")
        browser.close()
    return count.steps


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
        login = json.loads(made.stdout.strip().splitlines()[-1])
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
            time.sleep(3)
            steps = drive(f"http://127.0.0.1:{port}", login)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(json.dumps({"actions": len(steps), "target": 15, "steps": steps}))


if __name__ == "__main__":
    main()

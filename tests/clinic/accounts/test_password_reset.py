"""Password reset answers alike for known and unknown addresses, and e-mails only the known."""

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otclinic.clinic.jobs.worker import run_queued_tasks
from tests.clinic import factories as f
from tests.clinic.mail import emails_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def ot() -> Any:
    user = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    user.email = "ot@example.org"
    user.save()
    return user


def _ask(client: Client, email: str) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/password-reset/", {"email": email})
    shape = [q["sql"].split(" ")[0] + q["sql"].split(" FROM ")[-1][:30] for q in queries]
    return response, shape


def test_known_and_unknown_addresses_get_the_same_answer_by_the_same_work(ot: Any) -> None:
    known, known_shape = _ask(Client(), "OT@example.org")
    unknown, unknown_shape = _ask(Client(), "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/password-reset/sent/"
    assert known_shape == unknown_shape
    assert not mail.outbox  # the e-mail leaves in a job, not in the request


def test_the_job_emails_a_working_link_to_the_known_address_only(client: Client, ot: Any) -> None:
    client.post("/password-reset/", {"email": "nobody@example.org"})
    client.post("/password-reset/", {"email": "ot@example.org"})
    with emails_sent():  # the reset job looks the address up and queues the email
        run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["ot@example.org"]]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert form.status_code == 200
    assert "Set a new password" in form.content.decode()
    new = "a-long-new-passphrase-42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/password-reset/done/"
    ot.refresh_from_db()
    assert ot.check_password(new)


def test_a_bad_address_is_named(client: Client) -> None:
    response = client.post("/password-reset/", {"email": "not-an-address"})
    assert response.status_code == 422
    assert "E-mail address: Enter a valid email address." in response.content.decode()


def test_asking_too_often_is_throttled(client: Client, settings: Any) -> None:
    settings.OTCLINIC_THROTTLE_RATES = {**settings.OTCLINIC_THROTTLE_RATES, "password_reset": "3/h"}
    statuses = [
        client.post("/password-reset/", {"email": f"x{i}@example.org"}).status_code
        for i in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    # One address from many clients is throttled too.
    others = [
        Client(REMOTE_ADDR=f"203.0.113.{i}").post("/password-reset/", {"email": "ot@example.org"})
        for i in range(4)
    ]
    assert [r.status_code for r in others] == [302, 302, 302, 429]

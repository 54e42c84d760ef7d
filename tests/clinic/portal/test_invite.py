"""The staff's portal-access section: consent, invitation, set-password link, revocation."""

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.jobs.worker import run_queued_tasks
from otclinic.clinic.patients.models import Consent, PortalAccess
from otclinic.clinic.portal import services
from tests.clinic import factories as f
from tests.clinic.portal.helpers import contact_for

pytestmark = pytest.mark.django_db
PASSWORD = "Marigold-Ladder-92"


@pytest.fixture
def patient(db: None) -> Any:
    return f.PatientFactory(email="pat@example.org")


@pytest.fixture
def desk(patient: Any) -> Any:
    return f.staff_user(organization=patient.organization, role="front_desk")


def _section(patient: Any) -> str:
    return f"/portal/access/{patient.pk}/"


def _link(message: Any) -> str:
    found = re.search(r"http://\S+", message.body)
    assert found, message.body
    return found.group(0).split("://", 1)[1].split("/", 1)[1]


def test_the_patient_is_invited_sets_a_password_and_lands_in_the_portal(
    client: Client, patient: Any, desk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _section(patient) + "invite/", {"who": "self", "email": "Pat@Example.org"}
        )
    assert response.status_code == 302
    assert mail.outbox == []  # the invitation leaves in a background job
    run_queued_tasks()
    login = User.objects.get(username="pat@example.org")
    assert login.role == "patient" and not login.has_usable_password()
    assert [m.to for m in mail.outbox] == [["pat@example.org"]]
    body = mail.outbox[0].body + mail.outbox[0].subject
    for phi in (patient.first_name, patient.last_name, patient.mrn, str(patient.birth_date)):
        assert phi not in body
    client.logout()
    landing = client.get("/" + _link(mail.outbox[0]))
    assert landing.status_code == 302 and landing["Location"] == "/welcome/"
    form = client.get("/welcome/")
    token = _link(mail.outbox[0]).rsplit("t=", 1)[1]
    assert form.status_code == 200 and token not in form.content.decode()
    done = client.post("/welcome/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/portal/"
    assert patient.last_name in client.get("/portal/").content.decode()
    client.logout()
    # The link works once.
    again = client.get("/" + _link(mail.outbox[0]))
    assert "already been used" in client.get(again["Location"]).content.decode()


def test_inviting_twice_makes_one_login_and_one_access_and_resends_the_link(
    patient: Any, desk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = services.portal_invite(user=desk, patient=patient, contact=None, email="p@x.org")
        second = services.portal_invite(user=desk, patient=patient, contact=None, email="p@x.org")
    assert first.user == second.user and first.access == second.access
    assert first.created and not second.created
    assert PortalAccess.objects.filter(patient=patient).count() == 1
    run_queued_tasks()
    assert len(mail.outbox) == 2


def test_a_login_with_a_password_is_given_the_access_without_a_new_link(
    patient: Any, desk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = services.portal_invite(user=desk, patient=patient, contact=None, email="p@x.org")
    first.user.set_password(PASSWORD)
    first.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.portal_invite(user=desk, patient=patient, contact=None, email="p@x.org")
    run_queued_tasks()
    assert (first.emailed, again.emailed) == (True, False)
    assert len(mail.outbox) == 1


def test_a_caregiver_needs_a_consent_in_force_before_the_invitation(
    patient: Any, desk: Any
) -> None:
    contact = contact_for(patient)
    with pytest.raises(ValidationFailed) as refused:
        services.portal_invite(user=desk, patient=patient, contact=contact, email="r@x.org")
    assert "consent" in refused.value.errors["contact"][0]
    assert not User.objects.filter(username="r@x.org").exists()
    consent = services.consent_record(
        user=desk,
        patient=patient,
        contact=contact,
        scopes=["home_program"],
        signed_on=timezone.localdate(),
    )
    invitation = services.portal_invite(
        user=desk, patient=patient, contact=contact, email="r@x.org"
    )
    assert invitation.user.role == "caregiver"
    assert invitation.access.contact == contact and invitation.access.consent == consent


def test_the_same_consent_recorded_twice_is_one_row(patient: Any, desk: Any) -> None:
    contact = contact_for(patient)
    values = {
        "contact": contact,
        "scopes": ["goals", "messages"],
        "signed_on": timezone.localdate(),
    }
    one = services.consent_record(user=desk, patient=patient, **values)
    two = services.consent_record(
        user=desk, patient=patient, **values | {"scopes": ["messages", "goals"]}
    )
    assert one == two and Consent.objects.filter(patient=patient).count() == 1


def test_revoking_twice_keeps_the_first_date(patient: Any, desk: Any) -> None:
    consent = services.consent_record(
        user=desk,
        patient=patient,
        contact=contact_for(patient),
        scopes=["goals"],
        signed_on=timezone.localdate(),
    )
    services.consent_revoke(user=desk, consent=consent)
    first = Consent.objects.get(pk=consent.pk).revoked_on
    services.consent_revoke(user=desk, consent=Consent.objects.get(pk=consent.pk))
    assert Consent.objects.get(pk=consent.pk).revoked_on == first == timezone.localdate()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"scopes": []}, "scopes", "Choose at least one thing to share."),
        ({"expires_on": "2020-01-01"}, "expires_on", "cannot be before the signing day"),
        ({"signed_on": "2999-01-01"}, "signed_on", "cannot be signed in the future"),
        ({"scopes": ["everything"]}, "scopes", "Select a valid choice"),
    ],
)
def test_a_bad_consent_answers_422_naming_the_field_and_writes_nothing(
    client: Client, patient: Any, desk: Any, data: dict[str, Any], field: str, message: str
) -> None:
    contact = contact_for(patient)
    client.force_login(desk)
    form = {"contact": str(contact.pk), "scopes": ["goals"], "signed_on": "2026-01-05"} | data
    response = client.post(_section(patient) + "consents/", form)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}_error"' in body
    assert f'aria-describedby="id_{field}_error"' in body
    assert not Consent.objects.filter(patient=patient).exists()


def test_a_bad_email_is_refused_with_the_field_named(
    client: Client, patient: Any, desk: Any
) -> None:
    client.force_login(desk)
    response = client.post(_section(patient) + "invite/", {"who": "self", "email": "not-an-email"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Email for the invitation:" in body
    assert 'aria-describedby="id_email_error"' in body and 'id="id_email_error"' in body
    assert not PortalAccess.objects.filter(patient=patient).exists()


def test_an_email_that_already_signs_in_elsewhere_is_refused(patient: Any, desk: Any) -> None:
    f.UserFactory(username="taken@x.org", organization=patient.organization, role="OT")
    with pytest.raises(ValidationFailed) as refused:
        services.portal_invite(user=desk, patient=patient, contact=None, email="taken@x.org")
    assert "email" in refused.value.errors


@pytest.mark.parametrize(
    ("role", "status"), [("OT", 200), ("clinic_admin", 200), ("OTA", 403), ("biller", 403)]
)
def test_who_may_manage_portal_access(client: Client, patient: Any, role: str, status: int) -> None:
    client.force_login(f.staff_user(organization=patient.organization, role=role))
    page = client.get(_section(patient))
    assert page.status_code == 200
    assert ("Send invitation" in page.content.decode()) is (status == 200)
    response = client.post(_section(patient) + "invite/", {"who": "self", "email": "p@x.org"})
    assert response.status_code == (302 if status == 200 else 403)


def test_the_chart_loads_the_portal_access_section(client: Client, patient: Any, desk: Any) -> None:
    client.force_login(desk)
    chart = client.get(f"/patients/{patient.pk}/").content.decode()
    assert f'hx-get="{_section(patient)}"' in chart
    section = client.get(_section(patient), headers={"HX-Request": "true"}).content.decode()
    assert section.lstrip().startswith("<link") and "<html" not in section
    assert "Portal access" in section


def test_revoking_access_from_the_page_locks_the_login_out(
    client: Client, patient: Any, desk: Any
) -> None:
    access = f.PortalAccessFactory(patient=patient, granted_on=timezone.localdate())
    portal = Client()
    portal.force_login(access.user)
    assert portal.get(f"/portal/patients/{patient.pk}/").status_code == 200
    client.force_login(desk)
    client.post(f"/portal/access/grants/{access.pk}/revoke/")
    client.post(f"/portal/access/grants/{access.pk}/revoke/")
    assert PortalAccess.objects.get(pk=access.pk).revoked_on == timezone.localdate()
    assert portal.get(f"/portal/patients/{patient.pk}/").status_code == 403


def test_a_consent_recorded_on_the_page_shows_as_in_force(
    client: Client, patient: Any, desk: Any
) -> None:
    contact = contact_for(patient)
    client.force_login(desk)
    today = timezone.localdate().isoformat()
    assert f'value="{today}"' in client.get(_section(patient)).content.decode()
    form = {"contact": str(contact.pk), "scopes": ["goals", "appointments"], "signed_on": today}
    response = client.post(_section(patient) + "consents/", form, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "In force" in body and "Goals and progress, Upcoming appointments" in body
    assert Consent.objects.get(patient=patient).scopes == ["appointments", "goals"]


def test_another_patients_login_is_never_given_this_patients_record(
    patient: Any, desk: Any
) -> None:
    neighbour = f.PatientFactory(organization=patient.organization)
    services.portal_invite(user=desk, patient=neighbour, contact=None, email="n@x.org")
    with pytest.raises(ValidationFailed) as refused:
        services.portal_invite(user=desk, patient=patient, contact=None, email="n@x.org")
    assert "another patient" in refused.value.errors["email"][0]
    assert not PortalAccess.objects.filter(patient=patient).exists()


def test_opening_the_portal_access_section_is_audited(
    client: Client, patient: Any, desk: Any
) -> None:
    client.force_login(desk)
    client.get(_section(patient))
    assert AuditEvent.objects.filter(
        action="view", patient_id=patient.pk, actor_id=desk.pk, detail__startswith="portal access "
    ).exists()


def _plain_contact(patient: Any) -> Any:
    contact = contact_for(patient, name="Nadia Neighbour")
    contact.is_caregiver = False
    contact.save()
    return contact


def test_the_forms_offer_only_caregivers(client: Client, patient: Any, desk: Any) -> None:
    caregiver = contact_for(patient)
    plain = _plain_contact(patient)
    client.force_login(desk)
    page = client.get(_section(patient)).content.decode()
    assert page.count(f'value="{caregiver.pk}"') == 2  # the consent and the invite forms
    assert str(plain.pk) not in page and "Nadia Neighbour" not in page
    assert "(the patient)" in page


def test_a_consent_for_a_contact_not_marked_caregiver_is_refused_naming_the_field(
    patient: Any, desk: Any
) -> None:
    plain = _plain_contact(patient)
    with pytest.raises(ValidationFailed) as refused:
        services.consent_record(
            user=desk,
            patient=patient,
            contact=plain,
            scopes=["goals"],
            signed_on=timezone.localdate(),
        )
    assert "is_caregiver" in refused.value.errors["contact"][0]
    assert not Consent.objects.filter(contact=plain).exists()


def test_an_invitation_for_a_contact_not_marked_caregiver_is_refused_even_with_a_consent(
    patient: Any, desk: Any
) -> None:
    contact = contact_for(patient)
    services.consent_record(
        user=desk,
        patient=patient,
        contact=contact,
        scopes=["goals"],
        signed_on=timezone.localdate(),
    )
    contact.is_caregiver = False  # unmarked on the chart after the consent was recorded
    contact.save()
    with pytest.raises(ValidationFailed) as refused:
        services.portal_invite(user=desk, patient=patient, contact=contact, email="r@x.org")
    assert "is_caregiver" in refused.value.errors["contact"][0]
    assert not PortalAccess.objects.filter(contact=contact).exists()
    assert not User.objects.filter(email="r@x.org").exists()


def test_posting_a_non_caregiver_to_either_form_answers_422(
    client: Client, patient: Any, desk: Any
) -> None:
    plain = _plain_contact(patient)
    client.force_login(desk)
    consent = client.post(
        f"{_section(patient)}consents/",
        {"contact": str(plain.pk), "scopes": ["goals"], "signed_on": "2026-01-05"},
    )
    invite = client.post(f"{_section(patient)}invite/", {"who": str(plain.pk), "email": "n@x.org"})
    assert (consent.status_code, invite.status_code) == (422, 422)
    assert not Consent.objects.filter(contact=plain).exists()
    assert not PortalAccess.objects.filter(contact=plain).exists()

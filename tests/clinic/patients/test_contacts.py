"""The chart's contacts and caregivers: listed, added and edited from the page, by the right roles.

A caregiver added here is then offered by the portal section's consent and invitation forms, so
the front desk can invite someone who was not on file before.
"""

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.versions import version_of
from otclinic.clinic.jobs.worker import run_queued_tasks
from otclinic.clinic.patients import services
from otclinic.clinic.patients.models import PatientContact
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
PASSWORD = "Juniper-Kettle-47"


@pytest.fixture
def patient(db: None) -> Any:
    return f.PatientFactory(last_name="Adeyemi")


@pytest.fixture
def desk(patient: Any) -> Any:
    return f.staff_user(organization=patient.organization, role="front_desk")


@pytest.fixture
def desk_client(client: Client, desk: Any) -> Client:
    client.force_login(desk)
    return client


def _add(patient: Any) -> str:
    return f"/patients/{patient.pk}/contacts/"


def _edit(contact: Any) -> str:
    return f"/contacts/{contact.pk}/edit/"


def _form(prefix: str = "new-contact", **values: Any) -> dict[str, Any]:
    data = {"name": "Tomas Reyes", "relationship": "child", "phone": "555-0142", "email": ""}
    data |= values
    return {f"{prefix}-{k}": v for k, v in data.items() if v is not False}


def _edit_form(contact: PatientContact, **values: Any) -> dict[str, Any]:
    """The edit form as the page sends it: the fields and the version it was opened at."""
    return _form("edit-contact", **values) | {"edit-contact-version": version_of(contact)}


def _contact(patient: Any, **values: Any) -> PatientContact:
    data = {"name": "Tomas Reyes", "relationship": "child", "phone": "555-0142"} | values
    return PatientContact.objects.create(organization=patient.organization, patient=patient, **data)


def _link(message: Any) -> str:
    found = re.search(r"http://\S+", message.body)
    assert found, message.body
    return "/" + found.group(0).split("://", 1)[1].split("/", 1)[1]


def test_the_chart_lists_the_contacts_with_an_add_form_for_the_desk(
    desk_client: Client, patient: Any
) -> None:
    contact = _contact(patient, is_caregiver=True, email="tomas@example.org")
    body = desk_client.get(f"/patients/{patient.pk}/").content.decode()
    section = body.split('id="contacts"', 1)[1].split("</section>", 1)[0]
    assert "Tomas Reyes" in section and "Adult child" in section and "Caregiver" in section
    assert f'action="{_add(patient)}"' in section
    assert f'href="{_edit(contact)}"' in section
    assert 'for="id_new-contact-email"' in section


def test_a_contact_added_on_the_page_is_saved_and_the_section_comes_back(
    desk_client: Client, patient: Any
) -> None:
    response = desk_client.post(_add(patient), _form(is_emergency_contact="on"), headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "contacts-changed"
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" aria-labelledby="contacts-h"')
    assert "Tomas Reyes (Adult child) is on file." in body
    contact = PatientContact.objects.get(patient=patient)
    assert contact.organization_id == patient.organization_id
    assert contact.phone == "555-0142" and contact.is_emergency_contact
    assert not contact.is_caregiver


def test_without_script_the_form_goes_back_to_the_chart(desk_client: Client, patient: Any) -> None:
    response = desk_client.post(_add(patient), _form())
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.pk}/#contacts"


def test_adding_the_same_contact_twice_keeps_one_row(desk_client: Client, patient: Any) -> None:
    desk_client.post(_add(patient), _form(), headers=HTMX)
    again = desk_client.post(_add(patient), _form(name="  tomas   REYES "), headers=HTMX)
    assert again.status_code == 200
    assert PatientContact.objects.filter(patient=patient).count() == 1
    # Another relationship under the same name is another contact.
    desk_client.post(_add(patient), _form(relationship="friend"), headers=HTMX)
    assert PatientContact.objects.filter(patient=patient).count() == 2


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"email": "tomas-at-example"}, "email", "Email: Enter an email address such as"),
        ({"name": ""}, "name", "Name: This field is required."),
        ({"relationship": "landlord"}, "relationship", "Select a valid choice"),
        (
            {"phone": "", "email": "", "is_caregiver": "on"},
            "phone",
            "Phone: A caregiver needs a phone number or an email address",
        ),
    ],
)
def test_bad_input_answers_422_naming_the_field_and_saves_nothing(
    desk_client: Client, patient: Any, values: dict[str, Any], field: str, message: str
) -> None:
    response = desk_client.post(_add(patient), _form(**values), headers=HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert f'id="id_new-contact-{field}_error"' in body
    assert not PatientContact.objects.filter(patient=patient).exists()


def test_bad_input_without_script_is_422_on_a_page_of_its_own(
    desk_client: Client, patient: Any
) -> None:
    response = desk_client.post(_add(patient), _form(email="nope"))
    assert response.status_code == 422
    body = response.content.decode()
    assert "<html" in body and "Email: Enter an email address" in body


def test_a_caregiver_reachable_by_email_alone_is_accepted(
    desk_client: Client, patient: Any
) -> None:
    form = _form(phone="", email="Tomas@Example.org", is_caregiver="on")
    assert desk_client.post(_add(patient), form, headers=HTMX).status_code == 200
    contact = PatientContact.objects.get(patient=patient)
    assert contact.is_caregiver and contact.email == "tomas@example.org"


def test_a_contact_is_edited_in_place(desk_client: Client, patient: Any) -> None:
    contact = _contact(patient)
    opened = desk_client.get(_edit(contact), headers=HTMX)
    assert opened.status_code == 200
    assert 'value="555-0142"' in opened.content.decode()
    form = _edit_form(contact, phone="555-0199", email="t@example.org", is_caregiver="on")
    saved = desk_client.post(_edit(contact), form, headers=HTMX)
    assert saved.status_code == 200 and saved["HX-Trigger"] == "contacts-changed"
    contact.refresh_from_db()
    assert (contact.phone, contact.email, contact.is_caregiver) == (
        "555-0199",
        "t@example.org",
        True,
    )


def test_a_bad_edit_answers_422_and_changes_nothing(desk_client: Client, patient: Any) -> None:
    contact = _contact(patient, email="kept@example.org")
    response = desk_client.post(_edit(contact), _edit_form(contact, email="broken@"))
    assert response.status_code == 422
    assert 'id="id_edit-contact-email_error"' in response.content.decode()
    contact.refresh_from_db()
    assert contact.email == "kept@example.org"


def test_renaming_a_contact_onto_another_is_refused_with_the_name_field(
    desk_client: Client, patient: Any
) -> None:
    _contact(patient, name="Ana Reyes", relationship="sibling")
    other = _contact(patient)
    form = _edit_form(other, name="Ana Reyes", relationship="sibling")
    response = desk_client.post(_edit(other), form, headers=HTMX)
    assert response.status_code == 422
    assert (
        "Name: Ana Reyes is already a contact with this relationship" in response.content.decode()
    )
    other.refresh_from_db()
    assert other.name == "Tomas Reyes"


def test_opening_a_contact_to_edit_is_audited(desk_client: Client, patient: Any) -> None:
    contact = _contact(patient)
    desk_client.get(_edit(contact))
    assert AuditEvent.objects.filter(
        action="view",
        patient_id=patient.pk,
        detail=f"contact contact-edit /contacts/{contact.pk}/edit/",
    ).exists()


def test_a_role_that_only_views_the_chart_sees_the_list_but_cannot_change_it(
    client: Client, patient: Any
) -> None:
    contact = _contact(patient)
    client.force_login(f.staff_user(organization=patient.organization, role="biller"))
    body = client.get(f"/patients/{patient.pk}/").content.decode()
    section = body.split('id="contacts"', 1)[1].split("</section>", 1)[0]
    assert "Tomas Reyes" in section
    assert "<form" not in section and _edit(contact) not in section
    assert client.post(_add(patient), _form(name="Someone Else")).status_code == 403
    assert client.get(_edit(contact)).status_code == 403
    assert client.post(_edit(contact), _form("edit-contact", phone="1")).status_code == 403
    assert PatientContact.objects.filter(patient=patient).count() == 1
    contact.refresh_from_db()
    assert contact.phone == "555-0142"


def test_the_service_refuses_a_role_without_edit_demographics(patient: Any) -> None:
    therapist_less = f.staff_user(organization=patient.organization, role="biller")
    with pytest.raises(Exception, match="your role may not edit demographics"):
        services.contact_add(
            user=therapist_less, patient=patient, data={"name": "X", "relationship": "friend"}
        )


def test_the_service_names_the_phone_field_for_an_unreachable_caregiver(
    patient: Any, desk: Any
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.contact_add(
            user=desk,
            patient=patient,
            data={"name": "Ana", "relationship": "friend", "is_caregiver": True},
        )
    assert list(refused.value.errors) == ["phone"]


def test_another_organizations_patient_and_contact_are_404(desk_client: Client) -> None:
    theirs = f.PatientFactory()
    their_contact = _contact(theirs)
    assert desk_client.post(_add(theirs), _form(), headers=HTMX).status_code == 404
    assert desk_client.get(_edit(their_contact)).status_code == 404
    edit = _form("edit-contact", name="Stolen")
    assert desk_client.post(_edit(their_contact), edit).status_code == 404
    assert not PatientContact.objects.filter(patient=theirs).exclude(pk=their_contact.pk).exists()
    their_contact.refresh_from_db()
    assert their_contact.name == "Tomas Reyes"


def test_a_caregiver_added_on_the_chart_is_invited_and_sees_the_patient(
    desk_client: Client, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    section = f"/portal/access/{patient.pk}/"
    form = _form(name="Nia Okonkwo", relationship="guardian", email="nia@example.org")
    added = desk_client.post(_add(patient), form | {"new-contact-is_caregiver": "on"}, headers=HTMX)
    assert added.status_code == 200
    contact = PatientContact.objects.get(patient=patient, name="Nia Okonkwo")
    # The portal section's consent and invitation forms now offer her.
    offered = desk_client.get(section, headers=HTMX).content.decode()
    assert offered.count(f'value="{contact.pk}"') == 2
    today = timezone.localdate().isoformat()
    consent = {"contact": str(contact.pk), "scopes": ["goals", "appointments"], "signed_on": today}
    assert desk_client.post(section + "consents/", consent, headers=HTMX).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        invited = desk_client.post(
            section + "invite/", {"who": str(contact.pk), "email": "nia@example.org"}
        )
    assert invited.status_code == 302
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["nia@example.org"]]
    desk_client.logout()
    landing = desk_client.get(_link(mail.outbox[0]))
    assert landing["Location"] == "/welcome/"
    done = desk_client.post("/welcome/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/portal/"
    assert "Adeyemi" in desk_client.get("/portal/").content.decode()

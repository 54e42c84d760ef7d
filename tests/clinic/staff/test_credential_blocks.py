"""A lapsed license, a lapsed NBCOT certification or no license for the state of service blocks
signing, co-signing and the claim (issue 7); booking is in test_credential_booking.py."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from otclinic.clinic.care.models import NoteStatus, Signature
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.staff.models import StaffProfile, StateLicense
from tests.clinic.care.notes.builders import DAY, drafted, practice, signed

pytestmark = pytest.mark.django_db


def _unlicensed(staff: Any, state: str = "OH") -> None:
    StateLicense.objects.filter(staff=staff, state=state).delete()


def _license(staff: Any, *, state: str = "OH", expires_on: dt.date) -> StateLicense:
    return StateLicense.objects.create(
        organization=staff.organization,
        staff=staff,
        state=state,
        number=f"L-{state}-{expires_on:%Y%m%d}",
        expires_on=expires_on,
    )


def _lapsed_license(staff: Any, state: str = "OH") -> None:
    _unlicensed(staff, state)
    _license(staff, state=state, expires_on=DAY - dt.timedelta(days=1))


def _nbcot(staff: Any, expires_on: dt.date) -> None:
    staff.nbcot_expires_on = expires_on
    staff.save(update_fields=["nbcot_expires_on", "updated_at"])


def _lapsed_nbcot(staff: Any, state: str = "OH") -> None:
    _nbcot(staff, DAY - dt.timedelta(days=10))


Lapse = Callable[[Any, str], None]
# Each way a clinician may not practise in a state on DAY (2026-03-12), and what Ohio's says.
LAPSES: list[tuple[str, Lapse, str, str]] = [
    (
        "lapsed license",
        _lapsed_license,
        "credentials.license_lapsed",
        "no OH license in force on 2026-03-12: the latest expired on 2026-03-11",
    ),
    (
        "lapsed NBCOT",
        _lapsed_nbcot,
        "credentials.nbcot_lapsed",
        "NBCOT certification expired on 2026-03-02",
    ),
    (
        "no license for the state",
        _unlicensed,
        "credentials.no_license_for_state",
        "not licensed in OH: no OH license is on file",
    ),
]
IDS = [case for case, *_ in LAPSES]
PARAMS = [lapse[1:] for lapse in LAPSES]


@pytest.mark.parametrize(("lapse", "rule_id", "words"), PARAMS, ids=IDS)
def test_the_author_cannot_sign(lapse: Lapse, rule_id: str, words: str) -> None:
    p = practice()
    note = drafted(p)
    lapse(p.ota.staff_profile, "OH")
    with pytest.raises(svc.NoteNotSignable) as refused:
        svc.note_sign(user=p.ota, note=note, revision=note.revision)
    assert [f.rule_id for f in refused.value.findings][:1] == [rule_id]
    assert words in str(refused.value)
    note.refresh_from_db()
    assert note.status == NoteStatus.DRAFT
    assert not Signature.objects.filter(note=note).exists()


@pytest.mark.parametrize(("lapse", "rule_id", "words"), PARAMS, ids=IDS)
def test_the_sign_button_says_why_and_signs_nothing(
    client: Any, lapse: Lapse, rule_id: str, words: str
) -> None:
    from tests.clinic.care.notes.test_note_views import form_data

    p = practice()
    note = drafted(p)
    lapse(p.ota.staff_profile, "OH")
    client.force_login(p.ota)
    response = client.post(f"/care/notes/{note.pk}/sign/", form_data(note))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Not signed." in body and words in body
    note.refresh_from_db()
    assert note.status == NoteStatus.DRAFT


@pytest.mark.parametrize(("lapse", "rule_id", "words"), PARAMS, ids=IDS)
def test_the_supervising_ot_cannot_co_sign(lapse: Lapse, rule_id: str, words: str) -> None:
    p = practice(state="TX", temporary_license=True)  # every Texas temporary licensee's note
    note = signed(p)
    assert note.status == NoteStatus.COSIGN_PENDING
    lapse(p.ot.staff_profile, "TX")
    with pytest.raises(svc.NoteNotSignable) as refused:
        svc.note_cosign(user=p.ot, note=note)
    assert [f.rule_id for f in refused.value.findings] == [rule_id]
    assert words.replace("OH", "TX") in str(refused.value)
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGN_PENDING


def test_a_renewed_license_in_the_same_state_lets_the_author_sign() -> None:
    p = practice()
    ota = p.ota.staff_profile
    _lapsed_license(ota)
    _license(ota, expires_on=DAY + dt.timedelta(days=700))
    assert signed(p).status == NoteStatus.SIGNED


def test_a_license_in_another_state_does_not_license_the_author_here() -> None:
    p = practice()
    ota = p.ota.staff_profile
    _license(ota, state="IN", expires_on=DAY + dt.timedelta(days=700))
    _lapsed_license(ota, "IN")  # and a lapsed one there changes nothing in Ohio
    assert signed(p).status == NoteStatus.SIGNED
    _unlicensed(ota)
    with pytest.raises(svc.NoteNotSignable, match="not licensed in OH"):
        signed(p, day=DAY - dt.timedelta(days=1))


def test_a_student_holds_no_license_and_is_not_refused_for_it() -> None:
    from tests.clinic import factories as f

    p = practice(payer_plan="commercial")
    student = f.StaffProfileFactory(
        user__organization=p.org, user__role="student", npi="", supervising_ot=p.ot.staff_profile
    )
    assert not student.licenses.exists()
    assert signed(p, user=student.user).status == NoteStatus.COSIGN_PENDING


def _claim(author: str) -> tuple[Any, Any]:
    from otclinic.clinic.revenue import claim_assembly
    from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
    from tests.clinic.revenue.claims.builders import billing_practice, note

    b = billing_practice()
    if author == "OTA":
        note(b, ("97530", {"assistant_minutes": 38}), author=b.ota)
    else:
        note(b)
    charges_create_for_signed_notes(user=b.biller)
    [claim] = claim_assembly.claims_assemble(user=b.biller)
    assert claim.rendering_provider_id == b.ot.pk  # the OT renders, and supervises the OTA
    return b, claim


CLAIM_BREAKS: list[tuple[str, Callable[[Any], None], str, str]] = [
    (
        "no license",
        lambda b: b.ot.licenses.all().delete(),
        "scrub.state_license",
        "not licensed in OH: no OH license is on file",
    ),
    (
        "license lapsed",
        lambda b: b.ot.licenses.update(expires_on=dt.date(2026, 3, 1)),
        "scrub.state_license",
        "the latest expired on 2026-03-01",
    ),
    (
        "nbcot lapsed",
        lambda b: StaffProfile.objects.filter(pk=b.ot.pk).update(
            nbcot_expires_on=dt.date(2026, 2, 1)
        ),
        "scrub.nbcot",
        "NBCOT certification expired on 2026-02-01",
    ),
]


@pytest.mark.parametrize("author", ["OT", "OTA"], ids=["rendering OT", "supervising OT"])
@pytest.mark.parametrize(
    ("breaks", "rule_id", "words"),
    [c[1:] for c in CLAIM_BREAKS],
    ids=[c[0] for c in CLAIM_BREAKS],
)
def test_the_scrubber_reports_the_credentials_rule_as_an_error(
    author: str, breaks: Callable[[Any], None], rule_id: str, words: str
) -> None:
    from otclinic.clinic.revenue.models import Claim
    from otclinic.clinic.revenue.scrubber import blocking, scrub_claim

    b, claim = _claim(author)
    breaks(b)
    problems = blocking(scrub_claim(Claim.objects.get(pk=claim.pk), today=dt.date(2026, 4, 1)))
    assert [p.rule_id for p in problems] == [rule_id]
    message = problems[0].message
    assert message.startswith("the rendering therapist:")
    assert words in message and "CARC B7" in message


def test_the_co_sign_button_of_a_lapsed_ot_says_why_and_changes_nothing(client: Any) -> None:
    p = practice(state="TX", temporary_license=True)
    note = signed(p)
    _nbcot(p.ot.staff_profile, DAY - dt.timedelta(days=1))
    client.force_login(p.ot)
    response = client.post(f"/care/notes/{note.pk}/cosign/", follow=True)
    assert (
        "Not co-signed: the NBCOT certification expired on 2026-03-11" in response.content.decode()
    )
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGN_PENDING

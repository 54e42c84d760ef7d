"""A lapsed license or NBCOT certification blocks signing and co-signing (issue 7)."""

import datetime as dt

import pytest

from otclinic.clinic.care.models import NoteStatus, Signature
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.staff.models import StaffProfile, StateLicense
from tests.clinic.care.notes.builders import DAY, drafted, practice, signed

pytestmark = pytest.mark.django_db


def _license(user: object, *, state: str = "OH", expires_on: dt.date) -> StateLicense:
    staff = StaffProfile.objects.get(user=user)
    return StateLicense.objects.create(
        organization=staff.organization,
        staff=staff,
        state=state,
        number=f"L-{state}-{expires_on:%Y%m%d}",
        expires_on=expires_on,
    )


def _nbcot(user: object, expires_on: dt.date) -> None:
    StaffProfile.objects.filter(user=user).update(nbcot_expires_on=expires_on)


@pytest.mark.parametrize(
    ("lapse", "rule_id", "words"),
    [
        (
            lambda p: _license(p.ota, expires_on=DAY - dt.timedelta(days=1)),
            "credentials.license_lapsed",
            "no OH license in force on 2026-03-12: the latest expired on 2026-03-11",
        ),
        (
            lambda p: _nbcot(p.ota, DAY - dt.timedelta(days=10)),
            "credentials.nbcot_lapsed",
            "NBCOT certification expired on 2026-03-02",
        ),
    ],
    ids=["license", "nbcot"],
)
def test_a_lapsed_author_cannot_sign(lapse: object, rule_id: str, words: str) -> None:
    p = practice()
    note = drafted(p)
    lapse(p)  # type: ignore[operator]
    with pytest.raises(svc.NoteNotSignable) as refused:
        svc.note_sign(user=p.ota, note=note, revision=note.revision)
    assert refused.value.findings[0].rule_id == rule_id
    assert words in str(refused.value)
    note.refresh_from_db()
    assert note.status == NoteStatus.DRAFT
    assert not Signature.objects.filter(note=note).exists()


def test_a_renewed_license_in_the_same_state_lets_the_author_sign() -> None:
    p = practice()
    _license(p.ota, expires_on=DAY - dt.timedelta(days=1))
    _license(p.ota, expires_on=DAY + dt.timedelta(days=700))
    assert signed(p).status == NoteStatus.SIGNED


def test_a_lapsed_license_in_another_state_does_not_block() -> None:
    p = practice()
    _license(p.ota, state="IN", expires_on=DAY - dt.timedelta(days=1))
    assert signed(p).status == NoteStatus.SIGNED


def test_a_lapsed_supervising_ot_cannot_co_sign() -> None:
    p = practice(state="TX", temporary_license=True)
    note = signed(p)
    assert note.status == NoteStatus.COSIGN_PENDING
    _license(p.ot, state="TX", expires_on=DAY - dt.timedelta(days=30))
    with pytest.raises(svc.NoteNotSignable) as refused:
        svc.note_cosign(user=p.ot, note=note)
    assert [f.rule_id for f in refused.value.findings] == ["credentials.license_lapsed"]
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGN_PENDING
    _nbcot(p.ot, DAY + dt.timedelta(days=1))
    _license(p.ot, state="TX", expires_on=DAY + dt.timedelta(days=365))
    svc.note_cosign(user=p.ot, note=note)
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGNED


def _scrubbed_claim() -> tuple[object, object]:
    from otclinic.clinic.revenue import claims as claim_svc
    from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
    from tests.clinic.revenue.claims.builders import billing_practice, note

    b = billing_practice()
    note(b)
    charges_create_for_signed_notes(user=b.biller)
    [claim] = claim_svc.claims_assemble(user=b.biller)
    return b, claim


@pytest.mark.parametrize(
    ("breaks", "rule_id", "words"),
    [
        (lambda b: b.ot.licenses.all().delete(), "scrub.state_license", "none is on file for OH"),
        (
            lambda b: b.ot.licenses.update(expires_on=dt.date(2026, 3, 1)),
            "scrub.state_license",
            "the latest expired on 2026-03-01",
        ),
        (
            lambda b: StaffProfile.objects.filter(pk=b.ot.pk).update(
                nbcot_expires_on=dt.date(2026, 2, 1)
            ),
            "scrub.nbcot",
            "NBCOT certification expired on 2026-02-01",
        ),
    ],
    ids=["no license", "license lapsed", "nbcot lapsed"],
)
def test_the_scrubber_reports_the_credentials_rule_as_an_error(
    breaks: object, rule_id: str, words: str
) -> None:
    from otclinic.clinic.revenue.models import Claim
    from otclinic.clinic.revenue.scrubber import blocking, scrub_claim

    b, claim = _scrubbed_claim()
    breaks(b)  # type: ignore[operator]
    problems = blocking(scrub_claim(Claim.objects.get(pk=claim.pk), today=dt.date(2026, 4, 1)))  # type: ignore[attr-defined]
    assert [p.rule_id for p in problems] == [rule_id]
    assert words in problems[0].message and "CARC B7" in problems[0].message


def test_the_co_sign_button_of_a_lapsed_ot_says_why_and_changes_nothing(client: object) -> None:
    p = practice(state="TX", temporary_license=True)
    note = signed(p)
    _nbcot(p.ot, DAY - dt.timedelta(days=1))
    client.force_login(p.ot)  # type: ignore[attr-defined]
    response = client.post(f"/care/notes/{note.pk}/cosign/", follow=True)  # type: ignore[attr-defined]
    assert (
        "Not co-signed: the NBCOT certification expired on 2026-03-11" in response.content.decode()
    )
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGN_PENDING

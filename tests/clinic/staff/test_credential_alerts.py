"""Expiry alerts at 60, 30 and 7 days, once per credential per window; the expiring lists."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from otclinic.clinic.staff.models import (
    Certificate,
    CertificateType,
    CredentialAlert,
    StaffProfile,
    StateLicense,
)
from otclinic.clinic.staff.selectors import (
    ExpiringCredential,
    clinician_profiles,
    expiring_credentials,
    expiring_credentials_for_admin,
    expiring_credentials_for_clinician,
)
from otclinic.clinic.staff.services import credential_alerts_send
from tests.clinic import factories as f
from tests.clinic.mail import emails_sent

pytestmark = pytest.mark.django_db


def _send(*, today: dt.date) -> list[CredentialAlert]:
    with emails_sent():
        return credential_alerts_send(today=today)


EXPIRES = dt.date(2026, 6, 30)


def _clinic() -> tuple[StaffProfile, StateLicense, object]:
    org = f.OrganizationFactory()
    ota = f.StaffProfileFactory(
        user__organization=org, user__role="OTA", user__email="ota@example.test"
    )
    admin = f.staff_user(organization=org, role="clinic_admin")
    admin.email = "admin@example.test"
    admin.save()
    lic = StateLicense.objects.create(
        organization=org, staff=ota, state="OH", number="OTA.1", expires_on=EXPIRES
    )
    return ota, lic, admin


def _days_before(days: int) -> dt.date:
    return EXPIRES - dt.timedelta(days=days)


def test_alerts_are_sent_once_per_window() -> None:
    _clinic()
    sent_on = {}
    for days in range(75, -3, -1):
        before = len(mail.outbox)
        _send(today=_days_before(days))
        if len(mail.outbox) > before:
            sent_on[days] = len(mail.outbox) - before
    assert sent_on == {60: 1, 30: 1, 7: 1}
    assert sorted(mail.outbox[0].to) == ["admin@example.test", "ota@example.test"]
    assert "OH license OTA.1 expires on 2026-06-30" in mail.outbox[0].body
    assert sorted(CredentialAlert.objects.values_list("window_days", flat=True)) == [7, 30, 60]


def test_a_first_run_inside_a_window_sends_only_that_window() -> None:
    _clinic()
    _send(today=_days_before(20))
    _send(today=_days_before(20))
    assert len(mail.outbox) == 1
    assert "alert window 30 days" in mail.outbox[0].body


def test_nbcot_is_alerted_on_its_own_and_a_renewal_is_alerted_again() -> None:
    ota, lic, _ = _clinic()
    lic.expires_on = dt.date(2028, 6, 30)
    lic.save()
    StaffProfile.objects.filter(pk=ota.pk).update(nbcot_expires_on=EXPIRES)
    assert [a.kind for a in _send(today=_days_before(7))] == ["nbcot"]
    StaffProfile.objects.filter(pk=ota.pk).update(nbcot_expires_on=dt.date(2029, 6, 30))
    assert _send(today=dt.date(2029, 6, 25))[0].window_days == 7
    assert len(mail.outbox) == 2


def test_lapsed_and_far_off_credentials_are_not_emailed() -> None:
    _clinic()
    assert _send(today=_days_before(61)) == []
    assert _send(today=_days_before(-1)) == []
    assert mail.outbox == []


def test_the_admin_sees_the_organizations_list_and_the_clinician_their_own() -> None:
    ota, _, admin = _clinic()
    other = f.StaffProfileFactory(user__organization=ota.organization, user__role="OT")
    StaffProfile.objects.filter(pk=other.pk).update(nbcot_expires_on=_days_before(70))
    stranger = f.StaffProfileFactory(user__role="OT", nbcot_expires_on=_days_before(50))
    today = _days_before(40)
    seen = expiring_credentials_for_admin(user=admin, today=today)
    assert [(c.staff.pk, c.label, c.days_left) for c in seen] == [
        (other.pk, "NBCOT certification", -30),
        (ota.pk, "OH license OTA.1", 40),
    ]
    assert seen[0].lapsed and not seen[1].lapsed
    assert [c.staff.pk for c in expiring_credentials_for_clinician(user=ota.user, today=today)] == [
        ota.pk
    ]
    assert expiring_credentials_for_clinician(user=stranger.user, today=today)[0].days_left == -10
    with pytest.raises(PermissionDenied):
        expiring_credentials_for_admin(user=ota.user, today=today)


def test_the_cli_sends_the_days_alerts_once() -> None:
    from click.testing import CliRunner

    from otclinic.cli import cli

    _clinic()
    day = _days_before(30).isoformat()
    with emails_sent():
        first = CliRunner().invoke(cli, ["staff", "alerts", "--today", day])
        again = CliRunner().invoke(cli, ["staff", "alerts", "--today", day])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[-1] == f"1 credential alert(s) sent for {day}"
    assert again.output.splitlines()[-1] == f"0 credential alert(s) sent for {day}"
    assert len(mail.outbox) == 1


def test_home_shows_expiring_and_lapsed_credentials_to_the_admin_and_the_clinician(
    client: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone

    ota, _, admin = _clinic()
    StaffProfile.objects.filter(pk=ota.pk).update(nbcot_expires_on=_days_before(50))
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: _days_before(40))
    client.force_login(admin)  # type: ignore[attr-defined]
    admin_page = client.get("/").content.decode()  # type: ignore[attr-defined]
    client.force_login(ota.user)  # type: ignore[attr-defined]
    own_page = client.get("/").content.decode()  # type: ignore[attr-defined]
    for page in (admin_page, own_page):
        assert "Credentials expiring soon or lapsed" in page
        assert "Expires in 40 days" in page and "OH license OTA.1" in page
        assert "Lapsed" in page and "NBCOT" in page
    stranger = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    client.force_login(stranger)  # type: ignore[attr-defined]
    assert "OTA.1" not in client.get("/").content.decode()  # type: ignore[attr-defined]


def _certificate(staff: StaffProfile, *, required: bool, expires_on: dt.date = EXPIRES) -> object:
    from otclinic.clinic.staff.models import Certificate, CertificateType

    kind, _ = CertificateType.objects.get_or_create(
        organization=staff.organization,
        name="CPR/BLS" if required else "First Aid",
        defaults={"required_for_clinicians": required},
    )
    return Certificate.objects.create(
        organization=staff.organization,
        staff=staff,
        certificate_type=kind,
        issuer="American Heart Association",
        issued_on=expires_on - dt.timedelta(days=730),
        expires_on=expires_on,
    )


def test_a_required_certificate_is_alerted_in_each_window_to_the_clinician_and_the_admin() -> None:
    ota, lic, _ = _clinic()
    lic.expires_on = dt.date(2028, 6, 30)
    lic.save()
    _certificate(ota, required=True)
    _certificate(ota, required=False)  # tracked, not required: no alert
    windows = []
    for days in range(75, -3, -1):
        windows += [a.window_days for a in _send(today=_days_before(days))]
    assert windows == [60, 30, 7]
    assert {a.kind for a in CredentialAlert.objects.all()} == {"certificate"}
    assert sorted(mail.outbox[0].to) == ["admin@example.test", "ota@example.test"]
    body = mail.outbox[0].body
    assert "CPR/BLS certificate expires on 2026-06-30" in body
    assert "care is not blocked" in body and "CARC B7" not in body


def test_a_renewed_certificate_is_alerted_again_in_its_own_windows() -> None:
    ota, lic, _ = _clinic()
    lic.expires_on = dt.date(2028, 6, 30)
    lic.save()
    _certificate(ota, required=True)
    assert [a.window_days for a in _send(today=_days_before(7))] == [7]
    _certificate(ota, required=True, expires_on=dt.date(2028, 6, 30))
    assert _send(today=_days_before(6)) == []  # the renewal is far off
    assert _send(today=dt.date(2028, 6, 1))[0].expires_on == dt.date(2028, 6, 30)


def test_the_clinicians_own_list_is_what_the_admins_reading_gives_for_them() -> None:
    ota, _, _ = _clinic()
    org = ota.organization
    StaffProfile.objects.filter(pk=ota.pk).update(
        nbcot_credential="COTA", nbcot_expires_on=_days_before(20)
    )
    # An older OH license (lapsed, but not the latest), and a far-off one in another state.
    StateLicense.objects.create(
        organization=org, staff=ota, state="OH", number="OTA.0", expires_on=_days_before(400)
    )
    StateLicense.objects.create(
        organization=org, staff=ota, state="KY", number="K.1", expires_on=_days_before(-400)
    )
    cpr = CertificateType.objects.create(organization=org, name="CPR", required_for_clinicians=True)
    other = CertificateType.objects.create(organization=org, name="Driving")
    for kind, days in ((cpr, 90), (cpr, 10), (other, 5)):
        Certificate.objects.create(
            organization=org,
            staff=ota,
            certificate_type=kind,
            issuer="Red Cross",
            issued_on=_days_before(800),
            expires_on=_days_before(days),
        )
    today = _days_before(45)

    def shown(credentials: list[ExpiringCredential]) -> list[tuple[object, ...]]:
        return [
            (c.staff.pk, str(c.staff), c.kind, c.credential_id, c.label, c.expires_on, c.days_left)
            for c in credentials
        ]

    own = expiring_credentials_for_clinician(user=ota.user, today=today)
    assert [c.label for c in own] == ["NBCOT COTA", "CPR certificate", "OH license OTA.1"]
    assert shown(own) == shown(
        expiring_credentials(profiles=clinician_profiles().filter(pk=ota.pk), today=today)
    )
    StaffProfile.objects.filter(pk=ota.pk).update(active=False)
    assert expiring_credentials_for_clinician(user=ota.user, today=today) == []

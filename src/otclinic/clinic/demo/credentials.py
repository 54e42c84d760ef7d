"""The demo clinic's certificates and continuing education (synthetic).

CPR/BLS (required of clinicians) and First Aid (tracked, not required); every clinician holds a
current CPR/BLS card, the demo OTA's expiring in 20 days so the home page, the staff list and
the 60/30/7-day alerts have something to show. The clinic's CE requirement for Ohio and NBCOT's,
and a few courses for the first clinicians. Adds only what is missing: running the seed twice
adds nothing. The Ohio figure is a demo setting, not a statement of the Ohio board's rule.
"""

import datetime as dt
import uuid
from decimal import Decimal

from otclinic.clinic.demo import catalog
from otclinic.clinic.staff.models import (
    NBCOT_BODY,
    CeActivity,
    CeRequirement,
    Certificate,
    CertificateType,
    StaffProfile,
)
from otclinic.domain.codes import Role

EXPIRING_SOON_DAYS = 20
COURSES = (
    ("Fall prevention in the home", "State OT association", "6.0", catalog.STATE),
    ("Low vision rehabilitation", "AOTA online", "3.5", NBCOT_BODY),
    ("Upper extremity splinting lab", "Regional hospital", "8.0", catalog.STATE),
)


def add_credentials(organization_id: uuid.UUID, today: dt.date) -> int:
    """Certificate types, CE requirements, CPR cards and CE courses; the missing ones only.

    Rows are written with bulk_create, so they fall under the seed's one bulk audit entry
    instead of one entry each.
    """
    cpr = _certificate_type(organization_id, "CPR/BLS", required=True)
    _certificate_type(organization_id, "First Aid", required=False)
    requirements = [
        _requirement(
            organization_id, catalog.STATE, "20.0", 24, "Demo clinic setting (not the board's rule)"
        ),
        _requirement(organization_id, NBCOT_BODY, "36.0", 36, ""),
    ]
    CeRequirement.objects.bulk_create([r for r in requirements if r is not None])
    clinicians = (
        StaffProfile.objects.filter(
            organization_id=organization_id,
            active=True,
            user__role__in=[str(Role.OT), str(Role.OTA), str(Role.PT), str(Role.SLP)],
        )
        .select_related("user")
        .order_by("user__username")
    )
    certificates: list[Certificate] = []
    courses: list[CeActivity] = []
    for index, staff in enumerate(clinicians):
        certificates.extend(_cpr(staff, cpr, today, index))
        if index < 3:
            courses.extend(_courses(staff, today, index))
    Certificate.objects.bulk_create(certificates)
    CeActivity.objects.bulk_create(courses)
    return len(certificates) + len(courses)


def _certificate_type(organization_id: uuid.UUID, name: str, *, required: bool) -> CertificateType:
    found = CertificateType.objects.filter(organization_id=organization_id, name=name).first()
    if found:
        return found
    (made,) = CertificateType.objects.bulk_create(
        [
            CertificateType(
                organization_id=organization_id, name=name, required_for_clinicians=required
            )
        ]
    )
    return made


def _requirement(
    organization_id: uuid.UUID, body: str, hours: str, months: int, source: str
) -> CeRequirement | None:
    if CeRequirement.objects.filter(organization_id=organization_id, counts_toward=body).exists():
        return None
    return CeRequirement(
        organization_id=organization_id,
        counts_toward=body,
        hours=Decimal(hours),
        cycle_months=months,
        source=source,
    )


def _cpr(
    staff: StaffProfile, cpr: CertificateType, today: dt.date, index: int
) -> list[Certificate]:
    if staff.certificates.filter(certificate_type=cpr).exists():
        return []
    soon = staff.user.username == "ota.demo"
    expires = today + dt.timedelta(days=EXPIRING_SOON_DAYS if soon else 200 + 37 * index)
    return [
        Certificate(
            organization_id=staff.organization_id,
            staff=staff,
            certificate_type=cpr,
            issuer="American Heart Association",
            issued_on=expires - dt.timedelta(days=730),
            expires_on=expires,
            file_name=f"cpr-{staff.user.username}.pdf",
        )
    ]


def _courses(staff: StaffProfile, today: dt.date, index: int) -> list[CeActivity]:
    if staff.ce_activities.exists():
        return []
    return [
        CeActivity(
            organization_id=staff.organization_id,
            staff=staff,
            title=title,
            provider=provider,
            completed_on=today - dt.timedelta(days=40 + 90 * offset),
            hours=Decimal(hours),
            counts_toward=body,
        )
        for offset, (title, provider, hours, body) in enumerate(COURSES[: index + 1])
    ]

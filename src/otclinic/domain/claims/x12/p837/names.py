"""The name and address segments every loop shares: NM1, N3, N4."""

from otclinic.domain.claims.x12.p837.parties import Address, PersonName
from otclinic.domain.claims.x12.p837.segments import SegmentWriter

PERSON = "1"
ORGANIZATION = "2"


def person_nm1(
    out: SegmentWriter, *, entity: str, name: PersonName, qualifier: str = "", identifier: str = ""
) -> None:
    """NM1 for an individual (NM102 = 1): last, first, middle name and an optional id."""
    out.add(
        "NM1", entity, PERSON, name.last, name.first, name.middle, "", "", qualifier, identifier
    )


def organization_nm1(
    out: SegmentWriter, *, entity: str, name: str, qualifier: str = "", identifier: str = ""
) -> None:
    """NM1 for an organization (NM102 = 2): NM103 carries the whole name."""
    out.add("NM1", entity, ORGANIZATION, name, "", "", "", "", qualifier, identifier)


def address(out: SegmentWriter, place: Address) -> None:
    """N3 (street lines) and N4 (city, state, ZIP code)."""
    out.add("N3", place.line1, place.line2)
    out.add("N4", place.city, place.state, place.postal_code)

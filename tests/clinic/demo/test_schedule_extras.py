import datetime as dt

import pytest

from otclinic.clinic.demo.schedule import add_schedule_extras, closures
from otclinic.clinic.scheduling.models import ClinicHoliday, WaitlistEntry
from tests.clinic import factories as f


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            2026,
            [(1, 1), (5, 25), (7, 3), (9, 7), (11, 26), (12, 25)],  # 4 July is a Saturday
        ),
        (
            2027,
            [
                (1, 1),
                (5, 31),
                (7, 5),
                (9, 6),
                (11, 25),
                (12, 24),
            ],  # 4 July a Sunday, 25 Dec a Saturday
        ),
    ],
)
def test_the_closures_fall_on_the_observed_days(year: int, expected: list[tuple[int, int]]) -> None:
    assert [day for day, _ in closures(year)] == [dt.date(year, m, d) for m, d in expected]
    assert all(day.weekday() < 5 for day, _ in closures(year))


@pytest.mark.django_db
def test_the_extras_are_added_once_and_only_after_today() -> None:
    episode = f.EpisodeFactory()
    org = episode.organization
    f.EpisodeFactory(patient=f.PatientFactory(organization=org))
    today = dt.date(2026, 11, 27)
    added = add_schedule_extras(org.id, today)
    holidays = list(ClinicHoliday.objects.filter(organization=org).values_list("date", flat=True))
    assert min(holidays) == dt.date(2026, 12, 25)
    assert len(holidays) == 7  # Christmas 2026, then the six of 2027
    assert WaitlistEntry.objects.filter(organization=org).count() == 2
    assert added == 9
    assert add_schedule_extras(org.id, today) == 0
    assert ClinicHoliday.objects.filter(organization=org).count() == 7

from otclinic.domain.care.home_program import (
    Activity,
    Audience,
    EquipmentUse,
    HomeChange,
    HomeProgramFacts,
    build_home_program,
)

FACTS = HomeProgramFacts(
    audience=Audience.PATIENT,
    frequency_per_week=2,
    activities=(
        Activity("therapeutic_exercise", "Putty squeezes, 10 times each hand"),
        Activity("therapeutic_exercise", "putty squeezes, 10 times each hand."),
        Activity("self_care_adl", "Buttoning a shirt while seated"),
    ),
    equipment=(EquipmentUse("Reacher", "for the lower shelves", "modified_independent"),),
    home_changes=(HomeChange("Grab bars", "Bathroom", "Steady support getting out of the tub"),),
    goals=("Dress yourself in 10 minutes",),
)


def test_activities_are_in_plain_words_and_not_repeated() -> None:
    program = build_home_program(FACTS)

    activities = program.sections[0]
    assert activities.heading == "Exercises and activities"
    assert activities.items == (
        "Exercise: Putty squeezes, 10 times each hand. Go slowly and do it the way you practised "
        "in therapy.",
        "Daily task practice: Buttoning a shirt while seated. Go slowly and do it the way you "
        "practised in therapy.",
    )
    assert "5 days a week" in program.introduction


def test_equipment_and_home_changes_read_as_instructions() -> None:
    text = build_home_program(FACTS).text()

    assert "Use the reacher (for the lower shelves) on your own, using the equipment." in text
    assert "Grab bars in the bathroom: Steady support getting out of the tub." in text
    assert "Dress yourself in 10 minutes" in text


def test_the_caregiver_handout_speaks_to_the_helper() -> None:
    facts = HomeProgramFacts(
        audience=Audience.CAREGIVER,
        frequency_per_week=3,
        equipment=(EquipmentUse("Walker", "", "contact_guard"),),
    )

    program = build_home_program(facts)

    assert program.title == "Caregiver handout"
    assert "Use the walker with your hand on them for safety." in program.text()
    assert [s.heading for s in program.sections] == ["Using your equipment"]

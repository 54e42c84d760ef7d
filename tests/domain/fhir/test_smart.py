"""SMART scopes and Backend Services assertion claims (pure)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.fhir.smart import (
    WRITE_SCOPES,
    AssertionRefused,
    check_assertion_claims,
    describe_scope,
    identity_problem,
    parse_scope,
    scope_covered,
    scope_fits,
    scope_writes,
    smart_configuration,
)

NOW = 1_800_000_000.0
AUD = "https://clinic.example/oauth/token"


@pytest.mark.parametrize(
    ("requested", "allowed", "covered"),
    [
        ("patient/Goal.rs", ["patient/*.rs"], True),
        ("patient/Goal.r", ["patient/*.rs"], True),
        ("patient/Goal.read", ["patient/*.rs"], True),
        ("patient/Goal.rs", ["patient/*.read"], True),
        ("patient/Goal.cruds", ["patient/*.rs"], False),
        ("user/Goal.rs", ["patient/*.rs"], False),
        ("patient/Condition.rs", ["patient/Goal.rs"], False),
        ("system/*.rs", ["system/Patient.rs"], False),
        ("launch/patient", ["launch/patient"], True),
        ("launch/patient", ["patient/*.rs"], False),
        ("openid", ["openid"], True),
        ("fhirUser", ["openid", "fhirUser"], True),
        ("openid", ["patient/*.rs", "launch/patient"], False),
        ("fhirUser", ["openid"], False),
        ("patient/Goal.sr", ["patient/*.rs"], False),
    ],
)
def test_a_scope_is_covered_by_a_wider_registered_one(
    requested: str, allowed: list[str], covered: bool
) -> None:
    assert scope_covered(requested, allowed) is covered


@given(st.sampled_from(["patient", "user", "system"]), st.sampled_from(["Goal", "*"]))
def test_every_scope_covers_itself(context: str, resource: str) -> None:
    for verbs in ("r", "rs", "cruds", "read"):
        scope = f"{context}/{resource}.{verbs}"
        assert scope_covered(scope, [scope])


def test_system_scopes_fit_backend_services_only() -> None:
    assert scope_fits("system/*.rs", system=True)
    assert not scope_fits("system/*.rs", system=False)
    assert scope_fits("patient/*.rs", system=False)
    assert not scope_fits("launch/patient", system=True)
    assert scope_fits("openid", system=False)
    assert scope_fits("fhirUser", system=False)
    assert not scope_fits("openid", system=True)
    assert not scope_fits("profile", system=False)


@pytest.mark.parametrize(
    ("scopes", "refused"),
    [
        (["openid", "fhirUser"], False),
        (["openid"], False),
        (["patient/*.rs"], False),
        (["fhirUser", "patient/*.rs"], True),
    ],
)
def test_fhir_user_comes_only_with_openid(scopes: list[str], refused: bool) -> None:
    assert bool(identity_problem(scopes)) is refused


def test_discovery_offers_openid_and_fhir_user_only_with_published_keys() -> None:
    plain = smart_configuration(issuer="i", authorize="a", token="t", revoke="r")
    assert "sso-openid-connect" not in plain["capabilities"]
    assert not {"openid", "fhirUser"} & set(plain["scopes_supported"])
    assert "jwks_uri" not in plain
    openid = smart_configuration(issuer="i", authorize="a", token="t", revoke="r", jwks="k")
    assert "sso-openid-connect" in openid["capabilities"]
    assert {"openid", "fhirUser"} <= set(openid["scopes_supported"])
    assert openid["jwks_uri"] == "k"
    assert set(plain["capabilities"]) < set(openid["capabilities"])


@pytest.mark.parametrize(
    ("scope", "system", "fits"),
    [
        ("user/Patient.cu", False, True),
        ("user/*.write", False, True),
        ("system/Patient.r", True, True),
        ("system/*.cu", True, False),
        ("system/*.write", True, False),
        ("system/*.*", True, False),
        ("system/Appointment.cruds", True, False),
    ],
)
def test_an_app_may_be_given_write_scopes_but_a_backend_service_only_reads(
    scope: str, system: bool, fits: bool
) -> None:
    assert scope_fits(scope, system=system) is fits


@pytest.mark.parametrize(
    ("scope", "writes"),
    [("user/Patient.cu", True), ("user/*.write", True), ("user/*.rs", False), ("openid", False)],
)
def test_a_scope_writes_when_it_asks_to_create_update_or_delete(scope: str, writes: bool) -> None:
    assert scope_writes(scope) is writes


def test_discovery_lists_the_write_scopes_an_app_may_be_given() -> None:
    document = smart_configuration(issuer="i", authorize="a", token="t", revoke="r")
    assert set(WRITE_SCOPES) <= set(document["scopes_supported"])
    assert "user/ServiceRequest.c" in document["scopes_supported"]
    assert all(scope_fits(scope, system=False) for scope in WRITE_SCOPES)


def test_a_write_scope_is_described_in_words() -> None:
    assert describe_scope("user/Patient.cu") == "Create and update Patient records that you may see"


@pytest.mark.parametrize("scope", ["openid", "fhirUser"])
def test_identity_scopes_are_described_in_words(scope: str) -> None:
    assert describe_scope(scope) != scope


def test_a_scope_is_described_in_words() -> None:
    assert describe_scope("patient/Goal.rs") == (
        "Read and search Goal records of the patient you choose or are"
    )
    assert parse_scope("patient/goal.rs") is None


def claims(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {"iss": "c1", "sub": "c1", "aud": AUD, "exp": NOW + 240, "jti": "j"}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def test_good_claims_give_the_jti() -> None:
    assert check_assertion_claims(claims(), client_id="c1", audience=AUD, now=NOW) == "j"


@pytest.mark.parametrize(
    "bad",
    [
        claims(iss="c2"),
        claims(sub="c2"),
        claims(aud="https://elsewhere.example/token"),
        claims(exp=NOW - 1),
        claims(exp=NOW + 301),
        claims(exp=None),
        claims(exp=True),
        claims(jti=None),
        claims(jti=""),
    ],
)
def test_bad_claims_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(AssertionRefused):
        check_assertion_claims(bad, client_id="c1", audience=AUD, now=NOW)

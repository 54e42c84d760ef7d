"""SMART on FHIR scopes and client assertions, as pure functions.

Scopes follow SMART App Launch 2.x (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
`<context>/<resource>.<verbs>` where context is `patient`, `user` or `system`, resource a FHIR
type or `*`, and verbs the v2 letters `cruds` (in that order) or the v1 `read`, `write`, `*`.
Backend Services assertions follow SMART Backend Services
(https://hl7.org/fhir/smart-app-launch/backend-services.html) and RFC 7523. `openid` and
`fhirUser` ask for an OpenID Connect id_token naming the person signed in (SMART App Launch 2.x,
"Scopes for requesting identity data").
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Scopes that are not about resources: asked for and granted as they are.
LAUNCH_SCOPES = frozenset({"launch/patient"})
# An id_token (OpenID Connect) and, in it, the FHIR URL of the person signed in (`fhirUser`).
IDENTITY_SCOPES = frozenset({"openid", "fhirUser"})
NAMED_SCOPES = LAUNCH_SCOPES | IDENTITY_SCOPES
SCOPE_CONTEXTS = ("patient", "user", "system")
# Backend Services: the assertion's algorithms the specification requires servers to accept.
ASSERTION_ALGORITHMS = ("RS384", "ES384")
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# "exp ... no more than five minutes in the future" (Backend Services, authentication JWT).
ASSERTION_MAX_LIFETIME_SECONDS = 300

# What an app a member of staff launches may write (SMART v2 letters: c create, u update), for
# the types this server writes; v1 `user/<type>.write` and `user/*.write` are taken too.
WRITE_SCOPES = (
    "user/Appointment.cu",
    "user/Coverage.cu",
    "user/Patient.cu",
    "user/ServiceRequest.c",
)
# A backend service only reads: each row written names the person who wrote it, and a client
# is not a person (docs/smart.md, "Writes").
SYSTEM_VERBS = frozenset("rs")

_SCOPE = re.compile(r"^(patient|user|system)/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|c?r?u?d?s?)$")
_V1_VERBS = {"read": "rs", "write": "cud", "*": "cruds"}


@dataclass(frozen=True)
class ResourceScope:
    context: str
    resource: str  # a type, or "*"
    verbs: frozenset[str]  # of "c r u d s"


def parse_scope(scope: str) -> ResourceScope | None:
    """The parts of a resource scope; None for anything else (`openid`, a malformed scope)."""
    match = _SCOPE.match(scope)
    if match is None or not match.group(3):
        return None
    verbs = _V1_VERBS.get(match.group(3), match.group(3))
    return ResourceScope(match.group(1), match.group(2), frozenset(verbs))


def is_known_scope(scope: str) -> bool:
    return scope in NAMED_SCOPES or parse_scope(scope) is not None


def scope_fits(scope: str, *, system: bool) -> bool:
    """Whether a scope belongs to a backend service (`system/` scopes that read) or to an app a
    person launches (`patient/`, `user/`, `launch/patient`, `openid`, `fhirUser`)."""
    parsed = parse_scope(scope)
    if parsed is None:
        return not system and scope in NAMED_SCOPES
    if system:
        return parsed.context == "system" and parsed.verbs <= SYSTEM_VERBS
    return parsed.context != "system"


def scope_writes(scope: str) -> bool:
    """Whether a resource scope asks to create, update or delete."""
    parsed = parse_scope(scope)
    return parsed is not None and not parsed.verbs <= SYSTEM_VERBS


def scope_covered(requested: str, allowed: Iterable[str]) -> bool:
    """Whether a client allowed `allowed` may be granted `requested`: a launch or identity scope
    only when allowed as it is; a resource scope when an allowed one of the same context names
    its type (or `*`) and every verb it asks for (`patient/*.rs` covers `patient/Goal.r`)."""
    allowed = list(allowed)
    if requested in NAMED_SCOPES:
        return requested in allowed
    wanted = parse_scope(requested)
    if wanted is None:
        return False
    for scope in allowed:
        held = parse_scope(scope)
        if (
            held is not None
            and held.context == wanted.context
            and held.resource in {"*", wanted.resource}
            and wanted.verbs <= held.verbs
        ):
            return True
    return False


_VERB_WORDS = {"c": "create", "r": "read", "u": "update", "d": "delete", "s": "search"}
_CONTEXT_WORDS = {
    "patient": "of the patient you choose or are",
    "user": "that you may see",
    "system": "of the whole organization",
}


_NAMED_WORDS = {
    "launch/patient": "Know which patient's record you open",
    "openid": "Know that it is you who signed in (an id of otclinic's, not your name)",
    "fhirUser": "Know your own record's address (the patient you are, or you as staff)",
}


def describe_scope(scope: str) -> str:
    """The scope in words, for the consent page."""
    if scope in _NAMED_WORDS:
        return _NAMED_WORDS[scope]
    parsed = parse_scope(scope)
    if parsed is None:
        return scope
    verbs = [word for letter, word in _VERB_WORDS.items() if letter in parsed.verbs]
    what = "all records" if parsed.resource == "*" else f"{parsed.resource} records"
    return f"{' and '.join(verbs).capitalize()} {what} {_CONTEXT_WORDS[parsed.context]}"


class AssertionRefused(Exception):
    """A Backend Services client assertion that may not be accepted; the message says why."""


def check_assertion_claims(
    claims: Mapping[str, Any], *, client_id: str, audience: str, now: float
) -> str:
    """The assertion's `jti` when its claims hold; AssertionRefused otherwise.

    `iss` and `sub` are the client id; `aud` the token endpoint's URL; `exp` in the future and
    at most five minutes away; `jti` present (the caller checks it was not used before)."""
    if claims.get("iss") != client_id or claims.get("sub") != client_id:
        raise AssertionRefused("iss and sub must both be the client_id")
    audiences = claims.get("aud")
    if isinstance(audiences, str):
        audiences = [audiences]
    if not isinstance(audiences, list) or audience not in audiences:
        raise AssertionRefused(f"aud must be the token endpoint {audience}")
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or isinstance(expires, bool):
        raise AssertionRefused("exp is required")
    if expires <= now:
        raise AssertionRefused("the assertion has expired")
    if expires > now + ASSERTION_MAX_LIFETIME_SECONDS:
        raise AssertionRefused("exp may be at most five minutes in the future")
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti:
        raise AssertionRefused("jti is required")
    return jti


def identity_problem(scopes: Iterable[str]) -> str:
    """Why a set of scopes asks for identity in a way that cannot be given (`fhirUser` is a
    claim of the id_token, which only `openid` asks for); empty when it can."""
    chosen = set(scopes)
    if "fhirUser" in chosen and "openid" not in chosen:
        return "fhirUser is a claim of the id_token: give openid with it."
    return ""


def offered_scopes(*, openid: bool) -> list[str]:
    """The scopes this server offers, as discovery lists them (`openid` and `fhirUser` when it
    issues id_tokens)."""
    identity = sorted(IDENTITY_SCOPES) if openid else []
    return [
        *identity,
        *sorted(LAUNCH_SCOPES),
        "patient/*.rs",
        "user/*.rs",
        *WRITE_SCOPES,
        "system/*.rs",
    ]


def smart_configuration(
    *, issuer: str, authorize: str, token: str, revoke: str, jwks: str = ""
) -> dict[str, Any]:
    """The `.well-known/smart-configuration` document (SMART App Launch 2.x, section 2.4).

    With `jwks` (the server issues id_tokens signed with the keys published there) it also
    offers `openid` and `fhirUser` and the `sso-openid-connect` capability; `issuer` is then
    the OpenID Connect issuer, as the specification requires."""
    capabilities = [
        "launch-standalone",
        "client-public",
        "context-standalone-patient",
        "permission-patient",
        "permission-user",
        "permission-v1",
        "permission-v2",
    ]
    document: dict[str, Any] = {
        "issuer": issuer,
        "authorization_endpoint": authorize,
        "token_endpoint": token,
        "revocation_endpoint": revoke,
        "token_endpoint_auth_methods_supported": ["private_key_jwt", "none"],
        "token_endpoint_auth_signing_alg_values_supported": list(ASSERTION_ALGORITHMS),
        "grant_types_supported": ["authorization_code", "client_credentials"],
        "scopes_supported": offered_scopes(openid=bool(jwks)),
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "capabilities": [*capabilities, "sso-openid-connect"] if jwks else capabilities,
    }
    if jwks:
        document["jwks_uri"] = jwks
    return document

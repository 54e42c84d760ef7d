"""`manage check`: the id_token signing key given in production is one that can sign."""

from typing import Any

from django.conf import settings
from django.core import checks
from jwcrypto.common import JWException
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.utils import jwk_from_pem

MIN_RSA_BITS = 2048


def _key_problem(pem: str) -> str:
    try:
        key = jwk_from_pem(pem)
    except (JWException, ValueError, TypeError):
        return "it is not a PEM key"
    if key.get("kty") != "RSA" or not key.has_private:
        return "it is not an RSA private key"
    modulus = key.get_op_key("sign").key_size
    if modulus < MIN_RSA_BITS:
        return f"it has {modulus} bits, fewer than {MIN_RSA_BITS}"
    return ""


@checks.register(checks.Tags.security)
def oidc_signing_key(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """smart.E001: SMART_OIDC_PRIVATE_KEY, when given, is an RSA private key of 2048 bits or
    more (the key development makes for itself is not checked: it is made only when needed)."""
    if not oauth2_settings.OIDC_ENABLED or not settings.OTCLINIC_OIDC_KEY_GIVEN:
        return []
    problem = _key_problem(str(oauth2_settings.OIDC_RSA_PRIVATE_KEY))
    if not problem:
        return []
    return [
        checks.Error(
            f"SMART_OIDC_PRIVATE_KEY cannot sign id_tokens: {problem}.",
            hint="Give an RSA private key in PEM (openssl genrsa 3072), or SMART_OPENID=0.",
            id="smart.E001",
        )
    ]

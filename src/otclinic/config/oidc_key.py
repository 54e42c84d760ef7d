"""The id_token signing key of development and the test suite, made when first needed.

Production gives its own (SMART_OIDC_PRIVATE_KEY, settings.py). This one lives only in the
process's memory: it is never written to a file, so it can never be committed, and a restart
makes a new one (id_tokens signed before it no longer verify, which development does not mind).
"""

import functools

from django.utils.functional import lazy
from jwcrypto import jwk


@functools.cache
def _generated() -> str:
    key = jwk.JWK.generate(kty="RSA", size=2048)
    pem: bytes = key.export_to_pem(private_key=True, password=None)
    return pem.decode()


def development_oidc_key() -> str:
    """A PEM private key, generated the first time it is read (settings hold the promise, so a
    command that never signs an id_token never spends the time to make one)."""
    promise: str = lazy(_generated, str)()
    return promise

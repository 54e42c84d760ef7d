"""Settings for the test suite: the project's own, told explicitly that this is a test run.

The suite sets its own key and switches off what only makes sense behind TLS (the redirect to
HTTPS, secure-only cookies), so the production settings never guess from what a process has
imported. The environment of the test process is left as it was, so that commands the tests
start in subprocesses see only what each test gives them.
"""

import os

_TEST_ENVIRONMENT = {
    "OTCLINIC_TESTING": "1",
    "SECRET_KEY": "otclinic-test-suite-not-secret",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
}
_before = {name: os.environ.get(name) for name in _TEST_ENVIRONMENT}
os.environ.update({k: v for k, v in _TEST_ENVIRONMENT.items() if _before[k] is None})
try:
    from otclinic.config.settings import *  # noqa: F403
finally:
    for _name, _value in _before.items():
        if _value is None:
            os.environ.pop(_name, None)

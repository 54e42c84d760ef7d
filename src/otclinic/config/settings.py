"""Settings for otclinic, read only from the environment.

Every value has a safe development default except SECRET_KEY, which production
(DEBUG off) must be given: the process refuses to start without it. A value may
also be given as a file with NAME_FILE (for container secrets).
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from otclinic.config.oidc_key import development_oidc_key
from otclinic.config.storage import default_storage

# Django's generic classes take their type arguments at run time too (`forms.ModelForm[Patient]`,
# `admin.ModelAdmin[Room]`), as the type checker reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parents[3]


def env(name: str, default: str = "") -> str:
    """The environment variable `name`, or the contents of the file `NAME_FILE`."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


def env_pairs(name: str) -> dict[str, str]:
    """Pairs of name=value, one a line or comma-separated (a value may not hold a comma)."""
    pairs = {}
    for item in env(name, "").replace(",", "\n").splitlines():
        if not item.strip():
            continue
        key, sep, value = item.strip().partition("=")
        if not (sep and key.strip() and value.strip()):
            raise ImproperlyConfigured(f"{name}: each entry is name=value, not {key.strip()!r}=...")
        pairs[key.strip()] = value.strip()
    return pairs


def env_int(name: str, default: int) -> int:
    value = env(name, str(default)).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = env_bool("DEBUG", False)
# The test suite says so itself (tests/settings.py), with a key of its own: nothing here guesses
# from what the process has imported.
TESTING = env_bool("OTCLINIC_TESTING", False)
_DEV_SECRET = "otclinic-development-only-not-secret"  # noqa: S105 - used only with DEBUG
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG off) refuses to start without it: "
            "set SECRET_KEY (or SECRET_KEY_FILE) in the environment, or DEBUG=1 for development."
        )
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto (request.is_secure())
# and, if it rewrites the host, its X-Forwarded-Host. Only when the proxy sets these headers
# itself and the app cannot be reached around it (docs/operations.md).
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
# Production answers plain HTTP with a redirect to HTTPS and tells browsers to keep to HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Asking to be on the browsers' preload lists is the operator's decision, not a default.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]


def _networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(v.strip()) for v in value.split(",") if v.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from None


# The reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed
# when deciding a request's client address (lockout, throttling, audit). Empty: the connection's
# own address is the client's (accounts.client_address).
TRUSTED_PROXIES = _networks(env("TRUSTED_PROXIES", ""))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "otclinic.clinic.organizations",
    "otclinic.clinic.accounts",
    "otclinic.clinic.audit",
    "otclinic.clinic.staff",
    "otclinic.clinic.payers",
    "otclinic.clinic.patients",
    "otclinic.clinic.referrals",
    "otclinic.clinic.care",
    "otclinic.clinic.scheduling",
    "otclinic.clinic.revenue",
    "otclinic.clinic.fieldwork",
    "otclinic.clinic.messaging",
    "otclinic.clinic.supervision",
    "otclinic.clinic.hiring",
    "otclinic.clinic.assistant",
    "otclinic.clinic.portal",
    "otclinic.clinic.web",
    "otclinic.clinic.demo",
    "otclinic.clinic.jobs",
    "otclinic.clinic.clearinghouse",
    "oauth2_provider",
    "otclinic.clinic.smart",
    "otclinic.clinic.fhir.bulk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "otclinic.clinic.accounts.middleware.IdleTimeoutMiddleware",
    "otclinic.clinic.accounts.middleware.SecondFactorMiddleware",
    "otclinic.clinic.accounts.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "otclinic.clinic.common.middleware.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "otclinic.clinic.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]
if env_bool("OTCLINIC_SERVER_TIMING", False):
    # Each response says the server's time, CPU time and query count (bench/pages.py).
    MIDDLEWARE.insert(0, "otclinic.clinic.common.timing.ServerTimingMiddleware")

ROOT_URLCONF = "otclinic.config.urls"
WSGI_APPLICATION = "otclinic.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "otclinic.clinic.web.context.navigation",
                "otclinic.clinic.accounts.context.idle_timeout",
            ],
        },
    }
]

_default_db = f"sqlite:///{BASE_DIR / 'var' / 'otclinic.sqlite3'}"
# Persistent connections: each web thread keeps its connection for CONN_MAX_AGE seconds
# (0 closes it after every request), checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", _default_db),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a seed writes; the timeout rides out short locks.
    # IMMEDIATE transactions take the write lock when they begin, so the web server and the job
    # worker wait their turn (up to the timeout) instead of failing on a lock upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # In memory, named so that pytest-django (which knows only Django's own ENGINE name) leaves it
    # in memory under xdist too.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
# Django's own backends with one addition: a transaction's audit entries are appended to their
# chains just before it commits (otclinic.clinic.audit.backends).
_AUDITED_BACKENDS = {
    "django.db.backends.sqlite3": "otclinic.clinic.audit.backends.sqlite3",
    "django.db.backends.postgresql": "otclinic.clinic.audit.backends.postgresql",
}
DATABASES["default"]["ENGINE"] = _AUDITED_BACKENDS.get(
    DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"]
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The audit chain's HMAC key, kept outside the database (AUDIT_KEY or AUDIT_KEY_FILE). Empty:
# derived from SECRET_KEY with a salt of its own. Changing it makes every existing entry fail
# verification (docs/operations.md, "The audit trail").
AUDIT_KEY = env("AUDIT_KEY")
# Signed checkpoints of every chain (`otclinic audit checkpoint`, hourly job), outside the
# database: a folder the database's administrators cannot write to.
AUDIT_CHECKPOINT_DIR = Path(
    env("AUDIT_CHECKPOINT_DIR", str(BASE_DIR / "var" / "audit-checkpoints"))
)

# The clearinghouse SFTP passwords and private keys, outside the database: a folder holding
# `<name>.password` or `<name>.key` for each name a payer's connection gives (docs/operations.md).
CLEARINGHOUSE_SECRETS_DIR = Path(
    env("CLEARINGHOUSE_SECRETS_DIR", str(BASE_DIR / "var" / "clearinghouse-secrets"))
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: lock a username from one address after five failures, for 15 minutes.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "otclinic.clinic.accounts.client_address.client_address"

# FHIR updates (PUT) must send If-Match with the version read; without it they answer 428
# (docs/fhir.md, "Writes"). Off: an update without If-Match is accepted.
OTCLINIC_FHIR_REQUIRE_IF_MATCH = env_bool("OTCLINIC_FHIR_REQUIRE_IF_MATCH", False)

# Throttling of the public forms and the API, per client address (and per account or address
# where the form names one): "count/period" with period s, m, h or d (accounts.throttle).
OTCLINIC_THROTTLE_RATES = {
    "password_reset": env("THROTTLE_PASSWORD_RESET", "5/h"),
    "set_password": env("THROTTLE_SET_PASSWORD", "10/h"),
    "second_factor": env("THROTTLE_SECOND_FACTOR", "10/5m"),
    "api": env("THROTTLE_API", "600/m"),
}
# Throttle counters live in the cache: each process's memory unless REDIS_URL names a shared
# one, which several web processes need for one count per client (docs/operations.md).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
    }

# Second factor (TOTP through django-otp): the issuer name authenticator apps show.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "otclinic")
# Automatic logoff: minutes of inactivity after which a session ends, when an organization has
# not set its own (HIPAA 164.312(a)(2)(iii)); the page warns this many seconds before.
OTCLINIC_IDLE_TIMEOUT_MINUTES = env_int("IDLE_TIMEOUT_MINUTES", 15)
OTCLINIC_IDLE_WARNING_SECONDS = env_int("IDLE_WARNING_SECONDS", 120)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Uploaded and generated files (PDFs, 837P files, 835 files) go through the default storage and
# never through a local path, so several web servers can share them: a local folder by default,
# S3-compatible object storage when S3_BUCKET is set (otclinic.config.storage).
STORAGES = {
    "default": default_storage(env),
    # Production serves collected files under content-hashed names that browsers may cache for
    # ever (`otclinic serve` collects them); development and tests read the apps' folders.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG

# The production web server: `otclinic serve` runs gunicorn with these when DEBUG is off.
# Each worker process runs WEB_THREADS threads, and each thread may hold one database connection.
WEB_SERVER = {
    "bind": env("WEB_BIND", "127.0.0.1:8000"),
    "workers": env_int("WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1),
    "threads": env_int("WEB_THREADS", 4),
    # Seconds a request may run before its worker is restarted: long billing pages still run
    # in the request (they move to background jobs), so the default leaves them room.
    "timeout": env_int("WEB_TIMEOUT", 120),
    "graceful_timeout": env_int("WEB_GRACEFUL_TIMEOUT", 30),
    "keepalive": env_int("WEB_KEEPALIVE", 5),
    # A worker is replaced after this many requests (plus up to the jitter), which bounds the
    # memory any slow leak can take; 0 never replaces it.
    "max_requests": env_int("WEB_MAX_REQUESTS", 1000),
    "max_requests_jitter": env_int("WEB_MAX_REQUESTS_JITTER", 100),
    # The proxies whose X-Forwarded-* headers gunicorn believes (comma-separated, or *).
    "forwarded_allow_ips": env("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token is in the page (hx-headers)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts only from our own static files, no inline
# script or handler and no eval; inline style attributes remain allowed (the templates use them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Background jobs (docs/operations.md): Django's Tasks framework (the django-tasks backport) with
# the database backend, so the queue lives in the same SQLite or PostgreSQL database and needs no
# other server; `otclinic worker` runs them. OTCLINIC_TASKS_BACKEND may name another backend
# (django_tasks.backends.immediate.ImmediateBackend runs each job in the request that starts it).
TASKS = {
    "default": {
        "BACKEND": env("OTCLINIC_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "periodic"],
    }
}
# How often a running job writes its progress, at most (seconds).
OTCLINIC_JOB_PROGRESS_EVERY = float(env("OTCLINIC_JOB_PROGRESS_EVERY", "1.0"))
# FHIR bulk export (docs/fhir.md): hours its files are kept after it ends, and the size past
# which a type's NDJSON is split into another file (bytes).
OTCLINIC_FHIR_EXPORT_HOURS = env_int("OTCLINIC_FHIR_EXPORT_HOURS", 24)
OTCLINIC_FHIR_EXPORT_FILE_BYTES = env_int("OTCLINIC_FHIR_EXPORT_FILE_BYTES", 64 * 1024 * 1024)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "otclinic@localhost")
# How long an invitation's set-password link works (days); a newer invitation ends it sooner.
OTCLINIC_INVITATION_DAYS = env_int("OTCLINIC_INVITATION_DAYS", 3)
# Who delivers appointment reminders (docs/scheduling-reminders.md): a dotted path to a sender
# class; the console sender prints them, otclinic.clinic.scheduling.reminders.EmailSender emails.
OTCLINIC_REMINDER_SENDER = env(
    "OTCLINIC_REMINDER_SENDER", "otclinic.clinic.scheduling.reminders.ConsoleSender"
)
# Documents sent to physicians (docs/sending-to-physicians.md): Direct secure email goes through
# EMAIL_BACKEND from OTCLINIC_DIRECT_FROM_EMAIL; faxes through an HTTP fax gateway at
# OTCLINIC_FAX_GATEWAY_URL with the bearer token OTCLINIC_FAX_GATEWAY_TOKEN (or _FILE). Without
# a URL a fax is recorded as failed ("no fax gateway configured"). OTCLINIC_FAX_GATEWAY names
# another gateway class by dotted path.
OTCLINIC_DIRECT_FROM_EMAIL = env("OTCLINIC_DIRECT_FROM_EMAIL", DEFAULT_FROM_EMAIL)
OTCLINIC_FAX_GATEWAY = env("OTCLINIC_FAX_GATEWAY", "otclinic.clinic.care.sending.HttpFaxGateway")
OTCLINIC_FAX_GATEWAY_URL = env("OTCLINIC_FAX_GATEWAY_URL", "")
OTCLINIC_FAX_GATEWAY_TOKEN = env("OTCLINIC_FAX_GATEWAY_TOKEN", "")
OTCLINIC_FAX_GATEWAY_TIMEOUT = env_int("OTCLINIC_FAX_GATEWAY_TIMEOUT", 30)
# The fax gateways' delivery reports (POST /care/fax/<gateway>/status/) carry a shared secret
# per gateway as a bearer token: OTCLINIC_FAX_CALLBACK_SECRETS (or _FILE) holds one
# "gateway=secret" pair a line (or comma-separated). A gateway not named here is refused.
OTCLINIC_FAX_CALLBACK_SECRETS = env_pairs("OTCLINIC_FAX_CALLBACK_SECRETS")

# SMART on FHIR (docs/smart.md): django-oauth-toolkit is the OAuth 2.0 server; otclinic's
# validator ties each client to its organization, checks Backend Services assertions and grants
# only the scopes registered for the client. RFC 9700's recommendations are all enforced (PKCE
# S256 only, tokens stored as digests, no token in a query string).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
# OpenID Connect (an app's `openid fhirUser`: an id_token naming the person signed in), signed
# with an RSA private key kept outside the database: SMART_OIDC_PRIVATE_KEY (or _FILE), a PEM.
# On whenever a key is given; SMART_OPENID=1 without one refuses to start in production.
# Development and the test suite sign with a key made in memory when first needed: never
# written anywhere, so never committed, and different in every process.
OTCLINIC_OIDC_KEY_GIVEN = bool(env("SMART_OIDC_PRIVATE_KEY"))
OTCLINIC_OPENID = env_bool("SMART_OPENID", OTCLINIC_OIDC_KEY_GIVEN or DEBUG or TESTING)
if OTCLINIC_OPENID and not OTCLINIC_OIDC_KEY_GIVEN and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "SMART_OPENID is on but SMART_OIDC_PRIVATE_KEY is not set. Production (DEBUG off) "
        "signs id_tokens only with a key of its own: set SMART_OIDC_PRIVATE_KEY (or "
        "SMART_OIDC_PRIVATE_KEY_FILE) to an RSA private key in PEM (openssl genrsa 3072), "
        "or SMART_OPENID=0 to offer no openid."
    )
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": OTCLINIC_OPENID,
    "OIDC_RSA_PRIVATE_KEY": (
        env("SMART_OIDC_PRIVATE_KEY")
        if OTCLINIC_OIDC_KEY_GIVEN or not OTCLINIC_OPENID
        else development_oidc_key()
    ),
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["private_key_jwt", "none"],
    "OAUTH2_VALIDATOR_CLASS": "otclinic.clinic.smart.oauth.SmartValidator",
    "OAUTH2_SERVER_CLASS": "otclinic.clinic.smart.oauth.SmartServer",
    "SCOPES_BACKEND_CLASS": "otclinic.clinic.smart.oauth.SmartScopes",
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    # A person's app: one hour (then it launches again); a backend service: five minutes.
    # An id_token lives as long as the access token it comes with.
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("SMART_USER_TOKEN_SECONDS", 3600),
    "ID_TOKEN_EXPIRE_SECONDS": env_int("SMART_USER_TOKEN_SECONDS", 3600),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env_int("SMART_REFRESH_TOKEN_SECONDS", 8 * 3600),
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if not DEBUG else ["https", "http"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    # RFC 9700 4.14.2: a refresh token used twice revokes its whole family (rotation is on).
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}
OTCLINIC_SMART_SYSTEM_TOKEN_SECONDS = env_int("SMART_SYSTEM_TOKEN_SECONDS", 300)

# Application logs carry record ids, never names, birth dates or note text. The PHI filter
# is a second line of defence: it drops request bodies and query strings from log records.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_phi": {"()": "otclinic.clinic.audit.logging.NoPhiFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["no_phi"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

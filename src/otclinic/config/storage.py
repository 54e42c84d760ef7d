"""Where uploaded and generated files live, chosen from the environment.

The local folder MEDIA_ROOT by default (one server, or several sharing a network folder).
With S3_BUCKET set, S3-compatible object storage through django-storages: AWS S3, or any
service that speaks its API (MinIO, Ceph, Backblaze, ...) at S3_ENDPOINT_URL. Files are
private: nothing links to the bucket; every download goes through a view that checks the
user's organization and role and reads the file through the storage.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"


def default_storage(env: Callable[[str, str], str]) -> dict[str, Any]:
    """The STORAGES["default"] entry for this environment (`env(name, default)` reads it)."""
    bucket = env("S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": FILESYSTEM}
    access_key = env("S3_ACCESS_KEY_ID", "").strip()
    secret_key = env("S3_SECRET_ACCESS_KEY", "").strip()
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both, or neither to use "
            "the machine's own credentials (instance role, AWS_* variables, ~/.aws)"
        )
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": env("S3_PREFIX", "").strip().strip("/"),
        # Never overwrite: two servers saving the same name both keep their file.
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "signature_version": "s3v4",
        "addressing_style": env("S3_ADDRESSING_STYLE", "").strip() or None,
    }
    for option, name in [
        ("endpoint_url", "S3_ENDPOINT_URL"),
        ("region_name", "S3_REGION"),
        ("access_key", "S3_ACCESS_KEY_ID"),
        ("secret_key", "S3_SECRET_ACCESS_KEY"),
    ]:
        value = env(name, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": S3, "OPTIONS": options}

"""A digest of source and rule files: what a stored computation was computed with."""

import hashlib
from collections.abc import Iterable
from pathlib import Path


def files_digest(files: Iterable[Path]) -> str:
    """A short digest of the files' contents, in the order given: a release that changes any
    of them changes it, so answers stored under the old one are known to be stale."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]

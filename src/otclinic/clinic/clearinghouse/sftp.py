"""The SFTP transport (asyncssh): upload files to the clearinghouse's folder, download what waits
in its answer folder.

The server is checked against the host key kept in the payer's connection (never "trust on
first use"); the password or private key is read from CLEARINGHOUSE_SECRETS_DIR at the moment
of connecting, never stored in the database or written to a log. Each call opens one session
and closes it.
"""

import asyncio
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings

CREDENTIAL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
TIMEOUT_SECONDS = 30


class TransportError(RuntimeError):
    """The clearinghouse could not be reached or refused us; the message holds no secret."""


def _asyncssh() -> Any:
    # asyncssh still supports DSA keys, which the cryptography package warns about on import.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import asyncssh

    return asyncssh


@dataclass(frozen=True)
class Endpoint:
    """Where and as whom to connect: from a payer's connection and the secrets folder."""

    host: str
    port: int
    username: str
    host_key: str
    credential: str
    upload_path: str
    download_path: str


def endpoint_of(connection: Any) -> Endpoint:
    return Endpoint(
        host=connection.sftp_host,
        port=connection.sftp_port,
        username=connection.sftp_username,
        host_key=connection.sftp_host_key.strip(),
        credential=connection.credential,
        upload_path=connection.upload_path,
        download_path=connection.download_path,
    )


def _secret(name: str) -> dict[str, Any]:
    """The login for `name`: `<name>.key` (a private key) or `<name>.password`."""
    if not CREDENTIAL_NAME.match(name or ""):
        raise TransportError(f"the connection's credential name {name!r} is not a file name")
    folder = Path(settings.CLEARINGHOUSE_SECRETS_DIR)
    key, password = folder / f"{name}.key", folder / f"{name}.password"
    asyncssh = _asyncssh()
    if key.is_file():
        try:
            return {"client_keys": [asyncssh.read_private_key(str(key))], "password": None}
        except (asyncssh.KeyImportError, OSError) as exc:
            raise TransportError(
                f"the key {name}.key cannot be read: {type(exc).__name__}"
            ) from None
    if password.is_file():
        return {"client_keys": None, "password": password.read_text(encoding="utf-8").strip()}
    raise TransportError(f"neither {name}.key nor {name}.password is in the secrets folder")


def _options(endpoint: Endpoint) -> dict[str, Any]:
    asyncssh = _asyncssh()
    if not endpoint.host or not endpoint.username:
        raise TransportError("the connection has no SFTP host or user")
    try:
        trusted = asyncssh.import_public_key(endpoint.host_key)
    except (asyncssh.KeyImportError, ValueError):
        raise TransportError(
            "the connection's SFTP host key is not an OpenSSH public key"
        ) from None
    return {
        "host": endpoint.host,
        "port": endpoint.port,
        "username": endpoint.username,
        "known_hosts": ([trusted], [], []),
        "agent_path": None,
        "config": [],
        "connect_timeout": TIMEOUT_SECONDS,
        **_secret(endpoint.credential),
    }


def _run(work: Any) -> Any:
    """Run the SFTP conversation to its end. In a thread whose event loop is already running (an
    async caller, or a library that drives one), it runs on a thread of its own."""
    asyncssh = _asyncssh()
    bounded = asyncio.wait_for(work, TIMEOUT_SECONDS * 4)
    try:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(bounded)
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, bounded).result()
    except (OSError, asyncssh.Error, TimeoutError) as exc:
        reason = getattr(exc, "reason", "") or type(exc).__name__
        raise TransportError(f"SFTP failed: {reason}") from None


def upload(endpoint: Endpoint, files: list[tuple[str, bytes]]) -> list[str]:
    """Put each (name, data) in the upload folder; the names written. A file is written under a
    temporary name and renamed, so the clearinghouse never picks up half a file."""
    options = _options(endpoint)

    async def work() -> list[str]:
        asyncssh = _asyncssh()
        async with asyncssh.connect(**options) as conn, conn.start_sftp_client() as sftp:
            done = []
            for name, data in files:
                target = str(PurePosixPath(endpoint.upload_path) / name)
                partial = f"{target}.part"
                async with sftp.open(partial, "wb") as handle:
                    await handle.write(data)
                if await sftp.exists(target):
                    await sftp.remove(target)
                await sftp.rename(partial, target)
                done.append(name)
            return done

    result: list[str] = _run(work())
    return result


def download(endpoint: Endpoint, *, skip: set[str] | None = None) -> list[tuple[str, bytes]]:
    """Every regular file in the download folder (but those named in `skip`), as (name, data)."""
    options = _options(endpoint)
    skip = skip or set()

    async def work() -> list[tuple[str, bytes]]:
        asyncssh = _asyncssh()
        async with asyncssh.connect(**options) as conn, conn.start_sftp_client() as sftp:
            found = []
            for entry in sorted(
                await sftp.readdir(endpoint.download_path), key=lambda e: e.filename
            ):
                name = entry.filename
                if name in {".", ".."} or name in skip or name.endswith(".part"):
                    continue
                if entry.attrs.type != asyncssh.FILEXFER_TYPE_REGULAR:
                    continue
                path = str(PurePosixPath(endpoint.download_path) / name)
                async with sftp.open(path, "rb") as handle:
                    found.append((name, await handle.read()))
            return found

    result: list[tuple[str, bytes]] = _run(work())
    return result

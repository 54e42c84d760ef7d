"""A real SFTP server for the transport tests: asyncssh's, on 127.0.0.1 on a free port, with a
host key generated for the test, password or public-key login, and a folder of the test's own
as its root. It runs its own event loop in a thread, so the code under test connects to it as
to any server."""

import asyncio
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import asyncssh


@dataclass
class Server:
    port: int
    root: Path
    host_key: str  # the public key line, as a payer's connection keeps it
    logins: list[str]


def _server_class(username: str, password: str | None, client_key: Any, logins: list[str]) -> Any:
    class Login(asyncssh.SSHServer):
        def begin_auth(self, user: str) -> bool:
            return True

        def password_auth_supported(self) -> bool:
            return password is not None

        def validate_password(self, user: str, given: str) -> bool:
            ok = user == username and given == password
            logins.append(f"password {user} {'ok' if ok else 'refused'}")
            return ok

        def public_key_auth_supported(self) -> bool:
            return client_key is not None

        def validate_public_key(self, user: str, key: Any) -> bool:
            ok = user == username and key == client_key
            logins.append(f"key {user} {'ok' if ok else 'refused'}")
            return ok

    return Login


@contextmanager
def sftp_server(
    root: Path, *, username: str = "sunrise", password: str | None = None, client_key: Any = None
) -> Iterator[Server]:
    """Serve `root` over SFTP until the block ends."""
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    loop = asyncio.new_event_loop()
    logins: list[str] = []
    started = threading.Event()
    holder: dict[str, Any] = {}

    def run() -> None:
        asyncio.set_event_loop(loop)

        async def start() -> None:
            holder["server"] = await asyncssh.listen(
                "127.0.0.1",
                0,
                server_host_keys=[host_key],
                server_factory=_server_class(username, password, client_key, logins),
                sftp_factory=lambda chan: asyncssh.SFTPServer(chan, chroot=str(root).encode()),
                allow_scp=False,
            )
            started.set()

        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(10), "the SFTP server did not start"
    port = holder["server"].sockets[0].getsockname()[1]
    public = host_key.export_public_key("openssh").decode().strip()
    try:
        yield Server(port=port, root=root, host_key=public, logins=logins)
    finally:

        async def stop() -> None:
            holder["server"].close()
            await holder["server"].wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()

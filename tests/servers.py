"""Servers that tests start as subprocesses on a free loopback port, and stop again."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from http.client import HTTPMessage
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without what makes settings think they run under pytest (and
    without the async-safety switch the browser tests' live server needs, which a production
    server must never inherit)."""
    dropped = {
        "OTCLINIC_TESTING",
        "DJANGO_SETTINGS_MODULE",
        "DEBUG",
        "SECRET_KEY",
        "S3_BUCKET",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("PYTEST")}
    return env | extra


@contextlib.contextmanager
def running(
    args: list[str], *, env: Mapping[str, str], log: Path, ready_url: str, timeout: float = 90
) -> Iterator[subprocess.Popen[bytes]]:
    """Start `args`, wait until `ready_url` answers (any HTTP status), stop it on exit."""
    with log.open("wb") as out:
        process = subprocess.Popen(args, env=dict(env), stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while not answers(ready_url):
            if process.poll() is not None:
                raise AssertionError(f"{args[0]} exited with {process.returncode}:\n{log_of(log)}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{ready_url} did not answer in {timeout} s:\n{log_of(log)}")
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 - a loopback URL of the test's own
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def get(url: str, **headers: str) -> tuple[int, HTTPMessage, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback, the test's own
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def log_of(path: Path) -> str:
    return path.read_text(errors="replace")[-4000:]

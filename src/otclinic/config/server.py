"""The production web server: gunicorn serving otclinic's WSGI application.

`otclinic serve` runs it when DEBUG is off, with the worker, thread, timeout and bind settings
of `settings.WEB_SERVER` (from the environment; see .env.example). Static files are served by
WhiteNoise from STATIC_ROOT inside the application, so no other server is needed in front
except the TLS-terminating reverse proxy (docs/operations.md).
"""

from collections.abc import Mapping
from typing import Any

from gunicorn.app.base import BaseApplication

# Request lines without their query string and without the referer: patient searches travel
# in query strings, so the access log holds the method, the path (record ids only), the status,
# the size and the time taken.
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


def gunicorn_options(*, server: Mapping[str, Any], bind: str | None = None) -> dict[str, Any]:
    """gunicorn's settings from `settings.WEB_SERVER`, with `bind` (the --addr option) first."""
    threads = int(server["threads"])
    return {
        "bind": [bind or server["bind"]],
        "workers": int(server["workers"]),
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": int(server["timeout"]),
        "graceful_timeout": int(server["graceful_timeout"]),
        "keepalive": int(server["keepalive"]),
        "max_requests": int(server["max_requests"]),
        "max_requests_jitter": int(server["max_requests_jitter"]),
        "forwarded_allow_ips": server["forwarded_allow_ips"],
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "proc_name": "otclinic",
        # gunicorn's control socket defaults to one path per user: two servers on one machine
        # (a blue-green switch, a second instance) would fight over it. It is not needed.
        "control_socket_disable": True,
    }


class ClinicServer(BaseApplication):
    """gunicorn configured from a dict instead of its command line."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.options = dict(options)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from otclinic.config.wsgi import application

        return application


def serve_production(*, bind: str | None = None) -> None:
    """Run gunicorn in the foreground until it is stopped (SIGTERM or SIGINT)."""
    from django.conf import settings

    ClinicServer(gunicorn_options(server=settings.WEB_SERVER, bind=bind)).run()

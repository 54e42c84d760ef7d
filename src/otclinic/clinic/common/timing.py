"""A `Server-Timing` header on every response, for measuring pages (bench/pages.py).

Enabled only when `OTCLINIC_SERVER_TIMING` is on (settings add the middleware then): the
response says how long the server took (`app`, wall clock), how much CPU the worker spent on it
(`cpu`, the process's CPU time, which other processes on a shared machine do not inflate) and
how many database queries it made (`db`). It carries no record data, only numbers.
"""

import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse


class QueryCounter:
    """Counts the statements one request sends to each database."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], *args: Any) -> Any:
        self.count += 1
        return execute(*args)


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = QueryCounter()
        wall, cpu = time.perf_counter(), time.process_time()
        wrappers = [connection.execute_wrapper(counter) for connection in connections.all()]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        wall_ms = (time.perf_counter() - wall) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        response["Server-Timing"] = (
            f'app;dur={wall_ms:.1f}, cpu;dur={cpu_ms:.1f}, db;desc="{counter.count} queries"'
        )
        return response

"""The served ASGI application lets a bounded number of requests run Django's code at once."""

from __future__ import annotations

import asyncio
import importlib
import os
from typing import Any

import pytest
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpResponse


def test_at_most_web_threads_requests_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Importing the served application sets DATABASE_CONN_MAX_AGE for its process: not for this one.
    monkeypatch.setitem(os.environ, "DATABASE_CONN_MAX_AGE", "0")
    asgi = importlib.import_module("config.asgi")
    inside = {"now": 0, "most": 0}

    async def a_slow_view(self: Any, request: Any) -> HttpResponse:
        inside["now"] += 1
        inside["most"] = max(inside["most"], inside["now"])
        await asyncio.sleep(0.02)
        inside["now"] -= 1
        return HttpResponse("ok")

    monkeypatch.setattr(ASGIHandler, "run_get_response", a_slow_view)
    monkeypatch.setattr(asgi, "WEB_THREADS", 3)
    handler = asgi.BoundedASGIHandler()

    async def burst() -> list[HttpResponse]:
        return list(await asyncio.gather(*(handler.run_get_response(object()) for _ in range(20))))

    responses = asyncio.run(burst())

    assert [response.status_code for response in responses] == [200] * 20
    assert inside["most"] == 3

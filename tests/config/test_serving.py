"""The web app served as documented (`gunicorn -c config/gunicorn.conf.py`) keeps answering while
dozens of clients send their request headers a byte at a time (slowloris).

With gunicorn's sync workers, two such clients took the site down for as long as they trickled;
this test then failed (every normal request timed out). See config/gunicorn.conf.py.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from knox.models import AuthToken

from factcheck.roles import READER
from tests.conftest import REPO_ROOT, wait_for, worker_environment

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]

SLOW_CLIENTS = 50
# A normal request must answer within this while the slow clients trickle.
PROMPT_SECONDS = 2.0
BYTE_INTERVAL_SECONDS = 0.2
TRICKLE_SECONDS = 6.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def documented_command(port: int) -> list[str]:
    """The command of `make serve` and the Docker image, on a port of the test's own."""
    return [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]


@contextlib.contextmanager
def serving(log: Path, **environment: str) -> Iterator[str]:
    """The documented server on a free port of 127.0.0.1, on the test database; yields its base URL."""
    port = free_port()
    environment = {
        **worker_environment(),
        "SECRET_KEY": "serving-test-secret-key-long-enough-for-the-checks",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATICFILES_MANIFEST": "false",
        "WEB_WORKERS": "2",
        **environment,
    }
    server = subprocess.Popen(
        documented_command(port), cwd=REPO_ROOT, env=environment, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: _answers(f"{base}/admin/login/"), timeout=30), log.read_text()
        yield base
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=20)
        if server.poll() is None:
            server.kill()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    with serving(tmp_path / "gunicorn.log") as base:
        yield base


def _answers(url: str) -> bool:
    try:
        requests.get(url, timeout=2)
    except requests.RequestException:
        return False
    return True


class SlowClients:
    """Connections that send a request line, then one header byte per interval, never finishing."""

    def __init__(self, base: str, count: int) -> None:
        host, port = re.fullmatch(r"http://([\d.]+):(\d+)", base).groups()  # type: ignore[union-attr]
        self.sockets = [socket.create_connection((host, int(port)), timeout=5) for _ in range(count)]
        self.stop = threading.Event()
        self.failed_sends = 0
        for sock in self.sockets:
            sock.sendall(b"GET /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self) -> None:
        while not self.stop.wait(BYTE_INTERVAL_SECONDS):
            for sock in self.sockets:
                try:
                    sock.sendall(b"X")
                except OSError:
                    self.failed_sends += 1

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        for sock in self.sockets:
            sock.close()


def a_reader_token() -> str:
    user = get_user_model().objects.create_user("wire-desk")
    user.groups.add(Group.objects.get(name=READER))
    return AuthToken.objects.create(user=user, expiry=None)[1]


def timed_get(url: str, **kwargs: object) -> tuple[int, float]:
    started = time.monotonic()
    response = requests.get(url, timeout=PROMPT_SECONDS + 1, **kwargs)  # type: ignore[arg-type]
    return response.status_code, time.monotonic() - started


def test_it_answers_promptly_while_fifty_clients_send_headers_a_byte_at_a_time(served: str) -> None:
    headers = {"Authorization": f"Token {a_reader_token()}"}
    slow = SlowClients(served, SLOW_CLIENTS)
    try:
        time.sleep(1.0)  # every slow connection accepted and half-way through its headers
        answers: list[tuple[str, int, float]] = []
        deadline = time.monotonic() + TRICKLE_SECONDS
        while time.monotonic() < deadline:
            for path, extra in (
                ("/admin/login/", {}),
                ("/api/v1/verdicts/", {"headers": headers}),  # the database, under ASGI
                ("/static/admin/css/base.css", {}),  # WhiteNoise, under ASGI
            ):
                try:
                    status, seconds = timed_get(f"{served}{path}", **extra)
                except requests.Timeout:
                    pytest.fail(f"{path} got no answer within {PROMPT_SECONDS + 1} s while slow clients trickled")
                answers.append((path, status, seconds))
            time.sleep(0.3)
        still_trickling = slow.failed_sends == 0
    finally:
        slow.close()
    assert still_trickling, "the server dropped slow clients, so they tested nothing"
    assert {status for _, status, _ in answers} == {200}, answers
    slowest = max(answers, key=lambda answer: answer[2])
    assert slowest[2] < PROMPT_SECONDS, slowest
    # Each request gave its database connection back (config/asgi.py): none is left open.
    assert wait_for(lambda: server_connections() == 0, timeout=5), server_connections()


def server_connections() -> int:
    """Connections to the test database other than this test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def test_it_closes_a_connection_whose_headers_take_longer_than_the_deadline(tmp_path: Path) -> None:
    with serving(tmp_path / "gunicorn.log", WEB_HEADER_TIMEOUT="2") as base:
        slow = SlowClients(base, 1)
        try:
            closed = wait_for(lambda: slow.failed_sends > 0, timeout=6)
        finally:
            slow.close()
        status, _ = timed_get(f"{base}/admin/login/")
    assert closed, "a client still sending its headers after 6 s was not disconnected"
    assert status == 200


def test_make_serve_and_the_image_start_the_server_the_same_way() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text()
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert "gunicorn -c config/gunicorn.conf.py" in makefile
    assert "gunicorn -c config/gunicorn.conf.py" in dockerfile
    assert "config.wsgi" not in makefile + dockerfile
    assert os.path.exists(REPO_ROOT / "config" / "gunicorn.conf.py")

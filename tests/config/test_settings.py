"""Settings read from the environment: defaults, parsing and refusals, in a fresh interpreter each."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

SHOW = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], 'debug': settings.DEBUG, "
    "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'hosts': settings.ALLOWED_HOSTS}))"
)
SETTINGS_VARIABLES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_REPLICA_URLS",
)


def load_settings(show: str = SHOW, **env: str) -> subprocess.CompletedProcess[str]:
    """The settings a fresh interpreter gets from ``env``; ``show`` prints what the test looks at."""
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", show], cwd=REPO_ROOT, env={**clean, **env}, capture_output=True, text=True, check=False
    )


def test_with_nothing_set_it_runs_the_embedded_demo() -> None:
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "engine": "django.db.backends.sqlite3",
        "debug": True,
        "eager": True,
        "hosts": ["localhost", "127.0.0.1", "[::1]"],
    }


def test_a_deployment_gets_postgresql_a_broker_and_debug_off() -> None:
    result = load_settings(
        DATABASE_URL="postgres://u@db:5432/f",
        CELERY_BROKER_URL="redis://r:6379/0",
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="checks.example.org, api.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "engine": "django.db.backends.postgresql",
        "debug": False,
        "eager": False,
        "hosts": ["checks.example.org", "api.example.org"],
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "postgres://u@db/f"}, "SECRET_KEY must be set when DEBUG is off"),
        ({"DEBUG": "perhaps"}, "DEBUG must be a boolean"),
        ({"CELERY_TASK_TIME_LIMIT": "5000"}, "soft time limit < time limit < visibility timeout"),
        ({"FACTCHECK_MAX_SOURCE_BYTES": "lots"}, "FACTCHECK_MAX_SOURCE_BYTES must be an integer"),
    ],
)
def test_bad_configuration_fails_with_a_clear_message(env: dict[str, str], message: str) -> None:
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    "env",
    [{"DATABASE_URL": "postgres://postgres@127.0.0.1:1/factcheck"}, {"DEBUG": "false"}],
    ids=["database-url-set", "debug-off"],
)
def test_the_demo_without_a_secret_key_says_what_to_set_without_a_traceback(env: dict[str, str]) -> None:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    result = subprocess.run(
        [sys.executable, "manage.py", "demo", "--no-serve"],
        cwd=REPO_ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("manage.py: not a usable configuration: SECRET_KEY must be set when DEBUG is off")
    assert "DEBUG=true will do" in result.stderr


def test_the_test_run_stops_with_one_line_when_a_service_is_missing() -> None:
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/factcheck"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/crosscheck", "-q", "-p", "no:cacheprovider"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 3
    assert "PostgreSQL is unreachable at 127.0.0.1:1" in result.stdout + result.stderr

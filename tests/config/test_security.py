"""Security settings: deploy checks, login lockout, Content Security Policy, and every
view refusing anonymous visitors unless it is meant to be public."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from factcheck.checks import check_public_urls, public_url_problem
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db

# Views anyone may open: the public fact-check pages, the API's schema and docs, the login.
PUBLIC = re.compile(
    r"^/(fact-checks/.*|api/v1/(schema|docs)/.*|admin/login/|admin/logout/|admin/password_reset/.*|"
    r"admin/reset/.*|api/v1/.*(no-such|\.\*).*)?$"
)


def production_environment(**overrides: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "checks.example.org",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
        "FACTCHECK_PUBLIC_BASE_URL": "https://checks.example.org",
        "FACTCHECK_ORGANIZATION_URL": "https://example.org/",
        **overrides,
    }


def deploy_check(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_checks_pass_with_production_settings() -> None:
    result = deploy_check(production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_checks_fail_when_the_public_urls_are_left_at_their_loopback_default() -> None:
    environment = production_environment()
    del environment["FACTCHECK_PUBLIC_BASE_URL"], environment["FACTCHECK_ORGANIZATION_URL"]
    result = deploy_check(environment)
    assert result.returncode != 0
    assert "factcheck.W001" in result.stderr
    assert "factcheck.W002" in result.stderr
    assert "FACTCHECK_PUBLIC_BASE_URL is not https ('http://127.0.0.1:8000')" in result.stderr


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://checks.example.org", None),
        ("https://203.0.113.7:8443/checks", "names a loopback or private host"),  # TEST-NET: not global
        ("https://8.8.8.8/checks", None),
        ("", "is not set"),
        ("checks.example.org", "has no host"),
        ("http://checks.example.org", "is not https"),
        ("https://localhost:8000", "names a loopback or private host"),
        ("https://app.localhost", "names a loopback or private host"),
        ("https://127.0.0.1:8000", "names a loopback or private host"),
        ("https://[::1]/", "names a loopback or private host"),
        ("https://10.0.0.5", "names a loopback or private host"),
        ("https://0.0.0.0", "names a loopback or private host"),
    ],
)
def test_it_names_what_is_wrong_with_a_public_url(url: str, problem: str | None) -> None:
    assert public_url_problem(url) == problem


def test_the_public_url_check_is_silent_in_debug(settings) -> None:
    settings.FACTCHECK_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    settings.DEBUG = True
    assert check_public_urls() == []
    settings.DEBUG = False
    assert [message.id for message in check_public_urls()] == ["factcheck.W001", "factcheck.W002"]


def test_repeated_wrong_passwords_lock_the_login_out(client: Client) -> None:
    get_user_model().objects.create_superuser("boss", "boss@example.org", "the right password")
    for _ in range(4):
        refused = client.post("/admin/login/", {"username": "boss", "password": "wrong"})
        assert refused.status_code == 200  # the form again, with its error
    assert client.post("/admin/login/", {"username": "boss", "password": "wrong"}).status_code == 429  # the fifth
    locked = client.post("/admin/login/", {"username": "boss", "password": "the right password"})
    assert locked.status_code == 429
    assert not client.session.get("_auth_user_id")


def test_pages_carry_a_content_security_policy_without_inline_scripts(admin_client: Client) -> None:
    for url in ["/admin/", "/api/v1/docs/", "/admin/login/"]:
        policy = admin_client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy


def every_url(resolver: URLResolver | None = None, prefix: str = "/") -> list[str]:
    """Every route of the URL conf, with placeholder values for its parameters."""
    resolver = resolver or get_resolver()
    urls: list[str] = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "x" if m.group(1) in {"slug", "app_label"} else "1", route)
        route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".")
        if isinstance(pattern, URLResolver):
            urls.extend(every_url(pattern, prefix + route))
        elif isinstance(pattern, URLPattern) and "(?P" not in route and "(" not in route:
            urls.append(prefix + route)
    return sorted(set(urls))


def test_every_view_refuses_anonymous_visitors_unless_it_is_public(client: Client) -> None:
    urls = every_url()
    assert len(urls) > 80
    opened = []
    for url in urls:
        if PUBLIC.match(url):
            continue
        response = client.get(url)
        if response.status_code < 300:
            opened.append(f"{url}: {response.status_code}")
        if url.startswith("/admin/") and response.status_code in (301, 302):
            assert "/admin/login/" in response["Location"], url
    assert opened == []

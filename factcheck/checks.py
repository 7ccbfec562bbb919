"""System checks of this service's own settings (`manage.py check`; deploy ones with `--deploy`)."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning

# The settings whose URLs the public reads: ClaimReview `url` of every published verdict, and its
# publisher's `url`. Left at their loopback default they publish links nobody else can open.
PUBLIC_URL_SETTINGS = {
    "FACTCHECK_PUBLIC_BASE_URL": "factcheck.W001",
    "FACTCHECK_ORGANIZATION_URL": "factcheck.W002",
}


def public_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be where the public reads the fact-checks, or None if it can."""
    parts = urlsplit(url)
    if not parts.hostname:
        return "is not set" if not url else "has no host"
    if parts.scheme != "https":
        return "is not https"
    if not _is_public_host(parts.hostname):
        return "names a loopback or private host"
    return None


def _is_public_host(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True  # a DNS name: what it resolves to is the operator's business
    return address.is_global


@register(Tags.security, deploy=True)
def check_public_urls(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    messages: list[CheckMessage] = []
    for name, check_id in PUBLIC_URL_SETTINGS.items():
        value = getattr(settings, name)
        problem = public_url_problem(value)
        if problem:
            messages.append(
                CheckWarning(
                    f"{name} {problem} ({value!r}): published fact-checks would link there.",
                    hint=f"Set {name} to the site's public https address, e.g. https://checks.example.org.",
                    id=check_id,
                )
            )
    return messages

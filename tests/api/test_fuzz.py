"""Schemathesis against the live server's OpenAPI schema, once per role.

Each role's run loads /api/v1/schema/ over real HTTP from pytest-django's live server and
drives every operation through the coverage, fuzzing and stateful phases (and the examples
phase, which has nothing to run while the schema carries no examples), with every check
schemathesis has on by default: no 5xx; status codes, content types, headers and bodies as the
schema says; schema-valid input accepted and schema-invalid input refused; and
``ignored_auth``, which repeats each successful request with no token and with a wrong one
and fails if either still succeeds.

The database holds what the fuzzer should reach: the sample corpus split into passages, its
claims extracted and checked, and verdicts drafted, published and corrected through the review
services. Where the schema cannot say what the API rightly does, tests/api/schemathesis.toml
makes an allowance, each with its reason.

FUZZ_MAX_EXAMPLES bounds the cases per operation of the fuzzing phase (the coverage phase is
deterministic and as large as the schema; the stateful phase runs the scenarios the config file
sets); FUZZ_SEED changes the cases; FUZZ_REPORT_DIR keeps the reports (JSON summary, JUnit,
terminal output) after the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.signals import request_started
from knox.models import AuthToken

from factcheck.models import Claim, Evidence, RatingLabel, Verdict
from factcheck.roles import ADMIN, ROLES
from factcheck.services import reviews

pytestmark = [
    pytest.mark.fuzz,
    # The live server answers from other threads: the seeded rows must be committed.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_rating_scale", "roles"),
]

CONFIG = Path(__file__).with_name("schemathesis.toml")
RUNNER = Path(__file__).with_name("fuzz_runner.py")  # `st run`, safe with two workers on Python 3.11
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "5"))
SEED = os.environ.get("FUZZ_SEED", "8")
PHASES = "examples,coverage,fuzzing,stateful"
# A run that takes longer than this fails rather than holding up the suite.
RUN_TIMEOUT_SECONDS = 240


@dataclass(frozen=True)
class FuzzRun:
    role: str
    seconds: float
    report: dict[str, Any]
    requests: int
    output: str

    @property
    def cases(self) -> int:
        return int(self.report["test_cases"]["generated"])

    @property
    def problems(self) -> list[dict[str, Any]]:
        """Failed checks and errors (a crash of schemathesis itself, an unloadable schema)."""
        return [*self.report["failures"], *self.report["errors"]]

    def summary(self) -> str:
        tested = (self.report["operations"] or {}).get("tested")
        return (
            f"{self.role}: {self.cases} cases, {self.requests} requests, on {tested} operations in {self.seconds:.0f}s"
        )


# --- The world the fuzzer walks in -------------------------------------------------------------------


def person(name: str, role: str) -> Any:
    user = get_user_model().objects.create_user(name, password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name=role))
    return user


def seed_world() -> None:
    """On the sample corpus (committed_sample_corpus: split, extracted and checked through the real
    pipeline), a draft, a published and a corrected verdict through the review services, so that
    ids the fuzzer finds in lists lead to claims with evidence and to verdicts in each state."""
    reviewer, editor = person("fuzz-rita", "reviewer"), person("fuzz-edna", "editor")
    checked = Claim.objects.filter(check_runs__evidence__isnull=False).distinct().order_by("pk")[:3]
    rating = RatingLabel.objects.filter(is_active=True).order_by("pk")[0]
    drafts = [
        reviews.verdict_draft(
            claim_id=claim.pk,
            by=reviewer,
            rating_id=rating.pk,
            summary=f"Seeded verdict {n}.",
            cited_evidence_ids=Evidence.objects.filter(run__claim=claim).values_list("pk", flat=True)[:2],
        )
        for n, claim in enumerate(checked)
    ]
    for verdict in drafts[1:]:
        reviews.verdict_publish(verdict_id=verdict.pk, expected_version=None, by=editor)
    reviews.verdict_correct(verdict_id=drafts[2].pk, expected_version=None, by=editor, correction_note="Seeded.")
    assert sorted(Verdict.objects.values_list("status", flat=True)) == ["corrected", "draft", "published"]


def token_for(role: str) -> str:
    """A token made as a deployment makes it: create_api_client for the API roles; an admin is
    a person, so theirs is a knox token of a user in the admin group."""
    if role == ADMIN:
        return AuthToken.objects.create(user=person("fuzz-admin", ADMIN), expiry=None)[1]
    out = StringIO()
    call_command("create_api_client", f"fuzz-{role}", "--role", role, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


@pytest.fixture
def fuzzable_server(live_server: Any, settings: Any) -> str:
    """The live server, without the limits that would only stop the fuzzer reaching the views."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    # Throttling has its own test (tests/api/test_views.py); here every request must reach its view.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": dict.fromkeys(rates, "10000/s")}
    # The fuzzer's URLs resolve to nothing here (no network): let each fetch fail fast.
    settings.FACTCHECK_FETCH_TIMEOUT_SECONDS = 1.0
    return str(live_server.url)


@pytest.fixture
def served() -> Iterator[list[object]]:
    """One entry per request the live server (it runs in this process) receives: the schema, the
    fuzzer's cases and its probes."""
    requests: list[object] = []

    def count(**kwargs: Any) -> None:
        requests.append(kwargs.get("environ", {}).get("PATH_INFO"))

    request_started.connect(count, weak=False)
    yield requests
    request_started.disconnect(count)


@pytest.fixture
def no_tasks_left_behind() -> Iterator[None]:
    """The claims and sources the fuzzer creates queue tasks on the tests' queue: drop them."""
    yield
    from config.celery import app

    app.control.purge()


# --- Running schemathesis ------------------------------------------------------------------------------


def run_schemathesis(*, base_url: str, token: str, role: str, report_dir: Path, served: list[object]) -> FuzzRun:
    """`st run` in a subprocess, as a developer would run it. No --checks: every check is on by
    default, and naming them on the command line would override the per-operation allowances
    of the config file (schemathesis 4.32.5)."""
    report_dir.mkdir(parents=True, exist_ok=True)
    report_path = report_dir / "report.json"
    command = [
        *(sys.executable, str(RUNNER), "--config-file", str(CONFIG), "--no-color", "run"),
        f"{base_url}/api/v1/schema/?format=json",
        *("--phases", PHASES, "--max-examples", str(MAX_EXAMPLES), "--seed", SEED, "--no-shrink"),
        *("--header", f"Authorization: Token {token}"),
        *("--workers", "2", "--request-timeout", "20"),
        *("--report", "json,junit", "--report-dir", str(report_dir), "--report-json-path", str(report_path)),
    ]
    served_before, started = len(served), time.monotonic()
    # Run from the report folder: whatever schemathesis leaves behind stays out of the checkout.
    result = subprocess.run(
        command, cwd=report_dir, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS, check=False
    )
    seconds = time.monotonic() - started
    output = result.stdout + result.stderr
    (report_dir / "output.txt").write_text(output)
    assert report_path.exists(), output
    report = json.loads(report_path.read_text())
    return FuzzRun(role=role, seconds=seconds, report=report, requests=len(served) - served_before, output=output)


def test_the_schema_lets_no_operation_go_without_credentials(client: Any) -> None:
    """ignored_auth holds the server to its schema, and drf-spectacular marks an operation that
    lets anyone in (AllowAny) as needing no credentials: so the schema itself is checked here."""
    schema = client.get("/api/v1/schema/?format=json").json()
    operations = {
        f"{verb.upper()} {path}": item for path, verbs in schema["paths"].items() for verb, item in verbs.items()
    }

    open_to_anyone = [name for name, item in operations.items() if not item.get("security") or {} in item["security"]]

    assert len(operations) >= 20
    assert open_to_anyone == []
    # apiKeyQuery: the token as ?key=, where Google's clients send it (claims:search only).
    assert set(schema["components"]["securitySchemes"]) == {"knoxApiToken", "bearerAuth", "cookieAuth", "apiKeyQuery"}
    with_query_key = [name for name, item in operations.items() if {"apiKeyQuery": []} in item["security"]]
    assert with_query_key == ["GET /api/v1/claims:search"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.usefixtures("committed_sample_corpus", "no_tasks_left_behind")
def test_the_api_keeps_its_schema_and_its_credentials_under_schemathesis(
    role: str, fuzzable_server: str, served: list[object], tmp_path: Path
) -> None:
    seed_world()
    report_dir = Path(os.environ.get("FUZZ_REPORT_DIR") or tmp_path) / role

    run = run_schemathesis(
        base_url=fuzzable_server, token=token_for(role), role=role, report_dir=report_dir, served=served
    )

    print(run.summary())  # shown with -rP: how much was tried
    assert run.report["complete"], run.output
    assert run.cases > 0, run.output
    assert run.problems == [], run.output
    assert run.report["exit_code"] == 0, run.output

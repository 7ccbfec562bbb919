"""Architecture contracts, enforced by `make test` as well as `make lint`: dependencies point one
way (workers → factcheck.services → factcheck.crosscheck), the engine never imports Django and
migrations never import live code. The contracts themselves live in pyproject.toml."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# Pure modules: the engine and the helpers that must run without Django (README, DESIGN.md).
PURE_MODULES = (
    "factcheck.crosscheck",
    "factcheck.fetching",
    "factcheck.documents",
    "factcheck.evaluation",
    "factcheck.claimreview_read",
)


def test_every_import_linter_contract_is_kept() -> None:
    # --no-cache: a cached graph can miss a package that was just created (it did, for crosscheck).
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_pure_modules_load_no_django_even_through_third_party_packages() -> None:
    # import-linter sees only the project's own imports and the first external one; a third-party
    # package that pulls Django in would slip past it, so import them for real in a clean interpreter.
    script = (
        "import importlib, json, pkgutil, sys\n"
        f"names = {list(PURE_MODULES)!r}\n"
        "engine = importlib.import_module('factcheck.crosscheck')\n"
        "names += [m.name for m in pkgutil.iter_modules(engine.__path__, 'factcheck.crosscheck.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework', 'celery', 'config'))\n"
        "print(json.dumps({'imported': names, 'loaded': loaded}))\n"
    )
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "factcheck.crosscheck.matching" in report["imported"], "the engine's modules were not found"
    assert report["loaded"] == []

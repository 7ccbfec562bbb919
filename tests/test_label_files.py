"""The cross-check label files are consistent with themselves and with their corpus: pure, no database.

The engine tests (tests/services/test_checks.py, test_label_sets.py) trust these files; a label whose
outlet lists cannot give its expected assessment, or that names an outlet the corpus does not have,
would hold the engine to a wrong answer.
"""

import json
from collections import Counter

import pytest

from factcheck.documents import read_document
from factcheck.evaluation import CrosscheckCase, crosscheck_cases
from factcheck.management.commands.ingest import expand_paths
from tests.conftest import NEWS_ARTICLES, REPO_ROOT

LABELS = REPO_ROOT / "factcheck" / "sample_data" / "labels"
NEWS_KINDS = {
    "confirmation",
    "report",
    "refutation",
    "figure",
    "quotation",
    "copy",
    "other-event",
    "name-only",
    "absent",
}


def cases_of(name: str) -> list[CrosscheckCase]:
    return crosscheck_cases(json.loads((LABELS / name).read_text(encoding="utf-8")))


def outlet_lists_allow(case: CrosscheckCase) -> bool:
    """Whether the gold outlets can give the gold assessment (copies may make two outlets one origin,
    so corroboration needs at least two outlets, not two origins)."""
    supports, conflicts = bool(case.supporting), bool(case.conflicting)
    return {
        "corroborated": len(case.supporting) >= 2 and not conflicts,
        "conflicting": supports and conflicts,
        "contradicted": conflicts and not supports,
        "single_source": supports and not conflicts,
        "reported": not supports and not conflicts,
        "unverified": not supports and not conflicts,
    }[case.expected] and not case.supporting & case.conflicting


@pytest.mark.parametrize("name", ["crosscheck.json", "news_crosscheck.json", "seeds_crosscheck.json"])
def test_every_label_file_has_unique_ids_and_outlet_lists_that_fit_its_assessments(name: str) -> None:
    cases = cases_of(name)
    duplicates = [case_id for case_id, n in Counter(case.id for case in cases).items() if n > 1]
    assert duplicates == []
    assert [case.id for case in cases if not outlet_lists_allow(case)] == []


def news_passages() -> dict[str, str]:
    """Outlet -> all its text in the news corpus (files are read as ingestion reads them)."""
    texts: dict[str, str] = {}
    for path in expand_paths([NEWS_ARTICLES]):
        document = read_document(path, max_bytes=10**7)
        texts[document.outlet] = texts.get(document.outlet, "") + "\n" + document.text
    return texts


def test_the_news_set_is_large_labelled_by_kind_and_about_its_own_corpus() -> None:
    cases = cases_of("news_crosscheck.json")
    raw = json.loads((LABELS / "news_crosscheck.json").read_text(encoding="utf-8"))["cases"]
    texts = news_passages()
    assert len(cases) >= 100
    assert {case.kind for case in cases} == NEWS_KINDS
    assert all(item.get("note") for item in raw), "every case says which outlet says what"
    kinds = Counter(case.kind for case in cases)
    for kind in ("report", "refutation", "figure", "quotation", "copy", "other-event"):
        assert kinds[kind] >= 8 or (kind == "copy" and kinds[kind] >= 5), kinds
    assert all(case.expected == "reported" for case in cases if case.kind == "report")
    assert all(case.expected == "unverified" for case in cases if case.kind in {"name-only", "absent"})
    named = {outlet for case in cases for outlet in case.supporting | case.conflicting}
    assert named <= set(texts), f"outlets not in sample_data/news: {sorted(named - set(texts))}"
    # Our own sentences: no claim is lifted whole from an article (a bare name is not a sentence).
    lifted = [
        case.id
        for case in cases
        if case.kind != "name-only" and any(case.claim.rstrip(".") in text for text in texts.values())
    ]
    assert lifted == []


def test_the_news_corpus_has_its_planted_wire_copies() -> None:
    files = {path.name: read_document(path, max_bytes=10**7) for path in expand_paths([NEWS_ARTICLES])}
    assert len(files) >= 20
    assert len({document.outlet for document in files.values()}) >= 6
    for original, copy in [
        ("b1_tidewater-wire_key-bridge-collapse.md", "b2_bayside-chronicle_key-bridge-collapse.md"),
        ("q1_tidewater-wire_turkey-syria-quake.md", "q2_harrowgate-daily_turkey-syria-quake.md"),
        ("q1_tidewater-wire_turkey-syria-quake.md", "q7_bayside-chronicle_turkey-syria-quake.md"),
    ]:
        assert files[original].outlet != files[copy].outlet
        shared = set(files[original].text.split("\n\n")) & set(files[copy].text.split("\n\n"))
        assert len(shared) >= 3, f"{copy} should copy most of {original}"

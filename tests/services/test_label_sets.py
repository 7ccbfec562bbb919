"""The label sets beside the team's own (tests/services/test_checks.py): the retold real stories of
sample_data/news and the five real seeds articles, each ingested alone, checked as a person would type
each claim. A case counts fully only when the assessment AND the deciding outlets are the gold ones.

The engine work of issue 14 is under way: until it reaches the issue's target these tests are expected
to fail (xfail, not strict), with the figure last measured in the reason. Remove a marker once its test
passes.
"""

import json

import pytest

from factcheck.management.commands.evaluate import crosscheck_report
from tests.conftest import REPO_ROOT

LABELS = REPO_ROOT / "factcheck" / "sample_data" / "labels"
TARGET = 0.9  # issue 14: every team label set at 90 % or better

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("news_corpus")
@pytest.mark.xfail(
    strict=False,
    reason="engine work of issue 14 in progress: measured 41.6% label, 32.2% label + outlets (149 cases) on 2026-12-07",
)
def test_the_news_label_set_is_assessed_right_with_the_right_outlets_in_at_least_90_percent_of_cases() -> None:
    report = crosscheck_report(json.loads((LABELS / "news_crosscheck.json").read_text()))
    print("\n".join(report.lines()))
    assert report.cases >= 100
    assert report.figure_false_conflicts == [], "figures about different things were taken for a conflict"
    assert report.accuracy >= TARGET, "\n".join(report.lines())
    assert report.outlet_accuracy >= TARGET, "\n".join(report.lines())


@pytest.mark.usefixtures("seeds_corpus")
@pytest.mark.xfail(
    strict=False,
    reason="engine work of issue 14 in progress: measured 68.0% label, 48.0% label + outlets (25 cases) on 2026-12-07",
)
def test_the_seeds_label_set_is_assessed_right_with_the_right_outlets_in_at_least_90_percent_of_cases() -> None:
    report = crosscheck_report(json.loads((LABELS / "seeds_crosscheck.json").read_text()))
    print("\n".join(report.lines()))
    assert report.figure_false_conflicts == [], "figures about different things were taken for a conflict"
    assert report.accuracy >= TARGET, "\n".join(report.lines())
    assert report.outlet_accuracy >= TARGET, "\n".join(report.lines())

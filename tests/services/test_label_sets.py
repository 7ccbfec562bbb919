"""The label sets beside the team's own (tests/services/test_checks.py): the retold real stories of
sample_data/news and the five real seeds articles, each ingested alone, checked as a person would type
each claim. A case counts fully only when the assessment AND the deciding outlets are the gold ones.

The issue's target is 90% on every set (label and label + outlets). Until the engine reaches it, each
set is guarded by a floor just under the figure last measured (on PostgreSQL, with the date): a change
that lowers a set below its floor fails, and one that raises it should raise the floor. The floors
only go up.
"""

import json

import pytest

from factcheck.crosscheck.stance import CONFLICTS, SUPPORTS
from factcheck.evaluation import CrosscheckReport
from factcheck.management.commands.evaluate import crosscheck_report
from factcheck.models import Source
from factcheck.services.checks import crosscheck, text_scope
from tests.conftest import REPO_ROOT

LABELS = REPO_ROOT / "factcheck" / "sample_data" / "labels"
TARGET = 0.9  # issue 14: every team label set at 90 % or better

pytestmark = pytest.mark.django_db

# (label accuracy, label + outlets accuracy, figure conflicts about different things at most):
# measured 2026-12-07 on PostgreSQL, news 77/149 (0.517) and 66/149 (0.443), 13 false figure
# conflicts; seeds 16/25 (0.640) and 12/25 (0.480), 1. Raised the same day (issue 14, the rules of
# figures of another subject, quotations, refutations and places): news 95/149 (0.638) and 84/149
# (0.564), 7; seeds 20/25 (0.800) and 16/25 (0.640), 0. Raised the same day (a count for another
# day than the one the claim names, a day the passage names or its publication day, contradicts
# nothing): news 96/149 (0.644) and 85/149 (0.570), 5. Raised on 2026-12-07 again (passages read in
# their article, debunks of the next sentence, owners and moments of figure conflicts, retrained
# model, bounds, quotations): news 119/149 (0.799) and 108/149 (0.725), 0; seeds 23/25 (0.920) and
# 16/25 (0.640), 0. Raised on 2026-12-07 again (spelled durations, rising tolls, weekdays as dates,
# names given, countries someone is from, years, demonyms from data, retrained model): news 128/149
# (0.859) and 115/149 (0.772), 0; and again (speakers named by role): news 129/149 (0.866) and
# 116/149 (0.779), 0.
FLOORS = {
    "news_crosscheck.json": (0.86, 0.77, 0),
    "seeds_crosscheck.json": (TARGET, 0.63, 0),  # at the target: the target is its floor
}


def assert_at_or_above_floor(name: str) -> CrosscheckReport:
    report = crosscheck_report(json.loads((LABELS / name).read_text()))
    lines = "\n".join(report.lines())
    label, with_outlets, false_conflicts = FLOORS[name]
    assert report.accuracy >= label, lines
    assert report.outlet_accuracy >= with_outlets, lines
    assert len(report.figure_false_conflicts) <= false_conflicts, lines
    assert label <= TARGET  # once a set reaches the target, its test asserts the target instead
    return report


@pytest.mark.usefixtures("news_corpus")
def test_the_news_label_set_stays_at_or_above_its_floor() -> None:
    assert assert_at_or_above_floor("news_crosscheck.json").cases >= 100


@pytest.mark.usefixtures("seeds_corpus")
def test_the_seeds_label_set_stays_at_or_above_the_target() -> None:
    assert_at_or_above_floor("seeds_crosscheck.json")


# In one archive holding several stories, a claim takes evidence from its own story only: the stories
# of sample_data/news by their files' first letter, the sample corpus (sample_data/articles) as one;
# the claims of the seeds label set are about a story none of its articles tells.
NEWS_STORIES = {"bridge": "b", "quake": "q", "suez": "s", "titan": "t"}
SAMPLE_STORY = "sample"
# Measured 2026-12-08: 5 such judgements (3 of the seeds claims, from the sample corpus's invented
# story), 2 after a passage naming only others than the claim, in an article that never names the
# claim's, was read as another story's, and a toll named after its place ("died in Turkey in the
# February 6 earthquakes") as of its own incident. Both left name nobody: "Its technical manager ...
# said all 25 crew members were safe" (the Ever Given's, its article says) for "There were 25 crew
# members aboard the Dali", and "the president said identity papers and bank cards had been found on
# both men" (the Qareshi men) for the captured Chinese men. An article may tell a story without
# naming its subject ("a container ship knocked it down"), so such a passage is not set aside.
MIXED_ARCHIVE_SLIPS = 2


def story_of_file(file_name: str) -> str:
    name = file_name.rsplit("/", 1)[-1]
    return name[0] if name[0] in NEWS_STORIES.values() else SAMPLE_STORY


@pytest.mark.usefixtures("sample_corpus", "news_corpus")
def test_in_an_archive_of_several_stories_a_claim_is_judged_on_its_own_storys_articles_only() -> None:
    stories = dict(Source.objects.values_list("pk", "file_name"))
    slips = []
    for name, story_of_case in (
        ("news_crosscheck.json", lambda case: NEWS_STORIES[case["id"].split("-")[0]]),
        ("crosscheck.json", lambda case: SAMPLE_STORY),
        # The seeds' story (China's nationals fighting for Russia) is in no article here: the sample
        # corpus's invented one is much alike, in other names.
        ("seeds_crosscheck.json", lambda case: "seeds"),
    ):
        for case in json.loads((LABELS / name).read_text())["cases"]:
            outcome = crosscheck(text_scope(case["claim"], claimant=case.get("claimant") or None))
            decided = [j for j in outcome.judgements if j.stance in (SUPPORTS, CONFLICTS)]
            slips += [
                f"{case['id']}: {j.stance} {j.reason} from {stories[j.passage.source_id]}: {j.passage.text}"
                for j in decided
                if story_of_file(stories[j.passage.source_id]) != story_of_case(case)
            ]
    assert len(slips) <= MIXED_ARCHIVE_SLIPS, "\n".join(slips)

"""Claim extraction on PostgreSQL over the team's sample corpus, tasks in-process."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from factcheck.documents import Document
from factcheck.management.commands.evaluate import extraction_report
from factcheck.models import Claim, ClaimAppearance, ClaimMatchSuggestion, Passage, Source
from factcheck.selectors import claim_independent_origins, claims_with_appearances, first_appearance
from factcheck.services.claims import SuggestionError, source_extract_claims, suggestion_confirm, suggestion_reject
from factcheck.services.ingest import source_ingest
from tests.conftest import SAMPLE_LABELS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_corpus")]

# Floors under the figures measured on the sample corpus (see the issue note); a
# change that lowers one of them has to say why.
# The learned check-worthiness model (issue 14) raised extraction from 0.955 / 0.752 to
# 0.993 / 0.979 (in-sample for 80% of these passages: the model's card gives the held-out
# figures). Matching recall is measured over pairs of *extracted* claims, so the 32 harder
# claims now extracted bring 37 more same-fact pairs: 42 are matched (39 before) but recall
# fell from 0.333 to 0.273, with no more wrong merges (12). Snowball stems (the index's, issue
# 14) join fewer word forms than the old five-letter cut did: 38 pairs matched, recall 0.247,
# precision 0.884 (was 0.778). Its floor follows until the matching work of issue 15 raises it.
FLOORS = {
    "extraction": (0.95, 0.90),
    "matching": (0.70, 0.24),
    "copies": (1.0, 1.0),
}


def source_named(fragment: str) -> Source:
    return Source.objects.get(file_name__contains=fragment)


def test_extraction_matching_and_copy_detection_hold_their_floors() -> None:
    report = extraction_report(json.loads(SAMPLE_LABELS.read_text()))
    for name, (precision, recall) in FLOORS.items():
        score = getattr(report, name)
        assert score.precision >= precision, f"{name} precision {score.precision:.3f} < {precision}"
        assert score.recall >= recall, f"{name} recall {score.recall:.3f} < {recall}"


def test_every_passage_is_scored_and_only_those_above_the_threshold_become_claims(settings) -> None:
    assert not Passage.objects.filter(check_worthiness__isnull=True).exists()
    low = Passage.objects.filter(check_worthiness__lt=settings.FACTCHECK_CLAIM_THRESHOLD)
    assert low.exists()
    assert not ClaimAppearance.objects.filter(passage__in=low).exists()
    high = Passage.objects.filter(check_worthiness__gte=settings.FACTCHECK_CLAIM_THRESHOLD)
    assert ClaimAppearance.objects.filter(passage__in=high).count() == high.count()


def test_the_wire_copy_shares_its_originals_cluster_and_adds_no_independent_origin() -> None:
    original, copy = source_named("01_meridian"), source_named("05_eastbrook")
    assert original.origin_cluster_id == copy.origin_cluster_id
    assert Source.objects.filter(origin_cluster_id=original.origin_cluster_id).count() == 2
    claim = Claim.objects.get(appearances__passage__text__startswith="Lestovian troops have captured two Qareshi")
    outlets = {a.source.outlet.name for a in claim.appearances.select_related("source__outlet")}
    assert {"Meridian Press Agency", "Eastbrook Courier"} <= outlets
    claim = claims_with_appearances().get(pk=claim.pk)
    # The copy's outlet adds an appearance but no independent origin.
    assert claim_independent_origins(claim) == len(outlets) - 1


def test_a_quotation_from_four_outlets_is_one_claim_with_four_independent_appearances() -> None:
    quote = "Drazhin is hunting for new soldiers abroad because it has no intention of ending this war"
    claims = Claim.objects.filter(appearances__passage__text__contains=quote).distinct()
    assert claims.count() == 1
    claim = claims_with_appearances().get(pk=claims.get().pk)
    assert len({a.source.outlet_id for a in claim.appearances.all()}) >= 4
    assert claim_independent_origins(claim) >= 4
    first = first_appearance(claim)
    assert first is not None
    assert first.appeared_at is not None
    assert first.appeared_at.date().isoformat() == "2025-04-08"


def test_a_misattributed_quotation_is_not_merged_with_the_right_one() -> None:
    quote = "A country cannot call itself neutral while its citizens are firing on our soldiers"
    speakers = {claim.claimant for claim in Claim.objects.filter(appearances__passage__text__contains=quote).distinct()}
    assert any("Delic" in speaker for speaker in speakers)
    assert any("Malesh" in speaker for speaker in speakers)


def test_claimants_are_resolved_to_full_names_and_claim_dates_to_the_day_said() -> None:
    claim = Claim.objects.get(appearances__passage__text__startswith="Lestovian troops have captured two Qareshi")
    assert claim.claimant == "Teodor Malesh"
    assert claim.claim_date is not None
    assert claim.claim_date.isoformat() == "2025-04-08"


def test_extracting_a_source_again_changes_nothing() -> None:
    source = source_named("03_palisade")
    counts = (Claim.objects.count(), ClaimAppearance.objects.count(), ClaimMatchSuggestion.objects.count())
    result = source_extract_claims(source_id=source.pk)
    assert result.already_done
    assert (Claim.objects.count(), ClaimAppearance.objects.count(), ClaimMatchSuggestion.objects.count()) == counts


def test_confirming_a_suggestion_merges_the_claims_and_rejecting_keeps_them_apart() -> None:
    first, second = ClaimMatchSuggestion.objects.order_by("id")[:2]
    moved = set(first.claim.appearances.values_list("pk", flat=True))

    target = suggestion_confirm(suggestion_id=first.pk)

    assert moved <= set(target.appearances.values_list("pk", flat=True))
    merged = Claim.objects.get(pk=first.claim_id)
    assert (merged.merged_into_id, merged.status) == (target.pk, Claim.Status.ARCHIVED)
    assert not merged.appearances.exists()
    assert merged.pk not in claims_with_appearances().values_list("pk", flat=True)
    with pytest.raises(SuggestionError, match="already confirmed"):
        suggestion_confirm(suggestion_id=first.pk)

    suggestion_reject(suggestion_id=second.pk)
    second.refresh_from_db()
    assert second.status == "rejected"
    assert Claim.objects.get(pk=second.claim_id).merged_into_id is None


def test_the_claims_command_lists_text_and_json() -> None:
    out = StringIO()
    call_command("claims", "--min-score", "0.8", "--json", stdout=out)
    claims = json.loads(out.getvalue())
    assert claims
    assert all(claim["score"] >= 0.8 for claim in claims)
    assert {"text", "score", "reasons", "claimant", "appearances", "independent_origins", "first_appearance"} <= set(
        claims[0]
    )
    assert {"outlet", "origin_cluster", "appeared_at"} <= set(claims[0]["appearances"][0])

    source = source_named("05_eastbrook")
    out = StringIO()
    call_command("claims", "--source", str(source.pk), stdout=out)
    assert "Eastbrook Courier" in out.getvalue()
    assert out.getvalue().strip().endswith("claims.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--min-score", "2"], "from 0 to 1"),
        (["--min-score", "lots"], "from 0 to 1"),
        (["--source", "999999"], "no source"),
    ],
)
def test_the_claims_command_refuses_bad_arguments(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("claims", *args, stdout=StringIO())


def test_the_evaluate_command_prints_the_figures() -> None:
    out = StringIO()
    call_command("evaluate", str(SAMPLE_LABELS), stdout=out)
    for name in ("extraction", "matching", "copies"):
        assert f"{name}" in out.getvalue()
    assert "precision" in out.getvalue()


def test_the_evaluate_command_refuses_labels_it_cannot_read(tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("evaluate", str(bad), stdout=StringIO())
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"kind": "poetry"}')
    with pytest.raises(CommandError, match="unknown label kind"):
        call_command("evaluate", str(unknown), stdout=StringIO())


@pytest.mark.usefixtures("tasks_in_process")
def test_a_two_megabyte_article_is_processed_in_bounded_time_with_capped_claims(
    settings, django_capture_on_commit_callbacks
) -> None:
    import random
    import time

    from factcheck.documents import Document
    from factcheck.services.ingest import source_ingest

    settings.FACTCHECK_MAX_CLAIMS_PER_SOURCE = 40
    rng = random.Random(7)
    vocabulary = (
        "Officials in Ostrel said 41 passengers were hurt when the Korvan missile hit the station on Wednesday".split()
    )
    sentences = (" ".join(rng.choice(vocabulary) for _ in range(18)).capitalize() + "." for _ in range(20_000))
    text = "\n".join(" ".join(sentence for _, sentence in zip(range(5), sentences, strict=False)) for _ in range(4000))
    assert len(text.encode()) > 2_000_000
    claims_before = Claim.objects.count()

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        source = source_ingest(document=Document(text=text, format="txt"), outlet_name="Flood Wire").source
    elapsed = time.monotonic() - started

    source.refresh_from_db()
    assert source.claims_extracted_at is not None
    assert source.passages.count() >= 15_000
    assert Claim.objects.count() - claims_before <= 40
    assert elapsed < 60, f"a 2 MB article took {elapsed:.0f}s"


CAPTURE = (
    "Lestovian troops have captured two Qareshi nationals who were fighting in the ranks of the Korvan army "
    "in the eastern Dalmir region"
)


@pytest.mark.parametrize(
    ("statement", "merged"),
    [
        # Another army: alike in every other word, another fact.
        (CAPTURE.replace("Korvan", "Veskan") + ", the ministry said.", False),
        (CAPTURE + ", the ministry said.", True),
    ],
)
def test_a_statement_alike_in_words_about_other_parties_is_never_merged_without_a_reviewer(
    statement: str, merged: bool, tasks_in_process: None, django_capture_on_commit_callbacks
) -> None:
    original = Claim.objects.get(appearances__passage__text__startswith=CAPTURE)
    with django_capture_on_commit_callbacks(execute=True):
        source_ingest(document=Document(text=statement, format="text"), outlet_name="Harbour Herald")
    passage = Passage.objects.get(source__outlet__name="Harbour Herald")
    appearance = ClaimAppearance.objects.get(passage=passage)
    assert (appearance.claim_id == original.pk) is merged
    if not merged:  # a reviewer is asked
        assert ClaimMatchSuggestion.objects.filter(claim=appearance.claim, candidate=original).exists()

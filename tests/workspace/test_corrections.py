"""Reviewers teach the checker: a stance marked wrong from the review page is kept as a label (who,
when, claim, passage, both stances), shown on the page and in its history, counted on the desk
home, and exported in the file the stance training reads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from factcheck.crosscheck.desk_labels import DeskLabelError, read_desk_labels
from factcheck.models import Claim, Evidence, StanceCorrection
from factcheck.services.corrections import evidence_stance_correct
from factcheck.services.reviews import NotAllowed, WorkflowError
from tests.workspace.people import person
from training.datasets import load_desk
from training.stance import judge_desk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles", "sample_corpus")]


def ostrel() -> tuple[Claim, Evidence]:
    claim = Claim.objects.get(appearances__passage__text__contains="Ostrel early on Wednesday and killed 12 people")
    run = claim.check_runs.filter(status="succeeded").latest("pk")
    evidence = run.evidence.filter(stance="conflicts").select_related("passage__source__outlet").first()
    assert evidence is not None
    return claim, evidence


def review_url(claim: Claim) -> str:
    return reverse("admin:factcheck_claim_review", args=[claim.pk])


def test_a_reviewer_marks_a_stance_wrong_from_the_page() -> None:
    claim, evidence = ostrel()
    client, rita = person("rita")
    form = {"action": "correct_stance", "evidence": evidence.pk, "stance": "supports", "note": "Same toll, later."}
    page = client.post(review_url(claim), form, follow=True).content.decode()
    assert "The checker learns from it" in page
    correction = StanceCorrection.objects.get()
    assert (correction.corrected_by, correction.claim, correction.passage) == (rita, claim, evidence.passage)
    assert (correction.machine_stance, correction.human_stance) == ("conflicts", "supports")
    assert (correction.claim_text, correction.passage_text) == (claim.text, evidence.passage.text)
    # The checker's own record is left as it was; the page shows the correction beside it and in the history.
    evidence.refresh_from_db()
    assert evidence.stance == "conflicts"
    item = page[page.index(f'id="evidence-{evidence.pk}"') :]
    assert "Corrected by rita: this passage confirms the claim." in item[: item.index("</li>")]
    history = page[page.index('<section class="ws-history">') :]
    assert f"{evidence.passage.source.outlet.name}'s passage: the checker said it contradicts the claim" in history
    assert "Same toll, later." in history


def test_a_correction_is_refused_when_it_says_nothing_new_or_comes_from_outside_the_desk() -> None:
    claim, evidence = ostrel()
    _, rita = person("rita")
    _, visitor = person("visitor", None)
    with pytest.raises(WorkflowError, match="the stance the checker gave"):
        evidence_stance_correct(evidence_id=evidence.pk, by=rita, stance="conflicts")
    with pytest.raises(WorkflowError, match="choose a stance"):
        evidence_stance_correct(evidence_id=evidence.pk, by=rita, stance="maybe")
    with pytest.raises(NotAllowed):
        evidence_stance_correct(evidence_id=evidence.pk, by=visitor, stance="supports")
    # Evidence of another claim cannot be corrected through this claim's page.
    other = Claim.objects.exclude(pk=claim.pk).filter(check_runs__evidence__isnull=False).first()
    assert other is not None
    client, _ = person("rob")
    response = client.post(
        review_url(other), {"action": "correct_stance", "evidence": evidence.pk, "stance": "supports"}
    )
    assert response.status_code == 404
    assert not StanceCorrection.objects.exists()


def test_the_desk_home_counts_this_weeks_corrections() -> None:
    _, evidence = ostrel()
    client, rita = person("rita")
    evidence_stance_correct(evidence_id=evidence.pk, by=rita, stance="mentions")
    evidence_stance_correct(evidence_id=evidence.pk, by=rita, stance="supports")
    page = client.get("/admin/").content.decode()
    assert "The checker was corrected 2 times this week" in page


def test_corrections_export_as_the_labels_the_stance_training_reads(tmp_path: Path) -> None:
    claim, evidence = ostrel()
    _, rita = person("rita")
    evidence_stance_correct(evidence_id=evidence.pk, by=rita, stance="mentions")
    evidence_stance_correct(evidence_id=evidence.pk, by=rita, stance="supports")  # the later word wins
    out = tmp_path / "desk.csv"
    call_command("export_stance_labels", "--out", str(out), stderr=io.StringIO())
    (label,) = read_desk_labels(out)
    assert (label.claim, label.passage, label.stance, label.machine_stance, label.corrected_by) == (
        claim.text,
        evidence.passage.text,
        "supports",
        "conflicts",
        "rita",
    )
    corpus = load_desk([out])
    assert [(pair.claim, pair.stance) for pair in corpus.pairs] == [(claim.text, "supports")]
    judged = judge_desk([out])
    assert judged.label == ["supports"]  # the passage carries the reviewer's stance
    future = io.StringIO()
    call_command("export_stance_labels", "--since", "2999-01-01", stdout=future, stderr=io.StringIO())
    assert future.getvalue().splitlines() == [",".join(label.__dataclass_fields__)]
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export_stance_labels", "--since", "last week")


def test_a_hand_edited_label_file_is_refused_with_its_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "claim_id,claim,passage_id,passage,stance,machine_stance,corrected_by,corrected_at\n"
        "1,A claim.,2,A passage.,agrees,conflicts,rita,2026-12-07\n",
        encoding="utf-8",
    )
    with pytest.raises(DeskLabelError, match="row 2: stance 'agrees'"):
        list(read_desk_labels(bad))
    (tmp_path / "other.csv").write_text("Headline,Body ID,Stance\n", encoding="utf-8")
    with pytest.raises(DeskLabelError, match="not a desk label file"):
        list(read_desk_labels(tmp_path / "other.csv"))

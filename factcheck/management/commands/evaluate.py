"""python manage.py evaluate LABELS.json

Scores the ingested corpus against gold labels and prints precision, recall and
every miss. Label kinds:
- "extraction": which passages are claims, which are the same fact, which sources are copies;
- "crosscheck": claims with their expected assessment and supporting and conflicting outlets
  (each claim is checked as a person would type it, writing nothing); prints the accuracy of the
  assessment alone and of the assessment with exactly the gold outlets, by kind of case when the
  labels give one.
The files the labels are about must have been ingested (e.g. by `manage.py demo --no-serve`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from factcheck.crosscheck.stance import CONFLICTS, SUPPORTS
from factcheck.evaluation import (
    CrosscheckPrediction,
    CrosscheckReport,
    ExtractionReport,
    LabelError,
    crosscheck_cases,
    evaluate_crosscheck,
    evaluate_extraction,
    resolve_labels,
)
from factcheck.selectors import labelled_corpus
from factcheck.services.checks import crosscheck, text_scope


def load_labels(path: Path) -> dict[str, Any]:
    try:
        labels = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise CommandError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(labels, dict):
        raise CommandError(f"{path}: expected a JSON object with a 'kind'")
    return labels


def extraction_report(labels: dict[str, Any]) -> ExtractionReport:
    files = {item["file"] for group in labels.get("claims", []) for item in group["appearances"]}
    files |= {item["file"] for item in labels.get("not_claims", [])}
    corpus = labelled_corpus(file_names=files)
    missing = sorted(files - set(corpus.passages))
    if missing:
        raise CommandError(f"not ingested (or not yet split): {', '.join(missing)}")
    gold = resolve_labels(labels, corpus.passages)
    return evaluate_extraction(gold, corpus.claim_of, corpus.cluster_of, corpus.passage_text)


def crosscheck_report(labels: dict[str, Any]) -> CrosscheckReport:
    cases = crosscheck_cases(labels)
    predictions = {}
    for case in cases:
        outcome = crosscheck(text_scope(case.claim, claimant=case.claimant or None))
        predictions[case.id] = CrosscheckPrediction(
            assessment=outcome.result.assessment,
            explanation=outcome.result.explanation,
            confidence=outcome.result.confidence,
            supporting=frozenset(j.passage.outlet for j in outcome.judgements if j.stance == SUPPORTS),
            conflicting={j.passage.outlet: j.reason for j in reversed(outcome.judgements) if j.stance == CONFLICTS},
        )
    return evaluate_crosscheck(cases, predictions)


REPORTS: dict[str, Callable[[dict[str, Any]], ExtractionReport | CrosscheckReport]] = {
    "extraction": extraction_report,
    "crosscheck": crosscheck_report,
}


class Command(BaseCommand):
    help = "Evaluate the ingested corpus against labelled cases and print precision, recall and misses."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("labels", type=Path, metavar="LABELS.json")

    def handle(self, *args: Any, **options: Any) -> None:
        labels = load_labels(options["labels"])
        make_report = REPORTS.get(labels.get("kind", ""))
        if make_report is None:
            raise CommandError(f"unknown label kind {labels.get('kind')!r}; known: {', '.join(REPORTS)}")
        try:
            report = make_report(labels)
        except LabelError as error:
            raise CommandError(f"labels do not fit the corpus: {error}") from None
        self.stdout.write("\n".join(report.lines()))

"""python manage.py claims [--source ID] [--min-score X] [--json]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from factcheck.models import Claim, ClaimAppearance, Source
from factcheck.selectors import claim_independent_origins, claims_with_appearances, first_appearance


def score(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise CommandError(f"--min-score takes a number from 0 to 1, got {value!r}") from None
    if not 0 <= number <= 1:
        raise CommandError(f"--min-score takes a number from 0 to 1, got {value}")
    return number


def appearance_data(appearance: ClaimAppearance) -> dict[str, Any]:
    return {
        "source_id": appearance.source_id,
        "outlet": appearance.source.outlet.name,
        "passage_id": appearance.passage_id,
        "passage": appearance.passage.text,
        "appeared_at": appearance.appeared_at.isoformat() if appearance.appeared_at else None,
        "origin_cluster": appearance.source.origin_cluster_id,
        "match": appearance.match_kind,
        "match_score": appearance.match_score,
    }


def claim_data(claim: Claim) -> dict[str, Any]:
    first = first_appearance(claim)
    return {
        "id": claim.pk,
        "text": claim.text,
        "score": claim.check_worthiness,
        "reasons": claim.worthiness_reasons,
        "claimant": claim.claimant,
        "claim_date": claim.claim_date.isoformat() if claim.claim_date else None,
        "status": claim.status,
        "independent_origins": claim_independent_origins(claim),
        "first_appearance": appearance_data(first) if first else None,
        "appearances": [appearance_data(a) for a in claim.appearances.all()],
        "suggested_matches": [
            {"suggestion_id": s.pk, "claim_id": s.candidate_id, "score": s.score} for s in claim.match_suggestions.all()
        ],
    }


class Command(BaseCommand):
    help = "List candidate claims with their check-worthiness, claimant and appearances across outlets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=int, help="Only claims appearing in this source (id).")
        parser.add_argument("--min-score", type=score, help="Only claims scoring at least this (0 to 1).")
        parser.add_argument("--json", action="store_true", help="One JSON array instead of text.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["source"] is not None and not Source.objects.filter(pk=options["source"]).exists():
            raise CommandError(f"no source with id {options['source']}")
        claims = [
            claim_data(c) for c in claims_with_appearances(source_id=options["source"], min_score=options["min_score"])
        ]
        if options["json"]:
            self.stdout.write(json.dumps(claims, indent=2, ensure_ascii=False))
            return
        for claim in claims:
            self.stdout.write(self.describe(claim))
        self.stdout.write(f"{len(claims)} claims.")

    @staticmethod
    def describe(claim: dict[str, Any]) -> str:
        lines = [
            f"#{claim['id']}  {claim['score']:.2f}  {claim['text']}",
            f"    claimant: {claim['claimant'] or '-'}   date: {claim['claim_date'] or '-'}   "
            f"reasons: {', '.join(claim['reasons'])}",
            f"    {len(claim['appearances'])} appearance(s), {claim['independent_origins']} independent origin(s):",
        ]
        for appearance in claim["appearances"]:
            when = (appearance["appeared_at"] or "")[:10] or "undated"
            lines.append(
                f"      {when}  {appearance['outlet']}  (source {appearance['source_id']}, "
                f"cluster {appearance['origin_cluster']}, {appearance['match']} {appearance['match_score']:.2f})"
            )
        for suggestion in claim["suggested_matches"]:
            lines.append(
                f"    maybe the same as claim #{suggestion['claim_id']} ({suggestion['score']:.2f}), to confirm"
            )
        return "\n".join(lines)

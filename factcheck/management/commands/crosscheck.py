"""python manage.py crosscheck "CLAIM TEXT" [--claimant NAME] [--json]

Finds the open claim stated in these words, or creates it, checks it against the
other outlets in this process (through the same service a Celery worker calls)
and prints the assessment with the evidence behind it.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from factcheck.models import CheckRun, Claim, Evidence, Stance
from factcheck.selectors import check_run_evidence, claim_for_text
from factcheck.services.checks import claim_check_now
from factcheck.services.claims import claim_submit

MAX_CLAIM_CHARS = 2000


def evidence_data(evidence: Evidence) -> dict[str, Any]:
    source = evidence.passage.source
    data: dict[str, Any] = {
        "outlet": source.outlet.name,
        "source_id": source.pk,
        "passage_id": evidence.passage_id,
        "passage": evidence.passage.text,
        "score": evidence.score,
        "reason": evidence.reason,
    }
    if evidence.stance == Stance.CONFLICTS:
        data["claim_value"] = evidence.details.get("claim_value", "")
        data["evidence_value"] = evidence.details.get("evidence_value", "")
    return data


def run_data(claim: Claim, run: CheckRun) -> dict[str, Any]:
    evidence = list(check_run_evidence(run))
    by_stance = {
        stance: [evidence_data(e) for e in evidence if e.stance == stance]
        for stance in (Stance.SUPPORTS, Stance.CONFLICTS, Stance.MENTIONS)
    }
    return {
        "claim_id": claim.pk,
        "claim": claim.text,
        "claimant": claim.claimant,
        "run_id": run.pk,
        "status": run.status,
        "assessment": run.assessment,
        "confidence": run.confidence,
        "explanation": run.explanation,
        "examined": run.candidates_examined,
        "supporting": by_stance[Stance.SUPPORTS],
        "conflicting": by_stance[Stance.CONFLICTS],
        "mentions": by_stance[Stance.MENTIONS],
    }


class Command(BaseCommand):
    help = "Check one claim against the other outlets now and print the assessment and its evidence."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("claim", help="The claim, in quotes.")
        parser.add_argument("--claimant", help="Who made the claim, if the text does not say.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = " ".join(options["claim"].split())
        if len(text.split()) < 3:
            raise CommandError("give the claim as a sentence of at least three words, in quotes")
        if len(text) > MAX_CLAIM_CHARS:
            raise CommandError(f"the claim is {len(text)} characters long; at most {MAX_CLAIM_CHARS} are checked")
        claim = claim_for_text(text) or claim_submit(text=text, claimant=options["claimant"])
        try:
            run = claim_check_now(claim_id=claim.pk)
        except ValueError as error:
            raise CommandError(str(error)) from None
        data = run_data(claim, run)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(self.report_lines(data)))

    def report_lines(self, data: dict[str, Any]) -> list[str]:
        lines = [
            f"Claim {data['claim_id']}: {data['claim']}",
            f"Assessment: {data['assessment'] or data['status']} (confidence {data['confidence']}), "
            f"{data['examined']} passages examined",
            data["explanation"],
        ]
        for title, key, mark in (("Supporting", "supporting", "+"), ("Conflicting", "conflicting", "-")):
            lines.append(f"{title} ({len(data[key])}):")
            for item in data[key]:
                values = f' "{item["evidence_value"]}" vs "{item["claim_value"]}"' if key == "conflicting" else ""
                lines.append(
                    f"  {mark} {item['outlet']} [{item['reason']} {item['score']:.2f}]{values}: {item['passage']}"
                )
        lines.append(f"Mentions: {len(data['mentions'])} passages (--json lists them)")
        return lines

"""One article's stance towards a claim, from its passages: the FNC-1 question ("does this body
agree with, refute, discuss or ignore this headline?") answered the way the service answers it.
Pure: no Django import.

The article is split into passages as an ingested source is (normalised, split, speakers
resolved), term statistics are counted per passage as ingestion counts them, the passages that
share a word with the claim are judged (those are the ones the index would retrieve), and the
passages' probabilities make the article's stance (``aggregate``): unrelated unless one passage
is likely related; otherwise its most related passages vote, each stance weighted by the model's
bias (learned.Aggregation, tuned by cross-validation).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from factcheck.crosscheck.claims import find_claimant, resolve_speakers
from factcheck.crosscheck.features import shares_content
from factcheck.crosscheck.learned import STANCES, Aggregation, StanceModel, decide, model_probabilities
from factcheck.crosscheck.matching import Weight, idf_weight
from factcheck.crosscheck.stance import (
    CONFLICTS,
    MENTIONS,
    SUPPORTS,
    UNRELATED,
    CandidatePassage,
    ClaimAnalysis,
    ClaimText,
    Judgement,
    analyse_claim,
    article_context,
    article_names,
)
from factcheck.crosscheck.text import normalize_text, split_passages
from factcheck.crosscheck.words import content_stems

# FNC-1's labels for the engine's stances: "discuss" is a report (the service's "mentions").
FNC_LABELS = {SUPPORTS: "agree", CONFLICTS: "disagree", MENTIONS: "discuss", UNRELATED: "unrelated"}


@dataclass(frozen=True)
class ArticleStance:
    stance: str
    probability: float  # the mean probability of that stance over the passages that decided it
    judgements: tuple[Judgement, ...]  # the passages judged (those sharing a word with the claim)


def article_passages(body: str, *, source_id: int = 0, outlet: str = "") -> list[CandidatePassage]:
    """An article's passages as ingestion makes them: normalised text, sentence passages, speakers."""
    text = normalize_text(body)
    spans = split_passages(text)
    speakers = resolve_speakers(span.text for span in spans)
    names = article_names("", text)
    return [
        CandidatePassage(
            passage_id=position,
            source_id=source_id,
            outlet_id=source_id,
            outlet=outlet,
            origin_cluster_id=None,
            text=span.text,
            speaker=speaker,
            context=article_context("", spans[position - 1].text if position else ""),
            following=spans[position + 1].text if position + 1 < len(spans) else "",
            article_names=names,
        )
        for position, (span, speaker) in enumerate(zip(spans, speakers, strict=True))
    ]


def passage_idf(passage_texts: Iterable[str]) -> Weight:
    """IDF over these passages, counted as ingestion counts term statistics (each stem once per passage)."""
    frequency: Counter[str] = Counter()
    passages = 0
    for text in passage_texts:
        frequency.update(content_stems(text))
        passages += 1
    return idf_weight(frequency, passages)


def judge_article(
    analysis: ClaimAnalysis, passages: Sequence[CandidatePassage], weight: Weight, model: StanceModel
) -> ArticleStance:
    judgements = tuple(decide(analysis, p, weight, model) for p in passages if shares_content(analysis, p.text))
    stance, probability = aggregate([model_probabilities(j) for j in judgements], model.aggregation)
    return ArticleStance(stance, probability, judgements)


def aggregate(
    passages: Sequence[Mapping[str, float]], aggregation: Aggregation, *, related: bool = False
) -> tuple[str, float]:
    """The article's stance and its probability from its passages' probabilities. ``related``:
    the article is known to be about the claim (Emergent's headlines), so only its side is asked."""
    by_relatedness = sorted(passages, key=lambda p: p[UNRELATED])
    most_related = 1.0 - by_relatedness[0][UNRELATED] if by_relatedness else 0.0
    if not related and most_related < aggregation.related_at:
        return UNRELATED, round(1.0 - most_related, 4)
    deciding = by_relatedness[: aggregation.top]
    if not deciding:  # nothing judged, though the article is about the claim: it only reports it
        return MENTIONS, 0.0
    sides = [stance for stance in STANCES if stance != UNRELATED]
    mean = {stance: sum(p[stance] for p in deciding) / len(deciding) for stance in sides}
    if aggregation.any_refutation:
        mean[CONFLICTS] = max(mean[CONFLICTS], *(p[CONFLICTS] for p in passages))
    stance = max(sides, key=lambda s: aggregation.weighted(s, mean[s]))
    return stance, round(mean[stance], 4)


def headline_analysis(headline: str) -> ClaimAnalysis:
    """A headline analysed as the service analyses a statement typed in (text_scope): its claimant found in it."""
    return analyse_claim(ClaimText(headline, find_claimant(headline).claimant))


def fnc_stances(pairs: Sequence[tuple[str, str]], bodies: Mapping[str, str], model: StanceModel) -> list[str]:
    """FNC-1 labels for (headline, body id) pairs: each body split once, term statistics from all
    the bodies' passages, each headline analysed once. Pairs are judged body by body, so a body's
    parsed passages stay in the parsers' memo; the labels come back in the pairs' order."""
    passages = {body_id: article_passages(text) for body_id, text in bodies.items()}
    weight = passage_idf(p.text for body in passages.values() for p in body)
    analyses: dict[str, ClaimAnalysis] = {}
    labels = [""] * len(pairs)
    for index in sorted(range(len(pairs)), key=lambda i: pairs[i][1]):
        headline, body_id = pairs[index]
        analysis = analyses.get(headline) or analyses.setdefault(headline, headline_analysis(headline))
        labels[index] = FNC_LABELS[judge_article(analysis, passages[body_id], weight, model).stance]
    return labels

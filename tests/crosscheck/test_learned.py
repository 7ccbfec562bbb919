"""The learned stance layer: the model file, the features it reads, the stances it decides and
how the rules' explanation is kept. Pure: no database."""

import json
import subprocess
import sys
from dataclasses import replace
from typing import Any

import pytest

from factcheck.crosscheck.articles import aggregate
from factcheck.crosscheck.features import (
    FEATURE_NAMES,
    LEXICON_PREFIX,
    REASON_PREFIX,
    passage_features,
    shares_content,
    text_cues,
)
from factcheck.crosscheck.learned import (
    MODEL_PATH,
    REPORTED,
    STANCES,
    Aggregation,
    ModelFileError,
    StanceModel,
    decide,
    model_from_data,
    revised,
    shipped_model,
)
from factcheck.crosscheck.matching import unweighted
from factcheck.crosscheck.stance import ClaimText, Judgement, analyse_claim, judge
from tests.crosscheck.test_stance import passage

# Every way of overruling, from any probability: the model decides everything.
EVERY_WAY = {f"{a}>{b}": 0.0 for a in STANCES for b in STANCES if a != b}

MAX_MODEL_BYTES = 5 * 1024 * 1024


def test_the_shipped_model_loads_and_reads_every_feature_the_engine_computes() -> None:
    data = json.loads(MODEL_PATH.read_text())
    assert MODEL_PATH.stat().st_size <= MAX_MODEL_BYTES
    reasons = [name for name in data["features"] if name.startswith(REASON_PREFIX)]
    lexicon = [name for name in data["features"] if name.startswith(LEXICON_PREFIX)]
    # Trained on this engine's features: a feature added since means the model must be retrained.
    assert data["features"] == [*FEATURE_NAMES, *reasons, *lexicon]
    assert lexicon, "the training command chooses a lexicon"
    assert all(len(data["weights"][stance]) == len(data["features"]) for stance in data["classes"])
    model = shipped_model()
    assert set(model.weights) == set(data["features"])
    assert model.card["cross_validated"]["fnc1"]["fnc_score"] > 0


def test_a_model_file_with_a_feature_the_engine_does_not_compute_is_refused() -> None:
    data = json.loads(MODEL_PATH.read_text())
    data["features"] = [*data["features"], "sentiment"]
    for stance in data["classes"]:
        data["weights"][stance] = [*data["weights"][stance], 1.0]
    with pytest.raises(ModelFileError, match="sentiment"):
        model_from_data(data)


CLAIM = "Police in Dallas arrested a man who stole 40 puppies from an animal shelter."
DECISIONS = [
    # (passage, the stance the model must decide)
    (
        "A man reportedly stole 40 puppies from an animal shelter in Dallas, according to unconfirmed reports.",
        "mentions",
    ),
    (
        "Dallas police arrested a man on Tuesday who stole 40 puppies from the city's animal shelter.",
        "supports",
    ),
    (
        "Reports that a man stole 40 puppies from a Dallas animal shelter are a hoax, police said; "
        "no puppies were stolen and nobody was arrested.",
        "conflicts",
    ),
    ("The city council approved a new budget for road repairs on Monday.", "unrelated"),
]


@pytest.mark.parametrize(("text", "expected"), DECISIONS)
def test_the_model_tells_a_report_from_a_confirmation_and_sees_a_refutation(text: str, expected: str) -> None:
    analysis = analyse_claim(ClaimText(CLAIM))
    shipped = shipped_model()
    judgement = decide(analysis, passage(text), model=shipped)
    model = judgement.details["model"]
    assert model["stance"] == expected, model
    assert 0.0 < model["probability"] <= 1.0
    # The service follows the model where it is sure enough to overrule the rule (overrule_at,
    # chosen on held-out folds), else the rule stands and the model's dissent is on record.
    rule = judge(analysis, passage(text))
    confident = shipped.overrules(rule.stance, expected, model["probability"])
    assert judgement.stance == (expected if confident else rule.stance)
    # With no bar to overrule, the model's stance is the passage's.
    assert decide(analysis, passage(text), model=replace(shipped, overrule_at=EVERY_WAY)).stance == expected


def test_a_hedged_restatement_is_a_report_for_the_rules_and_for_the_model() -> None:
    analysis = analyse_claim(ClaimText(CLAIM))
    text = DECISIONS[0][0]
    rule = judge(analysis, passage(text))
    assert (rule.stance, rule.reason) == ("mentions", REPORTED)  # the figure agrees, at a distance
    judgement = decide(analysis, passage(text), model=replace(shipped_model(), overrule_at=EVERY_WAY))
    assert (judgement.stance, judgement.reason) == ("mentions", REPORTED)
    assert judgement.details["model"]["stance"] == "mentions"


def always(stance: str) -> StanceModel:
    """A model that decides ``stance`` whatever it reads, free to overrule any rule."""
    classes = ("supports", "conflicts", "mentions", "unrelated")
    intercepts = tuple(5.0 if c == stance else 0.0 for c in classes)
    return StanceModel(classes, intercepts, {}, Aggregation(), {}, overrule_at=EVERY_WAY)


def test_the_model_overrules_a_rule_only_in_the_ways_and_from_the_probabilities_it_was_given() -> None:
    model = StanceModel(
        ("supports", "conflicts", "mentions", "unrelated"),
        (0.0,) * 4,
        {},
        Aggregation(),
        {},
        overrule_at={"supports>mentions": 0.9},
    )
    assert model.overrules("supports", "mentions", 0.95)
    assert not model.overrules("supports", "mentions", 0.85)
    assert not model.overrules("conflicts", "mentions", 0.99)  # a way it was not given


def test_a_rule_the_model_overrules_is_recorded_and_a_report_gets_its_own_reason() -> None:
    analysis = analyse_claim(ClaimText("Twelve people died in the missile attack on Ostrel station."))
    text = "Twelve people died in the missile attack on Ostrel station, the regional administration said."
    rule = judge(analysis, passage(text))
    assert rule.stance == "supports"

    reported = decide(analysis, passage(text), model=always("mentions"))
    assert (reported.stance, reported.reason) == ("mentions", REPORTED)
    assert reported.details["rule_stance"] == "supports"
    assert reported.details["rule_reason"] == rule.reason
    assert reported.spans == rule.spans  # the reviewer still sees what the rule found

    agreed = decide(analysis, passage(text), model=always("supports"))
    assert (agreed.stance, agreed.reason) == ("supports", rule.reason)
    assert "rule_stance" not in agreed.details
    assert agreed.score == agreed.details["model"]["probability"]


def test_cues_are_found_in_their_families_and_near_the_shared_words() -> None:
    cues = text_cues("Reports that the spider burrowed into his chest are a hoax, doctors didn't find it.")
    families = dict(zip(("refute", "negation", "hedge", "attribution", "confirm"), cues.cue_positions, strict=True))
    assert families["refute"] == (10,)  # "hoax", the eleventh word
    assert families["negation"] == (12,)  # "didn't"
    assert families["attribution"] == (0,)  # "Reports"
    assert families["confirm"] == ()
    analysis = analyse_claim(ClaimText("A spider burrowed into a tourist's chest."))
    text = "Reports that the spider burrowed into his chest are a hoax, doctors said."
    features = passage_features(analysis, judge(analysis, passage(text)), lambda _stem: 1.0)
    assert features["near_refute"] == 1.0
    assert features["bigram_overlap"] > 0
    assert "near_hedge" not in features


def test_a_passage_sharing_no_word_with_the_claim_is_not_a_candidate() -> None:
    analysis = analyse_claim(ClaimText("A spider burrowed into a tourist's chest."))
    assert shares_content(analysis, "The spider was found alive.")
    assert not shares_content(analysis, "The council met on Monday.")


def test_an_article_is_unrelated_unless_one_passage_is_likely_related() -> None:
    aggregation = Aggregation(related_at=0.5, top=1, bias={"conflicts": 3.0})
    far = {"supports": 0.1, "conflicts": 0.05, "mentions": 0.15, "unrelated": 0.7}
    assert aggregate([far, far], aggregation)[0] == "unrelated"
    assert aggregate([], aggregation)[0] == "unrelated"
    refuting = {"supports": 0.3, "conflicts": 0.2, "mentions": 0.3, "unrelated": 0.2}
    # The most related passage decides: 0.2 x 3 outweighs 0.3.
    assert aggregate([far, refuting], aggregation) == ("conflicts", 0.2)
    # Unless a refutation anywhere in the article counts.
    rumour = {"supports": 0.5, "conflicts": 0.05, "mentions": 0.3, "unrelated": 0.15}
    assert aggregate([rumour, refuting], aggregation)[0] == "supports"
    anywhere = Aggregation(related_at=0.5, top=1, bias={"conflicts": 3.0}, any_refutation=True)
    assert aggregate([rumour, refuting], anywhere)[0] == "conflicts"
    # An article known to be about the claim only asks which side it takes.
    assert aggregate([far], Aggregation(), related=True)[0] == "mentions"


def test_the_learned_layer_runs_on_pure_python() -> None:
    # The predictor is a dot product and a softmax: no numpy, scipy or scikit-learn at run time.
    script = (
        "import sys\n"
        "import factcheck.crosscheck.articles, factcheck.crosscheck.features, factcheck.crosscheck.learned\n"
        "factcheck.crosscheck.learned.shipped_model()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'scipy', 'sklearn')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]"


def test_a_report_of_what_someone_said_confirms_a_claim_about_what_they_said() -> None:
    claim = "Korva's Defence Ministry said the Ostrel strike had hit a military logistics hub."
    analysis = analyse_claim(ClaimText(claim, claimant="Korvan Defence Ministry"))
    text = "Korva's Defence Ministry said on Thursday that the strike on Ostrel had hit a military logistics hub."
    assert judge(analysis, passage(text)).stance == "supports"
    judgement = decide(analysis, passage(text), model=always("mentions"))
    assert judgement.stance == "supports"  # it was said: the report confirms the claim
    assert judgement.details["model"]["stance"] == "mentions"
    # The same report of a claim about the strike itself only reports it.
    plain = analyse_claim(ClaimText("The Ostrel strike had hit a military logistics hub."))
    assert decide(plain, passage(text), model=always("mentions")).stance == "mentions"


def test_the_model_adds_up_a_pairs_features_and_each_texts_own_as_it_adds_them_all() -> None:
    # decide() remembers what a text's own features add to the logits; the probabilities must be
    # those of the whole feature vector, the one the training command reads.
    model = shipped_model()
    analysis = analyse_claim(ClaimText(CLAIM))
    for text, _ in DECISIONS:
        rule = judge(analysis, passage(text))
        whole = model.probabilities(passage_features(analysis, rule, unweighted, model.lexicon))
        for _ in range(2):  # the text's share computed, then remembered
            parts = model.passage_probabilities(analysis, rule, unweighted)
            assert parts.keys() == whole.keys()
            assert all(abs(parts[stance] - whole[stance]) < 1e-12 for stance in whole)


def test_a_revised_judgement_is_the_one_dataclasses_replace_makes() -> None:
    assert not hasattr(Judgement, "__post_init__")  # revised() copies the fields, running none
    analysis = analyse_claim(ClaimText(CLAIM))
    rule = judge(analysis, passage(DECISIONS[1][0]))
    changes: dict[str, Any] = {"stance": "mentions", "reason": REPORTED, "score": 0.5, "details": {"model": {}}}
    assert revised(rule, **changes) == replace(rule, **changes)
    assert revised(rule, **changes).spans == rule.spans
    assert rule.stance == "supports"  # the rule's judgement is left as it was


def test_a_belief_repeated_as_a_belief_confirms_a_claim_that_is_itself_a_belief() -> None:
    claim = "The rebel force is believed to include several hundred foreign volunteers."
    text = "Several hundred foreign volunteers are thought to be serving with the rebel force."
    analysis = analyse_claim(ClaimText(claim))
    assert analysis.hedged
    assert judge(analysis, passage(text)).stance == "supports"
    assert decide(analysis, passage(text), model=always("mentions")).stance == "supports"
    # The same belief is only a report of a claim that states it as a fact.
    plain = analyse_claim(ClaimText("The rebel force includes several hundred foreign volunteers."))
    assert decide(plain, passage(text), model=always("mentions")).stance == "mentions"

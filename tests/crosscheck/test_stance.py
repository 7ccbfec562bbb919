"""The stance of one passage towards a claim, and the assessment from many: pure, no database."""

import datetime as dt
from dataclasses import replace

import pytest

from factcheck.crosscheck.assess import ClaimOrigin, assess
from factcheck.crosscheck.stance import (
    CandidatePassage,
    ClaimText,
    Judgement,
    analyse_claim,
    article_names,
    judge,
    name_keys,
    name_runs,
    names_replaced,
    other_event,
    passage_in_context,
)

_next_id = iter(range(1, 10_000))


def passage(
    text: str,
    outlet: str = "Outlet",
    *,
    cluster: int | None = None,
    speaker: str = "",
    published: dt.date | None = None,
) -> CandidatePassage:
    number = next(_next_id)
    return CandidatePassage(
        passage_id=number,
        source_id=number,
        outlet_id=hash(outlet) % 10_000,
        outlet=outlet,
        origin_cluster_id=cluster,
        text=text,
        speaker=speaker,
        published=published,
    )


STANCE_CASES = [
    # (claim, claimant, passage, passage speaker, expected stance, expected reason)
    (
        "Oskaria has sent 11,000 soldiers to fight for Korva.",
        "",
        "Oskaria has deployed approximately 15,000 soldiers to Korva since its parliament ratified a treaty in 2024.",
        "",
        "conflicts",
        "figure_conflict",
    ),
    (
        "A missile strike on Ostrel railway station killed 12 people.",
        "",
        "Rescue workers said at least 30 people were killed when the missile hit Ostrel station.",
        "",
        "conflicts",
        "figure_conflict",
    ),
    (
        "A missile strike on Ostrel railway station killed 12 people.",
        "",
        "Twelve people died in the missile attack on Ostrel station, the regional administration said.",
        "",
        "supports",
        "figure_agrees",
    ),
    # Trap: a different thing counted in the same sentence is no conflict.
    (
        "Oskaria has sent 11,000 soldiers to fight for Korva.",
        "",
        "Korva leaned on the 11,000 soldiers sent by Oskaria, while volunteers from about 70 countries joined the Legion.",
        "",
        "supports",
        "figure_agrees",
    ),
    # Trap: a bound and a vague quantity overlap.
    (
        "Malesh said at least 155 Qareshi citizens are serving in Korvan units.",
        "Teodor Malesh",
        "Malesh said several hundred Qareshi nationals were fighting for Korva, most recruited online.",
        "",
        "supports",
        "figure_agrees",
    ),
    # Trap: the captured two are not the 155 serving.
    (
        "Lestovian troops captured two Qareshi nationals fighting for Korva.",
        "",
        "Lestovian intelligence has identified at least 155 Qareshi citizens serving in Korvan units.",
        "",
        "mentions",
        "other_figure",
    ),
    (
        '"Drazhin is hunting for new soldiers abroad because it has no intention of ending this war," Malesh said.',
        "Teodor Malesh",
        "\u201cDrazhin is hunting for new soldiers abroad because it has no intention of ending this war,\u201d he said.",
        "Teodor Malesh",
        "supports",
        "quote_verbatim",
    ),
    (
        '"Drazhin is hunting for new soldiers abroad because it has no intention of ending this war," Malesh said.',
        "Teodor Malesh",
        "\u201cDrazhin is searching for fresh troops in other countries because it does not intend to end this war,\u201d"
        " Malesh said.",
        "Teodor Malesh",
        "supports",
        "quote_variant",
    ),
    (
        '"A country cannot call itself neutral while its citizens are firing on our soldiers," Delic said.',
        "Roksana Delic",
        "\u201cA country cannot call itself neutral while its citizens are firing on our soldiers,\u201d the president"
        " said.",
        "Teodor Malesh",
        "conflicts",
        "quote_misattributed",
    ),
    (
        "Qareshi citizens are serving in Korva's armed forces.",
        "",
        "Korva's Defence Ministry denied on Thursday that any Qareshi citizens serve in its armed forces.",
        "",
        "conflicts",
        "denial",
    ),
    # The claim reports the denial: a passage reporting it too supports it.
    (
        "Korva denied that any Qareshi citizens serve in its armed forces.",
        "",
        "Korva's Defence Ministry denied on Thursday that any Qareshi citizens serve in its armed forces.",
        "",
        "supports",
        "denial_reported",
    ),
    # A denial of something else in a related passage is no conflict, and no confirmation either.
    (
        "Lestovian troops captured two Qareshi nationals in the Dalmir region.",
        "",
        "Qaresh denied buying weapons from Korva, days after two of its nationals were captured in Dalmir.",
        "",
        "mentions",
        "related",
    ),
    # A denial sharing one word of what the claim says ("serve") denies something else.
    (
        "Two Qareshi volunteers are serving in Lestovia's International Legion.",
        "",
        "Korva's Defence Ministry denied on Thursday that any Qareshi citizens serve in its armed forces.",
        "",
        "mentions",
        "related",
    ),
    # When in the day it happened is checked like a figure.
    (
        "The missile hit Ostrel's railway station late on Wednesday evening.",
        "",
        "The strike hit Ostrel's main railway station shortly before 8 a.m. on Wednesday.",
        "",
        "conflicts",
        "time_conflict",
    ),
    # "a third" states a count: the passage about two confirms nothing of it.
    (
        "Lestovian forces have captured a third Qareshi fighter serving with Korva.",
        "",
        "Lestovian troops have captured two Qareshi nationals who were fighting in the Korvan army.",
        "",
        "mentions",
        "figure_not_given",
    ),
    # The same figure, but the rest of the claim is not in the passage.
    (
        "Tamir has confirmed the names of the two Qareshi prisoners.",
        "",
        "The two Qareshi prisoners remain in the custody of the State Security Service.",
        "",
        "mentions",
        "figure_not_given",
    ),
    (
        "Lestovian troops captured two Qareshi nationals in the Dalmir region.",
        "",
        "Heavy rain is expected across the valley at the weekend.",
        "",
        "unrelated",
        "unrelated",
    ),
]


# Figures in a whole passage (issue 14): (claim, passage, stance, reason, claim value, evidence value).
FIGURE_STANCE_CASES = [
    # Any agreeing figure beats a conflict with another figure of the passage.
    (
        "US airstrike kills 25 Taliban in Afghanistan",
        "The US airstrike in eastern Afghanistan left 25 Taliban dead and five more wounded, officials said.",
        "supports",
        "figure_agrees",
        "25",
        "25",
    ),
    (
        "US airstrike kills 25 Taliban fighters in Afghanistan",
        "The US airstrike in Afghanistan killed 40 Taliban fighters and 25 civilians, officials said.",
        "conflicts",
        "figure_conflict",
        "25 fighters",
        "40 fighters",
    ),
    # Several claim figures, each decided on its own; a passage figure that agrees with one
    # claim figure is not held against another.
    (
        "Stainless steel Apple Watch will be priced at $500, gold edition at $4,000",
        "The stainless steel Apple Watch will cost $500 and the gold edition between $4,000 and $5,000, a site says.",
        "supports",
        "figure_agrees",
        "$500",
        "$500",
    ),
    # ...but one claim figure that nothing agrees with, contradicted, makes the passage conflict.
    (
        "Twelve people were killed and 41 wounded by the missile at Ostrel station",
        "The missile at Ostrel station killed 12 people and wounded 50 others.",
        "conflicts",
        "figure_conflict",
        "41",
        "50 others",
    ),
    # A part given with its whole: the part agrees, and the whole is not held against the claim.
    (
        "Seven girls fall pregnant after a five-day school trip to Sarajevo",
        "Seven out of 28 girls on the five-day school trip to Sarajevo came back pregnant.",
        "supports",
        "figure_agrees",
        "Seven girls",
        "Seven girls",
    ),
    # Date-like numbers and ages are not counts.
    (
        "A missile strike on Ostrel railway station killed 12 people",
        "Since 911 calls flooded in after the missile strike on Ostrel railway station killed 12 people, crews "
        "worked all night.",
        "supports",
        "figure_agrees",
        "12 people",
        "12 people",
    ),
    (
        "Twelve people died in the missile strike on Ostrel railway station",
        "The missile strike on Ostrel railway station killed 12 people, Mayor Ivan Kos, 57, told reporters.",
        "supports",
        "figure_agrees",
        "Twelve people",
        "12 people",
    ),
    # Measurements of what may be two things do not conflict; a bound touching the number agrees.
    (
        "Giant snake measuring about 50 feet found in Borneo jungle",
        "Reticulated pythons found in the Borneo jungle can measure 12 feet, experts said of the snake.",
        "mentions",
        "other_figure",
        "",
        "",
    ),
    (
        "Catholic priest dead for 48 minutes says God is a woman",
        "A Catholic priest who was dead for more than 48 minutes says God is a woman.",
        "supports",
        "figure_agrees",
        "48 minutes",
        "more than 48 minutes",
    ),
    # Soldiers, troops and men count one force (names are aligned elsewhere: both say North Korea).
    (
        "North Korea has sent 11,000 soldiers to fight for Russia",
        "North Korea has deployed approximately 15,000 men to fight for Russia, officials say.",
        "conflicts",
        "figure_conflict",
        "11,000 soldiers",
        "approximately 15,000 men",
    ),
    (
        "North Korea has sent 11,000 soldiers to fight for Russia",
        "North Korea has sent 11,000 soldiers and 200 tanks to fight for Russia, officials say.",
        "supports",
        "figure_agrees",
        "11,000 soldiers",
        "11,000 soldiers",
    ),
]


@pytest.mark.parametrize(("claim", "text", "stance", "reason", "claim_value", "evidence_value"), FIGURE_STANCE_CASES)
def test_it_decides_figures_per_claim_figure_and_only_about_the_same_thing(
    claim: str, text: str, stance: str, reason: str, claim_value: str, evidence_value: str
) -> None:
    judgement = judge(analyse_claim(ClaimText(claim)), passage(text))
    assert (judgement.stance, judgement.reason) == (stance, reason)
    assert (judgement.claim_value, judgement.evidence_value) == (claim_value, evidence_value)


@pytest.mark.parametrize(
    ("text", "stance", "reason"),
    [
        # Each country's count is a part of the claim's total: no count of it.
        ("Peruvian officials reported 412 deaths from the floods and Chile 230.", "mentions", "other_subject"),
        # One count of both countries, well under the total: a conflict.
        ("The flood toll in Peru and Chile together stood at 300 on Monday.", "conflicts", "figure_conflict"),
        # A part larger than the whole can be is a conflict too.
        ("Peruvian officials reported 1,412 deaths from the floods and Chile 230.", "conflicts", "figure_conflict"),
    ],
)
def test_a_count_of_one_country_is_a_part_of_a_total_of_several(text: str, stance: str, reason: str) -> None:
    claim = ClaimText("The flood toll in Peru and Chile together stood at 900.")
    judgement = judge(analyse_claim(claim), passage(text))
    assert (judgement.stance, judgement.reason) == (stance, reason)


def test_it_marks_the_spans_and_values_that_decided_a_conflict() -> None:
    text = "Oskaria has deployed approximately 15,000 soldiers to Korva."
    judgement = judge(analyse_claim(ClaimText("Oskaria has sent 11,000 soldiers to Korva.")), passage(text))
    (span,) = judgement.spans
    assert text[span.start : span.end] == "approximately 15,000"
    assert judgement.claim_value == "11,000 soldiers"
    assert judgement.evidence_value == "approximately 15,000 soldiers"
    assert judgement.details["evidence_figure"]["qualifier"] == "approximate"


def decided(stance: str, outlet: str, *, cluster: int | None = None, reason: str = "wording_overlap") -> Judgement:
    return Judgement(passage("text", outlet, cluster=cluster), stance, reason, 0.8, (), "12", "at least 30")


ASSESSMENT_CASES = [
    ([], None, "unverified"),
    ([decided("mentions", "A")], None, "unverified"),
    ([decided("supports", "A")], None, "single_source"),
    ([decided("supports", "A"), decided("supports", "B")], None, "corroborated"),
    # A wire copy (same cluster) and a second report of one outlet add no origin.
    ([decided("supports", "A", cluster=1), decided("supports", "B", cluster=1)], None, "single_source"),
    ([decided("supports", "A"), decided("supports", "A")], None, "single_source"),
    ([decided("supports", "A"), decided("conflicts", "B")], None, "conflicting"),
    ([decided("conflicts", "B")], None, "contradicted"),
    # The claim's own source supports it.
    ([decided("supports", "B")], ClaimOrigin(1, "Own", 7), "corroborated"),
    ([], ClaimOrigin(1, "Own", 7), "single_source"),
    ([decided("conflicts", "B")], ClaimOrigin(1, "Own", 7), "conflicting"),
]


@pytest.mark.parametrize(("judgements", "origin", "expected"), ASSESSMENT_CASES)
def test_it_assesses_by_independent_origins(judgements, origin, expected) -> None:
    result = assess(judgements, origin=origin)
    assert result.assessment == expected
    assert 0.0 <= result.confidence <= 1.0
    assert result.explanation


def test_it_explains_who_supports_and_who_gives_another_figure() -> None:
    result = assess(
        [
            decided("supports", "Lantern Daily"),
            decided("supports", "Westvale Observer"),
            decided("conflicts", "Brightwater Tribune", reason="figure_conflict"),
        ]
    )
    assert result.explanation == (
        "2 outlets support (Lantern Daily; Westvale Observer); "
        '1 conflicts: Brightwater Tribune gives "at least 30" instead of "12".'
    )


def test_more_independent_support_means_more_confidence() -> None:
    two = assess([decided("supports", "A"), decided("supports", "B")]).confidence
    three = assess([decided("supports", "A"), decided("supports", "B"), decided("supports", "C")]).confidence
    with_a_copy = assess(
        [decided("supports", "A"), decided("supports", "B", cluster=5), decided("supports", "C", cluster=5)]
    )
    assert two == with_a_copy.confidence < three


# Support is confirmation: what each passage's voice makes of a passage that repeats the claim.
VOICE_CASES = [
    # (claim, claimant, passage, passage speaker, expected stance, expected reason)
    # What the claim says only under the hedge is repeated, not vouched for, however much else
    # the passage says in its own voice.
    (
        "The girl rescued from the rubble of the Orvalle school was named Mira.",
        "",
        "The girl rescued from the rubble of the Orvalle school has reportedly been named Mira.",
        "",
        "mentions",
        "reported",
    ),
    # Repeated at a distance, with no one named who vouches for it: a report.
    (
        "The harbour authority closed the northern pier after a crane collapsed.",
        "",
        "The harbour authority has reportedly closed the northern pier after a crane collapsed.",
        "",
        "mentions",
        "reported",
    ),
    (
        "The harbour authority closed the northern pier after a crane collapsed.",
        "",
        "Some reports say the harbour authority closed the northern pier after a crane collapsed.",
        "",
        "mentions",
        "reported",
    ),
    (
        "The harbour authority closed the northern pier after a crane collapsed.",
        "",
        "The harbour authority is said to have closed the northern pier after a crane collapsed.",
        "",
        "mentions",
        "reported",
    ),
    # The same words in the outlet's own voice, or on a named source's authority: support.
    (
        "The harbour authority closed the northern pier after a crane collapsed.",
        "",
        "The harbour authority closed the northern pier on Monday after a crane collapsed.",
        "",
        "supports",
        "wording_overlap",
    ),
    (
        "The harbour authority closed the northern pier after a crane collapsed.",
        "",
        "The harbour authority closed the northern pier after a crane collapsed, port director Lena Varga said.",
        "Lena Varga",
        "supports",
        "wording_overlap",
    ),
    # A hedge on another statement of the sentence leaves the claim vouched for.
    (
        "The harbour authority closed the northern pier after a crane collapsed.",
        "",
        "Damage is believed to be extensive, and the harbour authority closed the northern pier after a crane collapsed.",
        "",
        "supports",
        "wording_overlap",
    ),
    # The claimant repeating the claim confirms only that it was said...
    (
        "The harbour authority closed the northern pier after a crane collapsed.",
        "Lena Varga",
        "The harbour authority closed the northern pier after a crane collapsed, port director Lena Varga said.",
        "Lena Varga",
        "mentions",
        "reported",
    ),
    # ...unless the claim is about what was said.
    (
        "Lena Varga said the harbour authority closed the northern pier after a crane collapsed.",
        "Lena Varga",
        "Port director Lena Varga said the harbour authority closed the northern pier after a crane collapsed.",
        "Lena Varga",
        "supports",
        "quote_verbatim",
    ),
    # Refutations in the forms news uses, the rejected words before or after the cue.
    (
        "A shark was found swimming in the flooded subway station.",
        "",
        "Pictures claiming a shark was found swimming in the flooded subway station are a hoax.",
        "",
        "conflicts",
        "refutation",
    ),
    (
        "A shark was found swimming in the flooded subway station.",
        "",
        "Transit officials said there was no evidence that a shark was swimming in the flooded subway station.",
        "",
        "conflicts",
        "refutation",
    ),
    (
        "A shark was found swimming in the flooded subway station.",
        "",
        "The story of a shark swimming in the flooded subway station was debunked by transit officials.",
        "",
        "conflicts",
        "refutation",
    ),
    (
        "The council banned fireworks across the city this year.",
        "",
        "The council has not banned fireworks across the city this year, its spokesperson said.",
        "",
        "conflicts",
        "negated",
    ),
    # "Not clear whether" negates nothing the claim says.
    (
        "The council banned fireworks across the city this year.",
        "",
        "It is not clear whether the council banned fireworks across the city this year.",
        "",
        "mentions",
        "reported",
    ),
    # A claim that is itself a denial: the agreeing denial supports, the affirmation conflicts.
    (
        "The council has not banned fireworks across the city this year.",
        "",
        "The council has not banned fireworks across the city this year, despite a petition.",
        "",
        "supports",
        "denial_reported",
    ),
    # Refutations as news words them: "no specific or credible information linking ...", "claims of
    # X have no basis", "investigators ruled out ...", "a video said to show X is actually from ...".
    (
        "The collapse of the Harbour Bridge was an act of terrorism.",
        "",
        "The police said there was no specific or credible information linking the collapse to terrorism.",
        "",
        "conflicts",
        "refutation",
    ),
    (
        "The ferry's engines were disabled by hackers.",
        "",
        "Claims circulating online that hackers disabled the ferry's engines have no basis, an official said.",
        "",
        "conflicts",
        "refutation",
    ),
    (
        "The ferry hit the pier because its engine failed.",
        "",
        "Investigators ruled out any mechanical or engine failure as a cause of the crash.",
        "",
        "conflicts",
        "refutation",
    ),
    (
        "A video shows a flood sweeping through the market of Tarsal after the storm.",
        "",
        "A video said to show a flood sweeping through the market of Tarsal is actually from a 2014 storm "
        "elsewhere, fact-checkers found.",
        "",
        "conflicts",
        "refutation",
    ),
    # ... in other words, negating another word of what the claim negates.
    (
        "The ferry did not suffer an engine failure before it hit the pier.",
        "",
        "The operator has said there was no mechanical or engine failure.",
        "",
        "supports",
        "denial_reported",
    ),
    (
        "No independent body ever certified the Vesper submersible.",
        "",
        "The Vesper was never classed or certified by an independent body.",
        "",
        "supports",
        "denial_reported",
    ),
    (
        "The council has not banned fireworks across the city this year.",
        "",
        "The council banned fireworks across the city this year after a petition.",
        "",
        "conflicts",
        "denied_affirmed",
    ),
    # What was denied is the negated verb, not every word after it: a passage naming the festival
    # does not affirm that the fireworks were banned for it.
    (
        "The council has not banned fireworks for the harbour festival.",
        "",
        "The council approved fireworks for the harbour festival, which opens on Friday with a parade.",
        "",
        "mentions",
        "related",
    ),
    # A passage repeating at a distance the rumour the claim denies is what the denial is about.
    (
        "The council has not banned fireworks across the city this year.",
        "",
        "Posts claiming the council banned fireworks across the city this year spread on Monday.",
        "",
        "mentions",
        "related",
    ),
    # A headline in Title Case: its capitals do not make every word a name, so it has something to
    # check, and a passage casting doubt on it disputes it.
    (
        "Giant Squid Washes Ashore On Crowded Beach In Tarvon",
        "",
        "Marine biologists have cast doubt over claims that a giant squid washed ashore on a crowded beach.",
        "",
        "conflicts",
        "refutation",
    ),
    (
        "A giant squid washed ashore on a crowded beach in Tarvon.",
        "",
        "Biologists questioned whether the animal that washed ashore on the crowded beach was a giant squid.",
        "",
        "conflicts",
        "refutation",
    ),
    # "Not the first time" says it happened, and before.
    (
        "Divers recovered the bell of the wrecked steamer.",
        "",
        "It is not the first time divers recovered the bell of the wrecked steamer, the museum said.",
        "",
        "supports",
        "wording_overlap",
    ),
    # Naming the claim's subject is not saying what the claim says happened to it.
    (
        "The Ever Given of Evergreen Marine in the Suez Canal was carrying children.",
        "",
        "The Ever Given of Evergreen Marine was refloated in the Suez Canal on Monday.",
        "",
        "mentions",
        "related",
    ),
    # Nothing to check besides a name.
    (
        "Varga said so.",
        "",
        "Port director Lena Varga said the pier would reopen on Friday.",
        "",
        "mentions",
        "nothing_to_check",
    ),
    # Another statement by the same speaker on the same subject is no rendering of the claim's quotation.
    (
        '"The pier will reopen on Friday," Varga said.',
        "Lena Varga",
        "\u201cWe are inspecting every crane on the pier before anyone is allowed back, and safety comes before "
        "any reopening date or any commercial pressure from shipping lines,\u201d Varga said.",
        "Lena Varga",
        "mentions",
        "quote_absent",
    ),
    # ... nor are other words, unquoted, however much they share with the claim's quotation.
    (
        'Teodor Malesh called the strike "the worst crime of the century".',
        "Teodor Malesh",
        "President Teodor Malesh said the strike was the worst crime the city had seen in a century.",
        "Teodor Malesh",
        "mentions",
        "quote_absent",
    ),
    # A hedge in a description of a noun ("accused of", "apparently showing") keeps its distance
    # from the description only: the sentence's own statement about the noun is vouched for...
    (
        "Police have arrested 40 protesters.",
        "",
        "Police have arrested 40 protesters accused of blocking the ring road.",
        "",
        "supports",
        "figure_agrees",
    ),
    (
        "The museum published a video showing the flooded archive.",
        "",
        "The museum published a short video apparently showing the flooded archive, filmed by a night guard.",
        "",
        "supports",
        "wording_overlap",
    ),
    # ... unless the description is what the claim says ...
    (
        "The protesters blocked the ring road.",
        "",
        "Police have arrested 40 protesters accused of blocking the ring road.",
        "",
        "mentions",
        "reported",
    ),
    # ... and the same words after an auxiliary hedge the sentence itself.
    (
        "The museum published a video showing the flooded archive.",
        "",
        "The museum has apparently published a short video showing the flooded archive.",
        "",
        "mentions",
        "reported",
    ),
    # A verb of denial done to someone who acted before it ("warned ... and was dismissed": fired)
    # rejects nothing the sentence says; said of a statement, it still does.
    (
        "The chief engineer warned about cracks in the dam and was fired.",
        "",
        "The chief engineer, Mara Holt, warned about cracks in the dam and was dismissed, court papers show.",
        "",
        "supports",
        "wording_overlap",
    ),
    (
        "Cracks were found in the dam.",
        "",
        "Reports that cracks were found in the dam were dismissed by the water board.",
        "",
        "conflicts",
        "denial",
    ),
    # "No connection between them and X": a relation denied, its terms on either side of the cue.
    (
        "The tremors felt during the drilling came from the old mine.",
        "",
        "Asked about the tremors felt during the drilling, the engineer said there did not appear to be any "
        "connection between them and the old mine.",
        "",
        "conflicts",
        "refutation",
    ),
    # Rejecting the cause a claim gives rejects the claim, though it shares no other word of it.
    (
        "The Marlin was disabled by a cyberattack before it hit the pier.",
        "",
        "Claims circulating online that the Marlin was the target of a cyberattack have no basis, an official said.",
        "",
        "conflicts",
        "refutation",
    ),
    # ... but a name is whom the story is about, not a cause: rejecting another thing said of it
    # rejects nothing of the claim.
    (
        "The journalist was seized by Veltran.",
        "",
        "The journalist's family said there was no evidence that Veltran had sent fighters to the border.",
        "",
        "mentions",
        "related",
    ),
    # A debunk that names the rumour only by referring back to it, in the sentence before.
    (
        "The ferry was sunk by a whale.",
        "",
        "Some posts claimed the ferry was sunk by a whale. The coast guard said the claim was false.",
        "",
        "conflicts",
        "refutation",
    ),
    # ... but not a rumour that says more than the claim: its debunk may reject only what it adds.
    (
        "The ferry sank near the cape.",
        "",
        "Some posts claimed the ferry was deliberately sunk by its owners near the cape to collect the insurance "
        "money. The coast guard said the claim was false.",
        "",
        "mentions",
        "related",
    ),
    # A claim that gives a cause is confirmed by the cause, not by the event alone.
    (
        "The ferry sank because its hull cracked.",
        "",
        "The ferry sank off the cape on Monday, two days after it left the harbour.",
        "",
        "mentions",
        "related",
    ),
    (
        "The storm was the only reason the ferry sank.",
        "",
        "The ferry sank off the cape on Monday, two days after it left the harbour.",
        "",
        "mentions",
        "related",
    ),
    # ... and a claim that gives an origin, by the origin.
    (
        "The banging heard during the search came from the missing submarine.",
        "",
        "The navy confirmed that a patrol plane had heard banging during the search, but said nothing was found.",
        "",
        "mentions",
        "related",
    ),
    (
        "The ferry sank because its hull cracked.",
        "",
        "The ferry sank off the cape on Monday after its hull cracked.",
        "",
        "supports",
        "wording_overlap",
    ),
    # A denial is not a re-wording.
    (
        '"We will send engineers to the pier," Varga said.',
        "Lena Varga",
        "\u201cWe will not send engineers to the pier,\u201d Varga said.",
        "Lena Varga",
        "conflicts",
        "negated",
    ),
]


def test_a_passage_that_supports_on_a_named_sources_authority_carries_it() -> None:
    claim = analyse_claim(ClaimText("The harbour authority closed the northern pier after a crane collapsed."))
    text = "The harbour authority closed the northern pier after a crane collapsed, port director Lena Varga said."
    assert judge(claim, passage(text, speaker="Lena Varga")).attributed_to == "Lena Varga"
    reported = judge(
        claim, passage("The harbour authority reportedly closed the northern pier after a crane collapsed.")
    )
    assert reported.details["hedge"] == "reportedly"
    assert reported.details["would_support"] == "wording_overlap"
    (hedge_span,) = [span for span in reported.spans if span.label == "hedge"]
    assert reported.passage.text[hedge_span.start : hedge_span.end] == "reportedly"


def reported(outlet: str) -> Judgement:
    return Judgement(passage("text", outlet), "mentions", "reported", 0.7)


def vouched(outlet: str, speaker: str) -> Judgement:
    return Judgement(passage("text", outlet), "supports", "wording_overlap", 0.8, attributed_to=speaker)


def test_a_claim_repeated_by_many_outlets_and_confirmed_by_none_is_reported_not_corroborated() -> None:
    result = assess([reported("A"), reported("B"), reported("C"), reported("D"), decided("mentions", "E")])
    assert result.assessment == "reported"
    assert [o.label for o in result.reporting] == ["A", "B", "C", "D"]
    assert result.explanation.startswith("Reported by 4 outlets (A; B; C; D), confirmed by none")


def test_outlets_that_vouch_on_one_sources_authority_are_one_origin() -> None:
    one_source = assess([vouched("A", "Lena Varga"), vouched("B", "Varga"), vouched("C", "Director Lena Varga")])
    assert one_source.assessment == "single_source"
    assert one_source.supporting[0].outlets == ("A", "B", "C")
    two_sources = assess([vouched("A", "Lena Varga"), vouched("B", "Tomas Kiel")])
    assert two_sources.assessment == "corroborated"


def test_a_report_beside_a_confirmation_is_named_but_adds_no_origin() -> None:
    result = assess([decided("supports", "A"), reported("B")])
    assert result.assessment == "single_source"
    assert result.explanation.endswith("1 more outlet (B) repeats it without confirming it.")


@pytest.mark.parametrize(("claim", "claimant", "text", "speaker", "stance", "reason"), STANCE_CASES + VOICE_CASES)
def test_it_judges_each_passage_with_a_reason(claim, claimant, text, speaker, stance, reason) -> None:
    judgement = judge(analyse_claim(ClaimText(claim, claimant)), passage(text, speaker=speaker))
    assert (judgement.stance, judgement.reason) == (stance, reason)


def test_a_link_denied_is_no_conflict_with_what_it_links() -> None:
    # "No connection between them and the old mine" does not say the tremors were not felt.
    claim = analyse_claim(ClaimText("The tremors were felt during the drilling."))
    text = (
        "Asked about the tremors felt during the drilling, the engineer said there did not appear to be any "
        "connection between them and the old mine."
    )
    assert judge(claim, passage(text)).stance != "conflicts"


OTHER_EVENT_CASES = [
    # (claim, passage, the year that shows another event, or None)
    (
        "Thirty-five people died when the freighter brought down the Harbour Bridge.",
        "When the tanker Northern Star hit the Delta Causeway in May 1980, a span fell and 35 people died.",
        "1980",
    ),
    (
        "About 20,000 people died in the February 2023 earthquake.",
        "It was the worst disaster since the Varna earthquake of 1939, in which about 20,000 people died.",
        "1939",
    ),
    # The claim's own names in the passage: the same event, whatever year it also gives.
    (
        "Thirty-five people died when the freighter brought down the Harbour Bridge.",
        "The Harbour Bridge, opened in 1977, fell when the freighter struck it; 35 people died.",
        None,
    ),
    # A passage that names nobody may refer back to the claim's event.
    (
        "Six people died when the Harbour Bridge collapsed.",
        "Six people in all died in the collapse, built in 1977.",
        None,
    ),
    # No year of its own: nothing shows another event.
    ("Six people died when the Harbour Bridge collapsed.", "Rescuers in Tampa recovered six bodies on Monday.", None),
    # One of the claim's names (the ship) somewhere else than its others, in another year: another event.
    (
        "Nobody was injured when the Aurora struck the Halden Bridge.",
        "In March 2019 the Aurora struck a pier in Rotterdam while turning; nobody was injured.",
        "2019",
    ),
    # Every name the claim gives (not the word opening it) is there: the same event.
    (
        "Around 9,000 Norwegian troops have been sent to help Latvia.",
        "Since last spring, Oslo has sent roughly 12,000 men to Latvia, which it joined in a pact in 2024.",
        None,
    ),
]


@pytest.mark.parametrize(("claim", "text", "year"), OTHER_EVENT_CASES)
def test_a_passage_dated_to_another_year_that_names_only_others_is_about_another_event(claim, text, year) -> None:
    assert other_event(claim, text) == year
    if year is not None:
        judgement = judge(analyse_claim(ClaimText(claim)), passage(text))
        assert (judgement.stance, judgement.reason) == ("mentions", "other_event")


OTHER_SUBJECT_CASES = [
    # (claim, passage, speaker, stance, reason)
    # The same kind of count, of another named subject: neither support nor conflict.
    (
        "All 19 crew members of the Northern Star were safe.",
        "All 23 crew members of the Halcyon were accounted for, the ship's manager, Vantor Marine, said.",
        "",
        "mentions",
        "other_subject",
    ),
    (
        "The Halcyon had 23 crew members on board.",
        "All 23 crew members of the Northern Star were accounted for.",
        "",
        "mentions",
        "other_subject",
    ),
    # The claim's subject named in the passage: compared.
    (
        "The Halcyon had 23 crew members on board.",
        "The Halcyon had 25 crew members on board, the agency understands.",
        "",
        "conflicts",
        "figure_conflict",
    ),
    # Who is speaking, and where, are not what the figure is about.
    (
        "About 300 ships were waiting when the Northern Star was refloated.",
        "Port authority chairman Idris Balan said 422 ships were waiting at both ends of the channel.",
        "Idris Balan",
        "conflicts",
        "figure_conflict",
    ),
    (
        "About 300 ships were waiting when the Northern Star was refloated.",
        "More than 400 ships were waiting to pass, according to the shipping agency Leth Partners.",
        "",
        "conflicts",
        "figure_conflict",
    ),
    (
        "The wreck of the Northern Star lies about 2,900 metres below the surface.",
        "The wreck lies about 2,900 metres down, some 900 kilometres east of Cape Farewell.",
        "",
        "supports",
        "figure_agrees",
    ),
    # A name and its acronym are one name.
    (
        "The UN appealed for $2 billion for relief work in Vellmark.",
        "The United Nations has appealed for $2 billion to fund relief work in Vellmark.",
        "",
        "supports",
        "figure_agrees",
    ),
    # Another one of a series: "the first quake" is not "a new earthquake"...
    (
        "The first earthquake measured 7.1 in magnitude.",
        "A new earthquake, of magnitude 5.9, struck the province on Monday evening.",
        "",
        "mentions",
        "other_subject",
    ),
    (
        "The first earthquake measured 7.1 in magnitude.",
        "A new earthquake, of magnitude 7.1, struck the province on Monday evening.",
        "",
        "mentions",
        "other_subject",
    ),
    # ... and a conflict needs the figure placed in the same one: a claim about the second quake
    # says nothing against a passage that gives a quake's magnitude without saying which.
    (
        "A second earthquake, of magnitude 6.6, struck about nine hours after the first.",
        "A magnitude 7.1 earthquake struck the coast before dawn on Monday.",
        "",
        "mentions",
        "other_subject",
    ),
    (
        "The first earthquake measured 7.1 in magnitude.",
        "The agency measured the first quake at magnitude 7.0 and the second at 6.5.",
        "",
        "conflicts",
        "figure_conflict",
    ),
    # A count given for another day: tolls rise.
    (
        "By Wednesday the number of dead in the floods had risen above 1,000.",
        "The death toll from the floods in the northern provinces rose above 2,000 on Friday.",
        "",
        "mentions",
        "other_subject",
    ),
    (
        "By Wednesday the number of dead in the floods had risen above 1,000.",
        "The number of people killed by the floods in the northern provinces rose above 1,000 on Wednesday.",
        "",
        "supports",
        "figure_agrees",
    ),
    # The noun a compound's head is modified by is part of the figure: the rest of the claim is the
    # bridge falling, which the passage says.
    (
        "Six construction workers died when the pier collapsed.",
        "Six road workers died on the pier.",
        "",
        "supports",
        "figure_agrees",
    ),
    # A reading to a tenth names the one thing read: the magnitude alone confirms it.
    (
        "The first earthquake measured 7.1 in magnitude.",
        "A magnitude 7.1 earthquake struck the coast before dawn on Monday.",
        "",
        "supports",
        "figure_agrees",
    ),
]


@pytest.mark.parametrize(("claim", "text", "speaker", "stance", "reason"), OTHER_SUBJECT_CASES)
def test_figures_of_another_subject_neither_support_nor_conflict(claim, text, speaker, stance, reason) -> None:
    judgement = judge(analyse_claim(ClaimText(claim)), passage(text, speaker=speaker))
    assert (judgement.stance, judgement.reason) == (stance, reason)


# Another story told in much the same words: the passage names only others than the claim does.
SUMMONS_CLAIM = "President Arvo Tamm instructed Vellmark's foreign minister to summon Ostrava's ambassador and demand an explanation."
SUMMONS = (
    "He said he had instructed Foreign Minister Roksana Delic to summon Qaresh's ambassador and demand an explanation."
)
ITS_STORY = "President Teodor Malesh of Lestovia said on Tuesday that two Qareshi nationals had been captured."
THE_CLAIMS_STORY = "President Arvo Tamm said on Tuesday that two Ostravan nationals had been captured."


@pytest.mark.parametrize(
    ("title", "opening", "stance", "reason"),
    [
        ("Lestovia captures two Qareshi fighters", ITS_STORY, "mentions", "other_subject"),
        # Its article names what the claim is about: "he" may be the claim's president.
        ("Vellmark protests to Ostrava", THE_CLAIMS_STORY, "supports", "wording_overlap"),
    ],
)
def test_a_passage_naming_only_others_is_about_another_story_unless_its_article_names_the_claims(
    title: str, opening: str, stance: str, reason: str
) -> None:
    names = article_names(title, f"{opening} {SUMMONS}")
    judgement = judge(analyse_claim(ClaimText(SUMMONS_CLAIM)), replace(passage(SUMMONS), article_names=names))
    assert (judgement.stance, judgement.reason) == (stance, reason)


@pytest.mark.parametrize(
    ("a", "b", "replaced"),
    [
        ("Mervane's vaccine is 95% effective.", "Tolcor's vaccine is 95% effective.", "Tolcor (not Mervane)"),
        ("The Lestovian ministry summoned Qaresh's envoy.", "The Korvan ministry summoned Qaresh's envoy.", "Korvan (not Lestovian)"),
        ("Russia's economy shrank 3% last year.", "Ukraine's economy shrank 3% last year.", "Ukraine (not Russia)"),
        ("Forty died when the Halvard hit the Orrin Bridge.", "Forty died when the Summit Venture hit the Orrin Bridge.", "Summit Venture (not Halvard)"),
        # A country in another of its forms; a word of the name given; who said it; a day.
        ("Kyiv summoned Beijing's envoy.", "Ukraine summoned China's envoy.", None),
        ("The Halvard hit the Orrin Bridge.", "The Singapore-flagged Halvard hit the bridge.", None),
        ("Malesh said Korva lost 500 tanks.", "Drazhin said Korva lost 500 tanks.", None),
        ("Today's storm killed 12 people in Dravno.", "Yesterday's storm killed 12 people in Dravno.", None),
        # Naming nobody, or a Title Case headline: nothing to tell.
        ("Mervane's vaccine is 95% effective.", "The company's vaccine is 95% effective.", None),
        ("Mervane's vaccine is 95% effective.", "Tolcor's Vaccine Is 95% Effective Against Measles", None),
    ],
)  # fmt: skip
def test_statements_alike_in_words_are_about_other_parties_when_each_names_one_the_other_never_does(
    a: str, b: str, replaced: str | None
) -> None:
    assert names_replaced(a, b) == replaced


TOLL_CLAIM = "Thirty-five people died when the freighter Halvard brought down the Orrin Bridge."
QUAKE_TOLL = "An earthquake brought down bridges across southern Turkey, and 2,300 people died."


@pytest.mark.parametrize(
    ("text", "title", "stance", "reason"),
    [
        # A country named as such, in an article that never names the claim's bridge: another disaster.
        (QUAKE_TOLL, "Earthquake in Turkey", "mentions", "other_subject"),
        (QUAKE_TOLL, "The Halvard brings down the Orrin Bridge", "conflicts", "figure_conflict"),
        # A country named by its people says whose they were, wherever the article is.
        ("Six people died when the bridge came down, all of them Mexican nationals.", "Earthquake in Turkey", "conflicts", "figure_conflict"),
    ],
)  # fmt: skip
def test_a_toll_in_a_passage_naming_a_country_is_of_another_disaster_unless_its_article_names_the_claims(
    text: str, title: str, stance: str, reason: str
) -> None:
    names = article_names(title, text)
    judgement = judge(analyse_claim(ClaimText(TOLL_CLAIM)), replace(passage(text), article_names=names))
    assert (judgement.stance, judgement.reason) == (stance, reason)


# Invented counts of a flood; 2024-05-01 was a Wednesday, 2024-05-03 a Friday.
WEDNESDAY, FRIDAY = dt.date(2024, 5, 1), dt.date(2024, 5, 3)
RISING_TOLL = "The death toll from the floods in the northern provinces rose to 2,400."


@pytest.mark.parametrize(
    ("claim", "published", "stance", "reason"),
    [
        # The claim names its day, the passage none: its count is of the day it was published.
        (ClaimText("By Wednesday the number of dead in the floods had risen to 1,000."), FRIDAY, "mentions", "other_subject"),
        (ClaimText("By Wednesday the number of dead in the floods had risen to 1,000."), WEDNESDAY, "conflicts", "figure_conflict"),
        # The claim names its date: the same.
        (ClaimText("The number of dead in the May 1 floods has risen to 1,000."), FRIDAY, "mentions", "other_subject"),
        (ClaimText("The number of dead in the May 1 floods has risen to 1,000."), WEDNESDAY, "conflicts", "figure_conflict"),
        # The claim names no day: outlets report one fact on different days, and most counts do not change.
        (ClaimText("The number of dead in the floods has risen to 1,000."), FRIDAY, "conflicts", "figure_conflict"),
        # The passage is undated: nothing shows another day.
        (ClaimText("By Wednesday the number of dead in the floods had risen to 1,000."), None, "conflicts", "figure_conflict"),
    ],
)  # fmt: skip
def test_a_count_published_on_another_day_does_not_conflict(claim, published, stance, reason) -> None:
    judgement = judge(analyse_claim(claim), passage(RISING_TOLL, published=published))
    assert (judgement.stance, judgement.reason) == (stance, reason)


def test_a_count_published_on_another_day_still_agrees() -> None:
    """Only a conflict is set aside for its publication day: a count that agrees may not have changed."""
    claim = analyse_claim(ClaimText("By Wednesday the number of dead in the floods had risen to 2,400."))
    judgement = judge(claim, passage(RISING_TOLL, published=FRIDAY))
    assert (judgement.stance, judgement.reason) == ("supports", "figure_agrees")


def test_a_day_the_passage_names_dates_its_count_whenever_it_was_published() -> None:
    """ "to 1,000 on Wednesday", published on Friday, is Wednesday's count: it still conflicts."""
    claim = analyse_claim(ClaimText("By Wednesday the number of dead in the floods had risen to 2,400."))
    text = "The number of people killed by the floods in the northern provinces rose to 1,000 on Wednesday."
    judgement = judge(claim, passage(text, published=FRIDAY))
    assert (judgement.stance, judgement.reason) == ("conflicts", "figure_conflict")


@pytest.mark.parametrize(
    ("named", "stance", "reason"),
    [("on May 3", "mentions", "other_subject"), ("on May 1", "conflicts", "figure_conflict")],
)
def test_a_date_the_passage_names_dates_its_count_whenever_it_was_published(named, stance, reason) -> None:
    claim = analyse_claim(ClaimText("By May 1 the number of dead in the floods had risen to 1,000."))
    text = f"The death toll from the floods in the northern provinces rose to 2,400 {named}."
    judgement = judge(claim, passage(text, published=WEDNESDAY))
    assert (judgement.stance, judgement.reason) == (stance, reason)


def test_a_claim_about_a_promise_is_confirmed_by_outlets_reporting_it() -> None:
    """The claim is about what the claimant said, in a verb that names the statement ("promised"):
    an outlet reporting that the claimant said it confirms it, and is not a mere report."""
    claim = analyse_claim(
        ClaimText("Teodor Malesh promised to rebuild the station's homes within a year.", "Teodor Malesh")
    )
    text = "Malesh has called the strike a crime and promised to rebuild the station's homes within a year."
    judgement = judge(claim, passage(text, speaker="Teodor Malesh"))
    assert (judgement.stance, judgement.reason) == ("supports", "wording_overlap")


def test_a_country_named_in_another_form_is_part_of_the_rest_of_the_claim() -> None:
    """ "Lisbon" says the claim's "Portugal": with it, the passage says the rest of the claim."""
    claim = analyse_claim(ClaimText("Portugal has sent roughly 900 troops to support the mission."))
    text = "Lisbon has deployed approximately 900 soldiers to the northern sector, helping the mission."
    judgement = judge(claim, passage(text))
    assert (judgement.stance, judgement.reason) == ("supports", "figure_agrees")


def test_a_negation_that_bounds_a_figure_is_no_denial() -> None:
    assert not analyse_claim(ClaimText("Malesh said no fewer than 155 citizens of Qaresh are fighting.")).is_denial
    assert not analyse_claim(ClaimText("No more than 30 ships were waiting at the port.")).is_denial
    assert analyse_claim(ClaimText("No independent body ever certified the submersible.")).is_denial


PLACE_CASES = [
    # (claim, passage, stance, reason): where the claim says it happened, against the passage.
    (
        "Qareshi nationals were captured in Lestovia's Dalmir region.",
        "Lestovian forces captured Qareshi nationals fighting for Korva in the eastern Varna region.",
        "conflicts",
        "place_conflict",
    ),
    # ... but a count somewhere else is another event's, however alike the words (issue 15: the
    # archive holds many strikes, floods and derailments told alike) ...
    (
        "Twelve people were killed when a missile hit the station in Ostrel.",
        "Twelve people were killed when a missile hit the station in Marovka.",
        "mentions",
        "other_event",
    ),
    (
        "3,700 residents were evacuated from Sastoven after the Gafum river flooded.",
        "7,700 residents were evacuated from Rojoava after the Gafum river burst its banks, Viktor Jalil said.",
        "mentions",
        "other_event",
    ),
    (
        "Police arrested 395 people at the protest against the media law in Rachekava.",
        "Police in Vodilel arrested 251 people during protests against the media law, the ministry said.",
        "mentions",
        "other_event",
    ),
    (
        "Pegran forces captured three Lineshi citizens who were fighting for Jada near Fokanovo.",
        "Nabrian troops have captured three Lineshi nationals who were fighting near the village of Grizhashik.",
        "mentions",
        "other_event",
    ),
    (
        "13 people died when a passenger train derailed near Dapastin.",
        "At least 13 people died in the floods around Rashagrad, Jopo said.",
        "mentions",
        "other_event",
    ),
    # ... told as a headline ...
    (
        "43 people were killed when a Gibistovian missile hit the Kaban bus depot in Dreruovo.",
        "Gibistovian missile strike on the Voshak bus depot in Lifemgrad kills 6",
        "mentions",
        "other_event",
    ),
    # ... as are words alike said of other actors somewhere else ...
    (
        "Ten people were killed when a Vadreveshi missile hit the Bruner sports hall in Lefunak.",
        "Ten people were killed when a Vadreveshi missile hit the Laze power plant in Rachekava on Tuesday night.",
        "mentions",
        "other_event",
    ),
    # A passage that says where in more detail, or in the claim's words, does not conflict ...
    (
        "Qareshi nationals were captured in the Dalmir region.",
        "Lestovian forces captured Qareshi nationals fighting for Korva in the eastern Dalmir region.",
        "supports",
        "wording_overlap",
    ),
    # ... and one that does not say where confirms nothing of it.
    (
        "Qareshi nationals were captured in the Dalmir region.",
        "Lestovian forces captured Qareshi nationals fighting for Korva, its president said.",
        "mentions",
        "related",
    ),
]


@pytest.mark.parametrize(("claim", "text", "stance", "reason"), PLACE_CASES)
def test_where_the_claim_says_it_happened_is_checked(claim: str, text: str, stance: str, reason: str) -> None:
    judgement = judge(analyse_claim(ClaimText(claim)), passage(text))
    assert (judgement.stance, judgement.reason) == (stance, reason)


def test_a_name_before_a_verb_says_where_and_a_possessive_says_whose() -> None:
    located = {" ".join(sorted(name.key)): name.located for name in name_runs("Police in Vodilel arrested 251 people.")}
    assert located["vodilel"]
    text = "Citizens of Qaresh are serving in Korva's armed forces."
    assert not {" ".join(sorted(name.key)): name.located for name in name_runs(text)}["korva"]


def test_a_name_before_an_events_noun_names_the_event_not_where_it_happened() -> None:
    located = {
        " ".join(sorted(name.key)): name.located for name in name_runs("Many died in the Varna earthquake in Dalmir.")
    }
    assert (located["varna"], located["dalmir"]) == (False, True)


def test_a_country_inside_a_name_run_is_the_country() -> None:
    """ "The Chinese" is China, and "Ukraine's Dalmir" is Ukraine and Dalmir."""
    assert name_keys("The Chinese nationals were seen.") == {frozenset({"CHN"})}
    assert name_keys("They were seen in Ukraine's Dalmir region.") == {frozenset({"UKR", "dalmir"})}


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        # A clock time says the part of the day, however told.
        (
            "The tanker struck the pier at around 2:10 in the morning.",
            "It hit the pier at about 2:10 a.m., officials said.",
        ),
        # "Early on Tuesday" may be the small hours.
        ("The tanker struck the pier at around 2:10 in the morning.", "The tanker struck the pier early on Tuesday."),
    ],
)
def test_times_of_day_told_differently_do_not_conflict(claim: str, text: str) -> None:
    judgement = judge(analyse_claim(ClaimText(claim)), passage(text))
    assert judgement.reason != "time_conflict"


def test_two_measurements_of_one_thing_conflict() -> None:
    """ "Hours of oxygen" on both sides: one thing measured, though no event ties the figures."""
    claim = analyse_claim(ClaimText("The submersible carried about 40 hours of oxygen."))
    text = "The submersible had between 70 and 96 hours of emergency oxygen, its operator said."
    judgement = judge(claim, passage(text))
    assert (judgement.stance, judgement.reason) == ("conflicts", "figure_conflict")


def in_article(text: str, context: str) -> CandidatePassage:
    return replace(passage(text), context=context)


@pytest.mark.parametrize(
    ("claim", "text", "context", "stance"),
    [
        # One of the claim's names replaced by another: another count.
        (
            "Vadrevesh has sent 25,000 soldiers to fight for Stema.",
            "Vadrevesh has sent 25,000 troops to fight for Brarashesh, Defence Minister Arman Zhastash said.",
            "",
            "mentions",
        ),
        (
            "18 people were killed when a Lokreshi missile hit the Tregesk market in Duzanovo.",
            "Ten people were killed when a Lokreshi missile hit the Mapest hospital in Duzanovo on Sunday.",
            "",
            "mentions",
        ),
        # A thing named otherwise, wherever the name stands ("strike on the Chatrem bus depot").
        (
            "Seven people were killed when a Graralian missile hit the Rabol railway station in Dobavitsa.",
            "Graralian missile strike on the Chatrem bus depot in Dobavitsa kills 60",
            "",
            "mentions",
        ),
        # A name left out and given by the article is referred back to; a people's name is its country's.
        ("Vadrevesh has sent 25,000 soldiers to fight for Stema.",
         "Vadrevesh has sent 25,000 troops to fight for the Brarashesh brigade.", "Vadrevesh's troops for Stema",
         "supports"),
        ("Vadrevesh has sent 25,000 soldiers to fight for Stema.",
         "Vadrevesh has sent 25,000 troops to fight for the Brarashesh brigade.", "", "mentions"),
        ("Malesh said at least 155 Qareshi citizens are serving in Korvan units.",
         "At least 155 Qareshi citizens serve with Korva, Malesh said.", "", "supports"),
    ],
)  # fmt: skip
def test_a_count_with_one_of_the_claims_names_replaced_is_of_another_subject(
    claim: str, text: str, context: str, stance: str
) -> None:
    judgement = judge(analyse_claim(ClaimText(claim)), in_article(text, context))
    assert judgement.stance == stance
    if stance == "mentions":
        assert judgement.reason == "other_subject"


def test_a_name_in_another_place_of_the_sentence_replaces_none_of_the_claims() -> None:
    claim = analyse_claim(ClaimText("Lestovian troops captured three Qareshi nationals who were fighting for Korva."))
    text = "Rights groups criticised Lestovia for showing the two Qareshi men it captured on the Dalmir front."
    assert judge(claim, passage(text)).reason != "other_subject"
    text = "Lestovian troops captured two Qareshi nationals who were fighting for Dalmir."
    assert judge(claim, passage(text)).reason == "other_subject"


def test_another_place_in_an_article_about_the_claims_place_is_another_part_of_the_story() -> None:
    """A count somewhere else is another count, even in an article about the claim's place; the
    claim's actors somewhere else contradict it, unless the article is about the claim's place too."""
    counted = analyse_claim(ClaimText("3,700 residents were evacuated from Sastoven after the Gafum river flooded."))
    text = "1,200 residents were evacuated from Rojoava after the Gafum river burst its banks."
    for judged in (passage(text), in_article(text, "Thousands flee as the Gafum floods Sastoven")):
        assert judge(counted, judged).reason == "other_event"
    acted = analyse_claim(ClaimText("Qareshi nationals were captured in Lestovia's Dalmir region."))
    text = "Lestovian forces captured Qareshi nationals fighting for Korva in the eastern Varna region."
    assert judge(acted, passage(text)).reason == "place_conflict"
    assert judge(acted, in_article(text, "Fighting spreads beyond Lestovia's Dalmir region")).reason == "other_event"


@pytest.mark.parametrize(
    ("claim", "text", "context"),
    [
        (
            "Seven climbers were roped together on the Varna glacier route.",
            "Seven climbers were roped together when the serac gave way.",
            "Avalanche on the Varna glacier route",
        ),
        (
            "Nine passengers were aboard the Marlow Star ferry.",
            "Nine passengers were aboard, the coastguard said.",
            "Marlow Star ferry sinks off the headland",
        ),
    ],
)
def test_a_figure_confirms_a_claim_whose_subject_only_its_article_names(claim: str, text: str, context: str) -> None:
    analysis = analyse_claim(ClaimText(claim))
    alone = judge(analysis, passage(text))
    assert (alone.stance, alone.reason) == ("mentions", "figure_not_given"), "the passage alone names nothing"
    in_its_article = judge(analysis, in_article(text, context))
    assert (in_its_article.stance, in_its_article.reason) == ("supports", "figure_agrees")


def test_an_article_lends_a_passage_only_the_names_of_what_the_claim_is_about() -> None:
    analysis = analyse_claim(ClaimText("Twelve miners were trapped in the Dunmore pit after the flood."))
    text = "Four of them were brought out on Sunday."
    context = "The flood trapped miners deep in the Dunmore pit"
    assert passage_in_context(analysis, in_article(text, context)) == f"{text} (Dunmore)"
    assert passage_in_context(analysis, passage(text)) == text


@pytest.mark.parametrize(
    ("text", "stance", "reason"),
    [
        ("It rammed the quay at about 9:45 in the evening, the port authority said.", "supports", "time_agrees"),
        ("It rammed the quay at 9.45pm, the port authority said.", "supports", "time_agrees"),
        ("It rammed the quay at about 9:45 in the morning, the port authority said.", "conflicts", "time_conflict"),
    ],
)
def test_the_same_minute_confirms_and_another_half_of_the_day_conflicts(text: str, stance: str, reason: str) -> None:
    analysis = analyse_claim(ClaimText("The ferry rammed the harbour quay at 9:45 pm."))
    judgement = judge(analysis, passage(text))
    assert (judgement.stance, judgement.reason) == (stance, reason)


@pytest.mark.parametrize(
    ("text", "context", "stance"),
    [
        # Whose they are is what the claim says: a passage that does not say it confirms nothing.
        ("The Marlow Star had 19 crew members on board, the operator said.", "", "mentions"),
        ("All 19 crew members of the Marlow Star, all of them from Portugal, were rescued.", "", "supports"),
        # The article around the passage may say it.
        ("All 19 crew members of the Marlow Star were rescued.", "Portuguese crew rescued off Cork", "supports"),
    ],
)
def test_a_nationality_the_claim_predicates_must_be_given(text: str, context: str, stance: str) -> None:
    analysis = analyse_claim(ClaimText("All of the Marlow Star's crew members were Portuguese nationals."))
    assert judge(analysis, in_article(text, context)).stance == stance


def test_a_nationality_that_only_tells_whom_the_claim_is_about_may_be_left_unsaid() -> None:
    analysis = analyse_claim(ClaimText("Passports and phones were found on the captured Portuguese sailors."))
    text = "Passports and phones were found on the captured sailors, the navy said."
    assert judge(analysis, passage(text)).stance == "supports"


# A conflict needs the same owner, moment and incident (issue 14: no figure conflicts about different things).
SATURDAY = dt.date(2024, 6, 8)
ANOTHER_OWNER_MOMENT_OR_INCIDENT = [
    # Whose count the claim gives, never named by the passage: its count may be of what the
    # sentences before it were about.
    (
        "The Marlin Queen had 18 crew members on board.",
        "Its operator, Delcor Shipping, said all 31 crew members were safe.",
        None,
        "mentions",
        "other_subject",
    ),
    (
        "The Marlin Queen had 18 crew members on board.",
        "The Marlin Queen had 31 crew members on board, the coastguard said.",
        None,
        "conflicts",
        "figure_conflict",
    ),
    # A count at a moment the claim names by what happened then, against a dated count that does
    # not state it: the queue of the day the passage was published.
    (
        "About 250 lorries were queuing when the border crossing reopened.",
        "Customs officials said 140 lorries were queuing at the crossing.",
        SATURDAY,
        "mentions",
        "other_subject",
    ),
    (
        "About 250 lorries were queuing when the border crossing reopened.",
        "Customs officials said 140 lorries were queuing when the border crossing reopened.",
        SATURDAY,
        "conflicts",
        "figure_conflict",
    ),
    # A year the claim counts in, which the passage does not give (nor was it published in).
    (
        "Nine ferries were laid up in the harbour for the six years after the 1974 strike.",
        "More than 90 ferries were laid up in the harbour, the port said.",
        SATURDAY,
        "mentions",
        "other_subject",
    ),
    # Whose count the claim gives, named by the passage only to say when: another group.
    (
        "There were 18 crew members aboard the Marlin Queen.",
        "The two divers belonged to the six-member crew that was dredging the channel when the Marlin Queen hit it.",
        SATURDAY,
        "mentions",
        "other_subject",
    ),
    # The crew of another ship, named after the noun.
    (
        "All 18 crew members of the Marlin Queen were safe.",
        "Delcor said all 31 crew members, all of them Filipino nationals, were safe.",
        SATURDAY,
        "mentions",
        "other_subject",
    ),
    # The nationality a passage gives the counted people is no other subject than the claim's ship.
    (
        "The Marlin Queen had 18 crew members on board.",
        "Delcor said all 18 crew members, all of them Filipino nationals, were safe.",
        SATURDAY,
        "supports",
        "figure_agrees",
    ),
    # Who found the figure is its source, not another subject.
    (
        "The Marlin Queen was carrying 40 barrels of solvent.",
        "Manifests obtained by the Ledger list 40 barrels of solvent among the cargo on board.",
        SATURDAY,
        "supports",
        "figure_agrees",
    ),
    # Another incident named after the event: two tolls.
    (
        "More than 900 people died in the Aurora ferry disaster.",
        "Four people died in the fire, all of them members of the night shift.",
        None,
        "mentions",
        "other_figure",
    ),
    (
        "More than 900 people died in the Aurora ferry disaster.",
        "Only 40 people died in the Aurora ferry disaster, the inquiry found.",
        None,
        "conflicts",
        "figure_conflict",
    ),
]


@pytest.mark.parametrize(("claim", "text", "published", "stance", "reason"), ANOTHER_OWNER_MOMENT_OR_INCIDENT)
def test_a_figure_conflict_needs_the_claims_owner_moment_and_incident(claim, text, published, stance, reason) -> None:
    judgement = judge(analyse_claim(ClaimText(claim)), passage(text, published=published))
    assert (judgement.stance, judgement.reason) == (stance, reason)


def test_a_denial_reported_is_on_its_speakers_authority() -> None:
    # Two outlets repeating one spokesman's denial are one origin, as for any other support.
    claim = analyse_claim(ClaimText("The ferry did not suffer an engine failure before it hit the pier."))
    text = "There was no mechanical or engine failure, the operator's spokesman Ivo Marr said."
    judgement = judge(claim, passage(text, speaker="Ivo Marr"))
    assert (judgement.stance, judgement.reason, judgement.attributed_to) == ("supports", "denial_reported", "Ivo Marr")
    # ... and the claimant repeating their own denial confirms only that they made it.
    claimed = analyse_claim(ClaimText("The ferry did not suffer an engine failure before it hit the pier.", "Ivo Marr"))
    assert judge(claimed, passage(text, speaker="Ivo Marr")).reason == "reported"


RUMOUR = "Some posts online claimed the Marlow Star ferry was carrying smuggled gold."


@pytest.mark.parametrize(
    ("text", "following", "stance", "reason"),
    [
        # The article debunks the rumour in its next sentence, naming it only as "that" or "the claim".
        (RUMOUR, "There is no evidence for that, the coastguard said.", "conflicts", "refutation"),
        (RUMOUR, "The coastguard said the claim was false.", "conflicts", "refutation"),
        # The next sentence rejects nothing it refers back to: the rumour stays a report.
        (RUMOUR, "The ferry did not sink, the coastguard said.", "mentions", "reported"),
        (RUMOUR, "", "mentions", "reported"),
        # Said in the passage's own voice, it is no rumour for the next sentence to refer back to
        # (the debunk is of the other thing the passage reports).
        (
            "Customs officers said the Marlow Star ferry was carrying smuggled gold; some posts claimed it also "
            "carried weapons.",
            "There is no evidence for that, the coastguard said.",
            "supports",
            "wording_overlap",
        ),
        (
            "Customs officers said the Marlow Star ferry was carrying smuggled gold.",
            "There is no evidence for that, the coastguard said.",
            "supports",
            "wording_overlap",
        ),
    ],
)
def test_a_rumour_debunked_in_the_next_sentence_conflicts(text: str, following: str, stance: str, reason: str) -> None:
    analysis = analyse_claim(ClaimText("The Marlow Star ferry was carrying smuggled gold."))
    judgement = judge(analysis, replace(passage(text), following=following))
    assert (judgement.stance, judgement.reason) == (stance, reason)
    if stance == "conflicts":
        assert judgement.details["debunked_after"] == following
        assert judgement.passage.text == text  # the rumour's passage is the evidence shown


@pytest.mark.parametrize(
    ("text", "speaker", "stance", "reason"),
    [
        ('"It is like a huge beached whale," Ana Ruiz told reporters of the stranded ferry.', "Ana Ruiz", "supports",
         "quote_variant"),
        ('"It is like a huge beached whale," port chief Ivo Marr said of the stranded ferry.', "Ivo Marr", "conflicts",
         "quote_misattributed"),
    ],
)  # fmt: skip
def test_words_a_claim_says_someone_likened_or_called_are_looked_for_as_theirs(text, speaker, stance, reason) -> None:
    claim = "Ana Ruiz likened the stranded ferry to a huge beached whale."
    judgement = judge(analyse_claim(ClaimText(claim, "Ana Ruiz")), passage(text, speaker=speaker))
    assert (judgement.stance, judgement.reason) == (stance, reason)


_ALIKE = "is hunting for new soldiers abroad, the teachers stayed with the pupils all day"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        (f'"Our brigade near Repostik {_ALIKE} and the people responsible will answer for it," Ivo Marr said.',
         "conflicts"),
        # The same words but for the place: near-verbatim, and another statement.
        (f'"Our brigade near Brokaovo {_ALIKE} and the people responsible will answer for it," Ivo Marr said.',
         "mentions"),
        # Other words and another place: as alike as a rendering, and another statement.
        (f'"Our brigade near Brokaovo {_ALIKE} and our patience has run out," Ivo Marr said.', "mentions"),
    ],
)  # fmt: skip
def test_the_same_words_with_another_name_are_another_statement(text: str, stance: str) -> None:
    """Generated quotations share clauses: only the words with their names can be the claim's
    quotation (here given to someone else: a misattribution)."""
    quoted = f'Marta Liss said: "Our brigade near Repostik {_ALIKE} and the people responsible will answer for it."'
    judgement = judge(analyse_claim(ClaimText(quoted, "Marta Liss")), passage(text, speaker="Ivo Marr"))
    assert judgement.stance == stance


def test_what_someone_said_in_the_claims_words_may_name_what_they_referred_to() -> None:
    said = "Roksana Delic said a nation whose citizens shoot at Lestovian soldiers has no right to call itself neutral."
    claim = ClaimText(said, "Roksana Delic")
    text = '"A country cannot call itself neutral while its citizens are firing on our soldiers," Delic said.'
    assert judge(analyse_claim(claim), passage(text, speaker="Roksana Delic")).reason == "quote_variant"


@pytest.mark.parametrize(
    ("quoted", "text"),
    [
        # Another subject, named: the rest alike is a stock phrase.
        (
            "Our rescue teams were only going to work and to school, and silence would make us accomplices.",
            "The families at the Gudost textile factory were only going to work and to school, and silence would"
            " make us accomplices.",
        ),
        # The same words after another, named, subject: the alignment leaves the subject out.
        (
            "Our rescue teams prove this was deliberate, our intelligence service knew the names in advance"
            " because lies cannot hide the facts.",
            "The attack on the Mestor textile factory prove this was deliberate, our intelligence service knew the"
            " names in advance because lies cannot hide the facts.",
        ),
        # Nearly the same words but for one part's: another statement.
        (
            "The local council voted for emergency funds on Monday, the investigation will name every culprit in the"
            " city and our rescue teams prove this was deliberate.",
            "The local council voted for emergency funds on Monday, the investigation will name every culprit in the"
            " city and our rescue teams stayed out all night.",
        ),
        # A part that shares one word by chance ("lost" is "lose") says something else.
        (
            "The interior ministry have nothing left to lose, the children were moved to the shelters in time and"
            " help must arrive before winter.",
            "The villages downstream lost everything overnight, the children were moved to the shelters in time and"
            " help must arrive before winter.",
        ),
        # Two parts alike, one not: two statements sharing stock phrases.
        (
            "The lower town lost everything overnight, the firefighters worked without proper equipment and the"
            " people responsible will answer for it.",
            "The railway company had been broken for weeks, the firefighters worked without proper equipment and the"
            " people responsible will answer for it.",
        ),
    ],
)
def test_a_statement_sharing_stock_phrases_is_no_misattribution(quoted: str, text: str) -> None:
    claim = ClaimText(f'Marta Liss said: "{quoted}"', "Marta Liss")
    judgement = judge(analyse_claim(claim), passage(f'"{text}" Ivo Marr said.', speaker="Ivo Marr"))
    assert judgement.stance == "mentions"
    # The same statement given to him is one.
    judgement = judge(analyse_claim(claim), passage(f'"{quoted}" Ivo Marr said.', speaker="Ivo Marr"))
    assert judgement.reason == "quote_misattributed"


def test_a_figure_someone_is_quoted_saying_is_confirmed_by_their_words_only() -> None:
    claim = analyse_claim(ClaimText('Luka Lobavev said: "The railway company saved 40 lives today."', "Luka Lobavev"))
    others = passage('"The carriages saved 40 lives," Ivan Palachest said.', speaker="Ivan Palachest")
    assert judge(claim, others).stance != "supports"
    his = passage('"The railway company saved 40 lives today," Lobavev said.', speaker="Luka Lobavev")
    assert judge(claim, his).reason == "quote_verbatim"


@pytest.mark.parametrize(
    ("text", "speaker", "stance"),
    [
        ("Hana Kodrak said the dams on the Savo were never repaired after the flood.", "Hana Kodrak", "supports"),
        ('"The lower town was never repaired after the last flood," Ivo Marr said.', "Ivo Marr", "mentions"),
    ],
)
def test_a_quoted_denial_is_reported_only_by_its_speaker(text: str, speaker: str, stance: str) -> None:
    said = 'Hana Kodrak said: "The dams on the Savo were never repaired after the last flood."'
    assert judge(analyse_claim(ClaimText(said, "Hana Kodrak")), passage(text, speaker=speaker)).stance == stance


def test_another_persons_words_neither_confirm_nor_dispute_a_quotation() -> None:
    """Only the quotation rules judge a quoted claim against someone else's words: "at noon" in
    another person's statement is no time conflict with what the claim quotes."""
    claim = ClaimText('Hana Kodrak said: "The rescuers worked through the night in Tazaava."', "Hana Kodrak")
    text = '"The priests rang the bells of Tazaava at noon," Ivo Marr said.'
    assert judge(analyse_claim(claim), passage(text, speaker="Ivo Marr")).reason == "quote_other_speaker"
    assert judge(analyse_claim(claim), passage(text)).reason != "quote_other_speaker"


def test_calling_for_something_is_no_quotation_of_the_caller() -> None:
    claim = ClaimText("Mayor Ana Ruiz called for an immediate ceasefire in the harbour district.", "Ana Ruiz")
    assert analyse_claim(claim).quotations == ()


def test_an_article_lends_a_name_only_as_the_claim_reads_it() -> None:
    # "Titan" and "Titanic" share a stem but not a name: a dive to the Titanic is no mention of the Titan.
    analysis = analyse_claim(ClaimText("Five people were aboard the Titan submersible on Sunday."))
    text = "Five people were aboard, the operator said."
    assert (
        passage_in_context(analysis, in_article(text, "A tourist submersible went missing on a Titanic dive")) == text
    )
    assert passage_in_context(analysis, in_article(text, "The Titan went missing on Sunday")) == f"{text} (Titan)"


# A count that agrees with the claim's only by its bound, on another day than the one the claim names.
THURSDAY = dt.date(2024, 6, 6)
QUEUE_CLAIM = "More than 150 lorries were queuing at the border on Thursday."


@pytest.mark.parametrize(
    ("text", "published", "stance", "reason"),
    [
        ("Officials said 320 lorries were queuing at the border.", SATURDAY, "mentions", "other_subject"),
        ("Officials said 320 lorries were queuing at the border.", THURSDAY, "supports", "figure_agrees"),
        # The very number the claim states may be a count that did not change.
        ("Officials said more than 150 lorries were queuing at the border.", SATURDAY, "supports", "figure_agrees"),
    ],
)
def test_a_count_past_the_claims_bound_on_another_day_does_not_confirm_it(text, published, stance, reason) -> None:
    judgement = judge(analyse_claim(ClaimText(QUEUE_CLAIM)), passage(text, published=published))
    assert (judgement.stance, judgement.reason) == (stance, reason)


@pytest.mark.parametrize(
    ("text", "stance", "reason"),
    [
        # A lower bound well under what the claim states holds with it, but says nothing of it.
        ("More than 40,000 homes were damaged or destroyed by the floods in Norland, officials said.", "mentions",
         "other_figure"),
        # A bound at or above the claim's confirms it; so does the very number, in another figure of the passage.
        ("More than 130,000 homes were damaged or destroyed by the floods in Norland, officials said.", "supports",
         "figure_agrees"),
        ("More than 40,000 buildings holding 130,000 homes were damaged or destroyed by the floods in Norland.",
         "supports", "figure_agrees"),
    ],
)  # fmt: skip
def test_a_lower_bound_under_the_claims_figure_does_not_confirm_it(text: str, stance: str, reason: str) -> None:
    analysis = analyse_claim(ClaimText("More than 120,000 homes were damaged or destroyed by the floods in Norland."))
    judgement = judge(analysis, passage(text))
    assert (judgement.stance, judgement.reason) == (stance, reason)


@pytest.mark.parametrize(
    ("text", "stance", "reason"),
    [
        # The claim's count given as a minimum, as news gives a toll that may still rise: it confirms it ...
        ("At least 12 people were killed when a passenger train left the tracks outside Krate.", "supports",
         "figure_agrees"),
        # (a minimum is no specific count, which stands for the claim without its other words: "at least 13
        # people died in the floods" for a derailment)
        ("At least 4,100 people have been evacuated in Pakronen so far, officials said.", "mentions",
         "figure_not_given"),
        # ... a minimum under it does not, and one over it is a conflict.
        ("At least 3 people were killed when a passenger train left the tracks outside Krate.", "mentions",
         "other_figure"),
        ("At least 30 people were killed when a passenger train left the tracks outside Krate.", "conflicts",
         "figure_conflict"),
    ],
)  # fmt: skip
def test_the_claims_count_given_as_a_minimum_confirms_it(text: str, stance: str, reason: str) -> None:
    claim = "12 people died when a passenger train derailed near Krate."
    if "evacuated" in text:
        claim = "4,100 residents were evacuated from Pakronen after the Lotresk river flooded."
    judgement = judge(analyse_claim(ClaimText(claim)), passage(text))
    assert (judgement.stance, judgement.reason) == (stance, reason)


@pytest.mark.parametrize(
    ("text", "speaker", "stance"),
    [
        # What the claim reports them saying is in the passage, in its own words, beside a quotation of theirs.
        ('Ivo Marr told the radio that the ferry was "a sitting duck" and that towing it free could take days.',
         "Ivo Marr", "supports"),
        # ... said by someone else: no confirmation of what Marr said.
        ('Ana Ruiz told the radio that the ferry was "a sitting duck" and that towing it free could take days.',
         "Ana Ruiz", "mentions"),
        # Only the quotation, on something else: nothing of what the claim reports.
        ('Ivo Marr told the radio that the ferry was "a sitting duck in the harbour".', "Ivo Marr", "mentions"),
    ],
)  # fmt: skip
def test_reported_speech_is_confirmed_outside_another_quotation_of_the_same_speaker(text, speaker, stance) -> None:
    claim = ClaimText("Ivo Marr warned that towing the stranded ferry free could take days.", "Ivo Marr")
    assert judge(analyse_claim(claim), passage(text, speaker=speaker)).stance == stance


def test_the_same_bound_of_the_same_toll_confirms_on_its_own_and_speaks_for_its_passage() -> None:
    # "two weeks" agrees too, but says nothing; the toll's bound is what the passage confirms, though
    # it leaves the rest of the claim ("Norland and Vesk together") in other words.
    analysis = analyse_claim(
        ClaimText("Two weeks after the floods, the toll in Norland and Vesk together had passed 9,000.")
    )
    text = "Two weeks after the storms, the death toll in Norland has risen above 7,000 and the toll in both countries has passed 9,000."
    judgement = judge(analysis, passage(text))
    assert (judgement.stance, judgement.reason) == ("supports", "figure_agrees")
    assert judgement.evidence_value == "passed 9,000"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # The name the claim says the dog was given is what it says: a passage without it confirms nothing.
        ("A puppy was found alive in the flooded cellar of a farmhouse near Tarvik on Sunday.", "mentions"),
        # ... a passage giving it does (one word of it is enough, as "Key Bridge" names the whole bridge).
        ("A puppy, now named Biscuit, was found alive in the flooded cellar of a farmhouse near Tarvik.", "supports"),
    ],
)
def test_a_name_the_claim_says_was_given_must_be_given(text: str, stance: str) -> None:
    analysis = analyse_claim(ClaimText("The puppy found in the flooded cellar near Tarvik was named Biscuit Jones."))
    assert judge(analysis, passage(text)).stance == stance


def test_a_name_the_claim_names_its_subject_by_may_be_left_to_a_pronoun() -> None:
    # Only a name the claim says something was given is its content; the ferry it is about may be "it".
    analysis = analyse_claim(ClaimText("The Marlow Star ferry lost power before it hit the pier at Tarvik."))
    text = "The ferry had lost power before it hit the pier at Tarvik, the harbour master said."
    assert judge(analysis, passage(text)).stance == "supports"


@pytest.mark.parametrize(
    ("following", "stance", "reason"),
    [
        # The rumour, in other words than the claim's, is debunked by the next sentence: a conflict.
        ("Customs officers found no evidence for the claim, and the ferry's owner called it false.", "conflicts",
         "refutation"),
        # The next sentence rejects nothing it refers back to: the rumour stays a mention.
        ("The ferry resumed its crossings to Tarvik on Friday.", "mentions", "related"),
    ],
)  # fmt: skip
def test_a_rumour_in_other_words_debunked_in_the_next_sentence_conflicts(following, stance, reason) -> None:
    analysis = analyse_claim(ClaimText("The Marlow Star ferry was carrying stolen gold bullion."))
    text = "A theory shared online claims the ferry was smuggling bullion, pointing to a blurry photo of its deck."
    judgement = judge(analysis, replace(passage(text), following=following))
    assert (judgement.stance, judgement.reason) == (stance, reason)


def test_a_passage_vouching_for_something_else_is_no_rumour_for_the_next_sentence() -> None:
    # Said in the passage's own voice, in other words: a debunk after it is of something else.
    analysis = analyse_claim(ClaimText("The Marlow Star ferry was carrying stolen gold."))
    text = "Customs officers said the ferry was hiding stolen gold, and searched its deck on Friday."
    following = "There is no evidence for that, the owner said."
    assert judge(analysis, replace(passage(text), following=following)).stance != "conflicts"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # Where they are from is what the claim says of the sailors: a passage that says it of them,
        # however it names them, confirms it.
        ("The rescued men came from Portugal, Peru and Chile, according to the shipping company.", "supports"),
        # ... and one that names other countries, or only some of them, does not.
        ("The sailors who survived the sinking came from Spain and Brazil, the shipping company said.", "mentions"),
        ("The sailors who survived the sinking came from Portugal, the shipping company said.", "mentions"),
    ],
)
def test_the_countries_a_claim_says_someone_is_from_are_what_it_says(text: str, stance: str) -> None:
    analysis = analyse_claim(ClaimText("The sailors who survived the sinking were from Portugal, Peru and Chile."))
    assert judge(analysis, passage(text)).stance == stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # The year is when it happened, part of what the claim says: the passage says it, and opened.
        ("The terminal opened in 1984 and was rebuilt after a fire, the port authority said.", "supports"),
        # Another year is not what the claim says.
        ("The terminal opened in 1991 and was rebuilt after a fire, the port authority said.", "mentions"),
    ],
)
def test_the_year_a_claim_gives_is_part_of_what_it_says_happened(text: str, stance: str) -> None:
    analysis = analyse_claim(ClaimText("The Tarvik ferry terminal was opened to passengers in 1984."))
    assert judge(analysis, in_article(text, "Fire damages Tarvik ferry terminal")).stance == stance


def test_whose_count_it_is_may_be_named_by_the_article_around_the_passage() -> None:
    """The crew of the ship the article is about: its title names it, the passage need not."""
    claim = analyse_claim(ClaimText("There were 19 crew members aboard the Halcyon."))
    text = "The operator said all 23 crew members were safe and accounted for."
    about_it = in_article(text, "The Halcyon: what we know about the freighter\nIt was bound for Lisbon.")
    about_another = in_article(text, "Tanker aground off Brest\nIt was bound for Lisbon.")
    assert (judge(claim, about_it).stance, judge(claim, about_it).reason) == ("conflicts", "figure_conflict")
    assert (judge(claim, about_another).stance, judge(claim, about_another).reason) == ("mentions", "other_subject")
    assert judge(claim, passage(text)).reason == "other_subject"


@pytest.mark.parametrize(
    ("claim", "stance", "reason"),
    [
        # A toll bounded from below is the count so far: no confirmation of the number...
        ("The landslide in Kelmar killed about 400 people.", "mentions", "other_figure"),
        ("The landslide in Kelmar killed 400 people.", "mentions", "other_figure"),
        # ... but of the bound.
        ("More than 400 people were killed by the landslide in Kelmar.", "supports", "figure_agrees"),
    ],
)
def test_a_lower_bound_of_a_toll_confirms_the_bound_not_the_number(claim: str, stance: str, reason: str) -> None:
    text = "The landslide that buried two villages in Kelmar on Sunday killed more than 400 people, officials said."
    judgement = judge(analyse_claim(ClaimText(claim)), passage(text))
    assert (judgement.stance, judgement.reason) == (stance, reason)


@pytest.mark.parametrize(
    ("published", "day", "stance", "reason"),
    [
        # Published on Tuesday March 12: "on Monday" is March 11, not the claim's March 3.
        (dt.date(2024, 3, 12), "Monday", "mentions", "other_subject"),
        # ... and so on the day itself.
        (dt.date(2024, 3, 11), "Monday", "mentions", "other_subject"),
        # Published on Monday March 4: "on Sunday" is March 3, the claim's date; or on that Sunday.
        (dt.date(2024, 3, 4), "Sunday", "supports", "figure_agrees"),
        (dt.date(2024, 3, 3), "Sunday", "supports", "figure_agrees"),
    ],
)
def test_a_weekday_is_the_date_it_stands_for_counted_back_from_publication(published, day, stance, reason) -> None:
    claim = analyse_claim(ClaimText("The March 3 tremor had a magnitude of 5.1."))
    text = f"A tremor of magnitude 5.1 shook the coastal towns on {day} evening, the observatory said."
    judgement = judge(claim, passage(text, published=published))
    assert (judgement.stance, judgement.reason) == (stance, reason)


@pytest.mark.parametrize(
    ("context", "stance", "reason"),
    [
        # The article's title states the moment the claim counts at: the passage's count is of it.
        ("Border crossing reopens after week-long closure\nTraffic resumed at noon.", "conflicts", "figure_conflict"),
        # ... a title about another moment does not.
        ("Lorries stranded as customs strike halts traffic\nTraffic was halted.", "mentions", "other_subject"),
    ],
)
def test_the_article_around_a_passage_may_state_the_moment_of_its_count(context: str, stance: str, reason: str) -> None:
    claim = analyse_claim(ClaimText("About 250 lorries were queuing when the border crossing reopened."))
    text = "Customs officials said 140 lorries were queuing at the crossing."
    judgement = judge(claim, replace(passage(text, published=dt.date(2024, 6, 8)), context=context))
    assert (judgement.stance, judgement.reason) == (stance, reason)


@pytest.mark.parametrize(
    ("claim", "text", "stance", "reason"),
    [
        # A report dismissed as exaggerated or rubbish is refuted ...
        (
            "The rival dairies agreed to merge this spring.",
            "Reports that the rival dairies agreed to merge this spring were exaggerated, a spokesman said.",
            "conflicts",
            "refutation",
        ),
        # ... and a claim that dismisses it is a denial, which a passage dismissing it reports.
        (
            "Reports that the rival dairies agreed to merge this spring are overblown.",
            "A spokesman said reports that the rival dairies agreed to merge this spring were overblown.",
            "supports",
            "denial_reported",
        ),
    ],
)
def test_a_report_dismissed_is_refuted(claim: str, text: str, stance: str, reason: str) -> None:
    judgement = judge(analyse_claim(ClaimText(claim)), passage(text))
    assert (judgement.stance, judgement.reason) == (stance, reason)


@pytest.mark.parametrize(
    ("text", "conflicts"),
    [
        # "No" denies the head of its noun phrase: the backups, not the phone or the update.
        ("I have no phone backups from before the update, and my photos are gone.", False),
        # ... and what a verb after the head, or what it is of, says of it.
        ("No phone photos were wiped by the update, the company said.", True),
        ("There were no reports of phone photos wiped by the update.", True),
    ],
)
def test_a_no_denies_the_head_of_its_phrase(text: str, conflicts: bool) -> None:
    analysis = analyse_claim(ClaimText("The update wiped the phone photos."))
    assert (judge(analysis, passage(text)).stance == "conflicts") == conflicts


def test_no_longer_negates_the_verb_after_it() -> None:
    analysis = analyse_claim(ClaimText("The council funds the island ferry."))
    text = "The council will no longer fund the island ferry service, its leader said."
    assert judge(analysis, passage(text)).stance == "conflicts"


def test_words_joined_by_or_after_no_are_one_phrase() -> None:
    analysis = analyse_claim(ClaimText("The bus crashed after a brake failure."))
    text = "The operator said there was no electrical or brake failure."
    assert judge(analysis, passage(text)).stance == "conflicts"

"""Countries named in text, aligned across their forms: pure, no database."""

import time

import pytest

from factcheck.crosscheck.names import (
    PlaceForm,
    country_name,
    country_named_by,
    leading_nationality,
    place_conflict,
    place_mentions,
    places,
    plural,
    shared_places,
)
from factcheck.crosscheck.quotes import same_person

PLACE_CASES = [
    # The seeds' central case: the two reports name one state.
    ("North Korea has sent 11,000 soldiers to fight for Russia.", {"PRK", "RUS"}),
    ("Pyongyang has deployed approximately 15,000 men.", {"PRK"}),
    ("The DPRK denied it.", {"PRK"}),
    ("Democratic People's Republic of Korea", {"PRK"}),
    ("North Korean troops arrived; the North Koreans were seen in Kursk.", {"PRK"}),
    # Russia: seat of government, capital, name, official name, demonym, possessive.
    ("The Kremlin said nothing.", {"RUS"}),
    ("Officials in Moscow disagreed.", {"RUS"}),
    ("The Russian Federation and Russia's army.", {"RUS"}),
    ("Russian President Vladimir Putin", {"RUS"}),
    # Ukraine: both spellings of the capital.
    ("Kiev said so.", {"UKR"}),
    ("Kyiv said so.", {"UKR"}),
    ("Ukrainian drones hit Ukraine's neighbour.", {"UKR"}),
    ("The Russia-Ukraine war", {"RUS", "UKR"}),
    ("The Russia Ukraine talks", {"RUS", "UKR"}),
    ("Talks with Russia Tuesday failed.", {"RUS"}),
    # China.
    ("Beijing and the PRC; Chinese officials in China.", {"CHN"}),
    ("Zhongnanhai was silent.", {"CHN"}),
    # The United States: capital, abbreviations with and without dots, demonym, seats, a state.
    ("Washington imposed sanctions.", {"USA"}),
    ("The U.S. and the US and the USA.", {"USA"}),
    ("Americans and the United States of America", {"USA"}),
    ("The White House and the Pentagon.", {"USA"}),
    ("US Army officials said.", {"USA"}),
    ("New Mexico officials said.", {"USA"}),
    # Others, with diacritics folded and the UK's nations.
    ("Côte d'Ivoire and Cote d'Ivoire", {"CIV"}),
    ("French Foreign Minister Jean Barrot said.", {"FRA"}),
    ("Downing Street said Northern Ireland and Scotland agreed.", {"GBR"}),
    ("Kazakh and Thai officials met.", {"KAZ", "THA"}),
    ("Tbilisi and the Georgians.", {"GEO"}),
    # Title Case headlines are read too.
    ("Russia Sends Troops To Ukraine", {"RUS", "UKR"}),
    # Negatives: common words, people, organisations, another state's name.
    ("A turkey dinner and a guinea fowl.", set()),
    ("Chad Johnson scored twice.", set()),
    ("Basketball legend Michael Jordan retired.", set()),
    ("The Washington Post reported it.", set()),
    ("Paris Hilton arrived.", set()),
    ("Voters in Georgia went to the polls.", set()),
    ("Atlanta, Georgia", set()),
    ("The weather was nice in Reading, and the mobile network was down.", set()),
    ("Nice weather.", set()),
    ("South American and Latin American leaders.", set()),
    ("He said the US was us.", {"USA"}),
    ("tell us", set()),
    ("Of the soldiers, most returned.", set()),
    ("Mobile phones were seized in the raid.", set()),
    ("Jordan Peterson spoke.", set()),
    ("The actor Denzel Washington starred.", set()),
    ("Police closed Wellington St near the station.", set()),
    # ...and the same words as the countries they are.
    ("Troops in Chad withdrew.", {"TCD"}),
    ("In Jordan, protests grew.", {"JOR"}),
    ("Turkey said the border was closed.", {"TUR"}),
    ("Refugees reached Guinea.", {"GIN"}),
    ("Lestovia and Korva, Qaresh and Oskaria.", set()),
    ("", set()),
    # A possessive closes the name, however capitalised the next word: the country, then a place in it.
    ("Two men were captured in Ukraine's Dalmir region.", {"UKR"}),
]


@pytest.mark.parametrize(("text", "expected"), PLACE_CASES)
def test_countries_are_recognised_across_their_forms(text: str, expected: set[str]) -> None:
    assert places(text) == expected


def test_the_seeds_claim_and_the_pyongyang_report_share_the_place() -> None:
    claim = "North Korea has sent 11,000 soldiers to fight for Russia"
    report = "Pyongyang has deployed approximately 15,000 men"
    assert shared_places(claim, report) == {"PRK"}
    assert not place_conflict(claim, report)


CONFLICT_CASES = [
    ("North Korea has sent 11,000 soldiers.", "Bangladesh has sent 11,000 soldiers.", True),
    ("North Korea has sent 11,000 soldiers.", "Pyongyang sent 15,000 men.", False),
    ("North Korea has sent 11,000 soldiers.", "Some 15,000 men were sent.", False),  # names no country
    ("Kiev said so.", "Kyiv denied it.", False),
    ("Soldiers arrived.", "Bangladesh denied it.", False),
]


@pytest.mark.parametrize(("claim", "passage", "conflict"), CONFLICT_CASES)
def test_texts_naming_only_different_countries_conflict(claim: str, passage: str, conflict: bool) -> None:
    assert place_conflict(claim, passage) is conflict


def test_mentions_give_the_span_surface_and_form() -> None:
    text = "Officials in Pyongyang and the Kremlin said North Koreans left."
    mentions = place_mentions(text)
    assert [(m.surface, m.place, m.form) for m in mentions] == [
        ("Pyongyang", "PRK", PlaceForm.CAPITAL),
        ("Kremlin", "RUS", PlaceForm.SEAT),
        ("North Koreans", "PRK", PlaceForm.DEMONYM),
    ]
    assert all(text[m.start : m.end] == m.surface for m in mentions)


NATIONALITY_CASES = [
    (["French", "Foreign", "Minister", "Jean", "Barrot"], 1),
    (["North", "Korean", "leader", "Kim"], 2),
    (["US", "Secretary", "of", "State"], 1),
    (["Jean", "Barrot"], 0),
    (["Lestovian", "President"], 0),
]


@pytest.mark.parametrize(("words", "count"), NATIONALITY_CASES)
def test_a_leading_nationality_is_counted_in_words(words: list[str], count: int) -> None:
    assert leading_nationality(words) == count


@pytest.mark.parametrize(("demonym", "expected"), [("Russian", "Russians"), ("Chinese", "Chinese"), ("Swiss", "Swiss")])
def test_demonyms_are_made_plural(demonym: str, expected: str) -> None:
    assert plural(demonym) == expected


def test_a_code_is_shown_by_its_common_name() -> None:
    assert country_name("PRK") == "North Korea"
    assert country_name("XXX") == "XXX"


SPEAKER_NAME_CASES = [
    ("the Kremlin", "RUS"),
    ("Moscow", "RUS"),
    ("Russia", "RUS"),
    ("Pyongyang", "PRK"),
    ("The White House", "USA"),
    ("Russian", ""),  # a demonym names people, not a government
    ("Russia's foreign ministry", ""),
    ("Vladimir Putin", ""),
    ("Teodor Malesh", ""),
    ("", ""),
]


@pytest.mark.parametrize(("name", "place"), SPEAKER_NAME_CASES)
def test_a_speaker_named_by_a_country_stands_for_it(name: str, place: str) -> None:
    assert country_named_by(name) == place


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("the Kremlin", "Moscow", True),
        ("Kyiv", "Ukraine", True),
        ("the Kremlin", "Kyiv", False),
        ("Moscow", "Vladimir Putin", False),
    ],
)
def test_one_government_under_several_names_is_one_speaker(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same


HOSTILE_TEXTS = {
    "one long word": "A" * 200_000,
    "first words of names": "North South United Democratic " * 10_000,
    "countries run together": "Chad Jordan Washington " * 10_000,
    "dotted abbreviations": "U.S.U.K." * 20_000,
    "apostrophes": "People's'" * 20_000,
}


@pytest.mark.parametrize("name", HOSTILE_TEXTS)
def test_hostile_text_is_read_in_bounded_time(name: str) -> None:
    started = time.process_time()
    place_mentions(HOSTILE_TEXTS[name])
    # A generous bound (each text takes well under a second here): the point is that nothing
    # backtracks or rescans, not speed, so a loaded CI machine must not turn it red.
    assert time.process_time() - started < 5

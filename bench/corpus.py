#!/usr/bin/env python
"""A synthetic newswire corpus for the benchmarks, reproducible from ``--seed``.

    .venv/bin/python bench/corpus.py --passages 100000 --database factcheck_bench_100k [--seed 7]

What it writes, into a PostgreSQL database it (re)creates with the project's migrations:

- ``--outlets`` outlets (default 200), a few of them wire agencies;
- sources: articles of ~15-35 sentence-sized passages about recurring events (missile
  strikes, captured foreign fighters, troop deployments, floods, protests, train crashes)
  in a fictional world of countries, cities and people whose size grows with the corpus;
  some articles are wire copies (a wire story re-run by other outlets, nearly verbatim),
  which share the wire story's origin cluster; every other source is a cluster of its own,
  as ingestion leaves it;
- passages with text, offsets, position, check-worthiness (the project's own scorer, run
  once per sentence template and reused for the sentences made from it), reasons and
  speaker (who the sentence quotes, as the speaker tracker would resolve it);
- figures with qualifiers ("at least 155", "approximately 15,000", "12 people were
  killed"), quotations with speakers, re-worded (translated) quotations, a few
  misattributed ones, and outlets that report another figure than the rest;
- ``TermStat`` document frequencies, counted with the project's ``content_stems``;
- ``bench_claim``: ``--claims`` benchmark claims (default 200) with the passages planted
  for them: which passages support and which conflict (figures compared as intervals,
  quotations by speaker), and the assessment those origins imply.

Loading is COPY (psycopg 3 ``cursor.copy``) into the migrated schema. The passage table
has a generated ``tsvector`` column, a GIN index on it and a trigram GIN index on the
text (migration 0002): by default its secondary indexes and foreign keys are dropped
before COPY and rebuilt after it (``--keep-indexes`` loads into the indexed table
instead, for comparison). Every phase is timed and printed with its rows/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import math
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
sys.path.insert(0, str(REPO_ROOT))

# Pure engine modules (no Django): the same tokeniser the service counts TermStat with.
from factcheck.crosscheck.independence import independent_origins  # noqa: E402
from factcheck.crosscheck.words import content_stems  # noqa: E402
from factcheck.crosscheck.worthiness import score_worthiness  # noqa: E402

DEFAULT_BASE_URL = "postgres://postgres@127.0.0.1:5432/factcheck"
TOTAL_TERM = ""  # TermStat.TOTAL: the row counting all passages
INF = math.inf

# --- Naming -----------------------------------------------------------------------------------

_ONSETS = "b br d dr f g gr h k kr l m n p r s sh st t tr v z zh ch j".split()
_VOWELS = "a e i o u a e o a".split()
_CODAS = ["", "", "", "n", "r", "l", "sh", "v", "k", "st", "m", "sk"]
_COUNTRY_FORMS = [("ia", "ian"), ("a", "an"), ("", "i"), ("ovia", "ovian"), ("esh", "eshi"), ("ania", "anian")]
_CITY_ENDINGS = ["ovka", "in", "grad", "ava", "el", "", "itsa", "ovo", "ak", "en"]
_FIRST_F = (
    "Marta Roksana Petra Ines Hana Sofia Lucia Priya Nadia Vera Elena Irina Dana Mila Zora Lena Katya Anja".split()
)
_FIRST_M = "Teodor Arman Karim Marcus Daniel Owen Tomasz Ivan Pavel Emil Goran Luka Milan Viktor Andrei Bogdan".split()
_NEWS_WORDS = (
    "Observer Courier Tribune Daily Gazette Journal Post Herald Ledger Review Times Chronicle Standard Record "
    "Dispatch Sentinel Examiner Monitor Globe Telegraph Bulletin Mirror Star Independent Register"
).split()
_LANDMARKS = [
    "market",
    "railway station",
    "bridge",
    "shopping centre",
    "power plant",
    "hospital",
    "bus depot",
    "river port",
    "grain terminal",
    "sports hall",
    "textile factory",
    "university campus",
]
_MONTHS = "January February March April May June July August September October November December".split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_PARTS = ["morning", "evening", "night"]
_SECTORS = "gas grain rail steel fertiliser electricity shipping fishing timber copper".split()
_POLICIES = [
    "the new pension law",
    "rising fuel prices",
    "the mobilisation decree",
    "the closure of the coal mines",
    "the media law",
    "the election result",
    "the water tariff increase",
    "corruption in the city council",
]


class Names:
    """Pronounceable, distinct fictional names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def word(self, syllables: int) -> str:
        for _ in range(1000):
            rng = self.rng
            parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)]
            name = ("".join(parts) + rng.choice(_CODAS)).capitalize()
            if name not in self.used and len(name) >= 4:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of names")


@dataclass(frozen=True)
class Country:
    name: str
    adj: str
    capital: str


@dataclass(frozen=True)
class City:
    name: str
    country: Country
    region: str


@dataclass(frozen=True)
class Person:
    name: str
    female: bool
    role: str  # "President", "Foreign Minister", "governor of the X region", ...
    country: Country

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass(frozen=True)
class OutletRow:
    id: int
    name: str
    domain: str
    wire: bool


@dataclass
class World:
    countries: list[Country]
    cities: list[City]
    people: list[Person]
    leaders: dict[str, dict[str, Person]]  # country name -> role -> person
    governors: dict[str, Person]  # city name -> governor
    outlets: list[OutletRow]
    rivers: list[str]
    villages: list[str]
    names: Names
    opposition: list[Person] = field(default_factory=list)
    by_country: dict[str, list[City]] = field(default_factory=dict)

    def cities_of(self, country: Country) -> list[City]:
        if not self.by_country:
            for city in self.cities:
                self.by_country.setdefault(city.country.name, []).append(city)
        return self.by_country.get(country.name, [])


def build_world(rng: random.Random, passages: int, outlets: int) -> World:
    names = Names(rng)
    countries = []
    for _ in range(40 + passages // 50_000):
        root = names.word(2)
        ending, adj = rng.choice(_COUNTRY_FORMS)
        base = root[:-1] if ending and root[-1] in "aeiou" else root
        countries.append(Country(base + ending, base + adj, names.word(2) + rng.choice(_CITY_ENDINGS)))
    cities = [City(c.capital, c, names.word(2)) for c in countries]
    for _ in range(150 + passages // 2_000):
        country = rng.choice(countries)
        cities.append(City(names.word(2) + rng.choice(_CITY_ENDINGS), country, names.word(2)))
    people: list[Person] = []

    def person(role: str, country: Country) -> Person:
        female = rng.random() < 0.45
        first = rng.choice(_FIRST_F if female else _FIRST_M)
        found = Person(f"{first} {names.word(rng.choice((2, 2, 3)))}", female, role, country)
        people.append(found)
        return found

    leaders = {}
    for country in countries:
        leaders[country.name] = {
            role: person(role, country)
            for role in ("President", "Foreign Minister", "Defence Minister", "foreign ministry spokesperson")
        }
    governors = {city.name: person(f"governor of the {city.region} region", city.country) for city in cities}
    for _ in range(300 + passages // 400):
        person(
            rng.choice(["analyst", "opposition leader", "police spokesperson", "army spokesperson"]),
            rng.choice(countries),
        )
    outlet_rows = []
    for index in range(outlets):
        wire = index < max(2, outlets // 30)
        place = names.word(2)  # distinct, so the outlet's name is too
        kind = ("Press Agency" if index % 2 == 0 else "News Service") if wire else rng.choice(_NEWS_WORDS)
        name = f"{place} {kind}"
        outlet_rows.append(OutletRow(index + 1, name, re.sub(r"[^a-z]", "", name.lower()) + ".example", wire))
    rivers = [names.word(2) for _ in range(60)]
    villages = [names.word(2) + rng.choice(["", "ovo", "ik", "ane"]) for _ in range(200 + passages // 1_000)]
    world = World(countries, cities, people, leaders, governors, outlet_rows, rivers, villages, names)
    world.opposition = [p for p in people if p.role == "opposition leader"]
    return world


# --- Figures ------------------------------------------------------------------------------------

_WORDS = "zero one two three four five six seven eight nine ten".split()


def spelled(value: int, *, words: bool) -> str:
    return _WORDS[value] if words and 2 <= value <= 10 else f"{value:,}"


@dataclass(frozen=True)
class Stated:
    """A figure as an article states it, and the interval it means (as the engine reads it)."""

    text: str
    low: float
    high: float


def state(value: int, style: str, *, words: bool = False) -> Stated:
    if style == "at_least":
        return Stated(f"at least {spelled(value, words=False)}", value, INF)
    if style == "about":
        tolerance = max(1.0, 0.1 * value)
        return Stated(
            f"{'approximately' if value >= 1000 else 'about'} {spelled(value, words=False)}",
            value - tolerance,
            value + tolerance,
        )
    return Stated(spelled(value, words=words), value, value)


# --- Events ----------------------------------------------------------------------------------

# The fact a claim about an event is about, by kind.
MAIN_FACT = {
    "strike": "killed",
    "capture": "captured",
    "deployment": "deployed",
    "flood": "evacuated",
    "protest": "arrested",
    "crash": "killed",
}


@dataclass
class Event:
    id: int
    kind: str
    date: dt.date
    slots: dict[str, str]
    facts: dict[str, int]
    quotes: list[tuple[str, Person]]
    people: list[Person]  # who is named in its reports (speakers first)


# The opening of a quotation: a subject and a predicate of the story's kind (with its names).
_QUOTE_SUBJECTS = {
    "strike": ["The people of {C}", "Our rescue teams", "The families at {L}", "The missile that hit {L}",
               "Everyone in {C}", "The attack on {L}", "The regional government", "My office"],
    "capture": ["{Acap}", "These prisoners", "The men captured near {X}", "{T}", "Our intelligence officers",
                "The government of {T}", "The contracts we found", "Our brigade near {X}"],
    "deployment": ["Our soldiers in {A}", "{O}", "The troops sent by {O}", "The treaty with {Acap}",
                   "Our battalions", "The government of {O}", "The ministry of defence", "Our allies in {A}"],
    "flood": ["The water in {C}", "The dams on the {R}", "The families of {C}", "Our rescuers", "The lower town",
              "The {R} river", "The emergency services", "The villages downstream"],
    "protest": ["The people of {C}", "The police in {C}", "The protesters", "The interior ministry",
                "The young people of {C}", "Our movement", "The council of {C}", "Those arrested"],
    "crash": ["The signals near {C}", "The driver", "The railway company", "The line to {C}", "The carriages",
              "The passengers", "The transport ministry", "The rescue crews near {C}"],
}  # fmt: skip
_QUOTE_PREDICATES = {
    "strike": ["will never forget what happened at {L}", "were only going to work and to school",
               "deserve the protection of the whole world", "show there is nothing military near {L}",
               "worked through the night in {C}", "buried their neighbours today", "prove this was deliberate",
               "will rebuild {L} stone by stone"],
    "capture": ["is hunting for new soldiers abroad", "cannot call itself neutral any longer",
                "signed contracts with the {Aadj} army", "must explain what happened near {X}",
                "showed us the passports and bank cards", "tell the same story about recruiters",
                "will be treated under the Geneva Conventions", "confirm what we have said for months"],
    "deployment": ["are in {A} to honour the treaty", "has become a party to this war",
                   "are changing the balance on the front", "will not leave {A} alone",
                   "obliges us to defend {Acap}", "have taken heavy losses", "were welcomed in {Acap}",
                   "will stay as long as needed"],
    "flood": ["rose faster than anyone expected", "were never repaired after the last flood",
              "should not sleep in a school gym again", "moved every family out in time",
              "is still rising near {C}", "lost everything overnight", "had no warning at all",
              "need drinking water more than anything"],
    "protest": ["will not accept {policy}", "used force against peaceful citizens", "broke windows on the main street",
                "will be back every weekend", "were beaten in the police vans", "demand a meeting with the minister",
                "have nothing left to lose", "must be released tonight"],
    "crash": ["had been broken for weeks", "did everything possible to stop the train",
              "ignored our warnings last year", "left the track just outside {C}", "was running late and too fast",
              "must publish the inspection reports", "knew the bridge was unsafe", "saved dozens of lives"],
}  # fmt: skip


# The middle of a quotation: with an opening and a closing, three parts drawn from banks this
# large rarely share more than one, so two stories' quotations stay apart.
_QUOTE_MIDDLES = [
    "we counted every minute of the rescue",
    "our ministers were told about it at dawn",
    "the ambulances from {C} arrived within the hour",
    "nobody from {A} has called us since",
    "the governor spent the night with the families",
    "our engineers checked every wall twice",
    "the evidence will go to the international court",
    "the embassy in {Acap} has been informed",
    "our intelligence service knew the names in advance",
    "the hospitals of {C} are full tonight",
    "the volunteers brought blankets and bread",
    "the neighbouring villages opened their schools",
    "the whole cabinet will meet on {W}",
    "the prosecutors opened a criminal case at once",
    "we asked the Red Cross to come immediately",
    "the children were moved to the shelters in time",
    "the roads out of {C} were jammed for hours",
    "the mayor of {C} cancelled every celebration",
    "our diplomats raised it with the ambassador",
    "the reporters saw the damage with their own eyes",
    "the local council voted for emergency funds",
    "the archive of photographs is open to everyone",
    "the insurance companies must pay without delay",
    "the unions promised to support the families",
    "our partners in the region were warned last month",
    "the soldiers guarding {C} acted with great courage",
    "the firefighters worked without proper equipment",
    "the prime minister will address parliament on {W}",
    "the railway workers refused to leave their posts",
    "the doctors operated through the whole {P}",
    "the priests rang the bells of {C} at noon",
    "the teachers stayed with the pupils all day",
    "the investigators found fragments near the entrance",
    "the bus drivers drove the wounded themselves",
    "the electricity came back after six hours",
    "the farmers around {C} lost their harvest",
    "the border guards stopped every lorry",
    "the students collected money for the victims",
    "our lawyers are preparing the complaint",
    "the city archive lost a century of records",
]
_QUOTE_CLOSINGS = [
    "because it has no intention of ending this war",
    "and the world must see what is happening here",
    "and we ask our partners for more help",
    "and nobody will forget this day",
    "and the people responsible will answer for it",
    "and we will tell the truth about it",
    "even if our neighbours pretend not to see it",
    "and there can be no excuse for it",
    "whatever the government says in public",
    "and our patience has run out",
    "so that it never happens again",
    "and history will judge them",
    "and we owe it to the dead",
    "and silence would make us accomplices",
    "but our people are stronger than their missiles",
    "and the investigation will name every culprit",
    "and we expect an apology",
    "and the sanctions must be tightened",
    "and the guilty will be found",
    "and we will not forget who helped us",
    "and help must arrive before winter",
    "and the courts will have the final word",
    "because lies cannot hide the facts",
    "and every citizen deserves an answer",
    "and that is not a coincidence",
]
# A re-wording, as another translation of the same words would give them.
_SYNONYMS = {
    "hunting": "searching",
    "new": "fresh",
    "soldiers": "troops",
    "abroad": "in other countries",
    "because": "since",
    "ending": "stopping",
    "intention": "plan",
    "counted": "tracked",
    "arrived": "came",
    "hospitals": "clinics",
    "children": "kids",
    "evidence": "proof",
    "immediately": "at once",
    "courage": "bravery",
    "apology": "apologies",
    "lies": "falsehoods",
    "people": "residents",
    "world": "international community",
    "must": "has to",
    "deliberate": "intentional",
    "attack": "assault",
    "rebuild": "restore",
    "families": "households",
    "responsible": "guilty",
    "truth": "facts",
    "forget": "ever forget",
    "warned": "alerted",
    "broken": "faulty",
    "rose": "climbed",
    "streets": "squares",
    "honour": "respect",
    "changing": "shifting",
}


def reword(quote: str) -> str:
    return " ".join(_SYNONYMS.get(word, word) for word in quote.split())


def make_event(rng: random.Random, world: World, event_id: int) -> Event:
    kind = rng.choice(["strike", "strike", "capture", "deployment", "flood", "protest", "crash"])
    date = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(730))
    a, v, t, o = rng.sample(world.countries, 4)
    city = rng.choice(world.cities_of(v) or world.cities)
    landmark = f"the {world.names.word(2)} {rng.choice(_LANDMARKS)}"
    slots = {
        "A": a.name, "Aadj": a.adj, "Acap": a.capital, "V": v.name, "Vadj": v.adj, "T": t.name, "Tadj": t.adj,
        "O": o.name, "Oadj": o.adj, "C": city.name, "CC": city.country.capital.upper(), "region": city.region,
        "L": landmark, "X": rng.choice(world.villages), "R": rng.choice(world.rivers),
        "policy": rng.choice(_POLICIES), "W": _WEEKDAYS[date.weekday()], "P": rng.choice(_PARTS),
        "month": _MONTHS[date.month - 1], "day": str(date.day),
    }  # fmt: skip
    leaders_v = world.leaders[v.name]
    governor = world.governors[city.name]
    if kind == "strike":
        facts = {"killed": rng.randint(3, 60), "wounded": rng.randint(10, 150)}
        speakers = [governor, leaders_v["President"]]
    elif kind == "capture":
        facts = {"captured": rng.randint(2, 9), "serving": rng.randint(40, 400)}
        speakers = [
            leaders_v["President"],
            leaders_v["Foreign Minister"],
            world.leaders[t.name]["foreign ministry spokesperson"],
        ]
    elif kind == "deployment":
        facts = {"deployed": rng.randint(3, 25) * 1000}
        speakers = [world.leaders[o.name]["Defence Minister"], leaders_v["Foreign Minister"]]
        slots["CC"] = a.capital.upper()
    elif kind == "flood":
        facts = {"evacuated": rng.randint(8, 120) * 100, "killed": rng.randint(2, 30)}
        speakers = [governor, world.leaders[city.country.name]["President"]]
    elif kind == "protest":
        facts = {"arrested": rng.randint(12, 400)}
        speakers = [rng.choice(world.opposition), governor]
    else:
        facts = {"killed": rng.randint(3, 45), "passengers": rng.randint(12, 60) * 10}
        speakers = [governor, leaders_v["President"]]
    subjects, predicates = _QUOTE_SUBJECTS[kind], _QUOTE_PREDICATES[kind]
    quotes = []
    for speaker in speakers[:3]:
        opening = f"{rng.choice(subjects)} {rng.choice(predicates)}"
        middle, closing = rng.choice(_QUOTE_MIDDLES), rng.choice(_QUOTE_CLOSINGS)
        text = f"{opening}, {middle} {closing}".format(**slots)
        quotes.append((text, speaker))
    return Event(event_id, kind, date, slots, facts, quotes, speakers)


# --- Sentences ---------------------------------------------------------------------------------

# A sentence: its text, who it quotes or attributes to, the template it came from, and what it states:
# ("fig", event, fact, low, high) for a figure, ("quote", event, quote index, speaker, variant) for a quotation.
Tag = tuple
Sentence = tuple[str, str, str, tuple[Tag, ...]]


def fact_sentences(rng: random.Random, event: Event, divergent: bool) -> list[Sentence]:
    """The article's statements of the event's facts: its main figure (another one from a
    divergent outlet), its second figure, and the lead attribution."""
    s, f, k, eid = event.slots, event.facts, event.kind, event.id
    main = MAIN_FACT[k]
    value = f[main]
    if divergent:
        stated = state(value + max(3, value // 2), "at_least")
    else:
        stated = state(value, rng.choices(["exact", "at_least", "about"], [0.75, 0.2, 0.05])[0], words=True)
        if k == "capture":
            stated = state(value, "exact", words=True)
    main_tag = ("fig", eid, main, stated.low, stated.high)
    speaker = event.people[0]
    out: list[Sentence] = []
    n = stated.text
    when = f"on {s['W']} {s['P']}"
    if k == "strike":
        forms = [
            f"A {s['Aadj']} missile struck {s['L']} in the {s['Vadj']} city of {s['C']} {when} and killed {n} people, "
            f"{speaker.role} {speaker.name} said.",
            f"{n[0].upper() + n[1:]} people were killed when a {s['Aadj']} missile hit {s['L']} in {s['C']} {when}, "
            f"{speaker.name} said.",
            f"The death toll from the {s['Aadj']} missile strike on {s['L']} in {s['C']} rose to {n} people, "
            f"the regional administration said.",
        ]
        second = state(f["wounded"], "exact")
        out.append(
            (
                f"Another {second.text} people were taken to hospital after the strike on {s['L']}, "
                f"{speaker.surname} said.",
                speaker.name,
                "strike.wounded",
                (("fig", eid, "wounded", second.low, second.high),),
            )
        )
        headline = (
            f"{s['Aadj']} missile strike on {s['L']} in {s['C']} kills {value}",
            "strike.h",
            (("fig", eid, main, value, value),),
        )
    elif k == "capture":
        forms = [
            f"{s['Vadj']} troops have captured {n} {s['Tadj']} nationals who were fighting in the ranks of the "
            f"{s['Aadj']} army near the village of {s['X']}, {speaker.role} {speaker.name} said on {s['W']}.",
            f"{speaker.name} said {n} {s['Tadj']} citizens had been taken prisoner near {s['X']} while fighting "
            f"for {s['A']}.",
            f"The {n} {s['Tadj']} prisoners captured near {s['X']} are being questioned by the security service, "
            f"{speaker.surname} said.",
        ]
        serving = state(f["serving"], rng.choice(["at_least", "exact"]))
        out.append(
            (
                f"{speaker.surname} said {serving.text} {s['Tadj']} citizens were serving with {s['Aadj']} forces.",
                speaker.name,
                "capture.serving",
                (("fig", eid, "serving", serving.low, serving.high),),
            )
        )
        headline = (
            f"{s['V']} says it captured {spelled(value, words=True)} {s['Tadj']} nationals fighting for {s['A']}",
            "capture.h",
            (("fig", eid, main, value, value),),
        )
    elif k == "deployment":
        deployed = stated if divergent else state(value, rng.choice(["about", "exact", "about"]))
        main_tag = ("fig", eid, main, deployed.low, deployed.high)
        n = deployed.text
        forms = [
            f"{s['O']} has deployed {n} soldiers to {s['A']} since its parliament ratified a defence treaty "
            f"with {s['Acap']}.",
            f"{s['O']} has sent {n} troops to fight for {s['A']}, {speaker.role} {speaker.name} said.",
        ]
        headline = (f"{s['O']} widens its role in {s['A']}'s war", "deployment.h", ())  # type: ignore[assignment]
    elif k == "flood":
        forms = [
            f"{n[0].upper() + n[1:]} residents were evacuated from {s['C']} after the {s['R']} river burst its banks "
            f"{when}, {speaker.name} said.",
            f"Rescuers evacuated {n} residents from the flooded districts of {s['C']}, the regional administration "
            f"said on {s['W']}.",
        ]
        died = state(f["killed"], "exact", words=True)
        out.append(
            (
                f"At least {died.text} people died in the floods around {s['C']}, {speaker.surname} said.",
                speaker.name,
                "flood.killed",
                (("fig", eid, "killed", died.low, INF),),
            )
        )
        headline = (f"Floods force thousands from their homes in {s['C']}", "flood.h", ())  # type: ignore[assignment]
    elif k == "protest":
        forms = [
            f"Police in {s['C']} arrested {n} people during protests against {s['policy']} {when}, "
            f"the interior ministry said.",
            f"{n[0].upper() + n[1:]} people were arrested in {s['C']} as thousands protested against {s['policy']}.",
        ]
        headline = (f"Protests against {s['policy']} spread to {s['C']}", "protest.h", ())  # type: ignore[assignment]
    else:
        forms = [
            f"A passenger train derailed near {s['C']} {when}, killing {n} people, {speaker.role} {speaker.name} said.",
            f"{n[0].upper() + n[1:]} people were killed when a passenger train left the tracks outside {s['C']} "
            f"{when}.",
        ]
        carried = state(f["passengers"], "about")
        out.append(
            (
                f"The train was carrying {carried.text} passengers, the railway company said.",
                "",
                "crash.passengers",
                (("fig", eid, "passengers", carried.low, carried.high),),
            )
        )
        headline = (f"Train derails near {s['C']}", "crash.h", ())  # type: ignore[assignment]
    index = rng.randrange(len(forms))
    lead = forms[index]
    if rng.random() < 0.4:
        lead = f"{s['CC']}, {s['month']} {s['day']} - {lead}"
    speaker_of_lead = speaker.name if speaker.name in lead or speaker.surname in lead else ""
    out.insert(0, (lead, speaker_of_lead, f"{k}.lead{index}", (main_tag,)))
    out.insert(0, (headline[0], "", headline[1], headline[2]))
    return out


def quote_sentences(rng: random.Random, event: Event, world: World) -> list[Sentence]:
    out: list[Sentence] = []
    chosen = rng.sample(range(len(event.quotes)), k=min(len(event.quotes), rng.choice((1, 2, 2, 3))))
    for index in chosen:
        text, speaker = event.quotes[index]
        variant = rng.random() < 0.15
        if variant:
            text = reword(text)
        if rng.random() < 0.04:  # misattributed: another person of the story is given the words
            others = [p for p in event.people if p != speaker] or [rng.choice(world.people)]
            speaker = rng.choice(others)
        form = rng.randrange(4)
        q = text
        if form == 0:
            sentence = f'"{q}," {speaker.name} said.'
        elif form == 1:
            sentence = f'"{q}," {speaker.role} {speaker.name} told reporters.'
        elif form == 2:
            sentence = f'{speaker.name} said: "{q}."'
        else:
            sentence = f"\u201c{q},\u201d {speaker.surname} said on {event.slots['W']}."
        out.append((sentence, speaker.name, f"quote.{form}", (("quote", event.id, index, speaker.name, variant),)))
    return out


def context_sentences(rng: random.Random, event: Event) -> list[Sentence]:
    """Sentences about the story that state no figure of it."""
    s = event.slots
    pool = {
        "strike": [
            f"Rescue crews worked through the {s['P']} to reach people trapped under the debris at {s['L']}.",
            f"The {s['Aadj']} Defence Ministry said its forces had struck a military target in {s['C']} and did not "
            f"mention {s['L']}.",
            f"Video filmed by passers-by showed the roof of {s['L']} collapsed and a burning bus outside.",
            f"Services through {s['C']} were suspended until the damage had been assessed.",
            f"{s['C']} has been hit repeatedly by missiles and drones since the start of the year.",
        ],
        "capture": [
            f"{s['T']}'s foreign ministry denied that it had any role in recruiting its citizens for the "
            f"{s['Aadj']} army.",
            f"The {s['Tadj']} charge d'affaires was summoned to the foreign ministry in {s['CC'].title()}.",
            "Officials said both men would be treated in accordance with the Geneva Conventions.",
            f"{s['T']}, which has close trade ties with {s['A']}, says it is neutral in the war.",
            f"{s['A']} did not comment on the capture near {s['X']}.",
        ],
        "deployment": [
            f"The first {s['Oadj']} units were used mainly to hold ground along the border of {s['A']}.",
            f"{s['Oadj']} losses are believed to have been heavy, and fresh battalions have been rotated into the "
            "line.",
            f"{s['V']} says the presence of {s['Oadj']} troops makes {s['O']} a party to the war.",
            f"{s['Oadj']} officers have since appeared in assault groups and artillery crews, according to {s['V']}.",
            f"The treaty between {s['O']} and {s['A']} obliges each to defend the other if attacked.",
            f"{s['V']} summoned the {s['Oadj']} ambassador to protest against the deployment.",
        ],
        "flood": [
            f"The {s['R']} river rose by more than two metres in a single night.",
            f"Schools in {s['C']} were turned into shelters for families who lost their homes.",
            f"Power and drinking water were cut off in the lower districts of {s['C']}.",
            f"Forecasters warned that more rain was expected in the {s['R']} valley on {s['W']}.",
            f"Soldiers helped to build sandbag walls along the embankment in {s['C']}.",
        ],
        "protest": [
            f"Demonstrators marched from the railway station to the city hall of {s['C']}.",
            f"Shop windows were smashed on the main street of {s['C']} after nightfall.",
            f"The government says {s['policy']} is needed to balance the budget.",
            f"Protest organisers said they would return to the streets of {s['C']} on {s['W']}.",
            f"Riot police used tear gas to disperse the crowd outside the regional parliament in {s['C']}.",
        ],
        "crash": [
            f"Investigators are examining the signals on the line outside {s['C']}.",
            "The railway company said the driver was among the injured.",
            f"All trains to {s['C']} were cancelled while the carriages were removed.",
            f"The transport minister visited the site of the crash near {s['C']} on {s['W']}.",
            f"Rail unions have long complained about the state of the line to {s['C']}.",
        ],
    }[event.kind]
    picked = rng.sample(pool, k=min(len(pool), rng.randint(2, 5)))
    return [(text, "", f"{event.kind}.ctx", ()) for text in picked]


# Newswire filler about the wider world: names recur across stories; numbers are not counts of people.
_BACKGROUND = [
    "{c1}, which has close trade ties with {c2}, says it is neutral in the war.",
    "{city}, about {km} kilometres from the front line, has been hit repeatedly since the start of the year.",
    "{p}, the {p_adj} {p_role}, did not immediately respond to a request for comment.",
    "Mediated talks on a ceasefire between {c1} and {c2} have made little progress since {month}.",
    "The {c1_adj} economy shrank by {pct} per cent last year, according to the central bank in {c1_cap}.",
    "{c1} signed a {sector} agreement worth {money} with {c2} in {year}.",
    "There was no immediate comment from {c2_cap}.",
    "{p} said the government in {c1_cap} would discuss the matter with its partners next week.",
    "{c1_adj} officials have previously accused {c2} of spreading false reports about the war.",
    "The {sector} pipeline between {c1} and {c2} has been closed since {month} {year}.",
    "{p} condemned the attack and renewed an appeal for more air defence systems.",
    "Prices of {sector} rose by {pct} per cent in {c1} in the first half of the year.",
    "Parliament in {c1_cap} is expected to vote on the {sector} budget in {month}.",
    "The {c1_adj} central bank raised its main interest rate to {pct} per cent on {weekday}.",
    "{city} lies on the main road between {c1_cap} and {c2_cap}.",
    "Analysts in {c1_cap} said the talks with {c2} were unlikely to resume before {month}.",
    "{p} is due to visit {c2_cap} later this month for talks on {sector} exports.",
    "{c1} joined the regional {sector} union in {year}, a move {c2} opposed.",
    "Additional reporting by {p}; editing by {p2}.",
    "Image: {outlet} / handout",
    "Read more: {c1} and {c2} agree to reopen {sector} talks",
    "The opposition in {c1_cap} has called for early elections after the {sector} scandal.",
    "{c1_adj} state media described the reports as a provocation.",
    "The European envoy for the region, {p}, is expected in {c1_cap} on {weekday}.",
    "{c2} has repeatedly called for a negotiated settlement and an exchange of prisoners.",
    "Satellite images published last {month} showed new fortifications along the border with {c2}.",
    "{p} told a news conference in {c1_cap} that sanctions on {c2} would stay in place.",
    "The {c1_adj} currency has lost {pct} per cent of its value against the dollar since {month}.",
    "Both sides accuse each other of shelling villages near {city}.",
    "{c1_adj} Railways said long-distance trains would be diverted via {city}.",
    "A spokesperson for the {c1_adj} defence ministry declined to comment on troop movements near {city}.",
    "Exports of {sector} from {c1} fell by {pct} per cent in {year}, customs data showed.",
    "{p}, who took office in {year}, has promised to modernise the {c1_adj} army.",
    "Human rights groups have criticised {c1} for restricting access to the area around {city}.",
    "The {c1_adj} foreign ministry summoned the ambassador of {c2} on {weekday}.",
    "Talks in {c2_cap} on the {sector} transit deal ended without agreement.",
    "Drone attacks on {city} have become more frequent since {month}, local officials say.",
    "{c1} and {c2} fought a brief border war in {year}.",
    "Fuel shortages have been reported in several towns around {city}.",
    "The governor's office in {city} said schools would reopen on {weekday}.",
    "{p} said there was no evidence that {c2} was preparing an offensive near {city}.",
    "This article was updated to include a statement from the {c1_adj} foreign ministry.",
    "The {c1_adj} parliament approved a {money} aid package for {city} in {month}.",
    "Talks on grain shipments through {city} are due to resume in {month}.",
]
_BACKGROUND_KEYS = [f"bg.{i}" for i in range(len(_BACKGROUND))]


def background_sentences(rng: random.Random, world: World, event: Event, count: int) -> list[Sentence]:
    """``count`` filler sentences, no template twice in an article; half of them about the story's countries."""
    local = [c for c in world.countries if c.name in (event.slots["A"], event.slots["V"], event.slots["T"])]
    out: list[Sentence] = []
    forms = rng.sample(range(len(_BACKGROUND)), k=min(count, len(_BACKGROUND)))
    for form in forms:
        c1 = rng.choice(local) if local and rng.random() < 0.5 else rng.choice(world.countries)
        c2 = rng.choice(world.countries)
        p = rng.choice(world.people)
        values = {
            "c1": c1.name, "c1_adj": c1.adj, "c1_cap": c1.capital, "c2": c2.name, "c2_cap": c2.capital,
            "city": rng.choice(world.cities).name, "p": p.name, "p_adj": p.country.adj, "p_role": p.role,
            "p2": rng.choice(world.people).name, "outlet": rng.choice(world.outlets).name,
            "km": rng.randint(5, 400), "pct": rng.randint(2, 40), "year": rng.randint(1995, 2024),
            "money": f"${rng.randint(2, 90) / 10:.1f}bn", "month": rng.choice(_MONTHS),
            "weekday": rng.choice(_WEEKDAYS), "sector": rng.choice(_SECTORS),
        }  # fmt: skip
        out.append((_BACKGROUND[form].format(**values), "", _BACKGROUND_KEYS[form], ()))
    return out


@dataclass
class Article:
    outlet: OutletRow
    event: Event
    title: str
    sentences: list[Sentence]
    published: dt.datetime
    copy_of: Article | None = None  # the wire story this re-runs
    cluster: int = 0


def write_article(rng: random.Random, world: World, event: Event, outlet: OutletRow, length: int) -> Article:
    divergent = rng.random() < 0.12 and not outlet.wire
    facts = fact_sentences(rng, event, divergent)
    headline, lead, *other_facts = facts
    middle = other_facts + quote_sentences(rng, event, world) + context_sentences(rng, event)
    middle += background_sentences(rng, world, event, length - 2 - len(middle))
    rng.shuffle(middle)
    body = [headline, lead, *middle]
    published = dt.datetime.combine(event.date, dt.time(6), tzinfo=dt.UTC) + dt.timedelta(hours=rng.randrange(72))
    return Article(outlet, event, headline[0], body, published)


def copy_article(rng: random.Random, wire: Article, outlet: OutletRow) -> Article:
    """A wire story re-run by another outlet: the same sentences, the last one or two dropped, a credit added."""
    keep = wire.sentences[: max(2, len(wire.sentences) - rng.randint(0, 2))]
    credit = (f"This story was first published by {wire.outlet.name}.", "", "copy.credit", ())
    published = wire.published + dt.timedelta(hours=rng.randint(1, 12))
    return Article(outlet, wire.event, wire.title, [*keep, credit], published, copy_of=wire)


# --- Generation ---------------------------------------------------------------------------------


@dataclass
class Generated:
    outlets: list[OutletRow]
    articles: list[Article]
    passages: int
    terms: Counter
    events: list[Event]
    # tag -> the passages stating it, as (passage id, outlet id, origin cluster id)
    tagged: dict[tuple, list[tuple[int, int, int]]] = field(default_factory=dict)


def article_stream(rng: random.Random, world: World, events: list[Event], target: int) -> Iterator[Article]:
    """Articles until ``target`` passages: each about an event (some events far more covered
    than others), from an outlet; wire stories are re-run by 1-3 other outlets."""
    produced = 0
    regular = [o for o in world.outlets if not o.wire]
    wires = [o for o in world.outlets if o.wire]
    cumulative = list(itertools.accumulate(1.0 / (1 + (i % 50)) ** 0.5 for i in range(len(events))))
    while produced < target:
        event = rng.choices(events, cum_weights=cumulative)[0]
        length = rng.randint(15, 35)
        if rng.random() < 0.15:
            story = write_article(rng, world, event, rng.choice(wires), length)
            batch = [story] + [copy_article(rng, story, rng.choice(regular)) for _ in range(rng.randint(1, 3))]
        else:
            batch = [write_article(rng, world, event, rng.choice(regular), length)]
        for article in batch:
            room = target - produced
            if room <= 0:
                return
            if len(article.sentences) > room:
                article.sentences = article.sentences[:room]
            produced += len(article.sentences)
            yield article


_WORTHINESS: dict[str, tuple[float, list[str]]] = {}


def worthiness(template: str, text: str) -> tuple[float, list[str]]:
    """The project's scorer, run on the first sentence of each template and reused for the rest."""
    if template not in _WORTHINESS:
        scored = score_worthiness(text)
        _WORTHINESS[template] = (scored.score, list(scored.reasons))
    return _WORTHINESS[template]


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _row(*values: object) -> str:
    return "\t".join(_copy_text(v) for v in values) + "\n"


@dataclass
class CopyData:
    outlets: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    passages: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


def generate(seed: int, passages: int, outlets: int) -> tuple[Generated, CopyData]:
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic text, not secrets
    world = build_world(rng, passages, outlets)
    events = [make_event(rng, world, i + 1) for i in range(max(12, passages // 250))]
    data = CopyData()
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC).isoformat()
    for o in world.outlets:
        data.outlets.append(_row(o.id, o.name, o.domain, 1.0, now))
    terms: Counter = Counter()
    tagged: dict[tuple, list[tuple[int, int, int]]] = {}
    articles: list[Article] = []
    passage_id = 0
    for source_id, article in enumerate(article_stream(rng, world, events, passages), start=1):
        # Every source is a cluster of its own, as ingestion leaves it, unless it copies a wire story.
        if article.copy_of is not None:
            cluster = article.copy_of.cluster
        else:
            cluster = source_id
            data.clusters.append(_row(cluster, now))
        article.cluster = cluster
        pieces: list[str] = []
        offset = 0
        for position, (text, speaker, template, tags) in enumerate(article.sentences):
            if pieces:
                pieces.append("\n\n" if position % 2 == 1 or position == 1 else " ")
                offset += len(pieces[-1])
            start = offset
            pieces.append(text)
            offset += len(text)
            passage_id += 1
            score, reasons = worthiness(template, text)
            data.passages.append(
                _row(passage_id, source_id, position, text, start, offset, score, json.dumps(reasons), speaker[:300])
            )
            stems = content_stems(text)
            terms.update(stems)
            for tag in tags:
                tagged.setdefault(tag, []).append((passage_id, article.outlet.id, cluster))
        terms[TOTAL_TERM] += len(article.sentences)
        text = "".join(pieces)
        digest = hashlib.sha256(f"{source_id}\n{text}".encode()).hexdigest()
        url = f"https://{article.outlet.domain}/{article.published:%Y/%m/%d}/story-{source_id}"
        data.sources.append(
            _row(source_id, url, article.title[:500], "", article.published.isoformat(), text, digest, "md", "",
                 now, now, article.outlet.id, now, "[]", cluster)
        )  # fmt: skip
        articles.append(article)
    for term, count in sorted(terms.items()):
        data.terms.append(_row(len(data.terms) + 1, term[:64], count))
    return Generated(world.outlets, articles, passage_id, terms, events, tagged), data


# --- Benchmark claims -------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchClaim:
    id: int
    kind: str
    text: str
    claimant: str
    expected: str
    event_id: int
    supporting: tuple[int, ...]
    conflicting: tuple[int, ...]
    claim_date: dt.date  # its event's day: a check searches the passages published around it


def _claim_figure(event: Event, value: int) -> str:
    s = event.slots
    n = spelled(value, words=True)
    N = n[0].upper() + n[1:]
    return {
        "strike": f"{N} people were killed when a {s['Aadj']} missile hit {s['L']} in {s['C']}.",
        "capture": f"{s['Vadj']} forces captured {n} {s['Tadj']} citizens who were fighting for {s['A']} "
        f"near {s['X']}.",
        "deployment": f"{s['O']} has sent {value:,} soldiers to fight for {s['A']}.",
        "flood": f"{value:,} residents were evacuated from {s['C']} after the {s['R']} river flooded.",
        "protest": f"Police arrested {value} people at the protest against {s['policy']} in {s['C']}.",
        "crash": f"{N} people died when a passenger train derailed near {s['C']}.",
    }[event.kind]


def _expected(supporting: list[tuple[int, int, int]], conflicting: list[tuple[int, int, int]]) -> str:
    """The assessment these origins imply (factcheck.crosscheck.assess's rules)."""
    sup = independent_origins((o, c) for _, o, c in supporting)
    con = independent_origins((o, c) for _, o, c in conflicting)
    if sup and con:
        return "conflicting"
    if con:
        return "contradicted"
    if sup >= 2:
        return "corroborated"
    return "single_source" if sup else "unverified"


def make_claims(seed: int, generated: Generated, count: int) -> list[BenchClaim]:
    rng = random.Random(seed * 7919 + 1)  # noqa: S311 - reproducible, not secrets
    covered = sorted({tag[1] for tag in generated.tagged if tag[0] == "fig"})
    by_event: dict[int, Event] = {e.id: e for e in generated.events}
    figure_tags: dict[tuple[int, str], list[tuple[tuple, list]]] = {}
    quote_tags: dict[tuple[int, int], list[tuple[tuple, list]]] = {}
    for tag, rows in generated.tagged.items():
        if tag[0] == "fig":
            figure_tags.setdefault((tag[1], tag[2]), []).append((tag, rows))
        else:
            quote_tags.setdefault((tag[1], tag[2]), []).append((tag, rows))
    claims: list[BenchClaim] = []
    kinds = ["figure_agrees"] * 30 + ["figure_conflict"] * 20 + ["quote"] * 20 + ["quote_misattributed"] * 10
    kinds += ["unverified"] * 20
    people = sorted({p.name for e in generated.events for p in e.people})
    seen: set[str] = set()
    claim_id = 0
    attempts = 0
    while claim_id < count:
        attempts += 1
        kind = rng.choice(kinds)
        event = by_event[rng.choice(covered)] if covered else generated.events[0]
        fact = MAIN_FACT[event.kind]
        supporting: list[tuple[int, int, int]] = []
        conflicting: list[tuple[int, int, int]] = []
        claimant = ""
        if kind in ("figure_agrees", "figure_conflict") and (event.id, fact) in figure_tags:
            true = event.facts[fact]
            value = true if kind == "figure_agrees" else (true // 3 if true >= 9 else true + 3)
            if event.kind == "deployment" and kind == "figure_conflict":
                value = true * 2
            text = _claim_figure(event, value)
            for tag, rows in figure_tags[(event.id, fact)]:
                (supporting if tag[3] <= value <= tag[4] else conflicting).extend(rows)
        elif kind in ("quote", "quote_misattributed") and event.quotes:
            index = rng.randrange(len(event.quotes))
            quote, speaker = event.quotes[index]
            claimant = speaker.name
            if kind == "quote_misattributed":
                claimant = rng.choice([p for p in people if p != speaker.name])
            text = f'{claimant} said: "{quote}."'
            for tag, rows in quote_tags.get((event.id, index), []):
                (supporting if tag[3] == claimant else conflicting).extend(rows)
        else:
            kind = "unverified"
            city = rng.choice(sorted({e.slots["C"] for e in generated.events}))
            claimant = rng.choice(people)
            text = (
                f"{claimant} announced that {rng.randint(3, 40)} new hospitals would be built in {city} "
                f"with money from the {rng.choice(_SECTORS)} fund by {rng.randint(2027, 2035)}."
            )
        if text in seen and attempts < 20 * count:  # a small corpus has few events: allow repeats only then
            continue
        seen.add(text)
        claim_id += 1
        claims.append(
            BenchClaim(claim_id, kind, text, claimant, _expected(supporting, conflicting), event.id,
                       tuple(sorted(p for p, _, _ in supporting)), tuple(sorted(p for p, _, _ in conflicting)),
                       event.date)
        )  # fmt: skip
    return claims


# --- Database ----------------------------------------------------------------------------------


def database_url(name: str, base: str | None = None) -> str:
    parts = urlsplit(base or os.environ.get("DATABASE_URL") or DEFAULT_BASE_URL)
    return urlunsplit(parts._replace(scheme="postgresql", path=f"/{name}"))


def recreate_database(name: str, base: str | None, *, force: bool) -> None:
    if not force and "bench" not in name:
        raise SystemExit(f"refusing to drop database {name!r}: its name has no 'bench' (pass --force)")
    with psycopg.connect(database_url("postgres", base), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def migrate(name: str, base: str | None) -> None:
    env = {**os.environ, "DATABASE_URL": database_url(name, base).replace("postgresql://", "postgres://", 1)}
    env.setdefault("SECRET_KEY", "bench-only-secret-key")
    env["DEBUG"] = "false"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO_ROOT, env=env, check=True)


PASSAGE_TABLE = "factcheck_passage"
# The passages' full-text index, partitioned by month and filled by a trigger on the passage table
# (migration 0022); a bulk load leaves the trigger off and fills it in one statement, then builds its
# indexes, as it does the passage table's.
INDEX_TABLE = "factcheck_passage_index"
INDEX_TRIGGER = "passage_index_insert"


def secondary_indexes(conn: psycopg.Connection) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The passage table's constraints (unique, foreign keys) and other indexes, but not its primary key."""
    constraints = conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname",
        [PASSAGE_TABLE],
    ).fetchall()
    owned = {name for name, _ in constraints}
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexname NOT LIKE '%%_pkey' "
        "ORDER BY indexname",
        [[PASSAGE_TABLE, INDEX_TABLE]],
    ).fetchall()
    # A partitioned table's index is defined "ON ONLY" the parent, which would build none of its
    # partitions' indexes: made again, it is made for every partition.
    return list(constraints), [(n, d.replace(" ON ONLY ", " ON ")) for n, d in indexes if n not in owned]


class Phases:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def run(self, name: str, rows: int | None, action: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - started
        rate = f"{rows / seconds:,.0f} rows/s" if rows else ""
        print(f"  {name:<44} {seconds:8.2f} s  {rate}", flush=True)
        self.rows.append({"phase": name, "seconds": round(seconds, 3), "rows": rows})
        return result


def copy_rows(conn: psycopg.Connection, table: str, columns: str, lines: list[str]) -> None:
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for start in range(0, len(lines), 5000):
            copy.write("".join(lines[start : start + 5000]))


def copy_tables(data: CopyData) -> list[tuple[str, str, list[str]]]:
    """Each table the corpus fills, its COPY columns and rows, in the order their foreign keys need."""
    return [
        ("factcheck_outlet", "id, name, domain, reliability_weight, created_at", data.outlets),
        ("factcheck_origincluster", "id, created_at", data.clusters),
        (
            "factcheck_source",
            "id, url, title, author, published_at, text, content_hash, format, file_name, ingested_at, split_at, "
            "outlet_id, claims_extracted_at, minhash, origin_cluster_id",
            data.sources,
        ),
        (
            PASSAGE_TABLE,
            "id, source_id, position, text, start_offset, end_offset, check_worthiness, worthiness_reasons, speaker",
            data.passages,
        ),
        ("factcheck_termstat", "id, term, passages", data.terms),
    ]


def load(conn: psycopg.Connection, data: CopyData, phases: Phases, *, keep_indexes: bool) -> None:
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET maintenance_work_mem = '1GB'")
    constraints, indexes = secondary_indexes(conn)
    if not keep_indexes:

        def drop() -> None:
            for name, _ in constraints:
                conn.execute(f"ALTER TABLE {PASSAGE_TABLE} DROP CONSTRAINT {name}")
            for name, _ in indexes:
                conn.execute(f"DROP INDEX {name}")
            conn.execute(f"ALTER TABLE {PASSAGE_TABLE} DISABLE TRIGGER {INDEX_TRIGGER}")
            conn.commit()

        phases.run("drop passage indexes and foreign keys", None, drop)
    for table, columns, lines in copy_tables(data):
        trigger = " (+ tsvector, by month)" if keep_indexes and table == PASSAGE_TABLE else ""
        label = f"COPY {table.removeprefix('factcheck_')}{trigger}"

        def do_copy(table: str = table, columns: str = columns, lines: list[str] = lines) -> None:
            copy_rows(conn, table, columns, lines)
            conn.commit()

        phases.run(label, len(lines), do_copy)
    rows = len(data.passages)
    if not keep_indexes:

        def fill_index() -> None:
            conn.execute("SELECT factcheck_passage_index_fill()")
            conn.execute(f"ALTER TABLE {PASSAGE_TABLE} ENABLE TRIGGER {INDEX_TRIGGER}")
            conn.commit()

        phases.run("index by month (+ tsvector)", rows, fill_index)
        for name, definition in indexes:
            phases.run(f"index {name}", rows, lambda d=definition: (conn.execute(d), conn.commit()))  # type: ignore[func-returns-value,misc]
        for name, definition in constraints:
            label = f"constraint {name}"
            if definition.startswith("FOREIGN KEY"):
                label = "foreign key " + definition.split("(", 1)[1].split(")", 1)[0]
            phases.run(
                label,
                rows,
                lambda n=name, d=definition: (conn.execute(f"ALTER TABLE {PASSAGE_TABLE} ADD CONSTRAINT {n} {d}"),  # type: ignore[misc]
                                              conn.commit()),  # type: ignore[func-returns-value]
            )  # fmt: skip
    for table in (
        "factcheck_outlet",
        "factcheck_origincluster",
        "factcheck_source",
        PASSAGE_TABLE,
        "factcheck_termstat",
    ):
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT max(id) FROM {table}), 1))"  # noqa: S608
        )
    conn.commit()


def store_claims(conn: psycopg.Connection, claims: list[BenchClaim], meta: dict) -> None:
    conn.execute("DROP TABLE IF EXISTS bench_claim, bench_meta")
    conn.execute(
        "CREATE TABLE bench_claim (id integer PRIMARY KEY, kind text NOT NULL, text text NOT NULL, "
        "claimant text NOT NULL, expected text NOT NULL, event_id integer NOT NULL, "
        "supporting bigint[] NOT NULL, conflicting bigint[] NOT NULL, claim_date date NOT NULL)"
    )
    conn.execute("CREATE TABLE bench_meta (key text PRIMARY KEY, value jsonb NOT NULL)")
    with (
        conn.cursor() as cursor,
        cursor.copy(
            "COPY bench_claim (id, kind, text, claimant, expected, event_id, supporting, conflicting, claim_date) "
            "FROM STDIN"
        ) as copy,
    ):
        for c in claims:
            copy.write_row((c.id, c.kind, c.text, c.claimant, c.expected, c.event_id, list(c.supporting),
                            list(c.conflicting), c.claim_date))  # fmt: skip
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_meta (key, value) VALUES (%s, %s)",
            [(key, json.dumps(value)) for key, value in meta.items()],
        )
    conn.commit()


# --- Command line -----------------------------------------------------------------------------


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=parse_size, default=1000, help="how many passages (1k, 10k, 100k, 1M)")
    parser.add_argument("--database", default="factcheck_bench", help="database to (re)create and fill")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--outlets", type=int, default=200)
    parser.add_argument("--claims", type=int, default=200, help="benchmark claims to plant and store")
    parser.add_argument("--base-url", default=None, help="server URL (default: DATABASE_URL's server, else local)")
    parser.add_argument("--keep-indexes", action="store_true", help="COPY into the indexed table (for comparison)")
    parser.add_argument("--force", action="store_true", help="allow dropping a database whose name lacks 'bench'")
    parser.add_argument(
        "--results", default=str(RESULTS_DIR), help="where to write the phase timings as JSON ('' for nowhere)"
    )
    parser.add_argument("--readme", default="", help="README whose corpus_load section to refresh (default: none)")
    args = parser.parse_args(argv)

    print(f"corpus: {args.passages:,} passages, {args.outlets} outlets, seed {args.seed} -> database {args.database}")
    load_at_start = os.getloadavg()[0]
    phases = Phases()

    def create() -> None:
        recreate_database(args.database, args.base_url, force=args.force)
        migrate(args.database, args.base_url)

    phases.run("create database + migrate", None, create)
    generated, data = phases.run(
        "generate (Python)", args.passages, lambda: generate(args.seed, args.passages, args.outlets)
    )
    claims = phases.run("plant benchmark claims", args.claims, lambda: make_claims(args.seed, generated, args.claims))
    started = time.perf_counter()
    with psycopg.connect(database_url(args.database, args.base_url)) as conn:
        load(conn, data, phases, keep_indexes=args.keep_indexes)
        conn.autocommit = True
        phases.run("VACUUM ANALYZE", args.passages, lambda: conn.execute("VACUUM (ANALYZE) "))
        conn.autocommit = False
        load_seconds = time.perf_counter() - started
        sizes = dict(conn.execute(  # type: ignore[var-annotated]
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relname IN "
            "('factcheck_passage', 'passage_text_trgm_gin', 'factcheck_source') "
            "UNION ALL SELECT 'factcheck_passage_index', sum(pg_total_relation_size(relid))::bigint "
            "FROM pg_partition_tree('factcheck_passage_index') "
            "UNION ALL SELECT 'passage_index_search_vector_gin', sum(pg_relation_size(relid))::bigint "
            "FROM pg_partition_tree('passage_index_search_vector_gin')"
        ).fetchall())  # fmt: skip
        expected = Counter(c.expected for c in claims)
        meta = {
            "seed": args.seed,
            "passages": generated.passages,
            "sources": len(generated.articles),
            "outlets": len(generated.outlets),
            "events": len(generated.events),
            "terms": len(generated.terms),
            "claims": len(claims),
            "keep_indexes": args.keep_indexes,
            "phases": phases.rows,
            "load_seconds": round(load_seconds, 2),
            "sizes_bytes": sizes,
            "expected": dict(expected),
            "load_average": [round(load_at_start, 2), round(os.getloadavg()[0], 2)],
        }
        store_claims(conn, claims, meta)
    wires = sum(1 for a in generated.articles if a.copy_of is not None)
    print(
        f"  wrote {generated.passages:,} passages in {len(generated.articles):,} sources "
        f"({wires:,} wire copies), {len(generated.outlets)} outlets, {len(generated.events):,} events, "
        f"{len(generated.terms):,} terms; {len(claims)} claims planted ({dict(expected)})"
    )
    print(
        f"  load (COPY + indexes + VACUUM): {load_seconds:.1f} s = {generated.passages / load_seconds:,.0f} passages/s"
    )
    print("  sizes: " + ", ".join(f"{k} {v / 2**20:,.0f} MiB" for k, v in sorted(sizes.items())))
    print()
    print("\n".join(phase_table([{"database": args.database, **meta}])))
    if args.results:
        out = Path(args.results)
        out.mkdir(parents=True, exist_ok=True)
        suffix = "-indexed" if args.keep_indexes else ""
        record = {"database": args.database, "readme": bool(args.readme), **meta}
        (out / f"corpus-{args.database}{suffix}.json").write_text(json.dumps(record, indent=1))
        if args.readme:
            update_readme(Path(args.readme), "corpus_load", load_report(out))
    return 0


def size_label(passages: int) -> str:
    if passages >= 1_000_000 and passages % 1_000_000 == 0:
        return f"{passages // 1_000_000}M"
    if passages >= 1_000 and passages % 1_000 == 0:
        return f"{passages // 1_000}k"
    return f"{passages:,}"


def phase_table(runs: list[dict]) -> list[str]:
    """Seconds (and rows/s) of each load phase, one column per run."""
    phases: list[str] = []
    for run in runs:
        phases += [row["phase"] for row in run["phases"] if row["phase"] not in phases]
    names = [size_label(r["passages"]) + (", into indexed table" if r["keep_indexes"] else "") for r in runs]
    lines = ["| phase: seconds (rows/s) | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(runs)]
    for phase in phases:
        cells = []
        for run in runs:
            row = next((r for r in run["phases"] if r["phase"] == phase), None)
            if row is None:
                cells.append("")
                continue
            rate = f" ({row['rows'] / row['seconds']:,.0f}/s)" if row["rows"] and row["seconds"] >= 0.01 else ""
            cells.append(f"{row['seconds']:.2f}{rate}")
        lines.append(f"| {phase} | " + " | ".join(cells) + " |")
    lines.append(
        "| **load** (COPY + indexes + VACUUM) | "
        + " | ".join(f"{r['load_seconds']:.1f} ({r['passages'] / r['load_seconds']:,.0f} passages/s)" for r in runs)
        + " |"
    )
    sizes = "passage table + indexes, trigram index; full-text index by month, its GIN indexes"
    lines.append(
        f"| {sizes} (MiB) | "
        + " | ".join(
            f"{r['sizes_bytes'].get('factcheck_passage', 0) / 2**20:,.0f}, "
            f"{r['sizes_bytes'].get('passage_text_trgm_gin', 0) / 2**20:,.0f}; "
            f"{(r['sizes_bytes'].get('factcheck_passage_index') or 0) / 2**20:,.0f}, "
            f"{(r['sizes_bytes'].get('passage_index_search_vector_gin') or 0) / 2**20:,.0f}"
            for r in runs
        )
        + " |"
    )
    lines.append("| sources / events / distinct stems | " + " | ".join(
        f"{r['sources']:,} / {r['events']:,} / {r['terms']:,}" for r in runs) + " |")  # fmt: skip
    return lines


def load_report(results: Path) -> str:
    runs = [json.loads(p.read_text()) for p in sorted(results.glob("corpus-*.json"))]
    runs = sorted((r for r in runs if r.get("readme")), key=lambda r: (r["passages"], r["keep_indexes"]))
    return "\n".join(
        [
            "### Loading the corpus",
            "",
            f"`bench/corpus.py` (seed {runs[0]['seed'] if runs else 7}, 200 outlets, 200 planted claims); "
            "the passage table's secondary indexes and foreign keys are dropped before COPY and rebuilt after it, "
            "unless *into indexed table*. Other benchmarks may share the 2 cores: the 1-minute load average at "
            "the start and end of each run was "
            + ", ".join(f"{size_label(r['passages'])} {'/'.join(map(str, r.get('load_average', [])))}" for r in runs)
            + " (about 1 is this script alone).",
            "",
            *phase_table(runs),
            "",
        ]
    )


README_HEADER = """# Benchmarks

Each script runs alone, from the repository root, against PostgreSQL (`DATABASE_URL`'s server,
else `postgres://postgres@127.0.0.1:5432`). Raw results are kept in `bench/results/`.
"""


def update_readme(path: Path, section: str, body: str) -> None:
    """Replace the section between its markers in the README, or append it (creating the README)."""
    start, end = f"<!-- {section}:start -->", f"<!-- {section}:end -->"
    text = path.read_text() if path.exists() else README_HEADER
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.DOTALL)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    raise SystemExit(main())

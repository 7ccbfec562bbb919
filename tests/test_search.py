"""One contract, every search backend: PostgreSQL full-text and the Python fallback."""

import datetime as dt
from itertools import combinations

import pytest
from django.db import connection

from factcheck.crosscheck.matching import QueryTerm, forms_in_corpus, query_term_groups, query_words
from factcheck.crosscheck.names import place_forms
from factcheck.crosscheck.words import content_stems
from factcheck.models import Claim, ImportedReview, OriginCluster, Outlet, Passage, Source
from factcheck.search import (
    BACKENDS,
    DateWindow,
    PassageQuery,
    at_least,
    channel_of,
    explain_retrieval,
    get_search_backend,
    rare_query_terms,
    tsquery_term,
)
from factcheck.services.checks import crosscheck, text_scope
from factcheck.services.terms import term_stats_add

pytestmark = pytest.mark.django_db


@pytest.fixture(params=sorted(BACKENDS))
def backend(request):
    return BACKENDS[request.param]()


@pytest.fixture
def claims() -> dict[str, Claim]:
    return {
        "capture": Claim.objects.create(text="Lestovian troops captured two Qareshi nationals in the Dalmir region."),
        "strike": Claim.objects.create(text="A missile struck the railway station in Ostrel and killed 12 people."),
        "denial": Claim.objects.create(text="Qaresh denied any role in recruiting its citizens for the war."),
    }


class TestSearchBackendContract:
    def test_it_ranks_the_claim_sharing_most_words_first(self, backend, claims) -> None:
        found = backend.similar_claims("Qareshi nationals captured by Lestovian troops near Dalmir", limit=3)
        assert found[0] == claims["capture"].pk

    def test_it_finds_nothing_for_unrelated_text(self, backend, claims) -> None:
        assert backend.similar_claims("Harvest festival draws record crowds to the valley", limit=3) == []

    def test_it_respects_the_limit(self, backend, claims) -> None:
        assert len(backend.similar_claims("Qaresh Lestovian missile station citizens troops", limit=2)) == 2

    def test_it_leaves_out_merged_claims(self, backend, claims) -> None:
        Claim.objects.filter(pk=claims["strike"].pk).update(merged_into=claims["capture"])
        assert claims["strike"].pk not in backend.similar_claims("missile struck the railway station", limit=3)

    def test_it_survives_query_syntax_in_the_text(self, backend, claims) -> None:
        found = backend.similar_claims("missile & | ! ( ) :* 'station' <-> \\ Ostrel", limit=3)
        assert found[0] == claims["strike"].pk

    def test_text_without_content_words_finds_nothing(self, backend, claims) -> None:
        assert backend.similar_claims("the and of it", limit=3) == []

    def test_many_texts_find_what_each_finds_alone_and_only_above_an_id_when_asked(self, backend, claims) -> None:
        texts = ["missile struck the railway station", "the and of it", "Qareshi nationals captured by troops"]
        found = backend.similar_claims_many(texts, limit=3)
        assert found == [backend.similar_claims(text, limit=3) for text in texts]
        assert found[0][0] == claims["strike"].pk
        assert found[1] == []
        assert found[2][0] == claims["capture"].pk
        after = claims["strike"].pk
        newer = backend.similar_claims_many([*texts, "Qaresh denied any role"], limit=3, after_id=after)
        assert newer[:3] == [[claim_id for claim_id in ids if claim_id > after] for ids in found]
        assert newer[3] == [claims["denial"].pk]

    def test_imported_reviews_sharing_the_rarest_words_are_found_best_first(self, backend) -> None:
        def imported(text: str) -> int:
            number = ImportedReview.objects.count()
            return ImportedReview.objects.create(
                url=f"https://factdesk.example/{number}", publisher_name="Desk", claim_text=text, imported_from="x"
            ).pk

        capture = imported("Lestovian troops captured two Qareshi nationals in the Dalmir region.")
        strike = imported("A missile struck the railway station in Ostrel and killed 12 people.")
        imported("Harvest festival draws record crowds to the valley.")
        texts = [
            "Qareshi nationals captured by Lestovian troops near Dalmir",
            "missile & | ! ( ) :* 'station'",
            "the of",
        ]

        found = backend.similar_reviews_many(texts, limit=1)

        assert found == [[capture], [strike], []]


def test_auto_picks_postgresql_search_on_postgresql(settings) -> None:
    settings.FACTCHECK_SEARCH_BACKEND = "auto"
    assert type(get_search_backend()).__name__ == "PostgresSearch"
    settings.FACTCHECK_SEARCH_BACKEND = "fallback"
    assert type(get_search_backend()).__name__ == "FallbackSearch"


def test_query_words_keep_only_letters_and_digits() -> None:
    assert query_words("The 'missile' | struck!! 12 o'clock, 155 killed") == [
        "missile",
        "struck",
        "clock",
        "155",
        "killed",
    ]


# --- Passages: the candidates of a cross-source check -------------------------------------------


def make_passages(texts: dict[str, list[tuple[str, str]]]) -> dict[str, Passage]:
    """Each outlet's passages (key, text) in a source and an origin cluster of its own, counted in TermStat."""
    found: dict[str, Passage] = {}
    for outlet_name, items in texts.items():
        outlet = Outlet.objects.create(name=outlet_name)
        cluster = OriginCluster.objects.create()
        source = Source.objects.create(
            outlet=outlet, origin_cluster=cluster, text=outlet_name, content_hash=outlet_name.ljust(64, "0")
        )
        for position, (key, text) in enumerate(items):
            found[key] = Passage.objects.create(
                source=source, position=position, text=text, start_offset=0, end_offset=len(text)
            )
    term_stats_add(passage_texts=[p.text for p in found.values()])
    return found


@pytest.fixture
def passages() -> dict[str, Passage]:
    """Three outlets' passages; the capture story appears in all three, worded differently."""
    return make_passages(
        {
            "meridian": [
                ("capture", "Lestovian troops have captured two Qareshi nationals in the Dalmir region."),
                ("quote", '"Drazhin is hunting for new soldiers abroad," Malesh said on Tuesday.'),
            ],
            "lantern": [
                ("prisoners", "Two men from Qaresh were taken prisoner by Lestovian forces near Dalmir."),
                ("strike", "A missile struck the railway station in Ostrel during the morning rush."),
            ],
            "westvale": [
                ("quoted", "Malesh told reporters: \u201cDrazhin is hunting for new soldiers abroad.\u201d"),
                ("weather", "Heavy rain is expected across the valley at the weekend."),
            ],
        }
    )


class TestPassageRetrievalContract:
    def test_it_finds_restatements_in_every_outlet_best_first(self, backend, passages) -> None:
        found = backend.candidate_passages(PassageQuery("Lestovian forces captured two Qareshi nationals in Dalmir"))
        assert found[0] == passages["capture"].pk
        assert passages["prisoners"].pk in found
        assert passages["weather"].pk not in found

    def test_it_leaves_out_the_claims_own_origin_cluster_and_source(self, backend, passages) -> None:
        capture = passages["capture"]
        found = backend.candidate_passages(
            PassageQuery(
                "Lestovian forces captured two Qareshi nationals in Dalmir",
                exclude_cluster_ids=frozenset({capture.source.origin_cluster_id}),
            )
        )
        assert capture.pk not in found
        assert passages["quote"].pk not in found
        assert passages["prisoners"].pk in found
        by_source = backend.candidate_passages(
            PassageQuery(
                "Qareshi prisoners near Dalmir", exclude_source_ids=frozenset({passages["prisoners"].source_id})
            )
        )
        assert passages["prisoners"].pk not in by_source

    def test_it_finds_a_quotation_whatever_the_quote_marks(self, backend, passages) -> None:
        found = backend.candidate_passages(
            PassageQuery("Teodor Malesh said so", quotations=("Drazhin is hunting for new soldiers abroad",))
        )
        assert {passages["quote"].pk, passages["quoted"].pk} <= set(found[:2])

    def test_it_respects_the_limit(self, backend, passages) -> None:
        query = PassageQuery("Lestovian Qareshi Dalmir Drazhin missile station Malesh", limit=2)
        assert len(backend.candidate_passages(query)) == 2

    def test_it_survives_query_syntax_and_finds_nothing_for_unrelated_text(self, backend, passages) -> None:
        assert backend.candidate_passages(PassageQuery("missile & | ! ( ) :* 'station' <-> \\ Ostrel"))[0] == (
            passages["strike"].pk
        )
        assert backend.candidate_passages(PassageQuery("Harvest festival draws record crowds")) == []
        assert backend.candidate_passages(PassageQuery("the and of it")) == []


class TestPublicationWindows:
    """A check's windows of publication days: the passages outside them are not candidates, on every
    backend; a passage is dated by its source's publication day, else the day it was ingested."""

    QUERY = "Lestovian forces captured two Qareshi nationals in Dalmir"

    @pytest.fixture
    def dated(self, passages) -> dict[str, Passage]:
        Source.objects.filter(passages=passages["capture"]).update(published_at=dt.datetime(2024, 3, 10, tzinfo=dt.UTC))
        Source.objects.filter(passages=passages["prisoners"]).update(
            published_at=dt.datetime(2024, 6, 2, 23, 30, tzinfo=dt.UTC)
        )
        Source.objects.filter(passages=passages["quoted"]).update(ingested_at=dt.datetime(2024, 6, 20, tzinfo=dt.UTC))
        return passages

    def test_a_window_keeps_only_the_passages_published_within_it(self, backend, dated) -> None:
        march = DateWindow(dt.date(2024, 3, 1), dt.date(2024, 3, 31))
        found = backend.candidate_passages(PassageQuery(self.QUERY, published=(march,)))
        assert found == [dated["capture"].pk]
        june = DateWindow(dt.date(2024, 6, 2), dt.date(2024, 6, 2))
        assert backend.candidate_passages(PassageQuery(self.QUERY, published=(june,))) == [dated["prisoners"].pk]

    def test_several_windows_keep_the_passages_of_each_and_none_keeps_all(self, backend, dated) -> None:
        windows = (
            DateWindow(dt.date(2024, 3, 1), dt.date(2024, 3, 31)),
            DateWindow(dt.date(2024, 6, 1), dt.date(2024, 6, 5)),
        )
        found = backend.candidate_passages(PassageQuery(self.QUERY, published=windows))
        assert sorted(found) == sorted([dated["capture"].pk, dated["prisoners"].pk])
        assert {dated["capture"].pk, dated["prisoners"].pk} <= set(backend.candidate_passages(PassageQuery(self.QUERY)))

    def test_a_date_in_the_future_counts_as_the_day_after_ingestion(self, backend, dated) -> None:
        source = Source.objects.get(passages=dated["capture"])
        Source.objects.filter(pk=source.pk).update(published_at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC))
        day = (source.ingested_at + dt.timedelta(days=1)).date()
        around = PassageQuery(self.QUERY, published=(DateWindow(day, day),))
        assert dated["capture"].pk in backend.candidate_passages(around)
        far = PassageQuery(self.QUERY, published=(DateWindow(dt.date(2998, 12, 1), dt.date(2999, 2, 1)),))
        assert backend.candidate_passages(far) == []

    def test_an_undated_source_is_dated_by_its_ingestion(self, backend, dated) -> None:
        june = DateWindow(dt.date(2024, 6, 15), dt.date(2024, 6, 25))
        quotation = PassageQuery("Malesh said Drazhin is hunting for new soldiers abroad", published=(june,))
        assert backend.candidate_passages(quotation) == [dated["quoted"].pk]


def test_rare_query_terms_drop_the_words_most_passages_carry(passages) -> None:
    # "Lestovian" is in three passages, the other words in at most one; nine words, eight kept.
    text = "Lestovian valley weather harvest heavy rain festival crowds expected"
    assert rare_query_terms(text) == ["valley", "weather", "harvest", "heavy", "rain", "festival", "crowds", "expected"]


# --- Other names of the claim's country, other nouns for what it counts --------------------------
# Our own sentences (real country names, so that names.py knows them; no article's wording).

BORDER_CLAIM = "Belarus has sent 3,000 soldiers to the border with Poland."


@pytest.fixture
def border_passages() -> dict[str, Passage]:
    """One report of the claim's fact under other names (Minsk, troops, Polish, Warsaw), sharing none
    of its words but "000"; and passages sharing two or three of its own words about other things."""
    return make_passages(
        {
            "harbour": [
                (
                    "renamed",
                    "Minsk has dispatched about 5,000 troops to the Polish frontier, officials in Warsaw said.",
                ),
            ],
            "quayside": [
                ("names_only", "Belarusian diplomats left Minsk for talks, Belarus state television reported."),
                ("sandbags", "Soldiers sent sandbags to the border crossing after the flood."),
                ("welcomed", "Soldiers sent home from the border were welcomed by their families."),
            ],
            "ridgeline": [
                ("fence", "The border fence was repaired after soldiers reported damage."),
                ("patrol", "Soldiers patrolled the frontier with Poland."),
                ("forty", "Forty men crossed the river at dawn."),
            ],
        }
    )


class TestOtherFormsOfTheClaimsTerms:
    """Issue 14: a report naming the claim's country and what it counts otherwise states the same fact;
    unless the query looks for the other forms, a figure's conflict is never seen."""

    def test_a_report_in_other_names_and_nouns_is_found_first(self, backend, border_passages) -> None:
        # It shares four of the claim's terms (the country, 000, the soldiers, Poland), each in
        # another form; the others share two or three of the claim's own words.
        found = backend.candidate_passages(PassageQuery(BORDER_CLAIM, limit=3))
        assert found[0] == border_passages["renamed"].pk

    def test_another_name_is_the_same_term_not_one_more(self, backend, border_passages) -> None:
        # Three names of one country are one term shared; "soldiers" and "Poland" are two.
        found = backend.candidate_passages(PassageQuery(BORDER_CLAIM, limit=1))
        assert found == [border_passages["renamed"].pk]
        found = backend.candidate_passages(
            PassageQuery(BORDER_CLAIM, exclude_source_ids=frozenset({border_passages["renamed"].source_id}))
        )
        assert border_passages["patrol"].pk in found
        names_only = border_passages["names_only"].pk
        assert names_only not in found or found.index(border_passages["patrol"].pk) < found.index(names_only)

    def test_the_figure_may_stand_beside_another_noun_for_what_it_counts(self, backend, border_passages) -> None:
        # "Forty men" shares no word with the claim but the number: "men" is a noun for soldiers.
        query = PassageQuery("Belarus sent 40 soldiers to the Polish border.", figures=("40", "forty"))
        assert border_passages["forty"].pk in backend.candidate_passages(query)


RARE_TOWN_CLAIM = "Police arrested 85 people at the protest against corruption in the city council in Zhotumovo."


@pytest.fixture
def protest_passages() -> dict[str, Passage]:
    """Reports of other towns' protests written alike, and one of the claim's town in other words."""
    towns = ("Vodilel", "Tojem", "Fedikel", "Ranaken", "Chobash")
    return make_passages(
        {
            **{
                f"wire-{town}": [
                    (
                        town,
                        f"Police in {town} arrested 250 people during protests against corruption in the city council.",
                    )
                ]
                for town in towns
            },
            "daily": [("zhotumovo", "At least 127 people were arrested in Zhotumovo as thousands protested.")],
        }
    )


class TestRankedByRarity:
    """Issue 15: a term counts for what its rarity says; the claim's town outweighs the common words
    look-alike reports of other events share."""

    def test_the_claims_rare_town_outweighs_common_words_shared(self, backend, protest_passages) -> None:
        found = backend.candidate_passages(PassageQuery(RARE_TOWN_CLAIM, limit=3))
        assert found[0] == protest_passages["zhotumovo"].pk


def test_the_word_query_reads_first_only_the_passages_holding_the_claims_rarest_terms(protest_passages) -> None:
    """Issue 15: at 10M passages the common words' tier matched 10,000 passages of a claim's window, each
    read and ranked; the first word statement reads only those holding one of the claim's anchors."""
    plans = explain_retrieval(PassageQuery(RARE_TOWN_CLAIM, limit=3), "EXPLAIN (ANALYZE, FORMAT JSON)")
    words = [rows[0][0][0]["Plan"] for sql, rows in plans if channel_of(sql) == "words"]

    def heap_rows(plan: dict) -> int:
        passages = plan["Node Type"] == "Bitmap Heap Scan" and plan["Relation Name"].startswith("factcheck_passage")
        own = plan["Actual Rows"] * plan["Actual Loops"] if passages else 0
        return own + sum(heap_rows(child) for child in plan.get("Plans", []))

    assert heap_rows(words[0]) == 1  # the Zhotumovo passage, not the five other towns' look-alikes
    assert sum(map(heap_rows, words)) >= 6  # which the later, bounded statements still read
    # So does the figure query: the other towns' "250 people" come only after those naming Zhotumovo.
    plans = explain_retrieval(
        PassageQuery(RARE_TOWN_CLAIM, figures=("250",), limit=40), "EXPLAIN (ANALYZE, FORMAT JSON)"
    )
    figures = [rows[0][0][0]["Plan"] for sql, rows in plans if channel_of(sql) == "figures"]
    assert [heap_rows(plan) for plan in figures] == [0, 5]


def test_the_terms_of_a_claim_group_a_countrys_names_and_the_nouns_for_what_it_counts() -> None:
    terms = query_term_groups("North Korean troops joined 1,200 soldiers Pyongyang sent earlier.", limit=20)
    written = [term.written for term in terms]
    # One term for the country, however it is named; "troops" counts nothing here, "soldiers" does.
    assert written == [("North", "Korean"), ("troops",), ("joined",), ("200",), ("soldiers",), ("sent",), ("earlier",)]
    country, troops, soldiers = terms[0], terms[1], terms[4]
    assert {("Pyongyang",), ("DPRK",), ("North", "Korea")} <= set(country.others)
    assert troops.others == ()
    assert {("men",), ("troops",), ("personnel",)} <= set(soldiers.others)
    assert ("soldier",) not in soldiers.others  # the same stem as the claim's word


def test_a_countrys_forms_are_its_names_not_its_subdivisions() -> None:
    # A passage about Texas is not about the United States' deeds; the White House speaks for them.
    assert {"United States", "American", "White House", "Pentagon"} <= set(place_forms("USA"))
    assert "Texas" not in place_forms("USA")
    assert {"Kyiv", "Kiev", "Ukrainian"} <= set(place_forms("UKR"))


def test_forms_no_passage_holds_are_dropped_but_never_the_claims_own() -> None:
    term = QueryTerm(("Zorvath",), (("Pyongyang",), ("DPRK",)))
    frequency = dict.fromkeys(content_stems("Pyongyang"), 3)
    assert forms_in_corpus(term, frequency) == QueryTerm(("Zorvath",), (("Pyongyang",),))


def test_at_least_holds_exactly_for_documents_with_that_many_of_the_terms() -> None:
    words = ["alpha", "bravo", "charlie", "delta", "echo"]
    held = [" ".join(chosen) for size in range(len(words) + 1) for chosen in combinations(words, size)]
    with connection.cursor() as cursor:
        for count in (1, 2, 3, 5):
            cursor.execute(
                "SELECT text, to_tsvector('english', text) @@ to_tsquery('english', %s) "
                "FROM unnest(%s::text[]) AS text",
                [at_least(count, words), held],
            )
            assert {text: bool(matched) for text, matched in cursor.fetchall()} == {
                text: len(text.split()) >= count for text in held
            }


def test_one_country_named_twice_is_one_of_the_terms_a_tier_needs() -> None:
    country, soldiers = query_term_groups("Pyongyang sent 900 soldiers.", limit=5)[0::3]
    two_terms = at_least(2, [tsquery_term(country), tsquery_term(soldiers)])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('english', %s) @@ to_tsquery('english', %s), "
            "to_tsvector('english', %s) @@ to_tsquery('english', %s)",
            ["North Korea and the DPRK", two_terms, "North Korean personnel", two_terms],
        )
        assert cursor.fetchone() == (False, True)


@pytest.mark.parametrize("backend_name", sorted(BACKENDS))
def test_a_check_sees_the_figure_another_outlet_gives_under_other_names(
    backend_name, settings, border_passages
) -> None:
    settings.FACTCHECK_SEARCH_BACKEND = backend_name
    settings.FACTCHECK_CHECK_CANDIDATES = 2
    result = crosscheck(text_scope(BORDER_CLAIM)).result
    assert result.assessment in ("conflicting", "contradicted")
    assert [origin.outlets for origin in result.conflicting] == [("harbour",)]

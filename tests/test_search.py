"""One contract, every search backend: PostgreSQL full-text and the Python fallback."""

import pytest

from factcheck.models import Claim, OriginCluster, Outlet, Passage, Source
from factcheck.search import BACKENDS, PassageQuery, get_search_backend, query_terms, rare_query_terms
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


def test_auto_picks_postgresql_search_on_postgresql(settings) -> None:
    settings.FACTCHECK_SEARCH_BACKEND = "auto"
    assert type(get_search_backend()).__name__ == "PostgresSearch"
    settings.FACTCHECK_SEARCH_BACKEND = "fallback"
    assert type(get_search_backend()).__name__ == "FallbackSearch"


def test_query_terms_keep_only_letters_and_digits() -> None:
    assert query_terms("The 'missile' | struck!! 12 o'clock, 155 killed") == [
        "missile",
        "struck",
        "clock",
        "155",
        "killed",
    ]


# --- Passages: the candidates of a cross-source check -------------------------------------------


@pytest.fixture
def passages() -> dict[str, Passage]:
    """Three outlets' passages; the capture story appears in all three, worded differently."""
    texts = {
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


def test_rare_query_terms_drop_the_words_most_passages_carry(passages) -> None:
    # "Lestovian" is in three passages, the other words in at most one; nine words, eight kept.
    text = "Lestovian valley weather harvest heavy rain festival crowds expected"
    assert rare_query_terms(text) == ["valley", "weather", "harvest", "heavy", "rain", "festival", "crowds", "expected"]

"""One contract, every search backend: PostgreSQL full-text and the Python fallback."""

import pytest

from factcheck.models import Claim
from factcheck.search import BACKENDS, get_search_backend, query_terms

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
    assert query_terms("The 'missile' | struck!! 12 o'clock") == ["missile", "struck", "oclock"]

import pytest

from factcheck.crosscheck.independence import independent_origins, origin_groups

CASES = [
    ([], 0),
    ([("a", 1)], 1),
    ([("a", 1), ("b", 2), ("c", 3)], 3),
    ([("a", 1), ("b", 1)], 1),  # b republished a's story
    ([("a", 1), ("a", 2)], 1),  # one outlet twice
    ([("a", 1), ("b", 1), ("b", 2), ("c", 3)], 2),  # dependence is transitive
    ([("a", None), ("b", None)], 2),  # unclustered sources stand alone
]


@pytest.mark.parametrize(("sources", "expected"), CASES)
def test_it_counts_connected_groups_of_outlets_and_copies(sources, expected) -> None:
    assert independent_origins(sources) == expected


def test_it_numbers_each_sources_group_in_order_of_first_appearance() -> None:
    sources = [("a", 1), ("c", 3), ("b", 1), ("b", 2), ("d", None), ("e", None)]
    assert origin_groups(sources) == [0, 1, 0, 0, 2, 3]


def test_outlets_that_vouch_on_one_named_sources_authority_are_one_origin() -> None:
    sources = [("a", 1), ("b", 2), ("c", 3), ("d", 4)]
    assert origin_groups(sources, vouched_by=["ministry", "ministry", None, "army"]) == [0, 0, 1, 2]
    assert origin_groups(sources) == [0, 1, 2, 3]

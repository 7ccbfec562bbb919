"""How the training data are split into folds: by story, so a held-out article's story is new."""

from training.datasets import stories


def test_bodies_related_to_one_headline_are_one_story_and_an_unrelated_pairing_joins_nothing() -> None:
    rows = [
        ("Dam breaks upstream", "b1", "supports"),
        ("Dam breaks upstream", "b2", "mentions"),
        ("Engineers warned of dam cracks", "b2", "conflicts"),
        ("Engineers warned of dam cracks", "b3", "mentions"),
        ("Comet seen over the coast", "b4", "supports"),
        ("Comet seen over the coast", "b1", "unrelated"),
    ]
    story = stories(rows)
    assert story["b1"] == story["b2"] == story["b3"]  # linked through two headlines
    assert story["b4"] != story["b1"]  # the unrelated pairing does not merge the comet into the dam


def test_a_body_with_only_unrelated_headlines_is_a_story_of_its_own() -> None:
    story = stories([("Dam breaks", "b1", "supports"), ("Dam breaks", "b2", "unrelated")])
    assert story["b2"] != story["b1"]
    assert set(story) == {"b1", "b2"}

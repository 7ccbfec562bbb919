"""Copy detection with MinHash and LSH bands: pure, no database."""

from factcheck.crosscheck.copies import BANDS, band_keys, estimated_similarity, signature

WIRE_STORY = (
    "Lestovian troops have captured two Qareshi nationals who were fighting in the ranks of the Korvan army in "
    "the eastern Dalmir region, President Teodor Malesh said on Tuesday. Malesh said the men were carrying "
    "Qareshi passports, bank cards and a service contract issued by the Korvan defence ministry. The State "
    "Security Service was questioning both prisoners and checking the documents, he said in a video address. "
    "Qaresh, which has close trade ties with Korva, says it is neutral in the war. There was no comment from Drazhin."
)
LIGHT_EDIT = (
    WIRE_STORY.replace("troops", "soldiers")
    .replace("checking", "verifying")
    .replace(" There was no comment from Drazhin.", "")
    + " A vigil for the region's missing soldiers was held in Marovka on Tuesday evening."
)
OTHER_STORY = (
    "A Korvan missile struck the main railway station in the Lestovian city of Ostrel early on Wednesday and "
    "killed 12 people, regional governor Marta Sedlak said. Another 41 people were taken to hospital. The missile "
    "hit the station concourse shortly before 8 a.m., as passengers were boarding a morning commuter service."
)


def test_a_lightly_edited_copy_is_near_duplicate() -> None:
    assert estimated_similarity(signature(WIRE_STORY), signature(LIGHT_EDIT)) >= 0.5


def test_a_different_story_on_the_same_war_is_not() -> None:
    assert estimated_similarity(signature(WIRE_STORY), signature(OTHER_STORY)) < 0.1


def test_copies_share_band_keys_and_different_stories_do_not() -> None:
    original = set(band_keys(signature(WIRE_STORY)))
    assert len(original) == BANDS
    assert original & set(band_keys(signature(LIGHT_EDIT)))
    assert not original & set(band_keys(signature(OTHER_STORY)))


def test_signatures_are_stable_across_calls_so_they_can_be_stored() -> None:
    assert signature(WIRE_STORY) == signature(WIRE_STORY)
    assert all(isinstance(value, int) for value in signature(WIRE_STORY))


def test_a_text_shorter_than_a_shingle_still_has_a_signature() -> None:
    assert estimated_similarity(signature("Two men held."), signature("Two men held.")) == 1.0

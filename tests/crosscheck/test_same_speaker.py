"""Whether a passage's speaker is a claim's claimant: pure, no database."""

import pytest

from factcheck.crosscheck.claims import same_speaker


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Norland Freight, operator", "Norland Freight", True),  # the role after the name is not the name
        ("Norland Freight, operator", "Kell Marine, operator", False),
        ("Malesh", "Teodor Malesh", True),
        ("", "Teodor Malesh", True),
    ],
)
def test_a_speaker_is_compared_by_name_not_by_the_role_after_it(a: str, b: str, same: bool) -> None:
    assert same_speaker(a, b) is same

"""If-Match errors tell the client what to do, without an ETag it could paste blindly."""

from __future__ import annotations

import re

import pytest
from rest_framework.exceptions import APIException
from rest_framework.test import APIRequestFactory

from factcheck.api.versioning import BadPrecondition, PreconditionRequired, expected_version

QUOTED_TAG = re.compile(r'"\d+"')


def patch_with(**headers: str) -> object:
    return APIRequestFactory().patch("/api/v1/claims/1/", headers=headers)


@pytest.mark.parametrize(
    ("headers", "error", "status"),
    [({}, PreconditionRequired, 428), ({"If-Match": "*"}, BadPrecondition, 412)],
)
def test_an_update_without_a_usable_if_match_names_no_example_etag(
    headers: dict[str, str], error: type[APIException], status: int
) -> None:
    with pytest.raises(error) as raised:
        expected_version(patch_with(**headers))

    detail = str(raised.value.detail)
    assert raised.value.status_code == status
    assert not QUOTED_TAG.search(detail), detail  # not another object's version to copy
    assert "ETag" in detail
    assert "If-Match" in detail


@pytest.mark.parametrize(("header", "version"), [('"7"', 7), ('W/"7"', 7), ('"12", "13"', 12)])
def test_it_reads_the_version_from_if_match(header: str, version: int) -> None:
    assert expected_version(patch_with(**{"If-Match": header})) == version

"""The engine's tests: the country gazetteer is read once, before any test measures its time."""

import pytest

from factcheck.crosscheck.names import load_names


@pytest.fixture(scope="session", autouse=True)
def _names_loaded() -> None:
    # Reading the data packages takes about a second once per process; the bounded-time tests
    # measure the parsing of hostile text, not that.
    load_names()

"""Memoising the engine's parsers. Pure: no Django import.

One check judges each of ~40 passages against the same claim wording, and extraction compares
every passage with up to ~180 stored wordings: the same texts are parsed again and again. The
parsers are pure and their results immutable (frozensets, tuples of frozen dataclasses, strings),
so they are memoised, bounded per process.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

# Distinct texts remembered per parser: a check reads ~40 passages, an extraction ~200 wordings;
# a few thousand short texts are a few MB.
PARSE_CACHE_SIZE = 4096

Result = TypeVar("Result")

_MEMOISED: list[Any] = []


def memoised(parse: Callable[[str], Result]) -> Callable[[str], Result]:
    memo = lru_cache(maxsize=PARSE_CACHE_SIZE)(parse)
    _MEMOISED.append(memo)
    return memo


def forget_parsed() -> None:
    """Empty every parser's memo (the check-latency benchmark does, before each claim)."""
    for memo in _MEMOISED:
        memo.cache_clear()


class _Clearable:
    def __init__(self, clear: Callable[[], None]) -> None:
        self.cache_clear = clear


def forgotten_with_the_rest(clear: Callable[[], None]) -> None:
    """Have ``forget_parsed`` empty another memo too (one that is not a one-text parser's)."""
    _MEMOISED.append(_Clearable(clear))

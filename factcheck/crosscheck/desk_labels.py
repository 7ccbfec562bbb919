"""The file of the desk's stance corrections: what ``manage.py export_stance_labels`` writes and
``python -m training.stance --desk-labels FILE`` reads. Pure: no Django import.

A CSV with a header row, one corrected passage a row: the claim and the passage as the reviewer read
them, the stance the reviewer gave (the engine's names: supports, conflicts, mentions, unrelated), the
stance the checker had given, and who corrected it when (kept for provenance, never trained on).
Rows are grouped by claim when the model is cross-validated, as Emergent's are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import TextIO

from factcheck.crosscheck.stance import CONFLICTS, MENTIONS, SUPPORTS, UNRELATED

STANCES = (SUPPORTS, CONFLICTS, MENTIONS, UNRELATED)


class DeskLabelError(ValueError):
    """A file that is not a desk label file, or a row that is not a label; the message says where."""


@dataclass(frozen=True)
class DeskLabel:
    claim_id: str
    claim: str
    passage_id: str
    passage: str
    stance: str  # the reviewer's
    machine_stance: str  # the checker's, which the reviewer corrected
    corrected_by: str
    corrected_at: str  # ISO 8601


COLUMNS = tuple(f.name for f in fields(DeskLabel))


def write_desk_labels(labels: Iterable[DeskLabel], out: TextIO) -> int:
    """Write the labels as CSV with a header; returns how many rows."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for label in labels:
        writer.writerow(astuple(label))
        count += 1
    return count


def read_desk_labels(path: Path) -> Iterator[DeskLabel]:
    """The labels of a file written by ``write_desk_labels``; a bad header or stance is an error
    naming the file and row (nothing silently skipped: a label is a reviewer's work)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise DeskLabelError(f"{path}: not a desk label file (no {', '.join(sorted(missing))} column)")
        for number, row in enumerate(reader, start=2):
            label = DeskLabel(**{name: row[name] or "" for name in COLUMNS})
            if label.stance not in STANCES:
                raise DeskLabelError(
                    f"{path}, row {number}: stance {label.stance!r} is not one of {', '.join(STANCES)}"
                )
            if not label.claim.strip() or not label.passage.strip():
                raise DeskLabelError(f"{path}, row {number}: a label needs its claim and its passage")
            yield label

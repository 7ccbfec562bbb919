"""Change history as people read it: who (a person, or the system), when, why, and each
changed field with its old and new value in words: a state's label rather than its code,
a person's name rather than a user id, cited evidence by outlet and stance rather than
through-table rows.

The read side of simple-history's records, shared by the API (GET /claims/{id}/history/),
the reviewer's workspace and the admin's history pages. Nothing here writes: history is for
reading, never for reverting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from factcheck.crosscheck.reasons import reason_in_words, stance_in_words
from factcheck.models import Evidence

KINDS = {"+": "created", "~": "changed", "-": "deleted"}
# Bookkeeping, not content: bumped on every save, or set by the drafting service alongside.
HIDDEN_FIELDS = ["version", "contributors"]


def history_changes(history: Iterable[Any]) -> list[dict[str, Any]]:
    """simple-history records, newest first, each with the fields it changed (old → new),
    every value in words. ``by`` is the person's username, or None for the system."""
    records = list(history)
    deltas = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = record.diff_against(previous, excluded_fields=HIDDEN_FIELDS).changes if previous else []
        deltas.append((record, changes))
    words = _Words.for_changes([change for _, changes in deltas for change in changes])
    return [
        {
            "at": record.history_date,
            "by": record.history_user.get_username() if record.history_user_id else None,
            "kind": KINDS[record.history_type],
            "reason": record.history_change_reason or "",
            "version": getattr(record, "version", None),
            "changes": [
                {
                    "field": change.field,
                    "label": _field_label(record, change.field),
                    "old": words.of(record, change.field, change.old),
                    "new": words.of(record, change.field, change.new),
                }
                for change in changes
            ],
        }
        for record, changes in deltas
    ]


def _field_label(record: Any, name: str) -> str:
    return str(record.instance_type._meta.get_field(name).verbose_name)


class _Words:
    """Turns stored values into words, loading the users and evidence named in one query each."""

    def __init__(self, users: dict[int, str], evidence: dict[int, str]) -> None:
        self.users = users
        self.evidence = evidence

    @classmethod
    def for_changes(cls, changes: list[Any]) -> _Words:
        user_ids: set[int] = set()
        evidence_ids: set[int] = set()
        for change in changes:
            for value in (change.old, change.new):
                if isinstance(value, list):
                    evidence_ids.update(row["evidence"] for row in value if isinstance(row, dict) and "evidence" in row)
                elif change.field in ("author", "approved_by", "assignee") and isinstance(value, int):
                    user_ids.add(value)
        users = {user.pk: user.get_username() for user in get_user_model().objects.filter(pk__in=user_ids)}
        rows = Evidence.objects.filter(pk__in=evidence_ids).select_related("passage__source__outlet")
        evidence = {
            e.pk: f"{e.passage.source.outlet.name}: {stance_in_words(e.stance)}, {reason_in_words(e.reason, e.details)}"
            for e in rows
        }
        return cls(users, evidence)

    def of(self, record: Any, name: str, value: Any) -> Any:
        if value is None or value == "":
            return None
        field = record.instance_type._meta.get_field(name)
        if isinstance(value, list):  # many-to-many: the through rows
            return sorted(self.evidence.get(row.get("evidence"), f"evidence {row.get('evidence')}") for row in value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.BooleanField):
            return "yes" if value else "no"
        if isinstance(field, models.ForeignKey):
            return self._related(field, value)
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        return value

    def _related(self, field: models.ForeignKey[Any, Any], pk: Any) -> str:
        if field.related_model is get_user_model():
            return self.users.get(pk, f"user {pk} (deleted)")
        related = field.related_model._default_manager.filter(pk=pk).first()  # type: ignore[union-attr]
        return str(related) if related is not None else f"{field.verbose_name} {pk} (deleted)"

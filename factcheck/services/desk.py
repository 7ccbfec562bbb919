"""The desk's own settings: each reviewer's saved views of the claim list."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import QueryDict

from factcheck.models import SavedClaimFilter

MAX_SAVED_FILTERS = 50
# What the change list's query string carries that is not a filter: the page, and the admin's own
# state for popups and errors. A saved view opens at its first page.
NOT_FILTERS = frozenset({"p", "e", "_popup", "_to_field", "_changelist_filters"})


class SavedFilterError(ValueError):
    """A view that cannot be saved as asked; the message says why."""


def filter_query(query: str) -> str:
    """The filters of a change-list query string, re-encoded (what is stored, and opened again)."""
    parsed = QueryDict(query.lstrip("?"), mutable=True)
    for key in NOT_FILTERS & set(parsed):
        del parsed[key]
    return parsed.urlencode()


def saved_filter_save(*, user: Any, name: str, query: str) -> SavedClaimFilter:
    """Save the claim list's current filters under a name (saving a name again replaces its filters)."""
    name = " ".join(name.split())
    if not name:
        raise SavedFilterError("give the view a name")
    if len(name) > SavedClaimFilter._meta.get_field("name").max_length:  # type: ignore[operator]
        raise SavedFilterError("a view's name is at most 80 characters")
    filters = filter_query(query)
    if not filters:
        raise SavedFilterError("choose some filters first: the unfiltered list needs no saving")
    if len(filters) > SavedClaimFilter._meta.get_field("query").max_length:  # type: ignore[operator]
        raise SavedFilterError("these filters are too long to save")
    with transaction.atomic():
        saved = SavedClaimFilter.objects.select_for_update().filter(user=user, name=name).first()
        if saved is None and SavedClaimFilter.objects.filter(user=user).count() >= MAX_SAVED_FILTERS:
            raise SavedFilterError(f"you have {MAX_SAVED_FILTERS} saved views: delete one first")
        if saved is None:
            try:
                with transaction.atomic():
                    return SavedClaimFilter.objects.create(user=user, name=name, query=filters)
            except IntegrityError:  # the same name saved at the same moment, in another tab
                raise SavedFilterError("a view of that name was saved just now: save again to replace it") from None
        saved.query = filters
        saved.save(update_fields=["query"])
        return saved


def saved_filter_delete(*, user: Any, filter_id: int) -> bool:
    """Delete one of the user's own saved views; False when they have none of that id."""
    deleted, _ = SavedClaimFilter.objects.filter(user=user, pk=filter_id).delete()
    return bool(deleted)

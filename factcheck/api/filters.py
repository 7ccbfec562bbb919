"""The API's filter sets refuse a filter value they cannot use (a 400), where django-filter would
drop the filter and answer with everything; an empty value still means "no filter"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter

from factcheck import selectors
from factcheck.api.serializers import MAX_ID


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, turned to UTC before the database sees it.

    Python accepts UTC offsets up to ±23:59 and PostgreSQL only up to ±15:59, so
    ``created_after=2000-01-01T00:00:00-17:38`` failed the query with a 500; in UTC it is an
    ordinary instant. One that leaves the calendar in UTC (year 1 minus an offset) is invalid.
    """

    def to_python(self, value: Any) -> dt.datetime | None:
        parsed: dt.datetime | None = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        try:
            return parsed.astimezone(dt.UTC)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """A database id: a whole number from 1 that a bigint column holds. Anything else (``0``,
    ``1e309``, 400 digits) is a 400 from the form, never a query that overflows."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)

    def get_max_validator(self) -> MaxValueValidator:
        return MaxValueValidator(MAX_ID)


class StrictBooleanField(forms.Field):
    """true or false (any case); django-filter's reads ``?is_stale=maybe`` as no filter at all."""

    def to_python(self, value: Any) -> bool | None:
        text = str(value).lower() if value is not None else ""
        if text == "":
            return None
        if text in ("true", "false"):
            return text == "true"
        raise ValidationError("true or false", code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)  # hands the field the text as sent
        super().__init__(*args, **kwargs)


class ApiFilterSet(filters.FilterSet):
    """The base of the API's filter sets: generated filters of boolean fields are strict too."""

    FILTER_DEFAULTS = {**filters.FilterSet.FILTER_DEFAULTS, models.BooleanField: {"filter_class": StrictBooleanFilter}}


class QueueOrderingFilter(OrderingFilter):
    """The claim list's ``ordering``, each term read as the full key of its index
    (``selectors.queue_order``: ``appearance_count`` is ``appearance_count, id``), so that pages
    are stable among equal values and the database reads them from the index, in order."""

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> list[str] | None:
        terms = super().get_ordering(request, queryset, view)
        if not terms:
            return terms
        columns: list[str] = []
        for term in terms:
            for column in selectors.queue_order(term):
                if column.removeprefix("-") not in {c.removeprefix("-") for c in columns}:
                    columns.append(column)
        return columns

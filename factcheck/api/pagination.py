"""Page-number pagination that refuses a page size it cannot use and counts at most what it needs."""

from __future__ import annotations

import functools
import re
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

WHOLE_NUMBER = re.compile(r"[0-9]+")

# Rows counted at most for a list's "count" (more when the page asked for lies further): a
# full COUNT of a 300k-claim queue took as long as the rest of the request, on every page.
COUNT_LIMIT = 10_000


class CappedCountPaginator(Paginator):
    """A paginator whose ``count`` stops at ``count_limit``: ``capped`` says there are more.

    Counting the first ``count_limit + 1`` rows costs that many rows whatever the table's size;
    a page up to ``count_limit`` rows in is numbered, linked and found as before. Also the admin's
    (``ModelAdmin.paginator``), whose signature this keeps."""

    count_limit = COUNT_LIMIT

    def __init__(self, object_list: Any, per_page: int, *args: Any, count_limit: int | None = None, **kwargs: Any):
        super().__init__(object_list, per_page, *args, **kwargs)
        if count_limit is not None:
            self.count_limit = count_limit

    @cached_property
    def _counted(self) -> int:
        # Any count_limit + 1 rows will do: no ORDER BY, so the database stops at the first it finds.
        rows = self.object_list
        if isinstance(rows, QuerySet):
            return rows.order_by()[: self.count_limit + 1].count()
        return len(rows[: self.count_limit + 1])

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.count_limit)

    @property
    def capped(self) -> bool:
        return self._counted > self.count_limit


class Pagination(PageNumberPagination):
    """``page_size`` is a whole number from 1 (over ``max_page_size`` gives ``max_page_size``);
    anything else is a 400, where DRF would silently use the default size. Empty means absent."""

    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = CappedCountPaginator

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return int(self.page_size)
        # re, not str.isdigit: isdigit takes "²" and other digits int() refuses.
        if not WHOLE_NUMBER.fullmatch(raw) or int(raw) < 1:
            raise ValidationError({self.page_size_query_param: ["a whole number from 1"]})
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        # Count far enough to know whether a page follows the one asked for, however deep.
        page = request.query_params.get(self.page_query_param, "")
        depth = int(page) * self.get_page_size(request) + 1 if WHOLE_NUMBER.fullmatch(page) and len(page) < 10 else 0
        self.django_paginator_class = functools.partial(  # type: ignore[assignment]
            CappedCountPaginator, count_limit=max(COUNT_LIMIT, depth)
        )
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.page.paginator.count,
                "count_capped": self.page.paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated: dict[str, Any] = super().get_paginated_response_schema(schema)
        properties = paginated["properties"]
        properties["count"]["description"] = (
            f"How many items match, counted up to {COUNT_LIMIT:,} (further when the page asked for lies further)."
        )
        properties["count_capped"] = {
            "type": "boolean",
            "description": "True when more items match than `count` says: narrow the filters, or follow `next`.",
        }
        paginated["required"] = ["count", "count_capped", "results"]
        return paginated

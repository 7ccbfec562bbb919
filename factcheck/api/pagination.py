"""Page-number pagination that refuses a page size it cannot use."""

from __future__ import annotations

import re
from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

WHOLE_NUMBER = re.compile(r"[0-9]+")


class Pagination(PageNumberPagination):
    """``page_size`` is a whole number from 1 (over ``max_page_size`` gives ``max_page_size``);
    anything else is a 400, where DRF would silently use the default size. Empty means absent."""

    page_size_query_param = "page_size"
    max_page_size = 200

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

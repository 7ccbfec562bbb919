"""API views: thin. They read through selectors, write through services, and translate
workflow errors into HTTP statuses; every list is paginated, filterable and orderable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, authentication_classes, permission_classes
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.filters import SearchFilter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from factcheck import exports, selectors
from factcheck.api import serializers as s
from factcheck.api.filters import ApiFilterSet, IdFilter, QueueOrderingFilter, UtcDateTimeFilter
from factcheck.api.pagination import Pagination
from factcheck.api.permissions import IsEditor, IsReviewer
from factcheck.api.public_cache import cached_page
from factcheck.api.schema import error_response
from factcheck.api.versioning import etag, expected_version, expected_version_if_given
from factcheck.claimreview import NotPublished, claim_review
from factcheck.documents import Document, DocumentError, parse_document
from factcheck.fetching import FetchRefused
from factcheck.history import history_changes
from factcheck.models import Claim, Feed, Source, SourceFetch, StanceCorrection, Verdict
from factcheck.replicas import read_from_replica
from factcheck.roles import can_review
from factcheck.services import feeds, reviews
from factcheck.services.checks import claim_check_request
from factcheck.services.claims import claim_submit
from factcheck.services.ingest import IngestRefused, Outcome, source_ingest
from factcheck.services.review_matches import ReviewMatchError, review_match_confirm, review_match_reject
from factcheck.services.source_fetches import UrlAlreadyStored, source_fetch_request

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    pattern=r'^(W/)?"[0-9]{1,18}"$',
    description='The ETag, e.g. "3".',
)
# Drafting overwrites nothing, so If-Match is optional there; sent, it is the claim's ETag.
IF_MATCH_CLAIM = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    pattern=r'^(W/)?"[0-9]{1,18}"$',
    description="Optional: the claim's ETag; the draft is refused (412) if the claim changed since.",
)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@authentication_classes([])
def api_not_found(request: Request) -> Response:
    raise NotFound(f"no API endpoint at {request.path}")


class WorkflowFailed(APIException):
    def __init__(self, error: reviews.WorkflowError) -> None:
        super().__init__(detail=error.message, code=error.code)
        self.status_code = error.status


def run_service(call: Any, **kwargs: Any) -> Any:
    try:
        return call(**kwargs)
    except reviews.WorkflowError as error:
        raise WorkflowFailed(error) from None


def with_etag(data: Any, version: int, code: int = status.HTTP_200_OK) -> Response:
    return Response(data, status=code, headers={"ETag": etag(version)})


# --- Exports -------------------------------------------------------------------------------------


class ExportNegotiation(DefaultContentNegotiation):
    """An export's ``format`` (csv or json) is its own parameter, read by the view: DRF would take
    it for a renderer's name and answer 404. Errors are JSON, as everywhere."""

    def select_renderer(self, request: Request, renderers: list[Any], format_suffix: str | None = None) -> Any:
        return renderers[0], renderers[0].media_type


EXPORT_FORMAT = OpenApiParameter(
    "format",
    str,
    OpenApiParameter.QUERY,
    enum=list(exports.FORMATS),
    default="csv",
    description="csv (a spreadsheet's rows) or json (an array of objects).",
)


def export_schema(export: exports.Export, description: str) -> Any:
    return extend_schema(
        description=description,
        parameters=[EXPORT_FORMAT],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="A CSV file, a header row first."),
            (200, "application/json"): OpenApiResponse(export.json_schema(), description="One object per row."),
        },
    )


def export_action() -> Any:
    return action(detail=False, methods=["get"], content_negotiation_class=ExportNegotiation)


def export_response(view: viewsets.GenericViewSet, export: exports.Export) -> StreamingHttpResponse:
    """The view's list, filtered, searched and ordered as its list is, whole, streamed as a file."""
    request = view.request
    file_format = request.query_params.get("format") or "csv"
    if file_format not in exports.FORMATS:
        raise ValidationError({"format": "csv or json"})
    queryset = view.filter_queryset(view.get_queryset())
    return exports.streaming_response(
        export, queryset, file_format=file_format, request=request, to_reviewer=can_review(request.user)
    )


class ReadersViewSet(viewsets.GenericViewSet):
    """A viewset whose ``replica_actions`` read from a replica when one is configured (factcheck/replicas.py).
    Authentication, permissions and throttling come first and read the primary: a revoked token is
    refused at once, whatever a replica has replayed."""

    replica_actions: tuple[str, ...] = ()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.action in self.replica_actions:
            read_from_replica(request.user)


# --- Claims ------------------------------------------------------------------------------------


class ClaimFilter(ApiFilterSet):
    outlet = filters.CharFilter(field_name="appearances__source__outlet__name", distinct=True)
    assignee = filters.CharFilter(method="filter_assignee", help_text='A username, "me" or "none".')
    checked_elsewhere = filters.ChoiceFilter(
        choices=[("pending", "pending"), ("linked", "linked")],
        method="filter_checked_elsewhere",
        help_text="Claims another desk's fact-check may cover: waiting for a reviewer, or linked.",
    )
    created_after = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Claim
        fields = ["status", "assessment", "has_new_evidence"]

    def filter_checked_elsewhere(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        if not can_review(self.request.user):  # the desk's matching is the desk's
            raise PermissionDenied("Only reviewers and editors may filter by checked_elsewhere.")
        return selectors.claims_checked_elsewhere(queryset, value)

    def filter_assignee(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        return queryset.filter(assignee__username=value)


# Ids are database integers: anything else is a 404 before the database sees it (a 30-digit
# number would overflow bigint and fail the query).
ID = r"[0-9]{1,18}"


class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ReadersViewSet):
    """The claim queue. Reviewers see every open claim, most urgent first; readers see only
    claims with a published verdict."""

    replica_actions = ("list", "retrieve")

    serializer_class = s.ClaimSerializer
    lookup_value_regex = ID
    pagination_class = Pagination
    filterset_class = ClaimFilter
    filter_backends = [filters.DjangoFilterBackend, QueueOrderingFilter, SearchFilter]
    ordering_fields = list(selectors.QUEUE_ORDERINGS)
    search_fields = ["text", "claimant"]

    def get_queryset(self) -> QuerySet[Claim]:
        return selectors.claim_queue(public_only=not can_review(self.request.user))

    def get_permissions(self) -> list[Any]:
        if self.action in ("list", "retrieve", "export"):
            return [IsAuthenticated()]
        return [IsAuthenticated(), IsReviewer()]

    @export_schema(
        exports.CLAIMS,
        "The claim queue as a file: every claim the list shows with the same filters, search and "
        "ordering (readers: the claims with a published verdict), streamed.",
    )
    @export_action()
    def export(self, request: Request) -> StreamingHttpResponse:
        return export_response(self, exports.CLAIMS)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        claim = self.get_object()
        return with_etag(self.get_serializer(claim).data, claim.version)

    @extend_schema(request=s.ClaimCreateSerializer, responses={201: s.ClaimSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.ClaimCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = claim_submit(text=data.validated_data["text"], claimant=data.validated_data.get("claimant"))
        claim_check_request(claim_id=claim.pk)
        return self._claim_response(claim.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.ClaimUpdateSerializer, parameters=[IF_MATCH], responses=s.ClaimSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        claim = self.get_object()
        data = s.ClaimUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        run_service(
            reviews.claim_update,
            claim_id=claim.pk,
            expected_version=expected_version(request),
            by=request.user,
            changes=dict(data.validated_data),
        )
        return self._claim_response(claim.pk)

    @extend_schema(request=s.CheckRequestSerializer, responses={202: s.CheckRunSerializer})
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: str | None = None) -> Response:
        """Queue a cross-source check now (one waits per claim: asking again returns it), of the
        passages published near the claim's date, or of the whole archive."""
        claim = self.get_object()
        data = s.CheckRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run_id = claim_check_request(claim_id=claim.pk, whole_archive=data.validated_data["whole_archive"])
        if run_id is None:
            raise WorkflowFailed(reviews.WorkflowError("archived or merged claims are not checked"))
        run = claim.check_runs.get(pk=run_id)
        return Response(s.CheckRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    # filter_backends=[]: the claim list's filters, search and ordering are not this list's.
    @extend_schema(responses=s.EvidenceSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        """The evidence of the latest finished check, strongest first."""
        claim = self.get_object()
        run = selectors.latest_check(claim)
        evidence = selectors.check_run_evidence(run) if run else selectors.no_evidence()
        page = self.paginate_queryset(evidence)
        return self.get_paginated_response(s.EvidenceSerializer(page, many=True).data)

    @extend_schema(responses=s.CheckRunSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def checks(self, request: Request, pk: str | None = None) -> Response:
        page = self.paginate_queryset(self.get_object().check_runs.order_by("-queued_at", "-id"))
        return self.get_paginated_response(s.CheckRunSerializer(page, many=True).data)

    @extend_schema(request=s.AssignSerializer, parameters=[IF_MATCH], responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        """Assign to a reviewer by username, take it ("me"), or unassign (null)."""
        claim = self.get_object()
        data = s.AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run_service(
            reviews.claim_assign,
            claim_id=claim.pk,
            expected_version=expected_version(request),
            by=request.user,
            assignee=self._user(data.validated_data["assignee"]),
        )
        return self._claim_response(claim.pk)

    @extend_schema(responses=s.HistorySerializer)
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        """Every change of the claim and of its verdicts: who, when, old value, new value."""
        claim = self.get_object()
        verdicts = {v.pk: history_changes(v.history.all()) for v in claim.verdicts.all()}
        return Response({"claim": history_changes(claim.history.all()), "verdicts": verdicts})

    @extend_schema(request=s.VerdictDraftSerializer, parameters=[IF_MATCH_CLAIM], responses={201: s.VerdictSerializer})
    @action(detail=True, methods=["post"])
    def verdicts(self, request: Request, pk: str | None = None) -> Response:
        """Draft a verdict: a rating from the scale, a summary and the evidence it cites."""
        claim = self.get_object()
        data = s.VerdictDraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        verdict = run_service(
            reviews.verdict_draft,
            claim_id=claim.pk,
            by=request.user,
            rating_id=data.validated_data["rating"].pk,
            summary=data.validated_data["summary"],
            cited_evidence_ids=data.validated_data["cited_evidence"],
            # Optional here (a draft overwrites nothing), but a client that sends the claim's ETag
            # is told (412) if the wording it rates changed since it read it.
            expected_claim_version=expected_version_if_given(request),
        )
        verdict = selectors.verdicts_for_api(public_only=False).get(pk=verdict.pk)
        context = self.get_serializer_context()
        return with_etag(s.VerdictSerializer(verdict, context=context).data, verdict.version, status.HTTP_201_CREATED)

    @extend_schema(responses=s.AlreadyCheckedSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="already-checked", filter_backends=[], pagination_class=None)
    def already_checked(self, request: Request, pk: str | None = None) -> Response:
        """Fact-checks that may cover the claim, best match first: other desks' (imported; pending or
        confirmed) and ours (a published claim the matcher thinks states the same fact)."""
        claim = self.get_object()
        return Response(s.AlreadyCheckedSerializer(selectors.already_checked(claim), many=True).data)

    @extend_schema(request=None, responses=s.AlreadyCheckedSerializer(many=True))
    @action(
        detail=True,
        methods=["post"],
        url_path=rf"already-checked/(?P<match_id>{ID})/(?P<decision>confirm|reject)",
        filter_backends=[],
        pagination_class=None,
    )
    def decide_already_checked(
        self, request: Request, pk: str | None = None, match_id: str = "", decision: str = ""
    ) -> Response:
        """Confirm (link) or reject another desk's fact-check as covering the claim; nothing of it
        is copied into our verdict. (Ours are decided as claim suggestions are, on the review page.)"""
        claim = self.get_object()
        decide = review_match_confirm if decision == "confirm" else review_match_reject
        try:
            decide(match_id=int(match_id), claim_id=claim.pk, decided_by=request.user)
        except ReviewMatchError as error:
            raise WorkflowFailed(reviews.WorkflowError(str(error))) from None
        return Response(s.AlreadyCheckedSerializer(selectors.already_checked(claim), many=True).data)

    def _claim_response(self, claim_id: int, code: int = status.HTTP_200_OK) -> Response:
        claim = selectors.claim_queue(public_only=False).get(pk=claim_id)
        return with_etag(s.ClaimSerializer(claim, context=self.get_serializer_context()).data, claim.version, code)

    def _user(self, name: str | None) -> Any:
        if name is None:
            return None
        if name == "me":
            return self.request.user
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise ValidationError({"assignee": f"no active user {name!r}"})
        return user


# --- Verdicts ----------------------------------------------------------------------------------


class VerdictFilter(ApiFilterSet):
    published_after = UtcDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UtcDateTimeFilter(field_name="published_at", lookup_expr="lt")
    # By id, as the schema says: an unknown claim gives an empty list, not a 400.
    claim = IdFilter(field_name="claim_id")
    rating = filters.CharFilter(field_name="rating__slug")

    class Meta:
        model = Verdict
        fields = ["status", "claim", "is_stale"]


class VerdictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadersViewSet):
    """Verdicts. Readers see those on record (published, corrected, and retracted ones as retracted);
    reviewers see drafts too. ClaimReview is served for published and corrected ones only."""

    replica_actions = ("list", "retrieve", "claimreview")

    serializer_class = s.VerdictSerializer
    lookup_value_regex = ID
    pagination_class = Pagination
    filterset_class = VerdictFilter
    ordering_fields = ["published_at", "created_at", "updated_at"]
    search_fields = ["claim__text", "summary"]

    def get_queryset(self) -> QuerySet[Verdict]:
        public_only = not can_review(self.request.user)
        if self.action == "claimreview":
            return selectors.verdicts_for_claimreview(public_only=public_only)
        return selectors.verdicts_for_api(public_only=public_only)

    def get_permissions(self) -> list[Any]:
        if self.action in ("list", "retrieve", "claimreview", "export"):
            return [IsAuthenticated()]
        if self.action in ("publish", "correct", "retract", "confirm_correction", "withdraw_correction"):
            return [IsAuthenticated(), IsEditor()]
        return [IsAuthenticated(), IsReviewer()]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._for_readers(lambda: super(VerdictViewSet, self).list(request, *args, **kwargs))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def build() -> Response:
            verdict = self.get_object()
            return with_etag(self.get_serializer(verdict).data, verdict.version)

        return self._for_readers(build)

    @export_schema(
        exports.VERDICTS,
        "The verdicts as a file, with the list's filters, search and ordering (readers: those on "
        "record), each with its claim, the articles it appeared in and how much evidence it cites; streamed.",
    )
    @export_action()
    def export(self, request: Request) -> StreamingHttpResponse:
        return export_response(self, exports.VERDICTS)

    def _for_readers(self, build: Callable[[], Response]) -> Response:
        """Readers all see the same published verdicts: their pages come from the cache."""
        return build() if can_review(self.request.user) else cached_page(self.request, build)

    @extend_schema(request=s.VerdictUpdateSerializer, parameters=[IF_MATCH], responses=s.VerdictSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        verdict = self.get_object()
        data = s.VerdictUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        rating = data.validated_data.get("rating")
        run_service(
            reviews.verdict_update,
            verdict_id=verdict.pk,
            expected_version=expected_version(request),
            by=request.user,
            rating_id=rating.pk if rating else None,
            summary=data.validated_data.get("summary"),
            cited_evidence_ids=data.validated_data.get("cited_evidence"),
        )
        return self._verdict_response(verdict.pk)

    @extend_schema(request=None, parameters=[IF_MATCH], responses=s.VerdictSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Approve and publish (an editor; not the verdict's author while four-eyes is on)."""
        verdict = self.get_object()
        run_service(
            reviews.verdict_publish, verdict_id=verdict.pk, expected_version=expected_version(request), by=request.user
        )
        return self._verdict_response(verdict.pk)

    @extend_schema(
        request=s.CorrectionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.VerdictSerializer, 202: s.VerdictSerializer},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str | None = None) -> Response:
        verdict = self.get_object()
        data = s.CorrectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = data.validated_data.get("rating")
        corrected = run_service(
            reviews.verdict_correct,
            verdict_id=verdict.pk,
            expected_version=expected_version(request),
            by=request.user,
            correction_note=data.validated_data["correction_note"],
            rating_id=rating.pk if rating else None,
            summary=data.validated_data.get("summary"),
            claim_changes=data.claim_changes(),
        )
        # A rating change waits for a second editor (four-eyes): accepted, not yet applied.
        proposed = corrected.proposed_correction is not None
        return self._verdict_response(verdict.pk, status.HTTP_202_ACCEPTED if proposed else status.HTTP_200_OK)

    @extend_schema(request=None, parameters=[IF_MATCH], responses=s.VerdictSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-correction")
    def confirm_correction(self, request: Request, pk: str | None = None) -> Response:
        """Confirm another editor's proposed rating correction, which is then published."""
        verdict = self.get_object()
        run_service(
            reviews.verdict_correction_confirm,
            verdict_id=verdict.pk,
            expected_version=expected_version(request),
            by=request.user,
        )
        return self._verdict_response(verdict.pk)

    @extend_schema(request=None, parameters=[IF_MATCH], responses=s.VerdictSerializer)
    @action(detail=True, methods=["post"], url_path="withdraw-correction")
    def withdraw_correction(self, request: Request, pk: str | None = None) -> Response:
        """Drop a proposed rating correction: the public verdict stays as it is."""
        verdict = self.get_object()
        run_service(
            reviews.verdict_correction_withdraw,
            verdict_id=verdict.pk,
            expected_version=expected_version(request),
            by=request.user,
        )
        return self._verdict_response(verdict.pk)

    @extend_schema(request=s.RetractionSerializer, parameters=[IF_MATCH], responses=s.VerdictSerializer)
    @action(detail=True, methods=["post"])
    def retract(self, request: Request, pk: str | None = None) -> Response:
        verdict = self.get_object()
        data = s.RetractionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run_service(
            reviews.verdict_retract,
            verdict_id=verdict.pk,
            expected_version=expected_version(request),
            by=request.user,
            note=data.validated_data["note"],
        )
        return self._verdict_response(verdict.pk)

    @extend_schema(responses={(200, "application/ld+json"): dict})
    @action(detail=True, methods=["get"])
    def claimreview(self, request: Request, pk: str | None = None) -> Response:
        """The schema.org ClaimReview (JSON-LD) of a published verdict."""

        def build() -> Response:
            verdict = self.get_object()
            try:
                data = claim_review(verdict)
            except NotPublished as error:
                raise NotFound(str(error)) from None
            return Response(data, content_type="application/ld+json")

        return self._for_readers(build)

    def _verdict_response(self, verdict_id: int, code: int = status.HTTP_200_OK) -> Response:
        verdict = selectors.verdicts_for_api(public_only=False).get(pk=verdict_id)
        return with_etag(self.get_serializer(verdict).data, verdict.version, code)


# --- Stance corrections --------------------------------------------------------------------------


class StanceCorrectionFilter(ApiFilterSet):
    corrected_after = UtcDateTimeFilter(field_name="corrected_at", lookup_expr="gte")
    corrected_before = UtcDateTimeFilter(field_name="corrected_at", lookup_expr="lt")
    claim = IdFilter(field_name="claim_id")

    class Meta:
        model = StanceCorrection
        fields = ["human_stance", "machine_stance", "claim"]


class StanceCorrectionViewSet(viewsets.GenericViewSet):
    """The reviewers' corrections of the checker (labels for the stance model): reviewers only."""

    permission_classes = [IsAuthenticated, IsReviewer]
    filterset_class = StanceCorrectionFilter
    ordering_fields = ["corrected_at"]
    search_fields = ["claim_text", "passage_text", "note"]

    def get_queryset(self) -> QuerySet[StanceCorrection]:
        return selectors.stance_corrections()

    @export_schema(exports.STANCE_CORRECTIONS, "The stance corrections as a file, newest first, streamed.")
    @export_action()
    def export(self, request: Request) -> StreamingHttpResponse:
        return export_response(self, exports.STANCE_CORRECTIONS)


# --- Sources -------------------------------------------------------------------------------------


class SourceConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


FETCH_LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    response=[202],
    description="The fetch to poll: http(s)://…/api/v1/source-fetches/{id}/.",
)


class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Articles. POST the text (with its outlet), stored at once, or a URL, fetched by a worker."""

    serializer_class = s.SourceSerializer
    lookup_value_regex = ID
    pagination_class = Pagination
    permission_classes = [IsAuthenticated, IsReviewer]
    filterset_fields = ["outlet__name", "format"]
    ordering_fields = ["ingested_at", "published_at"]
    search_fields = ["title", "url"]

    def get_queryset(self) -> QuerySet[Source]:
        return selectors.sources_for_api()

    @extend_schema(
        request=s.SourceCreateSerializer,
        parameters=[FETCH_LOCATION],
        responses={
            201: s.SourceSerializer,
            200: OpenApiResponse(s.SourceSerializer, description="The same article from the same outlet: stored."),
            202: OpenApiResponse(
                s.SourceFetchSerializer,
                description="A URL without text: queued for a worker to fetch; poll the fetch (Location).",
            ),
            409: error_response(
                "Not stored, so that nothing is lost silently: the same text is already stored from another "
                "outlet, or the URL is already stored (with other text). The detail names the stored source."
            ),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.SourceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not values.get("text"):
            return self._queue_fetch(request, values)
        try:
            result = source_ingest(
                document=self._document(values),
                outlet_name=values.get("outlet", ""),
                url=values.get("url", ""),
                published_at=values.get("published"),
            )
        except IngestRefused as error:
            raise ValidationError({"detail": str(error)}) from None
        if result.outcome == Outcome.CONFLICT:
            raise SourceConflict(result.detail)
        source = get_object_or_404(self.get_queryset(), pk=result.source.pk)
        code = status.HTTP_201_CREATED if result.outcome == Outcome.CREATED else status.HTTP_200_OK
        return Response(self.get_serializer(source).data, status=code)

    def _document(self, values: dict[str, Any]) -> Document:
        raw, file_format = values["text"].encode("utf-8", "replace"), values.get("format", "txt")
        try:
            document = parse_document(raw, file_format=file_format, max_bytes=settings.FACTCHECK_MAX_SOURCE_BYTES)
        except DocumentError as error:
            raise ValidationError({"detail": str(error)}) from None
        return replace(document, title=values["title"]) if values.get("title") else document

    def _queue_fetch(self, request: Request, values: dict[str, Any]) -> Response:
        """202 and the fetch to poll: a slow site holds a worker, never this request."""
        try:
            fetch = source_fetch_request(
                url=values["url"],
                requested_by=request.user,
                outlet_name=values.get("outlet", ""),
                title=values.get("title", ""),
                published_at=values.get("published"),
            )
        except FetchRefused as error:  # nothing was queued
            raise ValidationError({"url": str(error)}) from None
        except UrlAlreadyStored as error:
            raise SourceConflict(str(error)) from None
        # Read again: without a broker the fetch has already run, in this process.
        fetch = get_object_or_404(selectors.source_fetches_for_api(), pk=fetch.pk)
        location = request.build_absolute_uri(reverse("source-fetch-detail", args=[fetch.pk]))
        data = s.SourceFetchSerializer(fetch).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


class SourceFetchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """URLs given to POST /sources/, fetched by workers: queued, running, succeeded or failed."""

    serializer_class = s.SourceFetchSerializer
    lookup_value_regex = ID
    pagination_class = Pagination
    permission_classes = [IsAuthenticated, IsReviewer]
    filterset_fields = ["status"]
    ordering_fields = ["queued_at"]

    def get_queryset(self) -> QuerySet[SourceFetch]:
        return selectors.source_fetches_for_api()


class FeedFilter(ApiFilterSet):
    class Meta:
        model = Feed
        fields = ["last_status", "is_active"]


class FeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Outlets' feeds, polled on their own schedule: POST one to follow it, POST .../poll/ to poll it now."""

    serializer_class = s.FeedSerializer
    lookup_value_regex = ID
    pagination_class = Pagination
    permission_classes = [IsAuthenticated, IsReviewer]
    filterset_class = FeedFilter
    ordering_fields = ["last_polled_at", "next_poll_at", "created_at"]

    def get_queryset(self) -> QuerySet[Feed]:
        return selectors.feeds_for_api()

    @extend_schema(
        request=s.FeedCreateSerializer,
        responses={
            201: s.FeedSerializer,
            200: OpenApiResponse(s.FeedSerializer, description="Already followed for this outlet: unchanged."),
            409: error_response("The feed is already followed for another outlet."),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.FeedCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        known = Feed.objects.filter(url=values["url"].strip()).exists()
        try:
            feed = feeds.feed_add(
                outlet_name=values["outlet"], url=values["url"], poll_minutes=values.get("poll_minutes")
            )
        except feeds.FeedError as error:
            if known:
                raise SourceConflict(str(error)) from None
            raise ValidationError({"detail": str(error)}) from None
        code = status.HTTP_200_OK if known else status.HTTP_201_CREATED
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=feed.pk)).data, status=code)

    @extend_schema(request=None, responses={202: s.FeedSerializer})
    @action(detail=True, methods=["post"])
    def poll(self, request: Request, pk: str | None = None) -> Response:
        """Send the feed to a worker to be polled now; GET it again to see what the poll found."""
        feed = self.get_object()
        feeds.feeds_poll_now(feed_ids=[feed.pk])
        feed = get_object_or_404(self.get_queryset(), pk=feed.pk)  # without a broker the poll already ran
        return Response(self.get_serializer(feed).data, status=status.HTTP_202_ACCEPTED)

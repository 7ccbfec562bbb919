"""What the API shows and accepts. Fields the workflow sets (status, rating of a public
verdict, publication date, reviewer, assessment) are read-only here: a client cannot set
them by sending them, and sending them changes nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from factcheck.claimreview import public_url
from factcheck.documents import strip_invisible_controls
from factcheck.models import (
    Assessment,
    CheckRun,
    Claim,
    Evidence,
    Feed,
    RatingLabel,
    Source,
    SourceFetch,
    SuggestionStatus,
    Verdict,
)
from factcheck.roles import can_review, staff_name


class StaffMemberField(serializers.CharField):
    """A person of the desk on a claim or verdict (assignee, author, approver).

    Reviewers and editors see the username: they assign and mention each other by it. Everyone
    else (readers) sees only the display name (first and last name), or null: a login name is
    half of what an attacker needs to guess a password. Readers' pages are cached apart from
    reviewers' (factcheck/api/public_cache.py), so one cached page never mixes the two.
    """

    def __init__(self, **kwargs: Any) -> None:
        help_text = "The username for reviewers and editors; for readers the display name, or null."
        super().__init__(read_only=True, allow_null=True, help_text=help_text, **kwargs)

    def to_representation(self, value: Any) -> str | None:
        request = self.context.get("request")
        return staff_name(value, to_reviewer=request is not None and can_review(request.user))


class ClaimSerializer(serializers.ModelSerializer):
    # Fields that can be empty say so (allow_null, allow_blank), so the OpenAPI schema matches
    # what is sent: a read-only model field loses its model's blank and null on the way.
    assignee = StaffMemberField()
    assessment = serializers.ChoiceField(
        choices=Assessment.choices, read_only=True, allow_blank=True, help_text="Empty until a check has finished."
    )
    appearance_count = serializers.IntegerField(read_only=True, default=0)
    priority = serializers.FloatField(read_only=True, default=0.0)
    current_verdict = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "text",
            "claimant",
            "claim_date",
            "status",
            "assessment",
            "confidence",
            "check_worthiness",
            "assignee",
            "has_new_evidence",
            "appearance_count",
            "priority",
            "current_verdict",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "assessment",
            "confidence",
            "check_worthiness",
            "has_new_evidence",
            "version",
            "created_at",
            "updated_at",
        ]

    def get_current_verdict(self, claim: Claim) -> int | None:
        current = getattr(claim, "current_verdicts", None)
        if current is None:
            found = claim.verdicts.filter(is_current=True).values_list("pk", flat=True).first()
            return found
        return current[0].pk if current else None


# --- Input fields -------------------------------------------------------------------------------
# The API parses JSON only (settings.REST_FRAMEWORK), so a value's JSON type is the client's word:
# DRF's CharField would store 5 as "5" and its IntegerField take "5", 5.0 and true.


# The largest id a bigint column holds: a larger one is refused here, never sent to the database.
MAX_ID = 2**63 - 1


class TextField(serializers.CharField):
    """Text, and only text, without the invisible controls that reorder or split it
    (documents.strip_invisible_controls): a claim must read on the page as it was checked."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(strip_invisible_controls(data)))


class WholeNumberField(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return int(super().to_internal_value(data))


class AlreadyCheckedSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["imported", "ours"], help_text="Another desk's fact-check, or ours.")
    id = serializers.IntegerField(help_text="imported: the match, to confirm or reject; ours: the claim suggestion.")
    publisher = serializers.CharField()
    site = serializers.CharField(allow_blank=True)
    url = serializers.URLField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    rating = serializers.CharField(allow_blank=True, help_text="As the publisher words it.")
    claim_text = serializers.CharField(help_text="The claim as the fact-check states it.")
    score = serializers.FloatField(help_text="How likely the two state the same fact, 0 to 1.")
    status = serializers.ChoiceField(
        choices=SuggestionStatus.choices,
        help_text="confirmed: linked (by a reviewer, or at once above the automatic threshold).",
    )
    in_words = serializers.CharField(help_text='e.g. "Checked by Northern Fact Desk on 2025-04-10: False".')


class ClaimCreateSerializer(serializers.Serializer):
    text = TextField(max_length=2000, min_length=10)
    claimant = TextField(max_length=300, required=False, allow_blank=True)


class ClaimUpdateSerializer(serializers.Serializer):
    text = TextField(max_length=2000, min_length=10, required=False)
    claimant = TextField(max_length=300, required=False, allow_blank=True)
    claim_date = serializers.DateField(required=False, allow_null=True)


class AssignSerializer(serializers.Serializer):
    assignee = TextField(allow_null=True, help_text='A username, "me" to take the claim yourself, or null to unassign.')


class EvidenceSerializer(serializers.ModelSerializer):
    outlet = serializers.CharField(source="passage.source.outlet.name", read_only=True)
    source_id = serializers.IntegerField(source="passage.source_id", read_only=True)
    passage = serializers.CharField(source="passage.text", read_only=True)
    passage_id = serializers.IntegerField(read_only=True)
    origin_cluster = serializers.IntegerField(
        source="passage.source.origin_cluster_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Evidence
        fields = ["id", "outlet", "source_id", "origin_cluster", "passage_id", "passage", "stance", "reason", "score"]
        fields += ["spans", "details"]


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field's name, e.g. assignee.")
    label = serializers.CharField(help_text="The field as people call it, e.g. cited evidence.")
    old = serializers.JSONField(allow_null=True, help_text="The value in words (a label, a username); null for none.")
    new = serializers.JSONField(allow_null=True, help_text="The value in words (a label, a username); null for none.")


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.CharField(allow_null=True, help_text="The username; null for the system.")
    kind = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    reason = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(allow_null=True)
    changes = HistoryChangeSerializer(many=True)


class HistorySerializer(serializers.Serializer):
    """What GET /claims/{id}/history/ answers (factcheck.history.history_changes builds it): documentation only."""

    claim = HistoryEntrySerializer(many=True)
    verdicts = serializers.DictField(child=HistoryEntrySerializer(many=True), help_text="By verdict id.")


class CheckRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckRun
        fields = [
            "id",
            "status",
            "trigger",
            "assessment",
            "confidence",
            "explanation",
            "candidates_examined",
            "whole_archive",
            "searched",
            "attempts",
            "queued_at",
            "started_at",
            "finished_at",
            "error",
        ]


class CheckRequestSerializer(serializers.Serializer):
    whole_archive = serializers.BooleanField(
        default=False,
        help_text="Compare with every passage of the archive, not only those published within "
        "FACTCHECK_CHECK_WINDOW_DAYS of the claim's date (and of today).",
    )


class ProposedCorrectionSerializer(serializers.Serializer):
    """A rating correction one editor proposed, awaiting a second editor (reviewers only)."""

    rating = serializers.CharField(help_text="The proposed rating's slug.")
    summary = serializers.CharField()
    correction_note = serializers.CharField()
    claim = serializers.DictField(help_text="Claim fields the correction changes (text, claimant, claim_date).")
    by = serializers.CharField(allow_null=True, help_text="Who proposed it.")
    at = serializers.DateTimeField()


class VerdictSerializer(serializers.ModelSerializer):
    claim_text = serializers.CharField(source="claim.text", read_only=True)
    rating = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    rating_name = serializers.CharField(source="rating.name", read_only=True)
    rating_value = serializers.IntegerField(source="rating.value", read_only=True, allow_null=True)
    author = StaffMemberField()
    approved_by = StaffMemberField()
    cited_evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    url = serializers.SerializerMethodField()
    proposed_correction = serializers.SerializerMethodField()

    class Meta:
        model = Verdict
        fields = [
            "id",
            "claim",
            "claim_text",
            "rating",
            "rating_name",
            "rating_value",
            "summary",
            "status",
            "is_current",
            "is_stale",
            "author",
            "approved_by",
            "published_at",
            "correction_note",
            "slug",
            "url",
            "cited_evidence",
            "proposed_correction",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ProposedCorrectionSerializer(allow_null=True))
    def get_proposed_correction(self, verdict: Verdict) -> dict[str, Any] | None:
        """Reviewers' business only: readers never see a correction before it is confirmed."""
        proposal = verdict.proposed_correction
        request = self.context.get("request")
        if not proposal or request is None or not can_review(request.user):
            return None
        rating = RatingLabel.objects.filter(pk=proposal["rating"]).values_list("slug", flat=True).first()
        proposer = get_user_model().objects.filter(pk=proposal["by"]).values_list("username", flat=True).first()
        return {**proposal, "rating": rating, "by": proposer}

    def get_url(self, verdict: Verdict) -> str | None:
        return public_url(verdict)


def rating_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="slug", queryset=RatingLabel.objects.filter(is_active=True), **kwargs
    )


class VerdictDraftSerializer(serializers.Serializer):
    rating = rating_field()
    summary = TextField(max_length=20000, min_length=1)
    cited_evidence = serializers.ListField(
        child=WholeNumberField(min_value=1, max_value=MAX_ID), required=False, default=list
    )


class VerdictUpdateSerializer(serializers.Serializer):
    rating = rating_field(required=False)
    summary = TextField(max_length=20000, min_length=1, required=False)
    cited_evidence = serializers.ListField(child=WholeNumberField(min_value=1, max_value=MAX_ID), required=False)


class CorrectionSerializer(serializers.Serializer):
    """A public note saying what changed, and what changes: the rating (which waits for a second
    editor under four-eyes), the summary, or the claim's wording, claimant or date."""

    correction_note = TextField(max_length=5000, min_length=1)
    rating = rating_field(required=False)
    summary = TextField(max_length=20000, min_length=1, required=False)
    claim_text = TextField(max_length=2000, min_length=10, required=False)
    claimant = TextField(max_length=300, required=False, allow_blank=True)
    claim_date = serializers.DateField(required=False, allow_null=True)

    def claim_changes(self) -> dict[str, Any]:
        values = self.validated_data
        changes = {field: values[field] for field in ("claimant", "claim_date") if field in values}
        if "claim_text" in values:
            changes["text"] = values["claim_text"]
        return changes


class RetractionSerializer(serializers.Serializer):
    note = TextField(max_length=5000, min_length=1)


class SourceSerializer(serializers.ModelSerializer):
    outlet = serializers.CharField(source="outlet.name", read_only=True)
    passage_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = Source
        fields = [
            "id",
            "outlet",
            "url",
            "title",
            "author",
            "published_at",
            "format",
            "ingested_at",
            "split_at",
            "claims_extracted_at",
            "origin_cluster",
            "passage_count",
        ]
        read_only_fields = fields


class SourceFetchSerializer(serializers.ModelSerializer):
    """A URL being fetched by a worker: poll it until ``status`` is succeeded or failed."""

    outlet = serializers.CharField(source="outlet_name", read_only=True, allow_blank=True)
    title = serializers.CharField(read_only=True, allow_blank=True)
    error = serializers.CharField(
        read_only=True, allow_blank=True, help_text="Why it failed, for people; empty unless failed."
    )
    source = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="Once done: the source that holds the article (or, for a conflict, the one in the way).",
    )
    source_url = serializers.SerializerMethodField(help_text="The API URL of ``source``.")
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = SourceFetch
        fields = [
            "id",
            "url",
            "outlet",
            "title",
            "published_at",
            "status",
            "error",
            "source",
            "source_url",
            "requested_by",
            "attempts",
            "queued_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_source_url(self, fetch: SourceFetch) -> str | None:
        return reverse("source-detail", args=[fetch.source_id]) if fetch.source_id else None


class SourceCreateSerializer(serializers.Serializer):
    """Either the article's text (with its outlet) or a URL to fetch it from."""

    text = TextField(required=False, allow_blank=False, trim_whitespace=False, min_length=1)
    url = serializers.URLField(required=False, max_length=2000)
    outlet = TextField(required=False, max_length=200, allow_blank=True)
    title = TextField(required=False, max_length=500, allow_blank=True)
    format = serializers.ChoiceField(choices=["txt", "md", "html"], required=False, default="txt")
    published = serializers.DateTimeField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("text") and not attrs.get("url"):
            raise serializers.ValidationError("give the article's text, or a url to fetch it from")
        text = attrs.get("text") or ""
        if len(text.encode("utf-8", "surrogatepass")) > settings.FACTCHECK_MAX_SOURCE_BYTES:
            raise serializers.ValidationError(f"text over {settings.FACTCHECK_MAX_SOURCE_BYTES} bytes")
        return attrs


class FeedSerializer(serializers.ModelSerializer):
    """An outlet's feed and what its last poll came to."""

    outlet = serializers.CharField(source="outlet.name", read_only=True)

    class Meta:
        model = Feed
        fields = [
            "id",
            "outlet",
            "url",
            "title",
            "poll_minutes",
            "is_active",
            "last_status",
            "last_error",
            "last_polled_at",
            "last_new_entries",
            "failures",
            "next_poll_at",
            "created_at",
        ]
        read_only_fields = fields


class FeedCreateSerializer(serializers.Serializer):
    """Follow an outlet's feed (RSS or Atom): its outlet by name (created if new)."""

    outlet = TextField(max_length=200, min_length=1)
    url = serializers.URLField(max_length=2000)
    poll_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=7 * 24 * 60)

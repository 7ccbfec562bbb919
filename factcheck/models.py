"""The fact-check data model.

The database is the truth for every state machine here (claims, check runs,
verdicts); the broker only delivers ids. Invariants that matter are database
constraints, so that a repeated or concurrent task cannot break them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Least
from django.utils import timezone
from simple_history.models import HistoricalRecords


def _in_choices(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


class ClaimStatus(models.TextChoices):
    NEW = "new", "New"
    CHECKING = "checking", "Checking"
    NEEDS_REVIEW = "needs_review", "Needs review"
    IN_REVIEW = "in_review", "In review"
    RATED = "rated", "Rated"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Assessment(models.TextChoices):
    CORROBORATED = "corroborated", "Corroborated"
    CONFLICTING = "conflicting", "Conflicting"
    CONTRADICTED = "contradicted", "Contradicted"
    SINGLE_SOURCE = "single_source", "Single source"
    # Outlets repeat it without confirming it ("reportedly", on the claimant's word): a rumour, not corroboration.
    REPORTED = "reported", "Reported, not confirmed"
    UNVERIFIED = "unverified", "Unverified"


class CheckRunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONFLICTS = "conflicts", "Conflicts"
    MENTIONS = "mentions", "Mentions"
    UNRELATED = "unrelated", "Unrelated"


class VerdictStatus(models.TextChoices):
    # An editor approves and publishes in one step (verdict_publish): no "approved" state
    # waits between them, so none is kept that could be edited after an approval.
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CORRECTED = "corrected", "Corrected"
    RETRACTED = "retracted", "Retracted"


# Verdicts that stand in public: readers see them, and a ClaimReview describes them.
PUBLIC_VERDICT_STATUSES = (VerdictStatus.PUBLISHED, VerdictStatus.CORRECTED)
# Verdicts with a public page: the public ones, and retracted ones kept on record with their note.
ON_RECORD_VERDICT_STATUSES = (*PUBLIC_VERDICT_STATUSES, VerdictStatus.RETRACTED)


class Outlet(models.Model):
    """A publisher. Sources from the same outlet never confirm each other."""

    name = models.CharField(max_length=200, unique=True)
    domain = models.CharField(max_length=253, blank=True)
    reliability_weight = models.FloatField(
        default=1.0, help_text="0 to 1: how much this outlet's reporting weighs in assessments."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reliability_weight__gte=0) & Q(reliability_weight__lte=1),
                name="outlet_reliability_weight_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OriginCluster(models.Model):
    """Sources that are copies of one story (near-duplicate text): they count once as confirmation."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Origin cluster {self.pk}"


class Source(models.Model):
    """One ingested article. Its text is stored normalised; passage offsets point into it."""

    class Format(models.TextChoices):
        TEXT = "txt", "Plain text"
        MARKDOWN = "md", "Markdown"
        HTML = "html", "HTML"

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="sources")
    # NULL when no URL is known: the unique constraint then only binds sources that have one.
    url = models.URLField(max_length=2000, null=True, blank=True, unique=True)
    title = models.CharField(max_length=500, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField()
    content_hash = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the normalised text: the same article twice is one source."
    )
    format = models.CharField(max_length=8, choices=Format.choices, default=Format.TEXT)
    file_name = models.CharField(max_length=500, blank=True, help_text="The file it was ingested from, if any.")
    ingested_at = models.DateTimeField(auto_now_add=True)
    split_at = models.DateTimeField(
        null=True, blank=True, help_text="When the text was split into passages; empty while splitting is pending."
    )
    claims_extracted_at = models.DateTimeField(
        null=True, blank=True, help_text="When claims were extracted; empty while extraction is pending."
    )
    origin_cluster = models.ForeignKey(
        OriginCluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="sources"
    )
    minhash = models.JSONField(default=list, blank=True, help_text="MinHash signature of the text, for copy detection.")

    class Meta:
        ordering = ["-published_at", "id"]
        indexes = [
            models.Index(fields=["published_at"], name="source_published_idx"),
            models.Index(fields=["split_at", "ingested_at"], name="source_split_pending_idx"),
            models.Index(fields=["claims_extracted_at", "ingested_at"], name="source_extract_pending_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"Source {self.pk}"


class SourceFetch(models.Model):
    """A request to fetch an article from a URL and ingest it, done by a worker: queued →
    running → succeeded | failed, claimed through a conditional UPDATE under a lease, like
    a CheckRun. ``source`` is the source that holds the article once it is done (the one
    created, or the one that already held it); ``error`` says why it failed."""

    # A job's states, the same as a check run's: one vocabulary (and one enum in the API schema).
    Status = CheckRunStatus

    url = models.URLField(max_length=2000)
    outlet_name = models.CharField(max_length=200, blank=True, help_text="Empty: the page's own, or its domain.")
    title = models.CharField(max_length=500, blank=True, help_text="Empty: the page's own title.")
    published_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="source_fetches"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="fetches")
    revise = models.ForeignKey(
        Source,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revision_fetches",
        help_text="Fetched again because its feed says the article was edited: a new text is a revision of it.",
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        indexes = [
            models.Index(fields=["status", "queued_at"], name="sourcefetch_status_queued_idx"),
            models.Index(fields=["status", "lease_expires_at"], name="sourcefetch_status_lease_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=_in_choices("status", CheckRunStatus), name="sourcefetch_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Fetch {self.pk} of {self.url} ({self.status})"


class Passage(models.Model):
    """A sentence-sized span of a source.

    On PostgreSQL a trigram index on ``text`` (migration 0002) finds quotations, and the
    full-text index is a table of its own, ``factcheck_passage_index``, partitioned by
    publication month and kept in step by triggers (migration 0022); the model declares
    neither because SQLite, the demo database, has neither.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveIntegerField()
    text = models.TextField()
    start_offset = models.PositiveIntegerField()
    end_offset = models.PositiveIntegerField()
    check_worthiness = models.FloatField(null=True, blank=True, help_text="0 to 1; empty until scored.")
    worthiness_reasons = models.JSONField(default=list, blank=True)
    speaker = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who the passage attributes its words to, resolved in the article ('he said' is the last named).",
    )

    class Meta:
        ordering = ["source_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="passage_unique_position"),
            models.CheckConstraint(
                condition=Q(end_offset__gt=models.F("start_offset")), name="passage_offsets_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}#{self.position}: {self.text[:60]}"


class TermStat(models.Model):
    """How many passages contain each content stem (document frequency), kept up to
    date as sources are split: rare words weigh more when statements are compared.
    The row with the empty term counts all passages."""

    TOTAL = ""

    term = models.CharField(max_length=64, unique=True)
    passages = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term or '(all passages)'}: {self.passages}"


class CopyBand(models.Model):
    """One locality-sensitive-hashing band of a source's MinHash: sources sharing a
    band key are candidate copies of each other, found through the index."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="copy_bands")
    key = models.CharField(max_length=18, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="copyband_unique_source_key")]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.key}"


class RatingLabel(models.Model):
    """One step of the rating scale reviewers choose from; `value` feeds ClaimReview's ratingValue."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True, help_text="Shown to readers; ClaimReview alternateName.")
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="ClaimReview ratingValue; empty for labels outside the numeric scale."
    )
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


# The queue's priority: check-worthiness (0 to 1), plus what makes a claim urgent for a desk.
PRIORITY_CONFLICT_BONUS = 0.5  # a check found conflicting or contradicting evidence
PRIORITY_NEW_EVIDENCE_BONUS = 0.5  # new evidence against a published verdict
PRIORITY_REACH_PER_APPEARANCE = 0.05  # each place it appeared, up to PRIORITY_REACH_CAP places
PRIORITY_REACH_CAP = 5
PRIORITY_CONFLICT_ASSESSMENTS = (Assessment.CONFLICTING, Assessment.CONTRADICTED)
# Reported by several outlets and confirmed by none: a rumour going round, which a desk wants to
# check before it spreads further, though less urgently than evidence that already disagrees.
PRIORITY_REPORTED_BONUS = 0.25


def claim_priority_expression() -> models.Expression:
    """The one definition of a claim's priority, as an expression of its own columns: the
    database computes and stores it (Claim.priority), so every write keeps it current."""
    return (
        models.F("check_worthiness")
        + models.Case(
            models.When(
                assessment__in=[a.value for a in PRIORITY_CONFLICT_ASSESSMENTS],
                then=models.Value(PRIORITY_CONFLICT_BONUS),
            ),
            models.When(assessment=Assessment.REPORTED, then=models.Value(PRIORITY_REPORTED_BONUS)),
            default=models.Value(0.0),
        )
        + models.Case(
            models.When(has_new_evidence=True, then=models.Value(PRIORITY_NEW_EVIDENCE_BONUS)),
            default=models.Value(0.0),
        )
        + Least(models.F("appearance_count"), models.Value(PRIORITY_REACH_CAP))
        * models.Value(PRIORITY_REACH_PER_APPEARANCE)
    )


class ClaimQuerySet(models.QuerySet["Claim"]):
    """The claim vocabularies, defined once."""

    def unmerged(self) -> ClaimQuerySet:
        """Claims that stand for a fact (a claim merged into another stands for nothing)."""
        return self.filter(merged_into__isnull=True)

    def open(self) -> ClaimQuerySet:
        """The queue: unmerged claims that are not archived."""
        return self.unmerged().exclude(status=ClaimStatus.ARCHIVED)

    def with_public_verdict(self) -> ClaimQuerySet:
        """Claims whose current verdict stands in public (what readers may see)."""
        return self.filter(verdicts__is_current=True, verdicts__status__in=PUBLIC_VERDICT_STATUSES)


class Claim(models.Model):
    Status = ClaimStatus
    Assessment = Assessment

    text = models.TextField()
    claimant = models.CharField(max_length=300, blank=True)
    claim_date = models.DateField(null=True, blank=True)
    origin_source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="originated_claims"
    )
    origin_passage = models.ForeignKey(
        Passage, on_delete=models.SET_NULL, null=True, blank=True, related_name="originated_claims"
    )
    check_worthiness = models.FloatField(default=0.0)
    worthiness_reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    assessment = models.CharField(max_length=20, choices=Assessment.choices, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_claims"
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_claims",
        help_text="A reviewer confirmed this is the same fact as that claim; its appearances moved there.",
    )
    has_new_evidence = models.BooleanField(
        default=False, help_text="A published verdict's evidence changed: the claim needs re-review."
    )
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every update; sent as the ETag.")
    # Stored so that the queue is read through an index instead of counted per request;
    # kept current by factcheck.services.queue (claims_appearance_count_refresh).
    appearance_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        verbose_name="appearances",
        db_default=0,  # rows inserted in bulk, outside Django, start at 0 until recounted
        help_text="How many places the claim appeared (its appearances).",
    )
    # Computed by the database from the columns it reads, on every write however it is made
    # (save, update(), the admin, raw SQL): it cannot go stale, and the queue orders by its index.
    priority = models.GeneratedField(
        expression=claim_priority_expression(),
        output_field=models.FloatField(),
        db_persist=True,
        help_text=(
            "The queue's order: check-worthiness plus conflicts found, reports unconfirmed, new evidence and reach."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who changed what and when: every save of a claim is kept (simple-history). The queue
    # fields are derived from other rows and columns: not a change anyone made.
    history = HistoricalRecords(excluded_fields=["updated_at", "appearance_count", "priority"])

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        # The queue's orderings (factcheck.selectors.QUEUE_ORDERINGS), each ending in the id so
        # that pages are stable; one index serves both directions (scanned backwards).
        indexes = [
            models.Index(fields=["status", "-check_worthiness"], name="claim_queue_idx"),
            models.Index(fields=["priority", "created_at", "id"], name="claim_priority_idx"),
            models.Index(fields=["status", "priority", "created_at", "id"], name="claim_status_priority_idx"),
            models.Index(fields=["created_at", "id"], name="claim_created_idx"),
            models.Index(fields=["check_worthiness", "id"], name="claim_worthiness_idx"),
            models.Index(fields=["appearance_count", "id"], name="claim_appearance_count_idx"),
            models.Index(fields=["confidence", "id"], name="claim_confidence_idx"),
            # The queue overview counts open claims by these three: read from this index alone.
            models.Index(
                fields=["status", "assessment", "has_new_evidence"],
                condition=Q(merged_into__isnull=True),
                name="claim_counts_idx",
            ),
            # The flagged claims are few: the overview lists them oldest first.
            models.Index(fields=["created_at", "id"], condition=Q(has_new_evidence=True), name="claim_flagged_idx"),
        ]
        permissions = [("review_claim", "Can work the claim queue: assign, check and draft verdicts")]
        constraints = [
            models.CheckConstraint(condition=_in_choices("status", ClaimStatus), name="claim_status_valid"),
            models.CheckConstraint(
                condition=Q(assessment="") | _in_choices("assessment", Assessment), name="claim_assessment_valid"
            ),
            models.CheckConstraint(
                condition=Q(check_worthiness__gte=0) & Q(check_worthiness__lte=1), name="claim_worthiness_0_1"
            ),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | (Q(confidence__gte=0) & Q(confidence__lte=1)),
                name="claim_confidence_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The appearance count is the services' to write (they recount it): saving a claim that
        # was loaded before an appearance arrived must not write the old count back.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and not field.generated and field.name != "appearance_count"
            ]
        super().save(*args, **kwargs)


class MatchKind(models.TextChoices):
    ORIGIN = "origin", "Origin"
    AUTOMATIC = "automatic", "Automatic match"
    CONFIRMED = "confirmed", "Confirmed by a reviewer"


class ClaimAppearance(models.Model):
    """A place the claim's statement appeared: feeds ClaimReview's appearance and firstAppearance."""

    Kind = MatchKind

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="appearances")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="claim_appearances")
    appeared_at = models.DateTimeField(null=True, blank=True, help_text="The source's publication (or ingest) time.")
    match_score = models.FloatField(default=1.0)
    match_kind = models.CharField(max_length=12, choices=MatchKind.choices, default=MatchKind.ORIGIN)

    class Meta:
        ordering = ["appeared_at", "id"]
        constraints = [
            # A passage states one claim: extracting a source twice adds nothing.
            models.UniqueConstraint(fields=["passage"], name="appearance_one_claim_per_passage"),
            models.CheckConstraint(condition=_in_choices("match_kind", MatchKind), name="appearance_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"Claim {self.claim_id} in source {self.source_id}"


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class MatchDecision(models.Model):
    """What the matcher proposed (its score) and what a reviewer decided of it: a claim that may be
    another claim (ClaimMatchSuggestion), or another desk's fact-check that may cover one
    (ImportedReviewMatch)."""

    Status = SuggestionStatus

    score = models.FloatField()
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-score"]

    def record_decision(self, status: str, decided_by: Any | None) -> None:
        """Save the decision (the services decide whether it may be taken, under their lock)."""
        self.status = status
        self.decided_by = decided_by
        self.decided_at = timezone.now()
        self.save(update_fields=["status", "decided_by", "decided_at"])


class ClaimMatchSuggestion(MatchDecision):
    """A possible duplicate claim, scored between the suggestion and automatic thresholds:
    a reviewer confirms it (the claims merge) or rejects it."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="match_suggestions")
    candidate = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="suggested_as_match")

    class Meta(MatchDecision.Meta):
        constraints = [
            models.UniqueConstraint(fields=["claim", "candidate"], name="suggestion_unique_pair"),
            models.CheckConstraint(condition=~Q(claim=models.F("candidate")), name="suggestion_not_self"),
            models.CheckConstraint(condition=_in_choices("status", SuggestionStatus), name="suggestion_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Claim {self.claim_id} may be claim {self.candidate_id} ({self.score:.2f})"


class CheckTrigger(models.TextChoices):
    EXTRACTION = "extraction", "New claim"
    NEW_SOURCE = "new_source", "A new source may bear on it"
    MANUAL = "manual", "Requested by a person"
    REAPER = "reaper", "Re-sent by the reaper"


class CheckRun(models.Model):
    """One automatic cross-source check of a claim; claimed by a worker through a conditional UPDATE.

    ``attempts`` counts the times a worker claimed it: a worker writes its results only
    while the run is still running under its own attempt, so a run re-taken after its
    lease expired can never be written twice.
    """

    Status = CheckRunStatus
    Trigger = CheckTrigger

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="check_runs")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    trigger = models.CharField(max_length=12, choices=CheckTrigger.choices, default=CheckTrigger.MANUAL)
    candidates_examined = models.PositiveIntegerField(default=0, help_text="Passages retrieved and compared.")
    whole_archive = models.BooleanField(
        default=False,
        help_text="Compared with the whole archive, not only the passages published near the claim's date.",
    )
    searched = models.JSONField(
        default=list,
        blank=True,
        help_text="The publication dates searched, as [from, to] pairs; empty: the whole archive.",
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    assessment = models.CharField(max_length=20, choices=Assessment.choices, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    explanation = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-queued_at"]
        indexes = [
            models.Index(fields=["status", "queued_at"], name="checkrun_status_queued_idx"),
            models.Index(fields=["status", "lease_expires_at"], name="checkrun_status_lease_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=_in_choices("status", CheckRunStatus), name="checkrun_status_valid"),
            # Asking for a check while one waits adds nothing: the waiting run will see the new data.
            models.UniqueConstraint(
                fields=["claim"], condition=Q(status="queued"), name="checkrun_one_queued_per_claim"
            ),
            models.CheckConstraint(
                condition=Q(assessment="") | _in_choices("assessment", Assessment),
                name="checkrun_assessment_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Check {self.pk} of claim {self.claim_id} ({self.status})"


class Evidence(models.Model):
    """What one passage says about the claim, in one check run, and why."""

    Stance = Stance

    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="evidence")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="evidence")
    stance = models.CharField(max_length=12, choices=Stance.choices)
    reason = models.CharField(max_length=64, help_text="Reason code, e.g. figure_conflict, quote_verbatim.")
    score = models.FloatField(default=0.0)
    spans = models.JSONField(default=list, blank=True, help_text="Character spans in the passage that decided it.")
    details = models.JSONField(default=dict, blank=True, help_text="Figures or quotations compared.")

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["run_id", "-score"]
        constraints = [
            # A repeated task must not insert the same evidence twice.
            models.UniqueConstraint(fields=["run", "passage"], name="evidence_unique_per_run_passage"),
            models.CheckConstraint(condition=_in_choices("stance", Stance), name="evidence_stance_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.stance} ({self.reason}) for run {self.run_id}"


class StanceCorrection(models.Model):
    """A reviewer's word that the checker read a passage wrong: a label for the stance model.

    The evidence row stays as the checker wrote it (it is the record of what the machine said);
    the correction is kept beside it, with the texts as they were read, so that an export trains on
    what the reviewer saw even after the claim is re-worded or the run is pruned."""

    Stance = Stance

    evidence = models.ForeignKey(
        Evidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="stance_corrections"
    )
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="stance_corrections")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="stance_corrections")
    claim_text = models.TextField()
    passage_text = models.TextField()
    machine_stance = models.CharField(max_length=12, choices=Stance.choices)
    machine_reason = models.CharField(max_length=64, blank=True)
    human_stance = models.CharField(max_length=12, choices=Stance.choices)
    note = models.TextField(blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="stance_corrections"
    )
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-corrected_at", "-id"]
        indexes = [models.Index(fields=["corrected_at"], name="stance_correction_at_idx")]
        constraints = [
            models.CheckConstraint(condition=_in_choices("human_stance", Stance), name="correction_stance_valid"),
            models.CheckConstraint(condition=~Q(human_stance=models.F("machine_stance")), name="correction_differs"),
        ]

    def __str__(self) -> str:
        return f"{self.machine_stance} -> {self.human_stance} (claim {self.claim_id}, passage {self.passage_id})"


class VerdictQuerySet(models.QuerySet["Verdict"]):
    """The verdict vocabularies, defined once."""

    def public(self) -> VerdictQuerySet:
        """Published or corrected: what readers see and ClaimReview describes."""
        return self.filter(status__in=PUBLIC_VERDICT_STATUSES)

    def on_record(self) -> VerdictQuerySet:
        """Verdicts with a public page: the public ones and the retracted ones."""
        return self.filter(status__in=ON_RECORD_VERDICT_STATUSES)


class Verdict(models.Model):
    """A reviewer's rating of a claim; published verdicts are corrected or retracted, never deleted."""

    Status = VerdictStatus

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="verdicts")
    rating = models.ForeignKey(RatingLabel, on_delete=models.PROTECT, related_name="verdicts")
    summary = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    is_current = models.BooleanField(default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="authored_verdicts"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="approved_verdicts"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    correction_note = models.TextField(blank=True)
    slug = models.SlugField(
        max_length=120, unique=True, null=True, blank=True, help_text="The public page: /fact-checks/<slug>/."
    )
    cited_evidence: models.ManyToManyField[Evidence, models.Model] = models.ManyToManyField(
        "Evidence", blank=True, related_name="cited_by", help_text="The evidence the summary relies on."
    )
    is_stale = models.BooleanField(
        default=False, help_text="New evidence conflicts with this published verdict: it needs re-review."
    )
    # Four-eyes: whoever set the rating, summary or citations may not publish it.
    contributors: models.ManyToManyField[Any, models.Model] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="contributed_verdicts",
        help_text="Everyone who set this verdict's rating, summary or citations.",
    )
    # A correction that changes the rating waits here until a second editor confirms it:
    # {"rating": id, "summary", "correction_note", "claim": {field: value}, "by": user id, "at"}.
    proposed_correction = models.JSONField(
        null=True, blank=True, help_text="A rating correction awaiting a second editor's confirmation."
    )
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every update; sent as the ETag.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[cited_evidence])

    objects = VerdictQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-published_at"], name="verdict_status_published_idx")]
        permissions = [("publish_verdict", "Can approve, publish, correct and retract verdicts")]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=Q(is_current=True), name="verdict_one_current_per_claim"
            ),
            models.CheckConstraint(condition=_in_choices("status", VerdictStatus), name="verdict_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "corrected"]) | Q(published_at__isnull=False),
                name="verdict_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}: {self.claim}"


# --- Webhooks -------------------------------------------------------------------------------


class WebhookEvent(models.TextChoices):
    PUBLISHED = "verdict.published", "Verdict published"
    CORRECTED = "verdict.corrected", "Verdict corrected"
    RETRACTED = "verdict.retracted", "Verdict retracted"
    STALE = "verdict.stale", "New evidence conflicts with a published verdict"
    CLAIMS_NEW = "claims.new", "Digest: the most check-worthy new claims"


class WebhookSubscription(models.Model):
    """A receiver of verdict events: POSTs signed with HMAC-SHA256 of the body under ``secret``."""

    Event = WebhookEvent

    name = models.CharField(max_length=200)
    url = models.URLField(max_length=2000)
    secret = models.CharField(max_length=200, help_text="Shared secret for the X-Factcheck-Signature header.")
    events = models.JSONField(default=list, blank=True, help_text="Event names to receive; empty means all.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        return self.is_active and (not self.events or event in self.events)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"


class WebhookDelivery(models.Model):
    """One event for one subscription; retried with backoff until delivered or given up."""

    Status = DeliveryStatus

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    sending_until = models.DateTimeField(
        null=True, blank=True, help_text="A worker is sending it until then (a lease; an expired one is free)."
    )

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="delivery_status_idx")]

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription} ({self.status})"


class WebhookAttempt(models.Model):
    """One POST of a delivery: what the receiver answered, or why it could not be reached."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.attempted_at:%Y-%m-%d %H:%M:%S}: {self.status_code or self.error[:40]}"


class SavedClaimFilter(models.Model):
    """A reviewer's named view of the claim list ("contested, mine"): the change list's query string,
    as the desk re-opens it. Written through services.desk, one name per person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_claim_filters")
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=1000, help_text="The claim list's filters, as its query string.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_claim_filter_unique_name")]

    def __str__(self) -> str:
        return self.name


class ApiTokenRecord(models.Model):
    """What the admin shows of an API token besides knox's hash: a label saying whose and what for,
    and when it was last used, so that a desk can tell which to revoke (services.tokens)."""

    token = models.OneToOneField("knox.AuthToken", on_delete=models.CASCADE, primary_key=True, related_name="record")
    label = models.CharField(max_length=100)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.label


class FeedStatus(models.TextChoices):
    NEW = "new", "Not polled yet"
    OK = "ok", "Polled"
    NOT_MODIFIED = "not_modified", "Unchanged since the last poll"
    FAILED = "failed", "Failed"


class Feed(models.Model):
    """An outlet's RSS or Atom feed, polled on its own schedule (services.feeds): each new entry's
    article is fetched and ingested like any source."""

    Status = FeedStatus

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="feeds")
    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=300, blank=True, help_text="As the feed names itself.")
    poll_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Minutes between polls; empty: FACTCHECK_FEED_POLL_MINUTES."
    )
    is_active = models.BooleanField(default=True)
    next_poll_at = models.DateTimeField(default=timezone.now)
    polling_until = models.DateTimeField(
        null=True, blank=True, help_text="A poll holds the feed until then (a lease; an expired one is free)."
    )
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=14, choices=FeedStatus.choices, default=FeedStatus.NEW)
    last_error = models.TextField(blank=True)
    last_new_entries = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0, help_text="Failed polls in a row (each doubles the wait).")
    etag = models.CharField(max_length=200, blank=True)
    last_modified = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["outlet__name", "url"]
        indexes = [models.Index(fields=["is_active", "next_poll_at"], name="feed_due_idx")]

    def __str__(self) -> str:
        return f"{self.outlet.name}: {self.url}"


class FeedEntry(models.Model):
    """An entry a feed listed, seen once: its key (the entry's id, else its link) is what makes a feed
    that re-orders or re-publishes its entries add nothing."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    key_hash = models.CharField(max_length=64, help_text="SHA-256 of the entry's id (or link).")
    key = models.TextField()
    url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True, help_text="When the feed last said the entry was edited.")
    fetch = models.ForeignKey(
        SourceFetch, on_delete=models.SET_NULL, null=True, blank=True, related_name="feed_entries"
    )
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="feed_entries")
    note = models.CharField(max_length=500, blank=True, help_text="Why the entry's article was not fetched.")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "feed entries"
        ordering = ["-seen_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["feed", "key_hash"], name="feed_entry_unique_key")]
        # What arrived lately, per feed (the desk's home): read from the index, not every entry ever seen.
        indexes = [models.Index(fields=["feed", "seen_at"], name="feed_entry_seen_idx")]

    def __str__(self) -> str:
        return self.title or self.url or self.key[:80]


class SourceRevision(models.Model):
    """A later text of a stored article (its outlet edited it): kept beside the source, whose own text,
    passages and checks stay what they were computed from; reviewers see what changed."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    content_hash = models.CharField(max_length=64)
    title = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "content_hash"], name="source_revision_unique_text")]

    def __str__(self) -> str:
        return f"revision of source {self.source_id} ({self.recorded_at:%Y-%m-%d %H:%M})"


class ClaimDigest(models.Model):
    """A digest of new claims sent to webhook subscribers (services.digest): the window it covered and
    the claims it named, so that the next one starts where it ended and no claim is sent twice."""

    since = models.DateTimeField()
    until = models.DateTimeField(unique=True)
    claim_ids = models.JSONField(default=list)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-until"]

    def __str__(self) -> str:
        return f"digest until {self.until:%Y-%m-%d %H:%M} ({len(self.claim_ids)} claims)"


# --- Other desks' fact-checks ----------------------------------------------------------------


class ImportedReview(models.Model):
    """A fact-check published by another organisation, read from its ClaimReview markup
    (services.imported_reviews). Keyed by its URL: importing it again updates it in place."""

    url = models.URLField(max_length=2000, unique=True, help_text="The review's own page: its identity.")
    publisher_name = models.CharField(max_length=300)
    publisher_site = models.CharField(max_length=253, blank=True, help_text="The publisher's host, e.g. example.org.")
    title = models.CharField(max_length=500, blank=True)
    claim_text = models.TextField()
    claimant = models.CharField(max_length=300, blank=True)
    claim_date = models.DateField(null=True, blank=True)
    appearances = models.JSONField(default=list, blank=True, help_text="URLs where the claim appeared.")
    textual_rating = models.CharField(max_length=300, blank=True)
    rating_value = models.FloatField(null=True, blank=True)
    worst_rating = models.FloatField(null=True, blank=True)
    best_rating = models.FloatField(null=True, blank=True)
    review_date = models.DateTimeField(null=True, blank=True)
    language_code = models.CharField(max_length=35, blank=True)
    imported_from = models.CharField(max_length=2000, help_text="The page, feed or file it was last read from.")
    first_imported_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, help_text="When an import last changed it.")

    class Meta:
        ordering = ["-review_date", "-id"]
        indexes = [models.Index(fields=["publisher_site"], name="imported_review_site_idx")]

    def __str__(self) -> str:
        return f"{self.publisher_name}: {self.claim_text[:60]}"


class ImportedReviewMatch(MatchDecision):
    """A claim of ours that another desk's fact-check may cover ("already fact-checked"). Above the
    automatic threshold it is confirmed on creation; between the thresholds a reviewer confirms or
    rejects it. Nothing of the review is ever copied into our verdict."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="review_matches")
    review = models.ForeignKey(ImportedReview, on_delete=models.CASCADE, related_name="matches")

    class Meta(MatchDecision.Meta):
        constraints = [
            models.UniqueConstraint(fields=["claim", "review"], name="review_match_unique_pair"),
            models.CheckConstraint(condition=_in_choices("status", SuggestionStatus), name="review_match_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Claim {self.claim_id} may be covered by review {self.review_id} ({self.score:.2f})"

"""The reviewer admin. Ingested text and automatic results are read-only here:
they are evidence, and editing them by hand would falsify it."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from knox.models import AuthToken

from factcheck import exports, selectors
from factcheck.api.pagination import CappedCountPaginator
from factcheck.crosscheck.reasons import worthiness_in_words
from factcheck.crosscheck.text import sentence_changes
from factcheck.history import history_changes
from factcheck.models import (
    CheckRun,
    CheckTrigger,
    Claim,
    ClaimAppearance,
    ClaimMatchSuggestion,
    Evidence,
    Feed,
    FeedEntry,
    ImportedReview,
    OriginCluster,
    Outlet,
    Passage,
    RatingLabel,
    SavedClaimFilter,
    Source,
    SourceFetch,
    SourceRevision,
    StanceCorrection,
    SuggestionStatus,
    Verdict,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from factcheck.roles import role_of
from factcheck.services import desk, feeds, reviews
from factcheck.services.checks import claims_check_request
from factcheck.services.claims import SuggestionError, suggestion_confirm, suggestion_reject
from factcheck.services.reviews import WorkflowError, claim_assign, claims_archive
from factcheck.services.webhooks import new_standard_secret


def _short(text: str, length: int = 90) -> str:
    return Truncator(text).chars(length)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows the system writes: viewable, never added, edited or deleted by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ExportAdmin(admin.ModelAdmin):
    """A changelist with "Export CSV" and "Export JSON" links (factcheck/exports.py): the file holds
    every row the changelist shows with its current filters, search and ordering, streamed. For
    whoever may view the changelist."""

    export: exports.Export

    def get_urls(self) -> list[Any]:
        from django.urls import path

        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        view = self.admin_site.admin_view(self.export_view)
        # Before the model admin's own URLs, whose "<object_id>/" would take "export/".
        return [path("export/<str:file_format>/", view, name=name), *super().get_urls()]

    def export_view(self, request: HttpRequest, file_format: str) -> HttpResponseBase:
        if file_format not in exports.FORMATS:
            raise Http404(f"no export as {file_format}")
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            # As the changelist answers filters it cannot apply.
            changelist_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            return HttpResponseRedirect(f"{changelist_url}?{ERROR_FLAG}=1")
        return exports.streaming_response(
            self.export, changelist.queryset, file_format=file_format, request=request, to_reviewer=True
        )


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionedForm(forms.ModelForm):
    """Carries the version the form was loaded with, as the API's If-Match does: a save made
    from a stale page is refused (here with the input kept; the service refuses it again
    under the row lock, for a save racing another)."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
            self.fields["loaded_version"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk:
            current = type(self.instance).objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if cleaned.get("loaded_version") != current:
                raise forms.ValidationError(
                    f"Someone changed this {self.instance._meta.verbose_name} since you opened it (version "
                    f"{current}, your page has {cleaned.get('loaded_version')}). Your input is below: open "
                    "the page again in another tab, then reapply it.",
                    code="stale",
                )
        return cleaned


class WorkflowAdmin(admin.ModelAdmin):
    """Admin pages whose writes go through factcheck.services: a workflow error (a transition
    the workflow forbids, a stale version lost in a race) rolls the save back and is shown,
    never a traceback. History is for reading: a page of readable changes, no revert."""

    def changeform_view(self, request: HttpRequest, object_id: str | None = None, *args: Any, **kwargs: Any) -> Any:
        if object_id is not None and not str(object_id).isdigit():
            raise Http404("no such object")
        try:
            return super().changeform_view(request, object_id, *args, **kwargs)
        except WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        if not str(object_id).isdigit():
            raise Http404("no such object")
        try:
            return super().delete_view(request, object_id, extra_context)
        except WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(reverse(f"admin:factcheck_{self.opts.model_name}_change", args=[object_id]))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The services wrote the form's relations already (cited evidence): only the inlines,
        all read-only, go through their (empty) saves."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        if not str(object_id).isdigit():
            raise Http404("no such object")
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("no such object")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {_short(str(obj), 80)}",
            "opts": self.opts,
            "object": obj,
            "sections": self.history_sections(obj),
        }
        return TemplateResponse(request, "admin/factcheck/history.html", context)

    def history_sections(self, obj: Any) -> list[tuple[str, list[dict[str, Any]]]]:
        return [(str(self.opts.verbose_name).capitalize(), history_changes(obj.history.select_related("history_user")))]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "reliability_weight", "source_count", "created_at"]
    search_fields = ["name", "domain"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Outlet]:
        return super().get_queryset(request).annotate(source_count=Count("sources"))

    @admin.display(description="Sources", ordering="source_count")
    def source_count(self, obj: Outlet) -> int:
        return obj.source_count  # type: ignore[attr-defined]


class PassageWords:
    """How a passage reads to a reviewer: why it was worth checking, in words, and the claims it
    gave (character offsets are for the engine, not shown)."""

    @admin.display(description="Why worth checking")
    def reasons(self, obj: Passage) -> str:
        return worthiness_in_words(obj.worthiness_reasons or [])

    @admin.display(description="Claims")
    def claims(self, obj: Passage) -> str:
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:factcheck_claim_review", args=[a.claim_id]),
                _short(a.claim.text, 60),
            )
            for a in obj.appearances.all()
        ]
        return format_html_join(mark_safe("<br>"), "{}", ((link,) for link in links)) or "-"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Passage]:
        appearances = ClaimAppearance.objects.select_related("claim").order_by("id")
        return super().get_queryset(request).prefetch_related(Prefetch("appearances", queryset=appearances))  # type: ignore[misc]


class PassageInline(PassageWords, ReadOnlyInline):
    model = Passage
    fields = readonly_fields = ("position", "text", "check_worthiness", "reasons", "claims")
    ordering = ["position"]


class SourceRevisionInline(ReadOnlyInline):
    """Later texts of the article (its outlet edited it), each with what it changed."""

    model = SourceRevision
    show_change_link = False
    verbose_name_plural = "revisions (the outlet edited the article)"
    fields = readonly_fields = ("recorded_at", "title", "changes")

    @admin.display(description="What changed")
    def changes(self, obj: SourceRevision) -> str:
        changed = sentence_changes(obj.source.text, obj.text)
        removed = format_html_join("", "<li><del>{}</del></li>", ((text,) for text in changed.removed))
        added = format_html_join("", "<li><ins>{}</ins></li>", ((text,) for text in changed.added))
        return format_html("<ul>{}{}</ul>", removed, added) if changed.removed or changed.added else "-"


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    """Read-only: the text, outlet and dates are what passages, copies and assessments were
    computed from (another outlet would change who counts as independent)."""

    list_display = [
        "__str__",
        "outlet",
        "published_at",
        "format",
        "passage_count",
        "origin_cluster",
        "split_at",
        "claims_extracted_at",
    ]
    list_filter = [
        "outlet",
        "format",
        ("split_at", admin.EmptyFieldListFilter),
        ("claims_extracted_at", admin.EmptyFieldListFilter),
        "published_at",
    ]
    search_fields = ["title", "url", "author", "text", "outlet__name"]
    list_select_related = ["outlet"]
    date_hierarchy = "published_at"
    readonly_fields = [
        "outlet",
        "title",
        "author",
        "published_at",
        "link",
        "text",
        "content_hash",
        "format",
        "file_name",
        "origin_cluster",
        "ingested_at",
        "split_at",
        "claims_extracted_at",
    ]
    fields = list(readonly_fields)
    inlines = [SourceRevisionInline, PassageInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        return super().get_queryset(request).annotate(passage_count=Count("passages"))

    @admin.display(description="Passages", ordering="passage_count")
    def passage_count(self, obj: Source) -> int:
        return obj.passage_count  # type: ignore[attr-defined]

    @admin.display(description="Open original")
    def link(self, obj: Source) -> str:
        if not obj.url:
            return "-"
        return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', obj.url, obj.url)


@admin.register(SourceFetch)
class SourceFetchAdmin(ReadOnlyAdmin):
    """URLs given to POST /sources/, fetched by a worker: what came of each, and why not."""

    list_display = ["url", "status", "outlet_name", "requested_by", "attempts", "queued_at", "finished_at", "source"]
    list_filter = ["status"]
    search_fields = ["url", "outlet_name", "error"]
    list_select_related = ["requested_by", "source"]
    readonly_fields = [field.name for field in SourceFetch._meta.fields]


@admin.register(Passage)
class PassageAdmin(PassageWords, ReadOnlyAdmin):
    list_display = ["short_text", "source", "position", "check_worthiness"]
    list_filter = ["source__outlet"]
    search_fields = ["text", "source__title"]
    list_select_related = ["source"]
    fields = readonly_fields = ("source", "position", "text", "check_worthiness", "reasons", "claims")

    @admin.display(description="Text")
    def short_text(self, obj: Passage) -> str:
        return _short(obj.text)


@admin.register(RatingLabel)
class RatingLabelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "value", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


class AppearanceInline(ReadOnlyInline):
    model = ClaimAppearance
    fk_name = "claim"
    fields = readonly_fields = ("appeared_at", "outlet", "passage", "origin_cluster", "match_kind", "match_score")
    ordering = ["appeared_at", "id"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClaimAppearance]:
        return super().get_queryset(request).select_related("source__outlet", "passage")

    @admin.display(description="Outlet")
    def outlet(self, obj: ClaimAppearance) -> Outlet:
        return obj.source.outlet

    @admin.display(description="Origin cluster")
    def origin_cluster(self, obj: ClaimAppearance) -> int | None:
        return obj.source.origin_cluster_id


class SuggestionInline(ReadOnlyInline):
    model = ClaimMatchSuggestion
    fk_name = "claim"
    verbose_name_plural = "possibly the same fact as"
    fields = readonly_fields = ("candidate", "score", "status", "decided_by", "decided_at")


class CheckRunInline(ReadOnlyInline):
    model = CheckRun
    fields = readonly_fields = (
        "status",
        "trigger",
        "assessment",
        "confidence",
        "explanation",
        "attempts",
        "queued_at",
        "finished_at",
    )
    ordering = ["-queued_at"]


class VerdictInline(ReadOnlyInline):
    model = Verdict
    fields = readonly_fields = ("rating", "status", "is_current", "author", "published_at")


class AssigneeFilter(admin.SimpleListFilter):
    """Claims by who has them, offering the desk's reviewers (a handful of rows), not a scan of
    every claim for the assignees in use as RelatedOnlyFieldListFilter would do."""

    title = "assignee"
    parameter_name = "assignee"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        return [("none", "Nobody"), *((user.pk, user.get_username()) for user in selectors.reviewers())]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        value = self.value()
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset


class CheckedElsewhereFilter(admin.SimpleListFilter):
    """Claims another desk's fact-check may cover (services.review_matches)."""

    title = "checked by another desk"
    parameter_name = "checked_elsewhere"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("pending", "Waiting for a reviewer"), ("linked", "Linked")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        value = self.value()
        return selectors.claims_checked_elsewhere(queryset, value) if value in ("pending", "linked") else queryset


class ClaimForm(VersionedForm):
    """What a reviewer may change of a claim: its wording, claimant and date (a verdict that
    freezes them makes them read-only: ClaimAdmin.get_readonly_fields) and who has it (a
    reviewer or editor)."""

    class Meta:
        model = Claim
        fields = ["text", "claimant", "claim_date", "assignee"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = selectors.reviewers()  # type: ignore[attr-defined]


class ClaimActionForm(ActionForm):
    """The claim list's action bar, with the reviewer an "Assign to" action gives the claims to."""

    assignee: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="nobody", label="Assign to"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.reviewers()  # type: ignore[attr-defined]


@admin.register(Claim)
class ClaimAdmin(ExportAdmin, WorkflowAdmin):
    # Built for triage at 1280 px: one line per claim (its full text a click away), what makes it
    # urgent, who has it. The claimant, dates and scores are on the review page.
    list_display = [
        "claim_line",
        "priority_shown",
        "outlet_count",
        "assessment",
        "status",
        "assignee",
        "review",
    ]
    list_display_links = None  # the review link opens a claim; "Edit claim" is on its review page
    # The queue's order, read from its index; the count stops at COUNT_LIMIT, and no second
    # count of every claim for "N total": both took a full scan per page at 300k claims.
    ordering = selectors.queue_order("-priority")
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_filter = [
        "status",
        "assessment",
        "has_new_evidence",
        AssigneeFilter,
        CheckedElsewhereFilter,
        "appearances__source__outlet",
    ]
    search_fields = ["text", "claimant"]
    list_select_related = ["assignee"]
    form = ClaimForm
    # Status, assessment, scores and where the claim came from are set by the workflow and
    # the workers (the origin decides which outlet is the claim's own: never by hand).
    readonly_fields = [
        "status",
        "assessment",
        "confidence",
        "check_worthiness",
        "worthiness_reasons",
        "origin_source",
        "origin_passage",
        "has_new_evidence",
        "version",
        "merged_into",
        "created_at",
        "updated_at",
    ]
    inlines = [AppearanceInline, SuggestionInline, CheckRunInline, VerdictInline]
    actions = ["recheck", "assign_to_me", "assign_to_chosen", "archive"]
    export = exports.CLAIMS
    action_form = ClaimActionForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Claims come from ingested articles or POST /claims/ (scored, claimant read).
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Claims are archived, never deleted: their checks and verdicts stay on record.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        frozen = list(reviews.frozen_claim_fields(obj)) if obj is not None else []
        return [*self.readonly_fields, *frozen]

    def save_model(self, request: HttpRequest, obj: Claim, form: Any, change: bool) -> None:
        """Through the services, from the version the form was loaded with."""
        version = form.cleaned_data["loaded_version"]
        edits = {f: form.cleaned_data[f] for f in form.changed_data if f in reviews.CLAIM_EDITABLE_FIELDS}
        if edits:
            version = reviews.claim_update(
                claim_id=obj.pk, expected_version=version, by=request.user, changes=edits
            ).version
        if "assignee" in form.changed_data:
            assignee = form.cleaned_data["assignee"]
            claim_assign(claim_id=obj.pk, expected_version=version, by=request.user, assignee=assignee)
        obj.refresh_from_db()

    def history_sections(self, obj: Any) -> list[tuple[str, list[dict[str, Any]]]]:
        sections = super().history_sections(obj)
        for verdict in obj.verdicts.order_by("pk"):
            sections.append((f"Verdict {verdict.pk}", history_changes(verdict.history.select_related("history_user"))))
        return sections

    def get_urls(self) -> list[Any]:
        from django.urls import path

        from factcheck.workspace import overview, review

        view = self.admin_site.admin_view
        return [
            path("queue/", view(overview.queue_overview), name="factcheck_claim_queue"),
            path("views/", view(self.saved_views), name="factcheck_claim_views"),
            path("<int:claim_id>/review/", view(review.claim_review_page), name="factcheck_claim_review"),
            *super().get_urls(),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return super().get_queryset(request).annotate(outlet_count=selectors.counted_outlets())

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        views = SavedClaimFilter.objects.filter(user_id=request.user.pk or 0)
        query = desk.filter_query(request.GET.urlencode())
        return super().changelist_view(request, {"saved_views": views, "view_query": query, **(extra_context or {})})

    def saved_views(self, request: HttpRequest) -> HttpResponse:
        """Save the list's current filters under a name, or delete a saved view: the reviewer's own only."""
        changelist = reverse("admin:factcheck_claim_changelist")
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        if "delete" in request.POST:
            view_id = request.POST.get("delete", "")
            if view_id.isdigit() and desk.saved_filter_delete(user=request.user, filter_id=int(view_id)):
                self.message_user(request, "Saved view deleted.")
            return HttpResponseRedirect(changelist)
        query = request.POST.get("query", "")
        try:
            saved = desk.saved_filter_save(user=request.user, name=request.POST.get("name", ""), query=query)
        except desk.SavedFilterError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(f"{changelist}?{desk.filter_query(query)}")
        self.message_user(request, f"Saved as “{saved.name}”.")
        return HttpResponseRedirect(f"{changelist}?{saved.query}")

    @admin.action(description="Assign to the reviewer chosen beside the action")
    def assign_to_chosen(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        chosen = request.POST.get("assignee", "")
        assignee = selectors.reviewers().filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if chosen and assignee is None:
            self.message_user(request, "Choose one of the desk's reviewers, or nobody.", messages.ERROR)
            return
        self._each(
            request,
            queryset,
            lambda claim: claim_assign(
                claim_id=claim.pk, expected_version=claim.version, by=request.user, assignee=assignee
            ),
            f"assigned to {assignee}" if assignee else "unassigned",
        )

    @admin.action(description="Assign to me")
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        self._each(
            request,
            queryset,
            lambda claim: claim_assign(
                claim_id=claim.pk, expected_version=claim.version, by=request.user, assignee=request.user
            ),
            "assigned to you",
        )

    @admin.action(description="Archive (not public claims)")
    def archive(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        done = claims_archive(claim_ids=queryset.values_list("pk", flat=True), by=request.user)
        self.message_user(
            request,
            f"{done} claim(s) archived. A claim with a verdict is not archived: a draft is published or "
            "discarded, a public verdict retracted, first.",
        )

    def _each(self, request: HttpRequest, queryset: QuerySet[Claim], change: Any, verb: str) -> None:
        done = 0
        for claim in queryset:
            try:
                change(claim)
                done += 1
            except WorkflowError as error:
                self.message_user(request, f"Claim {claim.pk}: {error.message}", messages.WARNING)
        self.message_user(request, f"{done} claim(s) {verb}.")

    @admin.action(description="Re-check against the other outlets")
    def recheck(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        runs = claims_check_request(claim_ids=queryset.values_list("pk", flat=True), trigger=CheckTrigger.MANUAL)
        self.message_user(request, f"{len(runs)} check(s) queued; archived and merged claims are not re-checked.")

    @admin.display(description="Claim")
    def claim_line(self, obj: Claim) -> str:
        """One line; the whole claim and its claimant when opened (a <details>, no script)."""
        claimant = format_html('<p class="claim-claimant">Claimant: {}</p>', obj.claimant) if obj.claimant else ""
        # Flagged in the line itself: a column of its own pushed the assignee off a 1280 px screen.
        flag = format_html('<span class="claim-flag">{}</span> ', "New evidence") if obj.has_new_evidence else ""
        return format_html(
            '<details class="claim-line"><summary>{}{}</summary><p>{}</p>{}</details>',
            flag,
            _short(obj.text, 110),
            obj.text,
            claimant,
        )

    @admin.display(description="Priority", ordering="-priority")
    def priority_shown(self, obj: Claim) -> str:
        return f"{obj.priority:.2f}"

    @admin.display(description="Outlets")
    def outlet_count(self, obj: Claim) -> int:
        return obj.outlet_count  # type: ignore[attr-defined]

    @admin.display(description="Open")
    def review(self, obj: Claim) -> str:
        return format_html('<a href="{}">Review</a>', reverse("admin:factcheck_claim_review", args=[obj.pk]))


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = readonly_fields = ("outlet", "passage", "stance", "reason", "score", "values")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return super().get_queryset(request).select_related("passage__source__outlet")

    @admin.display(description="Outlet")
    def outlet(self, obj: Evidence) -> Outlet:
        return obj.passage.source.outlet

    @admin.display(description="Claim says / passage says")
    def values(self, obj: Evidence) -> str:
        claim_value, evidence_value = obj.details.get("claim_value", ""), obj.details.get("evidence_value", "")
        return f"{claim_value} / {evidence_value}" if claim_value or evidence_value else "-"


@admin.register(CheckRun)
class CheckRunAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "claim",
        "status",
        "trigger",
        "assessment",
        "confidence",
        "attempts",
        "queued_at",
        "finished_at",
    ]
    list_filter = ["status", "assessment", "trigger"]
    search_fields = ["claim__text", "explanation"]
    list_select_related = ["claim"]
    readonly_fields = [field.name for field in CheckRun._meta.fields]
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["id", "run", "stance", "reason", "score", "outlet"]
    list_filter = ["stance", "reason"]
    search_fields = ["passage__text", "run__claim__text"]
    list_select_related = ["run", "passage__source__outlet"]
    readonly_fields = [field.name for field in Evidence._meta.fields]

    @admin.display(description="Outlet")
    def outlet(self, obj: Evidence) -> Outlet:
        return obj.passage.source.outlet


class VerdictForm(VersionedForm):
    """A draft's rating, summary and cited evidence (of its own claim only); a new draft also
    names its claim. Its author is whoever saves it: never chosen in a form."""

    class Meta:
        model = Verdict
        fields = ["claim", "rating", "summary", "cited_evidence"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "rating" in self.fields:
            self.fields["rating"].queryset = RatingLabel.objects.filter(is_active=True)  # type: ignore[attr-defined]
        if "cited_evidence" in self.fields:
            claim_id = self.instance.claim_id if self.instance.pk else None
            self.fields["cited_evidence"].queryset = (  # type: ignore[attr-defined]
                Evidence.objects.filter(run__claim_id=claim_id).select_related("passage__source__outlet")
                if claim_id
                else Evidence.objects.none()
            )
            self.fields["cited_evidence"].required = False


@admin.register(Verdict)
class VerdictAdmin(ExportAdmin, WorkflowAdmin):
    """Drafts are written here or on the review page, through the drafting service; published
    verdicts are read-only (corrected or retracted through the review workflow, never edited
    or deleted). Publishing is done from the review page, with the version the editor read."""

    form = VerdictForm
    list_display = ["claim_text", "rating", "status", "is_current", "author", "approved_by", "published_at"]
    list_filter = ["status", "rating", "is_current"]
    search_fields = ["claim__text", "summary"]
    list_select_related = ["claim", "rating", "author", "approved_by"]
    raw_id_fields = ["claim"]
    readonly_fields = [
        "status",
        "is_current",
        "is_stale",
        "author",
        "approved_by",
        "published_at",
        "slug",
        "correction_note",
        "proposed_correction",
        "version",
        "created_at",
        "updated_at",
    ]
    actions: list[Any] = []  # no bulk deletion: a draft is discarded one at a time, through the service
    export = exports.VERDICTS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*self.readonly_fields, "claim"] if obj is not None else list(self.readonly_fields)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Only a draft is edited; a public or retracted verdict is shown read-only.
        editable = obj is None or obj.status == Verdict.Status.DRAFT
        return editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A draft, with the permission to delete verdicts; public ones stay on record.
        return obj is not None and obj.status == Verdict.Status.DRAFT and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Verdict, form: Any, change: bool) -> None:
        data = form.cleaned_data
        cited = [e.pk for e in data.get("cited_evidence") or []]
        if not change:
            verdict = reviews.verdict_draft(
                claim_id=data["claim"].pk,
                by=request.user,
                rating_id=data["rating"].pk,
                summary=data["summary"],
                cited_evidence_ids=cited,
            )
            obj.pk = verdict.pk
        else:
            reviews.verdict_update(
                verdict_id=obj.pk,
                expected_version=data["loaded_version"],
                by=request.user,
                rating_id=data["rating"].pk if "rating" in form.changed_data else None,
                summary=data["summary"] if "summary" in form.changed_data else None,
                cited_evidence_ids=cited if "cited_evidence" in form.changed_data else None,
            )
        obj.refresh_from_db()
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Verdict) -> None:
        reviews.verdict_discard(verdict_id=obj.pk, expected_version=None, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Verdict]) -> None:
        for verdict in queryset:
            self.delete_model(request, verdict)

    @admin.display(description="Claim")
    def claim_text(self, obj: Verdict) -> str:
        return _short(obj.claim.text)


@admin.register(ClaimMatchSuggestion)
class ClaimMatchSuggestionAdmin(ReadOnlyAdmin):
    """Possible duplicates between the two match thresholds, for a reviewer to decide."""

    list_display = ["claim_text", "candidate_text", "score", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["claim__text", "candidate__text"]
    list_select_related = ["claim", "candidate", "decided_by"]
    readonly_fields = ["claim", "candidate", "score", "status", "decided_by", "decided_at", "created_at"]
    actions = ["confirm", "reject"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The actions need it; the form stays read-only (every field is in readonly_fields).
        return super(ReadOnlyAdmin, self).has_change_permission(request, obj)

    @admin.display(description="Claim")
    def claim_text(self, obj: ClaimMatchSuggestion) -> str:
        return _short(obj.claim.text, 70)

    @admin.display(description="May be the same fact as")
    def candidate_text(self, obj: ClaimMatchSuggestion) -> str:
        return _short(obj.candidate.text, 70)

    @admin.action(description="Confirm: the same fact (merge into the candidate)")
    def confirm(self, request: HttpRequest, queryset: QuerySet[ClaimMatchSuggestion]) -> None:
        self._decide(request, queryset, suggestion_confirm, "merged")

    @admin.action(description="Reject: different facts")
    def reject(self, request: HttpRequest, queryset: QuerySet[ClaimMatchSuggestion]) -> None:
        self._decide(request, queryset, suggestion_reject, "rejected")

    def _decide(self, request: HttpRequest, queryset: QuerySet[ClaimMatchSuggestion], decide: Any, verb: str) -> None:
        done = 0
        for suggestion in queryset.filter(status=SuggestionStatus.PENDING):
            try:
                decide(suggestion_id=suggestion.pk, decided_by=request.user)
                done += 1
            except SuggestionError as error:
                self.message_user(request, f"Suggestion {suggestion.pk}: {error}", messages.WARNING)
        self.message_user(request, f"{done} suggestion(s) {verb}.")


@admin.register(StanceCorrection)
class StanceCorrectionAdmin(ExportAdmin, ReadOnlyAdmin):
    """The reviewers' corrections of the checker: labels for its next training (manage.py
    export_stance_labels). Recorded from the review page, never edited."""

    list_display = ["corrected_at", "corrected_by", "claim_text", "machine_stance", "human_stance", "outlet"]
    list_filter = ["human_stance", "machine_stance", "corrected_by"]
    search_fields = ["claim_text", "passage_text", "note"]
    list_select_related = ["corrected_by", "passage__source__outlet"]
    date_hierarchy = "corrected_at"
    readonly_fields = [field.name for field in StanceCorrection._meta.fields]
    export = exports.STANCE_CORRECTIONS

    @admin.display(description="Claim")
    def claim_text(self, obj: StanceCorrection) -> str:
        return _short(obj.claim_text, 80)

    @admin.display(description="Outlet")
    def outlet(self, obj: StanceCorrection) -> Outlet:
        return obj.passage.source.outlet


@admin.register(OriginCluster)
class OriginClusterAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "source_count", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OriginCluster]:
        return super().get_queryset(request).annotate(source_count=Count("sources"))

    @admin.display(description="Sources", ordering="source_count")
    def source_count(self, obj: OriginCluster) -> int:
        return obj.source_count  # type: ignore[attr-defined]


# --- Webhooks ----------------------------------------------------------------------------------------


class WebhookSubscriptionForm(forms.ModelForm):
    """The secret is write-only: never rendered back; left empty on a change, it is kept."""

    url = forms.URLField(max_length=2000, assume_scheme="https")
    secret = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        required=False,
        max_length=200,
        help_text="Shared secret that signs each delivery (Standard Webhooks and X-Factcheck-Signature). "
        "Never shown again. Leave empty: on a new subscription a whsec_ secret is made and shown once; "
        "on a change, the current one is kept.",
    )
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="None ticked: every event.",
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "events", "secret", "is_active"]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Webhooks are sent over http or https only.")
        return url

    def clean_secret(self) -> str:
        secret: str = self.cleaned_data.get("secret") or ""
        if secret:
            return secret
        if self.instance.pk and self.instance.secret:
            return self.instance.secret
        # A new subscription without one gets a Standard Webhooks secret, shown once after saving.
        self.generated_secret = new_standard_secret()
        return self.generated_secret


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm

    def save_model(self, request: HttpRequest, obj: WebhookSubscription, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        generated = getattr(form, "generated_secret", "")
        if generated:
            self.message_user(
                request,
                f"Its secret, shown this once (verify deliveries with it, e.g. standardwebhooks' Webhook): {generated}",
                messages.WARNING,
            )

    list_display = ["name", "url", "event_names", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]

    @admin.display(description="Events")
    def event_names(self, obj: WebhookSubscription) -> str:
        return ", ".join(obj.events) if obj.events else "all"


class WebhookAttemptInline(ReadOnlyInline):
    model = WebhookAttempt
    verbose_name_plural = "attempts"
    show_change_link = False
    fields = readonly_fields = ("attempted_at", "status_code", "error", "duration_ms")
    ordering = ["attempted_at", "id"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """The delivery log: each event sent to each subscriber, with every attempt."""

    list_display = ["id", "event", "subscription", "status", "attempts", "created_at", "delivered_at"]
    list_filter = ["status", "event", "subscription"]
    search_fields = ["subscription__name", "subscription__url"]
    list_select_related = ["subscription"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "subscription",
        "event",
        "status",
        "attempts",
        "created_at",
        "delivered_at",
        "payload_json",
    )
    inlines = [WebhookAttemptInline]

    @admin.display(description="Payload")
    def payload_json(self, obj: WebhookDelivery) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2, sort_keys=True, ensure_ascii=False))


# --- API tokens ----------------------------------------------------------------------------------


admin.site.unregister(AuthToken)  # knox's page shows 128-hex digests only, and lets tokens be added by hand


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens as a desk tells them apart: the label, the client and its role, when issued and
    last used. Issued by ``manage.py create_api_client`` (which prints the token once); revoked here
    by deleting; never edited."""

    list_display = ["label", "client", "role", "token_start", "created", "expiry", "last_used"]
    list_filter = ["user__groups"]
    search_fields = ["record__label", "user__username", "token_key"]
    list_select_related = ["user", "record"]
    ordering = ["-created"]
    fields = readonly_fields = ("label", "client", "role", "token_start", "created", "expiry", "last_used")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuthToken]:
        return super().get_queryset(request).prefetch_related("user__groups")

    @admin.display(description="Label", ordering="record__label")
    def label(self, obj: AuthToken) -> str:
        record = getattr(obj, "record", None)
        return record.label if record else "(issued before labels)"

    @admin.display(description="Client", ordering="user__username")
    def client(self, obj: AuthToken) -> str:
        return obj.user.get_username()

    @admin.display(description="Role")
    def role(self, obj: AuthToken) -> str:
        return role_of(obj.user) or "none"

    @admin.display(description="Token starts")
    def token_start(self, obj: AuthToken) -> str:
        return f"{obj.token_key}…"

    @admin.display(description="Last used", ordering="record__last_used_at")
    def last_used(self, obj: AuthToken) -> Any:
        record = getattr(obj, "record", None)
        return record.last_used_at if record and record.last_used_at else "never"


# --- Outlet feeds ------------------------------------------------------------------------------------


class FeedForm(forms.ModelForm):
    """A new feed: its outlet by name (created if new), its URL and how often to poll it."""

    outlet_name = forms.CharField(max_length=200, label="Outlet")
    url = forms.URLField(max_length=2000, assume_scheme="https", label="Feed URL")

    class Meta:
        model = Feed
        fields = ["url", "poll_minutes"]


class FeedEntryInline(ReadOnlyInline):
    model = FeedEntry
    show_change_link = False
    fields = readonly_fields = ("seen_at", "title", "url", "published_at", "source", "fetch", "note")
    ordering = ["-seen_at", "-id"]
    max_num = 50


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    """Outlets' feeds: what each last poll found, and when the next one is. Added through the feeds
    service (its URL checked as any fetched URL is); everything else is the poller's to write."""

    list_display = ["outlet", "url", "last_status", "last_new_entries", "last_polled_at", "next_poll_at", "is_active"]
    list_filter = ["last_status", "is_active", "outlet"]
    search_fields = ["url", "outlet__name", "title"]
    list_select_related = ["outlet"]
    actions = ["poll_now", "pause", "resume"]

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [FeedEntryInline] if obj is not None else []  # a new feed has no entries yet

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = FeedForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["outlet_name", "url", "poll_minutes"]
        return [f.name for f in Feed._meta.fields if f.name not in ("id", "polling_until")]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Feed, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            feed = feeds.feed_add(outlet_name=data["outlet_name"], url=data["url"], poll_minutes=data["poll_minutes"])
        except feeds.FeedError as error:
            raise WorkflowError(str(error)) from None
        obj.pk, obj.outlet, obj.url = feed.pk, feed.outlet, feed.url
        obj._state.adding = False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Nothing else to save: the entries are the poller's."""

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> Any:
        try:
            return super().add_view(request, form_url, extra_context)
        except WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.action(description="Poll now")
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        sent = feeds.feeds_poll_now(feed_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{sent} feed(s) sent to be polled; reload in a moment to see what they found.")

    @admin.action(description="Pause polling")
    def pause(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        done = feeds.feeds_set_active(feed_ids=list(queryset.values_list("pk", flat=True)), active=False)
        self.message_user(request, f"{done} feed(s) paused.")

    @admin.action(description="Resume polling")
    def resume(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        done = feeds.feeds_set_active(feed_ids=list(queryset.values_list("pk", flat=True)), active=True)
        self.message_user(request, f"{done} feed(s) resumed; polled at the next beat.")


@admin.register(ImportedReview)
class ImportedReviewAdmin(ReadOnlyAdmin):
    """Other desks' fact-checks, as their ClaimReview markup gave them: imports are their only writer
    (``manage.py import_claimreviews`` and the periodic import of FACTCHECK_CLAIMREVIEW_SOURCES)."""

    list_display = ["publisher_name", "claim", "rating", "review_date", "publisher_site"]
    list_filter = ["publisher_site"]
    search_fields = ["claim_text", "claimant", "publisher_name", "title", "url"]
    date_hierarchy = "review_date"
    fields = readonly_fields = (
        "url",
        "publisher_name",
        "publisher_site",
        "title",
        "review_date",
        "language_code",
        "claim_text",
        "claimant",
        "claim_date",
        "appearances",
        "textual_rating",
        "rating_value",
        "worst_rating",
        "best_rating",
        "imported_from",
        "first_imported_at",
        "updated_at",
    )

    @admin.display(description="claim", ordering="claim_text")
    def claim(self, obj: ImportedReview) -> str:
        return _short(obj.claim_text)

    @admin.display(description="rating", ordering="textual_rating")
    def rating(self, obj: ImportedReview) -> str:
        if obj.rating_value is None:
            return obj.textual_rating
        scale = f"{obj.rating_value:g} on {obj.worst_rating:g} to {obj.best_rating:g}"
        return f"{obj.textual_rating} ({scale})" if obj.textual_rating else scale

"""schema.org ClaimReview and the public fact-check page."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re

import extruct
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factcheck import selectors
from factcheck.claimreview import NotPublished, claim_review, json_ld_script
from factcheck.models import (
    CheckRun,
    Claim,
    ClaimAppearance,
    Evidence,
    Outlet,
    Passage,
    RatingLabel,
    Source,
    Verdict,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale")]

BASE_URL = settings.FACTCHECK_PUBLIC_BASE_URL
_hashes = itertools.count()


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2025, 4, day, hour, tzinfo=dt.UTC)


def make_source(outlet: Outlet, *, title: str, published_at: dt.datetime | None, url: str | None = None) -> Source:
    return Source.objects.create(
        outlet=outlet,
        title=title,
        url=url,
        published_at=published_at,
        text=f"{title}. The statement.",
        content_hash=f"{next(_hashes):064x}",
    )


def appear(claim: Claim, source: Source, *, position: int = 0, appeared_at: dt.datetime | None = None) -> None:
    passage = Passage.objects.create(
        source=source, position=position, text=claim.text, start_offset=0, end_offset=max(len(claim.text), 1)
    )
    ClaimAppearance.objects.create(
        claim=claim, passage=passage, source=source, appeared_at=appeared_at or source.published_at
    )


def make_verdict(
    *,
    text: str = "Oskaria has sent 11,000 soldiers to fight for Korva.",
    claimant: str = "Teodor Malesh",
    rating: str = "mostly-false",
    status: str = "published",
    slug: str = "oskaria-11000-soldiers",
    correction_note: str = "",
) -> Verdict:
    claim = Claim.objects.create(text=text, claimant=claimant, claim_date=dt.date(2025, 4, 8))
    westvale, _ = Outlet.objects.get_or_create(name="Westvale Observer")
    atlas, _ = Outlet.objects.get_or_create(name="Atlas Defense Review")
    later = make_source(
        westvale, title="Malesh repeats troop figure", published_at=at(10), url=f"https://westvale.example/{slug}"
    )
    earlier = make_source(
        atlas, title="Oskarian troops in Korva", published_at=at(8), url=f"https://atlas.example/{slug}"
    )
    appear(claim, later)
    appear(claim, earlier)
    appear(claim, later, position=1)  # a second passage of the same source: one appearance in the markup
    return Verdict.objects.create(
        claim=claim,
        rating=RatingLabel.objects.get(slug=rating),
        summary="Other outlets give approximately 15,000 soldiers.",
        status=status,
        published_at=at(12, 15) if status in {"published", "corrected", "retracted"} else None,
        slug=slug,
        correction_note=correction_note,
    )


def page_json_ld(html: str) -> list[dict]:
    return extruct.extract(html, base_url=BASE_URL, syntaxes=["json-ld"])["json-ld"]


# --- The ClaimReview object -------------------------------------------------------------------


def test_it_has_every_field_google_requires_and_recommends() -> None:
    verdict = make_verdict()

    review = claim_review(verdict)

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"{BASE_URL}/fact-checks/oskaria-11000-soldiers/"
    assert review["claimReviewed"] == "Oskaria has sent 11,000 soldiers to fight for Korva."
    assert review["datePublished"] == "2025-04-12"
    assert review["author"] == {
        "@type": "Organization",
        "name": settings.FACTCHECK_ORGANIZATION_NAME,
        "url": settings.FACTCHECK_ORGANIZATION_URL,
        # The logo, as an address on the site itself (an absolute URL, as Google asks).
        "logo": f"{settings.FACTCHECK_PUBLIC_BASE_URL}/static/factcheck/logo.svg",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mostly false",
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Teodor Malesh"}
    assert item["datePublished"] == "2025-04-08"
    atlas = {
        "@type": "CreativeWork",
        "url": "https://atlas.example/oskaria-11000-soldiers",
        "headline": "Oskarian troops in Korva",
        "datePublished": "2025-04-08",
        "publisher": {"@type": "Organization", "name": "Atlas Defense Review"},
    }
    westvale = {
        "@type": "CreativeWork",
        "url": "https://westvale.example/oskaria-11000-soldiers",
        "headline": "Malesh repeats troop figure",
        "datePublished": "2025-04-10",
        "publisher": {"@type": "Organization", "name": "Westvale Observer"},
    }
    assert item["appearance"] == [atlas, westvale]
    assert item["firstAppearance"] == atlas
    assert set(review) == {
        "@context", "@type", "url", "claimReviewed", "datePublished", "author", "reviewRating", "itemReviewed",
    }  # fmt: skip
    assert set(item) == {"@type", "author", "datePublished", "appearance", "firstAppearance"}


def test_it_is_plain_json() -> None:
    review = claim_review(make_verdict())
    assert json.loads(json.dumps(review)) == review


def test_a_label_without_a_number_keeps_only_its_name() -> None:
    review = claim_review(make_verdict(rating="unproven"))
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}


def test_the_scale_bounds_follow_the_active_numeric_labels() -> None:
    RatingLabel.objects.filter(slug="true").update(is_active=False)
    RatingLabel.objects.create(slug="pants-on-fire", name="Pants on fire", value=0, position=9)

    rating = claim_review(make_verdict())["reviewRating"]

    assert (rating["worstRating"], rating["ratingValue"], rating["bestRating"]) == (0, 2, 4)


def test_a_claim_without_claimant_has_no_claim_author() -> None:
    review = claim_review(make_verdict(claimant=""))
    assert "author" not in review["itemReviewed"]


@pytest.mark.parametrize(
    ("claimant", "kind"),
    [
        ("Teodor Malesh", "Person"),
        ("the Oskarian Defence Ministry", "Organization"),
        ("a Defence Ministry spokesman", "Person"),
        ("Westvale Observer", "Organization"),  # one of the outlets it appeared in
    ],
)
def test_the_claimant_is_a_person_or_an_organization(claimant: str, kind: str) -> None:
    review = claim_review(make_verdict(claimant=claimant))
    assert review["itemReviewed"]["author"] == {"@type": kind, "name": claimant}


def test_a_corrected_verdict_reflects_its_current_rating() -> None:
    verdict = make_verdict(status="corrected", correction_note="We first rated this False.")
    review = claim_review(verdict)
    assert review["reviewRating"]["alternateName"] == "Mostly false"
    assert review["reviewRating"]["ratingValue"] == 2
    assert review["datePublished"] == "2025-04-12"
    assert "We first rated" not in json.dumps(review)


@pytest.mark.parametrize("status", ["draft", "retracted"])
def test_only_published_and_corrected_verdicts_have_one(status: str) -> None:
    verdict = make_verdict(status=status)
    with pytest.raises(NotPublished, match=status):
        claim_review(verdict)


def test_a_published_verdict_without_slug_has_none() -> None:
    verdict = make_verdict(slug="")
    Verdict.objects.filter(pk=verdict.pk).update(slug=None)
    verdict.refresh_from_db()
    with pytest.raises(NotPublished, match="no slug"):
        claim_review(verdict)


def add_appearances(claim: Claim, count: int) -> None:
    outlet = Outlet.objects.create(name=f"Outlet {claim.pk}")
    for day in range(count):
        source = make_source(outlet, title=f"Report {day}", published_at=at(14 + day), url=None)
        appear(claim, source)


def queries_to_build(slug: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        verdict = selectors.published_verdict_for_review(slug)
        assert verdict is not None
        review = claim_review(verdict)
    return len(queries), review


def test_building_it_costs_the_same_queries_however_many_appearances() -> None:
    make_verdict(slug="few")
    many = make_verdict(slug="many", text="Another claim.")
    add_appearances(many.claim, 4)

    few_queries, few_review = queries_to_build("few")
    many_queries, many_review = queries_to_build("many")

    assert len(few_review["itemReviewed"]["appearance"]) == 2
    assert len(many_review["itemReviewed"]["appearance"]) == 6
    assert few_queries == many_queries <= 3


def test_a_verdict_loaded_without_its_appearances_is_reloaded_not_walked() -> None:
    verdict = make_verdict()
    add_appearances(verdict.claim, 4)
    plain = Verdict.objects.get(pk=verdict.pk)
    with CaptureQueriesContext(connection) as queries:
        review = claim_review(plain)
    assert len(review["itemReviewed"]["appearance"]) == 6
    assert len(queries) <= 3


# --- Serialising into HTML ---------------------------------------------------------------------


def test_the_script_element_escapes_what_could_end_it() -> None:
    html = json_ld_script({"claimReviewed": "</script><script>alert(1)</script> <!-- & >"})
    assert html.startswith('<script type="application/ld+json">')
    assert html.count("<") == 2  # the element's own tags only
    assert "&" not in html
    assert page_json_ld(str(html)) == [{"claimReviewed": "</script><script>alert(1)</script> <!-- & >"}]


# --- The public page ---------------------------------------------------------------------------


def test_the_page_embeds_exactly_the_claimreview(client: Client) -> None:
    verdict = make_verdict()

    response = client.get("/fact-checks/oskaria-11000-soldiers/")

    assert response.status_code == 200
    assert page_json_ld(response.content.decode()) == [claim_review(verdict)]


def test_the_page_shows_the_fact_check(client: Client) -> None:
    make_verdict()

    html = client.get("/fact-checks/oskaria-11000-soldiers/").content.decode()

    assert "Oskaria has sent 11,000 soldiers to fight for Korva." in html
    assert "Teodor Malesh" in html
    assert "Mostly false" in html
    assert "Other outlets give approximately 15,000 soldiers." in html
    assert '<time datetime="2025-04-12">12 April 2025</time>' in html
    assert "Atlas Defense Review" in html
    assert (
        '<a href="https://atlas.example/oskaria-11000-soldiers" rel="nofollow noopener">Oskarian troops in Korva</a>'
        in html
    )
    assert '<a href="https://westvale.example/oskaria-11000-soldiers" rel="nofollow noopener">' in html
    assert "Correction" not in html
    assert "<link" not in html  # no external stylesheets or scripts
    assert "<script src" not in html


def test_the_page_needs_no_sign_in(client: Client) -> None:
    make_verdict()
    client.logout()
    assert client.get("/fact-checks/oskaria-11000-soldiers/").status_code == 200


HOSTILE = 'He said </script><script>alert(1)</script> and <!-- then "quotes" & <b>bold</b>'


def test_hostile_article_text_stays_inert(client: Client) -> None:
    verdict = make_verdict(text=HOSTILE, claimant="<img src=x onerror=alert(2)>")
    Source.objects.filter(title="Oskarian troops in Korva").update(title="</script><script>alert(3)</script>")

    html = client.get("/fact-checks/oskaria-11000-soldiers/").content.decode()

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html
    assert html.count("<script") == 1  # the JSON-LD element only
    [data] = page_json_ld(html)
    assert data == claim_review(verdict)
    assert data["claimReviewed"] == HOSTILE
    assert data["itemReviewed"]["firstAppearance"]["headline"] == "</script><script>alert(3)</script>"


def test_a_source_url_that_is_not_http_is_not_a_link(client: Client) -> None:
    make_verdict()
    Source.objects.filter(title="Oskarian troops in Korva").update(url="javascript:alert(1)")

    html = client.get("/fact-checks/oskaria-11000-soldiers/").content.decode()

    assert 'href="javascript:' not in html


def test_a_corrected_fact_check_shows_its_correction(client: Client) -> None:
    verdict = make_verdict(status="corrected", correction_note="We first gave the wrong date of the claim.")

    html = client.get("/fact-checks/oskaria-11000-soldiers/").content.decode()

    assert "Correction:" in html
    assert "We first gave the wrong date of the claim." in html
    assert page_json_ld(html) == [claim_review(verdict)]


def test_a_retracted_fact_check_says_so_without_markup(client: Client) -> None:
    make_verdict(status="retracted", correction_note="The quotation was misattributed by our source.")

    response = client.get("/fact-checks/oskaria-11000-soldiers/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "retracted" in html
    assert "The quotation was misattributed by our source." in html
    assert "application/ld+json" not in html
    assert page_json_ld(html) == []
    assert "Mostly false" not in html


@pytest.mark.parametrize("status", ["draft"])
def test_an_unpublished_verdict_is_not_found(client: Client, status: str) -> None:
    make_verdict(status=status)
    assert client.get("/fact-checks/oskaria-11000-soldiers/").status_code == 404


def test_an_unknown_slug_is_not_found(client: Client) -> None:
    assert client.get("/fact-checks/no-such-check/").status_code == 404


def test_the_page_only_answers_reads(client: Client) -> None:
    make_verdict()
    assert client.post("/fact-checks/oskaria-11000-soldiers/").status_code == 405


# --- A page worth linking ------------------------------------------------------------------------


def cite(verdict: Verdict) -> Evidence:
    """Evidence from the Atlas report, cited by the verdict."""
    passage = Passage.objects.filter(source__title="Oskarian troops in Korva").get()
    Passage.objects.filter(pk=passage.pk).update(
        text="Approximately 15,000 Oskarian soldiers are in Korva, officials said."
    )
    run = CheckRun.objects.create(claim=verdict.claim, status="succeeded")
    evidence = Evidence.objects.create(run=run, passage=passage, stance="conflicts", reason="figure_conflict")
    verdict.cited_evidence.add(evidence)
    return evidence


def test_the_page_names_the_organisation_and_the_reviewer_never_a_login(client: Client) -> None:
    verdict = make_verdict()
    author = get_user_model().objects.create_user("rk2041", first_name="Rada", last_name="Kovar")
    Verdict.objects.filter(pk=verdict.pk).update(author=author)
    html = client.get("/fact-checks/oskaria-11000-soldiers/").content.decode()
    header = html[html.index('<header class="site">') : html.index("</header>")]
    assert settings.FACTCHECK_ORGANIZATION_NAME in header
    assert f'src="{settings.FACTCHECK_ORGANIZATION_LOGO}"' in header
    assert "reviewed by Rada Kovar" in html
    assert "rk2041" not in html
    # One visible "Fact-check" heading: the site's name is the organisation's.
    assert len(re.findall(r">\s*Fact-check\s*<", html)) == 1
    get_user_model().objects.filter(pk=author.pk).update(first_name="", last_name="")
    assert "reviewed by" not in client.get("/fact-checks/oskaria-11000-soldiers/").content.decode()


def test_the_page_shows_the_cited_evidence_with_outlet_date_link_and_passage(client: Client) -> None:
    cite(make_verdict())
    html = client.get("/fact-checks/oskaria-11000-soldiers/").content.decode()
    section = html[html.index('<section class="evidence"') : html.index("</section>", html.index('class="evidence"'))]
    assert "Atlas Defense Review" in section
    assert '<time datetime="2025-04-08">8 April 2025</time>' in section
    assert 'href="https://atlas.example/oskaria-11000-soldiers"' in section
    assert "<blockquote>Approximately 15,000 Oskarian soldiers are in Korva, officials said.</blockquote>" in section


@pytest.mark.usefixtures("roles")
def test_a_correction_shows_the_updated_date_and_the_history_of_corrections(client: Client) -> None:
    from factcheck.services.reviews import verdict_correct

    editor = get_user_model().objects.create_user("eli")
    editor.groups.add(Group.objects.get(name="editor"))
    verdict = make_verdict()
    verdict_correct(verdict_id=verdict.pk, expected_version=None, by=editor, correction_note="First fix.")
    verdict_correct(verdict_id=verdict.pk, expected_version=None, by=editor, correction_note="Second fix.")
    html = client.get("/fact-checks/oskaria-11000-soldiers/").content.decode()
    today = timezone.localdate()
    assert f'updated <time datetime="{today:%Y-%m-%d}">' in html
    section = html[html.index('<section class="corrections"') :]
    assert section.index("First fix.") < section.index("Second fix.")


def test_readers_are_told_while_new_evidence_is_under_review(client: Client) -> None:
    verdict = make_verdict()
    assert 'id="under-review"' not in client.get("/fact-checks/oskaria-11000-soldiers/").content.decode()
    Verdict.objects.filter(pk=verdict.pk).update(is_stale=True)
    html = client.get("/fact-checks/oskaria-11000-soldiers/").content.decode()
    assert 'id="under-review"' in html
    assert "our editors are reviewing it" in html

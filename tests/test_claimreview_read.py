"""Reading ClaimReview from pages and JSON feeds (factcheck/claimreview_read.py): pure, no database."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from factcheck import claimreview_read
from factcheck.claimreview_read import ReadResult, Unreadable, read_claimreviews

BASE = "https://checkdesk.example/2025/03/"


def a_review(**changes: Any) -> dict[str, Any]:
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checkdesk.example/2025/03/bridge-tolls/",
        "name": "No, bridge tolls did not triple",
        "claimReviewed": "Bridge tolls tripled last year.",
        "datePublished": "2025-03-04",
        "inLanguage": "en",
        "author": {"@type": "Organization", "name": "Check Desk", "url": "https://checkdesk.example/"},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "False",
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Dana Ruiz"},
            "datePublished": "2025-02-27",
            "appearance": [{"@type": "CreativeWork", "url": "https://social.example/posts/1"}],
            "firstAppearance": {"@type": "CreativeWork", "url": "https://video.example/watch/9"},
        },
    }
    review.update(changes)
    return review


def read_json(data: Any, *, max_reviews: int = 100, content_type: str = "application/json") -> ReadResult:
    return read_claimreviews(
        json.dumps(data).encode(), content_type=content_type, base_url=BASE, max_reviews=max_reviews
    )


def read_page(html: str, *, max_reviews: int = 100) -> ReadResult:
    return read_claimreviews(html.encode(), content_type="text/html", base_url=BASE, max_reviews=max_reviews)


def test_it_reads_every_field_of_a_claimreview() -> None:
    (review,) = read_json(a_review()).reviews
    assert review.url == "https://checkdesk.example/2025/03/bridge-tolls/"
    assert (review.publisher_name, review.publisher_site) == ("Check Desk", "checkdesk.example")
    assert review.title == "No, bridge tolls did not triple"
    assert (review.claim_text, review.claimant) == ("Bridge tolls tripled last year.", "Dana Ruiz")
    assert review.claim_date == dt.date(2025, 2, 27)
    assert review.review_date == dt.datetime(2025, 3, 4, tzinfo=dt.UTC)
    assert (review.textual_rating, review.rating_value, review.worst_rating, review.best_rating) == (
        "False",
        1.0,
        1.0,
        5.0,
    )
    assert review.appearances == ("https://video.example/watch/9", "https://social.example/posts/1")
    assert review.language_code == "en"


def nested_in_a_page(review: dict[str, Any]) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "WebPage", "mainEntity": {"@type": "Article", "hasPart": review}}


SHAPES = [
    pytest.param(a_review(), id="one-object"),
    pytest.param([{"@type": "WebSite", "name": "Check Desk"}, a_review()], id="a-list"),
    pytest.param({"@context": "https://schema.org", "@graph": [{"@type": "Organization"}, a_review()]}, id="graph"),
    pytest.param(a_review(**{"@type": ["ClaimReview", "Review"]}), id="type-list"),
    pytest.param(a_review(**{"@type": "http://schema.org/ClaimReview"}), id="type-iri"),
    pytest.param(a_review(**{"@type": "schema:ClaimReview"}), id="type-prefixed"),
    pytest.param(nested_in_a_page(a_review()), id="nested-in-a-webpage"),
    pytest.param({"claimReview": [a_review()], "nextPageToken": "x"}, id="claimreview-key"),
    pytest.param(
        {"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": [a_review()]}]}, id="datafeed"
    ),
]


@pytest.mark.parametrize("data", SHAPES)
def test_it_finds_the_review_in_every_shape_publishers_use(data: Any) -> None:
    result = read_json(data)
    assert [r.url for r in result.reviews] == ["https://checkdesk.example/2025/03/bridge-tolls/"]
    assert result.refused == ()


def test_it_reads_google_fact_check_tools_claims_search_answers() -> None:
    answer = {
        "claims": [
            {
                "text": "The new stadium cost 2 billion.",
                "claimant": "City councillor",
                "claimDate": "2025-01-10T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {"name": "Harbour Checks", "site": "harbourchecks.example"},
                        "url": "https://harbourchecks.example/stadium",
                        "title": "Stadium cost claim",
                        "reviewDate": "2025-01-12T09:30:00Z",
                        "textualRating": "Exaggerated",
                        "languageCode": "en",
                    }
                ],
            }
        ],
        "nextPageToken": "abc",
    }
    (review,) = read_json(answer).reviews
    assert (review.publisher_name, review.publisher_site) == ("Harbour Checks", "harbourchecks.example")
    assert (review.claim_text, review.claimant, review.claim_date) == (
        "The new stadium cost 2 billion.",
        "City councillor",
        dt.date(2025, 1, 10),
    )
    assert (review.textual_rating, review.rating_value, review.best_rating) == ("Exaggerated", None, None)
    assert review.review_date == dt.datetime(2025, 1, 12, 9, 30, tzinfo=dt.UTC)


def without(path: str) -> dict[str, Any]:
    review = a_review()
    *parents, last = path.split(".")
    node = review
    for name in parents:
        node = node[name]
    del node[last]
    return review


def with_rating(**rating: Any) -> dict[str, Any]:
    return a_review(reviewRating={"@type": "Rating", **rating})


REFUSALS = [
    pytest.param(without("url"), "no http(s) URL", id="no-url"),
    pytest.param(a_review(url="javascript:alert(1)"), "no http(s) URL", id="script-url"),
    pytest.param(a_review(url="ftp://checkdesk.example/review"), "no http(s) URL", id="ftp-url"),
    pytest.param(a_review(url="https://checkdesk.example/" + "x" * 2000), "longer than 2000", id="url-too-long"),
    pytest.param(without("claimReviewed"), "no claim text (claimReviewed)", id="no-claim"),
    pytest.param(a_review(claimReviewed="   "), "no claim text (claimReviewed)", id="blank-claim"),
    pytest.param(without("author"), "no publisher", id="no-publisher"),
    pytest.param(
        a_review(author={"@type": "Organization", "url": "https://x.example/"}), "no publisher", id="nameless"
    ),
    pytest.param(with_rating(ratingValue=6), "rating 6 is outside its scale 1 to 5", id="default-scale"),
    pytest.param(
        with_rating(ratingValue=0, worstRating=1, bestRating=7), "rating 0 is outside its scale 1 to 7", id="below"
    ),
    pytest.param(with_rating(ratingValue=3, worstRating=5, bestRating=1), "scale 5 to 1 is empty", id="upside-down"),
    pytest.param(with_rating(ratingValue=3, bestRating="ten"), "bestRating is not a number", id="bad-best"),
    pytest.param(with_rating(), "no rating", id="no-rating"),
    pytest.param(a_review(datePublished="4 March 2025"), "the review's date '4 March 2025' cannot be read", id="date"),
    pytest.param(a_review(datePublished="0001-01-01"), "before 1900", id="year-one"),
    pytest.param(
        a_review(itemReviewed={"@type": "Claim", "datePublished": "yesterday"}), "the claim's date", id="claim-date"
    ),
]


@pytest.mark.parametrize(("review", "reason"), REFUSALS)
def test_it_refuses_a_review_saying_why(review: dict[str, Any], reason: str) -> None:
    result = read_json([review, a_review(url="https://checkdesk.example/other")])
    assert [r.url for r in result.reviews] == ["https://checkdesk.example/other"]
    (refusal,) = result.refused
    assert reason in refusal.reason


RATINGS = [
    # (reviewRating, (textual, value, worst, best))
    pytest.param({"ratingValue": "2", "alternateName": "Mostly false"}, ("Mostly false", 2.0, 1.0, 5.0), id="defaults"),
    pytest.param(
        {"ratingValue": 6, "worstRating": 1, "bestRating": 7, "alternateName": "Mostly true"},
        ("Mostly true", 6.0, 1.0, 7.0),
        id="one-to-seven",
    ),
    pytest.param({"ratingValue": 0, "worstRating": 0, "bestRating": 1}, ("", 0.0, 0.0, 1.0), id="zero-based"),
    pytest.param({"alternateName": "Missing context"}, ("Missing context", None, None, None), id="textual-only"),
    pytest.param({"ratingValue": "False"}, ("False", None, None, None), id="verdict-in-value"),
    pytest.param({"ratingValue": ["3"], "bestRating": [{"@value": "4"}]}, ("", 3.0, 1.0, 4.0), id="listed-values"),
]


@pytest.mark.parametrize(("rating", "expected"), RATINGS)
def test_it_keeps_a_numeric_rating_with_the_scale_it_was_given_on(rating: dict[str, Any], expected: tuple) -> None:
    (review,) = read_json(with_rating(**rating)).reviews
    assert (review.textual_rating, review.rating_value, review.worst_rating, review.best_rating) == expected


def test_it_cuts_long_text_to_what_is_stored_and_keeps_only_http_urls() -> None:
    review = a_review(
        name="T" * 900,
        claimReviewed="Tolls\u202e\x00 rose\n\n  by  a third. " * 1000,
        author={"name": "N" * 400, "url": "ftp://checkdesk.example/"},
        inLanguage={"@type": "Language", "name": "English", "alternateName": "en-GB"},
        itemReviewed={
            "author": "A plain claimant name",
            "appearance": [
                "https://social.example/1",
                {"url": "javascript:alert(1)"},
                {"@id": "/relative/post"},
                "https://social.example/1",
                "data:text/html,hi",
                *[f"https://many.example/{n}" for n in range(100)],
            ],
        },
    )
    (read,) = read_json(review).reviews
    assert len(read.title) == claimreview_read.MAX_TITLE
    assert len(read.publisher_name) == claimreview_read.MAX_PUBLISHER_NAME
    assert len(read.claim_text) <= claimreview_read.MAX_CLAIM_TEXT
    assert read.claim_text.startswith("Tolls rose by a third. Tolls")
    assert read.publisher_site == "checkdesk.example"  # the review's host: the author's URL is not http(s)
    assert read.claimant == "A plain claimant name"
    assert read.language_code == "en-GB"
    assert read.appearances[:2] == ("https://social.example/1", "https://checkdesk.example/relative/post")
    assert len(read.appearances) == claimreview_read.MAX_APPEARANCES
    assert all(url.startswith("https://") for url in read.appearances)


def test_it_reads_a_relative_review_url_against_the_document() -> None:
    (review,) = read_json(a_review(url="bridge-tolls/")).reviews
    assert review.url == "https://checkdesk.example/2025/03/bridge-tolls/"


def test_it_reads_at_most_the_reviews_it_is_allowed_and_says_so() -> None:
    reviews = [a_review(url=f"https://checkdesk.example/{n}") for n in range(5)]
    result = read_json(reviews, max_reviews=3)
    assert len(result.reviews) == 3
    assert [r.reason for r in result.refused] == ["only the first 3 reviews of a document are read"]


def test_it_reads_the_same_review_once_however_often_it_is_marked_up() -> None:
    changed = copy.deepcopy(a_review())
    changed["reviewRating"]["alternateName"] = "Pants on fire"
    broken = a_review(url="https://checkdesk.example/broken", claimReviewed="")
    result = read_json([a_review(), changed, broken, broken])
    assert [r.textual_rating for r in result.reviews] == ["False"]
    assert [r.where for r in result.refused] == ["https://checkdesk.example/broken"]


def script(data: Any) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_it_refuses_a_broken_json_ld_block_and_still_reads_the_others() -> None:
    page = (
        "<html><head>"
        + script({"@type": "Organization", "name": "Check Desk"})
        + '<script type="application/ld+json">{"@type": "ClaimReview", "url": </script>'
        + script(a_review())
        + "</head><body><p>Text</p></body></html>"
    )
    result = read_page(page)
    assert [r.url for r in result.reviews] == ["https://checkdesk.example/2025/03/bridge-tolls/"]
    (refusal,) = result.refused
    assert refusal.where == "JSON-LD block 2"
    assert refusal.reason.startswith("not valid JSON")


MICRODATA = """<html><body><article itemscope itemtype="https://schema.org/ClaimReview">
<link itemprop="url" href="/2025/03/ferry-fares/">
<h1 itemprop="name">Ferry fares</h1>
<p>Claim: <span itemprop="claimReviewed">Ferry fares doubled in January.</span></p>
<div itemprop="itemReviewed" itemscope itemtype="https://schema.org/Claim">
  <span itemprop="author" itemscope itemtype="https://schema.org/Organization"><span itemprop="name">Ferry Users Group</span></span>
  <meta itemprop="datePublished" content="2025-01-20">
</div>
<div itemprop="author" itemscope itemtype="https://schema.org/Organization">
  <meta itemprop="name" content="Check Desk"><link itemprop="url" href="https://checkdesk.example/">
</div>
<div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
  <meta itemprop="worstRating" content="1"><meta itemprop="bestRating" content="7">
  <meta itemprop="ratingValue" content="4"><span itemprop="alternateName">Half true</span>
</div>
<time itemprop="datePublished" datetime="2025-03-01T08:15:00+01:00">1 March</time>
</article></body></html>"""


def test_it_reads_microdata_as_crawlers_do() -> None:
    (review,) = read_page(MICRODATA).reviews
    assert review.url == "https://checkdesk.example/2025/03/ferry-fares/"
    assert (review.claim_text, review.claimant) == ("Ferry fares doubled in January.", "Ferry Users Group")
    assert (review.textual_rating, review.rating_value, review.worst_rating, review.best_rating) == (
        "Half true",
        4.0,
        1.0,
        7.0,
    )
    assert review.review_date == dt.datetime(2025, 3, 1, 7, 15, tzinfo=dt.UTC)


def test_a_review_in_json_ld_and_microdata_is_read_once() -> None:
    page = MICRODATA.replace("<body>", "<body>" + script(a_review(url="/2025/03/ferry-fares/")))
    result = read_page(page)
    assert len(result.reviews) == 1
    assert result.reviews[0].claim_text == "Bridge tolls tripled last year."  # JSON-LD first, as crawlers prefer


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        pytest.param(b'{"@type": "ClaimReview",', "application/json", "not valid JSON", id="broken-json"),
        pytest.param(b"\xff\xfe{}", "application/json", "not UTF-8", id="not-utf8"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, "", "nested too deeply", id="deep"),
    ],
)
def test_it_says_why_a_document_cannot_be_read(body: bytes, content_type: str, reason: str) -> None:
    with pytest.raises(Unreadable, match=reason):
        read_claimreviews(body, content_type=content_type, base_url=BASE, max_reviews=10)


def test_without_a_content_type_the_body_says_whether_it_is_json_or_a_page() -> None:
    as_json = read_claimreviews(json.dumps(a_review()).encode(), content_type="", base_url=BASE, max_reviews=10)
    as_page = read_claimreviews(MICRODATA.encode(), content_type="text/plain", base_url=BASE, max_reviews=10)
    assert len(as_json.reviews) == len(as_page.reviews) == 1

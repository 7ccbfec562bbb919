"""Reading article files: pure, no database."""

import datetime as dt
import os
from pathlib import Path

import pytest

from factcheck.documents import DocumentError, read_document

LIMIT = 100_000

ARTICLE_HTML = """<!doctype html>
<html><head>
<title>Harbour bridge reopens | Coastline Times</title>
<meta property="og:site_name" content="Coastline Times">
<meta name="author" content="Ada Brenner">
<meta property="article:published_time" content="2025-03-14T09:30:00Z">
<link rel="canonical" href="https://coastline.example/2025/03/14/bridge">
</head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<article>
<h1>Harbour bridge reopens after repairs</h1>
<p>The harbour bridge reopened on Friday after eleven weeks of repairs, the city engineer said in a statement.</p>
<p>About 40,000 vehicles a day crossed the bridge before it closed, according to the transport office.</p>
</article>
<aside><h3>Related stories</h3><a href="/a">Ferry timetable changes for spring</a></aside>
<footer>Copyright 2025 Coastline Times. We use cookies to improve your experience.</footer>
</body></html>
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_it_reads_markdown_front_matter(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.md",
        "---\noutlet: Coastline Times\nurl: https://coastline.example/x\ntitle: Bridge\n"
        "author: Ada Brenner\npublished: 2025-03-14\n---\n# Bridge\n\nThe **bridge** reopened. See [the map](https://x.example).\n",
    )
    document = read_document(path, max_bytes=LIMIT)
    assert document.outlet == "Coastline Times"
    assert document.url == "https://coastline.example/x"
    assert document.author == "Ada Brenner"
    assert document.published == dt.date(2025, 3, 14)
    assert document.format == "md"
    assert document.text == "Bridge\n\nThe bridge reopened. See the map."


def test_it_takes_a_markdown_title_from_the_first_heading(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "a.md", "# Storm warning\n\nWinds rose.\n"), max_bytes=LIMIT)
    assert document.title == "Storm warning"


def test_it_reads_plain_text_without_metadata(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "a.txt", "\ufeffFirst line.\r\nSecond line.\r\n"), max_bytes=LIMIT)
    assert document.text == "First line.\nSecond line."
    assert (document.outlet, document.url, document.published) == ("", "", None)


def test_it_extracts_the_main_text_and_metadata_of_html(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "a.html", ARTICLE_HTML), max_bytes=LIMIT)
    assert "eleven weeks of repairs" in document.text
    assert "40,000 vehicles" in document.text
    for boilerplate in ("Weather", "Ferry timetable", "cookies", "Copyright"):
        assert boilerplate not in document.text
    assert document.outlet == "Coastline Times"
    assert document.author == "Ada Brenner"
    assert document.url == "https://coastline.example/2025/03/14/bridge"
    assert document.published == dt.datetime(2025, 3, 14)
    assert document.format == "html"


def test_it_decodes_legacy_encodings(tmp_path: Path) -> None:
    text = "Le ministre a déclaré que la réunion était terminée. Les élus ont quitté la salle après midi."
    document = read_document(write(tmp_path, "a.txt", text.encode("cp1252")), max_bytes=LIMIT)
    assert document.text == text


BAD_FILES = [
    ("empty.txt", b"", "empty"),
    ("blank.md", b"  \n\n\t\n", "empty"),
    ("front-matter-only.md", b"---\noutlet: X\n---\n", "empty"),
    ("binary.txt", bytes(range(256)) * 4, "binary"),
    ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "binary"),
    (
        "no-article.html",
        b"<html><head><script>var x = 1;</script></head><body><img src='a.png'></body></html>",
        "empty",
    ),
    ("big.txt", b"Word. " * (LIMIT // 6 + 10), "too large"),
    ("bad-yaml.md", b"---\noutlet: [unclosed\n---\nBody text.\n", "front matter"),
    ("bad-date.md", b"---\npublished: last tuesday\n---\nBody text.\n", "date"),
    ("data.pdf", b"%PDF-1.4", "unsupported file type"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_FILES)
def test_it_refuses_a_bad_file_with_a_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    with pytest.raises(DocumentError, match=reason):
        read_document(write(tmp_path, name, content), max_bytes=LIMIT)


def test_it_reports_an_unreadable_file(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    os.symlink(tmp_path / "missing-target.txt", link)
    with pytest.raises(DocumentError, match="unreadable"):
        read_document(link, max_bytes=LIMIT)

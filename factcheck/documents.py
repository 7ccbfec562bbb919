"""Turning article files into plain text plus metadata. Pure: no Django import.

Supported: plain text and Markdown (optionally with YAML front matter giving
outlet, url, title, author, published) and HTML pages, whose main text and
metadata are extracted with trafilatura, which drops navigation, sidebars and
footers. Every refusal is a DocumentError whose message says why, in words a
user can act on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import trafilatura
import yaml
from charset_normalizer import from_bytes

from factcheck.crosscheck.text import normalize_text

FORMAT_BY_SUFFIX = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}

# Bytes inspected for signs of a binary file; control characters other than
# tab, LF, CR and form feed are not found in articles.
_SNIFF_BYTES = 8192
_BINARY_CONTROL_SHARE = 0.05
_CONTROL_BYTES = frozenset(range(0, 32)) - {9, 10, 12, 13}

# Invisible characters that make text display or match as something it is not: bidirectional
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) can show a stored claim
# reordered on the public page, and zero-width spaces (U+200B, U+2060, U+FEFF) split words so
# they no longer match. Kept: the LRM/RLM marks and ZWJ/ZWNJ, which right-to-left and Indic
# scripts and emoji need.
_INVISIBLE_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x2060, 0xFEFF])

_MD_HEADING = re.compile(r"^#{1,6}[ \t]+(.*?)[ \t#]*$", re.MULTILINE)
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)([^*_\n]+?)(?<=\S)\1")


class DocumentError(Exception):
    """The file cannot become a source; the message says why."""


@dataclass(frozen=True)
class Document:
    text: str
    format: str
    title: str = ""
    author: str = ""
    outlet: str = ""
    url: str = ""
    published: dt.datetime | dt.date | None = None


def read_document(path: Path, *, max_bytes: int) -> Document:
    """Read one file; the format comes from its suffix."""
    file_format = FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if file_format is None:
        supported = ", ".join(sorted(FORMAT_BY_SUFFIX))
        raise DocumentError(f"unsupported file type {path.suffix or '(none)'!r}; supported: {supported}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(f"too large: {size:,} bytes, the limit is {max_bytes:,}")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise DocumentError(f"unreadable: {error.strerror or error}") from None
    return parse_document(data, file_format=file_format, max_bytes=max_bytes)


def parse_document(data: bytes, *, file_format: str, max_bytes: int) -> Document:
    """Parse raw bytes in a known format into a Document with normalised text."""
    if len(data) > max_bytes:
        raise DocumentError(f"too large: more than {max_bytes:,} bytes")
    if not data.strip():
        raise DocumentError("empty: the file has no text")
    if looks_binary(data):
        raise DocumentError("binary: this is not a text, Markdown or HTML file")
    text = strip_invisible_controls(decode_text(data))
    document = _parse_html(text) if file_format == "html" else _parse_plain(text, file_format)
    if not document.text:
        raise DocumentError("empty: no article text was found in the file")
    return document


def strip_invisible_controls(text: str) -> str:
    """``text`` without the invisible controls above (what every text from outside goes through)."""
    return text.translate(_INVISIBLE_CONTROLS)


def looks_binary(data: bytes) -> bool:
    sample = data[:_SNIFF_BYTES]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    return controls > len(sample) * _BINARY_CONTROL_SHARE


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, as nearly all articles are; else detect the charset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[: 1024 * 1024]).best()
    if best is None or best.encoding is None:
        raise DocumentError("unreadable: the text encoding could not be determined")
    return data.decode(best.encoding, errors="replace")


def _parse_plain(text: str, file_format: str) -> Document:
    metadata, body = _split_front_matter(text)
    title = _metadata_str(metadata, "title")
    if file_format == "md":
        if not title:
            heading = _MD_HEADING.search(body)
            title = heading.group(1).strip() if heading else ""
        body = _markdown_to_text(body)
    return Document(
        text=normalize_text(body),
        format=file_format,
        title=title,
        author=_metadata_str(metadata, "author"),
        outlet=_metadata_str(metadata, "outlet"),
        url=_metadata_str(metadata, "url"),
        published=_metadata_date(metadata.get("published")),
    )


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.lstrip("\ufeff").startswith("---"):
        return {}, text
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as error:
        raise DocumentError(f"unreadable front matter: {str(error).splitlines()[0]}") from None
    metadata = post.metadata if isinstance(post.metadata, dict) else {}
    return metadata, post.content


def _markdown_to_text(body: str) -> str:
    """Drop Markdown markup that is not part of the prose: heading marks, link targets, emphasis."""
    body = _MD_HEADING.sub(r"\1", body)
    body = _MD_LINK.sub(r"\1", body)
    return _MD_EMPHASIS.sub(r"\2", body)


def _metadata_str(metadata: dict[str, Any], key: str) -> str:
    value = metadata.get(key)
    return str(value).strip() if value is not None else ""


def _metadata_date(value: object) -> dt.datetime | dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise DocumentError(f"unreadable date {value!r}: use YYYY-MM-DD") from None


def _parse_html(html: str) -> Document:
    extracted = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_recall=True,
        # Only dates the page states for itself, never guessed from its prose or the clock.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if extracted is None or isinstance(extracted, dict):
        return Document(text="", format="html")
    return Document(
        text=normalize_text(extracted.text or ""),
        format="html",
        title=(extracted.title or "").strip(),
        author=(extracted.author or "").strip(),
        outlet=(extracted.sitename or "").strip(),
        url=(extracted.url or "").strip(),
        published=_metadata_date(extracted.date),
    )

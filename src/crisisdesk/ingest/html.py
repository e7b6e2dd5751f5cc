"""HTML pages: the main text only, with the page's own metadata.

trafilatura finds the article and drops menus, footers and share links,
which would otherwise feed the extractor stray numbers. For fragments and
very short pages it finds nothing, so we fall back to the text of the
parsed tree (lxml) without scripts, styles and navigation. Tags are never
matched with regular expressions.
"""

from __future__ import annotations

import codecs
import logging
from typing import Any

import lxml.etree
import lxml.html
import trafilatura

from crisisdesk.errors import IngestError
from crisisdesk.ingest.common import clean, make_document, parse_date
from crisisdesk.ingest.decode import decode_bytes, looks_binary
from crisisdesk.model import Document

log = logging.getLogger(__name__)

_SKIP = frozenset(
    {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "head"}
)
_BLOCK = frozenset(
    {
        "p", "div", "section", "article", "main", "br", "li", "ul", "ol", "table", "tr", "td",
        "th", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "dd", "dt", "figcaption",
    }
)  # fmt: skip


def parse_html(data: bytes | str) -> lxml.etree._Element | None:
    """A forgiving parse; None when there is no tree at all."""
    parser = lxml.etree.HTMLParser(recover=True)
    try:
        return lxml.etree.fromstring(data, parser)
    except ValueError:
        if isinstance(data, str):  # text with an <?xml encoding=...?> line: parse its bytes
            return parse_html(data.encode("utf-8"))
        return None
    except lxml.etree.LxmlError:
        return None


def _declared_charset(root: lxml.etree._Element | None) -> str | None:
    """The encoding a page declares in <meta charset> or its Content-Type."""
    if root is None:
        return None
    for value in root.xpath("//meta/@charset"):
        if str(value).strip():
            return str(value).strip()
    for meta in root.xpath("//meta[@http-equiv and @content]"):
        if str(meta.get("http-equiv", "")).strip().lower() != "content-type":
            continue
        _, sep, rest = str(meta.get("content", "")).lower().partition("charset=")
        if sep:
            return rest.split(";")[0].strip().strip("'\"") or None
    return None


def decode_html(data: bytes, *, where: str | None) -> str:
    """Page bytes to text: a BOM or valid UTF-8, else the declared charset, else a guess."""
    if looks_binary(data):
        return decode_bytes(data, where=where)  # UTF-16/32 with a BOM, or refused as binary
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(parse_html(data))
    if declared:
        try:
            return data.decode(codecs.lookup(declared).name)
        except (LookupError, UnicodeDecodeError):
            log.debug("%s: declared charset %r does not fit, guessing", where, declared)
    return decode_bytes(data, where=where)


def visible_text(root: lxml.etree._Element | None) -> str:
    """Visible text of the tree, one line per block element, blank lines dropped."""
    if root is None:
        return ""
    parts: list[str] = []

    def walk(el: lxml.etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.lower() in _SKIP or not tag:
            if el.tail:
                parts.append(el.tail)
            return
        block = tag.lower() in _BLOCK
        if block:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def _language(root: lxml.etree._Element | None) -> str | None:
    """The language the page declares on <html lang>, as a two-letter code."""
    if root is None:
        return None
    lang = clean(root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"))
    return lang.split("-")[0].lower() if lang else None


def html_document(html: str, *, origin: str | None) -> Document:
    """A Document from decoded HTML; IngestError("no readable text") if the page has none."""
    root = parse_html(html) if html.strip() else None
    extracted: Any = None
    if root is not None:
        try:
            extracted = trafilatura.bare_extraction(
                html, with_metadata=True, include_comments=False, include_tables=True
            )
        except Exception as exc:  # noqa: BLE001 - a heuristic extractor; we have a fallback
            log.debug("%s: trafilatura failed (%s), using the plain tree", origin, exc)
    text = clean(getattr(extracted, "text", None)) or visible_text(root)
    if not text.strip():
        raise IngestError("no readable text", where=origin)
    title = clean(getattr(extracted, "title", None))
    if title is None and root is not None:
        title = clean(" ".join(root.xpath("string(//title)").split()))
    raw_date = clean(getattr(extracted, "date", None))
    try:
        published = parse_date(raw_date, where=origin)
    except IngestError:
        published = None  # a page's own date metadata is a hint, not a contract
    return make_document(
        text,
        origin=origin,
        fmt="html",
        title=title,
        publisher=clean(getattr(extracted, "sitename", None)),
        url=clean(getattr(extracted, "url", None)),
        published=published,
        language=_language(root),
    )


def read_html_bytes(data: bytes, *, origin: str | None) -> Document:
    """An .html file's bytes into a Document."""
    if not data.strip():
        raise IngestError("empty file", where=origin)
    return html_document(decode_html(data, where=origin), origin=origin)

"""Helpers for the ingest tests: fixture paths and PDFs made on the fly.

Named uniquely because test folders are not packages (basenames must not clash).
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
DEV_DOCS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev" / "docs.jsonl"


def pdf_from_pages(pages: list[str], title: str | None = None) -> bytes:
    """A real PDF with one page per string, rendered by WeasyPrint."""
    import weasyprint

    head = f"<title>{title}</title>" if title else ""
    body = "".join(
        f'<p style="page-break-before: always">{text}</p>' if i else f"<p>{text}</p>"
        for i, text in enumerate(pages)
    )
    return weasyprint.HTML(
        string=f"<html><head>{head}</head><body>{body}</body></html>"
    ).write_pdf()


def blank_pdf(pages: int) -> bytes:
    """A PDF whose pages have no text layer, as a scan without OCR would be."""
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=300, height=400)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(source: bytes, user_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(source)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

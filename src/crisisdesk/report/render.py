"""Lay a ``Sitrep`` out as one self-contained HTML file, and that HTML as an A4 PDF.

Jinja2 runs with autoescape on: document titles and quotes are text from
the outside world and never markup. The only markup inserted as is are the
SVG charts, which escape their own labels. The stylesheet is inlined, so the
HTML file can be mailed on its own, and the PDF is WeasyPrint's rendering of
the very same HTML (print rules: A4, page numbers, rows never cut).
"""

from __future__ import annotations

import logging
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from crisisdesk.errors import ConfigError
from crisisdesk.language import detect_language
from crisisdesk.report.charts import bar_chart, timeline_chart
from crisisdesk.report.mapsvg import point_map
from crisisdesk.report.sitrep import build_sitrep
from crisisdesk.report.views import Sitrep
from crisisdesk.report.words import fmt_date, fmt_int
from crisisdesk.store import Store

log = logging.getLogger(__name__)

SUFFIXES = (".html", ".htm", ".pdf")
_FILTERS = {"date_from", "date_to", "place", "categories", "verified_only", "reconciled"}


@cache
def _environment() -> Environment:
    """The template environment, built once (it holds only compiled templates)."""
    env = Environment(
        loader=PackageLoader("crisisdesk.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = fmt_int
    env.filters["day"] = fmt_date
    env.filters["ucfirst"] = lambda text: text[:1].upper() + text[1:] if text else text
    env.filters["isolate"] = isolate
    env.filters["lang"] = quote_language
    env.tests["web_url"] = is_web_url
    return env


@pass_context
def isolate(context: Context, text: object) -> object:
    """In print, text from a document between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE.

    An Arabic quote inside an English line must keep its own direction: a browser
    isolates it by its ``dir="auto"`` attribute, but WeasyPrint ignores that
    attribute and lays the quote out left to right, so "12" would jump to the
    wrong end. The two invisible marks make Pango isolate it the same way. The
    HTML file does without them, so that a quote copied from it is the document's."""
    if context.get("for_print") and isinstance(text, str) and text:
        return f"\u2068{text}\u2069"
    return text


def quote_language(text: object) -> str:
    """The language of a quote for its ``lang`` attribute ("ar", "fa", "en"; "" if unknown).

    The stylesheet keys on it: Arabic script has no italic, and a quote shown in
    italic is slanted into letters no reader writes, so a quote in Arabic or
    Persian stays upright; a screen reader also reads it in its own language."""
    if not isinstance(text, str):
        return ""
    language = detect_language(text)
    return "" if language == "und" else language


def is_web_url(url: object) -> bool:
    """Only http(s) links are written as links: a document's url is not trusted."""
    return isinstance(url, str) and urlsplit(url.strip()).scheme.lower() in ("http", "https")


# The front page: key figures, the map and the main chart on one A4 page (sizes in px).
MAP_SIZE = (680, 320)
LEAD_CHART_HEIGHT = 150


def _charts(sitrep: Sitrep) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The time charts as (caption, svg, note, series): the first one with marks leads the
    front page, the others follow under "Over time"."""
    specs = [
        ("Casualties", sitrep.casualties, "No dated casualty figures to chart."),
        ("Displacement (people)", sitrep.displacement, "No dated displacement figures to chart."),
    ]
    lead = next((s for s in specs if not s[1].is_empty), None)
    charts = []
    for caption, series, missing in specs:
        height = LEAD_CHART_HEIGHT if lead and series is lead[1] else 220
        charts.append(
            {
                "id": series.title.split()[0].lower(),
                "caption": caption,
                "svg": Markup(timeline_chart(series, height=height)),
                "note": series.note,
                "missing": missing,
                "lead": lead is not None and series is lead[1],
            }
        )
    first = next((c for c in charts if c["lead"]), None)
    return first, [c for c in charts if not c["lead"]]


def _context(sitrep: Sitrep) -> dict[str, Any]:
    lead_chart, other_charts = _charts(sitrep)
    return {
        "s": sitrep,
        "lead_chart": lead_chart,
        "other_charts": other_charts,
        "attack_chart": Markup(bar_chart(sitrep.attacks, title="Attacks by type")),
        "map_svg": Markup(point_map(sitrep.points, width=MAP_SIZE[0], height=MAP_SIZE[1])),
        "today": fmt_date(sitrep.generated),
    }


def render_html(sitrep: Sitrep, *, for_print: bool = False) -> str:
    """The report as one HTML file: styles inlined, charts and map as inline SVG.
    ``for_print``: the HTML WeasyPrint prints (document text isolated, see ``isolate``)."""
    template = _environment().get_template("sitrep.html")
    return template.render(**_context(sitrep), for_print=for_print)


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """WeasyPrint must not fetch anything: the report has no external resources."""
    raise ValueError(f"refusing to fetch {url}: reports render offline")


def render_pdf(sitrep: Sitrep, path: Path) -> None:
    """The same HTML printed to an A4 PDF with WeasyPrint."""
    import weasyprint  # heavy: only loaded when a PDF is asked for

    path = Path(path)
    if not path.parent.exists():
        raise ConfigError("the output folder does not exist", where=str(path.parent))
    html = weasyprint.HTML(string=render_html(sitrep, for_print=True), url_fetcher=_refuse_fetch)
    html.write_pdf(str(path))


def write_report(store: Store, out: Path, **filters: Any) -> Path:
    """Build the report for ``filters`` (see ``build_sitrep``) and write HTML or PDF by suffix."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise ConfigError(
            f"cannot write a report as {suffix or 'a file without a suffix'}: use .html or .pdf",
            where=str(out),
        )
    if not out.parent.exists():
        raise ConfigError("the output folder does not exist", where=str(out.parent))
    unknown = set(filters) - _FILTERS
    if unknown:
        raise ConfigError(f"unknown report filter {', '.join(sorted(unknown))}")
    for key in ("date_from", "date_to"):
        value = filters.get(key)
        if isinstance(value, str):
            try:
                filters[key] = date.fromisoformat(value)
            except ValueError as exc:
                raise ConfigError(f"{key} is not an ISO date: {value!r}") from exc
    sitrep = build_sitrep(store, **filters)
    if suffix == ".pdf":
        render_pdf(sitrep, out)
    else:
        out.write_text(render_html(sitrep), encoding="utf-8")
    log.info("report written to %s", out)
    return out

"""The dashboard: headline figures, review progress, flags, a map, what changed since
the user's last visit and the activity that concerns them, for a period and a place.

It reads what ``reconcile`` stored (``Store.largest_figures``, ``flagged_figures``,
``place_points``) and the reconciled totals it answers from those figures while they
are fresh, cached per store version; it never rebuilds a report. Every number, flag
and map point links to the queue filtered to the facts behind it.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from crisisdesk.reconcile.headlines import HEADLINES, headline_totals
from crisisdesk.report.mapsvg import point_map
from crisisdesk.report.views import MapPoint
from crisisdesk.store.overview import PlacePoint, Window
from crisisdesk.web.api_exports import EXPORT_FILES
from crisisdesk.web.auth import Session, requires
from crisisdesk.web.cache import Kept, request_version
from crisisdesk.web.common import get_store

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Session, Depends(requires("viewer"))]
STATUSES = ("unreviewed", "corrected", "added", "verified", "rejected")
_CACHE_SIZE = 64


class Headlines:
    """Headline totals per (store version, view), kept while nothing changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: OrderedDict[tuple[Any, ...], list[dict[str, Any]]] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> list[dict[str, Any]] | None:
        with self._lock:
            return self._seen.get(key)

    def put(self, key: tuple[Any, ...], value: list[dict[str, Any]]) -> None:
        with self._lock:
            self._seen[key] = value
            while len(self._seen) > _CACHE_SIZE:
                self._seen.popitem(last=False)


def queue_link(**filters: Any) -> str:
    """The review queue showing the facts behind a number."""
    data = {k: v for k, v in filters.items() if v not in (None, "", False)}
    data.setdefault("status", "any")
    return "/queue?" + urlencode(data)


def _headlines(store: Any, w: Window, verified_only: bool, state: str) -> list[dict[str, Any]]:
    """Each headline: the reconciled total while the stored figures are fresh (or of
    the verified facts), else the largest single stored figure, said so. The plain
    view's totals are those the reconcile run kept (``remember_headlines``)."""
    plain = w == Window()
    kept = store.saved_headlines() if plain and state == "fresh" else None
    if kept is not None:
        heads = kept["verified" if verified_only else "all"]
    elif verified_only or state == "fresh":
        heads = headline_totals(
            store, place=w.place, date_from=w.date_from, date_to=w.date_to,
            verified_only=verified_only,
        )  # fmt: skip
    else:
        heads = _largest(store, w, state)
    out = []
    for h in heads:
        how = "reconciled total" if verified_only or state == "fresh" else "largest single figure"
        status = "verified" if verified_only else "any"
        link = queue_link(category=h["category"], unit=h["unit"], status=status, place=w.place,
                          date_from=w.date_from, date_to=w.date_to, sort="value")  # fmt: skip
        out.append({"label": h["label"], "value": h["value"], "figures": h["figures"],
                    "how": how if h["value"] is not None else "", "link": link})  # fmt: skip
    return out


def _largest(store: Any, w: Window, state: str) -> list[dict[str, Any]]:
    """Each headline's largest single stored figure (the figures are stale: not added up)."""
    largest = store.largest_figures(w) if state != "none" else {}
    out = []
    for category, unit, label in HEADLINES:
        cat, u = str(category), (str(unit) if unit else None)
        hits = [
            (v, n) for (c, un), (v, n) in largest.items() if c == cat and (u is None or un == u)
        ]
        value = max(v for v, _ in hits) if hits else None
        out.append({"label": label, "category": cat, "unit": u, "value": value,
                    "figures": sum(n for _, n in hits)})  # fmt: skip
    return out


def _map(store: Any, w: Window, kept: Kept) -> Markup:
    """The map of the stored figures' places: drawn again only when its points (or
    the period its links carry) change; drawing costs 100 ms, reading the points 5."""
    points = tuple(store.place_points(w))
    if not points:
        return Markup("")
    return kept.fetch(("map", points, w.date_from, w.date_to), lambda: _draw(points, w))


def _draw(points: tuple[PlacePoint, ...], w: Window) -> Markup:
    links = {p.name: p.place_id for p in points}

    def words(line: tuple[int, str, str]) -> str:
        value, category, unit = line
        return f"{value:,} {what(unit, category)}"

    drawn = [
        MapPoint(
            name=p.name,
            lat=p.lat,
            lon=p.lon,
            people=p.people,
            figures=p.figures,
            label=f"{p.name}: {'; '.join(words(x) for x in p.lines)}",
            values=tuple(v for v, _, _ in p.lines),
            cards=tuple(c for _, c, _ in p.lines),
            lines=tuple(words(x) for x in p.lines),
        )
        for p in points
    ]

    def href(mp: MapPoint) -> str | None:
        return queue_link(place=links.get(mp.name), date_from=w.date_from, date_to=w.date_to)

    return Markup(point_map(drawn, href=href))


_DOC_REF = re.compile(r"\(document ([0-9a-f]{8,64})\)")
_FLAG_CODE = re.compile(r"([a-z]+(?:_[a-z]+)+): ")


def what(unit: str, category: str) -> str:
    """A figure's unit and category in words, the unit once: "facilities damaged"
    (not "facilities facilities damaged"), "people killed"."""
    words = str(category).replace("_", " ")
    return words if words.split(" ")[0] == str(unit) else f"{unit} {words}"


def flag_text(text: str, titles: dict[str, str]) -> Markup:
    """A stored figure's flag as an analyst reads it: the reconcile code kept as a
    tooltip, each document it names by id a link titled with the document's title."""
    code = _FLAG_CODE.match(text)
    body = text[code.end() :] if code else text
    out, at = [], 0
    for m in _DOC_REF.finditer(body):
        doc = m.group(1)
        out.append(escape(body[at : m.start()]))
        title = escape(titles.get(doc, doc))
        out.append(Markup(f'(<a href="/documents/{doc}" dir="auto">{title}</a>)'))
        at = m.end()
    out.append(escape(body[at:]))
    inner = Markup("").join(out)
    if code:
        return Markup(f'<span title="{escape(code.group(1))}">{inner}</span>')
    return inner


def _changes(seen: dict[str, Any], now: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Headlines whose value moved since the values the user last saw."""
    out = []
    for h in now:
        before = seen.get(h["label"])
        if h["value"] is not None and before is not None and before != h["value"]:
            out.append({**h, "before": before, "delta": h["value"] - before})
    return out


@router.get("/")
def dashboard(
    request: Request,
    session: Viewer,
    verified_only: bool = False,
    date_from: date | None = None,
    date_to: date | None = None,
    place: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    store = get_store(request)
    w = Window(date_from, date_to, (place or "").strip() or None)
    # stale figures are shown as they are, and one background reconcile brings them up to date
    state = request.app.state.refresher.ask_if_stale()
    key = (request_version(request), state, verified_only, w)
    cache: Headlines = request.app.state.headlines
    headlines = cache.get(key)
    if headlines is None:
        headlines = _headlines(store, w, verified_only, state)
        cache.put(key, headlines)
    name = session.user.name
    last, seen = store.last_visit(name)
    plain = not (verified_only or date_from or date_to or w.place)
    changed = _changes(seen, headlines) if plain else []
    documents = store.changed_since(last) if plain else []
    if plain:
        store.record_visit(
            name, {h["label"]: h["value"] for h in headlines if h["value"] is not None}
        )
    counts = store.fact_counts()
    flags = store.flagged_figures(w)
    titles = store.document_titles(
        {m for g in flags for fl in g["flags"] for m in _DOC_REF.findall(str(fl))}
    )
    view = {"verified_only": verified_only, "date_from": date_from, "date_to": date_to,
            "place": w.place}  # fmt: skip
    vo = "?verified_only=true" if verified_only else ""
    html = request.app.state.templates.get_template("dashboard.html").render(
        request=request,
        user=session,
        nav="dashboard",
        headlines=headlines,
        state=state,
        counts=counts,
        statuses=STATUSES,
        total_facts=sum(counts.values()),
        documents=store.count_documents(),
        view=view,
        verified_only=verified_only,
        vo=vo,
        exports=[(fmt.value, fname) for fmt, (fname, _media) in EXPORT_FILES.items()],
        flags=flags,
        what=what,
        flag_text=lambda text: flag_text(text, titles),
        map_svg=_map(store, w, request.app.state.kept),
        last_visit=last,
        changed=changed,
        changed_documents=documents,
        activity=store.activity_for(name, admin=session.can("admin")),
        link=queue_link,
        here=lambda **kw: "/?" + urlencode({k: v for k, v in {**view, **kw}.items() if v}),
    )
    return HTMLResponse(html)

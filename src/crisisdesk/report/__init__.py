"""Situation reports (HTML, PDF) and exports (CSV, HXL, GeoJSON, JSON, ACLED) from the store."""

from crisisdesk.report.exporters import FORMATS, export
from crisisdesk.report.render import render_html, render_pdf, write_report
from crisisdesk.report.sitrep import Sitrep, build_sitrep, summary_rows

__all__ = [
    "FORMATS",
    "Sitrep",
    "build_sitrep",
    "export",
    "render_html",
    "render_pdf",
    "summary_rows",
    "write_report",
]

"""The review desk: HTTP API and server-rendered pages (``create_app``)."""

from crisisdesk.web.app import create_app

__all__ = ["create_app"]

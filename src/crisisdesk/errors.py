"""One error hierarchy for the library, the CLI and the web API.

Each error carries a stable machine-readable ``code`` and the HTTP status the
API answers with, so that the CLI (exit codes) and the web layer (JSON error
bodies) translate errors the same way. This module imports nothing of ours.
"""

from __future__ import annotations


class CrisisdeskError(Exception):
    """Base class: every error we raise on purpose is one of these."""

    code = "error"
    http_status = 500
    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where  # a file name, a line, a field: what the user must look at

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class IngestError(CrisisdeskError):
    """A file could not be read into a Document (empty, binary, malformed...)."""

    code = "ingest_error"
    http_status = 422
    exit_code = 3


class ExtractError(CrisisdeskError):
    code = "extract_error"
    http_status = 422
    exit_code = 3


class GazetteerError(CrisisdeskError):
    """The gazetteer is missing, unreadable, or an import file is malformed."""

    code = "gazetteer_error"
    http_status = 422
    exit_code = 3


class StoreError(CrisisdeskError):
    code = "store_error"
    http_status = 500
    exit_code = 4


class NotFoundError(CrisisdeskError):
    code = "not_found"
    http_status = 404
    exit_code = 5


class ConfigError(CrisisdeskError):
    """A setting, a pipeline or a command-line value is wrong."""

    code = "config_error"
    http_status = 400
    exit_code = 2


class ValidationError(CrisisdeskError):
    """A record or a request does not satisfy the schema."""

    code = "invalid"
    http_status = 422
    exit_code = 2


class AuthError(CrisisdeskError):
    code = "unauthorized"
    http_status = 401
    exit_code = 6


class PermissionDenied(CrisisdeskError):
    code = "forbidden"
    http_status = 403
    exit_code = 6


class ConflictError(CrisisdeskError):
    code = "conflict"
    http_status = 409
    exit_code = 7

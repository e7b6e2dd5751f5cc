"""The command line: a thin Typer layer over the library.

Each module in this package owns the commands of one pipeline stage and
exposes ``register(app)``; ``build_app`` wires them together.
"""

from __future__ import annotations

import importlib
import sys

import typer

COMMAND_MODULES = (
    "crisisdesk.cli.pipeline_cmds",  # demo, ingest
    "crisisdesk.cli.extract_cmds",  # extract-file, eval
    "crisisdesk.cli.geo_cmds",  # geocode, gazetteer import
    "crisisdesk.cli.total_cmds",  # total
    "crisisdesk.cli.report_cmds",  # report, export
    "crisisdesk.cli.web_cmds",  # serve, user
)


# Which module owns each command, so that running one command imports only
# its own stage: `extract-file` should not pay for SQLAlchemy, WeasyPrint
# and FastAPI at start-up.
COMMAND_OWNERS = {
    "demo": "crisisdesk.cli.pipeline_cmds",
    "ingest": "crisisdesk.cli.pipeline_cmds",
    "extract-file": "crisisdesk.cli.extract_cmds",
    "eval": "crisisdesk.cli.extract_cmds",
    "geocode": "crisisdesk.cli.geo_cmds",
    "gazetteer": "crisisdesk.cli.geo_cmds",
    "total": "crisisdesk.cli.total_cmds",
    "reconcile": "crisisdesk.cli.total_cmds",
    "report": "crisisdesk.cli.report_cmds",
    "export": "crisisdesk.cli.report_cmds",
    "serve": "crisisdesk.cli.web_cmds",
    "user": "crisisdesk.cli.web_cmds",
}


def build_app(command: str | None = None) -> typer.Typer:
    """The whole command line, or only the module that owns ``command``."""
    modules = COMMAND_MODULES
    if command in COMMAND_OWNERS:
        modules = (COMMAND_OWNERS[command],)
    app = typer.Typer(
        name="crisisdesk",
        help="Turn conflict reports into a sourced, de-duplicated record of figures.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency, not a stage not yet built
                raise
            continue
        module.register(app)
    return app


def main() -> None:
    words = [a for a in sys.argv[1:] if not a.startswith("-")]
    build_app(words[0] if words else None)()

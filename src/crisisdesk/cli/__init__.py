"""The command line: a thin Typer layer over the library.

Each module in this package owns the commands of one pipeline stage and
exposes ``register(app)``; ``build_app`` wires them together.
"""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES = (
    "crisisdesk.cli.pipeline_cmds",  # demo, ingest
    "crisisdesk.cli.extract_cmds",  # extract-file, eval
    "crisisdesk.cli.geo_cmds",  # geocode, gazetteer import
    "crisisdesk.cli.total_cmds",  # total
    "crisisdesk.cli.report_cmds",  # report, export
    "crisisdesk.cli.web_cmds",  # serve, user
)


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="crisisdesk",
        help="Turn conflict reports into a sourced, de-duplicated record of figures.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency, not a stage not yet built
                raise
            continue
        module.register(app)
    return app


def main() -> None:
    build_app()()

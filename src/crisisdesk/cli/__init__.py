"""The command line: a thin Typer layer over the library.

Each module in this package owns the commands of one pipeline stage and
exposes ``register(app)``; ``build_app`` wires them together.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import typer
from typer.core import TyperOption

from crisisdesk.cli import coercion

_display_type_rich = TyperOption.display_type_rich


def _flag_type(self: TyperOption, ctx: object) -> str | None:
    """No "<bool>" after a flag in --help (Typer 0.29 shows one for every flag,
    --help included): a flag takes no value, so it shows no type."""
    if self.is_flag or self.count:
        return None
    return _display_type_rich(self, ctx)  # type: ignore[arg-type]


TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign, assignment]
coercion.install()  # plain values without Pydantic: a tenth of a second at every start

# Each loader imports one command module when it is called, so that running one
# command imports only its own stage: `extract-file` should not pay for
# SQLAlchemy, WeasyPrint and FastAPI at start-up.


def _pipeline(app: typer.Typer) -> None:  # demo, ingest, duplicate
    from crisisdesk.cli import pipeline_cmds

    pipeline_cmds.register(app)


def _extract(app: typer.Typer) -> None:  # extract-file, eval
    from crisisdesk.cli import extract_cmds

    extract_cmds.register(app)


def _geo(app: typer.Typer) -> None:  # geocode, gazetteer import
    from crisisdesk.cli import geo_cmds

    geo_cmds.register(app)


def _total(app: typer.Typer) -> None:  # total, reconcile
    from crisisdesk.cli import total_cmds

    total_cmds.register(app)


def _report(app: typer.Typer) -> None:  # report, export
    from crisisdesk.cli import report_cmds

    report_cmds.register(app)


def _web(app: typer.Typer) -> None:  # serve, user
    from crisisdesk.cli import web_cmds

    web_cmds.register(app)


COMMAND_MODULES: tuple[Callable[[typer.Typer], None], ...] = (
    _pipeline,
    _extract,
    _geo,
    _total,
    _report,
    _web,
)

# Which module owns each command.
COMMAND_OWNERS: dict[str, Callable[[typer.Typer], None]] = {
    "demo": _pipeline,
    "ingest": _pipeline,
    "duplicate": _pipeline,
    "extract-file": _extract,
    "eval": _extract,
    "geocode": _geo,
    "gazetteer": _geo,
    "total": _total,
    "reconcile": _total,
    "report": _report,
    "export": _report,
    "serve": _web,
    "user": _web,
}


def build_app(command: str | None = None) -> typer.Typer:
    """The whole command line, or only the module that owns ``command``."""
    loaders = COMMAND_MODULES
    if command in COMMAND_OWNERS:
        loaders = (COMMAND_OWNERS[command],)
    app = typer.Typer(
        name="crisisdesk",
        help="Turn conflict reports into a sourced, de-duplicated record of figures.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    for register in loaders:
        register(app)
    return app


def main() -> None:
    words = [a for a in sys.argv[1:] if not a.startswith("-")]
    build_app(words[0] if words else None)()

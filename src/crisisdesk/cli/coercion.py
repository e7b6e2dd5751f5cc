"""Plain command-line values (text, paths, whole numbers) without Pydantic.

Typer 0.29 turns every option's value into its Python type through a Pydantic
``TypeAdapter``; importing Pydantic for that costs about a tenth of a second at
every start, which is most of what a small ``extract-file`` run waits for. The
plain kinds of values our commands take are converted here the way Typer's
adapters convert them; any other annotation, and any value these cannot take
as they are (a word for a number, a number out of range), goes to Typer's own
adapter, so results and error messages stay Typer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_path
from typer.core import _TyperParameter

_WHOLE = re.compile(r"0|[1-9][0-9]{0,17}")


@dataclass(frozen=True)
class _PlainParam(RuntimeParam):
    """A str, Path, int or bool value read without an adapter (else Typer's own coercion)."""

    descriptor: TypeDescriptor

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        info, kind = self.parameter_info, self.annotation
        if (kind is str and isinstance(value, str)) or (kind is bool and isinstance(value, bool)):
            return value
        if kind is Path and isinstance(value, (str, Path)):
            return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
        whole = isinstance(value, int) and not isinstance(value, bool)
        if kind is int and (whole or isinstance(value, str) and _WHOLE.fullmatch(value)):
            number = int(value)
            low, high = info.min, info.max
            if (low is None or number >= low) and (high is None or number <= high):
                return number
        return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)


def _plain(descriptor: TypeDescriptor) -> bool:
    info = descriptor.parameter_info
    return (
        descriptor.annotation in (str, Path, int, bool)
        and descriptor.file_annotation is None
        and info.parser is None
        and info.path_type is None
        and not info.clamp
    )


def _runtime_param(self: _TyperParameter) -> RuntimeParam:
    """Typer's ``get_runtime_param``, with plain values read here."""
    if self._runtime_param is None:
        d = self.type_descriptor
        plain = _plain(d)
        self._runtime_param = (
            _PlainParam(d.parameter_info, d.annotation, d) if plain else build_runtime_param(d)
        )
    return self._runtime_param


def install() -> None:
    """Read plain values without Pydantic in every command (idempotent)."""
    _TyperParameter.get_runtime_param = _runtime_param  # type: ignore[method-assign]

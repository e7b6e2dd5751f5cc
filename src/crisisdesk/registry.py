"""Named, versioned pipeline components that declare what they need and make.

A component is registered as ``"extract.rules.v1"`` with ``requires`` and
``assigns``: the names of what it reads from and adds to a work item. The
pipeline checks, before it runs anything, that every requirement is met by
an earlier step, so a misconfigured pipeline fails at build time with a
message naming the missing input instead of deep inside a batch.

There is no module-level registry: ``crisisdesk.pipeline.default_registry()``
builds a fresh one that callers pass around (tests can make their own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crisisdesk.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Component:
    """A pipeline stage: ``factory(options)`` returns the step function."""

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    factory: Callable[[dict[str, Any]], Callable[[Any], Any]]
    doc: str = ""


@dataclass
class Registry:
    components: dict[str, Component] = field(default_factory=dict)

    def register(self, component: Component) -> None:
        if component.name in self.components:
            raise ConfigError(f"component {component.name!r} is registered twice")
        self.components[component.name] = component

    def get(self, name: str) -> Component:
        try:
            return self.components[name]
        except KeyError:
            known = ", ".join(sorted(self.components)) or "none"
            raise ConfigError(f"no component named {name!r} (known: {known})") from None

    def names(self) -> list[str]:
        return sorted(self.components)

"""The catalog: classic networks as LaTeX sources shipped with papermath, compiled on demand.

>>> "lstm" in names()
True
"""

from __future__ import annotations

from importlib import resources

from ..errors import PapermathError
from ..source import Source
from ..system import System, compile


def names() -> list[str]:
    return sorted(
        p.name.removesuffix(".tex")
        for p in resources.files(__package__).iterdir()
        if p.name.endswith(".tex")
    )


def latex(name: str) -> str:
    if name not in names():
        raise PapermathError(
            f"no catalog entry {name!r}", hint="the catalog has: " + ", ".join(names())
        )
    return resources.files(__package__).joinpath(f"{name}.tex").read_text(encoding="utf-8")


def describe(name: str) -> str:
    """The first comment line of an entry: where the notation comes from."""
    first = latex(name).splitlines()[0]
    return first.lstrip("% ").strip()


def load(name: str, dims: dict[str, int] | None = None) -> System:
    return compile(Source(latex(name), f"catalog/{name}.tex"), dims)

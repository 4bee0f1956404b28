r"""Notation rule ``same-shape-in-words``: prose that says a symbol has the shape of another,
as Equinox's docstrings say of a layer's scale and shift:

    where $\gamma$, $\beta$ have the same shape as $x$
    and $\gamma$ is a learned array with the same shape as $x$

How papermath reads it: each symbol named before the words gets the shape of the one after
them (their shapes are unified before any rule runs), and the readings say the prose decided
it. Only plain symbols in math (``$\gamma$``, ``:math:`\beta```, ``$x$``) that the equations use
are tied; a symbol the equations do not use is left alone (the prose may speak of another
formula). A tie that contradicts the equations is an error at the words.

Example that reads (a whole source)::

    Given an input $x$, this layer computes

    $$x * \gamma$$

    where $\gamma$ has the same shape as $x$.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..read.reader import Reading
from ..source import Span
from .engine import Clash

if TYPE_CHECKING:
    from .infer import Inference

_MATH = r"(?:\$([^$]+)\$|:math:`([^`]+)`)"
_MORE = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
_SAYS = re.compile(
    rf"{_MATH}((?:{_MORE}{_MATH})*)\s+"
    r"(?:(has|have)\s+the\s+same\s+shape\s+as"
    r"|(is|are)\s+(?:an?\s+)?(?:learned\s+|learnable\s+)?(?:array|vector|tensor)s?\s+with\s+"
    r"the\s+same\s+shape\s+as)\s+"
    rf"{_MATH}",
    re.IGNORECASE,
)
_SYMBOL = re.compile(r"\\?[A-Za-z]+")


def _key(tex: str) -> str | None:
    tex = tex.strip()
    return tex.lstrip("\\") if _SYMBOL.fullmatch(tex) else None


def tie(inf: Inference) -> None:
    """Unify the shapes the prose says are the same (see the module)."""
    text = inf.source.text
    used = inf.read.first_span
    for m in _SAYS.finditer(text):
        first = m.group(1) or m.group(2)
        others = [a or b for a, b in re.findall(_MATH, m.group(3))]
        target = _key(m.group(8) or m.group(9) or "")
        verb = (m.group(6) or m.group(7) or "").lower()
        subjects = [first, *others] if verb in ("have", "are") else [[first, *others][-1]]
        if target is None or target not in used:
            continue
        _conventional(inf, target)
        for tex in subjects:  # "$a$, $b$ have ...": both; "..., and $c$ is ...": c alone
            key = _key(tex)
            if key is None or key not in used or key == target:
                continue
            span = Span(m.start(), m.end())
            try:
                inf.engine.unify(inf.var_of_sym(key), inf.var_of_sym(target), span)
            except Clash:
                raise ShapeError(
                    f"the prose says {key} has the same shape as {target}, but the equations "
                    "give them different shapes",
                    inf.source,
                    span,
                    hint=f"declare both: {key} and {target} \\in \\mathbb{{R}}^{{n}}",
                ) from None
            inf.read.readings.append(
                Reading(
                    used[key],
                    inf.source.snippet(used[key]),
                    "shape said in words",
                    f"the prose says {key} has the same shape as {target}",
                )
            )


def _conventional(inf: Inference, target: str) -> None:
    """The symbol others take the shape of, a lowercase Latin letter nothing declares or
    defines: its letter's shape now (a vector of free size, as it would get later), so that the
    symbols tied to it take that shape and not their own letters' conventions (a Greek gamma
    would be a scalar)."""
    if not re.fullmatch(r"[a-z]", target) or target in inf.declared_by or target in inf.defined:
        return
    var = inf.var_of_sym(target)
    if inf.engine.rank(var) is not None:
        return
    span = inf.read.first_span[target]
    inf.engine.bind(var, (inf.engine.fresh_size(),), span)
    inf.read.readings.append(
        Reading(
            span,
            inf.source.snippet(span),
            "shape by convention",
            f"nothing declares or forces the shape of {target}; {target} is a lowercase "
            "letter: by convention a vector of free size, which the symbols the prose says have "
            "its shape take (declare it to override)",
        )
    )

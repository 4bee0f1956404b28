r"""Notation rule ``cases-flag-default`` (the recognition; the reading is
read/rules_label_cases.py's ``flag_default``): a definition by cases on an argument of the code
whose default the source itself gives in the signature it quotes (PyTorch's loss docstrings)::

    class nn.HingeEmbeddingLoss(margin=1.0, size_average=None, reduce=None, reduction='mean')

    \ell(x, y) = \begin{cases} \operatorname{mean}(L), & \text{if reduction} = \text{'mean';}\\
                               \operatorname{sum}(L),  & \text{if reduction} = \text{'sum'.}
                 \end{cases}

Each row's condition is ``\text{if NAME} = \text{'VALUE'}`` (a quoted value, ' or `), one NAME in
every row; the source writes ``NAME='VALUE'`` (or ``"VALUE"``) elsewhere, every time with the
same value, and one row has that value: the model as the source's signature sets it up is that
row. Here (normalisation, before parsing) the block is rewritten in place, every character kept
where it is: that row's value stays, the rest becomes ``\text{@flg}(`` before it and ``)`` at
the block's last character (the reader says which row and why). A flag with no default in the
source (optax's ``\texttt{nesterov = True}``) is left alone and refused as before
(parse/cases.py: "a definition by cases on a flag of the code").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cases import _BLOCK, _rows, _split, stripped

MARK = "@flg"
_HEAD = "\\text{" + MARK + "}("
_CONDITION = re.compile(
    r"^\s*\\text\s*\{\s*if\s+(?P<name>[A-Za-z_][A-Za-z_0-9]*)\s*\}\s*=\s*"
    r"\\text\s*\{\s*[`'‘](?P<value>[A-Za-z_][A-Za-z_0-9]*)['’]\s*[;.,]?\s*\}\s*[;.,]?\s*$"
)


@dataclass(frozen=True)
class FlagDefault:
    """A block read at the source's default of its flag: where the kept row's value lies."""

    start: int
    end: int
    value: tuple[int, int]  # the kept row's value
    name: str  # the flag (reduction)
    default: str  # its default as the source gives it (mean)
    said: tuple[int, int]  # where the source gives it (reduction='mean')
    others: tuple[str, ...]  # the other rows' values of the flag


def find(text: str) -> list[FlagDefault]:
    """The ``\\begin{cases}`` blocks of ``text`` on a flag whose default the source gives."""
    out = []
    for m in _BLOCK.finditer(text):
        rows = _rows(m.group("body"), m.start("body"))
        split = [_split(text, a, b) for a, b in rows]
        if len(split) < 2 or any(x is None for x in split):
            continue
        conds = [_CONDITION.match(x[1]) for x in split if x is not None]
        if any(c is None for c in conds):
            continue
        names = {c.group("name") for c in conds if c is not None}
        values = [c.group("value") for c in conds if c is not None]
        if len(names) != 1 or len(set(values)) != len(values):
            continue
        (name,) = names
        given = re.compile(r"(?<![A-Za-z_0-9])" + re.escape(name) + r"\s*=\s*(['\"])(\w+)\1")
        said = [g for g in given.finditer(text) if not (m.start() <= g.start() < m.end())]
        defaults = {g.group(2) for g in said}
        if len(defaults) != 1 or (default := defaults.pop()) not in values:
            continue
        k = values.index(default)
        row = split[k]
        assert row is not None
        a, b = stripped(text, *row[0])
        if a == b:
            continue
        others = tuple(v for v in values if v != default)
        out.append(FlagDefault(m.start(), m.end(), (a, b), name, default, said[0].span(), others))
    return out


def rewrite(text: str, out: list[str]) -> None:
    """Each such block becomes ``\\text{@flg}(V)`` with V (the default's row) where it was."""
    for f in find(text):
        a, b = f.value
        if a - f.start < len(_HEAD) or f.end - b < 1:
            continue  # no room for the call around the value
        for i in range(f.start, f.end):
            if not (a <= i < b) and out[i] != "\n":
                out[i] = " "
        for i, c in enumerate(_HEAD):
            out[a - len(_HEAD) + i] = c
        out[f.end - 1] = ")"


def at(text: str, start: int) -> FlagDefault | None:
    """The block whose rewritten call starts at ``start`` (for the reader)."""
    for f in find(text):
        if f.value[0] - len(_HEAD) == start:
            return f
    return None

r"""Notation rule ``named-gru-call``: a state given by a call of a cell named GRU, its input
first and the state's previous value second, is PyTorch's GRU cell applied at each step.

What people write (PyTorch Geometric's and DGL's GatedGraphConv docstrings, Spektral's, whose
prose says "where GRU is a gated recurrent unit cell")::

    \mathbf{h}_i^{(l+1)} = \textrm{GRU} (\mathbf{m}_i^{(l+1)}, \mathbf{h}_i^{(l)})
    h_{i}^{t+1} = \mathrm{GRU}(a_{i}^{t}, h_{i}^{t})

How papermath reads it: the name says a GRU cell, not a learnable affine map of the two
arguments; where the source writes no equations of the cell they are torch.nn.GRUCell's, as
its documentation prints them (the same as Keras' GRUCell with its default reset_after)::

    r = \sigma(W_{ir} x + b_{ir} + W_{hr} h + b_{hr})
    z = \sigma(W_{iz} x + b_{iz} + W_{hz} h + b_{hz})
    n = \tanh(W_{in} x + b_{in} + r \odot (W_{hn} h + b_{hn}))
    h' = (1 - z) \odot n + z \odot h

with x the first argument and h the second as written, h' the left side; the gates r, z, n
carry the left side's scripts (one per node, at its step), the weights and biases are
learnable parameters with PyTorch's names (one to one with weight_ih, weight_hh, bias_ih,
bias_hh split by gate r, z, n). Every generated symbol points at the cell's name in the source
(carets and readings). Said in the readings.

Only this form is read: the name GRU or GRUCell (in ``\mathrm``, ``\textrm``, ``\text``,
``\operatorname`` or plain), two arguments, the second the same symbol as the left side (its
previous value); anything else stays as before (a learnable function of its arguments). Two
such calls, or a generated name (r, z, n, W_ir, ..., b_hn) the source uses itself (R-GCN's
relation r), are refused at the name GRU: read as an affine map the cell would be wrong, and
one set of generated names cannot serve two cells (nor the source's r).

Example that reads (h the state, x the input)::

    h_t = \mathrm{GRU}(x_t, h_{t-1})
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..parse import ast, parse
from ..source import Span
from .syntax import is_symbolish, iter_nodes, placed

if TYPE_CHECKING:
    from .reader import Reader

RULE = "named-gru-call"
NAMES = ("GRU", "GRUCell")
GATES = ("r", "z", "n")
# torch.nn.GRUCell's equations; X the input, P the previous state, H the new one; R, Z, N the
# gates (each the left side with its letter changed)
_TEMPLATE = "\n".join(
    [
        r"R = \sigma(W_{ir} X + b_{ir} + W_{hr} P + b_{hr})",
        r"Z = \sigma(W_{iz} X + b_{iz} + W_{hz} P + b_{hz})",
        r"N = \tanh(W_{in} X + b_{in} + R \odot (W_{hn} P + b_{hn}))",
        r"H = (1 - Z) \odot N + Z \odot P",
    ]
)
_GENERATED = {*GATES, *(f"{w}_{s}{g}" for w in "Wb" for s in "ih" for g in GATES)}


def _name(node: ast.Node) -> str | None:
    match node:
        case ast.Text(content=content) | ast.FunctionName(name=content):
            return content.strip()
        case ast.Letter(name=name):
            return name
    return None


def _rebased(node: ast.Node, letter: str, span: Span) -> ast.Node:
    """``node`` (a symbol with scripts, ``\\mathbf{h}_i^{(l+1)}``) with its letter ``letter``."""
    if isinstance(node, ast.Sub | ast.Sup):
        return dataclasses.replace(node, base=_rebased(node.base, letter, span))
    return ast.Letter(span=span, name=letter)


def _at(node: ast.Node, span: Span) -> ast.Node:
    moved = placed(node, span)
    assert isinstance(moved, ast.Node)
    return moved


def _keys(reader: Reader, statements: list[ast.Statement]) -> set[str]:
    """The symbols the source writes (not the letters of their scripts: W_{ir}'s i, r)."""
    nodes = list(iter_nodes(statements))
    scripts = {
        id(n)
        for node in nodes
        if isinstance(node, ast.Sub | ast.Sup)
        for n in ast.walk(node.script)
    }
    return {
        p.key
        for node in nodes
        if id(node) not in scripts
        and is_symbolish(node)
        and (p := reader.symbol(node, quiet=True)) is not None
    }


def _cell(reader: Reader, s: ast.Definition) -> tuple[ast.Call, ast.Node, ast.Node] | None:
    """The call, its input and the previous state, where ``s`` is ``h' = GRU(x, h)``."""
    call = s.rhs
    while isinstance(call, ast.Paren):
        call = call.body
    if not isinstance(call, ast.Call) or _name(call.func) not in NAMES or len(call.args) != 2:
        return None
    x, prev = call.args
    if not (is_symbolish(s.lhs) and is_symbolish(prev)):
        return None
    mine, theirs = reader.symbol(s.lhs, quiet=True), reader.symbol(prev, quiet=True)
    if mine is None or theirs is None or mine.key != theirs.key or mine.key in _GENERATED:
        return None
    if reader.source.snippet(s.lhs.span) == reader.source.snippet(prev.span):
        return None  # h = GRU(x, h): no previous value (refused later, as it reads itself)
    return call, x, prev


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Each ``h' = GRU(x, h)`` written out as torch.nn.GRUCell's four equations (noted)."""
    found = [
        (i, c)
        for i, s in enumerate(statements)
        if isinstance(s, ast.Definition) and (c := _cell(reader, s)) is not None
    ]
    if not found:
        return statements
    if len(found) > 1:  # two cells: one set of generated names for both
        second = found[1][1][0]
        raise reader.error(
            f"{' '.join(reader.source.snippet(second.span).split())} is a second GRU cell: "
            "papermath writes one cell's equations (gates r, z, n, weights W_ir, ..., b_hn), "
            "and two cells would share those names",
            second.func.span,
            hint="write the cells' equations yourself, with a name for each one's gates and "
            "weights",
        )
    ((at, (call, x, prev)),) = found
    taken = sorted(_GENERATED & _keys(reader, statements))
    if taken:  # r the source's own (a relation's letter): never an affine map instead
        names = ", ".join(taken)
        raise reader.error(
            f"{' '.join(reader.source.snippet(call.span).split())} is a GRU cell (torch.nn."
            f"GRUCell's equations: gates r, z, n, weights W_ir, ..., b_hn), and the source "
            f"writes {names} itself: the cell's equations would give {names} another meaning",
            call.func.span,
            hint=f"rename the source's {names} (e.g. k for a relation's letter), or write the "
            "cell's equations yourself",
        )
    s = statements[at]
    assert isinstance(s, ast.Definition)
    head = call.func.span
    gates = {g.upper(): _at(_rebased(s.lhs, g, head), head) for g in GATES}
    given = {"X": x, "P": prev, "H": s.lhs, **gates}

    def put(node: ast.Node) -> ast.Node:
        if isinstance(node, ast.Letter) and node.name in given:
            return given[node.name]
        return ast.map_children(node, put)

    cell: list[ast.Statement] = []
    for row in parse(_TEMPLATE):
        assert isinstance(row, ast.Definition)
        moved = placed(row, head)
        assert isinstance(moved, ast.Definition)
        cell.append(dataclasses.replace(s, lhs=put(moved.lhs), rhs=put(moved.rhs)))
    written = " ".join(reader.source.snippet(call.span).split())
    reader.note(
        head,
        "a GRU cell by its name, PyTorch's equations",
        f"{written}: a call of a cell named GRU, its input first and the state's previous "
        "value second; the source writes no equations of the cell, so they are "
        "torch.nn.GRUCell's as its documentation prints them: r = \\sigma(W_{ir} x + b_{ir} + "
        "W_{hr} h + b_{hr}), z = \\sigma(W_{iz} x + b_{iz} + W_{hz} h + b_{hz}), n = \\tanh(W_{in} "
        "x + b_{in} + r \\odot (W_{hn} h + b_{hn})), h' = (1 - z) \\odot n + z \\odot h (W_i*, "
        "W_h*, b_i*, b_h* learnable, one to one with weight_ih, weight_hh, bias_ih, bias_hh "
        "split by gate r, z, n; Keras' GRUCell with reset_after computes the same)",
    )
    return [*statements[:at], *cell, *statements[at + 1 :]]

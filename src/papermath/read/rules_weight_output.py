r"""Notation rule ``function-outputs-a-weight``: a learnable function the prose says "outputs an
edge-specific weight", used where the layer's own weight matrix stands (edge-conditioned
convolutions).

What people write (Spektral's ECCConv)::

    \x_i' = \x_{i} \W_{\textrm{root}} + \sum\limits_{j \in \mathcal{N}(i)}
        \x_{j} \textrm{MLP}(\e_{j \rightarrow i}) + \b

    where \(\textrm{MLP}\) is a multi-layer perceptron that outputs an edge-specific weight as
    a function of edge attributes.

How papermath reads it: a learnable function's value is a vector by default (an affine map),
which beside the vector ``x_j`` would make an elementwise gate (shapes/rules_learned_value.py
refuses that). Here the prose says what the function outputs: a weight, edge-specific, and the
equation uses it as the layer uses its weight: ``x_j MLP(e)`` beside ``x_i W_{root}``, the row
times the weight matrix. So its value is a matrix (one per call: per edge), the row ``x_j``
times it. A number (an edge weight) would make ``x_j`` times it as wide as ``x_j`` and force
the output's width to the input's, which nothing in the source says; the matrix forces nothing.
Read so for shapes, kinds, explain and diagrams (the matrix's rows meet the row beside it, its
columns are the output's); code is refused by name (a function whose value is a matrix is not
generated yet), with the hint.

Only where the words "NAME is a ... that outputs a/an [edge-specific] weight" (weights, weight
matrix) name a function the equations call, and every call stands right of a symbol written
beside it (``x_j \textrm{MLP}(e)``: where a weight stands; ``\mathrm{softmax}(\mathrm{MLP}(x))``
with "outputs attention weights" is not read so); the readings quote the words.

Examples that read (shapes only): ``y = x W_0 + x \mathrm{MLP}(e) + b`` with "where
$\mathrm{MLP}$ is a network that outputs a weight".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..parse import ast
from ..source import Span
from . import terms as t
from .syntax import is_symbolish, iter_nodes

if TYPE_CHECKING:
    from ..shapes.infer import Inference
    from .reader import Reader

RULE = "function-outputs-a-weight"

_NAME = (
    r"(?:\\(?:textrm|mathrm|operatorname|text)\s*\{{\s*(?P<{g}>[A-Za-z]+)\s*\}}"
    r"|(?P<{h}>[A-Za-z]{{2,}}))"
)
_SAID = re.compile(
    r"(?:\\\(|\$|`)\s*"
    + _NAME.format(g="name", h="bare")
    + r"\s*(?:\\\)|\$|`)\s+(?:is|denotes)\s+an?\s+[^.$]{0,80}?\boutputs?\s+(?:an?\s+|the\s+)?"
    r"(?:[\w-]+\s+){0,2}?weights?(?:\s+matri(?:x|ces))?\b"
)


def _called(node: ast.Node) -> str | None:
    """The name a call applies (``\\textrm{MLP}(e)``: MLP), or None."""
    if isinstance(node, ast.Call):
        match node.func:
            case ast.Text(content=name) | ast.FunctionName(name=name):
                return name.strip()
    return None


def _beside_a_row(statements: list[ast.Statement], key: str) -> bool:
    """Whether the equations call ``key`` and every call stands where a weight does: right of
    a symbol written side by side (``x_j \\textrm{MLP}(e)``)."""
    calls = beside = 0
    for node in iter_nodes(statements):
        if _called(node) == key:
            calls += 1
        if isinstance(node, ast.Juxt) and _called(node.right) == key:
            left = node.left
            while isinstance(left, ast.Juxt):
                left = left.right
            beside += is_symbolish(left)
    return calls > 0 and beside == calls


def scan(reader: Reader, statements: list[ast.Statement]) -> None:
    """Record the functions the prose says output a weight (see the module), noted."""
    text = reader.source.text
    for m in _SAID.finditer(text):
        key = m["name"] or m["bare"]
        if not _beside_a_row(statements, key):
            continue  # not called, or called where no weight stands (softmax(MLP(x)))
        reader.out.weight_valued.add(key)
        words = " ".join(text[m.start() : m.end()].split())
        reader.note(
            Span(m.start(), m.end()),
            "learnable function whose value is a weight matrix",
            f"the source says '{words}': {key}'s value is a weight, used where the layer's own "
            "weight matrix stands (a row times it): a matrix per call, its rows meeting the row "
            "beside it, its columns the output's (a number would force the output as wide as "
            "the input, which the source does not say); read for shapes; code for a function "
            "whose value is a matrix is not generated yet",
        )
        reader.out.shapes_only.setdefault(
            key,
            (
                Span(m.start(), m.end()),
                f"a learnable function whose value is a weight matrix ({key}) is not generated "
                f"yet: give the weight as data (one matrix per edge, declared) to generate the "
                "rest",
            ),
        )


def rule(inf: Inference, f: t.Learned) -> bool:
    """Shapes: the function's value a matrix (fresh sizes the first time), its input the
    concatenation of its arguments (vectors)."""
    e = inf.engine
    if f.key not in inf.learned_out:
        inf.learned_out[f.key] = e.new_var()
        e.bind(inf.learned_out[f.key], (e.fresh_size(), e.fresh_size()), f.span)
        inf.learned_in[f.key] = e.fresh_size()
    for arg in f.args:
        r = inf.rank(arg)
        if r is None:
            inf.bind(arg, (e.fresh_size(),), f, "", "")
        elif r != 1:
            raise ShapeError(
                f"{inf.snip(arg)} is {inf.shown(arg)}: a learnable function takes vectors",
                inf.source,
                arg.span,
            )
    inf.unify(f, inf.learned_out[f.key], f, f"the weight matrix {f.key} outputs", "")
    return True

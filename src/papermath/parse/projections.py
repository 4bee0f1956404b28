r"""Notation rule ``state-projection``: a state defined a second time as a product of itself,
where the prose between says the state is projected: the second equation is the last part
of the same step, a projection of the value the first one computed.

What people write (PaddlePaddle's ``LSTMCell`` with ``proj_size``, its Chinese page ``nn.LSTM``;
PyTorch's ``proj_size`` does the same)::

    h_{t} & = o_{t} * \tanh(c_{t})

    If `proj_size` is specified, the dimension of hidden state :math:`h_{t}` will be
    projected to `proj_size`:

    h_{t} = h_{t}W_{proj\_size}

Read as two equations, h is defined twice (refused). Read as the source says, h_t is the
hidden state after the projection (the state carried to the next step, the cell's output),
and the h_t on the right of the projection is the value the first equation computed, which
the source leaves unnamed.

How papermath reads it: the first value is named with a breve (``\breve{h}_t``, key
``h_breve``): ``\breve{h}_t = o_t * \tanh(c_t)``, ``h_t = \breve{h}_t W_{proj\_size}``; every
other h (``h_{t-1}`` in the gates, ``y_t = h_t``) is the projected state. The reading quotes
the sentence.

Only where: both equations define the same symbol at the same step, written alike; the second
is a product of that symbol and one other factor (``h_t W``, ``h_t * W``, ``W h_t``); the
prose between the two says project (``projected``, ``projection``) or, in Chinese, 映射
("mapped"); and no symbol of the source is already named ``\breve{h}``. Without the sentence
the second definition stays refused ("h is defined twice").
"""

from __future__ import annotations

import dataclasses
import re

from . import ast

DECOR = "breve"
_SAYS = re.compile(r"\bproject(?:ed|ion|s)?\b|映射", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class ProjectedDefinition(ast.Definition):
    """A definition of a state as the projection of its first value, with the words that
    say so (the reader notes ``said`` under ``reading``)."""

    said: str = ""
    reading: str = "projection of a state"


def _text(text: str, node: ast.Node) -> str:
    return re.sub(r"[{}\s]", "", text[node.span.start : node.span.end])


def _factors(node: ast.Node) -> tuple[ast.Node, ast.Node] | None:
    match node:
        case ast.Juxt(left=a, right=b):
            return a, b
        case ast.BinOp(op="*" | "cdot" | "ast", left=a, right=b):
            return a, b
    return None


def _rename(node: ast.Node, text: str, name: str) -> ast.Node:
    """``node`` with each occurrence of the symbol written ``name`` breved."""
    if isinstance(node, ast.Sub | ast.Letter | ast.Font) and _text(text, node) == name:
        return ast.Decorated(node.span, DECOR, node)
    changes: dict[str, object] = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, ast.Node):
            new = _rename(value, text, name)
            if new is not value:
                changes[f.name] = new
    return dataclasses.replace(node, **changes) if changes else node  # type: ignore[arg-type]


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with a projected state read as such (module docstring); otherwise the
    statements as they were."""
    if re.search(r"\\breve\b", text):
        return statements
    defs = [(i, s) for i, s in enumerate(statements) if type(s) is ast.Definition]
    out = list(statements)
    for n, (i, first) in enumerate(defs):
        name = _text(text, first.lhs)
        if not isinstance(first.lhs, ast.Sub | ast.Letter | ast.Font):
            continue
        later = [(j, s) for j, s in defs[n + 1 :] if _text(text, s.lhs) == name]
        if len(later) != 1:
            continue
        j, second = later[0]
        pair = _factors(second.rhs)
        if pair is None or [_text(text, f) == name for f in pair].count(True) != 1:
            continue
        between = text[first.span.end : second.span.start]
        said = _SAYS.search(between)
        if said is None:
            continue
        start = between.rfind("\n", 0, said.start()) + 1
        end = between.find("\n", said.end())
        sentence = " ".join(between[start : end if end >= 0 else len(between)].split())
        sentence = sentence.replace(":math:", "").replace("`", "")
        shown = text[first.lhs.span.start : first.lhs.span.end]
        out[i] = dataclasses.replace(first, lhs=ast.Decorated(first.lhs.span, DECOR, first.lhs))
        out[j] = ProjectedDefinition(
            second.span,
            second.lhs,
            _rename(second.rhs, text, name),
            second.decl,
            second.claims,
            second.update,
            said=(
                f"{shown} is defined again as a product of itself, and the source says it is "
                f"projected ('{sentence}'): read as one step, {shown} = \\breve{{{shown}}} times "
                f"the projection, where \\breve{{{shown}}} is the value the first equation for "
                f"{shown} computes; every other {shown} is the projected state"
            ),
        )
        return out
    return statements

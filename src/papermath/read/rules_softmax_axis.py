r"""Notation rule ``softmax-axis-under`` (a refusal): ``\underset{seq}{\mathop{softmax}}(S)``,
the axis a softmax runs over written under it (labml's multi-head attention,
``\mathop{Attention}(Q, K, V) = \underset{seq}{\mathop{softmax}}\Bigg(\frac{Q K^\top}
{\sqrt{d_k}}\Bigg)V``).

What papermath reads: a softmax over the last axis of its argument (``\mathrm{softmax}``: for
attention scores ``Q K^\top``, over the keys, each row summing to one). The word under it names
an axis, but which one of the argument's it is (``seq``: queries and keys are both sequences)
is not written where papermath can match it to a size, so it is refused at the whole head with
the form that reads: ``\mathrm{softmax}`` where the last axis is the one meant.

Example refused: ``y = \underset{seq}{\mathrm{softmax}}(x)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader

_SOFTMAX = frozenset({"softmax", "log_softmax", "logsoftmax"})


def _name(node: ast.Node) -> str | None:
    match node:
        case ast.FunctionName(name=name) | ast.Text(content=name):
            return name.strip().lower().replace("\\", "")
        case ast.Letter(name=name):
            return name
    return None


def refuse(reader: Reader, node: ast.Node) -> None:
    """Refuse ``\\underset{X}{softmax}(...)`` at its head (see the module)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Overset)):
        return
    head = node.func
    if _name(head.body) not in _SOFTMAX:
        return
    under = " ".join(reader.source.snippet(head.over.span).split())
    raise reader.error(
        f"the axis written under the softmax ({under}) is not read: papermath reads a softmax "
        "over the last axis of its argument and cannot match the word to one of its axes",
        head.span,
        hint="write \\mathrm{softmax}(...) where the last axis is the one meant (for attention "
        "scores Q K^\\top: over the keys, each row summing to one)",
    )

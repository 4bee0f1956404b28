r"""Notation rule ``softmax-axis-under``: ``\underset{seq}{\mathop{softmax}}(S)``, the axis a
softmax runs over written under it (labml's multi-head attention,
``\mathop{Attention}(Q, K, V) = \underset{seq}{\mathop{softmax}}\Bigg(\frac{Q K^\top}
{\sqrt{d_k}}\Bigg)V``).

What papermath reads: a softmax keeps the shape of its argument whichever axis it runs over, so
the shapes, explain and the diagram read it as a softmax. The word under it names an axis, but
which one of the argument's it is (``seq``: queries and keys are both sequences) is not written
where papermath can match it to a size, so generated code refuses it by what is written, with
the form that settles it: ``\mathrm{softmax}`` where the last axis is the one meant (for
attention scores ``Q K^\top``: over the keys, each row summing to one). The readings say so.

Example that reads (shapes only): ``y = \underset{seq}{\mathrm{softmax}}(x)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t

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


def word_axis(reader: Reader, node: ast.Node) -> t.Term | None:
    """``\\underset{X}{softmax}(...)``: a softmax for its shape, code refused (see the module);
    None for anything else."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Overset)):
        return None
    head = node.func
    if _name(head.body) not in _SOFTMAX or len(node.args) != 1:
        return None
    under = " ".join(reader.source.snippet(head.over.span).split())
    written = " ".join(reader.source.snippet(head.span).split())
    reader.note(
        head.span,
        "softmax over an axis the source names in words",
        f"the axis written under the softmax ({under}) is not matched to one of its argument's "
        "axes; a softmax keeps its argument's shape whichever axis it runs over, so the shapes "
        "are read, and code, which needs the axis, is refused",
    )
    reader.out.shapes_only.setdefault(
        written,
        (
            head.span,
            "write \\mathrm{softmax}(...) where the last axis is the one meant (for attention "
            "scores Q K^\\top: over the keys, each row summing to one)",
        ),
    )
    return reader.apply("softmax", node.args, node.span, head.span)

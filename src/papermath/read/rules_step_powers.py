r"""Notation rule ``step-superscript-defined``: ``\alpha_{ij}^{l} = \mathrm{softmax}_i(e_{ij}^{l})``
(DGL's GATConv, beside ``h_i^{(l+1)}``): a Greek letter with the step letter as a bare
superscript is, by convention, a power of the step number (Adam's bias correction
``\beta_1^t``), which papermath refuses. Where the source *defines* the symbol with that
superscript (it is the left side of an equation), it cannot be a power: no equation defines a
power of the step number. Then the superscript is the step, as ``\alpha^{(l)}``, wherever the
symbol is written with it; the reading says so.

Read (alpha at layer l; l the step of h^{(l)})::

    h^{(l+1)} = \alpha^{l} \odot \tanh(W h^{(l)}) \\
    \alpha^{l} = \sigma(U h^{(l)})

Still refused (a power of t: nothing defines beta_1^t)::

    m_t = \beta_1 m_{t-1} + g_t \\
    \hat{m}_t = m_t / (1 - \beta_1^t)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader, SymParts


def _base_letter(node: ast.Node) -> str | None:
    while isinstance(node, ast.Sub | ast.Font | ast.Decorated):
        node = node.base if isinstance(node, ast.Sub) else node.body
    return node.name if isinstance(node, ast.Letter) else None


def defined_with(reader: Reader, parts: SymParts, letter: str, span: Span, quiet: bool) -> bool:
    """Whether a left side writes ``parts``' letter with the bare superscript ``letter``
    (then it is the value at that step, noted)."""
    for s in reader.statements:
        if not isinstance(s, ast.Definition):
            continue
        lhs = s.lhs
        if (
            isinstance(lhs, ast.Sup)
            and isinstance(lhs.script, ast.Letter)
            and lhs.script.name == letter
            and _base_letter(lhs.base) == parts.base
        ):
            if not quiet:
                reader.note(
                    span,
                    f"{parts.base} at step {letter}",
                    f"^{letter} on {parts.base}: the step {letter}, not a power of it, since "
                    f"the source defines {reader.source.snippet(lhs.span)} (no equation defines "
                    "a power of the step number)",
                )
            return True
    return False

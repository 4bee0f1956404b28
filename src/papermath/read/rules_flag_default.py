# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``cases-flag-default``: a definition by cases on an argument of the code
(``\text{if reduction} = \text{'mean'}``) read at the default the source's own signature gives
(``reduction='mean'``); the recognition is parse/flag_default.py.

What people write (PyTorch's loss docstrings, after the class's signature)::

    class nn.HingeEmbeddingLoss(margin=1.0, size_average=None, reduce=None, reduction='mean')

    \ell(x, y) = \begin{cases} \operatorname{mean}(L), & \text{if reduction} = \text{'mean';}\\ \operatorname{sum}(L), & \text{if reduction} = \text{'sum'.} \end{cases}

How papermath reads it: the rows are the model under each setting of the argument; the source
says which setting it is built with (the default in the signature it quotes), so the value is
that row's (here ``\operatorname{mean}(L)``), and the readings say which row, why, and which
rows were left (another setting: write it as its own equation). A flag with no default in the
source stays refused (parse/cases.py: "a definition by cases on a flag of the code").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast, flag_default
from ..source import Span
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

RULE = "cases-flag-default"


def term(
    reader: Reader, node: ast.Call, func: ast.Node, args: tuple[ast.Node, ...]
) -> t.Term | None:
    """The term of a ``\\text{@flg}(V)`` call (parse/flag_default.py), else None."""
    if not (isinstance(func, ast.Text) and func.content == flag_default.MARK):
        return None
    block = flag_default.at(reader.source.text, node.span.start)
    if block is None or len(args) != 1:  # pragma: no cover - the rewrite makes both
        raise reader.error("a definition by cases is not read here", node.span)
    said = reader.source.snippet(Span(*block.said))
    value = " ".join(reader.source.snippet(args[0].span).split())
    others = ", ".join(f"'{v}'" for v in block.others)
    reader.note(
        Span(block.start, block.end),
        f"the case {block.name} = '{block.default}' (the source's default)",
        f"the rows are the model under each setting of the code's argument {block.name}; the "
        f"source gives its default ({said}), so the value is that row's, {value}; the rows for "
        f"{others} are other settings, not read (write one as its own equation to read it; "
        f"rule {RULE})",
    )
    return reader.term(args[0])

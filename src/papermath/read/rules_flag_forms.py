# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``forms-of-a-flag`` (the reading; the recognition is parse/flag_forms.py): a
value the source gives in several forms, chosen by an argument of the code the source does
not fix (optax's ``sgd``: ``\texttt{nesterov = False}`` or ``True``, and without momentum
another display).

How papermath reads it: the value is one of its forms; each form is read (its symbols, their
shapes and kinds), and every form must have the value's shape (the forms of one value: an
error names the two shapes otherwise). Shapes, kinds, explain and the readings work; code needs
to know which form the model uses, so code is refused, with the hint to write that form as
the value's own equation. The readings list the forms and the words that give them.

Example (read for its shapes; code refused)::

    $$m_t = g_t + \mu m_{t-1}$$
    $$u_t = \begin{cases} -\alpha m_t & \text{ if } \texttt{nesterov = False} \\ -\alpha (g_t + \mu m_t) & \text{ if } \texttt{nesterov = True} \end{cases}$$
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast, flag_forms
from ..source import Span
from . import terms as t
from .functions import FORMS

if TYPE_CHECKING:
    from .reader import Reader

RULE = "forms-of-a-flag"


def _shown(reader: Reader, node: ast.Node) -> str:
    return " ".join(reader.source.snippet(node.span).split())


def term(reader: Reader, node: ast.Node, quiet: bool = False) -> t.Term | None:
    """The term of a value given in several forms; None for any other node. ``quiet``: the
    cases of a later form, noted with the value's other forms."""
    if isinstance(node, flag_forms.Forms):
        items = node.items
        why = f"the source gives it again after the words '{node.words}'"
        span = node.span
        if flag_forms.is_forms_call(items[-1]):
            block = flag_forms.at(reader.source.text, items[-1].span.start)
            span = span if block is None else Span(block.start, block.end)
    elif flag_forms.is_forms_call(node):
        assert isinstance(node, ast.Call)
        block = flag_forms.at(reader.source.text, node.span.start)
        if block is None:  # pragma: no cover - the rewrite makes both
            raise reader.error("a definition by cases is not read here", node.span)
        items = node.args
        settings = ", ".join(f"{block.name} = {v}" for v in block.settings)
        why = (
            f"a definition by cases on the code's argument {block.name} ({settings}), whose "
            "setting the source does not give"
        )
        span = Span(block.start, block.end)
    else:
        return None
    forms: list[t.Term] = []
    shown: list[str] = []
    for item in items:
        if flag_forms.is_forms_call(item):  # the cases inside the later display's form
            inner = term(reader, item, quiet=True)
            assert isinstance(inner, t.Apply) and isinstance(item, ast.Call)
            forms += list(inner.args)
            shown += [_shown(reader, a) for a in item.args]
        else:
            forms.append(reader.term(item))
            shown.append(_shown(reader, item))
    if not quiet:
        reader.note(
            span,
            f"one of {len(forms)} forms (which one, the source does not say)",
            f"{why}: the value is one of its forms ({'; '.join(shown)}), which the code's "
            "arguments choose; each form is read and has the value's shape; code needs to know "
            f"which (write the form the model uses as the value's own equation; rule {RULE})",
        )
    return t.Apply(span, FORMS, tuple(forms))

r"""Notation rule ``value-powers``: a power whose exponent is a value, not a number: a decay
rate, a focusing parameter, a noise parameter (optax's noisy SGD, Keras' focal loss and
generalized cross-entropy)::

    \sigma_t^2 = \frac{\eta}{(1+t)^\gamma}

    ```python
    loss = (1 - p**q) / q
    ```

How papermath reads it: the base to the power of the value, entry by entry (``np.power``),
the exponent one number (a scalar: a hyperparameter, or a value the equations compute); an
exponent that is a vector is a shape error. In LaTeX it is read on an expression (a
parenthesis, ``(1+t)^\gamma``) where the superscript is a letter that is no transpose
(``^T``), no index and no step (``\beta_1^t`` is the step's power); on a symbol (``W^z``) a
letter superscript stays a label; a base with a letter the source also writes as a subscript
(``(1+t)^\gamma`` beside ``u_t``: the number of the step as a value) is refused at that
letter. In code, ``a ** q`` and ``a ^ q`` with q a name. Its
gradient: ``b a^{b-1}`` into the base, ``a^b \log a`` into the exponent (0 where a <= 0).

Examples (read):

    y = (1 + x)^\gamma, x \in \mathbb{R}^{n}

    ```python
    loss = (1 - p**q) / q
    ```
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

POWER = "power"  # the known function (read/functions.py), the primitive power_p


def latex_power(reader: Reader, span: Span, body: t.Term, script: ast.Node) -> t.Term | None:
    """``(1+t)^\\gamma``: the power of ``body`` by the value ``script`` is, else None."""
    if not isinstance(script, ast.Letter) or script.name in ("T", "top", "intercal"):
        return None
    if reader.index_kind(script.name) is not None:  # an index or a step: not a value
        return None
    exponent = reader.term(script)
    if not isinstance(exponent, t.Sym) or exponent.step or exponent.node or exponent.offset:
        return None
    subscripts: dict[str, ast.Node] = {}
    for s in reader.statements:
        for n in ast.walk(s):
            if isinstance(n, ast.Sub) and isinstance(n.script, ast.Letter):
                subscripts.setdefault(n.script.name, n)
    for x in t.walk(body):
        if isinstance(x, t.Sym) and x.key in subscripts and not (x.step or x.node):
            where = reader.source.snippet(subscripts[x.key].span)
            raise reader.error(
                f"{x.key} is written as a subscript ({where}) and as a value here: the number "
                "of the step (or of the node) used in a formula is not read",
                x.span,
                hint=f"name the value, e.g. s_{x.key} = 1 + {x.key} given as an input, or "
                "write the schedule's values as data",
            )
    written = reader.source.snippet(script.span)
    reader.note(
        span,
        "a power by a value",
        f"the superscript {written} on an expression is neither a transpose nor an index: the "
        f"power by the value {written}, one number, entry by entry",
    )
    return t.Apply(span, POWER, (body, exponent))


def code_power(reader: Reader, span: Span, base: ast.Node, exponent: ast.Node) -> t.Term:
    """``a ** q`` in code: the power by the value q."""
    written = reader.source.snippet(exponent.span)
    reader.note(
        span,
        "a power by a value",
        f"** {written} in code: the power by the value {written} (np.power), one number, "
        "entry by entry",
    )
    return t.Apply(span, POWER, (reader.term(base), reader.term(exponent)))

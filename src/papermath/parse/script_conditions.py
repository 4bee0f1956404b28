r"""Rule ``condition-in-a-script``: an inequality inside a superscript or subscript, a
condition on the step or index, not an equation.

What people write (Spektral's ChebConv)::

    \T^{(k \ge 2)} = 2 \cdot \tilde \L \T^{(k - 1)} - \T^{(k - 2)}

``(k \ge 2)`` says for which orders the equation holds (every k from 2 on; ``T^{(0)}`` and
``T^{(1)}`` have their own lines). A relation command (``\ge``, ``\leq``, ``\neq``...) is
otherwise refused as "an inequality is not an equation" with the hint "write the equation
with =", which is wrong here: the equation has its ``=``; the condition sits in the script.

How papermath reads it: it refuses, with the caret on the relation, saying that a condition
in a script is not read, and the hint says to write the step or index alone (``T^{(k)}``) and
keep the condition in prose. (A comparison ``y_{t>1}`` is the grammar's: parse/unexpected.py.)
Where the orders the condition leaves out are defined on their own lines (``T^{(0)} = X``,
``T^{(1)} = L X``) and a sum runs over the recursion's orders, it is read instead
(parse/order_conditions.py, read/rules_recursion.py).

Example (refused, caret on ``\ge``):

    T^{(k \ge 2)} = 2 L T^{(k - 1)} - T^{(k - 2)}
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

RULE = "condition-in-a-script"
RELATIONS = frozenset({"le", "leq", "ge", "geq", "neq", "ne", "lt", "gt", "leqslant", "geqslant"})
# an open `^{` or `_{` before the command, with no brace closed since (a parenthesis may be open)
_OPEN_SCRIPT = re.compile(r"([_^])\s*\{([^{}]*)$")


def refusal(name: str, span: Span, text: str) -> ParseError | None:
    """The refusal for ``\\name`` at ``span`` when it is a relation inside a script."""
    if name not in RELATIONS:
        return None
    m = _OPEN_SCRIPT.search(text[: span.start])
    if m is None:
        return None
    where = "superscript" if m.group(1) == "^" else "subscript"
    inside = m.group(2).strip().lstrip("(").strip()
    letter = re.match(r"[A-Za-z]+", inside)
    index = letter.group(0) if letter else "k"
    written = "^{(" + index + ")}" if m.group(1) == "^" else "_{" + index + "}"
    return ParseError(
        f"\\{name} inside a {where}: a condition on the index {index} (the equation holds for "
        f"those {index} only), not an inequality between values; papermath does not read a "
        f"condition in a {where}",
        span=span,
        hint=f"write the index alone ({written}) and say the condition in prose; the first "
        "values (the cases the condition leaves out) go on their own lines",
    )

"""Notation rule ``unit-superscript``: Chung et al.'s GRU (2014) is written per unit j, with a
superscript selecting the j-th entry: ``h^j_t = (1 - z^j_t) h^j_{t-1} + z^j_t \\tilde h^j_t``,
``z^j_t = \\sigma(W_z x_t + U_z h_{t-1})^j``. There j is an ENTRY index, not a label and not a
power: ``h^j_t`` and ``h_{t-1}`` are the same vector h, and ``(\\dots)^j`` is the j-th entry of
the vector in parentheses.

The letter is read so only where the source itself says it: a superscript letter that selects
from a parenthesised expression (``(\\dots)^j``, which cannot be a label) and that a defined
symbol carries on the left side (``z^j_t = ...``). A superscript letter without that evidence
(``y_t = h^j_t``) stays a refusal: a power, a step or a label. Then j indexes entries, as a
subscript does in ``a_i = b_i g_i``: every equation written with it holds for every unit j,
elementwise, and reads as the whole vector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from .rules_stats import argument_of, statistic_of
from .syntax import iter_nodes

if TYPE_CHECKING:
    from .reader import Reader, SymParts


def unit_superscripts(reader: Reader, statements: list[ast.Statement]) -> None:
    """Register each per-unit superscript letter as an entry index (kind "element")."""
    component_superscripts(reader, statements)

    nodes = iter_nodes(statements)
    carried: dict[str, dict[str, list[ast.Node]]] = {}  # letter -> base key -> superscripts
    selects: dict[str, ast.Node] = {}  # letter -> a (...)^j
    for node in nodes:
        if not isinstance(node, ast.Sup) or not isinstance(node.script, ast.Letter):
            continue
        letter = node.script.name
        if len(letter) != 1 or not letter.islower() or letter in reader.out.indices:
            continue
        if isinstance(node.base, ast.Paren):
            selects.setdefault(letter, node.script)
            continue
        base = reader.symbol(node.base, quiet=True)
        if base is not None:
            carried.setdefault(letter, {}).setdefault(base.key, []).append(node.script)
    lefts = [st.lhs.span for st in statements if isinstance(st, ast.Definition)]
    for letter, bases in carried.items():
        on_left = sorted(
            k
            for k, scripts in bases.items()
            if any(left.start <= x.span.start < left.end for x in scripts for left in lefts)
        )
        if letter not in selects or not on_left:
            continue
        why = (
            f"it selects an entry of a vector, as (...)^{letter} does: the {letter}-th unit "
            f"(Chung et al.'s per-unit notation), and {on_left[0]}^{letter} = ... defines "
            f"every unit {letter} of {on_left[0]} at once; not a label or a power"
        )
        span = selects[letter].span
        reader.add_index(letter, "element", why, span)
        reader.note(span, f"entry index {letter}", f"the superscript {letter}: {why}")


def component_superscripts(reader: Reader, statements: list[ast.Statement]) -> None:
    """Rule ``component-superscript``: Ioffe & Szegedy's batch norm normalises "each dimension
    k" of x, written ``\\hat x^{(k)} = (x^{(k)} - \\mathrm{E}[x^{(k)}]) / \\sqrt{\\mathrm{Var}
    [x^{(k)}]}`` with ``x \\in \\mathbb{R}^{d}``. There (k) is a COMPONENT index, not a step or
    a layer: a letter in parentheses written on a declared vector inside a statistic (E or Var
    of that dimension). Then k indexes entries, every equation written with it holds for
    every k, and the statistic is over the examples of the batch (rules_stats)."""
    for node in iter_nodes(statements):
        if statistic_of(node) not in ("E", "Var"):
            continue
        arg = argument_of(node)
        if not (
            isinstance(arg, ast.Sup)
            and isinstance(arg.script, ast.Paren)
            and isinstance(arg.script.body, ast.Letter)
        ):
            continue
        letter = arg.script.body.name
        base = reader.symbol(arg.base, quiet=True)
        if base is None or letter in reader.out.indices:
            continue
        size = reader.declared_vector_size(base.key)
        if size is None:
            continue
        why = (
            f"{base.key}^{{({letter})}} is written inside a statistic of the declared vector "
            f"{base.key} (in R^{size}): dimension {letter} of {base.key}, a component, not a "
            "step or a layer"
        )
        reader.add_index(letter, "element", why, arg.script.span)
        reader.note(arg.script.span, f"component index {letter}", why)


def layer_label(reader: Reader, parts: SymParts, digits: str) -> bool:
    """Rule ``numbered-layer``: Kipf & Welling's two-layer GCN writes ``W^{(0)}`` (C x H) and
    ``W^{(1)}`` (H x F), two different matrices, and Ng's course notes ``W^{[1]}``, ``W^{[2]}``:
    a number in parentheses (or brackets) on a symbol that is never written with a step index
    there (no ``W^{(l)}``, ``W^{(t-1)}``, ``W^{[l]}``) labels a layer, as ``W_0``, ``W_1``;
    there is no recurrence to be a step of. Where the symbol is
    also written with a step (``h^{(t)}`` beside ``h^{(0)}``), (0) would be a value at step 0,
    which is not read: refused as before."""
    if not digits.isdigit() or parts.step is not None or parts.node or parts.element:
        return False  # h_{t-1}^{(2)}: a step already, so (2) is no layer of it
    for node in iter_nodes(reader.statements):
        if not isinstance(node, ast.Sup):
            continue
        if isinstance(node.script, ast.Paren):
            inner = node.script.body
        elif isinstance(node.script, ast.Bracket) and len(node.script.items) == 1:
            inner = node.script.items[0]  # W^{[l]}: Ng's layer l
        else:
            continue
        if isinstance(inner, ast.Number):
            continue
        base = reader.symbol(node.base, quiet=True)
        if base is not None and base.key == parts.key:
            return False
    return True

"""Notation rule ``initial-value``: ``H^{0} = X``, ``h_0 = \\tanh(U x)`` beside a recurrence in
the state: the state's first value is tied to a value of the model.

What people write: APPNP (DGL's docstring) ``H^{0} = X`` then ``H^{l+1} = (1-\\alpha)(\\hat{A}
H^{l}) + \\alpha H^{0}``; Spektral's APPNPConv ``\\mathbf{Z}^{(0)} = \\textrm{MLP}(\\mathbf{X})``,
then ``\\mathbf{Z}^{(K)} = ... \\mathbf{Z}^{(K-1)} + \\alpha \\mathbf{Z}^{(0)}``.

How papermath reads it: the initial condition defines a value of its own, the state's first
value, keyed ``H_init`` (``H_{\\mathrm{init}}``), computed once before the steps from what its
right side reads; the state H has its shape (the widths must match: the state's first value is
the state), and the generated code starts the recurrence from it (the initial state is that
value, not an argument). A step-0 value written on a right side (APPNP's teleport term ``\\alpha
H^{0}``) is that same value, read at every step. Both are said in the readings.

A state per node (``h_i^{(0)} = x_i \\| \\mathbf{0}``, GG-NN's zero padding to the state's
width: read/rules_zero_pad.py) is tied the same way, its first value one per node. Not read
here (refused by read/rules_initial.py, with its caret on the left side): zeros before or
between values, a first value per entry, a first value that reads the state itself, and a key
``H_init`` the source already uses. Refused here,
where nothing is declared, at the construct: a learnable function as the first value
(Spektral's ``\\textrm{MLP}(\\mathbf{X})``: X one vector, or one row per node?), and a state
multiplied by a weight one per step (ARMAConv's ``\\bar X^{(t)} W^{(t)}``: the first step's
weight may change the width, which the source glosses over).

Examples that read: ``H^{0} = X`` with ``H^{l+1} = (1-\\alpha) \\tilde{A} H^{l} + \\alpha H^{0}``.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..errors import ReadingError
from ..parse import ast
from ..source import Span
from . import rules_row_states, rules_zero_pad
from .functions import lookup
from .syntax import is_symbolish, iter_nodes, step_zero
from .syntax import is_zero as _is_zero

if TYPE_CHECKING:
    from .reader import Reader


SUFFIX = "init"  # H^{0} = X: the value H_init (H_{\mathrm{init}})


def init_key(key: str) -> str:
    """The key of a state's first value (``H`` -> ``H_init``)."""
    return f"{key}_{SUFFIX}"


def _init_node(base: ast.Node, span: Span) -> ast.Node:
    return ast.Sub(
        span=span, base=base, script=ast.Text(span=span, command="mathrm", content=SUFFIX)
    )


def tied_statements(
    reader: Reader, statements: list[ast.Statement], stepped: set[str]
) -> list[ast.Statement]:
    """The initial conditions to a value (not zero) of whole states rewritten as definitions of
    the state's first value ``H_init``, and every step-0 use of the state read as it; the rest
    as they were (refused or read by read/rules_initial.py)."""
    tied: dict[str, ast.Definition] = {}
    for s in statements:
        if not isinstance(s, ast.Definition) or _is_zero(s.rhs):
            continue
        base = step_zero(s.lhs)
        if base is None or not is_symbolish(base):
            continue
        parts = reader.symbol(base, quiet=True)
        if parts is None or parts.key not in stepped or parts.element:
            continue
        if parts.key in tied:
            return statements  # two first values: refused in rules_initial
        tied[parts.key] = s
    if not tied:
        return statements
    used = _keys(reader, statements)
    for key, s in list(tied.items()):
        if (
            init_key(key) in used
            or _reads(reader, s.rhs, key)
            or _at_step_zero(reader, s.rhs)
            or (_padded(s.rhs) and not rules_zero_pad.mark(reader, s.rhs))
        ):
            del tied[key]  # refused in rules_initial (the key taken; a value of the state;
            # h_0 = x_0 beside x_t: the input at a step 0 the steps never reach)
    if not tied:
        return statements
    if not any(isinstance(s, ast.Declaration) for s in statements):
        for key, s in tied.items():
            _learned_rows(reader, s, key)
            _per_step_widths(reader, statements, s, key, stepped)

    def first_value(node: ast.Node) -> ast.Node:
        base = step_zero(node)
        if base is not None and is_symbolish(base):
            parts = reader.symbol(base, quiet=True)
            if parts is not None and parts.key in tied:
                return _init_node(base, node.span)
        return ast.map_children(node, lambda v: first_value(v))

    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, ast.Definition):
            new = dataclasses.replace(s, lhs=first_value(s.lhs), rhs=first_value(s.rhs))
            out.append(new)
        else:
            out.append(s)
    for key, s in tied.items():
        written = " ".join(reader.source.snippet(s.lhs.span).split())
        reader.out.initial_values[key] = init_key(key)
        reader.note(
            s.span,
            "initial value",
            f"{written} = ... is the value of the state {key} before the first step: read as a "
            f"value of its own, {init_key(key)}, computed once before the steps; {key} has its "
            "shape, and the generated code starts the recurrence from it (not an argument); "
            f"{written} on a right side is that same value, read at every step",
        )
    return out


def _reads(reader: Reader, node: ast.Node, key: str) -> bool:
    """Whether ``node`` reads the state ``key`` at any step (H^{0} = f(H^{l}))."""
    for n in iter_nodes([node]):  # type: ignore[list-item]
        if is_symbolish(n) and (p := reader.symbol(n, quiet=True)) is not None and p.key == key:
            return True
    return False


def _padded(node: ast.Node) -> bool:
    """Whether ``node`` holds a zero block beside values (``[x_i \\| \\mathbf{0}]``: GG-NN's
    input padded with zeros to the state's width), whose width the source leaves to words."""
    nodes = list(iter_nodes([node]))  # type: ignore[list-item]
    # x_0's 0, x^{(0)}'s 0: every node inside a script is a step or a label, never a block
    scripts = {
        id(inner)
        for n in nodes
        if isinstance(n, ast.Sub | ast.Sup)
        for inner in iter_nodes([n.script])  # type: ignore[list-item]
    }
    return not _is_zero(node) and any(_is_zero(n) and id(n) not in scripts for n in nodes)


def _at_step_zero(reader: Reader, node: ast.Node) -> bool:
    """Whether ``node`` reads a value at step 0 (``x_0``, ``x^{(0)}``): beside ``x_t`` that is
    the input one step before the first, which the sequence of inputs may or may not hold;
    the source does not say, so the tie is left to rules_initial's refusal."""
    return any(step_zero(n) is not None for n in iter_nodes([node]))  # type: ignore[list-item]


def _learned_rows(reader: Reader, s: ast.Definition, key: str) -> None:
    """``Z^{(0)} = MLP(X)`` with nothing declared: refused. A learnable function takes one
    vector, but X may hold one row per node (the function applied to each row); the state's
    shape would follow from that guess."""
    for node in iter_nodes([s.rhs]):  # type: ignore[list-item]
        if not isinstance(node, ast.Call):
            continue
        match node.func:
            case ast.Text(content=name) | ast.FunctionName(name=name) if lookup(name) is None:
                if rules_row_states.rows(reader, s, node, name, key):
                    continue  # Z^{(0)} = MLP(X), \hat{A} Z: MLP maps each row of X
                args = ", ".join(" ".join(reader.source.snippet(a.span).split()) for a in node.args)
                raise reader.error(
                    f"{' '.join(reader.source.snippet(s.lhs.span).split())} = "
                    f"{' '.join(reader.source.snippet(node.span).split())} gives the state {key} "
                    f"its first value from a learnable function of {args}, and nothing declares "
                    f"a shape: {args} may be one vector or hold one row per node (the function "
                    f"applied to each row), and {key}'s shape follows from which",
                    node.span,
                    # with the shapes declared, the function applies to each row
                    # (shapes/rules_row_map.py); or its value given as data (s5 GA)
                    hint=f"declare the shapes: {args} \\in \\mathbb{{R}}^{{N \\times F}} and "
                    f"{key} \\in \\mathbb{{R}}^{{N \\times F'}} (one row per node, {name} "
                    f"applied to each row), or {args} \\in \\mathbb{{R}}^{{F}} (one vector); or "
                    f"give its value as data, {_squeezed(reader, s.lhs)} = H with "
                    "H \\in \\mathbb{R}^{N \\times F'} declared and a line "
                    "`% papermath: H is input`",
                )


def _squeezed(reader: Reader, node: ast.Node) -> str:
    return " ".join(reader.source.snippet(node.span).split())


def _per_step_widths(
    reader: Reader, statements: list[ast.Statement], s: ast.Definition, key: str, stepped: set[str]
) -> None:
    """``\\bar X^{(0)} = X`` beside ``\\bar X^{(t)} W^{(t)}`` (the state times a weight one per
    step), nothing declared: refused. The weights of the first step may map X's width to the
    state's (Spektral's ARMAConv: W^{(0)} is F x F_out, every later one F_out x F_out), and
    tying the state to X's width would read one width where the source glosses over two."""
    defined = set()
    for st in statements:
        if isinstance(st, ast.Definition) and is_symbolish(st.lhs):
            parts = reader.symbol(st.lhs, quiet=True)
            if parts is not None:
                defined.add(parts.key)

    def per_step(n: ast.Node) -> bool:  # W^{(t)}: one per step, defined nowhere
        parts = reader.symbol(n, quiet=True) if is_symbolish(n) else None
        return parts is not None and bool(parts.step) and parts.key not in defined | stepped

    def state(n: ast.Node) -> bool:
        parts = reader.symbol(n, quiet=True) if is_symbolish(n) else None
        return parts is not None and parts.key == key

    for product in iter_nodes(statements):  # \bar X^{(t)} W^{(t)}: the state times them
        if not isinstance(product, ast.Juxt):
            continue
        left, right = _end(product.left, "right"), _end(product.right, "left")
        if per_step(left) and state(right):
            node = left
        elif per_step(right) and state(left):
            node = right
        else:
            continue
        written = " ".join(reader.source.snippet(s.lhs.span).split())
        first = " ".join(reader.source.snippet(s.rhs.span).split())
        raise reader.error(
            f"{written} = {first} gives the state {key} the width of {first}, but "
            f"{' '.join(reader.source.snippet(node.span).split())} is one per step: the first "
            f"step's may map {first}'s width to another (the weights of step 0 shaped apart), "
            "and nothing declares the shapes",
            s.lhs.span,
            hint=f"declare the shapes of {first} and {key} (the same width if the state keeps "
            f"it at every step)",
        )


def _end(node: ast.Node, side: str) -> ast.Node:
    """The factor at one end of a product written side by side (``A X W``: X, W or A)."""
    while isinstance(node, ast.Juxt):
        node = node.right if side == "right" else node.left
    return node


def untied(
    reader: Reader, s: ast.Definition, written: str, key: str, statements: list[ast.Statement]
) -> ReadingError:
    """The refusal of an initial condition to a value that :func:`tied_statements` left: why."""
    base = step_zero(s.lhs)
    parts = reader.symbol(base, quiet=True) if base is not None else None
    padded = _padded(s.rhs) and rules_zero_pad.padded_body(s.rhs) is None
    if padded or (parts is not None and parts.element):
        why = (
            "a first value with zeros before or between its values is not read (a value "
            "followed by zeros is: x_i \\| \\mathbf{0}, padded to the state's width)"
            if padded
            else "a first value per entry is not read yet (a whole state's is: H^{0} = X)"
        )
    elif init_key(key) in _keys(reader, statements):
        why = f"its name {init_key(key)} (the state's first value) is a symbol of the source"
    elif _reads(reader, s.rhs, key):
        why = f"it reads the state {key} itself"
    elif _at_step_zero(reader, s.rhs):
        why = (
            "its value is read at step 0 as well, before the steps the equations run (is it "
            "the first of the inputs, or one more before them?); the source does not say"
        )
    else:
        why = f"the state {key} is given more than one first value"
    return reader.error(
        f"{written} = ... is an initial condition (the value of the state {key} before the "
        f"first step), and {why}: papermath takes this state's first value as an argument of "
        "the generated code (zeros where none is given)",
        s.lhs.span,
        hint=f"delete this line and give the value as the initial state of {key}; where "
        f"{written} is used in an equation, write that value instead",
    )


def _keys(reader: Reader, statements: list[ast.Statement]) -> set[str]:
    return {
        p.key
        for node in iter_nodes(statements)
        if is_symbolish(node) and (p := reader.symbol(node, quiet=True)) is not None
    }

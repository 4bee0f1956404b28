"""Arithmetic primitives: numbers, and entry-by-entry arithmetic with broadcasting.

Each primitive's rules sit under its functions: its shape (the type check), its code (NumPy
and torch, one function: ``em.d`` is the dialect), its vector-Jacobian product (the generated
backward), its C++ for the fused step kernels. Operands of a binary op broadcast by
``op.attrs["align"]``: for each operand, the operand axis of each result axis (None:
broadcast).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import PapermathError
from ..ir.prims import (
    add_p,
    const_p,
    div_p,
    maximum_p,
    minimum_p,
    mul_p,
    neg_p,
    norm_p,
    pow_p,
    power_p,
    step_pow_p,
    sub_p,
)
from ..ir.program import Op
from ..ir.rules import (
    CppRule,
    ForwardRule,
    Shape,
    VjpTreeRule,
    cpp_rules,
    emit_rules,
    forward_tree_rules,
    shape_failed,
    shape_rules,
    shape_same,
    shape_scalar,
    vjp_rules,
    vjp_tree_rules,
)
from ..ir.tree import (
    ONE,
    RAW,
    Node,
    add,
    broadcast_shape,
    div,
    fn,
    indicator,
    mul,
    neg,
    num,
    power,
    step_node,
    step_power,
    sub,
    unbroadcast,
)

if TYPE_CHECKING:
    from ..backends.backward import Backward
    from ..backends.emit import Emitter
    from ..ir.program import Op
    from ..passes.reverse import Reverse


# ---- shapes ----------------------------------------------------------------------------
def shape_aligned(op: Op, ins: list[Shape]) -> Shape:
    """The result shape as the op says, each operand's axes matching it where aligned."""
    out = op.out.shape
    align = op.attrs.get("align") or tuple(tuple(range(len(out))) for _ in ins)
    if len(align) != len(ins):
        raise shape_failed(f"{len(align)} alignments for {len(ins)} operands")
    for shape, axes in zip(ins, align, strict=True):
        if len(axes) != len(out):
            raise shape_failed(f"alignment {axes} for a result of shape {out}")
        used = [a for a in axes if a is not None]
        if sorted(used) != list(range(len(shape))):
            raise shape_failed(f"bad alignment {axes} for {shape}")
        for res_axis, a in enumerate(axes):
            if a is not None and shape[a] != out[res_axis]:
                raise shape_failed(f"{shape} does not align with {out}")
    return out


for _p in (add_p, sub_p, mul_p, div_p, maximum_p, minimum_p, power_p):
    shape_rules[_p] = shape_aligned
shape_rules[const_p] = shape_scalar
shape_rules[neg_p] = shape_same
shape_rules[pow_p] = shape_same
shape_rules[step_pow_p] = shape_same


# ---- const -----------------------------------------------------------------------------
def emit_const(em: Emitter, op: Op, indent: int) -> None:
    value = float(op.attrs["value"])
    if not math.isfinite(value):  # the reader refuses such numbers; never emit `inf`
        raise PapermathError(f"the constant {value!r} is not a finite number")
    em.expr[op.out] = repr(value) if value >= 0 else f"({value!r})"


def vjp_const(bw: Backward, op: Op, g: str) -> None:
    return  # a number has no gradient


emit_rules[const_p] = emit_const
vjp_rules[const_p] = vjp_const


# ---- add, sub, mul, div ----------------------------------------------------------------
def binary(em: Emitter, op: Op, indent: int, sym: str) -> None:
    """``a sym b``, each operand indexed to broadcast against the result."""
    a, b = op.inputs
    al, bl = op.attrs["align"]
    em.bind(op, f"{em.operand(a, al, op.out)} {sym} {em.operand(b, bl, op.out)}", indent)


def emit_add(em: Emitter, op: Op, indent: int) -> None:
    binary(em, op, indent, "+")


def vjp_add(bw: Backward, op: Op, g: str) -> None:
    for v, al in zip(op.inputs, op.attrs["align"], strict=True):
        bw.reduce_to(v, g, op.out, al)


emit_rules[add_p] = emit_add
vjp_rules[add_p] = vjp_add
cpp_rules[add_p] = CppRule(
    lambda op, x: f"{x[0]} + {x[1]}",
    lambda op, a, x, y: [a, a],
    lambda op: ((), False),
)


def emit_sub(em: Emitter, op: Op, indent: int) -> None:
    binary(em, op, indent, "-")


def vjp_sub(bw: Backward, op: Op, g: str) -> None:
    (a, b), (al, bl) = op.inputs, op.attrs["align"]
    bw.reduce_to(a, g, op.out, al)
    bw.reduce_to(b, f"-{g}", op.out, bl)


emit_rules[sub_p] = emit_sub
vjp_rules[sub_p] = vjp_sub
cpp_rules[sub_p] = CppRule(
    lambda op, x: f"{x[0]} - {x[1]}",
    lambda op, a, x, y: [a, f"-{a}"],
    lambda op: ((), False),
)


def emit_mul(em: Emitter, op: Op, indent: int) -> None:
    binary(em, op, indent, "*")


def vjp_mul(bw: Backward, op: Op, g: str) -> None:
    (a, b), (al, bl) = op.inputs, op.attrs["align"]
    x, y = bw.aligned(op)
    bw.reduce_to(a, f"{g} * {y}", op.out, al)
    bw.reduce_to(b, f"{g} * {x}", op.out, bl)


emit_rules[mul_p] = emit_mul
vjp_rules[mul_p] = vjp_mul
cpp_rules[mul_p] = CppRule(
    lambda op, x: f"{x[0]} * {x[1]}",
    lambda op, a, x, y: [f"{a} * {x[1]}", f"{a} * {x[0]}"],
    lambda op: ((0, 1), False),
)


def emit_div(em: Emitter, op: Op, indent: int) -> None:
    binary(em, op, indent, "/")


def vjp_div(bw: Backward, op: Op, g: str) -> None:
    (a, b), (al, bl) = op.inputs, op.attrs["align"]
    x, y = bw.aligned(op)
    bw.reduce_to(a, f"{g} / {y}", op.out, al)
    bw.reduce_to(b, f"-{g} * {x} / {y} ** 2", op.out, bl)


emit_rules[div_p] = emit_div
vjp_rules[div_p] = vjp_div
cpp_rules[div_p] = CppRule(
    lambda op, x: f"{x[0]} / {x[1]}",
    lambda op, a, x, y: [f"{a} / {x[1]}", f"-{a} * {x[0]} / ({x[1]} * {x[1]})"],
    lambda op: ((0, 1), False),
)


# ---- maximum, minimum ------------------------------------------------------------------
def extremum(em: Emitter, op: Op, indent: int, which: str) -> None:
    a, b = op.inputs
    al, bl = op.attrs["align"]
    x, y = em.operand(a, al, op.out), em.operand(b, bl, op.out)
    if em.d.name == "numpy":
        em.bind(op, f"np.{which}({x}, {y})", indent)
        return
    consts = [v for v in (a, b) if not v.shape and not v.batched]
    if consts:  # torch.maximum needs two tensors; clamp takes a number
        other = y if consts[0] is a else x
        bound = "min" if which == "maximum" else "max"
        em.bind(op, f"torch.clamp({other}, {bound}={em.expr[consts[0]]})", indent)
    else:
        em.bind(op, f"torch.{which}({x}, {y})", indent)


def emit_maximum(em: Emitter, op: Op, indent: int) -> None:
    extremum(em, op, indent, "maximum")


def vjp_maximum(bw: Backward, op: Op, g: str) -> None:
    (a, b), (al, bl) = op.inputs, op.attrs["align"]
    x, y = bw.aligned(op)
    bw.reduce_to(a, f"{g} * ({x} >= {y})", op.out, al)
    bw.reduce_to(b, f"{g} * ({x} < {y})", op.out, bl)


emit_rules[maximum_p] = emit_maximum
vjp_rules[maximum_p] = vjp_maximum


def emit_minimum(em: Emitter, op: Op, indent: int) -> None:
    extremum(em, op, indent, "minimum")


def vjp_minimum(bw: Backward, op: Op, g: str) -> None:
    (a, b), (al, bl) = op.inputs, op.attrs["align"]
    x, y = bw.aligned(op)
    bw.reduce_to(a, f"{g} * ({x} <= {y})", op.out, al)
    bw.reduce_to(b, f"{g} * ({x} > {y})", op.out, bl)


emit_rules[minimum_p] = emit_minimum
vjp_rules[minimum_p] = vjp_minimum


# ---- neg, pow --------------------------------------------------------------------------
def emit_neg(em: Emitter, op: Op, indent: int) -> None:
    em.bind(op, f"-{em.expr[op.inputs[0]]}", indent)


def vjp_neg(bw: Backward, op: Op, g: str) -> None:
    bw.add(op.inputs[0], f"-{g}")


emit_rules[neg_p] = emit_neg
vjp_rules[neg_p] = vjp_neg
cpp_rules[neg_p] = CppRule(
    lambda op, x: f"-{x[0]}",
    lambda op, a, x, y: [f"-{a}"],
    lambda op: ((), False),
)


def emit_pow(em: Emitter, op: Op, indent: int) -> None:
    e = float(op.attrs["exponent"])
    shown = str(int(e)) if e.is_integer() else repr(e)
    em.bind(op, f"{em.expr[op.inputs[0]]} ** {shown}", indent)


def vjp_pow(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    e = float(op.attrs["exponent"])
    k = str(int(e)) if e.is_integer() else repr(e)
    k1 = str(int(e - 1)) if (e - 1).is_integer() else repr(e - 1)
    bw.add(x, f"{g} * {k} * {bw.e.expr[x]} ** {k1}")


def cpp_pow(op: Op, x: list[str]) -> str:
    e = float(op.attrs["exponent"])
    return f"{x[0]} * {x[0]}" if e == 2 else f"std::pow({x[0]}, scalar_t({e!r}))"


def cpp_pow_adjoint(op: Op, a: str, x: list[str], y: str) -> list[str | None]:
    e = float(op.attrs["exponent"])
    return [f"{a} * scalar_t({e!r}) * std::pow({x[0]}, scalar_t({e - 1!r}))"]


emit_rules[pow_p] = emit_pow
vjp_rules[pow_p] = vjp_pow
cpp_rules[pow_p] = CppRule(cpp_pow, cpp_pow_adjoint, lambda op: ((0,), False))


def step_number(em: Emitter) -> str:
    """The number of the step the generated loop computes, as an expression: the loop runs
    ``for t in range(T)`` (forward) and ``for t in reversed(range(len(steps)))`` (the NumPy
    backward), both over 0, ..., T-1, and the paper's steps are 1, ..., T (its initial state,
    ``m_0``, is step 0). read/rules_step_number.py reads ``\\beta_1^t`` into this."""
    key = em.p.step_index
    if key is None or key != em.names.symbol(key):  # a reserved name: the loop's is another
        raise PapermathError(
            f"a power of the step number needs the loop over the steps {key!r}: not generated here"
        )
    return f"({key} + 1)"


def emit_step_pow(em: Emitter, op: Op, indent: int) -> None:
    em.bind(op, f"{em.expr[op.inputs[0]]} ** {step_number(em)}", indent)


def vjp_step_pow(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    n = step_number(bw.e)
    bw.add(x, f"{g} * {n} * {bw.e.expr[x]} ** ({n} - 1)")


emit_rules[step_pow_p] = emit_step_pow
vjp_rules[step_pow_p] = vjp_step_pow


# ---- power: a ** b, b a value (x^\gamma, read/rules_value_powers.py) --------------------------
def emit_power(em: Emitter, op: Op, indent: int) -> None:
    binary(em, op, indent, "**")


def vjp_power(bw: Backward, op: Op, g: str) -> None:
    # d(a^b)/da = b a^(b-1); d(a^b)/db = a^b log a, 0 where a <= 0 (a^b log a -> 0 at a = 0)
    (a, b), (al, bl) = op.inputs, op.attrs["align"]
    x, y = bw.aligned(op)
    bw.reduce_to(a, f"{g} * {y} * {x} ** ({y} - 1)", op.out, al)
    log = f"np.log(np.where({x} > 0, {x}, 1.0))"
    bw.reduce_to(b, f"{g} * {x} ** {y} * {log}", op.out, bl)


emit_rules[power_p] = emit_power
vjp_rules[power_p] = vjp_power


# ---- printed gradients: arithmetic ---------------------------------------------------------------
def _tree_binary(make: Callable[[Node, Node], Node]) -> ForwardRule:
    def rule(r: Reverse, op: Op, xs: list[Node]) -> Node:
        r.shape2(op.out)  # e_{ji} \Theta: a matrix per edge, refused by name (NotPrinted)
        return make(r.operand(op, 0), r.operand(op, 1))

    return rule


forward_tree_rules[add_p] = _tree_binary(add)
forward_tree_rules[sub_p] = _tree_binary(sub)
forward_tree_rules[mul_p] = _tree_binary(mul)
forward_tree_rules[div_p] = _tree_binary(div)
forward_tree_rules[neg_p] = lambda r, op, xs: neg(xs[0])


def tree_const(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """A number; one computed from sizes as the source writes it (``\\frac{1}{N}``)."""
    if "latex" in op.attrs:
        return Node(RAW, (), (ONE, ONE), {"latex": op.attrs["latex"]})
    return num(float(op.attrs["value"]))


forward_tree_rules[const_p] = tree_const
forward_tree_rules[pow_p] = lambda r, op, xs: power(xs[0], float(op.attrs["exponent"]))


def tree_vjp_add(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    return [r.to_operand(op, 0, g), r.to_operand(op, 1, g)]


def tree_vjp_sub(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    return [r.to_operand(op, 0, g), r.to_operand(op, 1, neg(g))]


def tree_vjp_mul(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    a, b = r.operand(op, 0), r.operand(op, 1)
    return [r.to_operand(op, 0, mul(g, b)), r.to_operand(op, 1, mul(g, a))]


def tree_vjp_div(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    a, b = r.operand(op, 0), r.operand(op, 1)
    gb = neg(div(mul(g, a), power(b, 2)))
    return [r.to_operand(op, 0, div(g, b)), r.to_operand(op, 1, gb)]


def tree_vjp_neg(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    return [neg(g)]


def tree_vjp_pow(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    k = float(op.attrs["exponent"])
    (x,) = op.inputs
    inner = r.producer.get(x)
    if k == 2 and inner is not None and inner.prim is norm_p and r.uses(x) == 1:
        # \|u\|^2: 2 u (the norm's own gradient, u / \|u\|, cancels it)
        u = inner.inputs[0]
        r.skip.add(inner)
        r.send(u, unbroadcast(mul(num(2), mul(g, r.forward(u))), r.shape2(u), r.samples), inner)
        return [None]
    return [mul(num(k), mul(g, power(r.forward(x), k - 1)))]


def tree_vjp_step_pow(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    # d(a^t)/da = t a^{t-1}
    return [mul(step_node(), mul(g, step_power(r.forward(op.inputs[0]), -1)))]


forward_tree_rules[step_pow_p] = lambda r, op, xs: step_power(xs[0])
vjp_tree_rules[step_pow_p] = tree_vjp_step_pow
vjp_tree_rules[add_p] = tree_vjp_add
vjp_tree_rules[sub_p] = tree_vjp_sub
vjp_tree_rules[mul_p] = tree_vjp_mul
vjp_tree_rules[div_p] = tree_vjp_div
vjp_tree_rules[neg_p] = tree_vjp_neg
vjp_tree_rules[pow_p] = tree_vjp_pow


def _tree_extreme(bigger: bool) -> ForwardRule:
    def rule(r: Reverse, op: Op, xs: list[Node]) -> Node:
        a, b = r.operand(op, 0), r.operand(op, 1)
        return Node(maximum_p if bigger else minimum_p, (a, b), broadcast_shape(a.shape, b.shape))

    return rule


def _tree_vjp_extreme(bigger: bool) -> VjpTreeRule:
    def rule(r: Reverse, op: Op, g: Node) -> list[Node | None]:
        a, b = r.operand(op, 0), r.operand(op, 1)
        # max: a where a > b; min: a where b > a (ties have measure zero at random values)
        wins_a = indicator(a, ">", b) if bigger else indicator(b, ">", a)
        wins_b = indicator(b, ">", a) if bigger else indicator(a, ">", b)
        return [r.to_operand(op, 0, mul(g, wins_a)), r.to_operand(op, 1, mul(g, wins_b))]

    return rule


forward_tree_rules[maximum_p] = _tree_extreme(True)
forward_tree_rules[minimum_p] = _tree_extreme(False)
vjp_tree_rules[maximum_p] = _tree_vjp_extreme(True)
vjp_tree_rules[minimum_p] = _tree_vjp_extreme(False)


def tree_power(r: Reverse, op: Op, xs: list[Node]) -> Node:
    a, b = r.operand(op, 0), r.operand(op, 1)
    return Node(power_p, (a, b), broadcast_shape(a.shape, b.shape))


def tree_vjp_power(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    # x^b (read/rules_value_powers.py): b x^{b-1} into x, x^b \log x into b
    a, b = r.operand(op, 0), r.operand(op, 1)
    into_a = mul(g, mul(b, Node(power_p, (a, sub(b, num(1))), a.shape)))
    into_b = mul(g, mul(r.forward(op.out), fn("log", a)))
    return [r.to_operand(op, 0, into_a), r.to_operand(op, 1, into_b)]


forward_tree_rules[power_p] = tree_power
vjp_tree_rules[power_p] = tree_vjp_power

"""The ``fn`` primitive: a function of ``elementwise.py`` applied entry by entry.

Its rules read the function's row: the NumPy and torch spellings (through the emitter's
dialect), the derivative written once in the row (as code for the backward), and the C++ of
the fused step kernels (the row's ``cpp``: a function without it keeps the torch-ops path,
and the kernel planner says which function, and why, from the row's ``no_cpp``). The rows
themselves live in ``elementwise.py``, which imports nothing of the IR (the reader reads
them first).
"""

from __future__ import annotations

import ast as pyast
from typing import TYPE_CHECKING

from ..errors import InternalError, PapermathError
from ..ir.prims import (
    fn_p,
)
from ..ir.program import Op
from ..ir.rules import (
    CppRule,
    cpp_rules,
    emit_rules,
    forward_tree_rules,
    shape_rules,
    shape_same,
    vjp_rules,
    vjp_tree_rules,
)
from ..ir.tree import (
    CALL,
    MEAN,
    ONE,
    RAW,
    VAR,
    Node,
    NotPrinted,
    add,
    div,
    fn,
    indicator,
    matmul,
    mul,
    neg,
    num,
    ones_of,
    power,
    sub,
)
from .elementwise import DERIVATIVE_CALLS, ELEMENTWISE, constant, derivative_code, derivative_tree

if TYPE_CHECKING:
    from ..backends.backward import Backward
    from ..backends.emit import Emitter
    from ..ir.program import Op
    from ..passes.reverse import Reverse

shape_rules[fn_p] = shape_same


def emit_fn(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    fn = op.attrs["fn"]
    axis = em.axis(x, len(x.shape) - 1) if x.shape else -1
    em.bind(op, em.d.fns[fn].format(x=em.expr[x], axis=axis), indent)


def vjp_fn(bw: Backward, op: Op, g: str) -> None:
    fn = op.attrs["fn"]
    if fn == "sign":
        return  # zero almost everywhere
    if fn == "identity":
        bw.add(op.inputs[0], g)
        return
    if fn == "layernorm":
        (x,) = op.inputs
        axis = bw.e.axis(x, len(x.shape) - 1) if x.shape else -1
        bw.add(x, f"_layernorm_vjp({g}, {bw.e.expr[x]}, {axis})")
        return
    if fn not in ELEMENTWISE:
        raise PapermathError(f"the gradient of {fn} is not generated yet")
    (x,) = op.inputs
    # f'(x), written once in the function's row, as code
    d = bw.e.d  # the dialect's functions and pi
    code = derivative_code(
        fn, bw.e.expr[x], bw.e.expr[op.out], d.derivative_calls, d.pi, d.derivative_compare
    )
    bw.add(x, f"{g} * {code}")


emit_rules[fn_p] = emit_fn
vjp_rules[fn_p] = vjp_fn


def cpp_of(op: Op) -> tuple[str, str]:
    """The function's C++ (f(x), f'(x)) from its row."""
    got = ELEMENTWISE[op.attrs["fn"]].cpp
    if got is None:  # the planner fuses only functions with C++ (cpp_fn_missing)
        raise InternalError(f"no C++ for {op.attrs['fn']}, and yet fused")
    return got


def cpp_fn(op: Op, x: list[str]) -> str:
    return cpp_of(op)[0].format(x=x[0])


def cpp_fn_adjoint(op: Op, a: str, x: list[str], y: str) -> list[str | None]:
    return [f"{a} * ({cpp_of(op)[1].format(x=x[0], y=y)})"]


def cpp_fn_reads(op: Op) -> tuple[tuple[int, ...], bool]:
    d = cpp_of(op)[1]
    return ((0,) if "{x}" in d else ()), "{y}" in d


def cpp_fn_missing(op: Op) -> str | None:
    """Why a cell with this function is not fused: its row has no C++ (and says why), or it
    has no row (layernorm, a function of the dialects only)."""
    fn = op.attrs["fn"]
    row = ELEMENTWISE.get(fn)
    if row is None:
        return f"no C++ for {fn}"
    return None if row.cpp is not None else f"no C++ for {fn}: {row.no_cpp}"


cpp_rules[fn_p] = CppRule(cpp_fn, cpp_fn_adjoint, cpp_fn_reads, cpp_fn_missing)


# ---- printed gradients: elementwise --------------------------------------------------------------
def fn_prime(name: str, x: Node, y: Node) -> Node:
    """f'(x) from x and y = f(x): the derivative written once in the function's row."""
    if name not in ELEMENTWISE:
        raise NotPrinted(f"gradient equations through {name} are not printed yet")

    def build(node: pyast.expr) -> Node:
        match node:
            case pyast.Name(id="x"):
                return x
            case pyast.Name(id="y"):
                return y
            case pyast.Name(id="pi"):
                return Node(RAW, (), (ONE, ONE), {"latex": "\\pi"})
            case pyast.Constant(value=v):
                return num(constant(v))
            case pyast.UnaryOp(op=pyast.USub(), operand=a):
                return neg(build(a))
            case pyast.BinOp(left=a, op=pyast.Mult(), right=b):
                return mul(build(a), build(b))
            case pyast.BinOp(left=a, op=pyast.Add(), right=b):
                return add(build(a), build(b))
            case pyast.BinOp(left=a, op=pyast.Sub(), right=b):
                return sub(build(a), build(b))
            case pyast.BinOp(left=a, op=pyast.Div(), right=b):
                return div(build(a), build(b))
            case pyast.BinOp(left=a, op=pyast.Pow(), right=pyast.Constant(value=k)):
                return power(build(a), constant(k))
            case pyast.Compare(left=a, ops=[cmp], comparators=[pyast.Constant(value=c)]):
                rel = {pyast.Gt: ">", pyast.GtE: "\\geq", pyast.Lt: "<", pyast.LtE: "\\leq"}
                return indicator(build(a), rel[type(cmp)], num(constant(c)))
            case pyast.Call(func=pyast.Name(id=call), args=[a]):
                arg = build(a)
                if call in ELEMENTWISE:
                    return fn(call, arg)
                return Node(CALL, (arg,), arg.shape, {"latex": DERIVATIVE_CALLS[call][1]})
        raise NotPrinted(f"the derivative of {name} is not printed yet")

    return build(derivative_tree(name))


def tree_fn(r: Reverse, op: Op, xs: list[Node]) -> Node:
    name = str(op.attrs["fn"])
    if name == "identity":
        return xs[0]
    if name == "layernorm" and len(op.inputs[0].shape) == 1:  # over each sample's vector
        return fn(name, xs[0])
    if name not in ELEMENTWISE:
        raise NotPrinted(f"gradient equations through {name} are not printed yet")
    return fn(name, xs[0])


def tree_vjp_fn(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    name = str(op.attrs["fn"])
    if name == "identity":
        return [g]
    x = r.forward(op.inputs[0])
    if name == "layernorm":
        return [tree_vjp_layernorm(x, r.forward(op.out), g)]
    return [mul(g, fn_prime(name, x, r.forward(op.out)))]


def tree_vjp_layernorm(x: Node, y: Node, g: Node) -> Node:
    """y = (x - mean(x)) / sigma over each sample's vector, sigma = (Var(x) + 10^{-5})^{1/2}:
    dL/dx = (g - 1 mean(g) - y (1 mean(g y))) / sigma (PyTorch's epsilon, as the code's)."""
    n = ones_of(x.shape[0])

    def spread(kind: str, v: Node) -> Node:  # 1_n mean(v): each sample's mean, on every row
        return matmul(n, Node(kind, (v,), (ONE, v.shape[1])))

    eps = Node(RAW, (), (ONE, ONE), {"latex": "10^{-5}"})
    sigma = power(add(Node(VAR, (x,), (ONE, x.shape[1])), eps), 0.5)
    return div(sub(sub(g, spread(MEAN, g)), mul(y, spread(MEAN, mul(g, y)))), sigma)


forward_tree_rules[fn_p] = tree_fn
vjp_tree_rules[fn_p] = tree_vjp_fn

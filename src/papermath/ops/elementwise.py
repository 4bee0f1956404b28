"""Elementwise functions: one row each, read by every stage.

A row says how the function is spelled, what it is (the words ``explain`` and the readings
use), how NumPy and torch compute it, its derivative **once**, how it is typeset and drawn.
The derivative is a small expression in ``x`` (the input) and ``y`` (the output, ``f(x)``):
the generated backward prints it as NumPy code (``backends/backward.py``), the gradient
equations print it as LaTeX (``ops/functions.py``, ``report/gradients.py``), from the same
parsed expression. Adding a function
is adding a row here (and its spelling to the grammar's FUNC_CMD / FUNCWORD, which a test
checks).

>>> ELEMENTWISE["tanh"].derivative
'1 - y**2'
>>> derivative_code("sigmoid", x="a", y="s")
'(s * (1.0 - s))'
>>> derivative_code("tanh", x="a", y="C_tilde")
'(1.0 - C_tilde ** 2)'
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Elementwise:
    name: str
    description: str  # what it is, in words (readings, explain, the report)
    spellings: tuple[str, ...]  # how people write it, lower case ("sigma", "sigm", "ln")
    numpy: str  # NumPy code with {x}
    torch: str  # torch code with {x}
    derivative: str  # f'(x) in x and y = f(x): + - * / **, comparisons, the functions below
    latex: str  # how f(x) is typeset, with {x}
    symbol: str  # its label in a diagram
    reference: Callable[[Any], Any]  # the value, for worked examples and constant folding
    # f(x) and f'(x) in C++ for the fused step kernels, with {x} and {y} = f(x) (scalar_t:
    # the kernel's float type); None: a cell using it is not fused, and no_cpp says why
    cpp: tuple[str, str] | None = None
    no_cpp: str = ""


def _sigmoid(x: Any) -> Any:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _erf(x: Any) -> Any:
    return np.vectorize(math.erf, otypes=[float])(x)


ROWS = [
    Elementwise(
        "sigmoid",
        "logistic sigmoid 1 / (1 + e^-x), elementwise, values in (0, 1)",
        ("sigma", "sigmoid", "sigm", "logistic"),
        "_sigmoid({x})",
        "torch.sigmoid({x})",
        "y * (1 - y)",
        "\\sigma\\left({x}\\right)",
        "σ",
        _sigmoid,
        cpp=("scalar_t(1) / (scalar_t(1) + std::exp(-{x}))", "{y} * (scalar_t(1) - {y})"),
    ),
    Elementwise(
        "tanh",
        "hyperbolic tangent, elementwise, values in (-1, 1)",
        ("tanh",),
        "np.tanh({x})",
        "torch.tanh({x})",
        "1 - y**2",
        "\\tanh\\left({x}\\right)",
        "tanh",
        np.tanh,
        cpp=("std::tanh({x})", "scalar_t(1) - {y} * {y}"),
    ),
    Elementwise(
        "relu",
        "rectified linear unit max(0, x), elementwise",
        ("relu",),
        "np.maximum({x}, 0.0)",
        "torch.relu({x})",
        "(x > 0)",
        "\\operatorname{relu}\\left({x}\\right)",
        "ReLU",
        lambda x: np.maximum(x, 0.0),
        cpp=(
            "({x} > scalar_t(0) ? {x} : scalar_t(0))",
            "({x} > scalar_t(0) ? scalar_t(1) : scalar_t(0))",
        ),
    ),
    Elementwise(
        "exp",
        "exponential, elementwise",
        ("exp",),
        "np.exp({x})",
        "torch.exp({x})",
        "y",
        "\\exp\\left({x}\\right)",
        "exp",
        np.exp,
        cpp=("std::exp({x})", "{y}"),
    ),
    Elementwise(
        "log",
        "natural logarithm, elementwise",
        ("log", "ln"),
        "np.log({x})",
        "torch.log({x})",
        "1 / x",
        "\\log\\left({x}\\right)",
        "log",
        np.log,
        cpp=("std::log({x})", "scalar_t(1) / {x}"),
    ),
    Elementwise(
        "sqrt",
        "square root, elementwise",
        ("sqrt",),
        "np.sqrt({x})",
        "torch.sqrt({x})",
        "1 / (2 * y)",
        "\\sqrt{{x}}",
        "√",
        np.sqrt,
        cpp=(
            "std::sqrt({x})",
            "scalar_t(1) / (scalar_t(2) * {y})",
        ),
    ),
    Elementwise(
        "sin",
        "sine, elementwise",
        ("sin",),
        "np.sin({x})",
        "torch.sin({x})",
        "cos(x)",
        "\\sin\\left({x}\\right)",
        "sin",
        np.sin,
        cpp=("std::sin({x})", "std::cos({x})"),
    ),
    Elementwise(
        "cos",
        "cosine, elementwise",
        ("cos",),
        "np.cos({x})",
        "torch.cos({x})",
        "-sin(x)",
        "\\cos\\left({x}\\right)",
        "cos",
        np.cos,
        cpp=("std::cos({x})", "-std::sin({x})"),
    ),
    Elementwise(
        "sinh",
        "hyperbolic sine, elementwise",
        ("sinh",),
        "np.sinh({x})",
        "torch.sinh({x})",
        "cosh(x)",
        "\\sinh\\left({x}\\right)",
        "sinh",
        np.sinh,
        cpp=(
            "std::sinh({x})",
            "std::cosh({x})",
        ),
    ),
    Elementwise(
        "cosh",
        "hyperbolic cosine, elementwise",
        ("cosh",),
        "np.cosh({x})",
        "torch.cosh({x})",
        "sinh(x)",
        "\\cosh\\left({x}\\right)",
        "cosh",
        np.cosh,
        cpp=(
            "std::cosh({x})",
            "std::sinh({x})",
        ),
    ),
    Elementwise(
        "abs",
        "absolute value, elementwise",
        ("abs",),
        "np.abs({x})",
        "torch.abs({x})",
        "sign(x)",
        "\\left|{x}\\right|",
        "|·|",
        np.abs,
        cpp=(
            "std::abs({x})",
            "({x} > scalar_t(0) ? scalar_t(1) : ({x} < scalar_t(0) ? scalar_t(-1) : scalar_t(0)))",
        ),
    ),
    Elementwise(
        "sign",
        "sign, elementwise (its derivative is zero almost everywhere)",
        ("sign", "sgn"),
        "np.sign({x})",
        "torch.sign({x})",
        "0 * x",
        "\\operatorname{sign}\\left({x}\\right)",
        "sign",
        np.sign,
        cpp=(
            "({x} > scalar_t(0) ? scalar_t(1) : ({x} < scalar_t(0) ? scalar_t(-1) : scalar_t(0)))",
            "scalar_t(0)",
        ),
    ),
    Elementwise(  # a definition by cases, read as m * A + (1 - m) * B (read/rules_cases.py)
        "heaviside",
        "Heaviside step (1 where x > 0, else 0), elementwise (its derivative is zero almost "
        "everywhere)",
        ("heaviside",),
        "np.sign(np.maximum({x}, 0))",  # exactly 1 where x > 0, else 0; x's dtype
        "torch.sign(torch.relu({x}))",  # the same, with a (zero) gradient for autograd
        "0 * x",
        "\\operatorname{heaviside}\\left({x}\\right)",
        "H",
        lambda x: np.where(np.asarray(x) > 0, 1.0, 0.0),
        cpp=("({x} > scalar_t(0) ? scalar_t(1) : scalar_t(0))", "scalar_t(0)"),
    ),
    Elementwise(
        "softplus",
        "softplus log(1 + e^x), elementwise",
        ("softplus",),
        "np.logaddexp({x}, 0.0)",
        "F.softplus({x})",
        "sigmoid(x)",
        "\\operatorname{softplus}\\left({x}\\right)",
        "softplus",
        lambda x: np.logaddexp(x, 0.0),
        cpp=("std::log1p(std::exp({x}))", "scalar_t(1) / (scalar_t(1) + std::exp(-{x}))"),
    ),
    Elementwise(
        "leakyrelu",
        "leaky ReLU (x if x > 0, else 0.01 x: PyTorch's default slope), elementwise",
        ("leakyrelu", "leaky_relu", "lrelu"),
        "np.where({x} > 0, {x}, 0.01 * {x})",
        "F.leaky_relu({x}, 0.01)",
        "(x > 0) + 0.01 * (x <= 0)",
        "\\operatorname{LeakyReLU}\\left({x}\\right)",
        "LReLU",
        lambda x: np.where(x > 0, x, 0.01 * x),
        cpp=(
            "({x} > scalar_t(0) ? {x} : scalar_t(0.01) * {x})",
            "({x} > scalar_t(0) ? scalar_t(1) : scalar_t(0.01))",
        ),
    ),
    Elementwise(
        "elu",
        "exponential linear unit (x if x > 0, else e^x - 1), elementwise",
        ("elu",),
        "_elu({x})",
        "F.elu({x})",
        "(x > 0) + (x <= 0) * (y + 1)",
        "\\operatorname{elu}\\left({x}\\right)",
        "ELU",
        lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
        cpp=(
            "({x} > scalar_t(0) ? {x} : std::expm1({x}))",
            "({x} > scalar_t(0) ? scalar_t(1) : {y} + scalar_t(1))",
        ),
    ),
    Elementwise(
        "gelu",
        "Gaussian error linear unit x Phi(x), elementwise",
        ("gelu",),
        "_gelu({x})",
        "F.gelu({x})",
        "0.5 * (1 + erf(x / sqrt(2))) + x * exp(-(x**2) / 2) / sqrt(2 * pi)",
        "\\operatorname{GELU}\\left({x}\\right)",
        "GELU",
        lambda x: 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0))),
        cpp=(
            "scalar_t(0.5) * {x} * (scalar_t(1) + std::erf({x} * scalar_t(0.7071067811865476)))",
            # Phi(x) + x phi(x): 1/sqrt(2) and 1/sqrt(2 pi) as numbers
            "scalar_t(0.5) * (scalar_t(1) + std::erf({x} * scalar_t(0.7071067811865476)))"
            " + {x} * std::exp(scalar_t(-0.5) * {x} * {x}) * scalar_t(0.3989422804014327)",
        ),
    ),
    Elementwise(
        "identity",
        "the identity: the value itself (a linear activation)",
        ("identity", "id"),
        "{x}",
        "{x}",
        "1 + 0 * x",
        "{x}",
        "id",
        lambda x: x,
        cpp=("{x}", "scalar_t(1)"),
    ),
]
ELEMENTWISE: dict[str, Elementwise] = {row.name: row for row in ROWS}

# Functions a derivative may call, with their NumPy code and their LaTeX.
DERIVATIVE_CALLS: dict[str, tuple[str, str]] = {
    "sigmoid": ("_sigmoid({})", "\\sigma\\left({}\\right)"),
    "cos": ("np.cos({})", "\\cos\\left({}\\right)"),
    "sin": ("np.sin({})", "\\sin\\left({}\\right)"),
    "cosh": ("np.cosh({})", "\\cosh\\left({}\\right)"),
    "sinh": ("np.sinh({})", "\\sinh\\left({}\\right)"),
    "sign": ("np.sign({})", "\\operatorname{{sign}}\\left({}\\right)"),
    "exp": ("np.exp({})", "\\exp\\left({}\\right)"),
    "sqrt": ("np.sqrt({})", "\\sqrt{{{}}}"),
    "erf": ("_erf({})", "\\operatorname{{erf}}\\left({}\\right)"),
}
DERIVATIVE_NAMES = {"x", "y", "pi"}


@cache
def derivative_tree(name: str) -> ast.expr:
    """The derivative of a row, parsed (papermath's own constant text, never user input) and
    checked to use only x, y, pi, numbers, arithmetic, comparisons and DERIVATIVE_CALLS."""
    tree = ast.parse(ELEMENTWISE[name].derivative, mode="eval").body
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            assert node.id in DERIVATIVE_NAMES or node.id in DERIVATIVE_CALLS, node.id
        elif isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in DERIVATIVE_CALLS
        else:
            assert isinstance(
                node,
                ast.BinOp
                | ast.UnaryOp
                | ast.Compare
                | ast.Constant
                | ast.operator
                | ast.unaryop
                | ast.cmpop
                | ast.expr_context,
            ), type(node).__name__
    return tree


NUMBER_CALLS: dict[str, Callable[[float], float]] = {
    "sqrt": math.sqrt, "exp": math.exp, "erf": math.erf, "cos": math.cos, "sin": math.sin,
}  # fmt: skip


def fold_number(node: ast.expr) -> float | None:
    """The value of a derivative's subexpression made of numbers and pi alone, else None."""
    match node:
        case ast.Constant(value=int() | float() as v) if not isinstance(v, bool):
            return float(v)
        case ast.Name(id="pi"):
            return math.pi
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            neg = fold_number(operand)
            return None if neg is None else -neg
        case ast.BinOp(left=left, op=op, right=right):
            a, b = fold_number(left), fold_number(right)
            if a is None or b is None:
                return None
            match op:
                case ast.Add():
                    return a + b
                case ast.Sub():
                    return a - b
                case ast.Mult():
                    return a * b
                case ast.Div() if b != 0:
                    return a / b
        case ast.Call(func=ast.Name(id=fn), args=[arg]) if fn in NUMBER_CALLS:
            inner = fold_number(arg)
            return None if inner is None else NUMBER_CALLS[fn](inner)
    return None


def constant(value: object) -> float:
    """A number of a derivative's text."""
    assert isinstance(value, int | float) and not isinstance(value, bool)
    return float(value)


def derivative_code(
    name: str,
    x: str,
    y: str,
    calls: Mapping[str, str] | None = None,
    pi: str = "np.pi",
    compare: str | None = None,
) -> str:
    """f'(x) as code, with ``x`` and ``y`` the names of the input and the output;
    parenthesised unless it is one name or call. NumPy's by default; ``calls`` (each
    function of DERIVATIVE_CALLS to the library's function), ``pi`` and ``compare`` (a
    comparison as a number, with ``{cmp}`` and ``{x}``) spell it for another library (a
    dialect's table, backends/emit.py). torch needs ``compare``: ``0.01 * (x <= 0)`` of a
    bool tensor is float32 whatever x is."""

    class Code(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.expr:
            text = {"x": x, "y": y, "pi": pi}[node.id]
            plain = text.replace(".", "_").replace("[", "_").replace("]", "_").isidentifier()
            return ast.Name(text if plain else f"({text})")  # an expression stays whole

        def visit_Constant(self, node: ast.Constant) -> ast.expr:
            return ast.Constant(constant(node.value))

        def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
            left = self.visit(node.left)
            if isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant):
                return ast.BinOp(left, node.op, node.right)  # x ** 2, not x ** 2.0
            return ast.BinOp(left, node.op, self.visit(node.right))

        def visit_Compare(self, node: ast.Compare) -> ast.expr:
            node = ast.Compare(
                self.visit(node.left), node.ops, [self.visit(c) for c in node.comparators]
            )
            if compare is None:
                return node
            return ast.Name(compare.format(cmp=ast.unparse(node), x=x))

        def visit_Call(self, node: ast.Call) -> ast.expr:
            assert isinstance(node.func, ast.Name)
            folded = fold_number(node)
            if folded is not None:  # sqrt(2 * pi): a number (torch.sqrt takes no float)
                return ast.Constant(folded)
            fn = node.func.id
            head = calls[fn] if calls is not None else DERIVATIVE_CALLS[fn][0].split("(")[0]
            return ast.Call(ast.Name(head), [self.visit(a) for a in node.args], [])

    tree = Code().visit(ast.parse(ast.unparse(derivative_tree(name)), mode="eval").body)
    text = ast.unparse(tree)
    return text if isinstance(tree, ast.Name | ast.Call) else f"({text})"

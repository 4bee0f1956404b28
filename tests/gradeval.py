r"""An evaluator of *printed* gradient equations: the LaTeX that ``papermath grad`` prints,
read back character by character and computed with NumPy at given values.

This is the oracle of tests/test_grad_oracle.py: the printed equations (what a reader sees)
are evaluated on the forward values of the generated NumPy module, step by step backwards
through time, and the result for the parameter is compared with the generated backward
pass. It reads only the printed text and a table of symbol names (``h_{t-1}``: key ``h``
one step back), never papermath's derivation, so a wrong printed equation (a missing
transpose, a term dropped, a wrong step) is a difference, not a pass.

The printed language (dim-first, samples as columns), by precedence, loosest first:
``a + b``, ``a - b``; ``a \odot b``; juxtaposition ``A B`` (a matrix product, or a number
times a value); ``-a``; postfix ``^\top`` and ``^{2}``; atoms: a symbol, a gradient
``\frac{\partial \mathcal{L}}{\partial X}`` (with ``\Big|_{\text{direct}}``: the gradient
that reaches X from the loss directly), ``\mathbf{1}`` (ones over the samples), a number,
``\left(..\right)``, a concatenation ``\left[a, b\right]``, ``\frac{a}{b}``, ``\sigma``,
``\tanh``, ``\exp``, ``\operatorname{relu}``, ``\mathbb{1}\left[a > 0\right]`` and
``\mathbb{1}\left[a = y\right]`` (1 where a equals y: the entries of a maximum),
``\max\left(a, b\right)`` and ``\min`` (entry by entry), ``\max\left(z\right)``,
``\prod``, ``\operatorname{logsumexp}`` (over the entries of each sample's vector),
``\left|a\right|`` and ``\operatorname{sign}``. A parameter's gradient opens with
``\sum_{t}``: the sum over the steps of what follows.
Anything else is :class:`Unsupported`, named, so the test says what it did not evaluate.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


class Unsupported(Exception):
    """A construct of the printed language this evaluator does not compute (named)."""


class _Zero:
    """The gradient of a value beyond the last step (or before the first): zero, of any
    shape. Products with it are zero; sums drop it."""

    def __repr__(self) -> str:
        return "ZERO"


ZERO: Any = _Zero()

Value = Any  # an ndarray, a float, or ZERO


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    r"\sigma": _sigmoid,
    r"\tanh": np.tanh,
    r"\exp": np.exp,
    r"\log": np.log,
    r"\operatorname{relu}": lambda x: np.maximum(x, 0.0),
    r"\operatorname{sigmoid}": _sigmoid,
    r"\operatorname{sign}": np.sign,
}


def _logsumexp(x: np.ndarray) -> np.ndarray:
    m = x.max(axis=-2, keepdims=True)
    return np.asarray(np.log(np.exp(x - m).sum(axis=-2, keepdims=True)) + m)


# \max\left(a, b\right): the larger entry of two values; \max\left(z\right): the largest entry
# of each column of z (a vector per sample), a row over the samples
EXTREMES: dict[str, tuple[Callable[[Any, Any], Any] | None, Callable[[np.ndarray], Any]]] = {
    r"\max": (np.maximum, lambda x: x.max(axis=-2, keepdims=True)),
    r"\min": (np.minimum, lambda x: x.min(axis=-2, keepdims=True)),
    r"\prod": (None, lambda x: x.prod(axis=-2, keepdims=True)),
    r"\operatorname{logsumexp}": (None, _logsumexp),
}
GRAD_OPEN = r"\frac{\partial \mathcal{L}}{\partial "
DIRECT = r"\Big|_{\text{direct}}"


@dataclass
class Env:
    """What the printed symbols stand for. ``names`` maps a printed name (``h_{t-1}``) to
    (key, offset); ``value(key, index)`` and ``grad(key, index)`` give the value and the
    gradient at a step index (None: the symbol has no step)."""

    names: dict[str, tuple[str, int | None]]
    value: Callable[[str, int | None], Value]
    grad: Callable[[str, int | None], Value]
    direct: Callable[[str, int | None], Value]
    ones: Value
    steps: int
    sizes: dict[str, int]
    step: str | None = None  # the letter of the step (t): ``t`` alone is its number, 1-based


def _mul(a: Value, b: Value) -> Value:
    if a is ZERO or b is ZERO:
        return ZERO
    return a * b


def _add(a: Value, b: Value, sign: float = 1.0) -> Value:
    if b is ZERO:
        return a
    if a is ZERO:
        return b if sign > 0 else -b
    return a + b if sign > 0 else a - b


def _matmul(a: Value, b: Value) -> Value:
    if a is ZERO or b is ZERO:
        return ZERO
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return a * b  # a number times a value
    if np.shape(a)[-1] != np.shape(b)[0] and 1 in (np.shape(a)[0], np.shape(b)[0]):
        return a * b  # a number per sample (a row over the samples) times a value
    return a @ b


def _transpose(a: Value) -> Value:
    if a is ZERO or np.ndim(a) < 2:
        return a  # a scalar, or the vector of ones over the samples (a row when it stands left)
    return np.swapaxes(a, -1, -2)


class Parser:
    """Reads one printed right side at one step ``var`` of the printed step letter."""

    def __init__(self, text: str, env: Env, var: int | None) -> None:
        self.s = text
        self.i = 0
        self.env = env
        self.var = var

    # ---- characters -----------------------------------------------------------------
    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t\n":
            self.i += 1

    def peek(self, word: str) -> bool:
        self.ws()
        return self.s.startswith(word, self.i)

    def take(self, word: str) -> bool:
        if self.peek(word):
            self.i += len(word)
            return True
        return False

    def need(self, word: str) -> None:
        if not self.take(word):
            raise Unsupported(f"expected {word!r} at {self.s[self.i : self.i + 30]!r}")

    def group(self) -> str:
        """The text of a ``{...}`` group (balanced)."""
        self.need("{")
        depth, start = 1, self.i
        while depth:
            if self.i >= len(self.s):
                raise Unsupported("an unclosed {")
            depth += {"{": 1, "}": -1}.get(self.s[self.i], 0)
            self.i += 1
        return self.s[start : self.i - 1]

    def done(self) -> bool:
        self.ws()
        return self.i >= len(self.s)

    # ---- grammar --------------------------------------------------------------------
    def expr(self) -> Value:
        value = self.hadamard()
        while True:
            if self.take("+"):
                value = _add(value, self.hadamard())
            elif self.peek("-") and not self.peek("->"):
                self.i += 1
                value = _add(value, self.hadamard(), -1.0)
            else:
                return value

    def hadamard(self) -> Value:
        value = self.product()
        while self.take(r"\odot"):
            value = _mul(value, self.product())
        return value

    def product(self) -> Value:
        value = self.unary()
        while self.starts_atom():
            value = _matmul(value, self.unary())
        return value

    def starts_atom(self) -> bool:
        self.ws()
        if self.i >= len(self.s):
            return False
        stops = (r"\odot", r"\right", "+", "-", ",", "}", "]", ">", "=")
        return not any(self.peek(w) for w in stops)

    def unary(self) -> Value:
        if self.take("-"):
            value = self.unary()
            return ZERO if value is ZERO else -value
        return self.postfix(self.atom())

    def postfix(self, value: Value) -> Value:
        while True:
            if self.take(r"^\top"):
                value = _transpose(value)
            elif self.peek("^{"):
                self.i += 1
                power = self.group()
                if self.step_number(power) is not None:  # a^{t}, a^{t - 1}
                    value = ZERO if value is ZERO else value ** self.step_number(power)
                    continue
                if not power.lstrip("-").isdigit():
                    raise Unsupported(f"the power ^{{{power}}}")
                value = ZERO if value is ZERO else value ** int(power)
            else:
                return value

    def atom(self) -> Value:
        if self.peek(GRAD_OPEN):
            self.i += len(GRAD_OPEN)
            name = self.name_until("}")
            key, offset = self.lookup(name)
            if self.take(DIRECT):
                return self.env.direct(key, self.index(offset))
            return self.env.grad(key, self.index(offset))
        if self.take(r"\left("):
            value = self.expr()
            self.need(r"\right)")
            return value
        if self.take(r"\left["):
            items = [self.expr()]
            while self.take(","):
                items.append(self.expr())
            self.need(r"\right]")
            if self.peek("_{"):
                self.i += 1
                rows = self.group()
                if len(items) != 1 or ":" not in rows:
                    raise Unsupported(f"the block [..]_{{{rows}}}")
                first, last = (size(part, self.env.sizes) for part in rows.split(":"))
                value = items[0]
                return ZERO if value is ZERO else value[..., first - 1 : last, :]
            if len(items) == 1:
                raise Unsupported("[a] on its own")
            if all(v is ZERO for v in items):
                return ZERO  # the blocks of a gradient beyond the steps: all zero
            if any(v is ZERO for v in items):
                raise Unsupported("a concatenation beyond the steps")
            return np.concatenate([np.asarray(v) for v in items], axis=-2)
        if self.take(r"\left|"):  # |a|, entry by entry
            value = self.expr()
            self.need(r"\right|")
            return ZERO if value is ZERO else np.abs(value)
        if self.take(r"\mathbf{1}"):
            if self.peek("_{"):
                self.i += 1
                return np.ones((size(self.group(), self.env.sizes), 1))  # a column of n ones
            return self.env.ones
        if self.take(r"\mathbb{1}\left["):
            value = self.expr()
            equal = self.take("=")  # 1[a = y]: where a equals y (a maximum's entries)
            if not equal:
                self.need(">")
            threshold = self.expr()
            self.need(r"\right]")
            if value is ZERO:
                return ZERO
            return (value == threshold if equal else value > threshold).astype(float)
        if self.take(r"\frac{"):
            self.i -= 1
            num = Parser(self.group(), self.env, self.var).whole()
            den = Parser(self.group(), self.env, self.var).whole()
            if num is ZERO:
                return ZERO
            if den is ZERO:
                raise Unsupported("a division by a value beyond the steps")
            return num / den
        self.ws()
        named = [n for n in self.env.names if self.s.startswith(n, self.i)]
        for fn, f in FUNCTIONS.items():
            if any(len(n) > len(fn) for n in named):
                break  # \sigma_{B} is a symbol, not the function \sigma
            after = self.s[self.i + len(fn) :].lstrip()
            if fn in named and not after.startswith(r"\left("):
                break  # the symbol \sigma (a standard deviation), not \sigma\left(x\right)
            if self.take(fn):
                self.need(r"\left(")
                arg = self.expr()
                self.need(r"\right)")
                return ZERO if arg is ZERO else f(arg)
        for fn, (pair, over) in EXTREMES.items():  # \max(a, b) entry by entry; \max(z) over z
            if self.take(fn + r"\left("):
                args = [self.expr()]
                while self.take(","):
                    args.append(self.expr())
                self.need(r"\right)")
                if any(a is ZERO for a in args):
                    raise Unsupported(f"{fn} of a value beyond the steps")
                if len(args) == 2 and pair is not None:
                    return pair(args[0], args[1])
                if len(args) == 1:  # over the entries of each column (a vector per sample)
                    return over(np.asarray(args[0]))
                raise Unsupported(f"{fn} of {len(args)} values")
        if self.peek(r"\sqrt{"):
            self.i += len(r"\sqrt")
            inner = Parser(self.group(), self.env, self.var).whole()
            return ZERO if inner is ZERO else np.sqrt(inner)
        if self.take(r"\textstyle\sum \left("):
            value = self.expr()  # the sum of every entry
            self.need(r"\right)")
            return ZERO if value is ZERO else np.sum(value)
        if self.peek(r"\sum") or self.peek(r"\textstyle"):
            raise Unsupported(f"a sum inside an equation: {self.s[self.i : self.i + 30]!r}")
        self.ws()
        number = ""
        while self.i < len(self.s) and (self.s[self.i].isdigit() or self.s[self.i] == "."):
            number += self.s[self.i]
            self.i += 1
        if number:
            return float(number)
        step = self.env.step
        if step and self.s.startswith(step, self.i) and step not in self.env.names:
            end = self.i + len(step)
            if end >= len(self.s) or not (self.s[end].isalnum() or self.s[end] in "_'^{"):
                self.i = end  # t alone: the number of the step
                return float(self.step_number(step) or 0)
        key, offset = self.symbol()
        return self.env.value(key, self.index(offset))

    def step_number(self, text: str) -> int | None:
        """``t``, ``t + 1``, ``t - 1``: the number of the step (the index plus one), or None
        when ``text`` is not the step letter."""
        m = re.fullmatch(r"\s*([A-Za-z])\s*(?:([+-])\s*(\d+))?\s*", text)
        if m is None or self.env.step is None or m.group(1) != self.env.step:
            return None
        if self.var is None:
            raise Unsupported("the step number outside a sum over the steps")
        k = int(m.group(3) or 0) * (-1 if m.group(2) == "-" else 1)
        return self.var + 1 + k

    def index(self, offset: int | None) -> int | None:
        if offset is None:
            return None
        if self.var is None:
            raise Unsupported("a value at a step outside a sum over the steps")
        return self.var + offset

    def name_until(self, stop: str) -> str:
        """The text up to the matching ``stop`` (braces balanced), consumed with it."""
        depth, start = 0, self.i
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == stop and depth == 0:
                self.i += 1
                return self.s[start : self.i - 1].strip()
            depth += {"{": 1, "}": -1}.get(c, 0)
            self.i += 1
        raise Unsupported(f"no closing {stop!r}")

    def lookup(self, name: str) -> tuple[str, int | None]:
        if name not in self.env.names:
            raise Unsupported(f"the name {name!r}")
        return self.env.names[name]

    def symbol(self) -> tuple[str, int | None]:
        """The longest printed name at this position."""
        self.ws()
        best = max(
            (n for n in self.env.names if self.s.startswith(n, self.i)), key=len, default=None
        )
        if best is None:
            raise Unsupported(f"cannot read {self.s[self.i : self.i + 30]!r}")
        end = self.i + len(best)
        if end < len(self.s) and (self.s[end].isalnum() or self.s[end] in "_'"):
            raise Unsupported(f"a longer name at {self.s[self.i : self.i + 30]!r}")
        self.i = end
        return self.env.names[best]

    def whole(self) -> Value:
        value = self.expr()
        if not self.done():
            raise Unsupported(f"cannot read {self.s[self.i : self.i + 40]!r}")
        return value


def size(text: str, sizes: dict[str, int]) -> int:
    """A printed size (``m + 1``) as a number: names, integers, + - * only."""

    def value(node: ast.expr) -> int:
        match node:
            case ast.Constant(value=int(n)):
                return n
            case ast.Name(id=name) if name in sizes:
                return sizes[name]
            case ast.BinOp(left=a, op=ast.Add(), right=b):
                return value(a) + value(b)
            case ast.BinOp(left=a, op=ast.Sub(), right=b):
                return value(a) - value(b)
            case ast.BinOp(left=a, op=ast.Mult(), right=b):
                return value(a) * value(b)
        raise Unsupported(f"the size {text!r}")

    try:
        tree = ast.parse(text.replace("{", "").replace("}", "").strip(), mode="eval")
    except SyntaxError as exc:
        raise Unsupported(f"the size {text!r}") from exc
    return value(tree.body)


def evaluate(text: str, env: Env, var: int | None) -> Value:
    """The printed right side ``text`` at step ``var``; ``\\sum_{t}`` in front: the sum of
    the rest over every step."""
    text = text.strip()
    if text.startswith(r"\sum_{"):
        close = text.index("}")
        body = text[close + 1 :]
        total: Value = ZERO
        for step in range(env.steps):
            total = _add(total, Parser(body, env, step).whole())
        return total
    return Parser(text, env, var).whole()

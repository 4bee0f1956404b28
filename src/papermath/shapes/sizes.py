"""Sizes: linear forms over size names (``m + n``, ``2*n``, ``1``), papermath's own small algebra.

Sizes in papers are sums of named sizes and small constants; a full CAS is not needed (and
would put sympy in the core). Every size is a positive integer, which lets us prove some
sizes unequal: ``m + n`` is never ``n``.

>>> Size.var("n") + Size.var("m")
Size('m + n')
>>> (Size.var("n") * 2 - Size.const(1)).text()
'2*n - 1'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

PRODUCT = "·"  # joins the factors of a product of sizes into one name (d_v·h)


@dataclass(frozen=True)
class Size:
    terms: tuple[tuple[str, int], ...]  # sorted by name, no zero coefficients
    constant: int = 0

    @staticmethod
    def var(name: str) -> Size:
        return Size(((name, 1),), 0)

    @staticmethod
    def product(a: str, b: str) -> Size:
        """``h d_v``: the product of two size names, one name for the algebra ("d_v·h",
        factors sorted), whose number is the product of theirs."""
        return Size.var(PRODUCT.join(sorted((a, b))))

    @staticmethod
    def factors(name: str) -> tuple[str, ...]:
        """The size names a name stands for: ``("d_v", "h")`` for ``d_v·h``, else itself."""
        return tuple(name.split(PRODUCT))

    @staticmethod
    def const(value: int) -> Size:
        return Size((), value)

    @staticmethod
    def _make(coeffs: dict[str, int], constant: int) -> Size:
        return Size(tuple(sorted((k, v) for k, v in coeffs.items() if v != 0)), constant)

    @staticmethod
    @lru_cache(maxsize=8192)  # sizes are immutable; the same few texts are read very often
    def parse(text: str) -> Size:
        """Read back what :meth:`text` writes: ``m + n``, ``2*n - 1``, ``1``.

        >>> Size.parse("2*n - 1 + m") == Size.var("n") * 2 + Size.var("m") - Size.const(1)
        True
        """
        out = Size.const(0)
        for raw in text.replace(" - ", " + -").split(" + "):
            term = raw.strip()
            sign = -1 if term.startswith("-") else 1
            coeff, _, name = term.lstrip("-").rpartition("*")
            k = sign * (int(coeff) if coeff else 1)
            out = out + (Size.const(k * int(name)) if name.isdigit() else Size.var(name) * k)
        return out

    def coeffs(self) -> dict[str, int]:
        return dict(self.terms)

    def __add__(self, other: Size) -> Size:
        c = self.coeffs()
        for k, v in other.terms:
            c[k] = c.get(k, 0) + v
        return Size._make(c, self.constant + other.constant)

    def __neg__(self) -> Size:
        return Size(tuple((k, -v) for k, v in self.terms), -self.constant)

    def __sub__(self, other: Size) -> Size:
        return self + (-other)

    def __mul__(self, k: int) -> Size:
        return Size._make({n: v * k for n, v in self.terms}, self.constant * k)

    @property
    def is_const(self) -> bool:
        return not self.terms

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.terms)

    def provably_nonzero(self) -> bool:
        """True if this difference of sizes can never be 0 (every size name is >= 1)."""
        if not self.terms:
            return self.constant != 0
        coeffs = [v for _, v in self.terms]
        if all(v > 0 for v in coeffs):
            return self.constant + sum(coeffs) > 0  # smallest value: every name = 1
        if all(v < 0 for v in coeffs):
            return self.constant + sum(coeffs) < 0
        return False

    def renamed(self, rename: dict[str, str]) -> Size:
        """The same size with some names replaced (the free ``?3`` printed as ``d1``).

        >>> Size.parse("?3 + a").renamed({"?3": "d1"})
        Size('a + d1')
        """
        coeffs: dict[str, int] = {}
        for name, k in self.terms:
            shown = rename.get(name, name)
            coeffs[shown] = coeffs.get(shown, 0) + k
        return Size._make(coeffs, self.constant)

    def substitute(self, binding: dict[str, Size]) -> Size:
        out = Size.const(self.constant)
        for name, k in self.terms:
            out = out + (binding[name] * k if name in binding else Size.var(name) * k)
        return out

    def evaluate(self, values: dict[str, int]) -> int | None:
        total = self.constant
        for name, k in self.terms:
            if name not in values and PRODUCT in name:  # a product of sizes: h·d_v
                factors = [values.get(f) for f in Size.factors(name)]
                if any(f is None for f in factors):
                    return None
                total += k * math.prod(f for f in factors if f is not None)
                continue
            if name not in values:
                return None
            total += k * values[name]
        return total

    def text(self, rename: dict[str, str] | None = None) -> str:
        """A sympy-parsable string: ``m + n``, ``2*n - 1``, ``0``."""
        rename = rename or {}
        parts: list[str] = []
        for name, k in self.terms:
            shown = rename.get(name, name)
            mag = abs(k)
            term = shown if mag == 1 else f"{mag}*{shown}"
            parts.append(("- " if k < 0 else "+ ") + term)
        if self.constant or not parts:
            parts.append(("- " if self.constant < 0 else "+ ") + str(abs(self.constant)))
        out = " ".join(parts)
        return out[2:] if out.startswith("+ ") else "-" + out[2:]

    def __repr__(self) -> str:
        return f"Size({self.text()!r})"


# A value's shape: one size per axis, ``()`` for a scalar. Typed from shape inference on (the
# IR, the passes, the backends); printed as text only where people read it.
Shape = tuple[Size, ...]


def count(text: str) -> Size:
    """A count the reader keeps as written on an index (the number of heads ``h`` or ``8``,
    of orders ``K + 1``: read/rules_orders.py) as a size, for the stages after reading."""
    return Size.parse(text)


def shape_text(shape: tuple[Size, ...], rename: dict[str, str] | None = None) -> str:
    """``(n, m + n)`` for messages; ``scalar`` for ``()``."""
    if not shape:
        return "scalar"
    if rename is None:  # a size the source leaves free, still unnamed: said in words
        rename = {n: "free" for s in shape for n in s.names if n.startswith("?")}
    return "(" + ", ".join(s.text(rename) for s in shape) + ")"


def display(shape: tuple[str, ...]) -> str:
    """A symbol's shape as tables print it: ``n x (m + n)``, ``scalar`` for ``()``."""
    if not shape:
        return "scalar"
    return " x ".join(
        f"({s})" if (" + " in s or " - " in s) and len(shape) > 1 else s for s in shape
    )

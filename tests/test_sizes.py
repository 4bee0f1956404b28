"""The size algebra and the unification engine, against sympy as the oracle."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from conftest import sym
from papermath.shapes.engine import Clash, Engine
from papermath.shapes.sizes import Size
from papermath.source import Span

NAMES = ["m", "n", "k", "D_x"]
sizes = st.builds(
    lambda terms, c: sum((Size.var(n) * k for n, k in terms), Size.const(c)),
    st.lists(st.tuples(st.sampled_from(NAMES), st.integers(-3, 3)), max_size=4),
    st.integers(-5, 5),
)


@given(sizes, sizes)
def test_algebra_matches_sympy(a: Size, b: Size) -> None:
    assert sympy.simplify(sym((a + b).text()) - (sym(a.text()) + sym(b.text()))) == 0
    assert sympy.simplify(sym((a - b).text()) - (sym(a.text()) - sym(b.text()))) == 0
    assert Size.parse(a.text()) == a


@given(sizes)
def test_provably_nonzero_is_sound(d: Size) -> None:
    """If provably nonzero, no assignment of sizes >= 1 makes it zero (checked on a grid)."""
    if not d.provably_nonzero():
        return
    import itertools

    for values in itertools.product(range(1, 4), repeat=len(NAMES)):
        assert d.evaluate(dict(zip(NAMES, values, strict=True))) != 0


def test_occurs_check() -> None:
    """?1 = ?1 + ?2 forces ?2 = 0, which no size can be; it must not loop or bind ?1 to itself."""
    e = Engine()
    a, b = e.fresh_size(), e.fresh_size()
    with pytest.raises(Clash):
        e.unify_size(a, a + b, Span(0, 1))
    c = e.fresh_size()
    e.unify_size(c, Size.var("n") + Size.var("m"), Span(0, 1))
    assert e.resolve_size(c) == Size.var("n") + Size.var("m")


def test_declared_sizes_meet_only_in_products() -> None:
    e = Engine(declared={"n", "k"})
    with pytest.raises(Clash):
        e.unify_size(Size.var("n"), Size.var("k"), Span(0, 1))  # elementwise: an error
    e.allow_declared_pairs = True
    e.unify_size(Size.var("n"), Size.var("k"), Span(0, 1))  # a product's inner sizes: solved
    assert e.resolve_size(Size.var("n")) == e.resolve_size(Size.var("k"))

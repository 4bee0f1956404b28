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


def test_a_size_of_several_declarations_is_never_a_number() -> None:
    """n in X (n x d) and H (n x h) is a size of the model: 1 against it is a clash, never
    n = 1; D_y, named by one declaration only, may still be solved (w . z makes it 1)."""
    e = Engine(declared={"n", "D_y"}, shared={"n"})
    with pytest.raises(Clash):
        e.unify_size(Size.var("n"), Size.const(1), Span(0, 1))
    assert e.resolve_size(Size.var("n")) == Size.var("n")
    e.unify_size(Size.var("D_y"), Size.const(1), Span(0, 1))
    assert e.resolve_size(Size.var("D_y")) == Size.const(1)


def test_a_declared_matrix_meets_only_a_computed_vector_as_a_column() -> None:
    """A declared (N, D_y) unified with a computed (N): D_y = 1; with a declared vector, or
    while a reading tries shapes for its operands, the ranks clash instead."""
    span = Span(0, 1)
    for declared_vector, trial in ((False, False), (True, False), (False, True)):
        e = Engine(declared={"N", "D_y"})
        m, v = e.new_var(), e.new_var()
        e.bind(m, (Size.var("N"), Size.var("D_y")), span)
        e.declare_column(m)
        e.bind(v, (Size.var("N"),), span)
        if declared_vector:
            e.declare_class(v)
        e.no_columns = trial
        if declared_vector or trial:
            with pytest.raises(Clash):
                e.unify(m, v, span)
        else:
            e.unify(m, v, span)
            assert e.resolve_size(Size.var("D_y")) == Size.const(1)

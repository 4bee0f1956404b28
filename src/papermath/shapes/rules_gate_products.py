r"""Notation rule ``cdot-gate-elementwise``: ``\cdot`` between a gate and a vector of its
size, in a gated recurrence (an LSTM, a GRU), read as the elementwise product where the
shapes leave no other reading.

What people write (Chainer's ``n_step_lstm`` and ``n_step_gru`` docstrings, a README's LSTM)::

    c_t &= f_t \cdot c_{t-1} + i_t \cdot a_t \\
    h_t &= o_t \cdot \tanh(c_t)
    h_t &= (1 - z_t) \cdot h'_t + z_t \cdot h_{t-1}

By the conventions, ``\cdot`` between two vectors of one size is their dot product, one
number. Where that number does not fit where the value is used (``c_t`` is a vector of the
size of ``c_{t-1}``, already shaped by the recurrence) and no matrix product or scaling fits
the shapes either, the written operator has no reading of its own (shapes/rules_products.py
refuses it, asking for ``\odot`` or ``a^\top b``). The elementwise product is the one reading
left; this rule takes it only where the source is a gated recurrence whose gate multiplies:

- one side is a gate or ``1 -`` a gate: a value the system defines as the logistic sigmoid
  of something (``\sigma(...)`` read as the sigmoid, or a function the source defines as
  ``1 / (1 + e^{-x})``) that reads a state carried from the step before (``h_{t-1}``);
- the gate is a vector and the other side a vector of its size, or not shaped yet (a gate
  multiplies a state or a candidate entry by entry: the LSTM's and GRU's definition), no
  trial of another reading was left undecided, and the elementwise product fits the shapes.

The readings say what decided it. Still refused (rules_products.py): a ``\cdot`` with no gate
on either side; one whose dot product or a scaling still fits (``f_t \cdot c_{t-1} + i_t *
g_t`` before the sum is shaped: the dot product's number, broadcast, fits too); one outside a
recurrence.

Where the dot product is the one reading that fits only because the left side's shape is
still open (``h_t = o_t \cdot \tanh(c_t)`` before ``h`` is shaped), it would make the
state one number: papermath first lets the other equations shape it (``W_4 h_{t-1}``: a
capital letter before a vector, by convention a matrix, so ``h`` a vector and the dot
product no longer fits), and where nothing does, refuses (:func:`dot_refusal`) rather than
read a gate's dot product.

Example (reads: f, c, h vectors of one size, f_t \cdot c_{t-1} elementwise)::

    f_t = \sigma(W_f x_t + U_f h_{t-1})
    c_t = f_t \cdot c_{t-1} + x_t
    h_t = \tanh(c_t)

Example (refused at ``f_t \cdot \tanh(c_t)``: nothing shapes h)::

    f_t = \sigma(W_f x_t + U_f c_{t-1})
    c_t = f_t \cdot c_{t-1}
    h_t = f_t \cdot \tanh(c_t)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..read import terms as t
from .engine import Stuck

if TYPE_CHECKING:
    from .infer import Inference

RULE = "cdot-gate-elementwise"
WRITTEN = ("cdot", ".")


def _logistic(term: t.Term) -> bool:
    """``\\sigma(...)`` read as the sigmoid, or a call of a function the source defines as
    1 / (1 + e^{-x})."""
    if isinstance(term, t.Apply):
        return term.fn == "sigmoid"
    if not isinstance(term, t.FnCall):
        return False
    match term.body:
        case t.Div(
            left=t.Const(value=1.0),
            right=t.Add(op="+", left=t.Const(value=1.0), right=t.Apply(fn="exp", args=(t.Neg(),))),
        ):
            return True
    return False


def _carried(inf: Inference) -> set[str]:
    """The keys the system defines and reads at the step before (the recurrence's states)."""
    defined = {eq.lhs.key for eq in inf.read.equations if eq.lhs.step is not None}
    return {
        x.key
        for eq in inf.read.equations
        for x in t.walk(eq.rhs)
        if isinstance(x, t.Sym) and x.key in defined and x.step is not None and x.offset < 0
    }


def _gate(inf: Inference, side: t.Term, carried: set[str]) -> tuple[t.Sym, t.Equation] | None:
    """The gate ``side`` is (or ``1 -`` it), with its defining equation, or None."""
    if isinstance(side, t.Add) and side.op == "-" and isinstance(side.left, t.Const):
        if side.left.value != 1.0:
            return None
        side = side.right
    if not isinstance(side, t.Sym) or side.step is None:
        return None
    for eq in inf.read.equations:
        lhs = eq.lhs
        if lhs.key != side.key or lhs.step != side.step or lhs.offset != side.offset:
            continue
        if not _logistic(eq.rhs):
            return None
        reads_state = any(
            isinstance(x, t.Sym) and x.key in carried and x.offset < 0 for x in t.walk(eq.rhs)
        )
        return (side, eq) if reads_state else None
    return None


def forced(inf: Inference, p: t.Product) -> bool:
    """Take the elementwise reading of ``p`` (a ``\\cdot`` no product of its own fits) where
    one side is a gate of a gated recurrence (module docstring); True where taken."""
    if p.written not in WRITTEN:
        return False
    if inf.undetermined:
        return False  # some reading was stuck, not ruled out: it may fit once more is known
    sides = _gate_sides(inf, p)
    if sides is None:
        return False
    side, other, gate = sides
    if inf.rank(other) not in (None, 1) or inf.rank(p) not in (None, 1):
        return False
    if inf.rank(other) == 1 and inf.shown(other) != inf.shown(side):
        return False  # vectors of two sizes: no elementwise product either
    if not inf.fits(p, "hadamard", strict=True):
        return False
    inf.settle(
        p,
        "hadamard",
        (
            f"{inf.snip(side)} is a vector and its product with {inf.snip(other)} must be a "
            "vector (the dot product's one number does not fit where it is used, and "
            f"no matrix product or scaling fits these shapes); {inf.snip(gate)} is a gate "
            f"({inf.snip(gate)} = the sigmoid of the previous state, a gated recurrence), and "
            "a gate multiplies entry by entry: the shapes leave only the elementwise product "
            f"(rule {RULE}, shapes/rules_gate_products.py)"
        ),
    )
    return True


def _gate_sides(inf: Inference, p: t.Product) -> tuple[t.Term, t.Term, t.Sym] | None:
    """(the gate side, the other side, the gate) of ``p`` in a gated recurrence, or None."""
    carried = _carried(inf)
    if not carried:
        return None
    for side, other in ((p.left, p.right), (p.right, p.left)):
        found = _gate(inf, side, carried)
        if found is not None and inf.rank(side) == 1:
            return side, other, found[0]
    return None


def dot_refusal(inf: Inference, p: t.Product, reading: str) -> ShapeError | None:
    """A gate's ``\\cdot`` with a vector of its size about to be read as the dot product
    because that is the one reading that fits (the value's shape still open): wait while
    other equations may shape it (Stuck), then the refusal; None where this is not such a
    product."""
    if reading != "dot" or p.written not in WRITTEN:
        return None
    sides = _gate_sides(inf, p)
    if sides is None:
        return None
    side, other, gate = sides
    if inf.rank(other) != 1 or inf.shown(other) != inf.shown(side):
        return None
    if inf.mode != "default":
        raise Stuck  # another equation may shape the value (then only the elementwise fits)
    left, right = inf.snip(p.left), inf.snip(p.right)
    return ShapeError(
        f"{inf.snip(p)}: {inf.snip(gate)} is a gate of a gated recurrence and "
        f"{inf.snip(other)} a vector of its size: read as the dot product it is one number "
        "(nothing here fixes the shape of the value it gives), read as the elementwise "
        "product a vector, as a gate's product usually is; the shapes fit both, and "
        "papermath does not guess",
        inf.source,
        p.span,
        hint=f"write {left} \\odot {right} for the elementwise product, or {left}^\\top "
        f"{right} for the dot product (or declare the value's shape, e.g. a vector)",
    )

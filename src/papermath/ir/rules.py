"""One registry per concern: what each stage does with each primitive.

Each dict maps a :class:`~papermath.ir.prims.Prim` to its rule; the rules are registered in
``papermath/ops/<family>.py``, right under their functions (``emit_rules[add_p] = emit_add``,
as Autodidax writes ``jvp_rules[mul_p] = mul_jvp``), on import of :mod:`papermath.ops`,
which every stage that looks a rule up imports.

- ``shape_rules``: the type check (``ir/typecheck.py``): the result shape from the operands'.
- ``emit_rules``: the forward code (``backends/emit.py``), NumPy and torch alike; what
  differs between the libraries is the emitter's :class:`~papermath.backends.emit.Dialect`.
- ``vjp_rules``: the backward code (``backends/backward.py``): the op's contribution to the
  gradient of each operand, laid out like the op's result (``Backward.reduce_to`` undoes
  broadcasting); ``const`` has none (a number has no gradient).
- ``cpp_rules``: the fused step kernels' C++ (``backends/kernels.py``), forward and adjoint,
  one scalar entry at a time. Optional: a primitive without one is not fused, and the
  planner says so by its name (``const`` and ``slice`` are the kernels' own structure).

The views on a reduction over the entries i of a vector (the read term ``IndexSum`` names its
primitive: ``\\sum_i``, ``\\prod_i``, ``\\max_i``, ``\\operatorname{logsumexp}_i``), each looked up
by one generic hook:

- ``latex_rules``: the gradient of the body's entries that ``papermath grad`` prints (the
  reverse pass ``passes/reverse.py``, printed by ``report/gradients.py``), a tree of
  primitives built from the pieces an :class:`~papermath.passes.reverse.IndexGradient` offers;
- ``words``: the noun ``papermath explain`` (``explain.py``) names it with ("maximum");
- ``labels``: the symbol the diagram (``diagram.py``) draws it with ("max").

Every primitive must be in every required registry (``REQUIRED``), and every reduction over
an index in every registry of ``OVER_INDEX``; tests/test_registry.py checks both, by the
primitive's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import InternalError
from ..shapes.sizes import Shape as Shape  # re-exported: the shape rules of ops/*.py
from .prims import Prim

if TYPE_CHECKING:
    from ..backends.backward import Backward
    from ..backends.emit import Emitter
    from ..ir.tree import Node
    from ..ops.reductions import IndexGradient
    from ..passes.reverse import Reverse
    from .program import Op

ShapeRule = Callable[["Op", list[Shape]], Shape]
EmitRule = Callable[["Emitter", "Op", int], None]
VjpRule = Callable[["Backward", "Op", str], None]
# the gradient of the entries of a reduction's body, as printed (a tree of primitives)
LatexRule = Callable[["IndexGradient"], "Node"]


@dataclass(frozen=True)
class CppRule:
    """An elementwise primitive in the fused kernels' C++, for one entry.

    ``value(op, ins)``: the result, from the operands' C++ expressions. ``adjoints(op, a,
    ins, y)``: for each operand (by position), what adds to its adjoint, from the result's
    adjoint ``a`` (None: nothing). ``reads(op)``: the operands the adjoints read (positions),
    and whether they read the result ``y``; the forward keeps those for the backward.
    ``missing(op)``: why this op has no C++ after all (a function without it), else None."""

    value: Callable[[Op, list[str]], str]
    adjoints: Callable[[Op, str, list[str], str], list[str | None]]
    reads: Callable[[Op], tuple[tuple[int, ...], bool]]
    missing: Callable[[Op], str | None] = lambda op: None


shape_rules: dict[Prim, ShapeRule] = {}
emit_rules: dict[Prim, EmitRule] = {}
vjp_rules: dict[Prim, VjpRule] = {}
cpp_rules: dict[Prim, CppRule] = {}

# the registries every primitive must be in, by name (tests/test_registry.py)
REQUIRED: dict[str, dict[Prim, Any]] = {
    "shape_rules": shape_rules,
    "emit_rules": emit_rules,
    "vjp_rules": vjp_rules,
}

latex_rules: dict[Prim, LatexRule] = {}
# the printed gradients: how an op's value is written as a tree, and the tree of each
# operand's gradient (None: no gradient), both in the IR's own primitives (ir/tree.py); walked
# by passes/reverse.py, printed by report/gradients.py
ForwardRule = Callable[["Reverse", "Op", "list[Node]"], "Node"]
VjpTreeRule = Callable[["Reverse", "Op", "Node"], "list[Node | None]"]
forward_tree_rules: dict[Prim, ForwardRule] = {}
vjp_tree_rules: dict[Prim, VjpTreeRule] = {}
words: dict[Prim, str] = {}
labels: dict[Prim, str] = {}

# the registries every reduction over an index must be in, by name (tests/test_registry.py)
OVER_INDEX: dict[str, dict[Prim, Any]] = {
    "latex_rules": latex_rules,
    "words": words,
    "labels": labels,
}


def shape_same(op: Op, ins: list[Shape]) -> Shape:
    """The shape rule of most primitives: the shape of the (first) operand."""
    return ins[0]


def shape_scalar(op: Op, ins: list[Shape]) -> Shape:
    """The shape rule of a reduction to one number."""
    return ()


def shape_failed(what: object) -> InternalError:
    """A shape rule's refusal: papermath's own defect (an op the lowering or a pass built
    wrong), never the user's."""
    return InternalError(f"the type check failed: {what}")


R = TypeVar("R")


def rule(registry: dict[Prim, R], name: str, prim: Prim) -> R:
    """``registry[prim]``, or an internal error that names the primitive and the registry."""
    got = registry.get(prim)
    if got is None:
        raise InternalError(f"no {name} rule for the primitive {prim.name}")
    return got

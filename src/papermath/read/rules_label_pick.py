# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``label-pick``: the entry of a vector at an integer label, ``f_{y_i}``.

What people write::

    L_i = -\log\left(\frac{e^{f_{y_i}}}{ \sum_j e^{f_j} }\right)

(CS231n's softmax loss: ``f`` the vector of class scores of example i, ``y_i`` the index of
its correct class, so ``f_{y_i}`` is the score of the correct class.)

How papermath reads it: a subscript that is itself a symbol indexed by the examples
(``y_i``, ``i`` an index) picks one entry of the vector: ``f_{y_i}`` is the entry of ``f`` at
the label ``y_i``, a scalar per example, and ``y`` is target data, one integer per example
in ``0 .. K-1`` (K the size of f). f defined by an equation per example (``f_i = ...``,
``f(x_i, W, b) = ...``) is f_i's entry; a vector no equation defines (a bias per class,
``c_{y_i}``) is one vector for all examples. Vectors one label picks from share one size
(the classes). Generated code takes the labels as an integer array and gathers
(``np.take_along_axis``, ``torch.gather``; the primitive ``gather``); the gradient goes back
to the picked entry only (a scatter-add). ``papermath check`` draws labels in range; a label
has no gradient. Printed gradients through it (``papermath grad``) write the entry as
``\left[f_i\right]_{y_i}`` and its gradient with ``\operatorname{onehot}_{K}\left(y_i\right)``.

Three readings the same sources need, in this module too:

- ``f(x_i, W, b) = W x_i + b`` defined and never called (CS231n's score function): one value
  per example i, the equation ``f_i = W x_i + b`` (``argument_node``);
- in an equation over the example i (``L_i = ...``), ``f_j`` with j an entry index and f a
  value per example is the entry j of f_i (``entries_at_node``);
- ``L_i = ...`` beside ``L = \frac{1}{N} \sum_i L_i + ...``: the loss of one example and the
  total share the letter; the per-example one is the key ``L_i`` (``per_example_and_total``).

Refused: a label that picks from anything but a vector (a matrix's row, ``W_{y_i}``, is
not read yet). Not this rule's: a label written as a bare letter (``\text{x}_y``) or a
word index (``v'_{w_O}``, a row of an embedding table: read/rules_table_rows.py).

Examples (each reads)::

    f_i = W x_i, L_i = -\log\left(\frac{e^{f_{y_i}}}{ \sum_j e^{f_j} }\right), J = \sum_i L_i, x_i \in \mathbb{R}^{D}, W \in \mathbb{R}^{K \times D}
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader, SymParts


def label_subscript(reader: Reader, parts: SymParts, item: ast.Node, quiet: bool) -> bool:
    """``f_{y_i}``: ``item`` (the subscript) is a symbol indexed by an index letter; ``parts``
    (f) takes it as the label that picks its entry. True where it did."""
    if not (
        isinstance(item, ast.Sub)
        and isinstance(item.base, ast.Letter)
        and isinstance(item.script, ast.Letter)
        and item.script.name in reader.out.indices
        and parts.picked is None
    ):
        return False
    label = reader.symbol(item, quiet=True)
    if label is None:
        return False
    parts.picked = label
    # f_{y_i} with f defined by an equation: f of the example i (y_i is example i's label),
    # so f carries y's index; a vector no equation defines (a bias per class, b_{y_i}) is one
    # for all examples
    defined = getattr(reader, "defined_keys", set()) | set(getattr(reader, "functions", ()))
    if parts.key in defined:  # f_i = ... or f(x_i, W, b) = ...
        if label.node is not None and parts.node is None:
            parts.node = label.node
        if label.example is not None and parts.example is None:
            parts.example = label.example
    if not quiet:
        picked = reader.source.snippet(item.span)
        reader.out.labels.setdefault(label.key, item.span)
        reader.out.first_span.setdefault(label.key, item.span)
        reader.note(
            Span(parts.span.start, item.span.end + 1),  # p_{y_i}: with its closing brace
            f"the entry of {parts.key} at the label {picked}",
            f"{parts.key}_{{{picked}}}: {picked} is a symbol indexed by {item.script.name} in "
            f"a subscript, so it is a label (an integer per example, target data) and "
            f"{parts.key}_{{{picked}}} is the entry of the vector {parts.key} at it "
            "(rule label-pick)",
        )
    return True


def entries_at_node(reader: Reader) -> None:
    """``J_i = -\\log(e^{f_{y_i}} / \\sum_j e^{f_j})`` with f a value per node i (``f_i``,
    ``f_{y_i}``): in an equation over the node i, ``f_j`` (j an entry index, f with no node
    index) is the entry j of f at that node, f_i's (CS231n writes f_j for "the j-th element
    of the vector of class scores f" of example i). Rewrites those entries in place; a
    per-node value written with no index at all is left to the check that refuses it."""
    per_node = reader.per_node_keys()
    if not per_node:
        return
    for n, eq in enumerate(reader.out.equations):
        node = eq.lhs.node
        if node is None:
            continue

        def at_node(term: t.Term, node: str = node) -> t.Term:
            if (
                isinstance(term, t.Elem)
                and isinstance(term.body, t.Sym)
                and term.body.key in per_node
                and per_node[term.body.key] == node
                and term.body.node is None
                and term.body.step is None
            ):
                sym = term.body
                reader.note(
                    term.span,
                    f"the entry {term.index} of {sym.key}_{node}",
                    f"{sym.key} is a value per node {node} and this equation is over {node}: "
                    f"{reader.source.snippet(term.span)} is the entry {term.index} of "
                    f"{sym.key} at the node {node} (rule label-pick)",
                )
                return replace(term, body=replace(sym, node=node))
            return t.mapped(term, at_node)

        rhs = at_node(eq.rhs)
        if rhs is not eq.rhs:
            reader.out.equations[n] = replace(eq, rhs=rhs)


def argument_node(rhs: t.Term, formals: tuple[str, ...]) -> str | None:
    """``f(x_i, W, b) = W x_i + b`` (CS231n's score function), defined and never called: its
    value is one per example i when an argument is written per node i (x_i) and nothing in
    the body sums over i, so the equation for it is ``f_i = W x_i + b``. The node letter, or
    None where the arguments carry none (or several)."""
    nodes = {x.node for x in t.walk(rhs) if isinstance(x, t.Sym) and x.key in formals and x.node}
    bound = {x.index for x in t.walk(rhs) if isinstance(x, t.NodeSum | t.NeighbourSum | t.BatchSum)}
    return next(iter(nodes)) if len(nodes) == 1 and not nodes & bound else None


def per_example_and_total(reader: Reader) -> None:
    """``L_i = ...`` and ``L = \\frac{1}{N} \\sum_i L_i + \\lambda R(W)`` (CS231n): the loss of
    example i and the full loss share the letter L; the one written per node i is summed
    over i into the other, so they are two values: the per-example one is read as the key
    ``L_i`` (as written), the total as ``L``. Only where the total's right side sums the
    per-node one over its node; any other second definition stays refused."""
    eqs = reader.out.equations
    for total in eqs:
        key = total.lhs.key
        if total.lhs.node is not None:
            continue
        each = [e for e in eqs if e.lhs.key == key and e.lhs.node is not None]
        if len(each) != 1:
            continue
        node = each[0].lhs.node
        summed = any(
            isinstance(x, t.NodeSum)
            and x.index == node
            and any(isinstance(y, t.Sym) and y.key == key and y.node == node for y in t.walk(x))
            for x in t.walk(total.rhs)
        )
        if not summed:
            continue
        new = f"{key}_{node}"

        def renamed(
            term: t.Term, key: str = key, node: str | None = node, new: str = new
        ) -> t.Term:
            if isinstance(term, t.Sym) and term.key == key and term.node == node:
                return replace(term, key=new)
            return t.mapped(term, renamed)

        for n, eq in enumerate(eqs):
            lhs = renamed(eq.lhs)
            assert isinstance(lhs, t.Sym)
            eqs[n] = replace(eq, lhs=lhs, rhs=renamed(eq.rhs))
        if key in reader.out.first_span:
            reader.out.first_span.setdefault(new, each[0].lhs.span)
        reader.note(
            each[0].lhs.span,
            f"the value of one example {node}, {key} the total",
            f"{key}_{node} is defined per {node} and {key} sums it over {node}: two values "
            f"that share the letter, read as {new} and {key} (rule label-pick)",
        )
        return

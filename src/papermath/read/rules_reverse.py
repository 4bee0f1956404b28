r"""Notation rule ``backward-recurrence``: a recurrence that runs backwards in time.

What people write: Graves, Mohamed & Hinton (2013), eqs. 8-10, the backward layer of a
bidirectional RNN, ``\overleftarrow{h}_t = \mathcal{H}(W_{x\overleftarrow{h}} x_t +
W_{\overleftarrow{h}\overleftarrow{h}} \overleftarrow{h}_{t+1} + b_{\overleftarrow{h}})``; d2l's
``\overleftarrow{\mathbf{H}}_t = \phi(\mathbf{X}_t \mathbf{W}_{xh}^{(b)} +
\overleftarrow{\mathbf{H}}_{t+1} \mathbf{W}_{hh}^{(b)} + \mathbf{b}_h^{(b)})``.

How papermath reads it: a symbol defined at step t from its own value at step t+1 is a state
carried backwards, from the last step down (the recurrence starts after the last step, from
zeros, and runs to the first). Its shapes, kind (a state), explanation and diagram are read as
for a forward recurrence; the readings say it runs backwards. Generated code runs the forward
states in a loop over the steps, then the backward states in a second loop from the last step
down (after the last step: the given final state, or zeros), then what reads both directions
at each step (y_t from the forward and the backward state at t): Graves's bidirectional RNN.

Near misses stay refused at the symbol: a symbol read both at t-1 and at t+1 (two directions
at once), a step further ahead than t+1, or a value at t+1 whose key no equation defines at t
(the future of an input is read as an input at another step, by the other rules). Code is
refused (ir/lower.py) for a forward state that reads a backward one, and for a value read at
another step beside a backward state (y_t from h_{t-1} and a backward state).

Examples that read::

    \overleftarrow{h}_t = \tanh(W x_t + U \overleftarrow{h}_{t+1}), \quad
        x_t \in \mathbb{R}^m, \overleftarrow{h}_t \in \mathbb{R}^n
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import terms as t
from .syntax import is_symbolish, iter_nodes

if TYPE_CHECKING:
    from .reader import Reader


def backward_states(reader: Reader, equations: list[t.Equation]) -> None:
    """Accept each symbol defined at step t from its own value at t+1 (a state carried
    backwards): said in the readings, generated in a loop from the last step down (ir/lower.py).
    Anything else read at a later step than the equation's is refused at the symbol."""
    defined = {eq.lhs.key for eq in equations}
    reads: dict[str, set[int]] = {}
    for eq in equations:
        for x in t.walk(eq.rhs):
            if isinstance(x, t.Sym) and x.key in defined and x.step:
                reads.setdefault(x.key, set()).add(x.offset)
    for eq in equations:
        for x in t.walk(eq.rhs):
            if not (isinstance(x, t.Sym) and x.key in defined and x.step and x.offset > 0):
                continue
            own = any(e.lhs.key == x.key and e.lhs.step == x.step for e in equations)
            if x.offset == 1 and own and min(reads[x.key]) >= 0:
                note_backward(reader, x)
                continue
            why = (
                f"{x.key} is also read at step {x.step}-1: one value cannot run both ways"
                if own and min(reads[x.key]) < 0
                else f"it is {x.offset} steps ahead"
                if own
                else f"no equation defines {x.key} at step {x.step}"
            )
            raise reader.error(
                f"{x.key} at step {x.step}{x.offset:+d} on the right of an equation at step "
                f"{x.step}: not read as a recurrence that runs backwards in time ({why})",
                x.span,
                hint=f"a forward recurrence reads {x.key}_{{{x.step}-1}}; a backward one "
                f"defines {x.key}_{x.step} from {x.key}_{{{x.step}+1}} and nothing else reads "
                f"{x.key} at another step",
            )


def note_backward(reader: Reader, x: t.Sym) -> None:
    if x.key in reader.out.backward_states:
        return
    step = x.step
    reader.out.backward_states.append(x.key)
    reader.note(
        x.span,
        f"state carried backwards over {step}",
        f"{reader.source.snippet(x.span)} is {x.key} one step later, read to compute "
        f"{x.key}_{step}: a recurrence that runs backwards in time, from the last step down "
        f"({x.key} after the last step is zeros, or a given final state); its shapes are read "
        "as a forward recurrence's, and code runs it in a loop from the last step down",
    )


def direction_letters(reader: Reader, statements: list[ast.Statement]) -> set[str]:
    r"""Rule ``direction-labels``: d2l's bidirectional RNN writes the forward and the backward
    layer's weights ``\mathbf{W}_{xh}^{(f)}`` and ``\mathbf{W}_{xh}^{(b)}``: one symbol written
    with two different letters in parentheses, and never with a step. There the letters are
    labels (two matrices, W_xh_f and W_xh_b), not steps of one value (a step label names one
    step of a value that has steps, as ``h^{(T)}`` beside ``h_t``). The letters returned are
    read as labels wherever they are written in parentheses."""
    letters: dict[str, set[str]] = {}
    spans: dict[str, Span] = {}
    stepped: set[str] = set()
    for node in iter_nodes(statements):
        if not isinstance(node, ast.Sup | ast.Sub):
            continue
        base = reader.symbol(node, quiet=True) if is_symbolish(node) else None
        if base is not None and (base.step or base.node):
            stepped.add(base.base)
        if not (
            isinstance(node, ast.Sup)
            and isinstance(node.script, ast.Paren)
            and isinstance(node.script.body, ast.Letter)
        ):
            continue
        inner = reader.symbol(node.base, quiet=True) if is_symbolish(node.base) else None
        if inner is None or inner.step or inner.node:
            continue
        letters.setdefault(inner.key, set()).add(node.script.body.name)
        spans.setdefault(inner.key, node.script.span)
    out: set[str] = set()
    for key, found in letters.items():
        if len(found) < 2 or key.split("_")[0] in stepped:
            continue
        if any(x in reader.out.indices or x in reader.step_letters for x in found):
            continue
        out |= found
        names = ", ".join(f"{key}_{y}" for y in sorted(found))
        reader.note(
            spans[key],
            "labels in parentheses",
            f"{key} is written with ({', '.join(sorted(found))}) in parentheses and never with "
            f"a step: labels of different matrices ({names}), not steps",
        )
    return out

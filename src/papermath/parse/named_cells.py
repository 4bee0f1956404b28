r"""Notation rule ``named-recurrent-cell`` (a hint): a tuple of states on the left of one call
whose name says it is an LSTM or a GRU cell, ``(h_t^1, c_t^1) = \text{EncoderLSTM}^1(e(x_t),
(h_{t-1}^1, c_{t-1}^1))`` (bentrevett's seq2seq notebooks).

The line stays refused (parse/tuples.py: one equation naming several values is not read): the
name says which cell computes the values, and a cell of that name has well-known equations,
but papermath reads the equations a source writes, not a cell it names. The hint says so and
gives the cell's equations to write, in the source's own names for the values, instead of
"the source does not say how" (it does: the name says an LSTM); with numbered layers
(``h_t^1``), one layer's equations with the layer as an index l (the layer below its input),
which read, and the call without superscripts for one layer (``statements.named-lstm-call``).
A ConvLSTM, a BiLSTM or a Tree-LSTM is not nn.LSTM's cell: the generic hint stands.

Example (refused, caret on the tuple; the hint gives an LSTM's equations)::

    (h_t, c_t) = \text{LSTM}(x_t, (h_{t-1}, c_{t-1}))

Beside it, the same notebooks name a cell's input sequence as a set of its steps' values,
``X = \{x_1, x_2, ..., x_T\}``: refused as a value (a set is none), with the hint that the
sequence is read through its value at each step (:func:`sequence_hint`).
"""

from __future__ import annotations

import re

RULE = "named-recurrent-cell"
_CELL = re.compile(r"(LSTM|GRU)")


def _prev(name: str) -> str:
    """``h_t^1`` -> ``h_{t-1}^1``: the value one step earlier, as the source writes it."""
    return re.sub(r"_\s*(?:\{\s*t\s*\}|t)(?![A-Za-z0-9])", "_{t-1}", name, count=1)


def hint(head: str, names: list[str]) -> str | None:
    """The hint for ``names = head(...)`` where ``head`` names an LSTM or GRU cell; None
    otherwise (the caller's generic hint stands)."""
    cell = _CELL.search(head)
    if cell is None or re.search(r"(?i)(conv|bi|tree|peephole)\w*(LSTM|GRU)", head):
        return None  # a ConvLSTM, a BiLSTM, a Tree-LSTM: not nn.LSTM's cell (generic hint)
    h = names[0]
    if cell.group(1) == "LSTM" and len(names) == 2 and "^" in h:
        # numbered layers (h_t^1): one layer's equations with the layer an index, which read
        # (the layer below's h its input), or one layer's call without its superscript
        return (
            f"{head} is an LSTM cell by its name, returning the hidden state {h} and the cell "
            f"state {names[1]} of one numbered layer, which papermath does not read: write "
            "one layer's equations with the layer as an index l, the layer below its input, as "
            "PyTorch's nn.LSTM computes them: i_t^l = \\sigma(W_i h_t^{l-1} + U_i h_{t-1}^l + "
            "b_i), f_t^l and o_t^l likewise, g_t^l = \\tanh(W_g h_t^{l-1} + U_g h_{t-1}^l + "
            "b_g), c_t^l = f_t^l \\odot c_{t-1}^l + i_t^l \\odot g_t^l, h_t^l = o_t^l \\odot "
            "\\tanh(c_t^l); for one layer, the call without the superscripts, (h_t, c_t) = "
            "\\text{LSTM}(x_t, (h_{t-1}, c_{t-1})), reads as nn.LSTM; so does every layer's "
            "call, numbered 1, 2, ... in order, each fed by the hidden state of the layer below "
            "(\\text{LSTM}^2(h_t^1, (h_{t-1}^2, c_{t-1}^2))): nn.LSTM with num_layers layers"
        )
    if cell.group(1) == "LSTM" and len(names) == 2:
        c = names[1]
        return (
            f"{head} is an LSTM cell by its name, returning the hidden state {h} and the cell "
            f"state {c}; papermath reads the equations a source writes, not a cell it names: "
            f"write the cell's equations, as PyTorch's nn.LSTM computes them: "
            f"i = \\sigma(W_i x + U_i {_prev(h)} + b_i), f and o likewise, "
            f"g = \\tanh(W_g x + U_g {_prev(h)} + b_g), {c} = f \\odot {_prev(c)} + i \\odot g, "
            f"{h} = o \\odot \\tanh({c}), x the cell's input"
        )
    return (
        f"{head} is a{'n' if cell.group(1) == 'LSTM' else ''} {cell.group(1)} cell by its "
        f"name, returning {', '.join(names)}; papermath reads the equations a source writes, "
        "not a cell it names: write the cell's equations, one for each value"
    )


def sequence_hint(written: str) -> str:
    """The hint for a set of values with dots, ``\\{x_1, x_2, ..., x_T\\}``, read as a value."""
    return (
        f"{written} lists values one by one (a sequence or a set): papermath reads such a "
        "collection through one member with its index (x_t, with t the step or position), "
        "not as a value of its own; leave the list in prose"
    )

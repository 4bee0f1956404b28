r"""Notation rule ``direction-previous-state`` (a refusal): a bidirectional layer whose
directions' equations both read the joint state one step back.

What people write (chainer's ``n_step_bigru``, ``n_step_bilstm``, ``n_step_birnn`` docstrings:
a label in the superscript for the direction, "where W^{f} is weight matrices for forward-GRU,
W^{b} is weight matrices for backward-GRU")::

    h^{f}_t &= f(W^{f}_0 x_t + W^{f}_1 h_{t-1} + b^{f}_0 + b^{f}_1) \\
    h^{b}_t &= f(W^{b}_0 x_t + W^{b}_1 h_{t-1} + b^{b}_0 + b^{b}_1) \\
    h_t &= [h^{f}_t; h^{b}_t]

The letters f and b label the two directions (the prose says forward and backward), and h_t
is both directions' states side by side. Read as written, the backward direction's equation
reads h_{t-1}: the joint state (2N features, both directions) at the step before, where a
backward direction runs from the end of the sequence and reads its own state at the step
after (h^{b}_{t+1}); the forward one would read its own h^{f}_{t-1}. The equations contradict
the word, and which state each direction reads papermath does not guess: it refuses at the
h_{t-1} of the first backward equation, naming h, and the hint says what reads.

Only where the prose says both "forward" and "backward", an equation defines h_t as the
bracket ``[h^{f}_t; h^{b}_t]`` of h's labelled values (f, fw, fwd; b, bw, bwd in the
superscript or subscript of a label), and an equation whose left side carries the backward
label reads the unlabelled h at the step before. Arrows over the letter
(``\overrightarrow{h}``) are not looked at.

Example (refused at the second line's ``h_{t-1}``, naming h)::

    The forward and the backward RNN.
    h^{f}_t = \tanh(W^{f} x_t + U^{f} h_{t-1}) \\
    h^{b}_t = \tanh(W^{b} x_t + U^{b} h_{t-1}) \\
    h_t = [h^{f}_t; h^{b}_t]
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast

RULE = "direction-previous-state"

__all__ = ["RULE", "check"]

_FWD = r"(?:f|fw|fwd|forward)"
_BWD = r"(?:b|bw|bwd|backward)"


def _labelled(base: str, label: str, step: str) -> str:
    """``h^{f}_t``, ``h^f_{t}``, ``h_{t}^{f}``: base with the label and the step (a regex)."""
    sup = rf"\^\s*(?:\{{\s*{label}\s*'?\s*\}}|{label})"
    sub = rf"_\s*(?:\{{\s*{step}\s*\}}|{step})"
    return rf"{re.escape(base)}\s*(?:{sup}\s*{sub}|{sub}\s*{sup})"


def check(text: str, statements: list[ast.Statement]) -> None:
    """Refuse at the backward direction's h_{t-1} (see the module)."""
    if not (re.search(r"(?i)\bforward", text) and re.search(r"(?i)\bbackward", text)):
        return
    defs = [s for s in statements if isinstance(s, ast.Definition)]
    for joint in defs:
        lhs = text[joint.lhs.span.start : joint.lhs.span.end]
        m = re.fullmatch(r"\s*([A-Za-z])\s*_\s*(?:\{\s*([a-z])\s*\}|([a-z]))\s*", lhs)
        if m is None:
            continue
        base, step = m.group(1), m.group(2) or m.group(3)
        rhs = text[joint.rhs.span.start : joint.rhs.span.end]
        one = rf"{_labelled(base, _FWD, step)}|{_labelled(base, _BWD, step)}"
        if not re.fullmatch(rf"\s*\[\s*(?:{one})\s*;\s*(?:{one})\s*\]\s*", rhs):
            continue
        previous = re.compile(rf"(?<![A-Za-z\\]){re.escape(base)}\s*_\s*\{{\s*{step}\s*-\s*1\s*\}}")
        for s in defs:
            left = text[s.lhs.span.start : s.lhs.span.end]
            if not re.fullmatch(r"\s*[A-Za-z]\s*(?:\^|_)[^=]*", left):
                continue
            label = re.search(rf"\^\s*(?:\{{\s*{_BWD}\s*'?\s*\}}|{_BWD}(?![A-Za-z]))", left)
            if label is None:
                continue
            found = previous.search(text, s.rhs.span.start, s.rhs.span.end)
            if found is None:
                continue
            joined = " ".join(rhs.split())
            backward_in = re.search(_labelled(base, _BWD, step), rhs) is not None
            raise ParseError(
                f"{base}_{{{step}-1}} in the backward direction's equation for "
                f"{' '.join(left.split())}: {base}_{step} = {joined} is the labelled states "
                "side by side"
                + ("" if backward_in else f" (the backward {base}^{{b}}_{step} is not among them)")
                + f", so {base}_{{{step}-1}} is that joint state at the step before; a backward "
                "direction (the prose says backward) runs from the end of the sequence and "
                "reads its own state at the step after, and the forward one its own: read as "
                f"written each direction reads the joint {base}, not its own state. papermath "
                "does not guess which state each direction reads",
                span=Span(found.start(), found.end()),
                hint=f"write each direction's own previous state: {base}^{{f}}_{{{step}-1}} in "
                f"the forward equations, {base}^{{b}}_{{{step}+1}} in the backward ones",
            )

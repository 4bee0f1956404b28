r"""Notation rule ``sign-superscript``: a plus or a minus sign written up on a letter, ``m^+``,
``m^{-}`` (the capsule network's margin loss, Sabour et al. 2017, eq. 4: the margins m^+ = 0.9
and m^- = 0.1; labml, CapsNet READMEs), is refused at the sign, with a hint that says what it
may mean: a label that tells two values apart (the margins), the positive or negative part of
the value (``x^+ = \max(x, 0)``), or, on a matrix, its pseudo-inverse (``A^+``). The source's
formula does not say which, and the readings differ (a new value, or a function of m), so
papermath does not guess; the hint gives the spelling that reads (a label, ``m_{pos}``).

Example (refused, caret on the sign)::

    L_k = T_k \max(0, m^{+} - \lVert v_k \rVert)^2
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast

if TYPE_CHECKING:
    from .reader import SymParts

WORDS = {"+": ("pos", "positive"), "-": ("neg", "negative")}


def hint(parts: SymParts, script: ast.Node) -> str | None:
    """The hint of the refusal of ``m^+`` (None for any other superscript)."""
    if not isinstance(script, ast.Mark) or script.mark not in WORDS:
        return None
    label, word = WORDS[script.mark]
    key = parts.key
    inverse = " or, on a matrix, its pseudo-inverse (A^+)" if script.mark == "+" else ""
    part = f"\\max({key}, 0)" if script.mark == "+" else f"\\max(-{key}, 0)"
    return (
        f"{key}^{script.mark} may be a label telling two values apart (the margins m^+ and "
        f"m^-), the {word} part of {key} ({part}){inverse}: papermath does not guess; for a "
        f"label write {key}_{{{label}}}, for the {word} part write {part}"
    )

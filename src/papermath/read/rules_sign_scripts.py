r"""Notation rule ``sign-superscript``: a plus or a minus sign written up on a letter, ``m^+``,
``m^{-}`` (the capsule network's margin loss, Sabour et al. 2017, eq. 4: the margins m^+ = 0.9
and m^- = 0.1; labml, CapsNet READMEs), is refused at the sign, with a hint that says what it
may mean: a label that tells two values apart (the margins), the positive or negative part of
the value (``x^+ = \max(x, 0)``), or, on a matrix, its pseudo-inverse (``A^+``). The source's
formula does not say which, and the readings differ (a new value, or a function of m), so
papermath does not guess; the hint gives the spelling that reads (a label, ``m_{pos}``).

Example (refused, caret on the sign)::

    L_k = T_k \max(0, m^{+} - \lVert v_k \rVert)^2

Rule ``sign-superscript-labels``: the source settles it where it writes the same letter with
both signs and never bare (``m^{+}`` and ``m^{-}`` in one loss, no ``m`` alone: there is no m
whose positive and negative parts they could be), or gives the signed letter a number
(``m^+ = 0.9``): the signs are labels telling two values apart, read as ``m_{pos}`` and
``m_{neg}`` (keys ``m_pos``, ``m_neg``), and the readings say what decided it. Example that
reads (labml's margin loss)::

    L = T \max(0, m^{+} - \lVert v \rVert)^2 + \lambda (1 - T) \max(0, \lVert v \rVert - m^{-})^2
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from .syntax import iter_nodes

if TYPE_CHECKING:
    from .reader import Reader, SymParts

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


def _letter(node: ast.Node) -> str | None:
    """The letter under fonts and decorations: ``\\mathbf{m}`` -> m."""
    while isinstance(node, ast.Font | ast.Decorated):
        node = node.body
    return node.name if isinstance(node, ast.Letter) else None


def _signed(node: ast.Node) -> tuple[str, str] | None:
    """``m^{+}`` -> (m, +); None for any other node."""
    if isinstance(node, ast.Sup) and isinstance(node.script, ast.Mark):
        letter = _letter(node.base)
        if letter is not None and node.script.mark in WORDS:
            return letter, node.script.mark
    return None


def label(reader: Reader, parts: SymParts, script: ast.Node) -> tuple[str, str] | None:
    """``m^+`` where the source says the sign is a label (both signs on m and m never bare, or
    ``m^+ = 0.9``): (the label ``pos``, why); None where it does not (the refusal stands)."""
    if not isinstance(script, ast.Mark) or script.mark not in WORDS:
        return None
    letter = parts.base
    nodes = iter_nodes(reader.statements)
    signs = {s[1] for n in nodes if (s := _signed(n)) is not None and s[0] == letter}
    given = any(
        isinstance(st, ast.Definition)
        and _signed(st.lhs) == (letter, script.mark)
        and isinstance(st.rhs, ast.Number)
        for st in reader.statements
    )
    if not given and signs != {"+", "-"}:
        return None
    # the letters under the signed ones (m of \\mathbf{m}^+): any other m is m written otherwise
    under = {
        id(x)
        for n in nodes
        if isinstance(n, ast.Sup) and _signed(n) is not None
        for x in ast.walk(n.base)
    }
    if any(isinstance(n, ast.Letter) and n.name == letter and id(n) not in under for n in nodes):
        return None  # m alone (or m_j) too: the parts of m or labels, the source does not say
    word = WORDS[script.mark][0]
    why = (
        f"{letter}^{script.mark} is given a number"
        if given
        else f"the source writes {letter}^+ and {letter}^- and never {letter} alone"
    )
    return word, f"{why}: the signs tell two values apart ({letter}_{{{word}}}), no part of a value"

r"""Notation rule ``keras-shape-words``: the shapes Keras' loss docstrings give their arguments
and result in words, ``shape = `[batch_size, d0, .. dN]```.

What people write (keras.losses.hinge; every Keras loss function's docstring says the same)::

    ```python
    loss = mean(maximum(1 - y_true * y_pred, 0), axis=-1)
    ```

    Args:
        y_true: The ground truth values. ... with shape = `[batch_size, d0, .. dN]`.
        y_pred: The predicted values with shape = `[batch_size, d0, .. dN]`.

    Returns:
        Hinge loss values with shape = `[batch_size, d0, .. dN-1]`.

How papermath reads it: ``[batch_size, d0, .. dN]`` is a batch of values whose last axis is
dN, with any number of axes d0 .. dN-1 between (each read like the batch: the formula treats
every position alike); ``[batch_size, d0, .. dN-1]`` is the same without the last axis (the
loss reduces it, ``axis=-1``). Read with no axes between: ``y_true \in
\mathbb{R}^{\text{batch\_size} \times \text{dN}}`` and, for ``Returns:``, the formula's left side
``\text{loss} \in \mathbb{R}^{\text{batch\_size}}``, each declaration on the words it was read
from. Only these two forms, and only where every shape the prose gives in this way is one of
them (another, ``[batch_size, d0]``, is refused as before: parse/code.py).

Example (reads: y_true, y_pred batch_size x dN, loss batch_size)::

    ```python
    loss = mean(maximum(1 - y_true * y_pred, 0), axis=-1)
    ```

    Args:
        y_true: The ground truth values with shape = `[batch_size, d0, .. dN]`.
        y_pred: The predicted values with shape = `[batch_size, d0, .. dN]`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..source import Span
from . import ast
from .blanking import blank as blank_span
from .prose_nodes import WordSpans, declaration_on_words

RULE = "keras-shape-words"
# [batch_size, d0, .. dN] and [batch_size, d0, .. dN-1] (Keras' words)
_KERAS = re.compile(r"\[\s*batch_size\s*,\s*d0\s*,\s*\.\.\s*dN(?P<less>\s*-\s*1)?\s*\]")
_RETURNS = "Returns"


def keras_form(shape: str) -> bool:
    """Is ``shape`` (with its brackets) one of Keras' two forms?"""
    return _KERAS.fullmatch(shape.strip()) is not None


def _latex(name: str) -> str:
    """A name in code as the declaration writes it: y_true -> y_{\\text{true}}."""
    base, sep, rest = name.partition("_")
    if sep and base and rest and "_" not in rest:
        script = rest if len(rest) == 1 else f"\\text{{{rest}}}"
        word = base if len(base) == 1 else f"\\text{{{base}}}"
        return f"{word}_{{{script}}}"
    return name if len(name) == 1 else f"\\text{{{name}}}"


def declarations(said: Sequence[re.Match[str]], left: str | None) -> list[ast.Statement]:
    """One declaration per shape the prose gives (``said``: parse/code.py's matches, groups
    ``sym`` and ``shape``), ``Returns:`` the formula's left side (``left``, its name in
    code); empty where one is not Keras' form or names nothing the code writes."""
    out: list[ast.Statement] = []
    for m in said:
        shape = m.group("shape")
        form = _KERAS.fullmatch(shape.strip())
        if form is None:
            return []
        name = m.group("sym")
        if name == _RETURNS:
            if left is None:
                return []
            name = left
        sizes = "\\text{batch_size}" + ("" if form.group("less") else " \\times \\text{dN}")
        decl = declaration_on_words(_latex(name), sizes, WordSpans(m.span("sym"), m.span("shape")))
        if decl is None:
            return []
        out.append(decl)
    return out


_SAID = re.compile(r"\bshape\s*=?\s*`(?P<shape>\[[^`\n]*\])`")


def blank(text: str, out: list[str]) -> None:
    """Blank ``shape = `[batch_size, d0, .. dN]``` in the prose (normalisation): the words
    this rule reads as declarations (parse/code.py), not an equation ``shape = ...``. Only
    in a source with no LaTeX math (its formula written as code, which parse/code.py reads
    with these words); beside LaTeX the words stay (and are refused as prose)."""
    if "$" in text or "\\[" in text or "\\begin" in text:
        return
    for m in _SAID.finditer(text):
        if keras_form(m.group("shape")):
            blank_span(out, m.start(), m.end())


def readings(text: str, statements: Sequence[ast.Statement]) -> list[tuple[Span, str, str]]:
    """What this rule read, for the readings: each declaration made from Keras' words."""
    out = []
    for s in statements:
        if not isinstance(s, ast.Declaration):
            continue
        form = _KERAS.fullmatch(text[s.span.start : s.span.end])
        if form is None:
            continue
        less = bool(form.group("less"))
        out.append(
            (
                s.span,
                "a shape in Keras' words",
                f"{text[s.span.start : s.span.end]}: a batch of batch_size values"
                + (", the last axis reduced" if less else " whose last axis is dN")
                + ", with any number of axes d0 .. between, each read like the batch (the "
                "formula treats every position alike): read with none between, "
                + ("batch_size" if less else "batch_size x dN")
                + f" (rule {RULE})",
            )
        )
    return out

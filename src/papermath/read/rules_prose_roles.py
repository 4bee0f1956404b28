r"""Kinds said in a loss's or optimizer's prose, by the words parse/role_words.py finds.

Rule ``named-parameter``: "the parameter q", "`q` is the noise parameter", ":math:`\mu` is the
``momentum`` parameter": a symbol the prose calls a parameter of the function by name, with no
word of learning, is a number the function is given (a constructor's or optimizer's
argument): a constant, never a learned weight (another reading: ``% papermath: q is
parameter``). A symbol an equation defines, a directive names, or a weight letter is not
read so.

Rule ``probability-scalar`` (its kind): "`p` is the predicted probability for the true class":
a probability the model predicts (predicted, estimated, output) is what the loss is given, an
input; one the prose calls the true (target) probability is the target.

Example (reads: q a constant, p an input)::

    Formula:
    ```python
    loss = (1 - p**q) / q
    ```
    where `p` is the predicted probability for the true class and `q`
    is the noise parameter.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import role_words
from .rules_prose_kinds import _bare, _free, _occurrences, _quoted

if TYPE_CHECKING:
    from .reader import Reader

_PREDICTED = re.compile(r"\b(predicted|estimated|output|model(?:'s)?)\s+probability", re.I)
_TRUE = re.compile(r"\b(true|target)\s+probability", re.I)


def keys_written(reader: Reader, written: str) -> list[str]:
    """The keys of the equations' symbols written as ``written`` (``\\mu``, ``q``)."""
    bare, squeezed = _bare(written), re.sub(r"[{}\s]", "", written)
    text = reader.source.text
    keys = []
    for key, span in _occurrences(reader):
        snippet = text[span.start : span.end]
        if squeezed == re.sub(r"[{}\s]", "", snippet) or (
            squeezed == bare and _bare(snippet) == bare and key.split("_")[0] == bare
        ):
            keys.append(key)  # as written, or a bare letter written with a step (q, q_t)
    return list(dict.fromkeys(keys))


def named_parameters(reader: Reader) -> None:
    """Rule ``named-parameter``: "the parameter q", "`q` is the noise parameter": a constant."""
    text = reader.source.text
    found = [
        *role_words.PARAMETER_BEFORE.finditer(text),
        *role_words.PARAMETER_AFTER.finditer(text),
    ]
    for m in found:
        if role_words.is_weight(m.group("sym")):
            continue
        words = " ".join(m.group(0).split())
        for key in keys_written(reader, m.group("sym")):
            if not _free(reader, key) or key in reader.out.role_notes:
                continue
            reader.out.directives[key] = "constant"
            reader.out.role_notes[key] = (
                f"the prose names {key} a parameter of the function (\u201c{_quoted(words, 80)}"
                f"\u201d), with no word of learning: a number the function is given, a constant "
                f"(another reading: `% papermath: {key} is parameter`)"
            )


def probability_kinds(reader: Reader) -> None:
    """Rule ``probability-scalar``'s kind: a predicted probability is an input, a true one the
    target."""
    text = reader.source.text
    for m in role_words.PROBABILITY.finditer(text):
        phrase = m.group(0)
        kind = "input" if _PREDICTED.search(phrase) else "target" if _TRUE.search(phrase) else None
        if kind is None:
            continue
        words = " ".join(phrase.split())
        for key in keys_written(reader, m.group("sym")):
            if not _free(reader, key) or key in reader.out.role_notes:
                continue
            reader.out.directives[key] = kind
            reader.out.role_notes[key] = (
                f"the prose says \u201c{_quoted(words, 80)}\u201d: "
                + (
                    "what the model predicts, given to the loss: an input"
                    if kind == "input"
                    else "what the prediction is compared with: the target"
                )
                + f" (another reading: `% papermath: {key} is parameter`)"
            )

r"""Notation rule ``attention-data-words``: the prose introduces a symbol as the queries, the keys
or the values of an attention, in the sentence that declares it; that symbol is data the
attention is applied to (an input), never a learned weight.

What people write (d2l 11.3 and 11.5)::

    The scaled dot product attention of queries $\mathbf Q\in\mathbb R^{n\times d}$,
    keys $\mathbf K\in\mathbb R^{m\times d}$, and values $\mathbf V\in\mathbb R^{m\times v}$
    thus can be written as ...

    Given a query $\mathbf{q} \in \mathbb{R}^{d_q}$, a key $\mathbf{k} \in \mathbb{R}^{d_k}$,
    and a value $\mathbf{v} \in \mathbb{R}^{d_v}$, ...

How papermath reads it: where the prose introduces both queries and keys this way (an
attention), a symbol no equation defines, declared in the inline math right after the word
``query``, ``queries``, ``key``, ``keys``, ``value`` or ``values`` is an input (the data the
attention reads), as a ``% inputs:`` line would say; the readings quote the word. Without
the word, a symbol that nothing defines keeps the default of its letter (an unindexed Q, K,
V: learned parameters). A weight letter (W, b, \theta) and a symbol a directive names are
never read so.

Example that reads: ``y = \mathrm{softmax}(Q K^\top) V`` with the prose "of queries
$Q \in \mathbb{R}^{n \times d}$, keys $K \in \mathbb{R}^{m \times d}$ and values
$V \in \mathbb{R}^{m \times v}$".

Rule ``attention-pooling-open``: the prose says a function the equations call and define
nowhere is an attention ("$f$ is attention pooling, such as additive attention and scaled dot
product attention", d2l 11.5), without saying which. Its value's shape is what the equations
claim for it (``h_i = f(...) \in \mathbb{R}^{p_v}``), so the shapes, explain and the diagram
read it; but it is no affine map (the default for a function the source does not define: an
attention multiplies its arguments), so generated code refuses it by name and asks for its
definition. The readings quote the words.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .reader import Reader

# letters that name weights whatever the prose calls them (V is not one here: "values V")
WEIGHTS = frozenset({"W", "w", "b", "theta", "Theta"})
# the word, then the inline math that declares the symbol ($...$ or \(...\))
WORD = re.compile(r"\b(quer(?:y|ies)|keys?|values?)\s+(\$\$?|\\\()")
# "$f$ is attention pooling", "$g$ is an attention function"
POOLING = re.compile(r"\$\s*([A-Za-z])\s*\$\s+is\s+(?:an?\s+|the\s+)?(attention[A-Za-z ]*?)[,.;\n]")


def data_words(reader: Reader) -> None:
    """Mark as inputs the symbols the prose declares as an attention's queries, keys, values."""
    text = reader.source.text
    said = {m.group(1)[:3].lower() for m in WORD.finditer(text)}
    if not {"que", "key"} <= said:
        return  # "the value $x$" alone: no attention here
    for m in WORD.finditer(text):
        start = m.end()
        close = "\\)" if m.group(2) == "\\(" else m.group(2)
        end = text.find(close, start)
        if end < 0:
            continue
        for d in reader.out.declarations:
            if not (start <= d.span.start < end):
                continue
            key = d.key
            if (
                key in reader.defined_keys
                or key in reader.out.directives
                or key.split("_")[0] in WEIGHTS
                or key in reader.out.role_inputs
            ):
                continue
            reader.out.role_inputs[key] = f"the {m.group(1)} of an attention, as the prose says"
            reader.note(
                d.span,
                "input (an attention's data, named in the prose)",
                f"the prose introduces {key} as the {m.group(1)}: the data an attention reads, "
                f"not a learned weight (another reading: `% papermath: {key} is parameter`)",
            )


def open_pooling(reader: Reader) -> None:
    """A called function the prose calls an attention, not defined: shapes only, no code."""
    for m in POOLING.finditer(reader.source.text):
        key = m.group(1)
        if key not in reader.out.learned or key in reader.functions:
            continue
        span = reader.out.first_span.get(key)
        if span is None:
            continue
        words = " ".join(m.group(2).split())
        reader.note(
            span,
            "attention whose form the source leaves open",
            f"the prose says {key} is {words}, and no equation defines it: its value's shape is "
            f"what the equations say, but it is no affine map (an attention multiplies its "
            f"arguments), so code for {key} is refused until its form is given",
        )
        reader.out.shapes_only.setdefault(
            key,
            (
                span,
                f"define {key} beside the equations with the attention the source means "
                f"(additive, or scaled dot product over the keys): an equation {key}(...) = ... "
                "that papermath reads as the function's body",
            ),
        )

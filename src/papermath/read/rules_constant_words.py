r"""Notation rules that read a number of the model the source gives (a rate, a margin, a small
constant) as a constant, where the letter's default would make it learned or data.

Rule ``prose-constant-words``: the prose calls a symbol a rate, a constant, a margin or a
probability. What people write: optax's Adadelta, ":math:`\rho` is the decay rate (typically
0.9), :math:`\epsilon` is a small constant for numerical stability"; Spektral's APPNP, "where
\(\alpha\) is the teleport probability". How papermath reads it: the symbols of the inline
math that is the subject of "is/are/denotes (a, the) ... rate/constant/margin/probability/
step size" are numbers the source gives (constants, the same for every example, never
learned, no gradient), whatever their letter would say (\rho, \alpha are learned parameters
by default); a symbol an equation defines, a directive names, or a weight letter (W, b) is
never read so. The readings quote the words.

Rule ``hinge-margin``: a symbol added inside the hinge ``\max(0, \cdot)`` of a loss. What
people write: the capsule margin loss, ``T_k \max(0, m^{+} - \lVert v_k \rVert)^2``;
PyTorch's HingeEmbeddingLoss, ``\max \{0, \Delta - x_n\}``; the multiclass SVM loss
``\max(0, s_j - s_{y_i} + \Delta)``. How papermath reads it: a symbol written with no index
whose every occurrence is a term of the sum or difference that a ``\max(0, ...)`` clips is
the hinge's margin, a constant of the loss, not target data (the loss heuristic reads a
bare operand of a loss's sum as what the output is compared with); where the other term is
itself a bare symbol (``\max(0, y - z)``), nothing is decided and the default stands.

Rule ``value-given``: the prose sets a symbol to a number. What people write: d2l's Adam,
"Common choices for them are $\beta_1 = 0.9$ and $\beta_2 = 0.999$"; a CapsNet README,
"Parameters: $m^+=0.9$, $m^-=0.1$, $\lambda=0.5$". How papermath reads it: a symbol of the
equations that an inline math sets to a number (``$\beta_1 = 0.9$``, ``$\epsilon =
10^{-6}$``) is a number the source gives, a constant; not where the value holds under a
condition (``$\gamma = 1$ if `use_weight=False` ``) or is where a value starts (a sentence
that says "initialize"): a learned parameter's first value is no constant; nor where the symbol
is one member of a value per index (``$y_v=1$`` with v a node the sums run over: "if the label
is positive ($y_v=1$)" names a case, not a constant).

Examples that read::

    $$m_t = \rho m_{t-1} + (1 - \rho) g_t$$
    where $\rho$ is the decay rate and $g_t \in \mathbb{R}^{d}$ the gradient.

    $$L = \max(0, \Delta - x_n)$$

    $$v_t = \beta v_{t-1} + (1 - \beta) g_t$$
    where $g_t \in \mathbb{R}^{d}$; a common choice is $\beta = 0.9$.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from papermath.read import rules_prose_kinds as prose
from papermath.read import terms as t

if TYPE_CHECKING:
    from papermath.read.reader import Reader

_WORDS = r"(?:rates?|constants?|margins?|probabilit(?:y|ies)|step\s*sizes?)"
_CALLED = re.compile(
    rf"({prose._LIST})\s*,?\s+(?:is|are|denotes?|represents?)\s+(?:(?:a|an|the)\s+)?"
    rf"((?:[A-Za-z-]+\s+){{0,2}}?){_WORDS}\b",
    re.IGNORECASE,
)
# words before the noun that make it something else than a number given ("the predicted
# probability" is a model's output, "a learned rate" is learned)
_NOT_GIVEN = re.compile(r"\b(?:predicted|learn\w*|trainable|estimated|output|not)\b", re.I)
_WEIGHTS = prose._WEIGHTS | prose._NOT_DATA | {"x", "X"}


def constant_words(reader: Reader) -> None:
    """Rule ``prose-constant-words``: a symbol the prose calls a rate/constant/margin/
    probability is a constant."""
    text = reader.source.text
    for m in _CALLED.finditer(text):
        if _NOT_GIVEN.search(m.group(2) or ""):
            continue
        a, b = prose._subjects(text, m.start(1), m.end(1), last=False)
        words = " ".join(text[a : m.end()].split())
        for key in prose._keys_within(reader, a, b):
            if not prose._free(reader, key) or key.split("_")[0] in _WEIGHTS:
                continue
            reader.out.directives[key] = "constant"
            reader.out.role_notes[key] = (
                f"the prose calls {key} a number of the model (\u201c{prose._quoted(words, 100)}"
                f"\u201d): a constant, not learned (another reading: `% papermath: {key} is "
                f"parameter`)"
            )


def _margin_sides(term: t.Term) -> list[tuple[t.Term, t.Term]]:
    """(term, the other term) for each term of the sum a hinge max(0, .) clips."""
    if isinstance(term, t.Apply) and term.fn == "max" and len(term.args) == 2:
        zero = [a for a in term.args if isinstance(a, t.Const) and a.value == 0.0]
        inner = [a for a in term.args if not (isinstance(a, t.Const) and a.value == 0.0)]
        if len(zero) == 1 and len(inner) == 1:
            body = inner[0]
            if isinstance(body, t.Add):
                return [(body.left, body.right), (body.right, body.left)]
    return []


def _bare(x: t.Term) -> bool:
    return isinstance(x, t.Sym) and not (
        x.step or x.step_label or x.node or x.example or x.edge or x.head
    )


def hinge_margins(reader: Reader) -> None:
    """Rule ``hinge-margin``: a bare symbol added inside max(0, .) is the hinge's margin."""
    everywhere: dict[str, int] = {}
    in_hinge: dict[str, int] = {}
    for eq in reader.out.equations:
        for x in t.walk(eq.rhs):
            if isinstance(x, t.Sym):
                everywhere[x.key] = everywhere.get(x.key, 0) + 1
            for side, other in _margin_sides(x):
                if _bare(side) and not _bare(other):
                    assert isinstance(side, t.Sym)
                    in_hinge[side.key] = in_hinge.get(side.key, 0) + 1
    for key, n in in_hinge.items():
        if n != everywhere.get(key) or not prose._free(reader, key):
            continue
        if key.split("_")[0] in _WEIGHTS:
            continue
        reader.out.directives[key] = "constant"
        reader.out.role_notes[key] = (
            f"{key} is added inside the hinge max(0, ...) of a loss, beside a computed "
            f"value: the hinge's margin, a constant of the loss, not data (another reading: "
            f"`% papermath: {key} is target`)"
        )


_NUMBER = r"-?\d+(?:\.\d*)?(?:\s*\\times\s*10\^\{?-?\d+\}?)?|10\^\{?-?\d+\}?"
_SET = re.compile(
    rf"(?:\$|:math:`|\\\()\s*([^$`=]{{1,40}}?)\s*=\s*(?:{_NUMBER})\s*(?:\$|`|\\\))",
)
# the rest of the sentence makes the value conditional ("$\gamma = 1$, $\beta = 0$ if ...")
_CONDITION = re.compile(r"\b(?:if|iff|when|unless|otherwise)\b", re.IGNORECASE)
_START = re.compile(r"initiali[sz]|\binit\b|starts?\b", re.IGNORECASE)


def values_given(reader: Reader) -> None:
    """Rule ``value-given``: a symbol an inline math sets to a number is a constant."""
    text = reader.source.text
    for m in _SET.finditer(text):
        start, end = prose._sentence(text, m.start())
        if _CONDITION.search(text[m.end() : end]) or _START.search(text[start : m.start()]):
            continue
        said = " ".join(m.group(0).split())
        written = re.sub(r"[{}\s]", "", m.group(1))  # m^+ as m^{+} is written
        member = re.search(r"_([A-Za-z])$", written)
        if member is not None and member.group(1) in reader.out.indices:
            continue  # y_v = 1: one member of a value per node (or step) named, no constant
        keys = {
            key
            for key, span in prose._occurrences(reader)
            if re.sub(r"[{}\s]", "", text[span.start : span.end]) == written
        }
        for key in sorted(keys):
            if not prose._free(reader, key) or key.split("_")[0] in _WEIGHTS:
                continue
            reader.out.directives[key] = "constant"
            reader.out.role_notes[key] = (
                f"the prose sets {key} to a number (\u201c{said}\u201d): a number the source "
                f"gives, a constant, not learned (another reading: `% papermath: {key} is "
                f"parameter`)"
            )

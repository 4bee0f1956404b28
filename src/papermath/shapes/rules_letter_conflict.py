r"""Notation rule ``letter-conflict``: two letter conventions that disagree, tied by one
equation, with nothing else to decide the shape: refused, never the Latin letter's guess.

What people write (the Deep Learning book, 10.9.1, on leaky units; the Chinese edition's
``sequence_modeling_rnn.tex``)::

    we accumulate a running average \mu^{(t)} of some value v^{(t)} by applying the update
    \mu^{(t)} \gets \alpha \mu^{(t-1)} + (1-\alpha) v^{(t)}

Every operation of the update is a scaling or a sum, which any shape allows: the equations do
not say what \mu and v are. The letters' conventions disagree: \mu, a lowercase Greek letter,
is by convention a scalar; v, a lowercase Latin letter, by convention a vector; and the
update gives them one shape. Taking the Latin letter's convention first (v is the data, shaped
first) would make \mu a vector of a free size, which is the book's ``\Vh`` (bold), not its
italic \mu; taking the Greek one would be the same guess the other way.

How papermath reads it: it does not. Where a lowercase Latin symbol that nothing declares,
defines or shapes is about to get its letter's vector, and an equation it stands in defines a
lowercase Greek symbol whose shape is still open (nothing declares or forces it), papermath
refuses with the caret on the Latin symbol and a hint: declare it, a scalar (one unit) or a
vector (a layer of units). A declaration of either symbol decides it (and reads). Where both
letters are Latin (Adam's ``m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t``) or the Greek symbol is
shaped by the equations (a matrix product, a declaration), the conventions do not disagree
and the rule says nothing.

Examples: refused, ``\mu_t = \alpha \mu_{t-1} + (1-\alpha) v_t`` (caret on ``v_t``); reads,
the same with ``v_t \in \mathbb{R}`` (all scalars) or ``v_t \in \mathbb{R}^{n}`` (\mu a vector).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..letters import GREEK_LOWER
from ..read import terms as t

if TYPE_CHECKING:
    from .infer import Inference

RULE = "letter-conflict"


def refusal(inf: Inference, key: str, letter: str) -> ShapeError | None:
    """The refusal for giving the open Latin symbol ``key`` (of ``letter``) its vector, where
    an equation it stands in defines an open lowercase Greek symbol (module docstring)."""
    if letter in GREEK_LOWER or not letter[:1].islower() or key in inf.defined:
        return None
    for eq in inf.eqs_of_key.get(key, []):
        if not isinstance(eq.lhs, t.Sym) or eq.lhs.key == key:
            continue
        greek = eq.lhs.key
        if greek.split("_")[0] not in GREEK_LOWER or greek in inf.read.learned:
            continue
        var = inf.sym_var.get(greek)
        if var is None or inf.engine.rank(var) is not None:
            continue
        span = inf.read.first_span[key]
        return ShapeError(
            f"nothing declares or forces the shape of {key} or {greek}, and their letters' "
            f"conventions disagree: {greek} (a Greek letter) is by convention a scalar, {key} "
            f"(a Latin letter) a vector, and the equation of {inf.snip(eq.lhs)} gives them one "
            "shape: papermath does not guess which",
            inf.source,
            span,
            hint=f"declare {key}: {key} \\in \\mathbb{{R}} (a scalar, one unit) or "
            f"{key} \\in \\mathbb{{R}}^{{n}} (a vector of n units)",
        )
    return None

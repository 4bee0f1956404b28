r"""Notation rule ``variant-display``: a source that gives a model in two variants, one display
after the other, the second redefining the values of the first ("With ReLU activation
function: h_t = relu(...)  With Tanh activation function: h_t = \tanh(...)", MXNet's RNN
operator; "If ``reset_gate`` is false, the above becomes ...", Flax's MGUCell). The second is
not a continuation of the first (it would define each value twice) but another model.

papermath reads the first variant and leaves the later one out, and says so in the readings
(where the variants are, the words that introduce the second, what it redefines): to read the
second variant, give it alone. Read so only where the second display defines nothing new
(each of its equations redefines a value of the first, none twice, and none reads the value
it defines: Paddle's ``h_{t} = h_{t}W_{proj}`` after its LSTM changes the first variant, it is
no alternative) and the words between the two introduce an alternative (``if``, ``with``,
``becomes``, ``alternatively``, ``otherwise``, ``instead``); any other value defined twice
stays refused ("defined twice").

Example (the first display is read; the second, an alternative, is left out)::

    With ReLU activation function:
    $$h_t = \mathrm{relu}(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})$$
    With Tanh activation function:
    $$h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})$$
"""

from __future__ import annotations

import dataclasses
import re

from . import ast
from .primes import SteppedDefinition

# ("in the case of": Torch7's "or in the case of the weights argument being specified")
_CUE = re.compile(
    r"\b(?:if|with|becomes|alternatively|otherwise|instead|in the case of)\b", re.IGNORECASE
)


@dataclasses.dataclass(frozen=True)
class VariantDefinition(SteppedDefinition):
    """The first definition of a value that a later variant redefines (``said``: what)."""

    reading: str = "variant left out"


def _name(text: str, node: ast.Node) -> str:
    return re.sub(r"\s+", "", text[node.span.start : node.span.end])


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def second_variant(text: str, between: str, cue: re.Match[str], later: list[ast.Statement]) -> str:
    """Where the second variant is and the words that announce it (``cue`` found in
    ``between``, the text before its equations ``later``): "the source gives a second
    variant (lines a-b, after '...')"."""
    stop = between.find("\n", cue.end())
    words = " ".join(
        between[between.rfind("\n", 0, cue.start()) + 1 : stop % (len(between) + 1)].split()
    )
    a, b = _line(text, later[0].span.start), _line(text, later[-1].span.end)
    return (
        f"the source gives a second variant ({f'lines {a}-{b}' if b > a else f'line {a}'}, "
        f"after '{words}')"
    )


def _values(text: str, node: ast.Node) -> set[str]:
    """The names of the values ``node`` reads, a subscript's labels not among them (the f of
    ``W_{if}`` is no value f)."""
    out = {_name(text, node)}
    if isinstance(node, ast.Sub):
        return out | _values(text, node.base)
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        for v in value if isinstance(value, tuple) else (value,):
            if isinstance(v, ast.Node):
                out |= _values(text, v)
    return out


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements without a later variant display (noted), where the source gives one;
    otherwise the statements as they were."""
    seen: dict[str, int] = {}
    start = None
    for i, s in enumerate(statements):
        if isinstance(s, ast.Definition):
            name = _name(text, s.lhs)
            if name in seen:
                start = i
                break
            seen[name] = i
    if start is None or start == 0:
        return statements
    later = statements[start:]
    if not all(isinstance(s, ast.Definition) for s in later):
        return statements
    names = [_name(text, s.lhs) for s in later if isinstance(s, ast.Definition)]
    if len(set(names)) != len(names) or not all(n in seen for n in names):
        return statements  # something new, or a value defined three times
    for s in later:  # Paddle's h_{t} = h_{t}W_{proj}: it changes the first, no alternative
        assert isinstance(s, ast.Definition)
        own = _name(text, s.lhs)
        if own in _values(text, s.rhs):
            return statements
    between = text[statements[start - 1].span.end : later[0].span.start]
    cue = _CUE.search(between)
    if cue is None:
        return statements
    first = min(seen[n] for n in names)
    target = statements[first]
    if isinstance(target, SteppedDefinition) or not isinstance(target, ast.Definition):
        return statements  # its note is another rule's: keep the refusal rather than lose it
    said = (
        f"{second_variant(text, between, cue, later)}, which redefines "
        f"{', '.join(names)}: the first variant (from line "
        f"{_line(text, statements[0].span.start)}) is read and the second is left out; give it "
        "alone to read it"
    )
    out = list(statements[:start])
    out[first] = VariantDefinition(
        target.span, target.lhs, target.rhs, target.decl, target.claims, target.update, said=said
    )
    return out

r"""Two notation rules for what a docstring's prose says a loss's symbols are, in the words
people use for them (Keras's loss docstrings, optax's optimizers).

Rule ``probability-scalar``: "`p` is the predicted probability for the true class" (Keras's
CategoricalGeneralizedCrossEntropy, under ``loss = (1 - p**q) / q``). A probability, said in
the singular (not "probabilities", not "a probability distribution", "vector" or "map"), is
one number (not "for each class", "per class": one per class, a vector): papermath reads
the symbol as a scalar, ``p \in \mathbb{R}``, the span on the
words, the reading quoting them. Only a symbol the equations write.

Rule ``named-parameter``: "the parameter q", "`q` is the noise parameter", ":math:`\mu` is the
``momentum`` parameter", ":math:`\gamma` is the decay rate parameter ``gamma``": the prose calls
a symbol a parameter of the function by name (a setting the function is given), with no word
of learning. papermath reads the symbol as a constant, a number given
(read/rules_prose_roles.py), never a learned weight; and a line of prose that names the
symbol only so ("It generalizes ... through the parameter q, where values closer to 1 ...")
is prose that has been read, not a line of math (parse/__init__.py). Not read so: a weight
letter (W, U, V, w, b, \theta), "the parameter vector (matrix) ...", "learnable (learned,
trainable) parameter", "parameters" in the plural, a layer's own weights ("the scale
(shift, bias, weight, affine, gain, offset) parameter": a norm layer's gamma is learned).

Rule ``argument-role``: an argument list's line that says an argument is the ground truth or the
prediction (Keras: ``y_true: The ground truth values.``, ``y_pred: The predicted values.``):
the target, or an input, when the equations write the name; the line is read, not refused as
prose (parse/__init__.py), and the reading quotes it.

Example (reads: p a scalar, q a constant)::

    Formula:
    ```python
    loss = (1 - p**q) / q
    ```
    where `p` is the predicted probability for the true class and `q`
    is the noise parameter.
"""

from __future__ import annotations

import re

from ..source import Span
from . import ast
from .prose_nodes import ProseDeclaration, declaration_on_words

__all__ = [
    "PARAMETER_AFTER",
    "PARAMETER_BEFORE",
    "PROBABILITY",
    "declarations",
    "is_weight",
    "role_line",
    "says_parameter",
    "says_role",
]

# a symbol as prose writes it: `p`, ``p``, $p$, :math:`p`
_SYM = r"(?:``|`|\$|:math:`)(?P<sym>\\?[A-Za-z]+(?:_\{?[A-Za-z0-9]+\}?)?)(?:``|`|\$)"
PROBABILITY = re.compile(
    _SYM + r"\s+(?:is|denotes|represents)\s+(?:the|a)\s+(?:(?:predicted|estimated|model(?:'s)?"
    r"|output|target|true)\s+)?(?P<size>probability)\b(?!\s+(?:distribution|vector|map|mass"
    r"|density|matrix|tensor|per\b|(?:for|of|over)\s+(?:each|every|all|the\s+classes)))",
    re.IGNORECASE,
)
_NOT_BEFORE = r"(?<!learnable )(?<!learned )(?<!trainable )(?<!learnt )"
# "`q` is the noise parameter", ":math:`\mu` is the ``momentum`` parameter" (a word before
# "parameter": "$W_0$ is a parameter", chainer's, says nothing of what is given)
PARAMETER_BEFORE = re.compile(
    # never a layer's own weights: "the scale parameter" of a norm layer (gamma) is learned
    _SYM + r"\s+(?:is|denotes|represents)\s+the\s+(?P<words>(?:(?!learn|train|scale|shift|bias"
    r"|weight|affine|gain|offset|model|network|layer)"
    r"[\w`-]+\s+){1,3}?)" + _NOT_BEFORE + r"parameter\b(?!\s*(?:vector|matri|tensor|s\b))",
    re.IGNORECASE,
)
# "through the parameter q, where ...": the symbol after the words
PARAMETER_AFTER = re.compile(
    r"\bthe\s+parameter\s+(?:``|`|\$|:math:`)?(?P<sym>\\?[A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?)"
    r"(?:``|`|\$)?(?=[\s,.;:)]|$)",
    re.IGNORECASE,
)
# "y_true: The ground truth values.", "y_pred: The predicted values." (Keras's Args)
_ROLE_LINE = re.compile(
    r"^[ \t]*(?P<sym>[A-Za-z_]\w*)[ \t]*:[ \t]*[Tt]he[ \t]+(?:(?P<target>ground[ \t]+truth|true|"
    r"target)|(?P<input>predicted))[ \t]+(?:values?|labels?|targets?|probabilit(?:y|ies))\b"
)
WEIGHTS = frozenset({"W", "U", "V", "w", "b", "theta", "Theta"})


def says_parameter(line: str) -> bool:
    """Whether a line of prose names a symbol by the words "the parameter q" (the rule
    ``named-parameter``: read by read/rules_prose_roles.py), and names no other."""
    m = PARAMETER_AFTER.search(line)
    return m is not None and not is_weight(m.group("sym"))


def says_role(line: str) -> bool:
    """Whether a line of prose is one the rules ``named-parameter`` or ``argument-role`` read."""
    return says_parameter(line) or _ROLE_LINE.match(line) is not None


def role_line(line: str, offset: int, statements: list[ast.Statement]) -> ast.Directive | None:
    """Rule ``argument-role``: the directive a line ``y_true: The ground truth values`` says
    (``y_true is target``), where the equations write the name; else None."""
    m = _ROLE_LINE.match(line)
    if m is None:
        return None
    name = m.group("sym")
    written: set[str] = set()
    for st in statements:
        if not isinstance(st, ast.Definition):
            continue
        for node in ast.walk(st):
            if isinstance(node, ast.Letter):
                written.add(node.name)
            elif isinstance(node, ast.Sub) and isinstance(node.base, ast.Letter):
                script = node.script
                label = script.name if isinstance(script, ast.Letter) else None
                label = script.content if isinstance(script, ast.Text) else label
                if label:
                    written.add(f"{node.base.name}_{label}")  # y_true as code writes y_{true}
    if name not in written:
        return None
    kind = "target" if m.group("target") else "input"
    return ast.Directive(Span(offset + m.start("sym"), offset + m.end()), f"{name} is {kind}")


def is_weight(sym: str) -> bool:
    """Whether a symbol as written (``W_0``, ``\\theta``) is a weight letter's."""
    return re.sub(r"_.*$", "", sym.lstrip("\\")) in WEIGHTS


def _written(statements: list[ast.Statement]) -> set[str]:
    return {
        n.name
        for s in statements
        if isinstance(s, ast.Definition)
        for n in ast.walk(s)
        if isinstance(n, ast.Letter)
    }


def declarations(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The scalars the rule ``probability-scalar`` reads (see the module)."""
    out: list[ast.Statement] = []
    written = _written(statements)
    declared = ast.declared_letters(statements)
    for m in PROBABILITY.finditer(text):
        sym = m.group("sym")
        if "_" in sym or sym.lstrip("\\") not in written or sym.lstrip("\\") in declared:
            continue
        decl = declaration_on_words(sym, None, m)
        if decl is None:
            continue
        words = " ".join(m.group(0).split())
        note = (
            f"said in words: '{words}': a probability is one number, so {sym} is a scalar "
            "(rule probability-scalar)"
        )
        out.append(ProseDeclaration(Span(m.start(), m.end()), decl.targets, decl.space, said=note))
        declared.add(sym.lstrip("\\"))
    return out

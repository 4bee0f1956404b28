r"""Rule ``update-after-definition``: a value defined, then defined again from itself, as the
next line of the same computation: ``X' = [\textrm{AGGREGATE}(X) \| X] W + b`` then ``X' =
\frac{X'}{\|X'\|}`` (Spektral's GraphSAGE), ``h_i^{(l+1)} = \mathrm{norm}(h_i^{(l+1)})``
after ``h_i^{(l+1)} = \sigma(...)`` (DGL's SAGEConv), GraphSAGE's Algorithm 1 ``\mathbf{h}^k_v
\leftarrow \mathbf{h}^k_v / \|\mathbf{h}^k_v\|_2`` after ``\mathbf{h}^k_v \leftarrow
\sigma(...)``.

What people write::

    h'_i = W h_i + b
    h'_i = \frac{h'_i}{\|h'_i\|}

As two equations, h' would be defined twice, and the second would be a value that depends on
itself. Read as the lines of one computation, in order, the second replaces the value the
first computed: the h' on its right is the first one's value, which the source leaves
unnamed, and every line after it reads the new value. (An update in place with no earlier
definition, PyTorch Geometric's ``x_j \leftarrow \sigma(W_3 x_j + b)`` of an input, stays
refused by read/rules_updates.py: which lines read the value before and which the value after
is not said by the order of the lines there.)

How papermath reads it: the first value is named with a breve (``\breve{h}'_i``, key
``h_breve_prime``): ``\breve{h}'_i = W h_i + b``, ``h'_i = \breve{h}'_i / \|\breve{h}'_i\|``;
a line between the two that reads h' reads the breved value; every other h' is the new value
(the layer's output, the state carried to the next step). The reading says so.

Only where: exactly two definitions of the symbol, written alike (``=`` or ``\leftarrow``);
the second reads the symbol as written on its left, the first does not; the second is not the
symbol times one factor (``h_t = h_t W_p``, a projection: parse/projections.py reads it where
the source says so, and refuses it otherwise); no words of an alternative between the two
(``With Tanh ...:``, ``if``, ``instead``: another variant, refused as "defined twice"); and no
symbol of the source is already written
with ``\breve``.

Rule ``update-of-an-input-first``: an update in place of a value no equation defines
(an input), after the equations that read it, where the words just before it name the
symbol and say it runs first: PyTorch Geometric's SAGEConv, "If project = True, then x_j
will first get projected via x_j \leftarrow \sigma(W_3 x_j + b)". The new value, named with
a breve (key ``x_breve``), has the input's shape (a value replaced in place keeps its shape); the
equations above read it where they write the symbol as the update does (``x_j``, the
neighbour's value), and the input where they write it otherwise (``x_i``, the node's own,
as PyG's code projects the source side only). Without such words the update stays refused
(read/rules_updates.py).

Example (reads; h'_i the normalised output)::

    h'_i = W h_i + b
    h'_i = \frac{h'_i}{\|h'_i\|}
    h_i \in \mathbb{R}^{d}, h'_i \in \mathbb{R}^{e}
"""

from __future__ import annotations

import dataclasses
import re

from . import ast, projections, variants
from .projections import DECOR, _text  # the same breve, the same way of naming a symbol

RULE = "update-after-definition"


@dataclasses.dataclass(frozen=True)
class UpdatedDefinition(ast.Definition):
    """The second definition of a value, from the first one's (breved); ``said``: why."""

    said: str = ""
    reading: str = "update of the value above (one computation, in order)"


def _breved(node: ast.Node) -> ast.Node:
    """``h_i^{(l)}`` as ``\\breve{h}_i^{(l)}``: the breve on the symbol's base."""
    match node:
        case ast.Sub() | ast.Sup() | ast.Prime():
            return dataclasses.replace(node, base=_breved(node.base))
    return ast.Decorated(node.span, DECOR, node)


def _rename(node: ast.Node, text: str, name: str) -> ast.Node:
    """``node`` with each occurrence of the symbol written ``name`` breved."""
    symbolish = ast.Sub | ast.Sup | ast.Prime | ast.Letter | ast.Font | ast.Decorated
    if isinstance(node, symbolish) and _text(text, node) == name:
        return _breved(node)
    return ast.map_children(node, lambda v: _rename(v, text, name))


def _reads(node: ast.Node, text: str, name: str) -> bool:
    return _rename(node, text, name) is not node


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with each value updated after its definition read so (module
    docstring); otherwise the statements as they were."""
    if re.search(r"\\breve\b", text):
        return statements
    out = list(statements)
    for i, first in enumerate(statements):
        if type(first) is not ast.Definition:
            continue
        if not isinstance(first.lhs, ast.Sub | ast.Sup | ast.Prime | ast.Letter | ast.Font):
            continue
        name = _text(text, first.lhs)
        later = [
            (j, s)
            for j, s in enumerate(statements[i + 1 :], i + 1)
            if isinstance(s, ast.Definition) and _text(text, s.lhs) == name
        ]
        if len(later) != 1:
            continue
        j, second = later[0]
        if type(second) is not ast.Definition or _reads(first.rhs, text, name):
            continue
        if not _reads(second.rhs, text, name):
            continue
        if variants._CUE.search(text, first.span.end, second.span.start):
            continue  # "With Tanh ...:" between: another variant, not the next line (refused)
        pair = projections._factors(second.rhs)  # its rule's own test
        if pair is not None and any(_text(text, f) == name for f in pair):
            continue  # h_t = h_t W: a projection, read only where the source says so
        shown = " ".join(text[first.lhs.span.start : first.lhs.span.end].split())
        out[i] = dataclasses.replace(first, lhs=_breved(first.lhs))
        for k in range(i + 1, j):  # a line between reads the first value
            s = out[k]
            if isinstance(s, ast.Definition):
                rhs = _rename(s.rhs, text, name)
                if rhs is not s.rhs:
                    new = dataclasses.replace(s, rhs=rhs)
                    names = {f.name for f in dataclasses.fields(s)}
                    for key, v in vars(s).items():
                        if key not in names:
                            object.__setattr__(new, key, v)
                    out[k] = new
        line = text.count("\n", 0, first.span.start) + 1
        out[j] = UpdatedDefinition(
            second.span,
            second.lhs,
            _rename(second.rhs, text, name),
            second.decl,
            second.claims,
            second.update,
            said=(
                f"{shown} is defined on line {line} and defined again here from itself: read "
                f"as the next line of one computation, in order, the {shown} on the right is "
                f"the value line {line} computes, named with a breve on its letter, and this line "
                f"replaces it; every other {shown} (after this line, and the value carried "
                "to the next step) is the new value"
            ),
        )
        return out  # one update per source; another stays refused ("defined twice")
    return first_updates(text, statements)


# the words before an update that say it runs before the equations above it
_FIRST = re.compile(r"\bfirst\b", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class UpdatedInput(ast.Definition):
    """An update in place of an input that the source says runs first: the new value (the
    breved left side) from the input; ``said``: why. Its value keeps the input's shape."""

    said: str = ""
    reading: str = "update of an input, first (the source says so)"


def _names(words: str, name: str) -> bool:
    """Do the words name the symbol written ``name`` in inline math (``$x_j$``,
    ``:math:`\\mathbf{x}_j```)?"""
    return any(re.sub(r"[{}\s]", "", m) == name for m in re.findall(r"[$`]([^$`\n]+)[$`]", words))


def first_updates(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """An update in place ``x_j \\leftarrow f(x_j)`` of a value no equation defines, after
    equations that read it, where the words just before it say it runs first (PyTorch
    Geometric's SAGEConv: "x_j will first get projected via"): the equations above read the
    new value where they write the symbol as the update does (``x_j``), the input elsewhere
    (``x_i``)."""
    if re.search(r"\\breve\b", text):
        return statements
    for j, second in enumerate(statements):
        if type(second) is not ast.Definition or not second.update:
            continue
        if not isinstance(second.lhs, ast.Sub | ast.Sup | ast.Prime | ast.Letter | ast.Font):
            continue
        name = _text(text, second.lhs)
        if not _reads(second.rhs, text, name):
            continue
        if any(
            isinstance(s, ast.Definition) and s is not second and _text(text, s.lhs) == name
            for s in statements
        ):
            continue
        above = [
            k
            for k, s in enumerate(statements[:j])
            if isinstance(s, ast.Definition) and _reads(s.rhs, text, name)
        ]
        before = text[statements[j - 1].span.end if j else 0 : second.span.start]
        said = _FIRST.search(before)
        if not above or said is None or not _names(before[: said.start()], name):
            continue  # the words name the symbol, then say "first": "x_j will first get ..."
        start = before.rfind("\n", 0, said.start()) + 1
        stop = before.find("\n", said.end())
        sentence = " ".join(before[start : stop if stop >= 0 else len(before)].split())
        sentence = sentence.replace(":math:", "").replace("`", "")
        shown = " ".join(text[second.lhs.span.start : second.lhs.span.end].split())
        out = list(statements)
        for k in above:
            s = out[k]
            assert isinstance(s, ast.Definition)
            new = dataclasses.replace(s, rhs=_rename(s.rhs, text, name))
            names = {f.name for f in dataclasses.fields(s)}
            for key, v in vars(s).items():
                if key not in names:
                    object.__setattr__(new, key, v)
            out[k] = new
        out[j] = UpdatedInput(
            second.span,
            _breved(second.lhs),
            second.rhs,
            second.decl,
            second.claims,
            second.update,
            said=(
                f"{shown} \\leftarrow ... replaces {shown} in place, and the source says it runs "
                f"first ('{sentence}'): the new value (named with a breve on its letter, as "
                f"wide as {shown}: a value replaced in place keeps its shape) is what the "
                f"equations above read where they write {shown}; {shown} on its right is the "
                "input"
            ),
        )
        return out
    return statements

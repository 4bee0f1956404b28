r"""Notation rule ``code-bracket-index``: brackets after a name in a formula written as code,
read where what they hold says what they are; refused otherwise.

What people write (the Element-Research rnn README, Lua pseudo-code in a ```lua fence;
Lasagne's docstrings, RST literals)::

    ```lua
    i[t] = σ(W[x->i]x[t] + W[h->i]h[t−1] + b[1->i])                      (1)
    c[t] = f[t]c[t−1] + i[t]z[t]                                         (4)
    ```

    * ``velocity := momentum * velocity + updates[param] - param``

    updates : OrderedDict
        A dictionary mapping parameters to update expressions

How papermath reads it:

- ``x[t]``, ``h[t−1]``, ``x[i]``: one letter in the brackets, alone or plus or minus a
  number, is an index, as ``x_t``, ``h_{t-1}``, ``x_i`` (the step or the entry; the reader
  decides which, as for LaTeX subscripts);
- ``W[x->i]``, ``b[1->i]``: an arrow between two names (or a number and a name) in the
  brackets is no index but a name: the weight "from x to i" (the README: "``W[s->q]`` is
  the weight matrix from ``s`` to ``q``"), one symbol (key ``W_x_to_i``, see :func:`key`);
- ``updates[param]``: a name in the brackets after a name that a numpydoc parameter line
  types as a dictionary (``updates : OrderedDict``, ``dict``) is a dictionary lookup: the
  value stored for ``param``, one symbol (key ``updates_param``);
- on a line that indexes so (the pseudo-code, never Python), two factors written side by side
  after a bracket, ``W[x->i]x[t]``, ``f[t]c[t−1]``, ``o[t]tanh(c[t])``, ``(1-z[t])h[t]``, are a
  product, as in LaTeX (a matrix times a vector, or two vectors entry by entry, by their
  shapes); an equation number at the end of a fenced line, ``(1)``, is no factor.

Refused, with the caret on the bracket: anything else in brackets (``x[0]``, ``x[:, 0]``,
``y_true[i]``, ``x[class]`` where nothing says what ``class`` is).

A keyed weight the prose says is diagonal ("the weight matrices from cell to gate vectors are
diagonal ``W[c->s]``"; :func:`diagonal`) is the square matrix times the identity entry by
entry, ``(W[c->i] \odot I)``: only its diagonal is used and trained (the entries off it take
no gradient), the model the source gives; the readings quote the prose. Refused where the
source writes a name ``I`` of its own.

Examples (each a whole source)::

    ```lua
    h[t] = tanh(W[x->h]x[t] + W[h->h]h[t−1] + b[1->h])
    ```
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from ..errors import ParseError
from ..source import Span
from . import ast

__all__ = [
    "CodeKey",
    "CodeLabel",
    "diagonal",
    "dictionary",
    "drawn_fraction",
    "key",
    "keyed",
    "number_suffix",
    "stepped",
]

# an equation number at the end of a fenced line: "...  (4)"
number_suffix = re.compile(r"[ \t]{2,}\(\d+\)[ \t]*$")


@dataclasses.dataclass(frozen=True)
class CodeKey(ast.Sub):
    """A name written with brackets that is one symbol (``W[x->i]``, ``updates[param]``):
    ``written`` as the source writes it. A subscript to the reader (base and label)."""

    written: str = ""


@dataclasses.dataclass(frozen=True)
class CodeLabel(ast.Mark):
    """The label of a :class:`CodeKey` (``x_to_i``, ``param``): no symbol of its own (its
    ``mark`` is ``code-key``; read/reader.py subscript takes ``label``)."""

    label: str = ""


def key(base: str, source: str, target: str) -> str:
    """The symbol key of ``base[source->target]``: ``W[x->i]`` -> ``W_x_to_i``.

    >>> key("W", "x", "i"), key("b", "1", "i"), key("W", "hr", "c")
    ('W_x_to_i', 'b_1_to_i', 'W_hr_to_c')
    """
    return f"{base}_{source}_to_{target}"


_KEYED = re.compile(r"(?P<base>[A-Za-z]\w*)\[(?P<src>[A-Za-z0-9]\w*)->(?P<dst>[A-Za-z]\w*)\]")


def written_key(written: str) -> str | None:
    """The symbol key of a keyed name as written (``W[x->i]``), else None.

    >>> written_key("W[hr->c]"), written_key("W_x")
    ('W_hr_to_c', None)
    """
    m = _KEYED.fullmatch(written)
    return key(m["base"], m["src"], m["dst"]) if m else None


def keyed(
    base: ast.Node, base_name: str, source: str, target: str, span: Span, at: Span
) -> CodeKey:
    """``W[x->i]`` as one symbol: W with the label ``x_to_i`` (key :func:`key`)."""
    label = CodeLabel(at, "code-key", label=f"{source}_to_{target}")
    return CodeKey(span, base, label, written=f"{base_name}[{source}->{target}]")


def lookup(base: ast.Node, base_name: str, name: str, span: Span, at: Span) -> CodeKey:
    """``updates[param]`` as one symbol: the value the dictionary holds for ``param``."""
    return CodeKey(
        span, base, CodeLabel(at, "code-key", label=name), written=f"{base_name}[{name}]"
    )


def stepped(
    base: ast.Node, letter: str, op: str | None, number: str | None, spans: list[Span], span: Span
) -> ast.Node:
    """``x[t]`` -> ``x_t``, ``h[t−1]`` -> ``h_{t-1}``: a subscript."""
    index: ast.Node = ast.Letter(spans[0], letter)
    if op is not None and number is not None:
        at = Span(spans[0].start, spans[-1].end)
        index = ast.BinOp(at, op, index, ast.Number(spans[-1], number), spans[1])
    return ast.Sub(span, base, index)


def dictionary(text: str, name: str) -> bool:
    """Whether a numpydoc parameter line types ``name`` as a dictionary (``updates :
    OrderedDict``).

    >>> dictionary("updates : OrderedDict\\n    A dictionary", "updates")
    True
    """
    pattern = rf"^[ \t]*{re.escape(name)}[ \t]*:[ \t]*(?:OrderedDict|dict|Dict|dictionary)\b"
    return re.search(pattern, text, re.MULTILINE) is not None


def latex(base: str, written: str) -> str:
    r"""A keyed name in LaTeX: ``W[x->i]`` -> ``W_{x \to i}``, ``updates[param]`` ->
    ``updates_{\mathrm{param}}`` (``base`` already LaTeX).

    >>> latex("W", "W[x->i]"), latex("\\mathrm{updates}", "updates[param]")
    ('W_{x \\to i}', '\\mathrm{updates}_{\\mathrm{param}}')
    """
    inner = written[written.index("[") + 1 : -1]
    if "->" in inner:
        source, target = inner.split("->", 1)
        return f"{base}_{{{source} \\to {target}}}"
    return f"{base}_{{\\mathrm{{{inner}}}}}"


# "the weight matrices from cell to gate vectors are diagonal `W[c->s]`" (the README)
_DIAGONAL = re.compile(
    r"diagonal[^.`]{0,40}`(?P<a>[A-Za-z]\w*)\[(?P<src>\w+)->\w+\]`"
    r"|`(?P<b>[A-Za-z]\w*)\[(?P<src2>\w+)->\w+\]`[^.`]{0,80}\bdiagonal"
)


def diagonal(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    r"""A keyed weight the prose says is diagonal (``W[c->s]``, the peepholes of the
    Element-Research LSTM: "the weight matrices from cell to gate vectors are diagonal"): read
    as the matrix times the identity entry by entry, ``(W[c->i] \odot I)``, a square matrix
    whose entries off the diagonal are never used (they take no gradient), so the model is
    the diagonal one the source gives; read as a full matrix it would be another model. The
    readings quote the prose. Refused where the source writes a name ``I`` of its own (the
    identity could not be told from it)."""
    found = [m for m in _DIAGONAL.finditer(text)]
    if not found:
        return statements
    keyed_bases = {(m["a"], m["src"]) if m["a"] else (m["b"], m["src2"]): m for m in found}

    def is_diagonal(node: ast.Node) -> re.Match[str] | None:
        if not isinstance(node, CodeKey):
            return None
        for (base, source), m in keyed_bases.items():
            if node.written.startswith(f"{base}[{source}->"):
                return m
        return None

    clash = any(
        isinstance(node, ast.Letter) and node.name == "I"
        for s in statements
        for node in ast.walk(s)
    )
    for s in statements:
        for node in ast.walk(s):
            if isinstance(node, CodeKey) and (m := is_diagonal(node)) is not None and clash:
                raise ParseError(
                    f"the prose says the weights {node.written.split('[')[0]}[...] are "
                    f"diagonal matrices ('{' '.join(m.group().split())}'), read as the matrix "
                    "times the identity I entry by entry; but the source writes a name I of "
                    "its own",
                    span=node.span,
                    hint=f"write the product with the diagonal as a vector, entry by entry: "
                    f"`{node.written.replace(node.written.split('[')[0] + '[', 'p[', 1)} * ...` "
                    "(a vector p of the gate's size; `*` is elementwise in code)",
                )

    def masked(node: ast.Node) -> ast.Node:
        if is_diagonal(node) is not None:
            # the identity's text is the word that says it: "diagonal" in the prose
            m = is_diagonal(node)
            assert m is not None
            word = m.start() + m.group().index("diagonal")
            identity = ast.Letter(Span(word, word + len("diagonal")), "I")
            product = ast.BinOp(node.span, "odot", node, identity, identity.span)
            return ast.Paren(node.span, product)
        return ast.map_children(node, masked)

    return [ast.keep_attached(ast.map_children(s, masked), s) for s in statements]


def diagonal_note(text: str, node: ast.Node) -> str | None:
    r"""What the readings say of ``(W[c->i] \odot I)`` that :func:`diagonal` wrote (``node``
    the product), quoting the prose; None for any other node."""
    if not (
        isinstance(node, ast.BinOp)
        and node.op == "odot"
        and isinstance(node.left, CodeKey)
        and isinstance(node.right, ast.Letter)
        and node.right.name == "I"
        and text[node.right.span.start : node.right.span.end] == "diagonal"
    ):
        return None
    words = "; ".join(dict.fromkeys(" ".join(m.group().split()) for m in _DIAGONAL.finditer(text)))
    return (
        f"the prose says these weights are diagonal ('{words}'): {node.left.written} is read as a "
        "square matrix times the identity entry by entry (W \\odot I), so only its diagonal is "
        "used and trained"
    )


def drawn_fraction(text: str, lines: list[tuple[int, int, str]]) -> None:
    """Refuse a fraction drawn over three lines of a fence (a bar of ``-`` between the
    numerator's line and the denominator's: the BN formula of the Element-Research README):
    each line alone is no formula, and which terms stand over the bar is a matter of columns."""
    for start, end, where in lines:
        if where.endswith("block") and re.fullmatch(r"-{3,}", text[start:end]):
            raise ParseError(
                "a fraction drawn over three lines (a bar of -) in a formula written as code is "
                "not read: which terms stand over the bar is a matter of columns",
                span=Span(start, end),
                hint="write it on one line with / and parentheses: "
                "beta + gamma * (hd - E(hd)) / sqrt(var + eps)",
            )


def by_name(text: str, toks: Sequence[Any], i: int) -> ParseError | None:
    """The refusal of ``x[class]`` (a name of more than one letter in the brackets, with
    nothing saying what it is): the entry at a class label, a dictionary lookup or a key?
    None for any other bracket (refused by the caller as indexing)."""
    inner = toks[i + 1 : i + 3]
    if len(inner) < 2 or inner[0].kind != "name" or inner[1].text != "]" or len(inner[0].text) < 2:
        return None
    base = text[toks[i - 1].start : toks[i - 1].end] if i > 0 else "x"
    key = inner[0].text
    return ParseError(
        f"indexing (x[...]) by a name, {base}[{key}], in a formula written as code is not read: "
        f"the entry of {base} at a label {key} (a class index), or the value a dictionary {base} "
        f"holds for {key}? papermath does not guess",
        span=Span(toks[i].start, toks[i].end),
        hint=f"for a dictionary, say its type in a parameter line (`{base} : dict`); for the "
        "entry at a class label, write the loss per example in LaTeX with the label of example "
        "i, f_{y_i} (CS231n: L_i = -\\log(e^{f_{y_i}} / \\sum_j e^{f_j}), f_i = W x_i)",
    )


def entry_value(code: str) -> bool:
    """Whether a code span in prose says the value an entry takes (``t[i] = 1``, "the
    probability of predicting `t[i] = 1`"): a condition in words, no formula to read.

    >>> entry_value("t[i] = 1"), entry_value("y = x[i] + 1")
    (True, False)
    """
    return re.fullmatch(r"\s*[A-Za-z]\w*\[[^\]]*\]\s*==?\s*-?\d+(?:\.\d*)?\s*", code) is not None

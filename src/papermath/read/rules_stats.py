"""Notation rule ``mean-over-features``: ``\\mathrm{E}[x]`` and ``\\mathrm{Var}[x]`` of a vector x
that the source declares (``x \\in \\mathbb{R}^{H}``), as layer normalisation writes them
(torch.nn.LayerNorm's documentation: "the mean and the biased variance over the normalized
dimension"): the mean of x's H entries, and the mean of the squared deviations from it.

Read with terms that already exist, so every stage (shapes, code, the generated backward,
``grad``, explain, diagram) reads it as it reads the sums it is made of:

    E[x]   = (1/H) \\sum_i x_i
    Var[x] = (1/H) \\sum_i (x_i - E[x])^2      (biased: divided by H, not H - 1)

Anything else written with E or Var (a matrix, an expression, ``Cov``, ``P``) stays a refusal:
which axis a mean runs over is what the context must fix. An x declared nowhere is read over an
axis the source does not say, for shapes only, or over the one its layer's name says
(read/rules_norm_axis.py).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import terms as t
from .syntax import iter_nodes
from .syntax import statistic_of as written_statistic

if TYPE_CHECKING:
    from .reader import Reader
READ = ("E", "Var")


class UnsaidAxis(Exception):
    """E[x] of an x declared nowhere, in an equation that normalises x by it: the reader
    reads it with read/rules_norm_axis.py (which uses this module's rules, so this module
    does not import it)."""

    def __init__(self, arg: ast.Node) -> None:
        super().__init__("a statistic over an axis the source does not say")
        self.arg = arg


def statistic_of(node: ast.Node) -> str | None:
    """E of ``E[x]``, Var of ``\\mathrm{Var}(x)`` or ``Var[x]`` in italics; None for anything
    else."""
    match node:
        case ast.Juxt(left=head) | ast.Call(func=head):
            if isinstance(head, ast.Overset):  # \underset{C}{\mathbb{E}}[x] (rules_axis_stats)
                head = head.body
            return written_statistic(head) or italic_statistic(head)
    return None


def italic_statistic(head: ast.Node) -> str | None:
    """Rule ``italic-statistic``: ``Var`` typed in italics (the letters V, a, r side by side,
    MLX's ``Var[x]``) is the variance, as ``\\mathrm{Var}`` is; ``E`` in italics is E only
    where the source uses E for nothing else (:func:`head_statistic`)."""
    letters: list[ast.Letter] = []
    node = head
    while isinstance(node, ast.Juxt) and isinstance(node.right, ast.Letter):
        letters.insert(0, node.right)
        node = node.left
    if not isinstance(node, ast.Letter):
        return None
    letters.insert(0, node)
    joined = "".join(n.name for n in letters)
    touching = all(a.span.end == b.span.start for a, b in itertools.pairwise(letters))
    if joined in ("Var", "E") and touching:
        return joined
    return None


def head_statistic(reader: Reader, node: ast.Node) -> str | None:
    """The statistic ``node`` (``\\mathbb{E}[x]``, ``\\mathrm{Var}(x)``, ``Var[x]``, ``E[x]``)
    applies, or None. An italic ``E[x]`` is the mean only where every E the source writes is
    the head of one such bracket and E is declared nowhere: ``E [h, x]`` (a matrix E times
    a concatenation) and a symbol E used elsewhere stay products."""
    match node:
        case ast.Juxt(left=head) | ast.Call(func=head):
            pass
        case _:
            return None
    written = written_statistic(head)
    if written is not None:
        return written
    italic = italic_statistic(head)
    if italic != "E":
        return italic
    if not (isinstance(node, ast.Juxt) and isinstance(node.right, ast.Bracket)):
        return None
    heads = {
        id(n.left)
        for n in iter_nodes(reader.statements)
        if isinstance(n, ast.Juxt)
        and isinstance(n.left, ast.Letter)
        and n.left.name == "E"
        and isinstance(n.right, ast.Bracket)
        and len(n.right.items) == 1
    }
    every_e = [n for n in iter_nodes(reader.statements) if isinstance(n, ast.Letter)]
    if all(id(n) in heads for n in every_e if n.name == "E"):
        return "E"
    return None


def argument_of(node: ast.Node) -> ast.Node | None:
    """The x of ``E[x]`` / ``E(x)``, if it is one expression."""
    match node:
        case ast.Juxt(right=ast.Bracket(items=(arg,)) | ast.Paren(body=arg)):
            return arg
        case ast.Call(args=(arg,)):
            return arg
    return None


def statistic(
    reader: Reader, node: ast.Node, operator: str, size: str | None = None, said: str = ""
) -> t.Term | None:
    """The terms of E[x] / Var[x] over x's entries, or None where this rule does not read it
    (the caller refuses). ``size``: x's number of features where no declaration gives it (the
    prose names the layer, read/rules_norm_axis.py), ``said`` why it is over them."""
    if operator not in READ:
        return None
    arg = argument_of(node)
    if arg is None:
        return None
    if isinstance(arg, ast.Sup) and isinstance(arg.script, ast.Number):  # E[x^2] (RMSNorm)
        return mean_of_power(reader, node, operator, arg, size, said)
    parts = reader.symbol(arg, quiet=True)
    if parts is not None and parts.element is not None and is_component(arg):
        return over_the_batch(reader, node, arg, operator)
    if (  # E[x_i] of group i's x_i (group-arrays-words): the axis not said
        parts is not None
        and parts.node
        and not (parts.post or parts.step or parts.element)
        and reader.declared_vector_size(parts.key) is None
        and normalises(reader, node, parts.key)
    ):
        raise UnsaidAxis(arg)
    if parts is None or parts.post or parts.step or parts.node or parts.element:
        return None
    if parts.example or parts.edge or parts.head or parts.step_label:
        return None
    size = size or reader.declared_vector_size(parts.key)
    said = said or f"declared in R^{size}"
    if size is None and normalises(reader, node, parts.key):
        raise UnsaidAxis(arg)  # the axis not said: read/rules_norm_axis.py
    if size is None or not centred(reader, node, parts.key):
        return None
    letter = fresh_index(reader)
    span, x = node.span, parts.key
    tex = " ".join(reader.source.snippet(arg.span).split())  # x as written

    def say(term: t.Term, stands_for: str) -> t.Term:
        reader.out.write(term, stands_for)
        return term

    def entries() -> t.Term:
        return t.Elem(arg.span, reader.sym_term(parts), letter)

    def mean_of(body: t.Term, summand: str, word: str) -> t.Term:
        total = say(t.IndexSum(span, letter, size, body), f"\\sum_{{{letter}}} {summand}")
        count = say(t.SizeValue(span, size), size)
        return say(t.Div(span, total, count), f"\\mathrm{{{word}}}[{tex}]")

    if operator == "E":
        mean = mean_of(entries(), f"{tex}_{{{letter}}}", "E")
        reader.note(
            span,
            "mean over the features",
            f"E[{x}] of the vector {x} ({said}): the mean of its "
            f"{size} entries, (1/{size}) \\sum_{letter} {x}_{letter}, as layer "
            "normalisation means it (not an expectation over a distribution; over the examples "
            "of a batch, batch norm writes E[x^{(k)}])",
        )
        return mean
    deviation = say(
        t.Add(span, "-", entries(), mean_of(entries(), f"{tex}_{{{letter}}}", "E")),
        f"{tex}_{{{letter}}} - \\mathrm{{E}}[{tex}]",
    )
    squared = say(t.Power(span, deviation, 2.0), f"({tex}_{{{letter}}} - \\mathrm{{E}}[{tex}])^2")
    reader.note(
        span,
        "variance over the features",
        f"Var[{x}] of the vector {x} ({said}): the biased "
        f"variance of its {size} entries, (1/{size}) \\sum_{letter} ({x}_{letter} - "
        f"E[{x}])^2 (divided by {size}, not {size} - 1, as torch's LayerNorm)",
    )
    return mean_of(squared, f"({tex}_{{{letter}}} - \\mathrm{{E}}[{tex}])^2", "Var")


def mean_of_power(
    reader: Reader, node: ast.Node, operator: str, arg: ast.Sup, given: str | None, said: str
) -> t.Term | None:
    """Rule ``mean-of-squares``: ``E[x^2]`` in ``x / \\sqrt{E[x^2] + \\epsilon}`` (RMSNorm), x
    declared a vector ``x \\in \\mathbb{R}^{C}``: the mean of the squares of x's C entries,
    (1/C) \\sum_i x_i^2, as the mean over the features reads E[x]; x declared nowhere is
    read over an axis the source does not say (read/rules_norm_axis.py)."""
    base = reader.symbol(arg.base, quiet=True)
    exponent = arg.script.text if isinstance(arg.script, ast.Number) else ""
    if operator != "E" or base is None or not exponent.isdigit():
        return None
    if base.post or base.step or base.node or base.element or base.example or base.edge:
        return None
    if base.head or base.step_label or not normalises(reader, node, base.key):
        return None
    size = given or reader.declared_vector_size(base.key)
    if size is None:
        raise UnsaidAxis(arg)  # the axis not said: read/rules_norm_axis.py
    letter = fresh_index(reader)
    span, x = node.span, base.key
    tex = " ".join(reader.source.snippet(arg.base.span).split())
    power = t.Power(span, t.Elem(arg.base.span, reader.sym_term(base), letter), float(exponent))
    reader.out.write(power, f"{tex}_{{{letter}}}^{exponent}")
    total = t.IndexSum(span, letter, size, power)
    reader.out.write(total, f"\\sum_{{{letter}}} {tex}_{{{letter}}}^{exponent}")
    count = t.SizeValue(span, size)
    reader.out.write(count, size)
    mean = t.Div(span, total, count)
    reader.out.write(mean, f"\\mathrm{{E}}[{tex}^{exponent}]")
    reader.note(
        span,
        "mean over the features",
        f"E[{x}^{exponent}] of the vector {x} ({said or f'declared in R^{size}'}), by which "
        "the equation "
        f"normalises {x}: the mean of its {size} entries' powers, (1/{size}) \\sum_{letter} "
        f"{x}_{letter}^{exponent}, as RMS normalisation means it",
    )
    return mean


def normalises(reader: Reader, node: ast.Node, key: str) -> bool:
    """Does the equation holding ``node`` normalise x (``key``) by it: ``x - E[x]``, or x over a
    fraction whose denominator holds the statistic (``x / \\sqrt{E[x^2] + \\epsilon}``)?"""
    if centred(reader, node, key):
        return True
    for statement in reader.statements:
        if not (statement.span.start <= node.span.start < statement.span.end):
            continue
        for sub in iter_nodes([statement]):
            if not isinstance(sub, ast.Frac):
                continue
            if not (sub.den.span.start <= node.span.start < sub.den.span.end):
                continue
            for top in ast.walk(sub.num):
                parts = reader.symbol(top, quiet=True) if isinstance(top, ast.Letter) else None
                if parts is not None and parts.key == key:
                    return True
    return False


def axis_not_said(reader: Reader, node: ast.Node, operator: str, arg: ast.Node) -> Exception:
    """Rule ``norm-axis-not-said``: ``y = \\frac{x - E[x]}{\\sqrt{Var[x] + \\epsilon}}
    \\gamma + \\beta`` with x declared, but not as one vector (``x \\in \\mathbb{R}^{N \\times
    C}``). The same formula is layer, batch, instance and group normalisation (MLX documents all
    four with it); only which axis the mean runs over tells them apart, and where the source
    does not say it, papermath does not guess (x declared nowhere: read/rules_norm_axis.py)."""
    tex = " ".join(reader.source.snippet(node.span).split())
    x = " ".join(reader.source.snippet(arg.span).split())
    word = "a mean" if operator == "E" else "a variance"
    return reader.error(
        f"the equation normalises {x} by {tex}, {word}, but the source does not say over "
        "which axis: "
        "the features of one example (layer norm), the examples of the batch (batch norm), "
        "the positions of one channel (instance norm) or a group of features (group norm); "
        "papermath does not guess",
        node.span,
        hint=f"declare {x} as one example's vector of features, as x \\in \\mathbb{{R}}^{{C}}, "
        "for the mean over its C features (layer norm), and a scale or shift per feature as "
        "\\gamma \\in \\mathbb{R}^{C}; batch norm writes E[x^{(k)}] for feature k's mean over "
        "the batch",
    )


def is_component(arg: ast.Node) -> bool:
    """``x^{(k)}``: a symbol with a letter in parentheses as its superscript."""
    return (
        isinstance(arg, ast.Sup)
        and isinstance(arg.script, ast.Paren)
        and isinstance(arg.script.body, ast.Letter)
    )


def over_the_batch(
    reader: Reader, node: ast.Node, arg: ast.Node, operator: str, named: str = ""
) -> t.Term | None:
    """Rule ``mean-over-batch``: ``\\mathrm{E}[x^{(k)}]`` with k a component of x (rules_units,
    batch norm): the mean of dimension k over the m examples of the mini-batch, and
    ``\\mathrm{Var}[x^{(k)}]`` their biased variance (Ioffe & Szegedy's Algorithm 1 divides by
    m). Read as sums over the batch (``batchsum``) divided by the batch's size (``count``),
    terms that exist; only where the equation normalises x (``x^{(k)} - E[x^{(k)}]``).
    ``named``: the layer's name, batch norm, where the source names it instead of writing the
    component (read/rules_norm_axis.py): E[x] then for each feature of x, whatever x's shape."""
    parts = reader.symbol(arg, quiet=True)
    assert parts is not None
    if parts.post or parts.step or parts.node or parts.example or parts.edge or parts.head:
        return None
    declared = named or reader.declared_vector_size(parts.key)
    if declared is None or not centred(reader, node, parts.key):
        return None
    span, x = node.span, parts.key
    tex = " ".join(reader.source.snippet(arg.span).split())
    count_name = next(n for n in ("m", "m_B", "n_batch") if n not in reader.size_names)
    index = next(n for n in ("i", "b", "s") if n not in reader.out.indices)
    reader.out.batch_counts.add(count_name)

    def say(term: t.Term, stands_for: str) -> t.Term:
        reader.out.write(term, stands_for)
        return term

    def mean_of(body: t.Term, summand: str, word: str) -> t.Term:
        total = say(
            t.BatchSum(span, index, count_name, body),
            f"\\sum_{{{index}=1}}^{{{count_name}}} {summand}",
        )
        count = say(t.SizeValue(span, count_name), count_name)
        return say(t.Div(span, total, count), f"\\mathrm{{{word}}}[{tex}]")

    def entry() -> t.Term:
        return reader.sym_term(parts)

    how = (
        f"over the {count_name} examples {index} of the mini-batch, for each dimension "
        f"{parts.element} (one value per dimension, the same for every example; "
        f"{count_name} is the batch's size when it runs)"
    )
    of = f"{x}^({parts.element})"
    if named:
        of = x
        how = (
            f"over the {count_name} examples {index} of the mini-batch, for each entry of {x} "
            f"(one value per feature, the same for every example; {count_name} is the batch's "
            f"size when it runs): the source names the layer, {named}"
        )
    if operator == "E":
        reader.note(span, "mean over the batch", f"E[{tex}]: the mean of {of} {how}")
        return mean_of(entry(), tex, "E")
    deviation = say(
        t.Add(span, "-", entry(), mean_of(entry(), tex, "E")), f"{tex} - \\mathrm{{E}}[{tex}]"
    )
    squared = say(t.Power(span, deviation, 2.0), f"({tex} - \\mathrm{{E}}[{tex}])^2")
    reader.note(
        span,
        "variance over the batch",
        f"Var[{tex}]: the biased variance of {of} {how}; divided by "
        f"{count_name}, not {count_name} - 1, as Algorithm 1 of the paper",
    )
    return mean_of(squared, f"({tex} - \\mathrm{{E}}[{tex}])^2", "Var")


def centred(reader: Reader, node: ast.Node, key: str) -> bool:
    """Does the equation holding ``node`` subtract x's own mean from x (``x - E[x]``, a
    normalisation)? That context fixes the axis; a bare E[x] stays an expectation."""
    for statement in reader.statements:
        if not (statement.span.start <= node.span.start < statement.span.end):
            continue
        for sub in iter_nodes([statement]):
            if not (isinstance(sub, ast.BinOp) and sub.op == "-"):
                continue
            mean = argument_of(sub.right) if statistic_of(sub.right) == "E" else None
            if mean is None:
                continue
            left, inner = reader.symbol(sub.left, quiet=True), reader.symbol(mean, quiet=True)
            if left is not None and inner is not None and left.key == inner.key == key:
                return True
    return False


def fresh_index(reader: Reader) -> str:
    """An entry index letter the source does not use."""
    used = set(reader.out.indices) | set(reader.out.first_span) | reader.size_names
    for letter in ("i", "j", "k", "l", "p", "q"):
        if letter not in used:
            return letter
    raise reader.error("no free index letter for a mean", Span(0, 0))

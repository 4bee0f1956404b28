r"""Notation rule ``mean-over-unsaid-axis``: a normalisation whose mean (or variance, or mean of
squares) the source writes without saying over which axis it runs, as MLX documents its
LayerNorm, BatchNorm, InstanceNorm, GroupNorm and RMSNorm, all with one formula:

    y = \frac{x - E[x]}{\sqrt{Var[x] + \epsilon}} \gamma + \beta
    y = \frac{x}{\sqrt{E[x^2] + \epsilon}} \gamma

with x declared nowhere. Layer norm takes the mean over the features of one example, batch
norm over the examples of the batch (one mean per feature), instance norm over the positions of
one channel, group norm over a group of features: the formula is the same and only the axis
tells them apart. Whichever it is, the statistic is broadcast back over x, so ``x - E[x]``,
``x / \sqrt{E[x^2] + \epsilon}`` and every symbol the equation names have the shapes they
have under any of the four: papermath reads the statistic for shapes, kinds, explain and the
diagram as "a value of x's shape, a mean over an axis the source does not say", and says so in
the readings. Generated code (``code``, ``check``) and the printed gradients need the axis and
are refused at the statistic, with a hint that names what answers it: a declaration of x as
one example's features (``% x \in \mathbb{R}^{C}``: the mean over its C features, layer norm,
read/rules_stats.py), or batch norm's ``E[x^{(k)}]`` (the mean of feature k over the batch).

Rule ``norm-named``: where the source names the layer, and only layer (or RMS) normalisation
(``Applies layer normalization``, ``LayerNorm``, ``RMSNorm``; no batch, instance or group norm
named beside it), the name says the axis: the statistic is read over the features of one
example, as read/rules_stats.py reads it for a declared vector (x's number of features the one
size of the vectors the equation declares, the per-feature scale and shift, else a new name);
where it names batch normalisation alone, over the examples of the mini-batch, one value per
feature (read/rules_stats.py's ``mean-over-batch``). Code is then generated.

Read only where the equation normalises x by the statistic (``x - E[x]``, or x over a
denominator that holds it: read/rules_stats.py's ``normalises``); a bare ``E[x]`` stays an
expectation and is refused.

Examples that read (each a whole source)::

    y = \frac{x - E[x]}{\sqrt{Var[x] + \epsilon}} \gamma + \beta
    y = \frac{x}{\sqrt{E[x^2] + \epsilon}} \gamma

and, with the layer named (a whole source of two lines)::

    Applies layer normalization:
    $$y = \frac{x - E[x]}{\sqrt{Var[x] + \epsilon}} \odot \gamma$$
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast, prose_stats
from ..parse.input_axes import batch_sizes
from ..source import Span
from . import terms as t
from .functions import UNSAID

if TYPE_CHECKING:
    from .reader import Reader

__all__ = ["UNSAID", "in_denominator", "refuse_code", "statistic"]


_WORD = {"E": "mean", "Var": "variance"}


def statistic(reader: Reader, node: ast.Node, operator: str, arg: ast.Node) -> t.Term:
    """``E[x]``, ``Var[x]`` or ``E[x^2]`` (``arg`` the bracket's content) of an x the source
    declares nowhere, in an equation that normalises x by it: a value of the argument's shape
    (the statistic broadcast back over x), code refused (:func:`refuse_code`)."""
    from . import rules_stats
    from .rules_axis_stats import declared_axes

    tex = " ".join(reader.source.snippet(node.span).split())
    base = arg.base if isinstance(arg, ast.Sup) else arg
    parts = reader.symbol(base, quiet=True)
    axes = declared_axes(reader, parts.key) if parts is not None else None
    is_batch = axes is not None and len(axes) >= 2 and axes[0] in batch_sizes(reader.source.text)
    if parts is None or (axes is not None and not is_batch):
        # X \in \mathbb{R}^{B \times C}: declared, but not one vector: which axis?
        raise rules_stats.axis_not_said(reader, node, operator, base)
    if is_batch and axes is not None:  # x a batch (N x C, the prose says N is the batch)
        return _over_a_batch(reader, node, operator, arg, tex, axes)
    if (layer := _named_layer(reader.source.text)) is not None:
        size = _scale_size(reader, node, parts.key) or _fresh_size(reader)
        words = f"one example's {size} features: the source names the layer, {layer}"
        read = rules_stats.statistic(reader, node, operator, size=size, said=words)
        if read is not None:
            return read
    batch = _named_batch(reader.source.text)
    if batch is not None and not isinstance(arg, ast.Sup):
        read = rules_stats.over_the_batch(reader, node, arg, operator, named=batch)
        if read is not None:
            return read
    if (said := _INPUT_AXES.search(reader.source.text)) is not None:
        raise _input_axes(reader, said, tex, _argument(reader, arg))
    return _unsaid(reader, node, operator, arg, tex)


def _over_a_batch(
    reader: Reader, node: ast.Node, operator: str, arg: ast.Node, tex: str, axes: list[str | None]
) -> t.Term:
    r"""Rule ``norm-named`` for a declared batch (``x \in \mathbb{R}^{N \times C}``, the prose
    says N is the batch): layer (or RMS) normalisation named, the statistic of each row (one
    example's C features); batch normalisation named, of each column (a feature over the N
    examples), read/rules_axis_stats.py's rule; no layer named, over an axis not said."""
    from .rules_axis_stats import over_axis

    layer, batch = _named_layer(reader.source.text), _named_batch(reader.source.text)
    rows, cols = axes[0], axes[-1]
    if len(axes) == 2 and rows and cols and (layer or batch) and not isinstance(arg, ast.Sup):
        axis = cols if layer else rows
        read = over_axis(reader, node, operator, arg, tex, [rows, cols], axis)
        reader.note(
            node.span,
            "the layer named says the axis",
            f"the source names the layer, {layer or batch}: {tex} over "
            + (f"each example's {cols} features" if layer else f"the {rows} examples of the batch"),
        )
        return read
    return _unsaid(reader, node, operator, arg, tex, (str(rows), str(cols)))


def _unsaid(
    reader: Reader,
    node: ast.Node,
    operator: str,
    arg: ast.Node,
    tex: str,
    batch: tuple[str, str] | None = None,
) -> t.Term:
    """The statistic over an axis the source does not say (see the module): read with its
    argument's shape, code refused. ``batch``: the axes of a declared batch (N, C), if any."""
    word = _WORD.get(operator, "statistic")
    if isinstance(arg, ast.Sup):
        word = "mean of the powers"
    x = _argument(reader, arg)
    directive, of = _directive(reader, arg), ""
    if batch is not None:
        directive = refuse_code(tex, node.span, batch)[1].removeprefix("say it in the source: ")
        of = f" ({x} is a batch, {batch[0]} x {batch[1]})"
    reader.note(
        node.span,
        f"{word} over an axis the source does not say",
        f"{tex} normalises the value in it{of}, but the source does not say over which axis: the "
        "features of one example (layer norm), the examples of the batch (batch norm), the "
        "positions of one channel (instance norm) or a group of features (group norm). Under "
        f"any of them {tex} is broadcast back over its argument, so it is read with its "
        "argument's shape, and every symbol's shape holds for all four; code needs the axis "
        f"({directive})",
    )
    term = t.Apply(node.span, UNSAID, (reader.term(arg),))
    reader.out.unnamed[id(term)] = (tex, node.span)
    return term


# "The input shape is specified as ``NC`` or ``NLC``, where ``N`` is the batch" (MLX)
_INPUT_AXES = re.compile(
    r"input\s+shape\s+is\s+(?:specified\s+as\s+|given\s+as\s+)?``([A-Za-z]+)``", re.IGNORECASE
)


def _input_axes(reader: Reader, said: re.Match[str], tex: str, x: str) -> Exception:
    """Rule ``input-axes-in-prose``: the prose gives the input's shape by its axes' letters
    (``NC``, N the batch): x is then the whole batch, not one example's features, and which of
    its axes the statistic runs over the source does not say (MLX's BatchNorm)."""
    letters = said.group(1)
    return reader.error(
        f"the prose gives the input's shape as ``{letters}``, by the letters of its axes (the "
        f"batch among them), which papermath does not read; and the equation normalises {x} by "
        f"{tex} without saying over which of those axes it runs (the batch: batch norm; the "
        "features: layer norm)",
        Span(said.start(1), said.end(1)),
        hint=f"name the layer in the text (batch normalization: the mean over the batch; layer "
        f"normalization: over the features); or write one example's features, {x} \\in "
        f"\\mathbb{{R}}^{{C}}, and for batch norm the mean of feature k over the batch, "
        f"E[{x}^{{(k)}}] and Var[{x}^{{(k)}}]",
    )


def _named_layer(text: str) -> str | None:
    """Rule ``norm-named``: the source names the layer, and the layer's name says the axis:
    layer normalisation and RMS normalisation take their statistics over the features of one
    example (Ba et al.; Zhang & Sennrich). The name as written, or None where no such name is
    written, or another normalisation is named too (a text comparing them says nothing of
    this formula's axis): parse/prose_stats.py's ``named_axis``."""
    named = prose_stats.named_axis(text)
    return named[1] if named is not None and named[0] == "features" else None


def _named_batch(text: str) -> str | None:
    """Rule ``norm-named`` for batch normalisation (Ioffe & Szegedy): its statistics run over
    the examples of the mini-batch, one per feature. The name as written, or None where it is
    not written, or another normalisation is named too."""
    named = prose_stats.named_axis(text)
    return named[1] if named is not None and named[0] == "batch" else None


def _scale_size(reader: Reader, node: ast.Node, x: str) -> str | None:
    """The one size of the vectors the equation holding ``node`` declares besides x (the
    scale and shift, one per feature of x: ``\\gamma \\in \\mathbb{R}^{C}``), else None."""
    for statement in reader.statements:
        if not (statement.span.start <= node.span.start < statement.span.end):
            continue
        sizes = set()
        for sub in ast.walk(statement):
            parts = reader.symbol(sub, quiet=True) if isinstance(sub, ast.Letter) else None
            if parts is not None and parts.key != x:
                size = reader.declared_vector_size(parts.key)
                if size is not None:
                    sizes.add(size)
        return sizes.pop() if len(sizes) == 1 else None
    return None


def _fresh_size(reader: Reader) -> str:
    """A name for x's number of features that the source does not use for anything else."""
    used = set(reader.size_names) | set(reader.out.first_span) | set(reader.out.indices)
    return next((n for n in ("C", "D", "H", "F", "d") if n not in used), "n_features")


def _argument(reader: Reader, arg: ast.Node) -> str:
    base = arg.base if isinstance(arg, ast.Sup) else arg
    return " ".join(reader.source.snippet(base.span).split())


def _directive(reader: Reader, arg: ast.Node) -> str:
    x = _argument(reader, arg)
    return (
        "the layer named (layer normalization, batch normalization) says it; or "
        f"`% {x} \\in \\mathbb{{R}}^{{C}}` declares {x} one example's C features: the mean over "
        f"them, layer norm; batch norm writes E[{x}^{{(k)}}], feature k's mean over the batch"
    )


def refuse_code(written: str, span: Span, axes: tuple[str, ...] = ()) -> tuple[str, str]:
    """The message and hint of the refusal of code for a statistic over an unsaid axis
    (ir/lower.py raises it at the statistic); ``axes``: the sizes of its argument where it is
    a declared batch (N x C), whose axis the hint says how to write."""
    base = written
    if "[" in written and written.endswith("]"):
        base = written[written.index("[") + 1 : -1]
    base = base.split("^")[0].strip()
    message = (
        f"{written}: a statistic over an axis the source does not say (the features of one "
        "example, the batch, one channel's positions, a group of features): code needs to know "
        "which"
    )
    if len(axes) == 2:  # x \in R^{N x C}: the axis under the E, or the layer named
        n, c = axes
        return message, (
            f"say it in the source: name the layer (layer normalization: each example's {c} "
            f"features; batch normalization: the {n} examples), or write the axis under the "
            f"statistic, \\underset{{{c}}}{{\\mathbb{{E}}}}[{base}] (each row's mean) or "
            f"\\underset{{{n}}}{{\\mathbb{{E}}}}[{base}] (each feature's over the batch)"
        )
    return (
        message,
        f"say it in the source: name the layer (layer normalization, batch normalization), or "
        f"`% {base} \\in \\mathbb{{R}}^{{C}}` declares {base} one "
        f"example's C features, for the mean over them (layer norm); batch norm writes "
        f"E[{base}^{{(k)}}] for feature k's mean over the batch (instance and group norm are "
        "not generated)",
    )


def in_denominator(term: t.Term) -> bool:
    """Does ``term`` (a denominator) hold a statistic over an unsaid axis, or over the batch?
    Its shape is its argument's, so the denominator waits for x's shape before it may default
    to a scalar (shapes/infer.py's rule_div): ``\\sqrt{Var[x] + \\epsilon}`` is not a scalar
    because it is a denominator."""
    return any(
        (isinstance(x, t.Apply) and x.fn == UNSAID) or isinstance(x, t.BatchSum)
        for x in t.walk(term)
    )

r"""Notation rule ``mean-count``: the N of a mean written ``\frac{1}{N} \sum_i L_i``, where the
sum runs over the examples (or nodes) and nothing declares N, is the number of terms the sum
runs over, not a learned scalar.

What people write: CS231n's full softmax loss, ``L = \frac{1}{N} \sum_i L_i + \lambda R(W)``
("the average loss over the N training examples"), with no bound on the sum and no
declaration of N. How papermath reads it: N is a size, the count of the values the sum over
i adds (the examples of the batch, one L_i each), a number in the formula: in generated code
the number of examples the batch has when it runs (``m`` of batch norm's 1/m is read so,
read/rules_stats.py); where the sum runs over nodes (the examples read as the nodes of a
graph, several graphs to a batch), N is a size whose number is given (``N=4``). The readings
say so. Only where
the sum's index runs over the examples or nodes (the reader's node index, as i of x_i in
CS231n), its upper bound is not written or is N, and N is a single letter no equation
defines and nothing else uses. A mean over the entries of a vector (``\frac{1}{n} \sum_j
x_j``) is another size (the vector's) and is not read here.

Example (reads: N the number of examples, no parameter)::

    f(x_i, W) = W x_i, L_i = -\log\left(\frac{e^{f_{y_i}}}{\sum_j e^{f_j}}\right),
    L = \frac{1}{N} \sum_i L_i, x_i \in \mathbb{R}^{D}, W \in \mathbb{R}^{K \times D}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from .syntax import iter_nodes

if TYPE_CHECKING:
    from .reader import Reader


def _index(sub: ast.Node | None) -> str | None:
    """``i`` of ``\\sum_i`` or ``\\sum_{i=1}``; None otherwise."""
    if isinstance(sub, ast.Letter):
        return sub.name
    if isinstance(sub, ast.BinOp) and isinstance(sub.left, ast.Letter):
        return sub.left.name
    return None


def counts(reader: Reader, statements: list[ast.Statement]) -> None:
    """Each N of ``\\frac{1}{N} \\sum_i ...`` over the examples: a size, counted (see the
    module)."""
    nodes = list(iter_nodes(statements))
    letters: dict[str, int] = {}
    for node in nodes:
        if isinstance(node, ast.Letter):
            letters[node.name] = letters.get(node.name, 0) + 1
    for node in nodes:
        if not (isinstance(node, ast.Juxt) and isinstance(node.left, ast.Frac)):
            continue
        frac, big = node.left, node.right
        if not (isinstance(big, ast.BigOp) and big.op == "sum"):
            continue
        if not (isinstance(frac.num, ast.Number) and frac.num.text == "1"):
            continue
        den = frac.den
        if isinstance(den, ast.Brace) and len(den.items) == 1:
            den = den.items[0]
        if not (isinstance(den, ast.Letter) and len(den.name) == 1):
            continue
        key = den.name
        letter = _index(big.sub)
        info = reader.out.indices.get(letter) if letter else None
        if info is None or info.kind not in ("node", "batch"):
            continue
        if big.sup is not None and not (isinstance(big.sup, ast.Letter) and big.sup.name == key):
            continue
        if key in reader.size_names or key in reader.known_values or key in reader.out.indices:
            continue
        if letters.get(key, 0) != 1 or key in reader.out.directives:
            continue  # N written elsewhere: another role
        reader.size_names.add(key)
        if info.kind == "batch":  # the examples of a batch: counted when it runs
            reader.out.batch_counts.add(key)
        # over the nodes (examples read as the nodes of a graph, several graphs to a batch):
        # N is a size, its number given (``N=4``), the same for every graph
        reader.note(
            den.span,
            f"the number {key} of terms the sum over {letter} adds",
            f"{key} is declared nowhere and written only under the 1 of a mean over the "
            f"{'examples' if info.kind == 'batch' else 'examples (nodes)'} {letter}: the count "
            f"of the values the sum adds (a mean), a size and a number in the formula, not a "
            f"learned scalar; in code, "
            + (
                "the number the batch has when it runs"
                if info.kind == "batch"
                else f"the number given for {key} (the same for every graph of a batch)"
            ),
        )

r"""Notation rule ``row-times-transposed-row``: in a product that starts with a row times a
matrix (``x W``, a lowercase vector before a capital letter: the source writes its vectors as
rows), a vector written transposed after it is a column, and the product is the dot product of
two rows: a number (the bilinear form of row vectors; Lil'Log's relative position score
``\mathbf{x}_i\mathbf{W}^q {\mathbf{W}^k}^\top\mathbf{x}_j^\top``, Shaw et al. 2018).

What people write::

    e = x W y^\top, x \in \mathbb{R}^{n}, y \in \mathbb{R}^{m}
    e = x W V^\top y^\top

How papermath reads it: ``x W`` is a row times a matrix (shapes/infer.py's ``vecmat``, by the
lowercase letter before the capital); the transpose of a row is a column, so ``(x W) y^\top``
is the dot product of the row ``x W`` and the row ``y``: a number, and the two rows have one
size (``e = x W y^\top`` reads e a number, W n x m). Read only where the left side IS such a
row (a product already read as a row times a matrix) and the right side is a lowercase letter
written transposed, open or a vector; a column times a transposed vector (``f c^\top``, with
no matrix before it) stays the outer product. Before this rule the row ``x W`` times the
``1 x m`` row ``y^\top`` was read by making the row's size 1 (W n x 1): a size the source
never gives.

Rule ``rows-by-convention``: where the source writes its vectors as rows somewhere (a
lowercase vector, or a sum of such, before a capital letter: ``q = x W``,
``(\mathbf{x}_i + \mathbf{p}_i)\mathbf{W}^q``; a chain's other sides count, since the source
is one text), ``q k^\top`` of two lowercase vectors is their dot product, a number: Lil'Log's
``a_{ij} = \mathbf{q}_i {\mathbf{k}_j}^\top``. In a source that writes ``W x`` (columns),
``f c^\top`` stays the outer product. A transposed row that is itself a row times a matrix
(``((x_j + p_j) W^k)^\top``, read/rules_row_chain.py) is a column too, and a sum of lowercase
vectors before a matrix (``(x + p) W``) is a row as one lowercase letter is.

Examples that read::

    s = q k^\top, q = x W, k = z V          (s a number)
    a = (x + p) W^q ((y + r) W^k)^\top, x, p, y, r \in \mathbb{R}^{d}
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import PapermathError
from ..parse import ast
from ..read import terms as t
from .engine import Stuck

if TYPE_CHECKING:
    from .infer import Inference

READING = "dot"


def row_times_transposed(inf: Inference, p: t.Product) -> bool:
    """Read ``(x W) y^T`` as the dot product of the row ``x W`` and the row ``y`` (True);
    False where the rule does not apply."""
    if p.written != "juxt" or not isinstance(p.right, t.Transpose):
        return False
    if not isinstance(p.left, t.Product) or inf.decided.get(id(p.left)) != "vecmat":
        return False
    row, body = inf.shape(p.left), p.right.body
    if row is None or len(row) != 1:
        return False
    if isinstance(body, t.Product) and body.written == "juxt":
        # ((y + r) V)^T: a row times a matrix, transposed (read/rules_row_chain.py)
        if inf.decided.get(id(body)) is None and inf.scaled_letter(body.left) is not None:
            raise Stuck  # wait for the row to be read
        if inf.decided.get(id(body)) != "vecmat":
            return False
    elif not isinstance(body, t.Sym):
        return False
    elif not body.key[:1].islower() or inf.rank(body) not in (None, 1):
        return False  # an open capital (W^T) may be a matrix: not this rule
    if inf.rank(body) is None:
        inf.bind(body, (inf.engine.fresh_size(),), p, "", "")
    inf.unify(
        p.left,
        body,
        p,
        f"the dot product of the rows {inf.snip(p.left)} and {inf.snip(body)}",
        "two rows multiplied as x y^T have one size; check the declarations of both",
    )
    inf.bind(p, (), p, "", "")
    inf.decided[id(p)] = READING
    inf.reasons[id(p)] = (
        f"{inf.snip(p.left)} is a row (a row times a matrix) and {inf.snip(p.right)} a row "
        "transposed, a column: their dot product, a number"
    )
    return True


def sum_letter(inf: Inference, term: t.Add) -> str | None:
    """The letter of a sum of lowercase vectors written with one letter each (``x_i + p_i``:
    x), as the convention on a lowercase letter before a matrix reads it (``(x_i + p_i) W``: a
    row times a matrix); None where a summand is anything else."""
    letters = []
    for side in (term.left, term.right):
        letter = sum_letter(inf, side) if isinstance(side, t.Add) else inf.scaled_letter(side)
        if letter is None or len(letter) != 1 or not ("a" <= letter <= "z"):
            return None
        letters.append(letter)
    return letters[0]


def _letter(node: ast.Node) -> str | None:
    """The letter of a symbol as written: ``\\mathbf{x}_i`` -> x, ``{\\mathbf{W}^k}`` -> W."""
    match node:
        case ast.Letter(name=name):
            return name
        case ast.Font(body=body) | ast.Sub(base=body) | ast.Sup(base=body):
            return _letter(body)
        case ast.Brace(items=(body,)):
            return _letter(body)
    return None


def _lower(node: ast.Node) -> bool:
    """A lowercase Latin vector, or a parenthesised sum of such (``(\\mathbf{x}_i +
    \\mathbf{p}_i)``)."""
    match node:
        case ast.Paren(body=body) | ast.Brace(items=(body,)):
            return _lower(body)
        case ast.BinOp(op="+", left=left, right=right):
            return _lower(left) and _lower(right)
        case ast.Sup(script=ast.Mark(mark="transpose") | ast.Letter(name="T")):
            return False  # x^\top W: a column transposed (the source writes columns)
    name = _letter(node)
    return name is not None and len(name) == 1 and "a" <= name <= "z"


@lru_cache(maxsize=16)
def _rows_in(text: str) -> bool:
    from ..parse import parse

    try:
        statements = parse(text)
    except PapermathError:
        return False
    for node in (n for s in statements for n in ast.walk(s)):
        if isinstance(node, ast.Juxt) and _lower(node.left):
            name = _letter(node.right)
            if name is not None and len(name) == 1 and "A" <= name <= "Z":
                return True
    return False


def _rows_written(inf: Inference) -> bool:
    """Does the source write its vectors as rows: somewhere (a side of a chain included) a
    lowercase vector, or a sum of such, before a capital letter (``x W``,
    ``(\\mathbf{x}_i + \\mathbf{p}_i)\\mathbf{W}^q``)?"""
    return _rows_in(inf.source.text)


def rows_by_convention(inf: Inference, p: t.Product) -> bool:
    """``q k^\\top`` of two lowercase vectors where the source writes its vectors as rows
    (``x W`` elsewhere): the dot product of the rows q and k, a number (True); False where
    the rule does not apply (a column times a transposed vector, ``f c^\\top`` in a source
    that writes ``W x``, stays the outer product)."""
    if p.written != "juxt" or not isinstance(p.right, t.Transpose):
        return False
    left, body = p.left, p.right.body
    if not (isinstance(left, t.Sym) and isinstance(body, t.Sym)):
        return False
    if not (left.key[:1].islower() and body.key[:1].islower()):
        return False
    if inf.rank(left) not in (None, 1) or inf.rank(body) not in (None, 1):
        return False
    if not _rows_written(inf):
        return False
    for side in (left, body):
        if inf.rank(side) is None:
            inf.bind(side, (inf.engine.fresh_size(),), p, "", "")
    inf.unify(
        left,
        body,
        p,
        f"the dot product of the rows {inf.snip(left)} and {inf.snip(body)}",
        "two rows multiplied as x y^T have one size; check the declarations of both",
    )
    inf.bind(p, (), p, "", "")
    inf.decided[id(p)] = READING
    inf.reasons[id(p)] = (
        f"the source writes its vectors as rows (a lowercase vector before a matrix, x W), so "
        f"{inf.snip(left)} is a row and {inf.snip(p.right)} a row transposed, a column: their "
        "dot product, a number"
    )
    return True

r"""Notation rule ``sinusoidal-encoding``: the even and odd entries of one vector, each a sine or
cosine of a position divided by a power of a base, as Vaswani et al. (2017, sec. 3.5) write the
positional encoding::

    PE_{(pos,2i)} = sin(pos / 10000^{2i/d_{model}})
    PE_{(pos,2i+1)} = cos(pos / 10000^{2i/d_{model}})

What it says: ``PE_{(pos, j)}`` is the entry j of the encoding of the position ``pos``; the
first line gives the even entries (j = 2i), the second the odd ones (j = 2i+1), so the two
lines define ONE vector, not one symbol twice. The index i is used as a number (in the
exponent ``2i/d_{model}``), and so is the position (divided by the power).

How papermath reads it: the two lines together as ``PE = \mathrm{sinusoid}(pos)``, the
primitive ``sinusoid`` (ops/positions.py): a vector of the size d written in the exponent,
entry 2i ``\sin(pos / base^{2i/d})``, entry 2i+1 ``\cos(pos / base^{2i/d})``. ``pos`` is data,
one number per example (the position; for the positions 0, ..., L-1 the rows are the table
transformer code precomputes); ``PE_{pos}`` in a declaration (``PE_{pos} \in
\mathbb{R}^{d_{model}}``) declares the encoding, whose size must then be the exponent's. The
readings say so.

Read only where both lines are there, with one name on the left (letters, or a roman name),
the same position and the same index letter in ``(pos, 2i)`` and ``(pos, 2i+1)``, ``sin`` on
the even line and ``cos`` on the odd one, and the same ``pos / base^{2i/d}`` (or
``\frac{pos}{base^{2i/d}}``, ``\frac{2i}{d}``) in both. Anything else written with ``(pos,
2i)`` stays refused ("the entries at the even (2i) and odd (2i+1) indices").

The same encoding written by cases on the parity of one index (the UvA notebooks),
``PE_{(pos,i)} = \begin{cases} \sin(\frac{pos}{10000^{i/d}}) & \text{if } i \text{ mod } 2=0 \\
\cos(\frac{pos}{10000^{(i-1)/d}}) & \text{otherwise} \end{cases}`` (the block rewritten to a
call by parse/parity_cases.py), is read the same way: the entries 2k and 2k+1 share one angle.
Other values under those two conditions are refused at the block.

Example that reads: ``PE_{(pos,2i)} = \sin(pos / 10000^{2i/d})`` beside
``PE_{(pos,2i+1)} = \cos(pos / 10000^{2i/d})``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..parse import ast, parity_cases
from ..source import Span
from . import terms as t
from .syntax import size_text

if TYPE_CHECKING:
    from .reader import Reader


@dataclass(frozen=True)
class Encoding(ast.Node):
    """The two lines read as one: the position ``arg`` encoded as a vector of size ``size``."""

    arg: ast.Node
    size: ast.Node
    base: float
    index: str  # the letter i of 2i, 2i+1
    written: str = ""  # the block by cases as written, one line (what typesets it back)


def _letters(node: ast.Node) -> str | None:
    """``pos`` (italic letters side by side), ``\\mathrm{pos}``, ``p``: the name; else None."""
    match node:
        case ast.Letter(name=name) if len(name) == 1:
            return name
        case ast.Text(content=content) if content.isalpha():
            return content
        case ast.Font(body=body):
            return _letters(body)
        case ast.Juxt(left=left, right=right):
            a, b = _letters(left), _letters(right)
            return a + b if a and b else None
    return None


def _left(node: ast.Node) -> tuple[str, Span, ast.Node] | None:
    """``PE_{script}`` -> (the name, its span, the script); else None."""
    match node:
        case ast.Sub(base=base, script=script):
            name = _letters(base)
            return (name, base.span, script) if name else None
        case ast.Juxt(left=left, right=ast.Sub(base=base, script=script) as sub):
            head, last = _letters(left), _letters(base)
            if head and last:
                return head + last, Span(left.span.start, sub.base.span.end), script
    return None


def _parity(script: ast.Node) -> tuple[ast.Node, str, int] | None:
    """``(pos, 2i)`` -> (pos, "i", 0); ``(pos, 2i+1)`` -> (pos, "i", 1); else None."""
    body = script.body if isinstance(script, ast.Paren) else None
    if not (isinstance(body, ast.ScriptList) and len(body.items) == 2):
        return None
    pos, entry = body.items
    odd = 0
    if isinstance(entry, ast.BinOp) and entry.op == "+" and _number(entry.right) == 1.0:
        entry, odd = entry.left, 1
    letter = _twice(entry)
    return (pos, letter, odd) if letter is not None else None


def _number(node: ast.Node) -> float | None:
    if isinstance(node, ast.Number):
        try:
            return float(node.text)
        except ValueError:
            return None
    return None


def _twice(node: ast.Node) -> str | None:
    """``2i`` -> "i"."""
    if (
        isinstance(node, ast.Juxt)
        and _number(node.left) == 2.0
        and isinstance(node.right, ast.Letter)
        and len(node.right.name) == 1
    ):
        return node.right.name
    return None


def _ratio(node: ast.Node) -> tuple[ast.Node, ast.Node] | None:
    """``a / b`` or ``\\frac{a}{b}`` -> (a, b)."""
    while isinstance(node, ast.Brace) and len(node.items) == 1:
        node = node.items[0]
    if isinstance(node, ast.BinOp) and node.op in ("/", "div"):
        return node.left, node.right
    if isinstance(node, ast.Frac):
        return node.num, node.den
    return None


def _call(node: ast.Node) -> tuple[str, ast.Node] | None:
    """``sin(a)``, ``\\sin(a)``, ``\\sin\\left(a\\right)`` -> ("sin", a); else None."""
    if isinstance(node, ast.Call) and len(node.args) == 1:
        func, arg = node.func, node.args[0]
    elif isinstance(node, ast.ApplyPrefix):
        func, arg = node.func, node.arg
    else:
        return None
    name = func.name if isinstance(func, ast.FunctionName | ast.Letter) else None
    if name is None:
        return None
    while isinstance(arg, ast.Paren):
        arg = arg.body
    return name.lstrip("\\"), arg


def _right(node: ast.Node) -> tuple[str, ast.Node, float, str, ast.Node] | None:
    """``sin(pos / 10000^{2i/d})`` -> ("sin", pos, 10000.0, "i", d); else None."""
    call = _call(node)
    if call is None or call[0] not in ("sin", "cos"):
        return None
    name, arg = call
    ratio = _ratio(arg)
    if ratio is None or not isinstance(ratio[1], ast.Sup):
        return None
    pos, power = ratio[0], ratio[1]
    assert isinstance(power, ast.Sup)
    base = _number(power.base)
    script = power.script
    if isinstance(script, ast.ScriptList) and len(script.items) == 1:
        script = script.items[0]
    exponent = _ratio(script)
    if base is None or exponent is None:
        return None
    letter = _twice(exponent[0])
    if letter is None:
        return None
    return name, pos, base, letter, exponent[1]


def _same(reader: Reader, a: ast.Node, b: ast.Node) -> bool:
    snip = reader.source.snippet
    return "".join(snip(a.span).split()) == "".join(snip(b.span).split())


def _exponent(node: ast.Node) -> tuple[str, int] | None:
    """``i`` -> ("i", 0); ``(i-1)`` -> ("i", 1); else None (the parity form's numerators)."""
    while isinstance(node, ast.Paren | ast.Brace):
        node = node.body if isinstance(node, ast.Paren) else node.items[0]
        if isinstance(node, ast.Brace) and len(node.items) != 1:
            return None
    if isinstance(node, ast.Letter) and len(node.name) == 1:
        return node.name, 0
    if (
        isinstance(node, ast.BinOp)
        and node.op == "-"
        and isinstance(node.left, ast.Letter)
        and _number(node.right) == 1.0
    ):
        return node.left.name, 1
    return None


def _wave(node: ast.Node) -> tuple[str, ast.Node, float, tuple[str, int], ast.Node] | None:
    """``\\sin(pos / 10000^{i/d})`` -> ("sin", pos, 10000.0, ("i", 0), d); else None."""
    call = _call(node)
    if call is None or call[0] not in ("sin", "cos"):
        return None
    ratio = _ratio(call[1])
    if ratio is None or not isinstance(ratio[1], ast.Sup):
        return None
    power = ratio[1]
    assert isinstance(power, ast.Sup)
    base = _number(power.base)
    script = power.script
    if isinstance(script, ast.ScriptList) and len(script.items) == 1:
        script = script.items[0]
    exponent = _ratio(script)
    shift = _exponent(exponent[0]) if exponent is not None else None
    if base is None or exponent is None or shift is None:
        return None
    return call[0], ratio[0], base, shift, exponent[1]


def _parity_cases(reader: Reader, s: ast.Statement) -> ast.Statement | None:
    """``PE_{(pos,i)} = \\text{@par}(\\sin(...), \\cos(...))`` (parse/parity_cases.py) as the
    encoding; None where ``s`` is no such definition; refused where the values are others."""
    if not (isinstance(s, ast.Definition) and isinstance(s.rhs, ast.Call)):
        return None
    func = s.rhs.func
    if not (isinstance(func, ast.Text) and func.content == parity_cases.MARK):
        return None
    left = _left(s.lhs)
    body = left[2].body if left and isinstance(left[2], ast.Paren) else None
    items = body.items if isinstance(body, ast.ScriptList) else ()
    waves = [_wave(a) for a in s.rhs.args] if len(s.rhs.args) == 2 else []
    if left is not None and len(items) == 2 and isinstance(items[1], ast.Letter) and all(waves):
        (fa, pa, ba, sa, da), (fb, pb, bb, sb, db) = waves  # type: ignore[misc]
        pos, index = _letters(items[0]), items[1].name
        if (
            (fa, fb) == ("sin", "cos")
            and pos is not None
            and _letters(pa) == pos == _letters(pb)
            and (sa, sb) == ((index, 0), (index, 1))
            and ba == bb
            and _same(reader, da, db)
            and size_text(da) is not None
        ):
            position = ast.Text(pa.span, "mathrm", pos)
            text = reader.source.text
            begin = text.rfind("\\begin{cases}", 0, s.rhs.span.end)
            span = Span(begin if begin >= 0 else s.rhs.span.start, s.rhs.span.end)
            block = " ".join(text[span.start : span.end].split())
            encoding = Encoding(span, position, da, ba, index, block)
            reader.note(
                s.span,
                "sinusoidal encoding",
                f"{left[0]}_{{({pos},{index})}} by the parity of {index}: the even entries "
                f"sin({pos} / {ba:g}^({index}/d)), the odd ones cos({pos} / {ba:g}^(({index}-1)"
                f"/d)), the same angle for the entries 2k and 2k+1: one vector, {left[0]}, the "
                f"encoding of the position {pos} (data, one number per example), d the size in "
                "the exponent (rules_sinusoid.py)",
            )
            reader.out.role_inputs.setdefault(pos, "the position a sinusoidal encoding encodes")
            return ast.Definition(s.span, ast.Text(left[1], "mathrm", left[0]), encoding, None)
    begin = reader.source.text.rfind("\\begin{cases}", 0, s.rhs.span.end)  # the block
    raise reader.error(
        "a definition by cases on the parity of an index is read only as the sinusoidal "
        "encoding (a sine at the even entries, the cosine of the same angle at the odd ones); "
        "these values are not that",
        Span(begin if begin >= 0 else s.rhs.span.start, s.rhs.span.end),
        hint="write each case as its own equation, or as the encoding: \\sin(pos / "
        "10000^{i/d}) if i mod 2 = 0, \\cos(pos / 10000^{(i-1)/d}) otherwise",
    )


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The two lines of a sinusoidal encoding as one definition (see the module)."""
    by_cases = [_parity_cases(reader, s) for s in statements]
    for p in by_cases:
        if isinstance(p, ast.Definition) and isinstance(p.rhs, Encoding):
            name, pos = _letters(p.lhs), _letters(p.rhs.arg)
            assert name is not None and pos is not None
            statements = [
                _declared(s, name, pos) if isinstance(s, ast.Declaration) else s for s in statements
            ]
    statements = [p or s for p, s in zip(by_cases, statements, strict=True)]
    lines: list[
        tuple[int, str, Span, ast.Node, str, int, tuple[str, ast.Node, float, str, ast.Node]]
    ]
    lines = []
    for n, s in enumerate(statements):
        if not isinstance(s, ast.Definition) or s.decl is not None or s.claims:
            continue
        left = _left(s.lhs)
        parity = _parity(left[2]) if left else None
        right = _right(s.rhs)
        if left is None or parity is None or right is None:
            continue
        lines.append((n, left[0], left[1], parity[0], parity[1], parity[2], right))
    if len(lines) < 2:
        return statements
    for a in lines:
        for b in lines:
            na, name_a, span_a, pos_a, i_a, odd_a, (fa, rpa, base_a, ia, da) = a
            nb, name_b, _, pos_b, i_b, odd_b, (fb, rpb, base_b, ib, db) = b
            if (odd_a, odd_b, fa, fb) != (0, 1, "sin", "cos") or name_a != name_b:
                continue
            pos = _letters(pos_a)
            if (
                pos is None
                or not all(_letters(x) == pos for x in (pos_b, rpa, rpb))
                or len({i_a, i_b, ia, ib}) != 1
                or base_a != base_b
                or not _same(reader, da, db)
                or size_text(da) is None
            ):
                continue
            return _replace(reader, statements, na, nb, name_a, span_a, pos, base_a, i_a, da)
    return statements


def _replace(
    reader: Reader,
    statements: list[ast.Statement],
    even: int,
    odd: int,
    name: str,
    name_span: Span,
    pos: str,
    base: float,
    index: str,
    size: ast.Node,
) -> list[ast.Statement]:
    first, second = statements[even], statements[odd]
    assert isinstance(first, ast.Definition) and isinstance(second, ast.Definition)
    rhs = first.rhs
    call = _call(rhs)
    assert call is not None
    ratio = _ratio(call[1])
    assert ratio is not None
    position = ast.Text(ratio[0].span, "mathrm", pos)
    encoding = Encoding(
        rhs.span,  # the even line's sine: where the shapes and explain point
        position,
        size,
        base,
        index,
    )
    # the even line stands for both (its span: what the equation panes and the typeset
    # equations show and replace; the reading below names the odd line too)
    definition = ast.Definition(first.span, ast.Text(name_span, "mathrm", name), encoding, None)
    out: list[ast.Statement] = []
    for n, s in enumerate(statements):
        if n == even:
            out.append(definition)
        elif n == odd:
            continue
        elif isinstance(s, ast.Declaration):
            out.append(_declared(s, name, pos))
        else:
            out.append(s)
    reader.note(
        Span(first.span.start, second.span.end),
        "sinusoidal encoding",
        f"{name}_{{({pos},2{index})}} and {name}_{{({pos},2{index}+1)}} are the even and odd "
        f"entries of one vector, {name}, the encoding of the position {pos}: entry 2{index} "
        f"sin({pos} / {base:g}^(2{index}/d)), entry 2{index}+1 cos(...), d the size in the "
        f"exponent; {pos} is data, one number per example (rules_sinusoid.py)",
    )
    reader.out.role_inputs.setdefault(pos, "the position a sinusoidal encoding encodes")
    return out


def _declared(s: ast.Declaration, name: str, pos: str) -> ast.Declaration:
    """``PE_{pos} \\in ...``: the declaration of the encoding PE (pos its position)."""
    targets = []
    for target in s.targets:
        left = _left(target)
        if left is not None and left[0] == name and _letters(left[2]) == pos:
            target = ast.Text(left[1], "mathrm", name)
        targets.append(target)
    return ast.Declaration(s.span, tuple(targets), s.space)


def term(reader: Reader, node: Encoding) -> t.Term:
    """The read term of the two lines: the sinusoid of the position."""
    size = size_text(node.size)
    assert size is not None
    reader.size_names.add(size)
    term = t.Sinusoid(node.span, reader.term(node.arg), size, node.base)
    if node.written:  # the block by cases: typeset back as written (report/typeset.py)
        reader.out.write(term, node.written)
    return term

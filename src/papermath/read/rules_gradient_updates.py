# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``gradient-of-loss``: the gradient of a loss in a gradient-descent step, as
people write it beside ``\nabla f(w^k)`` (read/rules_gradient_call.py):

    W^\prime_1 = W_1 - \alpha \frac{\partial \ell}{\partial W_1}      (Udacity's PyTorch course)
    w \leftarrow w - \eta (\alpha \frac{\partial R(w)}{\partial w} + \frac{\partial Loss}{\partial w})
    W^{i+1} = W^i - \epsilon \nabla {Loss}_{W}^{i}                      (scikit-learn's guide)
    w^{(i+1)} = w^{(i)} - \eta \partial \mathcal{L} / \partial w        (AI for Beginners, in LaTeX)
    \theta := \theta - \alpha \nabla_\theta J

How papermath reads it: ``\frac{\partial F}{\partial x}`` (also ``\partial F / \partial x``),
``\nabla_x F`` and ``\nabla F_x`` (the subscript on the function, with a step superscript
``^{i}``: at step i), where F is a loss the source names but no equation defines (a letter,
``\ell``, ``\mathcal{L}``, a word typed in italics, ``Loss``, or a call ``R(w)`` of x), and x a
symbol the equations use, are one value: the gradient of F with respect to x, taken at x (at
the step the superscript says, ``W^i``; without one, at the value x has where the step starts).
A gradient is of a function whose value is one number (a loss), so the value has x's shape:
read for shapes, kinds, explain and diagrams, as read/rules_gradient_call.py reads ``\nabla
f(w^k)``; code and printed gradients need F, which the source does not write: refused by name
at the derivative (ir/lower.py).

A point written without the step beside a step (``\nabla_\theta L(\theta)`` beside
``\theta^{(t)}``, ``\nabla E(w)`` beside ``w^{(t)}``): the gradient has x's shape at every
step, and no code is generated from a loss the source does not write, so nothing read depends
on the step; the readings say so, and the dependency is drawn from the value the step starts
from (``\theta^{(t)}``, gradient descent's explicit step).

A point written with a lowercase Greek letter that nothing declares (``\theta``, one number
by convention) is a vector where the words call it the parameters ("Let :math:`\theta` be our
parameters", "with $\theta$ the model parameters"), said; otherwise refused, the hint a
declaration.

Refused by name: a gradient with respect to a symbol no equation uses (``\nabla_V L`` where V
appears nowhere else), a gradient taken at a step no equation writes, and one with respect to
a symbol written only otherwise (``\partial L / \partial W`` beside ``W_{old}``, ``W_{new}``).
The HTML entities ``&part;`` and ``&lagran;`` (AI for Beginners' ``&part;&lagran;/&part;w``)
and a typed ``∂`` are read as ``\partial`` and ``\mathcal{L}`` (parse/html_math.py); a product
written with a dot before the derivative (``\eta \cdot \partial L / \partial w``,
``&eta;&middot;&part;L/&part;w``) is folded alike, the product keeping its operator. A derivative of a
value the equations define (``L = \|Wx - y\|^2``, then ``\frac{\partial L}{\partial W}``) is
not folded here: papermath derives it itself (``papermath grad``), refused as before; so are
``\frac{\partial}{\partial x}`` of an expression and derivatives with respect to the time.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from ..letters import GREEK_LOWER
from ..parse import ast
from ..source import Span
from . import terms as t
from .functions import GRADIENT
from .rules_brace_typos import rebuild
from .syntax import is_symbolish, iter_nodes, offsets_in, symbols_in

if TYPE_CHECKING:
    from .reader import Reader

RULE = "gradient-of-loss"


@dataclasses.dataclass(frozen=True)
class GradientOf(ast.Call):
    """The gradient of the loss ``of`` (as written) with respect to its argument, written
    ``shown`` (the module)."""

    of: str = ""


def _text(reader: Reader, node: ast.Node) -> str:
    return re.sub(r"[{}\s]", "", reader.source.snippet(node.span))


def _base(node: ast.Node) -> ast.Node:
    while isinstance(node, ast.Sub | ast.Sup):
        node = node.base
    return node


def _word(node: ast.Node) -> str | None:
    """``Loss`` typed as the letters L o s s side by side: the word; None otherwise."""
    letters: list[str] = []
    while isinstance(node, ast.Juxt):
        if not (isinstance(node.right, ast.Letter) and len(node.right.name) == 1):
            return None
        letters.append(node.right.name)
        node = node.left
    if not (isinstance(node, ast.Letter) and len(node.name) == 1) or not letters:
        return None
    word = node.name + "".join(reversed(letters))
    return word if len(word) >= 3 and word.isalpha() else None


def _loss(reader: Reader, node: ast.Node, wrt: ast.Node) -> str | None:
    """The name of the loss F of ``\\partial F`` (``\\ell``, ``\\mathcal{L}``, ``Loss``,
    ``R(w)`` called at the variable): its key as the equations would write it; None
    otherwise."""
    match node:
        case ast.Letter(name=name):
            return name
        case ast.Font(body=ast.Letter(name=name)):
            return name
        case ast.Call(func=func, args=args) if any(
            _text(reader, _base(a)) == _text(reader, _base(wrt)) for a in args
        ):
            return _loss(reader, func, wrt) if not isinstance(func, ast.Call) else None
    return _word(node)


def _factors(node: ast.Node) -> list[ast.Node]:
    """A juxtaposition flattened: ``((a b) c)`` -> [a, b, c]."""
    if isinstance(node, ast.Juxt):
        return _factors(node.left) + _factors(node.right)
    return [node]


def _joined(nodes: list[ast.Node]) -> ast.Node | None:
    if not nodes:
        return None
    out = nodes[0]
    for n in nodes[1:]:
        out = ast.Juxt(Span(out.span.start, n.span.end), out, n)
    return out


def _partial(node: ast.Node) -> tuple[ast.Node | None, ast.Node, ast.Node] | None:
    """(what stands before, the ``\\partial``, X) of ``[a] \\partial X`` (X may be a word
    typed as letters, ``\\partial Loss``); None otherwise."""
    factors = _factors(node)
    marks = [k for k, f in enumerate(factors) if isinstance(f, ast.Letter) and f.name == "partial"]
    if len(marks) != 1 or marks[0] == len(factors) - 1:
        return None
    k = marks[0]
    rest = _joined(factors[k + 1 :])
    assert rest is not None
    return _joined(factors[:k]), factors[k], rest


def _nabla(node: ast.Node) -> tuple[ast.Node | None, ast.Node | None, int] | None:
    """(what stands before, the subscript, where the ``\\nabla`` starts) of ``[a]
    \\nabla[_x]``; None otherwise."""
    before = None
    if isinstance(node, ast.Juxt):
        before, node = node.left, node.right
    start = node.span.start
    wrt = None
    if isinstance(node, ast.Sub):
        wrt, node = node.script, node.base
    if isinstance(node, ast.Letter) and node.name == "nabla":
        return before, wrt, start
    return None


class _Context:
    def __init__(self, reader: Reader, statements: list[ast.Statement]) -> None:
        self.reader = reader
        self.defined: set[str] = set()
        for s in statements:
            if isinstance(s, ast.Definition):
                lhs = s.lhs.func if isinstance(s.lhs, ast.Call) else s.lhs
                base = _base(lhs)
                self.defined.add(_text(reader, base))
                if (word := _word(base)) is not None:
                    self.defined.add(word)
        self.statement: ast.Definition | None = None
        self.steps = {  # letters with an offset (i of W^{i+1}): steps, as the reader's
            letter
            for node in iter_nodes(statements)
            if isinstance(node, ast.Sub | ast.Sup)
            for letter, _ in offsets_in(
                node.script.body if isinstance(node.script, ast.Paren) else node.script
            )
        }
        self.statements = statements

    def is_defined(self, name: str) -> bool:
        return name in self.defined or f"\\{name}" in self.defined

    def used(self, wrt: ast.Node, inside: Span) -> list[ast.Node]:
        """The symbols written with x's letter outside the derivative at ``inside``."""
        letter = _text(self.reader, _base(wrt))
        out = []
        for s in self.statements:
            if not isinstance(s, ast.Definition):
                continue
            for n in [*ast.walk(s.lhs), *ast.walk(s.rhs)]:
                if n.span.start >= inside.start and n.span.end <= inside.end:
                    continue
                if is_symbolish(n) and _text(self.reader, _base(n)) == letter:
                    out.append(n)
        return out


def _at_step(ctx: _Context, wrt: ast.Node, step: ast.Node, inside: Span) -> ast.Node | None:
    """The symbol x written at the step ``step`` (``W^i`` of ``\\nabla Loss_W^i``)."""
    want = _text(ctx.reader, step).strip("()")
    for n in ctx.used(wrt, inside):
        if (
            isinstance(n, ast.Sup | ast.Sub)
            and _text(ctx.reader, n.script).strip("()") == want
            and _text(ctx.reader, n.base) == _text(ctx.reader, wrt)
        ):
            return n
    return None


def _split(node: ast.Node, kind: type[ast.Sub] | type[ast.Sup]) -> tuple[ast.Node, ast.Node | None]:
    """(base, script) of a ``kind`` node (a prime is no step); (node, None) otherwise."""
    if isinstance(node, kind) and not isinstance(node.script, ast.Mark):
        return node.base, node.script
    return node, None


def _fold(ctx: _Context, node: ast.Node) -> ast.Node:
    reader = ctx.reader
    match node:  # \eta \cdot \partial L/\partial w: ((\eta \cdot \partial) L / \partial) w
        case ast.Juxt(
            left=ast.BinOp(
                op="/",
                left=ast.Juxt(
                    left=ast.BinOp(op="cdot" | "times", right=ast.Letter(name="partial")) as dot,
                    right=loss,
                ),
                right=ast.Letter(name="partial") as dot_den,
            ) as slash,
            right=x,
        ):
            mark = dot.right  # the product keeps its operator: \eta \cdot (the gradient)
            dot_num = ast.Juxt(Span(mark.span.start, loss.span.end), mark, loss)
            ratio = ast.BinOp(
                Span(mark.span.start, slash.span.end), "/", dot_num, dot_den, slash.op_span
            )
            dot_inner = ast.Juxt(Span(mark.span.start, node.span.end), ratio, x)
            dot_folded = _fold(ctx, dot_inner)
            if dot_folded is dot_inner:
                return node
            return ast.BinOp(node.span, dot.op, dot.left, dot_folded, dot.op_span)
    match node:  # \eta \partial L/\partial w parses as (\eta \partial L / \partial) w
        case ast.Juxt(left=ast.BinOp(op="/", right=ast.Letter(name="partial")) as slash, right=x):
            under = ast.Juxt(Span(slash.right.span.start, x.span.end), slash.right, x)
            whole = ast.BinOp(node.span, "/", slash.left, under, slash.op_span)
            folded = _fold(ctx, whole)
            return node if folded is whole else folded
    # \frac{\partial F}{\partial x}, \partial F / \partial x
    if isinstance(node, ast.Frac | ast.BinOp) and (isinstance(node, ast.Frac) or node.op == "/"):
        num, den = (node.num, node.den) if isinstance(node, ast.Frac) else (node.left, node.right)
        top, bottom = _partial(num), _partial(den)
        if top is None or bottom is None or bottom[0] is not None:
            return node
        before, first, loss = top
        if before is not None and isinstance(node, ast.Frac):
            return node
        wrt = bottom[2]
        if not is_symbolish(wrt) or _text(reader, _base(wrt)) in ctx.steps | {"t"}:
            return node
        name = _loss(reader, loss, wrt)
        if name is None or ctx.is_defined(name):
            return node  # a value the equations define: papermath derives it (refused)
        span = Span(node.span.start if before is None else first.span.start, node.span.end)
        return _made(ctx, span, before, name, loss, wrt, node.span)
    # \nabla_x F, \nabla F_x, \nabla F_x^{i}, \nabla_x F^{i}
    if isinstance(node, ast.Juxt) and (head := _nabla(node.left)) is not None:
        ahead, by, nabla_start = head
        body, step = _split(node.right, ast.Sup)
        if by is None:
            body, by = _split(body, ast.Sub)
            if step is None:
                body, step = _split(body, ast.Sup)
        if by is None or not isinstance(by, ast.Letter | ast.Font):
            return node
        if isinstance(body, ast.Call | ast.Paren):
            return node  # \nabla f(w): read/rules_gradient_call.py's
        name = _loss(reader, body, by)
        if name is None or ctx.is_defined(name):
            return node
        return _nabla_made(ctx, node, ahead, by, body, step, name, nabla_start)
    return node


def _nabla_made(
    ctx: _Context,
    node: ast.Juxt,
    before: ast.Node | None,
    wrt: ast.Node,
    body: ast.Node,
    step: ast.Node | None,
    name: str,
    nabla_start: int,
) -> ast.Node:
    """The folded ``\nabla_x F^{i}`` (``_fold``), or the refusal of its point."""
    reader = ctx.reader
    span = Span(nabla_start, node.span.end)
    if not ctx.used(wrt, span):
        written = " ".join(reader.source.snippet(span).split())
        raise reader.error(
            f"{written}: the gradient with respect to {_text(reader, wrt)}, which no "
            "equation uses: a gradient of the loss with respect to what?",
            wrt.span,
            hint="write the gradient with respect to a symbol the equations use (the "
            "parameter the step updates)",
        )
    point: ast.Node = wrt
    if step is not None:
        found = _at_step(ctx, wrt, step, span)
        if found is None:
            raise reader.error(
                f"{_text(reader, step)} is a step of the gradient, but no equation writes "
                f"{_text(reader, wrt)} at that step: the gradient at which value?",
                step.span,
                hint=f"write the point: \\nabla L({_text(reader, wrt)}^{{(t)}})",
            )
        point = found
    return _made(ctx, span, before, name, body, point, node.span)


def _made(
    ctx: _Context,
    span: Span,
    before: ast.Node | None,
    name: str,
    loss: ast.Node,
    point: ast.Node,
    whole: Span,
) -> ast.Node:
    func = ast.Text(loss.span, "operatorname", f"grad_{name}")
    folded = GradientOf(span, func, (point,), of=name)
    if before is None:
        return folded
    return ast.Juxt(whole, before, folded)


def mark(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with each gradient of an unwritten loss one value (module docstring)."""
    if not re.search(r"\\partial|\\nabla|&part;|∂", reader.source.text):
        return statements
    ctx = _Context(reader, statements)
    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, ast.Definition):
            ctx.statement = s
            rhs = rebuild(s.rhs, lambda n: _fold(ctx, n))
            if rhs is not s.rhs:
                assert isinstance(rhs, ast.Node)
                s = ast.keep_attached(dataclasses.replace(s, rhs=rhs), s)
        out.append(s)
    return out


def current_value(reader: Reader, arg: ast.Node) -> ast.Node | None:
    """``\\theta^{(t)}`` for the point ``\\theta`` written without a step where the equations
    write it at steps: the symbol on a right side first (the value the step starts from);
    None where the point has a step or the equations have none."""
    if not (isinstance(arg, ast.Letter | ast.Font) and reader.step_letters):
        return None
    rights = [
        n for s in reader.statements if isinstance(s, ast.Definition) for n in ast.walk(s.rhs)
    ]
    lefts = [n for s in reader.statements if isinstance(s, ast.Definition) for n in ast.walk(s.lhs)]
    letter = _text(reader, arg)
    for node in [*rights, *lefts]:
        if not isinstance(node, ast.Sub | ast.Sup) or _text(reader, node.base) != letter:
            continue
        script = node.script.body if isinstance(node.script, ast.Paren) else node.script
        names = {x.name for x in ast.walk(script) if isinstance(x, ast.Letter)}
        if names & reader.step_letters:
            return node
    return None


def _declared(reader: Reader, letter: str) -> bool:
    return any(
        isinstance(s, ast.Declaration) and any(_text(reader, _base(x)) == letter for x in s.targets)
        for s in reader.statements
    )


def _greek_point(reader: Reader, point: ast.Node, written: str) -> None:
    """A point written with a lowercase Greek letter (by convention one number) that nothing
    declares: a vector where the words call it the parameters ("Let :math:`\\theta` be our
    parameters"), refused otherwise (its shape is not said)."""
    parts = reader.symbol(point, quiet=True) if is_symbolish(point) else None
    if parts is None or parts.key.split("_")[0] not in GREEK_LOWER:
        return
    letter = _text(reader, _base(point))
    if _declared(reader, letter):
        return
    name = letter.lstrip("\\")
    said = re.search(
        rf"(?:\$|`)\s*\\{name}\s*(?:\$|`)[\s,:]+(?:(?:be|are|is|denotes?|represents?)\s+)?"
        r"(?:our|the|all|its)?\s*(?:model(?:'s)?\s+)?(?:parameters|weights)\b",
        reader.source.text,
    )
    value = " ".join(reader.source.snippet(point.span).split())
    if said is None:
        raise reader.error(
            f"{written} is a gradient with respect to {value}, a lowercase Greek letter (by "
            "convention one number), and nothing says its shape: one parameter, or many?",
            point.span,
            hint=f"declare it: {letter} \\in \\mathbb{{R}}^{{P}} (P parameters) or {letter} "
            "\\in \\mathbb{R} (one number)",
        )
    for key in [parts.key, *(k for k, v in reader.out.tied_shapes.items() if v == parts.key)]:
        reader.out.convention_letters[key] = "p"  # a vector, as a Latin letter (w_breve too)
    reader.note(
        point.span,
        "the parameters a gradient step updates",
        f"the words say {value} is the parameters ('{' '.join(said.group(0).split())}'): many "
        f"numbers, not one, so {value} is a vector (its size P open), not the scalar a "
        "lowercase Greek letter is by convention",
    )


def _written_elsewhere(reader: Reader, arg: ast.Node, inside: Span) -> bool:
    """Is the point written as it is (``W``, ``w^{k}``) outside the gradient at ``inside``, as
    a whole symbol (not the letter of ``W_{old}``)?"""
    want = _text(reader, arg)
    for s in reader.statements:
        if not isinstance(s, ast.Definition):
            continue
        for n in [*symbols_in(s.lhs), *symbols_in(s.rhs)]:
            if n.span.start >= inside.start and n.span.end <= inside.end:
                continue
            if _text(reader, n) == want:
                return True
    return False


def point_term(reader: Reader, arg: ast.Node, written: str, inside: Span) -> t.Term:
    """The term of the point a gradient of an unwritten loss is taken at (the module): a
    point written without the step beside a step is the value the step starts from, said;
    a point no equation writes otherwise (``\\partial W`` beside ``W_{old}``) is refused."""
    _greek_point(reader, arg, written)
    now = current_value(reader, arg)
    if now is None:
        if not _written_elsewhere(reader, arg, inside):
            value = " ".join(reader.source.snippet(arg.span).split())
            raise reader.error(
                f"{written} is a gradient with respect to {value}, which no equation writes "
                "otherwise: with respect to which value?",
                arg.span,
                hint="write the gradient with respect to the symbol the step updates, as the "
                "equations write it (W_{old}, w^{(t)})",
            )
        return reader.term(arg)
    value = " ".join(reader.source.snippet(arg.span).split())
    stepped = " ".join(reader.source.snippet(now.span).split())
    reader.note(
        arg.span,
        "gradient at a point written without the step",
        f"{written} takes {value} with no step, while the equations write it at steps "
        f"({stepped}): the gradient has {value}'s shape at every step, and no code is made "
        f"from a loss the source does not write, so nothing read depends on the step; drawn "
        f"from {stepped}, the value the step starts from (gradient descent's explicit step)",
    )
    return reader.term(now)


def term(reader: Reader, node: GradientOf) -> t.Term:
    """The term of the gradient of an unwritten loss: of the point's shape; code refused."""
    (arg,) = node.args
    written = " ".join(reader.source.snippet(node.span).split())
    point = point_term(reader, arg, written, node.span)
    value = " ".join(reader.source.snippet(arg.span).split())
    reader.note(
        node.span,
        "gradient of a loss the source does not write",
        f"{written}: the gradient of {node.of} with respect to {value}, at {value}; a gradient "
        f"is of a function whose value is one number (the loss), so it has the shape of "
        f"{value}; no equation writes {node.of}: code needs one (rule {RULE})",
    )
    out = t.Apply(node.span, GRADIENT, (point,))
    reader.out.unnamed[id(out)] = (f"\\partial:{node.of}:{written}", node.span)
    return out


def is_ours(written: str) -> bool:
    """Is ``written`` (ir/lower.py's record of a gradient term) one of this module's?"""
    return written.startswith("\\partial:")


def refuse_code(written: str) -> tuple[str, str]:
    """The message and hint of the refusal of code for a gradient of an unwritten loss, one of
    this module's (its ``written`` marked ``\\partial:``, see ``is_ours``)."""
    _, of, shown = written.split(":", 2)
    return (
        f"{shown} is the gradient of {of}, a loss the source does not write: code needs to know it",
        "for code, write the gradient as a value given at each step (w^{(t+1)} = w^{(t)} - "
        "\\eta g^{(t)}, g an input: the gradient the training loop computes)",
    )

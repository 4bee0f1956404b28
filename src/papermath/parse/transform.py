"""The lark Transformer: one method per grammar rule, each building a frozen AST node."""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer, v_args
from lark.tree import Meta

from ..errors import ParseError
from ..source import Span
from . import ast, braced_steps, chains, entry_matrix, map_definitions, sum_exclusions

OP_NAMES = {
    "*": "*",
    "/": "/",
    ".": ".",
    "+": "+",
    "-": "-",
    "\\bigodot": "odot",  # Haiku's GRU: r_t \bigodot h_{t-1}, the Hadamard product set large
}


def tok_span(tok: Token) -> Span:
    return Span(tok.start_pos or 0, tok.end_pos or 0)


def meta_span(meta: Meta, children: list[Any]) -> Span:
    if not meta.empty:
        return Span(meta.start_pos, meta.end_pos)
    spans = [c.span if isinstance(c, ast.Node) else tok_span(c) for c in children]
    if not spans:
        return Span(0, 0)
    out = spans[0]
    for s in spans[1:]:
        out = out | s
    return out


def script_node(item: Any, span: Span) -> ast.Node:
    """A script body is one node, or a list when written ``_{i,j}``."""
    if isinstance(item, list):
        if len(item) == 1:
            node: ast.Node = item[0]
            return node
        return ast.ScriptList(span, tuple(item))
    assert isinstance(item, ast.Node)
    return item


def op_name(tok: Token) -> str:
    if tok.type == "CONCAT_BAR":
        return "concat"
    text = str(tok).strip()
    return OP_NAMES.get(text, text.lstrip("\\"))


def is_arrow(tok: Any) -> bool:
    """``\\leftarrow``, ``\\gets``: the operator of an update rule."""
    return isinstance(tok, Token) and str(tok).strip() in ("\\leftarrow", "\\gets")


def command_name(tok: Token) -> str:
    """``\\mathbf`` -> ``mathbf``; the character ``∂`` (typed, or HTML's ``&part;``) ->
    ``partial``."""
    name = str(tok).lstrip("\\").strip()
    return "partial" if name == "∂" else name


@v_args(meta=True)
class ToAst(Transformer[Token, Any]):
    """Builds :mod:`papermath.parse.ast` nodes. Method names are the grammar's rule names."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.source_text = text  # the text parsed (a chain looks at its line breaks)

    # ---- documents and statements -------------------------------------------------------
    def start_plain(self, meta: Meta, children: list[Any]) -> list[ast.Statement]:
        flat = [d for c in children for d in (c if isinstance(c, list) else [c])]
        return [
            c
            for c in flat
            if isinstance(c, ast.Definition | ast.Declaration | ast.Sampling | ast.Directive)
        ]

    start_mixed = start_plain

    def definition(self, meta: Meta, c: list[Any]) -> ast.Definition | list[ast.Definition]:
        # c: side, =, side, (=, side)*, then the space of `\in space` if there is one
        decl = c[-1] if len(c) % 2 == 0 else None
        sides = c[0 : len(c) - (decl is not None) : 2]
        arrows = [op for op in c[1 : len(c) - (decl is not None) : 2] if is_arrow(op)]
        if arrows and len(sides) > 2:
            raise ParseError(
                "an update rule (\\leftarrow) in a chain of equalities is not read",
                span=tok_span(arrows[0]),
                hint="write the update rule on its own line: x_t \\leftarrow ...",
            )
        if len(sides) == 2:
            return ast.Definition(meta_span(meta, c), sides[0], sides[1], decl, update=bool(arrows))
        return chains.resolve(meta_span(meta, c), sides, decl, self.source_text)

    def map_definition(self, meta: Meta, c: list[Any]) -> ast.Definition:
        name, _, argument, _, body = c  # p_i = \xi \mapsto \xi^{i-1} (parse/map_definitions.py)
        return map_definitions.definition(meta_span(meta, c), name, argument, body)

    def declaration(self, meta: Meta, c: list[Any]) -> ast.Declaration:
        targets, space = c
        return ast.Declaration(meta_span(meta, c), tuple(targets), space)

    def sampling(self, meta: Meta, c: list[Any]) -> ast.Sampling:
        targets, dist = c
        return ast.Sampling(meta_span(meta, c), tuple(targets), dist)

    def mention(self, meta: Meta, c: list[Any]) -> None:
        return None  # a value named in prose: nothing to read

    def condition(self, meta: Meta, c: list[Any]) -> None:
        return None  # `for $t > 0$`: a condition in prose

    def tuple_mention(self, meta: Meta, c: list[Any]) -> None:
        return None  # `the shape $(N, D)$`: a tuple named in prose

    def script_mention(self, meta: Meta, c: list[Any]) -> None:
        return None  # `the ARMA\(_K\) filter`: a script on a prose word (parse/unexpected.py)

    def target_list(self, meta: Meta, c: list[Any]) -> list[ast.Node]:
        return list(c)

    def directive(self, meta: Meta, c: list[Any]) -> ast.Directive:
        tok = c[0]
        text = str(tok).split(":", 1)[1].strip()
        return ast.Directive(tok_span(tok), text)

    # ---- operators ----------------------------------------------------------------------
    def binop(self, meta: Meta, c: list[Any]) -> ast.BinOp:
        left, op, right = c
        return ast.BinOp(meta_span(meta, c), op_name(op), left, right, tok_span(op))

    def juxt(self, meta: Meta, c: list[Any]) -> ast.Juxt:
        braced_steps.check_juxt(self.source_text, c[0], c[1])  # h{t-1}: refused
        return ast.Juxt(meta_span(meta, c), c[0], c[1])

    def neg(self, meta: Meta, c: list[Any]) -> ast.Neg:
        return ast.Neg(meta_span(meta, c), c[1])

    def pos(self, meta: Meta, c: list[Any]) -> ast.Node:
        node: ast.Node = c[1]
        return node

    def bigop(self, meta: Meta, c: list[Any]) -> ast.BigOp:
        op = command_name(c[0]).split("\\")[0]
        sub = sup = None
        for item in c[1:-1]:
            kind, node = item
            if kind == "sub":
                sub = node
            else:
                sup = node
        return ast.BigOp(meta_span(meta, c), op, sub, sup, c[-1])

    def bigop_sub(self, meta: Meta, c: list[Any]) -> tuple[str, ast.Node]:
        return ("sub", script_node(c[0], meta_span(meta, c)))

    def bigop_sup(self, meta: Meta, c: list[Any]) -> tuple[str, ast.Node]:
        return ("sup", script_node(c[0], meta_span(meta, c)))

    # ---- postfix ------------------------------------------------------------------------
    def sub(self, meta: Meta, c: list[Any]) -> ast.Node:
        if isinstance(c[1], entry_matrix.IndexRanges):  # [a_{ij}]_{i \in 1..N, j \in 1..D}
            return entry_matrix.entry_matrix(meta_span(meta, c), c[0], c[1])
        return ast.Sub(meta_span(meta, c), c[0], script_node(c[1], meta_span(meta, c)))

    def sup(self, meta: Meta, c: list[Any]) -> ast.Sup:
        return ast.Sup(meta_span(meta, c), c[0], script_node(c[1], meta_span(meta, c)))

    def prime(self, meta: Meta, c: list[Any]) -> ast.Prime:
        text = str(c[1])
        count = text.count("'") or 1
        return ast.Prime(meta_span(meta, c), c[0], count)

    def call(self, meta: Meta, c: list[Any]) -> ast.Call:
        return ast.Call(meta_span(meta, c), c[0], tuple(c[1]))

    # ---- atoms --------------------------------------------------------------------------
    def letter(self, meta: Meta, c: list[Any]) -> ast.Letter:
        return ast.Letter(tok_span(c[0]), str(c[0]))

    def greek(self, meta: Meta, c: list[Any]) -> ast.Letter:
        return ast.Letter(tok_span(c[0]), command_name(c[0]))

    def number(self, meta: Meta, c: list[Any]) -> ast.Number:
        return ast.Number(tok_span(c[0]), str(c[0]))

    def dots(self, meta: Meta, c: list[Any]) -> ast.Dots:
        return ast.Dots(tok_span(c[0]))

    def paren_labels(self, meta: Meta, c: list[Any]) -> ast.Paren:
        # z^{(i,l)}: labels in parentheses (Kingma & Welling's datapoint i and sample l)
        items = (c[0], *c[1])
        inner = ast.ScriptList(Span(items[0].span.start, items[-1].span.end), tuple(items))
        return ast.Paren(meta_span(meta, c), inner)

    def paren(self, meta: Meta, c: list[Any]) -> ast.Paren:
        return ast.Paren(meta_span(meta, c), c[0])

    def bracket(self, meta: Meta, c: list[Any]) -> ast.Bracket:
        return ast.Bracket(meta_span(meta, c), tuple(c[0]), ",")

    def bracket_rows(self, meta: Meta, c: list[Any]) -> ast.Bracket:
        return ast.Bracket(meta_span(meta, c), tuple(c), ";")

    def brace(self, meta: Meta, c: list[Any]) -> ast.Node:
        items = tuple(c[0])
        if len(items) == 1:
            node: ast.Node = items[0]
            return node
        return ast.Brace(meta_span(meta, c), items)

    def set_literal(self, meta: Meta, c: list[Any]) -> ast.SetLiteral:
        return ast.SetLiteral(meta_span(meta, c), tuple(c[0]))

    def set_builder(self, meta: Meta, c: list[Any]) -> ast.SetBuilder:
        return ast.SetBuilder(meta_span(meta, c), tuple(c[0]), c[1])  # parse/set_builder.py

    def norm(self, meta: Meta, c: list[Any]) -> ast.Norm:
        return ast.Norm(meta_span(meta, c), c[1])

    def abs(self, meta: Meta, c: list[Any]) -> ast.Abs:
        return ast.Abs(meta_span(meta, c), c[1])

    def matrix(self, meta: Meta, c: list[Any]) -> ast.Matrix:
        return ast.Matrix(meta_span(meta, c), tuple(c[0]))

    def matrix_rows(self, meta: Meta, c: list[Any]) -> list[tuple[ast.Node, ...]]:
        return list(c)

    def matrix_row(self, meta: Meta, c: list[Any]) -> tuple[ast.Node, ...]:
        return tuple(c)

    def frac(self, meta: Meta, c: list[Any]) -> ast.Frac:
        return ast.Frac(meta_span(meta, c), c[1], c[2])

    def overset(self, meta: Meta, c: list[Any]) -> ast.Overset:
        return ast.Overset(meta_span(meta, c), c[1], c[2])

    def sqrt(self, meta: Meta, c: list[Any]) -> ast.Sqrt:
        return ast.Sqrt(meta_span(meta, c), c[1])

    def apply_prefix(self, meta: Meta, c: list[Any]) -> ast.Node:
        func = ast.FunctionName(tok_span(c[0]), command_name(c[0]))
        arg = c[1]
        if func.name in ("max", "min") and isinstance(arg, ast.SetLiteral) and len(arg.items) > 1:
            # `\max \{a, b\}` (the triplet loss in PyTorch's docs): the larger of a and b,
            # written with set braces; the same as `\max(a, b)`
            return ast.Call(meta_span(meta, c), func, arg.items)
        # `\tanh(a, b)` is parsed as a call on the parenthesised group already.
        return ast.ApplyPrefix(meta_span(meta, c), func, arg)

    def apply_call(self, meta: Meta, c: list[Any]) -> ast.Call:
        """``\\max(0, x)``: a function command with several arguments."""
        func = ast.FunctionName(tok_span(c[0]), command_name(c[0]))
        return ast.Call(meta_span(meta, c), func, (c[1], *c[2]))

    def function_name(self, meta: Meta, c: list[Any]) -> ast.FunctionName:
        return ast.FunctionName(tok_span(c[0]), command_name(c[0]))

    def text(self, meta: Meta, c: list[Any]) -> ast.Text:
        raw = str(c[0])
        if "{" not in raw:  # `\\rm ENC`: plain TeX's roman switch before one word
            command, word = raw.split(None, 1)
            return ast.Text(tok_span(c[0]), command.lstrip("\\"), word.strip())
        command, _, rest = raw.partition("{")
        return ast.Text(tok_span(c[0]), command.strip().lstrip("\\"), rest.rstrip("}").strip())

    def decorated(self, meta: Meta, c: list[Any]) -> ast.Decorated:
        return ast.Decorated(meta_span(meta, c), command_name(c[0]), c[1])

    def font(self, meta: Meta, c: list[Any]) -> ast.Font:
        name = command_name(c[0])  # plain TeX's \cal is \mathcal (presentation.cal)
        return ast.Font(meta_span(meta, c), "mathcal" if name == "cal" else name, c[1])

    # ---- scripts ------------------------------------------------------------------------
    def expr_list(self, meta: Meta, c: list[Any]) -> list[ast.Node]:
        return list(c)

    def script_in(self, meta: Meta, c: list[Any]) -> ast.ScriptIn:
        return ast.ScriptIn(meta_span(meta, c), c[0], c[1])

    def script_eq(self, meta: Meta, c: list[Any]) -> ast.ScriptEq:
        return ast.ScriptEq(meta_span(meta, c), c[0], c[2])

    def sum_exclusion(self, meta: Meta, c: list[Any]) -> sum_exclusions.SumExclusion:
        neq = next(x for x in c if isinstance(x, Token) and x.type == "NEQ")
        nodes = [x for x in c if not isinstance(x, Token)]
        if len(nodes) == 4:  # j = 1, j \neq y_i: the start as the ScriptEq it is alone
            first, start, again, skipped = nodes
            eq = ast.ScriptEq(Span(first.span.start, start.span.end), first, start)
            nodes = [eq, again, skipped]
        return sum_exclusions.exclusion(meta_span(meta, c), nodes, tok_span(neq))

    def transpose_mark(self, meta: Meta, c: list[Any]) -> ast.Mark:
        return ast.Mark(tok_span(c[0]), "transpose")

    def prime_mark(self, meta: Meta, c: list[Any]) -> ast.Mark:
        return ast.Mark(tok_span(c[0]), "prime")

    def script_op(self, meta: Meta, c: list[Any]) -> ast.Mark:
        name = op_name(c[0])
        return ast.Mark(tok_span(c[0]), "star" if name in ("*", "ast", "star") else name)

    def index_ranges(self, meta: Meta, c: list[Any]) -> entry_matrix.IndexRanges:
        ranges = tuple(r for r in c if isinstance(r, entry_matrix.IndexRange))
        return entry_matrix.IndexRanges(meta_span(meta, c), ranges)

    def index_range(self, meta: Meta, c: list[Any]) -> entry_matrix.IndexRange:
        pieces = [p for p in c[1:] if isinstance(p, ast.Node)]
        return entry_matrix.index_range(meta_span(meta, c), c[0], pieces)

    def range_row(self, meta: Meta, c: list[Any]) -> entry_matrix.IndexRange:
        pieces = c[1] if isinstance(c[1], list) else [p for p in c[1:] if isinstance(p, ast.Node)]
        return entry_matrix.index_range(meta_span(meta, c), c[0], pieces)

    def empty(self, meta: Meta, c: list[Any]) -> ast.Mark:
        return ast.Mark(meta_span(meta, c), "empty")

    def __default__(self, data: Any, children: list[Any], meta: Meta) -> Any:
        raise AssertionError(f"grammar rule {data!r} has no transformer method")

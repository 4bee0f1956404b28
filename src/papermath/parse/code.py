r"""Notation rule ``formula-as-code``: a formula written in Python/NumPy syntax, read as
plain-text mathematics (never executed).

Library docstrings write their formulas as code, in a fenced block or a backtick span
(Keras' losses)::

    Formula:

    ```python
    loss = mean(square(y_true - y_pred))
    ```

    where `neg=maximum((1-y_true)*y_pred)` and `pos=sum(y_true*y_pred)`

Where the code holds the only equations of the source (no LaTeX relation beside it), each
line of a fence and each backtick span that defines something (``name = expression``) is
read here, with papermath's own small grammar for the expression (a recursive descent
over the characters: nothing is evaluated, no Python parser runs on user text), into the
same syntax tree the LaTeX grammar builds, with spans into the text as typed:

- ``a ** 2`` (and ``a ^ 2``, as docstrings write it) -> a power; ``a ** q`` with q a name ->
  a power by that value (read/rules_value_powers.py, as ``power(a, q)``);
- ``a * b`` -> an elementwise product (NumPy's ``*``: Hadamard, or scaling by a scalar;
  never a matrix product); ``a / b`` -> a division, entry by entry;
- ``y_true`` -> ``y_{true}``, ``p_t`` -> ``p_t``, ``x1`` -> ``x_1``, ``gamma`` -> ``\gamma``,
  ``loss`` -> one name (``\text{loss}``);
- ``f(a, axis=-1)`` -> a call, read by :mod:`papermath.read.rules_losses` (``sum``,
  ``mean``, ``maximum``, ``square``, ``abs``, ``log``, ...).

Refused, with the caret on the construct: loops and branches (``for x in error:``), the
conditional expression (``a if c else b``), comparisons, a power whose exponent is neither a
number nor a name (``p ** (q + 1)``), lists, indexing and attributes (``loss.append``; but
for the loop of parse/code_loops.py, and the brackets parse/code_index.py reads: ``x[t]``,
``W[x->i]``, ``updates[param]``), ``//``, ``%``, ``@``. A sum, ``\sum`` or ``sum_i``, and
``|a|``: parse/code_sums.py.

Examples that read (each a whole source):

    ```python
    loss = mean(square(y_true - y_pred))
    ```

    ```python
    loss = y_pred - y_true * log(y_pred)
    ```
"""

from __future__ import annotations

import dataclasses
import re

from ..errors import ParseError
from ..source import Span
from . import (
    ast,
    code_index,
    code_labels,
    code_loops,
    code_sums,
    code_unicode,
    code_updates,
    keras_shapes,
    label_cases,
    rst_literals,
)
from .code_nodes import CodeDefinition
from .normalize import _CODE_FENCE, _CODE_SPAN, _MATH_LANGS

__all__ = ["CodeDefinition", "code_regions", "read_code"]


# the command of a call's head written in code (never produced by the LaTeX grammar)
CODE_COMMAND = "code"
# the written operator of code's `*`: elementwise, never a matrix product
CODE_TIMES = "code*"

_GREEK = frozenset(
    {
        *("alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta"),
        *("iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon"),
        *("phi", "varphi", "chi", "psi", "omega"),
    }
)
_TOKEN = re.compile(
    r"(?P<ws>[ \t]+)"
    r"|(?P<num>\d+\.\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|\d+(?:[eE][-+]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|//|==|!=|<=|>=|:=|[-+*/^%@()\[\],=<>.:|])"
)
_KEYWORDS = {
    "for": "a loop",
    "while": "a loop",
    "if": "a branch",
    "elif": "a branch",
    "else": "a branch",
    "def": "a function definition in code",
    "return": "a return statement",
    "import": "an import",
    "lambda": "a lambda",
}


@dataclasses.dataclass(frozen=True)
class _Tok:
    kind: str  # num, name, op, end
    text: str
    start: int
    end: int


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    out: list[_Tok] = []
    pos = start
    while pos < end:
        m = _TOKEN.match(text, pos, end)
        if m is None and (uni := code_unicode.token(text[pos])) is not None:  # σ, −
            out.append(_Tok(uni[0], uni[1], pos, pos + 1))
            pos += 1
            continue
        if m is None and text.startswith("\\sum", pos) and not text[pos + 4 : pos + 5].isalpha():
            out.append(_Tok("op", "\\sum", pos, pos + 4))  # 1/n \sum |x_i - y_i|: code_sums.py
            pos += 4
            continue
        if m is None and (mixed := code_unicode.latex_command(text, pos)) is not None:
            raise mixed  # \sum in a ```lua block: the whole command under the caret
        if m is None and text[pos] == "?" and ":" in text[pos:end]:
            raise ParseError(  # class != ignoreIndex ? -x[class] : 0 (Torch7's ClassNLL)
                "a C-style conditional expression (condition ? a : b) in a formula written as "
                "code is not read",
                span=Span(pos, pos + 1),
                hint="give the formula the model computes without the condition; a value "
                "chosen by a comparison (a loss of 0 for an ignored label) is not read yet",
            )
        if m is None:
            raise ParseError(
                f"papermath cannot read the character {text[pos]!r} in this formula written "
                "as code",
                span=Span(pos, pos + 1),
                hint="code is read as plain-text math: names, numbers, + - * / **, calls",
            )
        kind = m.lastgroup or "ws"
        if kind != "ws":
            out.append(_Tok(kind, m.group(0), m.start(), m.end()))
        pos = m.end()
    out.append(_Tok("end", "", end, end))
    return out


def code_regions(text: str) -> list[tuple[int, int, str]]:
    """Every piece of code that defines something: a line of a fenced block of another
    language, or a backtick span, with an ``=`` that is no comparison: (start, end, where)."""
    found: list[tuple[int, int, str]] = []
    fenced: list[tuple[int, int]] = []
    pos = 0
    while (m := _CODE_FENCE.search(text, pos)) is not None:
        close = _CODE_FENCE.search(text, m.end())
        if m.group(1).lower() in _MATH_LANGS or (m.group(1) == "" and close is None):
            pos = close.end() if close is not None else m.end()
            continue
        end = close.start() if close is not None and close.group(1) == "" else len(text)
        fenced.append((m.start(), end))
        where = f"a ```{m.group(1)} block" if m.group(1) else "a ``` block"
        line_start = m.end() + 1
        for line in text[m.end() + 1 : end].split("\n"):
            body = line.split("#", 1)[0]
            if (number := code_index.number_suffix.search(body)) is not None:
                body = body[: number.start()]  # "...  (4)": an equation number
            a = line_start + len(body) - len(body.lstrip())
            b = line_start + len(body.rstrip())
            if b > a and not _CODE_FENCE.fullmatch(line):  # a fence is no code line
                found.append((a, b, where))
            line_start += len(line) + 1
        pos = close.end() if end != len(text) and close is not None else len(text)
    for _, lit, lit_end in rst_literals.assignments(text):  # * ``p := p - g`` (RST)
        if not any(a <= lit < b for a, b in fenced):
            found.append((lit, lit_end, "an RST ``literal``"))
    for m in _CODE_SPAN.finditer(text):
        if any(a <= m.start() < b for a, b in fenced):
            continue
        if any(a <= m.start() < b + 2 for _, a, b in rst_literals.assignments(text)):
            continue
        if _defines(m.group(1)):
            found.append((m.start(1), m.end(1), "a `code` span"))
    return sorted(found)


# "y_true: The ground truth values ... with shape = `[batch_size, d0, .. dN]`" (Keras' Args)
_SHAPE_SAID = re.compile(
    r"^[ \t]*(?P<sym>[A-Za-z_]\w*)[ \t]*:(?:(?!\n[ \t]*\w+:)[\s\S]){0,300}?"
    r"\bshape\s*=?\s*`(?P<shape>\[[^`\n]*\])`",
    re.MULTILINE,
)


def _defines(code: str) -> bool:
    """An ``=`` that is no ``==``, ``<=``, ``>=`` or ``!=``."""
    return re.search(r"(?<![=<>!])=(?!=)", code) is not None


def read_code(text: str) -> list[ast.Statement]:
    """The definitions the code of ``text`` writes (see the module). In a fenced block,
    every line must read (a loop is refused at its keyword); a backtick span is read where
    it defines something."""
    said = _SHAPE_SAID.search(text)
    every = list(_SHAPE_SAID.finditer(text))  # [batch_size, d0, .. dN]: parse/keras_shapes.py
    if said is not None and all(keras_shapes.keras_form(m.group("shape")) for m in every):
        said = None
    if said is not None:  # Keras' Args: "y_true: ... with shape = `[batch_size, d0, .. dN]`"
        raise ParseError(
            f"the prose gives the shape of {said.group('sym')} "
            f"({' '.join(said.group('shape').split())}): papermath does not read shapes from "
            "prose, and read without it the formula could get other shapes",
            span=Span(said.start("shape"), said.end("shape")),
            hint=f"declare one example's value in the notation, e.g. `% {said.group('sym')} "
            "\\in \\mathbb{R}^{n}`, and delete the sentence",
        )
    statements: list[ast.Statement] = []
    lines, skip = code_regions(text), 0
    code_index.drawn_fraction(text, lines)  # a ---- bar between two lines: refused
    for k, (start, end, where) in enumerate(lines):
        if skip:
            skip -= 1
            continue
        if where.endswith("span") and not _defines(text[start:end]):
            continue
        if where.endswith("span") and code_index.entry_value(text[start:end]):
            continue  # "predicting `t[i] = 1`": the value an entry takes, said in prose
        reader = (_Parser, symbol, CodeDefinition)
        if (loop := code_loops.find(text, lines, k, reader)) is not None:  # code_loops.py
            statements.append(loop[1])
            skip = loop[2] - 1
            continue
        if (left_out := code_labels.conditional_variant(text, lines, k, statements)) is not None:
            statements[left_out[0]] = left_out[1]  # `c ? a : b` after "in the case of": a form
            continue  # left out, said on the definition before it (parse/code_labels.py)
        statement = _Parser(text, start, end, where).statement()
        sides: list[ast.Node] = []  # lines that start with `=` under it: the chain goes on
        while (after := code_labels.continuation(text, lines, k + 1 + len(sides))) is not None:
            sides.append(_Parser(text, after[0], after[1], where).continued())
        if sides:
            statement = code_labels.chained(statement, sides)
            skip = len(sides)
        statements.append(statement)
    statements = code_index.diagonal(text, statements)  # W[c->i] said diagonal: W \odot I
    statements = code_updates.rewrite(text, statements, symbol)  # p := p - g: one step
    statements.extend(code_sums.roles(text, statements))  # loss(x, y): "target `y`"
    if every:  # the shapes Keras' docstring gives in words, declared (parse/keras_shapes.py)
        left = [s.lhs for s in statements if isinstance(s, CodeDefinition)]
        name = text[left[0].span.start : left[0].span.end] if len(left) == 1 else None
        declared = keras_shapes.declarations(every, name)
        if not declared:
            m = every[0]
            raise ParseError(
                f"the prose gives the shape of {m.group('sym')} "
                f"({' '.join(m.group('shape').split())}), but papermath cannot declare it here",
                span=Span(m.start("shape"), m.end("shape")),
                hint=f"declare one example's value in the notation, e.g. `% {m.group('sym')} "
                "\\in \\mathbb{R}^{n}`, and delete the sentence",
            )
        statements.extend(declared)
    return statements


def loop_at(text: str, start: int) -> code_loops.Loop | None:
    """The loop (parse/code_loops.py) whose selection call starts at ``start``: for the
    reader, which reads the call it was replaced by."""
    lines = code_regions(text)
    for k, (a, _, _) in enumerate(lines):
        if a == start:
            found = code_loops.find(text, lines, k, (_Parser, symbol, CodeDefinition))
            return found[0] if found else None
    return None


class _Parser:
    """A recursive descent over one line of code (Python's precedence: ``**`` binds
    tighter than a unary minus on its left, ``*`` ``/`` tighter than ``+`` ``-``)."""

    def __init__(self, text: str, start: int, end: int, where: str) -> None:
        self.text = text
        self.where = where
        self.toks = _tokens(text, start, end)
        self.i = 0
        self.indexed = False  # the line indexes with brackets: pseudo-code (code_index.py)

    # ---- tokens ---------------------------------------------------------------------------
    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def at(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def expect(self, op: str) -> _Tok:
        if not self.at(op):
            raise self.unexpected(f"expected {op}")
        return self.take()

    def unexpected(self, hint: str) -> ParseError:
        tok = self.tok
        if tok.kind == "end":
            return ParseError(
                "the formula written as code ends in the middle of an expression",
                span=Span(max(tok.start - 1, 0), max(tok.start, 1)),
                hint=hint,
            )
        return ParseError(
            f"unexpected {tok.text} in a formula written as code",
            span=Span(tok.start, tok.end),
            hint=hint,
        )

    def refuse(self, what: str, span: Span, hint: str) -> ParseError:
        return ParseError(f"{what} in a formula written as code is not read", span=span, hint=hint)

    # ---- statements -----------------------------------------------------------------------
    def statement(self) -> ast.Statement:
        tok = self.tok
        if tok.kind == "name" and tok.text in _KEYWORDS:
            raise self.refuse(
                f"{_KEYWORDS[tok.text]} ({tok.text} ...)",
                Span(tok.start, tok.end),
                "write the formula it computes, one equation for each value (as LaTeX, or "
                "as code: loss = mean(square(y_true - y_pred)))",
            )
        lhs = self.postfix()
        if not self.at("=", ":="):
            raise self.unexpected("a line of code is read as an equation: name = expression")
        self.take()
        rhs = self.expr()
        if self.tok.kind != "end":
            if self.at(","):
                raise self.refuse(
                    "a comma after the expression",
                    Span(self.tok.start, self.tok.end),
                    "write one expression after =",
                )
            raise self.unexpected("expected the end of the expression")
        span = Span(lhs.span.start, rhs.span.end)
        return CodeDefinition(span, lhs, rhs, None, where=self.where)

    def continued(self) -> ast.Node:
        """``= expression``: a line that goes on with the chain of the line above it."""
        self.expect("=")
        rhs = self.expr()
        if self.tok.kind != "end":
            raise self.unexpected("expected the end of the expression")
        return rhs

    # ---- expressions ----------------------------------------------------------------------
    def expr(self) -> ast.Node:
        node = self.sum()
        tok = self.tok
        if tok.kind == "name" and tok.text == "if":
            if (chosen := label_cases.code_select(self, node)) is not None:
                return chosen  # a if y == 1 else b: cases on a label (read/rules_label_cases)
            raise self.refuse(
                "a conditional expression (a if c else b)",
                Span(tok.start, tok.end),
                "write the formula that holds for both cases, e.g. y * a + (1 - y) * b where "
                "the condition is a label y == 1 with labels in {0, 1}",
            )
        if self.at("==", "!=", "<=", ">=", "<", ">"):
            raise self.refuse(
                f"a comparison ({tok.text})",
                Span(tok.start, tok.end),
                "an equation defines a value: name = expression",
            )
        return node

    def sum(self) -> ast.Node:
        node = self.product()
        while self.at("+", "-"):
            op = self.take()
            right = self.product()
            node = ast.BinOp(
                Span(node.span.start, right.span.end),
                op.text,
                node,
                right,
                Span(op.start, op.end),
            )
        return node

    def product(self) -> ast.Node:
        node = self.unary()
        while self.at("*", "/", "//", "%", "@"):
            op = self.take()
            if op.text in ("//", "%", "@"):
                words = {"//": "floor division", "%": "the remainder", "@": "a matrix product"}
                raise self.refuse(
                    f"{words[op.text]} ({op.text})",
                    Span(op.start, op.end),
                    "papermath reads + - * / and ** in code",
                )
            right = self.unary()
            node = ast.BinOp(
                Span(node.span.start, right.span.end),
                CODE_TIMES if op.text == "*" else "/",
                node,
                right,
                Span(op.start, op.end),
            )
        if self.juxtaposed(node):  # W[x->i]x[t], f[t]c[t−1]: a product (code_index.py)
            right = code_sums.bounded(node, self.product())  # 1/n \sum: from 1 to n
            return ast.Juxt(Span(node.span.start, right.span.end), node, right)
        return node

    def sum_ahead(self) -> bool:
        """``\\sum``, or ``sum_i`` followed by a term (``sum_i / n``: a name sum_i)."""
        nxt = self.toks[min(self.i + 1, len(self.toks) - 1)]
        starts = nxt.kind in ("name", "num") or (nxt.kind == "op" and nxt.text in ("(", "|"))
        return self.tok.kind == "op" or starts

    def big_sum(self) -> ast.Node:
        """``\\sum body``, ``\\sum_j body``, ``sum_i body``: a sum over the product after
        it (parse/code_sums.py)."""
        tok = self.take()
        letter = code_sums.sum_index(tok.text)
        at = Span(tok.start, tok.end)
        if letter is None and self.tok.kind == "name" and re.fullmatch(r"_[A-Za-z]", self.tok.text):
            index_tok = self.take()  # \sum_j
            letter, at = index_tok.text[1], Span(index_tok.start + 1, index_tok.end)
        body = self.product()
        if letter is None:
            letter = code_sums.implicit_index(body, at)
        sub = ast.Letter(at, letter)
        return ast.BigOp(Span(tok.start, body.span.end), "sum", sub, None, body)

    def juxtaposed(self, node: ast.Node) -> bool:
        """A factor written right after one that ends in a bracket or a parenthesis, on a
        line that indexes with brackets (parse/code_index.py)."""
        tok = self.tok
        if code_sums.is_sum(tok.kind, tok.text) and self.sum_ahead():
            return True  # 1/n \sum ...: a factor, then the sum (parse/code_sums.py)
        starts = (tok.kind == "name" and tok.text not in _KEYWORDS) or self.at("(")
        ends = self.text[node.span.end - 1 : node.span.end] in ("]", ")")
        return self.indexed and starts and ends

    def unary(self) -> ast.Node:
        if code_sums.is_sum(self.tok.kind, self.tok.text) and self.sum_ahead():
            return self.big_sum()
        if self.at("-", "+"):
            op = self.take()
            body = self.unary()
            if op.text == "+":
                return body
            return ast.Neg(Span(op.start, body.span.end), body)
        return self.power()

    def power(self) -> ast.Node:
        base = self.postfix()
        if not self.at("**", "^"):
            return base
        self.take()
        tok = self.tok
        if tok.kind == "name" and tok.text not in _KEYWORDS:  # a ** q: by a value (np.power)
            exponent = self.atom()
            if self.at("**", "^", "("):
                raise self.unexpected("write a power of a power, or a call, with parentheses")
            func = ast.Text(Span(tok.start, tok.start), CODE_COMMAND, "power")
            return ast.Call(Span(base.span.start, exponent.span.end), func, (base, exponent))
        if tok.kind != "num":
            exponent = self.unary()
            raise self.refuse(
                "a power whose exponent is not a number or a name",
                exponent.span,
                "papermath reads powers by a number (x ** 2) or by a name (x ** q); name the "
                "exponent with an equation of its own (e = q + 1, then x ** e)",
            )
        self.take()
        exponent = ast.Number(Span(tok.start, tok.end), tok.text)
        if self.at("**", "^"):
            raise self.unexpected("write a power of a power with parentheses")
        return ast.Sup(Span(base.span.start, tok.end), base, exponent)

    def postfix(self) -> ast.Node:
        node = self.atom()
        while True:
            if self.at("("):
                if self.indexed and isinstance(node, ast.Sub):
                    return node  # W[hr->c](s[t−1]r[t]): a product (parse/code_index.py)
                if not _is_name(node):
                    raise self.unexpected("only a name can be called")
                node = self.call(node)
            elif self.at("[") and (indexed := self.bracket(node)) is not None:
                node = indexed  # x[t], W[x->i], updates[param] (parse/code_index.py)
            elif self.at("[") and (by_name := code_index.by_name(self.text, self.toks, self.i)):
                raise by_name  # x[class]: a label, a lookup or a slice? (code_index.py)
            elif self.at("[", "."):
                tok = self.tok
                what = "indexing (x[...])" if tok.text == "[" else "an attribute (x.y)"
                hint = "write the formula with names, numbers, operators and calls"
                after = self.toks[self.i + 1 : self.i + 3]
                if tok.text == "." and [t.text for t in after[1:]] == ["("]:
                    # module = nn.SAdd(addend, negate): a library's constructor, no formula
                    called = self.text[node.span.start : after[0].end]
                    raise ParseError(
                        f"an attribute (x.y) in a formula written as code is not read: "
                        f"{called}(...) calls a library's constructor, code that builds a "
                        "module, not the formula the module computes",
                        span=Span(tok.start, tok.end),
                        hint="give the formula the module computes in math (y_i = x_i + b "
                        "in $...$), or leave the code line out",
                    )
                raise self.refuse(what, Span(tok.start, tok.end), hint)
            else:
                return node

    def bracket(self, node: ast.Node) -> ast.Node | None:
        """``x[t]``, ``h[t−1]``, ``W[x->i]``, ``updates[param]`` read (parse/code_index.py);
        None (refused by the caller, the caret on ``[``) for any other bracket."""
        close = next((k for k in range(self.i, len(self.toks)) if self.at_op(k, "]")), None)
        if close is None or not isinstance(node, ast.Letter | ast.Text):
            return None
        if isinstance(node, ast.Text) and node.command != "text":
            return None
        name = self.text[node.span.start : node.span.end]
        if not re.fullmatch(r"[A-Za-z]\w*", name):
            return None  # σ[t], y_true[i]: not read
        inner = self.toks[self.i + 1 : close]
        span = Span(node.span.start, self.toks[close].end)
        kinds = [(t.kind, t.text) for t in inner]
        at = Span(inner[0].start, inner[-1].end) if inner else span
        found: ast.Node | None = None
        if (
            len(inner) == 4
            and inner[0].kind in ("name", "num")
            and kinds[1:3] == [("op", "-"), ("op", ">")]
            and inner[1].end == inner[2].start
            and inner[3].kind == "name"
            and re.fullmatch(r"\w+", inner[0].text + inner[3].text)
        ):
            found = code_index.keyed(node, name, inner[0].text, inner[3].text, span, at)
        elif (
            len(inner) == 1
            and inner[0].kind == "name"
            and inner[0].end - inner[0].start == len(inner[0].text)
            and code_index.dictionary(self.text, name)
        ):
            found = code_index.lookup(node, name, inner[0].text, span, at)
        elif (
            len(inner) == 1
            and inner[0].kind == "name"
            and len(inner[0].text) > 1
            and code_labels.says_class_index(self.text, inner[0].text)
        ):
            found = code_labels.pick(node, inner[0].text, span, at)  # x[class] (code_labels.py)
        elif len(inner) in (1, 3) and inner[0].kind == "name" and len(inner[0].text) == 1:
            letter = inner[0]
            if len(inner) == 1 and letter.end - letter.start == 1:
                found = code_index.stepped(node, letter.text, None, None, [at], span)
            elif (
                len(inner) == 3
                and kinds[1] in (("op", "-"), ("op", "+"))
                and inner[2].kind == "num"
                and inner[2].text.isdigit()
            ):
                spans = [Span(x.start, x.end) for x in inner]
                found = code_index.stepped(
                    node, letter.text, kinds[1][1], inner[2].text, spans, span
                )
        if found is not None:
            self.indexed = True
            self.i = close + 1
        return found

    def at_op(self, k: int, op: str) -> bool:
        return self.toks[k].kind == "op" and self.toks[k].text == op

    def call(self, head: ast.Node) -> ast.Node:
        self.expect("(")
        args: list[ast.Node] = []
        while not self.at(")"):
            tok = self.tok
            nxt = self.toks[min(self.i + 1, len(self.toks) - 1)]
            if tok.kind == "name" and nxt.kind == "op" and nxt.text == "=":
                self.take()
                self.take()
                value = self.expr()
                key = ast.Text(Span(tok.start, tok.end), "text", tok.text)
                args.append(ast.ScriptEq(Span(tok.start, value.span.end), key, value))
            else:
                args.append(self.expr())
            if not self.at(","):
                break
            self.take()
        close = self.expect(")")
        assert isinstance(head, ast.Text)
        func = ast.Text(head.span, CODE_COMMAND, head.content)
        return ast.Call(Span(head.span.start, close.end), func, tuple(args))

    def atom(self) -> ast.Node:
        tok = self.tok
        if tok.kind == "num":
            self.take()
            return ast.Number(Span(tok.start, tok.end), tok.text)
        if tok.kind == "name":
            if tok.text in _KEYWORDS or tok.text in ("in", "and", "or", "not", "is"):
                raise self.refuse(
                    f"the keyword {tok.text}",
                    Span(tok.start, tok.end),
                    "write the formula with names, numbers, operators and calls",
                )
            self.take()
            if self.at("("):
                return ast.Text(Span(tok.start, tok.end), "text", tok.text)  # a call's head
            if tok.end - tok.start != len(tok.text):  # σ: code_unicode.py, one character
                return ast.Letter(Span(tok.start, tok.end), tok.text)
            return symbol(tok.text, tok.start)
        if self.at("("):
            open_ = self.take()
            body = self.expr()
            close = self.expect(")")
            return ast.Paren(Span(open_.start, close.end), body)
        if self.at("|") and self.toks[self.i + 1].text == "|":
            raise self.refuse(
                "a norm or two bars (||x||)",
                Span(tok.start, self.toks[self.i + 1].end),
                "write the norm as a call, norm(x), or the absolute value with one bar, |x|",
            )
        if self.at("|"):  # |x_i - y_i|: the absolute value (parse/code_sums.py)
            open_ = self.take()
            body = self.sum()
            close = self.expect("|")
            return ast.Abs(Span(open_.start, close.end), body)
        if self.at("["):
            raise self.refuse(
                "a list ([...])",
                Span(tok.start, tok.end),
                "write the formula with names, numbers, operators and calls",
            )
        raise self.unexpected("expected a name, a number or (")


def _is_name(node: ast.Node) -> bool:
    return isinstance(node, ast.Text) and node.command == "text"


def symbol(name: str, start: int) -> ast.Node:
    """A name in code as the symbol LaTeX writes: ``y_true`` -> y_{true}, ``x1`` -> x_1,
    ``gamma`` -> \\gamma, ``loss`` -> one name.

    >>> symbol("y_true", 0).script.content
    'true'
    """
    span = Span(start, start + len(name))
    base, sep, rest = name.partition("_")
    if not sep:
        digits = re.fullmatch(r"([A-Za-z])(\d+)", name)
        if digits:  # x1: x_1
            return ast.Sub(
                span,
                ast.Letter(Span(start, start + 1), digits.group(1)),
                ast.Number(Span(start + 1, span.end), digits.group(2)),
            )
        return _word(name, span)
    if not base or not rest or "_" in rest:
        return ast.Text(span, "text", name)
    head = _word(base, Span(start, start + len(base)))
    at = start + len(base) + 1
    script_span = Span(at, span.end)
    script: ast.Node
    if rest.isdigit():
        script = ast.Number(script_span, rest)
    elif len(rest) == 1:
        script = ast.Letter(script_span, rest)
    else:
        script = ast.Text(script_span, "text", rest)
    return ast.Sub(span, head, script)


def _word(name: str, span: Span) -> ast.Node:
    if len(name) == 1 or name in _GREEK:
        return ast.Letter(span, name)
    return ast.Text(span, "text", name)


def latex(node: ast.Node, calls: dict[int, str] | None = None) -> str:
    """LaTeX for a piece of code as read (for the equations pane and printed gradients): a
    call already read is printed as ``calls`` says (by the id of its node).

    >>> from papermath.parse.code import read_code
    >>> latex(read_code("`loss = 2 * y_true ** 2 / q`")[0].rhs)
    '\\\\frac{2 y_{true}^{2}}{q}'
    """
    calls = calls or {}

    def tex(n: ast.Node) -> str:
        match n:
            case ast.Call() if id(n) in calls:
                return calls[id(n)]
            case ast.Number(text=text):
                return text
            case ast.Letter(name=name):
                return name if len(name) == 1 else f"\\{name}"
            case ast.Text(content=content):
                return f"\\mathrm{{{content}}}"
            case code_index.CodeKey(base=base, written=written):
                return code_index.latex(tex(base), written)  # W[x->i]: W_{x \to i}
            case ast.Juxt(left=a, right=b):
                return f"{tex(a)} {tex(b)}"  # W[x->i]x[t] (parse/code_index.py)
            case ast.Sub(base=base, script=script):
                inner = script.content if isinstance(script, ast.Text) else tex(script)
                return f"{tex(base)}_{{{inner}}}"
            case ast.Paren(body=body):
                return f"\\left({tex(body)}\\right)"
            case ast.Neg(body=body):
                return f"-{tex(body)}"
            case ast.Sup(base=base, script=script):
                return f"{tex(base)}^{{{tex(script)}}}"
            case ast.BinOp(op="/", left=a, right=b):
                return f"\\frac{{{tex(_bare(a))}}}{{{tex(_bare(b))}}}"
            case ast.BinOp(op=op, left=a, right=b) if op == CODE_TIMES:
                by_number = isinstance(a, ast.Number) or isinstance(b, ast.Number)
                return f"{tex(a)} {tex(b)}" if by_number else f"{tex(a)} \\odot {tex(b)}"
            case ast.BinOp(op=op, left=a, right=b):
                return f"{tex(a)} {op} {tex(b)}"
            case ast.BigOp(op=op, sub=sub, sup=sup, body=body):  # \sum_j exp(x[j])
                under = "" if sub is None else f"_{{{tex(sub)}}}"
                over = "" if sup is None else f"^{{{tex(sup)}}}"
                return f"\\{op}{under}{over} {tex(body)}"
            case ast.ScriptEq(left=a, right=b):
                return f"{tex(a)}={tex(b)}"
            case ast.Call(func=ast.Text(content=name), args=args):
                shown = ", ".join(tex(x) for x in args if not isinstance(x, ast.ScriptEq))
                if name in _GREEK:  # σ(...) (parse/code_unicode.py): \sigma, as LaTeX writes it
                    return f"\\{name}\\left({shown}\\right)"
                return f"\\operatorname{{{name}}}\\left({shown}\\right)"
        return " ".join(str(n).split())[:40]

    return tex(node)


def _bare(node: ast.Node) -> ast.Node:
    """The body of a parenthesis (a fraction's bar groups it already)."""
    return node.body if isinstance(node, ast.Paren) else node

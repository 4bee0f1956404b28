"""The postlexer: layout decisions that need one token of context, like lark's ``Indenter``.

- a newline ends a statement, except inside brackets or after an operator;
- ``&`` is alignment, kept only inside a matrix environment;
- ``\\\\`` ends a row, except before a row that begins with ``=`` (``&= ...``): a chain
  ``a = b = c`` continued over rows;
- ``\\|`` and ``|`` open a norm / absolute value or close the one that is open; a ``|``
  between two indices of a subscript (``\\hat u_{j|i}``) separates them, as a comma;
- a ``.`` that ends a sentence (before a newline or the end of the math) separates
  statements; elsewhere it is a product (``a . b``);
- ``\\begin{align}`` is a math block in prose, a separator in plain math;
- an unknown command is an error here, with its span, never a symbol.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lark import Token

from ..errors import ParseError
from ..source import Span
from . import (  # \| between values: concatenation or a norm (parse/bars.py)
    arrow_prefix,
    arrow_sums,
    arrows,
    bars,
    cases,
    cut,
    display_close,
    entry_vectors,
    hmm_tables,
    map_definitions,
    matrix_dots,
    preamble_macros,
    quantifiers,
    range_chains,
    row_breaks,
    script_conditions,
    set_builder,
    softmax_outcome,
    sum_exclusions,
)
from .set_builder import refusal as set_builder_refusal

OPENERS = {
    "_LPAR": "_RPAR",
    "_LBRACK": "_RBRACK",
    "_LBRACE": "_RBRACE",
    "_LSET": "_RSET",
    "NORM_OPEN": "NORM_CLOSE",
    "ABS_OPEN": "ABS_CLOSE",
    "_BEGIN_MATRIX": "_END_MATRIX",
}
CLOSERS = {v: k for k, v in OPENERS.items()}
DISPLAY = {
    "_LPAR": "(",
    "_LBRACK": "[",
    "_LBRACE": "{",
    "_LSET": "\\{",
    "NORM_OPEN": "\\|",
    "ABS_OPEN": "|",
    "_BEGIN_MATRIX": "\\begin{matrix}",
    "_RPAR": ")",
    "_RBRACK": "]",
    "_RBRACE": "}",
    "_RSET": "\\}",
    "NORM_CLOSE": "\\|",
    "ABS_CLOSE": "|",
    "_END_MATRIX": "\\end{matrix}",
}

# After these, a newline continues the statement (`a +` newline `b`).
CONTINUES = {
    "PLUS",
    "MINUS",
    "MULOP",
    "HADAMARD",
    "CONCAT_BAR",
    "DEFOP",
    "_IN",
    "_SIM",
    "_SUB",
    "_SUP",
    "BIGOP",
    "FRAC",
    "SQRT",
    "FONT",
    "DECOR",
    "FUNC_CMD",
    "_COMMA",
}
# A token that can end a value: after one, a bar closes a norm and a `.` may end a sentence.
ENDS_VALUE = {
    "LETTER",
    "GREEK",
    "NUMBER",
    "_RPAR",
    "_RBRACK",
    "_RBRACE",
    "_RSET",
    "NORM_CLOSE",
    "ABS_CLOSE",
    "PRIME",
    "DOTS",
    "TEXT_CMD",
    "TRANSPOSE",
    "_END_MATRIX",
    "FUNCWORD",
}
# After a `.`, these mean the `.` ended a sentence.
ENDS_SENTENCE = {
    "_NL",
    "_LINEBREAK",
    "_DOLLAR",
    "_DDOLLAR",
    "END_ENV",
    "_DISPLAY_CLOSE",
    "_INLINE_CLOSE",
    "_PROSE",
    "_COMMA",
    "_SEMI",
    "_PROSEWORD",
    "_QUAD",
}


# Limits on one statement, so that no input reaches Python's recursion limit in the stages
# that walk the tree (docs/notation.md, "Limits"): brackets nested this deep, and this many
# tokens in one statement, are refused with a caret.
MAX_NESTING = 100
MAX_STATEMENT_TOKENS = 2000


@dataclass
class Layout:
    """A lark postlexer. ``mixed`` is set per parse: prose with math in ``$...$``."""

    mixed: bool = False
    text: str = ""  # the source being parsed (for the spacing around plain-text words)
    comments: list[Token] = field(default_factory=list)
    known_commands: tuple[str, ...] = ()  # from the grammar, for "did you mean"
    soft_newlines: frozenset[int] = frozenset()  # newlines inside an equation (normalize.py)
    always_accept: tuple[str, ...] = (
        "_NL",
        "DOT",
        "NORM_BAR",
        "ABS_BAR",
        "_AMP",
        "BEGIN_ENV",
        "END_ENV",
        "UNKNOWN_CMD",
        "COMMENT",
    )

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        self.comments = []
        stack: list[Token] = []
        prev: Token | None = None
        in_math = not self.mixed
        env_depth = 0
        pending: Token | None = None  # a DOT waiting for the next token
        envs: list[Token] = []  # open \begin{...}
        display_at = -1  # where the display math now open began ($ or $$)
        scripts: set[int] = set()  # the braces of subscripts (_{...}) on the stack
        held: Token | None = None  # a `\\` ending a row, until the next row says if it ends
        orphan: int | None = None  # a `$$` closing the display of a math-only environment

        count = 0  # tokens in the statement so far
        first: Token | None = None  # its first token

        def significant(tok: Token) -> Iterator[Token]:
            nonlocal prev, count, first
            prev = tok
            if tok.type in ("_NL", "_LINEBREAK", "_SEMI", "_SENTENCE_END") and not stack:
                count, first = 0, None
            else:
                count += 1
                first = first or tok
                if count > MAX_STATEMENT_TOKENS:
                    raise ParseError(
                        f"this statement is longer than {MAX_STATEMENT_TOKENS} symbols and "
                        "operators: papermath reads equations up to that length",
                        span=Span(first.start_pos or 0, tok.end_pos or 0),
                        hint="split it into several equations (name the parts)",
                    )
            yield tok

        tokens = iter(stream)
        for tok in tokens:
            kind = tok.type
            if held is not None and kind not in ("_NL", "_AMP", "COMMENT"):
                if kind != "DEFOP":  # the row ended; `\\ &= c` continues the chain
                    yield from significant(held)
                held = None
            if kind == "_SUB" and in_math and _PLAIN_STEP.match(self.text, tok.end_pos or 0):
                # plain text `h_t-1`: the step t-1, written without braces or spaces. Tokens
                # are pulled one at a time, so the contextual lexer sees each parser state.
                yield from significant(tok)
                yield from significant(_synthetic("_LBRACE", "{", tok.end_pos or 0, tok))
                for _ in range(3):
                    last = next(tokens)
                    yield from significant(last)
                yield from significant(_synthetic("_RBRACE", "}", last.end_pos or 0, last))
                continue
            word = _PLAIN_WORD.match(self.text, tok.end_pos or 0) if kind == "_SUB" else None
            if word is not None and in_math:
                # plain text `W_xf`: a subscript word without braces is one label, W_{xf}
                yield from significant(tok)
                yield from significant(_synthetic("_LBRACE", "{", tok.end_pos or 0, tok))
                last = tok
                while (last.end_pos or 0) < word.end():
                    last = next(tokens)
                    yield from significant(last)
                yield from significant(_synthetic("_RBRACE", "}", last.end_pos or 0, last))
                continue
            if kind == "LETTER" and in_math and not stack and _PLAIN_IN.match(self.text, _pos(tok)):
                # plain text `x_t in R^m`: the word `in`, spaced on both sides, is \in
                second = next(tokens)
                yield from significant(
                    Token(
                        "_IN",
                        "in",
                        tok.start_pos,
                        tok.line,
                        tok.column,
                        second.end_line,
                        second.end_column,
                        second.end_pos,
                    )
                )
                continue
            if kind == "COMMENT":
                self.comments.append(tok)
                continue
            if kind == "MAPSTO" and not map_definitions.allowed(self.text, _pos(tok)):
                raise unknown_command(tok, self.known_commands, self.text)  # not f = x \mapsto
            if kind == "NEQ" and not (
                stack
                and id(stack[-1]) in scripts
                and sum_exclusions.under_sum(self.text, _pos(stack[-1]))
            ):  # \neq only in a sum's subscript (parse/sum_exclusions.py); else as before
                raise unknown_command(tok, self.known_commands, self.text)
            if kind == "UNKNOWN_CMD":
                if (
                    stack
                    and id(stack[-1]) in scripts
                    and arrows.is_edge(self.text, str(tok), _pos(stack[-1]), tok.end_pos or 0)
                ):
                    # e_{j \rightarrow i}: the edge from j to i, as e_{j,i} (parse/arrows.py)
                    yield from significant(Token.new_borrow_pos("_COMMA", str(tok), tok))
                    continue
                if (
                    not stack
                    and prev is not None
                    and quantifiers.after_equation(str(tok), prev.type, self.text, tok.end_pos or 0)
                ):
                    continue  # h_v = ..., \forall v \in V: "v \in V" declares v (quantifiers.py)
                if stack and stack[-1].type == "_LSET" and prev is not None:
                    said = set_builder.condition_token(str(tok), prev.type)
                    if said == "":  # \{h_j, \forall j \in N(i)\}: the quantifier says "each"
                        continue
                    if said is not None:  # \{h_u \mid u \in N(v)\}: the bar before the condition
                        yield from significant(Token.new_borrow_pos(said, str(tok), tok))
                        continue
                raise unknown_command(tok, self.known_commands, self.text)
            if pending is not None:
                dot, pending = pending, None
                yield from significant(self._dot(dot, kind))
            if kind == "DOT":
                if not in_math:
                    continue
                pending = tok
                continue
            if kind == "_DDOLLAR" and orphan is not None and _pos(tok) == orphan:
                orphan = None
                continue
            if kind != "_NL" and str(tok).strip():
                orphan = None
            if kind in ("_DOLLAR", "_DDOLLAR", "_DISPLAY_OPEN", "_INLINE_OPEN"):
                if kind in ("_DOLLAR", "_DDOLLAR"):
                    if in_math and env_depth == 0:
                        self._check_closed(stack, tok)
                        if self.mixed and kind == "_DDOLLAR":  # $$ \begin{aligned} rows $$
                            envs = display_close.left_open(envs, display_at, self.text, _pos(tok))
                    elif env_depth == 0:
                        display_at = _pos(tok)
                    in_math = not in_math if env_depth == 0 else in_math
                else:
                    in_math = True
            elif kind in ("_DISPLAY_CLOSE", "_INLINE_CLOSE"):
                self._check_closed(stack, tok)
                in_math = False
            if kind == "BEGIN_ENV":
                envs.append(tok)
                if self.mixed and not in_math and env_depth == 0:
                    env_depth = 1
                    in_math = True
                    yield from significant(Token.new_borrow_pos("_ENV_OPEN", str(tok), tok))
                else:
                    env_depth += 1 if self.mixed and env_depth else 0
                    yield from significant(Token.new_borrow_pos("_NL", "\n", tok))
                continue
            if kind == "END_ENV":
                if not envs:
                    raise ParseError(
                        f"{tok} closes no environment",
                        span=span_of(tok),
                        hint=f"its \\begin{{{env_name(tok)}}} is missing: copy the whole "
                        "environment, from \\begin to \\end",
                    )
                opened = envs.pop()
                if env_name(opened) != env_name(tok):
                    raise ParseError(
                        f"{tok} does not match {opened} (line {opened.line})",
                        span=span_of(tok),
                        hint=f"close it with \\end{{{env_name(opened)}}}",
                    )
                if self.mixed and env_depth == 1:
                    self._check_closed(stack, tok)
                    env_depth = 0
                    in_math = False
                    # \end{aligned} $$: the display it was in closes here (parse/cut.py)
                    orphan = cut.orphan_close(self.text, env_name(tok), tok.end_pos or 0)
                    yield from significant(Token.new_borrow_pos("_ENV_CLOSE", str(tok), tok))
                else:
                    env_depth = max(0, env_depth - 1) if self.mixed else 0
                    yield from significant(Token.new_borrow_pos("_NL", "\n", tok))
                continue
            if kind == "_NL":
                if (
                    stack
                    or not in_math
                    or (prev is not None and prev.type in CONTINUES)
                    or _pos(tok) in self.soft_newlines
                ):
                    continue
                yield from significant(tok)
                continue
            if kind == "_AMP":
                if stack and stack[-1].type == "_BEGIN_MATRIX":
                    yield from significant(tok)
                continue
            if kind == "_LINEBREAK" and stack and stack[-1].type != "_BEGIN_MATRIX":
                continue  # a line break inside brackets continues the expression
            if kind == "_LINEBREAK" and not stack:
                held = tok  # `\\` then `&= ...`: a chain continued on the next row
                continue
            if (
                kind == "NORM_BAR"
                and stack
                and stack[-1].type == "_LBRACK"
                and prev is not None
                and prev.type in ENDS_VALUE
            ):
                # [W h_i \| W h_j] (GAT): between two values inside brackets, \| concatenates
                yield from significant(Token.new_borrow_pos("CONCAT_BAR", str(tok), tok))
                continue
            if (
                kind == "ABS_BAR"
                and stack
                and stack[-1].type == "_LSET"
                and prev is not None
                and prev.type in ENDS_VALUE
                and set_builder.bar_before_condition(self.text, tok.end_pos or 0)
            ):
                # \{h_u | u \in N(v)\}: the bar before the condition, as \mid (set_builder.py)
                yield from significant(Token.new_borrow_pos("_COMMA", str(tok), tok))
                continue
            if (
                kind == "ABS_BAR"
                and stack
                and id(stack[-1]) in scripts
                and prev is not None
                and prev.type in ("LETTER", "GREEK")
            ):
                # \hat{u}_{j|i} (capsules): a bar between two indices of a subscript separates
                # them, as a comma does (the prediction for j from i, one per pair)
                yield from significant(Token.new_borrow_pos("_COMMA", str(tok), tok))
                continue
            if (
                kind == "NORM_BAR"
                and prev is not None
                and prev.type in ENDS_VALUE
                and not (stack and stack[-1].type == "NORM_OPEN")
                and bars.decide(self.text, _pos(tok), tok.end_pos or 0) == "concat"
            ):
                # x_i \, \Vert \, x_j: no bar closes a norm after it (parse/bars.py)
                yield from significant(Token.new_borrow_pos("CONCAT_BAR", str(tok), tok))
                continue
            if kind in ("NORM_BAR", "ABS_BAR"):
                opener = "NORM_OPEN" if kind == "NORM_BAR" else "ABS_OPEN"
                closing = (
                    stack
                    and stack[-1].type == opener
                    and prev is not None
                    and prev.type in ENDS_VALUE
                )
                kind = OPENERS[opener] if closing else opener
                tok = Token.new_borrow_pos(kind, str(tok), tok)
            if kind in OPENERS:
                if kind == "_LBRACE" and prev is not None and prev.type == "_SUB":
                    scripts.add(id(tok))
                stack.append(tok)
                if len(stack) > MAX_NESTING:
                    raise ParseError(
                        f"brackets nested more than {MAX_NESTING} deep: papermath reads "
                        f"expressions up to that depth",
                        span=span_of(tok),
                        hint="name an inner part in an equation of its own",
                    )
            elif kind in CLOSERS:
                if not stack or stack[-1].type != CLOSERS[kind]:
                    if (clash := softmax_outcome.refusal(self.text, _pos(tok))) is not None:
                        raise clash  # -\log p(w_i | C) = -\log Softmax(...): no index
                    raise mismatched(tok, stack[-1] if stack else None, stack[-2:-1])
                scripts.discard(id(stack.pop()))
            yield from significant(tok)
        if pending is not None:
            yield from significant(self._dot(pending, None))
        if held is not None:
            yield from significant(held)
        if stack:
            raise unclosed(stack[-1])
        if envs:
            raise ParseError(
                f"{envs[-1]} is never closed",
                span=span_of(envs[-1]),
                hint=f"add \\end{{{env_name(envs[-1])}}}",
            )

    def _dot(self, dot: Token, next_kind: str | None) -> Token:
        if next_kind is None or next_kind in ENDS_SENTENCE:
            return Token.new_borrow_pos("_SENTENCE_END", ".", dot)
        return Token.new_borrow_pos("MULOP", ".", dot)

    def _check_closed(self, stack: list[Token], tok: Token) -> None:
        if stack:
            raise unclosed(stack[-1], before=tok)


# `_t-1` right after an underscore, with nothing between (plain text for h_{t-1})
_PLAIN_STEP = re.compile(r"[A-Za-z][-+][0-9]+(?![0-9A-Za-z])")
# a word of two or more letters right after an underscore (plain text for W_{xf})
_PLAIN_WORD = re.compile(r"[A-Za-z]{2,}(?![A-Za-z0-9{])")
# ` in ` as a word (plain text for \in)
_PLAIN_IN = re.compile(r"(?<=[ \t])in(?=[ \t])")


def _pos(tok: Token) -> int:
    return tok.start_pos or 0


def _synthetic(kind: str, text: str, pos: int, near: Token) -> Token:
    """A zero-width token at ``pos`` (a brace the source left out)."""
    return Token(kind, text, pos, near.line, near.column, near.end_line, near.end_column, pos)


def env_name(tok: Token) -> str:
    """``\\begin{align*}`` -> ``align*``."""
    return str(tok).split("{", 1)[1].split("}", 1)[0].strip()


def span_of(tok: Token) -> Span:
    return Span(tok.start_pos or 0, tok.end_pos or 0)


# an arrow between values: a map or an edge (parse/arrows.py reads e_{j \to i})
_ARROW = (
    "an arrow is not an equation",
    "an arrow says where something goes (a map, an edge); write the value computed with = "
    "(an edge between two indices is read as a subscript: e_{j \\to i})",
)
# Commands whose meaning is known but which papermath does not read: said in words, never
# "did you mean" (\mid is not \min).
NOT_READ: dict[str, tuple[str, str]] = {
    "mid": (
        "a conditional probability p(a \\mid b) is not read: papermath reads equations and "
        "samples (\\sim)",
        "write the computation of the value itself",
    ),
    "rightarrow": _ARROW,
    "to": _ARROW,
    "mapsto": (
        "a map written x \\mapsto f(x) is read only as the right side of a definition, "
        "f = x \\mapsto ... (rule map-definition)",
        "write f(x) = ..., or f = x \\mapsto ... as a statement of its own",
    ),
    "approx": (
        "an approximation is not an equation",
        "where an equation comes before it (b = f(x) \\approx g(x)), delete \\approx and what "
        "follows: the equation says the value; else write the equation with =",
    ),
    "propto": ("a proportionality is not an equation", "write the equation with ="),
    "leq": ("an inequality is not an equation", "write the equation with ="),
    "geq": ("an inequality is not an equation", "write the equation with ="),
    "le": ("an inequality is not an equation", "write the equation with ="),
    "ge": ("an inequality is not an equation", "write the equation with ="),
    "neq": ("an inequality is not an equation", "write the equation with ="),
    "forall": ("a quantifier is not read", "write the equation for one element"),
    "vdots": (
        "a column of dots (\\vdots) stands for rows left out: papermath reads a matrix "
        "written in full",
        "write the stack as \\mathrm{Concat}(h_1, \\dots, h_h) with an equation for h_i "
        "(the form papermath reads), or name it and declare it",
    ),
    "downarrow": _ARROW,
    "uparrow": _ARROW,
    "rightsquigarrow": _ARROW,
    "leadsto": _ARROW,
    "Rightarrow": ("an implication is not an equation", "write the equation with ="),
    "Leftrightarrow": (
        "an equivalence (a \\Leftrightarrow b) is not an equation: it states a condition, it "
        "computes no value",
        "a line that defines data by a condition (an adjacency: 1 where an edge is) can be "
        "deleted and the data given as an input (`% inputs: a`); else write the equation with =",
    ),
    "implies": ("an implication is not an equation", "write the equation with ="),
    "langle": (
        "an inner product \\langle a, b \\rangle is not read: of two vectors it is a^\\top b, "
        "of two matrices the sum of their entries' products, and the bracket does not say which",
        "write the product the model computes: w^\\top x for two vectors",
    ),
    "iff": ("an equivalence is not an equation", "write the equation with ="),
}
# environments papermath knows and does not read: said in words (not "did you mean \begin?")
ENVIRONMENTS_NOT_READ: dict[str, tuple[str, str]] = {
    "cases": (
        "a definition by cases (\\begin{cases}) is not read yet",
        "write the case the model uses as its own equation, or the cases as one formula "
        "(\\max, |x|); the forms read are dropout (0 & \\text{with probability } p "
        "\\\\ V & \\text{otherwise}) and a comparison (A & \\text{if } |x| < 1 \\\\ "
        "B & \\text{otherwise}); a condition on a label's value (y_n = 1) is not",
    ),
}


def site_macros_hint() -> str:
    from .sitemacros import SITES  # the sets papermath knows (parse/sitemacros.py)

    return (
        ", ".join(f"a line `% macros: {n}` ({s.title})" for n, s in SITES.items())
        + ", or `papermath shapes --macros FILE` with the site's MathJax configuration"
    )


def unknown_command(tok: Token, known: tuple[str, ...], text: str = "") -> ParseError:
    name = str(tok).lstrip("\\")
    if name == "begin":  # an environment the grammar does not know
        m = re.match(r"\s*\{([A-Za-z*]+)\}", text[tok.end_pos or 0 :])
        env = m.group(1) if m else "?"
        message, why = ENVIRONMENTS_NOT_READ.get(
            env.rstrip("*"),
            (
                f"the environment {env} is not read",
                "papermath reads align, aligned, array, equation, gather, split and the "
                "matrix environments (docs/notation.md)",
            ),
        )
        end = (tok.end_pos or 0) + (m.end() if m else 0)
        if env == "cases" and (said := cases.refusal(text, tok.start_pos or 0)) is not None:
            message, why = said  # a brace around equations, a flag, a label (parse/cases.py)
        return ParseError(message, span=Span(tok.start_pos or 0, end), hint=why)
    if (between := range_chains.refusal(name, span_of(tok), text)) is not None:
        return between  # 0 \leq y \leq N-1: the values y takes (parse/range_chains.py)
    if (bound := sum_exclusions.bound_refusal(name, span_of(tok), text)) is not None:
        return bound  # \sum_{j=1}^{y_j \neq 0}: a condition as a limit (sum_exclusions.py)
    if (in_script := script_conditions.refusal(name, span_of(tok), text)) is not None:
        return in_script  # T^{(k \ge 2)}: a condition, not an inequality (script_conditions.py)
    if (row := row_breaks.refusal(str(tok), span_of(tok), text)) is not None:
        return row  # `, \\ & + ...`: a row break after a comma (row_breaks.py)
    if (ahead := arrow_prefix.refusal(name, span_of(tok), text)) is not None:
        return ahead  # {x_i} \rightsquigarrow H = f(...): the equation alone (arrow_prefix.py)
    if (edge := arrow_sums.refusal(str(tok), span_of(tok), text)) is not None:
        return edge  # \sum_{v_j \to v}: a sum over the edges into v (arrow_sums.py)
    if (in_set := set_builder_refusal(name, span_of(tok), text)) is not None:
        return in_set  # \{h_j, \forall j \in N(i)\}: a set by a condition (set_builder.py)
    if (table := hmm_tables.refusal(name, span_of(tok), text)) is not None:
        return table  # \sum_{h_t} P(x_t \mid h_t) ...: an HMM's tables (hmm_tables.py)
    if (dots := matrix_dots.refusal(name, span_of(tok), text)) is not None:
        return dots  # Z = (1 & \xi_1 \\ \vdots & \vdots ...): a named matrix in part
    if (entries := entry_vectors.refusal(name, span_of(tok), text)) is not None:
        return entries  # [w_{11} & w_{12} \\ \vdots & \vdots ...]: entries of two indices
    if name in NOT_READ:
        message, why = NOT_READ[name]
        return ParseError(message, span=span_of(tok), hint=why)
    if name in known:  # a command the grammar reads, where it cannot stand (`(\cdot)`, `= \odot`)
        return ParseError(
            f"unexpected {tok}: papermath reads it, but not here",
            span=span_of(tok),
            hint="an operator needs a value on each side (a \\odot b); a placeholder such as "
            "f(\\cdot) is prose, not an equation",
        )
    if re.fullmatch(r"[A-Za-z]", name):  # \X, \x, \W: a site's macro for a bold letter
        return ParseError(
            f"unknown command {tok}: not a LaTeX command, but a macro the source defines "
            "elsewhere (a site's MathJax configuration, a preamble); papermath does not guess "
            "what it means",
            span=span_of(tok),
            hint=f"define it before the equations, as \\newcommand{{{tok}}}{{\\mathbf{{{name}}}}} "
            "if it is the bold letter; or name the site whose macros it is: " + site_macros_hint(),
        )
    if (macro := preamble_macros.refusal(name, str(tok), span_of(tok), text)) is not None:
        return macro  # \Vx, \MW: a book's preamble macros (parse/preamble_macros.py)
    if (macro := preamble_macros.notation_file(name, str(tok), span_of(tok))) is not None:
        return macro  # \vx, \mW: the Deep Learning book's notation file (preamble_macros.py)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean \\{close[0]}?" if close else None
    return ParseError(
        f"unknown command {tok}: papermath does not guess what it means",
        span=span_of(tok),
        hint=hint or "see docs/notation.md for the commands papermath reads",
    )


def mismatched(tok: Token, opener: Token | None, below: list[Token] | None = None) -> ParseError:
    """``below``: the bracket open under ``opener`` (none, or one)."""
    shown = DISPLAY.get(tok.type, str(tok))
    if opener is None:
        return ParseError(f"{shown} closes nothing: there is no open bracket", span=span_of(tok))
    if (
        opener.type == "ABS_OPEN"
        and tok.type == "_RPAR"
        and below
        and below[0].type == "_LPAR"
        and (opener.start_pos or 0) > (below[0].end_pos or 0)
    ):
        # p(w_O | w_I): a bar after a value between parentheses is the bar of conditioning
        return ParseError(
            "a bar inside parentheses that close before it, p(a | b): a conditional probability "
            "(a bar of conditioning), which papermath does not read: it reads equations and "
            "samples (\\sim)",
            span=span_of(opener),
            hint="write the computation of the value itself, under a name of its own (p = ...)",
        )
    inner_close = DISPLAY.get(OPENERS[opener.type], "")
    if below and OPENERS.get(below[0].type) == tok.type and opener.type != "ABS_OPEN":
        # \{h_u, \forall u \in \pi(N(v)\})): the closer of the bracket under the open one,
        # typed before the open one's own closer (the closers in the wrong order)
        return ParseError(
            f"{shown} does not match the {DISPLAY.get(opener.type, str(opener))} opened at "
            f"column {opener.column} of line {opener.line}: it closes the "
            f"{DISPLAY.get(below[0].type, str(below[0]))} opened at column {below[0].column}, "
            f"around that {DISPLAY.get(opener.type, str(opener))}, which is still open",
            span=span_of(tok),
            hint=f"close the inner bracket first: {inner_close} before {shown} (the closers in "
            "the order of their openers)",
        )
    return ParseError(
        f"{shown} does not match the {DISPLAY.get(opener.type, str(opener))} "
        f"opened at column {opener.column} of line {opener.line}",
        span=span_of(tok),
        hint=f"close it with {inner_close}",
    )


def unclosed(opener: Token, before: Token | None = None) -> ParseError:
    shown = DISPLAY.get(opener.type, str(opener))
    where = "" if before is None else f" before {before}"
    return ParseError(
        f"{shown} is never closed{where}",
        span=span_of(opener),
        hint=f"add the matching {DISPLAY.get(OPENERS[opener.type], '')}",
    )

"""Parse LaTeX as people type it into statements (:mod:`papermath.parse.ast`).

>>> [type(s).__name__ for s in parse("f_t = \\\\sigma(W_f [h_{t-1}, x_t] + b_f)")]
['Definition']
"""

from __future__ import annotations

import re
import threading
from functools import cache
from importlib import resources

import lark
from lark import Lark, Token

from ..errors import ParseError
from ..source import Source, Span
from . import ast
from .layout import DISPLAY, Layout
from .normalize import normalize
from .transform import ToAst

__all__ = ["ast", "parse"]

# Friendly names for the grammar's terminals, for "expected ..." in messages.
TERMINAL_NAMES = {
    "_RPAR": ")",
    "_RBRACK": "]",
    "_RBRACE": "}",
    "_LPAR": "(",
    "_LBRACK": "[",
    "_LBRACE": "{",
    "_RSET": "\\}",
    "NORM_CLOSE": "\\|",
    "ABS_CLOSE": "|",
    "DEFOP": "=",
    "_IN": "\\in",
    "_SIM": "\\sim",
    "LETTER": "a symbol",
    "GREEK": "a symbol",
    "NUMBER": "a number",
    "_NL": "a new line",
    "$END": "the end of the input",
    "_COMMA": ",",
    "_DOLLAR": "$",
    "_DDOLLAR": "$$",
    "_ENV_CLOSE": "\\end{...}",
    "_END_MATRIX": "\\end{bmatrix}",
    "MULOP": "an operator",
    "HADAMARD": "\\odot",
    "PLUS": "+",
    "MINUS": "-",
    "_SUB": "_",
    "_SUP": "^",
    "_SENTENCE_END": ".",
    "_LINEBREAK": "\\\\",
    "_AMP": "&",
    "FONT": "\\mathbf{...}",
    "TEXT_CMD": "\\text{...}",
    "TRANSPOSE": "\\top",
    "DECOR": "\\tilde{...}",
    "PRIME": "'",
    "DOTS": "\\dots",
    "FUNC_CMD": "\\tanh",
    "FUNCWORD": "tanh",
}
# A statement that stops early usually stops at one of these; said in words.
_EXPECTED_WORDS = {
    "DEFOP": "an equation needs `=` (or `:=`) or a declaration `\\in`",
}

_lock = threading.Lock()
# RST docstrings are normalised (normalize.py) but refused until the reader reads what their
# prose says of the symbols: read today, 8 of the 14 wild cases that would read come out wrong
# (primed next states h', x W^T rows, per-feature \gamma; tests/wild). Flip it with the reader.
READ_RST = False


@cache
def _parser() -> tuple[Lark, Layout]:
    layout = Layout()
    grammar = resources.files(__package__).joinpath("grammar.lark").read_text()
    parser = Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        postlex=layout,
        start=["start_plain", "start_mixed"],
        propagate_positions=True,
        maybe_placeholders=False,
    )
    layout.known_commands = _commands_in(parser)
    return parser, layout


def _commands_in(parser: Lark) -> tuple[str, ...]:
    """Every command the grammar's terminals name (``\\(alpha|beta|...)``), for suggestions."""
    names: set[str] = set()
    for term in parser.terminals:
        for group in re.findall(r"\\\\\\?\(([A-Za-z|]+)\)", term.pattern.value):
            names.update(group.split("|"))
        names.update(re.findall(r"\\\\([A-Za-z]{2,})", term.pattern.value))
    return tuple(sorted(names))


def is_mixed(text: str) -> bool:
    """Prose with math delimiters, or math alone? Decided by the delimiters themselves."""
    return "$" in text or "\\[" in text or "\\(" in text


def parse(source: Source | str) -> list[ast.Statement]:
    """Parse a whole source into statements, including declarations found in ``%`` comments.

    The text is normalised first (:mod:`papermath.parse.normalize`: RST roles, colours,
    boxes, line breaks inside equations), keeping every character where it is, so spans
    point into the text as given. Each region (display math, prose with inline math) is
    parsed with the rest blanked; where several refuse, the error first in the text wins.
    """
    if isinstance(source, str):
        source = Source(source)
    norm = normalize(source.text)
    if norm.rst is not None and not READ_RST:
        start, end = norm.rst
        raise ParseError(
            "a reStructuredText docstring (:math: roles, .. math:: blocks): papermath finds "
            "its math but does not read docstrings yet: their prose says what each symbol is "
            "(the hidden state, a shape ``NH``), which the reader does not read, and read "
            "without it several cells come out wrong",
            span=Span(start, max(end, start + 1)),
            hint="copy the equations out as LaTeX, with declarations (x_t \\in \\mathbb{R}^d) "
            "and `% inputs: ...` lines for what the prose says",
        )
    statements: list[ast.Statement] = []
    errors: list[ParseError] = []
    for region in norm.regions:
        try:
            found, comments = _parse_text(
                region.text, mixed=region.mixed, soft_newlines=region.soft_newlines
            )
        except ParseError as exc:
            errors.append(exc)
            continue
        statements.extend(found)
        for start, end in comments:
            statements.extend(_comment_statements(region.text, start, end))
    if errors:
        raise min(errors, key=lambda e: e.span.start if e.span is not None else 0)
    statements.extend(_prose_statements(norm.text))
    statements.sort(key=lambda s: s.span.start)
    return statements


def _parse_text(
    text: str, *, mixed: bool, soft_newlines: frozenset[int] = frozenset()
) -> tuple[list[ast.Statement], list[tuple[int, int]]]:
    parser, layout = _parser()
    with _lock:
        layout.mixed = mixed
        layout.text = text
        layout.soft_newlines = soft_newlines
        try:
            tree = parser.parse(text, start="start_mixed" if mixed else "start_plain")
        except ParseError:
            raise
        except lark.exceptions.UnexpectedInput as exc:
            raise _friendly(exc, text) from None
        except lark.exceptions.VisitError as exc:  # pragma: no cover - internal invariant
            raise exc.orig_exc from None
        comments = [(tok.start_pos or 0, tok.end_pos or 0) for tok in layout.comments]
    statements: list[ast.Statement] = ToAst().transform(tree)
    return statements, comments


def _comment_statements(text: str, start: int, end: int) -> list[ast.Statement]:
    """Declarations and directives written in a ``%`` comment (``% x \\in \\mathbb{R}^m``).

    The comment is parsed in place (everything else blanked out), so spans stay true. A
    comment that does not parse is prose; a definition in a comment is commented-out math.
    """
    body = "".join(ch if ch == "\n" else " " for ch in text[: start + 1]) + text[start + 1 : end]
    roles = _ROLE_COMMENT.fullmatch(text, start + 1, end)
    if roles is not None:  # `% inputs: Q, K, V`: what the source says these symbols are
        kind = {"inputs": "input", "parameters": "parameter", "targets": "target"}[
            roles.group(1).lower()
        ]
        # symbols as written (\hat{A}, \mu, W_{xf}): the reader finds the symbol each names
        keys = [re.sub(r"\s", "", k) for k in roles.group(2).split(",") if k.strip()]
        return [ast.Directive(Span(start, end), "; ".join(f"{k} is {kind}" for k in keys))]
    named = _ACTIVATION_COMMENT.fullmatch(text, start + 1, end)
    if named is not None:  # `% \sigma_g: sigmoid` names an activation
        key = re.sub(r"[\\{}\s]", "", named.group(1))
        return [ast.Directive(Span(start, end), f"{key} is {named.group(2)}")]
    try:
        statements, _ = _parse_text(body, mixed=False)
    except ParseError:
        return []
    return [s for s in statements if isinstance(s, ast.Declaration | ast.Sampling | ast.Directive)]


def _prose_statements(text: str) -> list[ast.Statement]:
    """What prose says of an activation: "where $\\sigma_g$ is the sigmoid function", "\\phi_h
    denotes the hyperbolic tangent" (prose is not notation: it is matched as words)."""
    out: list[ast.Statement] = []
    for m in _PROSE_ACTIVATION.finditer(text):
        key = re.sub(r"[\\{}\s$]", "", m.group(1))
        word = m.group(2).lower()
        name = {"hyperbolic tangent": "tanh", "logistic": "sigmoid", "rectifier": "relu"}.get(
            word, word
        )
        out.append(ast.Directive(Span(m.start(), m.end()), f"{key} is {name}"))
    return out


# "where $\sigma_g$ is the sigmoid", "$\phi_h$ denotes the hyperbolic tangent function"
_PROSE_ACTIVATION = re.compile(
    r"\$?(\\(?:sigma|phi|varphi)\s*_\s*(?:\{\s*[A-Za-z]+\s*\}|[A-Za-z]))\$?\s+"
    r"(?:is|denotes|stands\s+for)\s+(?:the\s+|an?\s+)?(?:element-?wise\s+)?"
    r"(sigmoid|logistic|tanh|hyperbolic tangent|relu|rectifier|softmax|identity)",
    re.IGNORECASE,
)


# A comment that says which symbols are inputs (or parameters, targets): `% inputs: Q, K, V`.
_ROLE_COMMENT = re.compile(
    r"\s*(inputs|parameters|targets)\s*:\s*((?:[^,\n]+,)*[^,\n]+?)\s*\.?\s*", re.IGNORECASE
)
# A comment that names an activation: `% \sigma_g: sigmoid`, `% \phi_h = tanh`.
_ACTIVATION_COMMENT = re.compile(
    r"\s*(\\?[A-Za-z]+\s*_\s*(?:\{\s*[A-Za-z]+\s*\}|[A-Za-z]))\s*[:=]\s*([A-Za-z]+)\s*"
)


def _friendly(exc: lark.exceptions.UnexpectedInput, text: str) -> ParseError:
    pos = getattr(exc, "pos_in_stream", None)
    if isinstance(exc, lark.exceptions.UnexpectedToken):
        tok = exc.token
        expected = sorted(
            {TERMINAL_NAMES.get(t, t) for t in exc.expected if not t.startswith("__")}
        )
        if tok.type == "_PROSE" and str(tok).strip()[:1] not in "{}()[]+-=,;_^|&.'":
            return ParseError(
                f"papermath cannot read the character {str(tok).strip()[:1]!r} here",
                span=Span(
                    tok.start_pos + (len(tok) - len(str(tok).lstrip())),
                    tok.start_pos + (len(tok) - len(str(tok).lstrip())) + 1,
                ),
            )
        before = (text if tok.type == "$END" else text[: tok.start_pos]).rstrip()
        if before.endswith(("_", "^")):
            return ParseError(
                "a subscript or superscript is missing after _ or ^",
                span=Span(len(before) - 1, len(before)),
                hint="write what goes there, as in x_t, h_{t-1}, x^2 or h^{(T)}",
            )
        if tok.type == "$END":
            span = Span(len(text.rstrip()), len(text.rstrip()) + 1) if text.strip() else Span(0, 0)
            return ParseError(
                "the input ends in the middle of an expression",
                span=span,
                hint=_expected_hint(exc.expected, expected),
            )
        shown = DISPLAY.get(tok.type, str(tok)).strip() or repr(str(tok))
        if tok.type == "_PROSE":
            shown = str(tok).strip()[:1]
            tok = Token(
                tok.type,
                shown,
                start_pos=tok.start_pos + str(tok).index(shown),
                end_pos=tok.start_pos + str(tok).index(shown) + 1,
            )
        if tok.type == "_NL":
            shown = "the end of the line"
        return ParseError(
            f"unexpected {shown}",
            span=Span(tok.start_pos, max(tok.end_pos, tok.start_pos + 1)),
            hint=_expected_hint(exc.expected, expected),
        )
    if isinstance(exc, lark.exceptions.UnexpectedCharacters):
        ch = text[pos] if pos is not None and pos < len(text) else "?"
        return ParseError(
            f"papermath cannot read the character {ch!r} here",
            span=Span(pos or 0, (pos or 0) + 1),
        )
    return ParseError(
        "the input ends in the middle of an expression",
        span=Span(max(0, len(text) - 1), len(text)),
    )


def _expected_hint(raw: set[str], names: list[str]) -> str:
    for term, words in _EXPECTED_WORDS.items():
        if term in raw:
            return words
    if len(names) > 8:
        return "the expression is not complete here"
    return "expected " + ", ".join(names)

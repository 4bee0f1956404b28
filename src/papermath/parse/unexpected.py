r"""Rule ``unexpected-token``: say what was expected and why, where a statement stops.

What people write that stops the grammar: a display formula with no ``=`` (Equinox's
``$$\frac{x - \mathbb{E}[x]}{...} * \gamma + \beta$$``), math left open by a ``$$`` that a
cut excerpt lost (prose then reads as math), an argument left blank as a placeholder
(``\(max(0,-) \)``), a condition in a subscript (``$y_{t>1}$``), ``\in`` inside a set or an
argument list (``\{h_j, j \in \mathcal{N}(i)\}``), a bar ``\vert`` of conditioning. None of
them is read; each refusal keeps its caret on the token where the statement stopped and says
what the grammar expected there and why, instead of a bare "unexpected X".

Example (refused: a display with no left side):

    $$\frac{x}{\sqrt{\varepsilon + \frac{1}{n}\Vert x \Vert^2_2}} \gamma + \beta$$
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import set_builder

RULE = "unexpected-token"

_WORDS = re.compile(r"[A-Za-z]{2,}(?:\s+[A-Za-z]{2,}){3,}")  # four words: prose, not math


def _line_col(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"{line}:{pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


def _open_display(text: str, pos: int) -> int | None:
    """Where the ``$$`` (or ``$``) that is still open at ``pos`` opened, if one is."""
    opened: int | None = None
    i = 0
    while i < pos:
        if text.startswith("\\$", i):
            i += 2
            continue
        if text.startswith("$$", i):
            opened = None if opened is not None else i
            i += 2
            continue
        if text[i] == "$":
            opened = None if opened is not None else i
        i += 1
    return opened


_CALLED = re.compile(r"(?:\\[A-Za-z]+\s*\{[A-Za-z]+\}|\\?[A-Za-z]+)\s*$")


# `\text{minimize}_w`, `\operatorname{arg\,min}_{w}` just before the token: the problem's word
_GOAL = re.compile(
    r"\\(?:text|mathrm|operatorname\*?|textrm|mbox)\s*\{\s*(?:minimi[sz]e|maximi[sz]e|"
    r"arg\s*(?:\\,)?\s*(?:min|max))\s*\}(?:\s*_\s*(?:\{[^{}]*\}|\\?[A-Za-z]+))?\s*$"
)


# `\min_{w, \rho}`, `\max_\theta`, `\arg\min_w` opening a statement: an optimisation problem
_OVER = re.compile(r"\\(?:arg\s*(?:\\,)?\s*\\?)?(?:min|max)\s*_\s*(?:\{[^{}]*\}|\\?[A-Za-z]+)")
_STATEMENT_START = re.compile(r"\$\$|\\\\|\\begin\s*\{[^{}]*\}|\n[ \t]*\n|::")


def _objective(text: str, pos: int) -> Span | None:
    """The ``\\min_{...}`` that opens the statement stopped at ``pos``, where no relation
    stands between it and ``pos`` (an objective with no name), if one does."""
    starts = [m.end() for m in _STATEMENT_START.finditer(text, 0, pos)]
    begin = starts[-1] if starts else 0
    m = _OVER.match(text, begin + len(text[begin:pos]) - len(text[begin:pos].lstrip()))
    if m is None or m.end() > pos:
        return None
    rest = re.sub(r"[_^]\s*\{[^{}]*\}", "", text[m.end() : pos])  # \sum_{i=1}: no relation
    if re.search(r"=|\\leftarrow|\\gets", rest):
        return None
    return Span(m.start(), m.end())


# a tuple of names alone on a left side, (x1, x2) = x: at the start of the math
_LEFT_TUPLE = re.compile(
    r"(?:^|\$|`|\\\(|\n)[ \t]*\(((?:\s*\\?[A-Za-z][A-Za-z0-9_{}]*\s*,)+\s*\\?[A-Za-z]"
    r"[A-Za-z0-9_{}]*\s*)\)\s*$"
)


def _open_call(text: str, pos: int) -> str | None:
    """The function whose parentheses are open at ``pos`` (``P`` in ``P(Y=i``), if any: the
    innermost open ``(`` in the same line, right after a name (rule ``unexpected-token``)."""
    depth = 0
    for i in range(pos - 1, max(text.rfind("\n", 0, pos), -1), -1):
        ch = text[i]
        if ch in ")]}":
            depth += 1
        elif ch in "[{":
            depth -= 1
            if depth < 0:
                return None
        elif ch == "(":
            if depth == 0:
                m = _CALLED.search(text, 0, i)
                return m.group(0).strip() if m else None
            depth -= 1
        elif ch == "$":
            return None
    return None


def explain(
    kind: str, shown: str, start: int, end: int, raw: set[str], text: str
) -> ParseError | None:
    """The refusal for an unexpected token ``kind`` at ``start:end`` (``raw``: the terminals
    the grammar expected there), or None where nothing better than the default is known."""
    span = Span(start, max(end, start + 1))
    before = text[:start]
    opened = _open_display(text, start)
    if opened is not None and _WORDS.search(text, opened, start):
        # a cut excerpt or a lone $$: everything since reads as math
        return ParseError(
            f"unexpected {shown}: the math opened by the {text[opened : opened + 2].strip()} at "
            f"{_line_col(text, opened)} is still open here, so the prose since reads as math",
            span=span,
            hint="a $$ is missing or extra (an excerpt that starts or ends inside a display): "
            "copy whole displays, from their opening $$ to their closing $$",
        )
    if (over := _objective(text, start)) is not None:
        return ParseError(  # \min_{w, \rho} \frac{1}{2}\Vert w \Vert^2 - \rho + ...: no left side
            f"unexpected {shown}: {text[over.start : over.end].strip()} states an optimisation "
            "problem (an objective minimised or maximised over the variables under it, "
            "constraints after it), not an equation: the objective has no name to read it into",
            span=over,
            hint="name the objective, L = ... (the expression after the operator), and say in "
            "prose what is optimised (w a parameter)",
        )
    if kind in ("_DDOLLAR", "_DOLLAR", "_DISPLAY_CLOSE", "$END") and "DEFOP" in raw:
        return ParseError(
            f"unexpected {shown}: the formula ends before an `=`: it is an expression, and "
            "papermath reads equations (y = ...) and declarations (x \\in \\mathbb{R}^n); "
            "what the expression computes has no name to read it into",
            span=span,
            hint="name what it computes: y = ... (the output of the layer or step)",
        )
    if (kind in ("_RPAR", "_COMMA") or shown in (")", ",")) and re.search(r"[-+]\s*$", before):
        return ParseError(
            f"unexpected {shown}: a value was expected after the {before.rstrip()[-1]}; an "
            "argument left blank (f(0, -), f(\\cdot)) is a placeholder of prose, not a value",
            span=span,
            hint="write the function applied to a value (\\max(0, x)), or leave the "
            "placeholder out of the math",
        )
    if kind == "COMPARE" and re.search(r"_\s*\{[^{}]*$", before):
        return ParseError(
            f"unexpected {shown}: a subscript holds an index or a label; a condition in it "
            "(y_{t>1}: y_t for the steps after the first) is not read",
            span=span,
            hint="say the condition in prose, outside the math, and write y_t",
        )
    if (under := re.search(r"\\(?:sum|prod)\s*_\s*\{([^{}]*)$", before)) is not None and (
        kind == "_COMMA" or shown == "," or "," in under.group(1)
    ):
        return ParseError(  # \sum_{i=1, j=1}: two conditions; \sum_{i=1, i \neq y_k} reads
            f"unexpected {shown}: the subscript of a sum holds two conditions; papermath reads "
            "one (\\sum_{i=1}^{n}, \\sum_{j \\in \\mathcal{N}(i)}), or a range and the one "
            "index it skips (\\sum_{j=1, j \\neq y_i}^{K})",
            span=span,
            hint="write one condition under the sum, or nest two sums (\\sum_i \\sum_j)",
        )
    if (goal := _GOAL.search(before)) is not None:
        word = re.sub(r"\s+", "", goal.group(0))
        return ParseError(  # \text{minimize}_w \qquad f(w) = g(w): an optimisation problem
            f"unexpected {shown}: {word} before it states an optimisation problem (the "
            "objective after it, minimised or maximised over the variable under the word), "
            "not an equation: the objective has no name to read it into",
            span=Span(goal.start(), max(end, start + 1)),
            hint="name the objective, L = ... (the expression after the word), and say in prose "
            "what is optimised (w a parameter)",
        )
    if kind == "DEFOP" and (call := _open_call(text, start)) is not None:
        return ParseError(  # P(Y=i|x, W, b), L(\theta=\{W,b\}, D): an event, a named argument
            f"unexpected {shown}: an `=` inside the arguments of {call}(...), where an argument "
            "was expected: an event (P(Y=i | x): the probability that Y is i) or an argument "
            "given a name (L(\\theta=\\{W, b\\}, D): the parameters named as a set) is not "
            "read; papermath reads = only between the two sides of an equation",
            span=span,
            hint="write the value computed under a name of its own, its arguments as values: "
            "p = softmax(W x + b), L(W, b) = ...",
        )
    if kind == "DEFOP" and (tup := _LEFT_TUPLE.search(before)) is not None:
        names = " ".join(tup.group(1).split())
        return ParseError(  # :math:`(x1, x2) = x` (CogDL's AdditiveCoupling): x split in parts
            f"unexpected {shown}: a tuple on the left side, ({names}) = ..., splits a value into "
            "parts; papermath reads one name on a left side, and does not read a split: how "
            "many features each part has the text does not say",
            span=Span(tup.start(1) - 1, max(end, start + 1)),
            hint="write each part as a value of its own, declared with its size "
            "(x_1 \\in \\mathbb{R}^{a}, x_2 \\in \\mathbb{R}^{b}), and the whole as their "
            "concatenation (x = [x_1; x_2])",
        )
    if (kind == "_SEMI" or shown == ";") and (call := _open_call(text, start)) is not None:
        params = re.match(r";[ \t]*([^()\n;]*?)[ \t]*\)", text[start:])
        named = " ".join(params.group(1).split()) if params else ""
        theta = named or "\\theta"
        return ParseError(  # f(s^{(t-1)}; \theta): the Deep Learning book's f(x; \theta)
            f"unexpected {shown}: inside the arguments of {call}(...), a semicolon separates "
            f"the function's arguments from its parameters ({call}(x; {theta}): "
            f"{call} with the parameters {theta}, as the Deep Learning book "
            "writes it); papermath reads a learnable function's parameters as its own "
            f"({call}.weight and {call}.bias, an affine map of its arguments by default) and "
            "does not read them named by a letter",
            span=Span(start, start + (params.end(1) if params and named else 1)),
            hint=f"write {call}(...) with its arguments alone ({call} then reads as a learnable "
            f"function, an affine map by default), or write what {call} computes with its "
            "parameters: s^{(t)} = \\tanh(W s^{(t-1)} + b)",
        )
    if kind == "_IN":
        return ParseError(
            "unexpected \\in: a membership inside brackets (a set {h_j, j \\in N(i)}, an "
            "argument u_i(i \\in ...)) is a condition, which is not read there; papermath reads "
            "\\in in a declaration (x \\in \\mathbb{R}^n) and under a sum or product "
            "(\\sum_{j \\in \\mathcal{N}(i)})",
            span=span,
            hint=set_builder.HINT,  # \sum or \mathrm{mean} with the set under it
        )
    if "ABS_CLOSE" in raw and re.search(r"\\vert|\|", before):
        bar = max(before.rfind("\\vert"), before.rfind("|"))
        return ParseError(  # the caret on the bar: the construct (p(c_i \vert c_1, ...))
            f"this bar opens an absolute value |...| that does not close before the {shown} at "
            f"{_line_col(text, start)}; a bar of conditioning, p(a | b), is a probability, "
            "which papermath does not read",
            span=Span(bar, bar + 1),  # (\\vert is a bar by now: parse/normalize.py)
            hint="write the computation of the value itself (as the line after it does), "
            "or close the absolute value",
        )
    return None

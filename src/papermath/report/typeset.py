"""LaTeX of what papermath *read*, for the equations pane, the answers and the report.

The raw text is not LaTeX when it was typed as plain text: ``W_xf * x_t + W_hf*h_t-1`` read
as ``W_{xf} x_t + W_{hf} h_{t-1}`` would be typeset by KaTeX as ``W_x f * x_t + W_h f * h_t
- 1``. Here each equation is printed from its read tree: every term's text with its subterms
replaced by their own printing, so what the source writes around them (``\\left(``,
``\\sum_{v \\in V}``, ``\\frac``, a font) is kept, and

- a symbol is printed as read: a subscript or superscript of several characters typed
  without braces is braced (``W_xf`` -> ``W_{xf}``, ``h_t-1`` -> ``h_{t-1}``);
- a product is printed as read: a plain-text ``*`` becomes the product it was read as
  (a matrix product or a scaling: juxtaposition; a Hadamard product: ``\\odot``; a dot
  product: ``\\cdot``), and a juxtaposition read as a Hadamard product is written ``\\odot``
  (products of entries, ``a_i g_i``, stay juxtaposed);
- a function typed as a word (``tanh``, ``sigmoid``) is set upright (``\\tanh``);
- alignment marks (``&``) and line breaks (``\\\\``) of the source are dropped.

A text that is no read term (a declaration, a prose fragment) is cleaned the same way
(:func:`clean`). Nothing here is executed: the result is a string for KaTeX, which the pages
render with ``trust: false`` and escape as an attribute.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse.dotted_sums import dotted_range
from ..read import terms as t
from ..source import Span
from .symbols import symbol

if TYPE_CHECKING:
    from ..system import System

# a script of several characters typed without braces: _xf, _t-1, ^(T), _prev
PLAIN_SCRIPT = re.compile(
    r"(?<!\\)([_^])(?!\{)("
    r"\([^()]*\)"  # ^(T), _(t-1), ^(n x m)
    r"|[A-Za-z][-+][0-9]+(?![A-Za-z0-9])"  # _t-1, _k+1
    r"|[A-Za-z0-9]{2,}(?:[-+][0-9]+(?![A-Za-z0-9]))?"  # _xf, _hf, _out, _12
    r")"
)
# plain-text declarations: "x_t in R^m", "W in R^(n x m)"
PLAIN_IN = re.compile(r"(?<![\\A-Za-z])in(?![A-Za-z])")
PLAIN_REALS = re.compile(r"(\\in\s*)R(?=\s*\^)")

# how a product read as each kind is written when the source's operator says nothing (``*``)
PRODUCT_TEX = {
    "matmul": " ",
    "vecmat": " ",
    "scale_left": " ",
    "scale_right": " ",
    "hadamard": " \\odot ",
    "dot": " \\cdot ",
}
# operators that already say which product they are, kept as written
SAYS_WHICH = ("odot", "circ", "otimes", "cdot", "times")


def brace_scripts(text: str) -> str:
    """``W_xf`` -> ``W_{xf}``, ``h_t-1`` -> ``h_{t-1}``, ``h^(T)`` -> ``h^{(T)}``: scripts
    typed as plain text, braced as they were read (LaTeX would take one character)."""
    return PLAIN_SCRIPT.sub(lambda m: f"{m.group(1)}{{{m.group(2)}}}", text)


# an environment inside an equation (cases, a matrix): its & and \\\\ are its own, kept
ENVIRONMENT = re.compile(r"\\begin\{(\w+)\*?\}.*?\\end\{\1\*?\}", re.S)


def _marks(text: str, keep: frozenset[int] = frozenset(), at: int = 0) -> str:
    """Alignment marks (``&``) and line breaks (``\\\\``) as spaces, except at the positions
    ``keep`` (``at`` is where ``text`` starts in the source); comments dropped."""
    out = list(text)
    for m in re.finditer(r"(?<!\\)&|\\\\(\[[^\]]*\])?", text):
        if at + m.start() not in keep:
            out[m.start() : m.end()] = " " * (m.end() - m.start())
    return re.sub(r"(?<!\\)%[^\n]*", " ", "".join(out))  # a comment to the end of its line


def inside_environments(text: str, start: int = 0, end: int | None = None) -> frozenset[int]:
    """The positions of ``text[start:end]`` inside an environment written there."""
    return frozenset(
        i
        for m in ENVIRONMENT.finditer(text, start, len(text) if end is None else end)
        for i in range(m.start(), m.end())
    )


def tidy(text: str) -> str:
    """The source's alignment marks and line breaks dropped (not those of an environment
    inside the text: ``\\begin{cases}``), whitespace collapsed."""
    return " ".join(_marks(text, inside_environments(text)).split())


def balance(latex: str) -> str:
    """A term's text can hold a ``\\right)`` whose ``\\left`` lies outside it (the reader's
    span of a bracketed term): then the sizing commands go, the brackets stay."""
    sized = r"\\(left|right)(?![A-Za-z])\s*"
    lefts = len(re.findall(r"\\left(?![A-Za-z])", latex))
    if lefts != len(re.findall(r"\\right(?![A-Za-z])", latex)):
        latex = re.sub(sized, "", latex)
    return latex


def clean(text: str) -> str:
    """A text that is not a read term (a declaration, a fragment of prose), as LaTeX:
    tidied, scripts braced, plain-text ``in R^m`` as ``\\in \\mathbb{R}^{m}``."""
    from . import upright

    text = brace_scripts(tidy(text))
    text = PLAIN_IN.sub(lambda _: "\\in", text)
    text = PLAIN_REALS.sub(lambda m: m.group(1) + "\\mathbb{R}", text)
    return upright(balance(text))


class Typesetter:
    """Prints the read equations of one system (see the module's docstring). ``text`` maps
    the whitespace-normalised source text of every read term and equation to its printing,
    so a sentence that quotes the source (``$W_hf*h_t-1$``) is typeset as read."""

    def __init__(self, system: System) -> None:
        from ..parse.html_math import _entities
        from ..source import Source

        self.system = system
        self.source = system.source
        if "&" in self.source.text:  # &eta;&nabla;E(w): as read, \eta \nabla (same length)
            self.source = Source(_entities(self.source.text), self.source.name)
        self.by_text: dict[str, str] = {}
        # products between entries (a_i g_i, inside a sum over i): juxtaposition, never \odot
        self.entrywise: set[int] = set()
        for eq in system.equations:
            inside = t.walk(eq.rhs)
            if eq.element is not None or any(isinstance(x, t.Elem | t.IndexSum) for x in inside):
                self.entrywise.update(id(x) for x in inside if isinstance(x, t.Product))
        for eq in system.equations:
            for term in [eq.lhs, *t.walk(eq.rhs)]:
                self._remember(term.span, self.term(term))
            self._remember(eq.span, self.equation(eq))

    def _remember(self, span: Span, printed: str) -> None:
        raw = " ".join(self.source.snippet(span).split())
        self.by_text.setdefault(raw, printed)
        self.by_text.setdefault(" ".join(raw.replace("&", "").split()), printed)

    # ---- read terms ----------------------------------------------------------------------
    def equation(self, eq: t.Equation) -> str:
        named = getattr(eq.lhs, "key", None)
        if named and eq.lhs.span.start == eq.lhs.span.end:  # a name papermath gave the output
            # (parse/output_display.py); per group or node where it is read so (y_i)
            node = getattr(eq.lhs, "node", None)
            return balance(f"{symbol(named, node=node) if node else named} = {self.term(eq.rhs)}")
        between = self.source.text[eq.lhs.span.end : eq.rhs.span.start]
        # (h_t, c_t) = LSTM(x_t, ...): every equation the call stands for is the call, as written
        after = self.source.text[eq.rhs.span.end : eq.span.end]
        call = re.match(r"\s*(\^(\{[^{}]*\}|\w))?\s*\(", after) is not None  # LSTM^1(...)
        if (
            not isinstance(eq.rhs, t.Block)
            and not call
            and "," in re.sub(r"\([^()]*\)|\{[^{}]*\}|\[[^\[\]]*\]", "", between)
        ):
            # one pair of a, b = x, y (parse/tuple_pairs.py): that pair only, not the text
            # between (a function's arguments, f(Q, K, V) = ..., stay as written)
            return balance(f"{self.term(eq.lhs)} = {self.term(eq.rhs)}")
        parts = [(eq.lhs.span, self.term(eq.lhs)), self._part(eq.rhs)]
        return balance(self._splice(eq.span, parts))

    def term(self, term: t.Term) -> str:
        return balance(self._term(term))

    def _term(self, term: t.Term) -> str:
        written = getattr(self.system, "written", None)  # a term the reader built: its LaTeX
        if written is not None and (built := written(term)):
            return str(built)
        match term:
            case t.IndexSum(index=i, body=body) if dotted := dotted_range(
                self.source.snippet(term.span)
            ):  # sum_{i=1..d}{...}: the range as TeX writes it (parse/dotted_sums.py)
                first, last = dotted
                return f"\\sum_{{{i}={first}}}^{{{last}}} {{{self.term(body)}}}"
            case t.Sym() if _code_bracket(self.source.snippet(term.span), term.step):
                # x[t], W[x->i], updates[param]: code's brackets (parse/code_index.py), as read
                return symbol(term.key, term.step, term.offset if term.step else None)
            case t.Sym():
                printed = brace_scripts(tidy(self.source.snippet(term.span)))
                if "_" in term.key and term.key.replace("_", "") == printed:
                    return symbol(term.key)  # Wf read as W_f (read/rules_gate_weights.py)
                if re.fullmatch(r"[A-Za-z]{2,}", printed):
                    return f"\\mathrm{{{printed}}}"  # one name (code's `loss`), not l o s s
                if named := re.fullmatch(r"([A-Za-z]{3,})(_[A-Za-z0-9]|_\{[^{}]*\})", printed):
                    return f"\\mathrm{{{named[1]}}}{named[2]}"  # peep_i (parse/italic_links.py)
                return printed
            case t.Product(left=a, right=b, op_span=op, written=written):
                parts = [self._part(a), self._part(b)]
                if written not in SAYS_WHICH:
                    reading = self._product_reading(term)
                    if id(term) in self.entrywise:
                        reading = "scale_left"
                    if written != "juxt" or reading == "hadamard":
                        parts.insert(1, (op, PRODUCT_TEX.get(reading, " ")))
                return self._splice(term.span, parts)
            case t.FnCall(args=args):
                return self._splice(term.span, [self._part(x) for x in args])
        return self._splice(term.span, [self._part(c) for c in t.children(term)])

    def _part(self, term: t.Term) -> tuple[Span, str]:
        return term.span, self.term(term)

    def _product_reading(self, term: t.Product) -> str:
        try:
            return self.system.product_reading(term)
        except (KeyError, AttributeError):
            return "matmul"

    def _splice(self, span: Span, parts: list[tuple[Span, str]]) -> str:
        """The text of ``span`` with each part's span replaced by its printing; where the
        parts do not lie in order inside it (a term the reader built), the cleaned text."""
        text = self.source.text
        keep = inside_environments(text, span.start, span.end)
        out: list[str] = []
        at = span.start
        for sub, printed in sorted(parts, key=lambda p: (p[0].start, p[0].end)):
            if sub.start < at or sub.end > span.end:
                return clean(self.source.snippet(span))
            out.append(self._gap(text[at : sub.start], keep, at))
            out.append(printed)
            at = sub.end
        out.append(self._gap(text[at : span.end], keep, at))
        return " ".join("".join(out).split())

    @staticmethod
    def _gap(text: str, keep: frozenset[int], at: int) -> str:
        """Source text between read terms: an operator, a bracket, a command, spaces."""
        if not text:
            return ""
        tidied = " ".join(_marks(text, keep, at).split())
        lead = " " if text[0].isspace() or text[0] == "&" else ""
        tail = " " if text[-1].isspace() or text[-1] == "&" else ""
        return lead + brace_scripts(tidied) + tail if tidied else " "

    # ---- any text ------------------------------------------------------------------------
    def text(self, raw: str) -> str:
        """The printing of a source text: a read term's or equation's as read, else cleaned."""
        key = " ".join(raw.split())
        found = self.by_text.get(key) or self.by_text.get(" ".join(key.replace("&", "").split()))
        return found if found is not None else clean(raw)

    def declaration(self, span: Span) -> str:
        return clean(self.source.snippet(span))


def typeset_equations(system: System) -> list[str]:
    """Each read equation of ``system`` as LaTeX, in order."""
    ts = Typesetter(system)
    return [ts.equation(eq) for eq in system.equations]


def _code_bracket(snippet: str, step: str | None) -> bool:
    """``W[x->i]``, ``updates[param]``, and ``x[t]`` read as a step: a symbol written with
    code's brackets (parse/code_index.py), typeset as read; an entry (``t[i]``) as written."""
    if re.fullmatch(r"[A-Za-z]\w*\[(?:[^\[\]]*->[^\[\]]*|\w{2,})\]", snippet):
        return True
    return step is not None and re.fullmatch(r"[A-Za-z]\w*\[[^\[\]]+\]", snippet) is not None

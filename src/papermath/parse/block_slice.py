r"""Notation rule ``block-slice-stack``: a colon subscript after a node index, ``A_{v:}``,
multiplied with the stack of every node's state, ``[h_1^\top \dots h_{|V|}^\top]^\top``.

What people write (Li et al. 2016, Gated Graph Sequence Neural Networks, eq. 2)::

    a_v^{(t)} = A_{v:}^\top \left[ h_1^{(t-1)\top} \dots h_{|V|}^{(t-1)\top} \right]^\top + b

with, in the paper's prose, "A in R^{D|V| x 2D|V|}" and "A_{v:} in R^{D|V| x 2D} are the two
columns of blocks in A corresponding to node v". The same product is written with the stack
as a column (``[h_1; \dots; h_N]``), with commas between the transposed rows
(``[h_1^\top, \ldots, h_n^\top]^\top``), without the slice's transpose (``A_{v:}``, then the
row of blocks), in bold (``\mathbf{A}_{v:}``).

How papermath reads it: the stack holds one block per node, node 1 to the last (``|V|``, N, n:
the number of nodes), and ``A_{v:}`` is the part of A that belongs to v, one block per node u
along the stack (its rows of blocks, D|V| of them, as the stack is long). The product with the
stack is then, block by block, the sum over every node u of A's block for (v, u) times h_u
(transposed where the slice is). That is the notation's own arithmetic, not a guess: a
slice beside the stack of every node is cut by the stack's blocks. papermath writes it as the
sum over the neighbours with one block per pair, ``\sum_{u \in \mathcal{N}(v)} A_{vu}^\top
h_u`` (read/rules_graph.py's per-edge values): a pair whose block is zero adds nothing, so the
graph's edge list is every pair whose block is not zero (every pair, for a dense A); said in
the reading. The block's sizes stay free: the text gives A's size only in the paper's prose
(2D per node), so the message's width is a size of its own, and no block structure beyond
the one the product forces is read.

The construct is replaced before the parser (positions kept: a placeholder) and the sum
built in its place, its spans on what it reads (the sum on the whole product, ``A_{vu}``
on ``A_{v:}``, ``h_u`` on the stack's first entry). Only where the stack starts at node 1,
ends at the number of nodes, holds one symbol with one step (``^{(t-1)}``) throughout, and
is a column (transposed rows transposed, or rows separated by ``;``); a row of columns (a
matrix, D x |V|), a stack that starts elsewhere, or ``A_{v:}`` alone stay refused
(parse/index_slices.py, at the colon).

Example that reads::

    a_v = A_{v:}^\top \left[ h_1^\top \dots h_{|V|}^\top \right]^\top + b
    h_v^{(t)} = \tanh(W a_v + U h_v^{(t-1)})
"""

from __future__ import annotations

import dataclasses
import re

from ..errors import ParseError
from ..source import Span
from . import ast
from .normalize import Normalized

RULE = "block-slice-stack"

__all__ = ["RULE", "BlockSlice", "blanked", "rebuilt"]

_FONT = r"\\(?:mathbf|boldsymbol|bm|mathit|mathrm|pmb|vec)\s*"
_LETTER = rf"(?:{_FONT}\{{\s*[A-Za-z]\s*\}}|{_FONT}[A-Za-z]|[A-Za-z])"
_SYM = rf"(?:{_FONT}\{{\s*{_LETTER}\s*\}}|{_LETTER})"  # h, \mathbf{h}, \mathbf{\vec h}
_TOP = r"(?:\\top|\\intercal|\\mathsf\s*\{\s*T\s*\}|\\mathsf\s*T|T(?![A-Za-z]))"
_SCRIPT_TOP = rf"\^\s*(?:\{{\s*{_TOP}\s*\}}|{_TOP})"
# the slice: A_{v:}, \mathbf{A}_{v :}, with its transpose or none
_SLICE = re.compile(
    rf"(?P<base>{_SYM})\s*_\s*\{{\s*(?P<script>(?P<node>[a-z])\s*:)\s*\}}(?P<top>\s*{_SCRIPT_TOP})?(?:\s|\\[,;:!])*"
    r"(?P<open>\\left\s*\[|\\[Bb]igg?l?\s*\[|\[)"
)
_DOTS = re.compile(r"\\(?:dots|ldots|cdots|dotsc|dotsb)(?![A-Za-z])|\.\.\.")
_SIZED_CLOSE = re.compile(r"\\[Bb]igg?r?\s*$")  # \big], \Bigr]: the command before the ]
# one entry of the stack: h_1^{(t-1)\top}, \mathbf{h}_{|V|}^{(t-1)}, h_N^\top
_ENTRY = re.compile(
    rf"\s*(?P<sym>{_SYM})\s*_\s*(?P<sub>\{{[^{{}}]*(?:\{{[^{{}}]*\}}[^{{}}]*)*\}}|[0-9A-Za-z])"
    r"\s*(?:\^\s*(?P<sup>\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\\top|\\intercal))?\s*$"
)
_COUNT = re.compile(
    r"\{?\s*(?:\|\s*(?:V|\\mathcal\s*\{\s*V\s*\}|\\mathcal\s*V)\s*\||N|n|\|\s*\\mathcal\s*\{\s*V\s*\}\s*\|)\s*\}?"
)
_LEFT = re.compile(r"\\left(?![A-Za-z])")
_RIGHT = re.compile(r"\\right(?![A-Za-z])")
_STEP = re.compile(r"^\(\s*[a-z](?:\s*[-+]\s*[0-9]+)?\s*\)$")


@dataclasses.dataclass(frozen=True)
class BlockSlice(ast.Directive):
    """The product of ``A_{v:}`` with the stack of every node's state, read as a sum over
    the nodes (the span: the whole product; ``text`` what the reading says)."""


@dataclasses.dataclass(frozen=True)
class _Found:
    span: Span  # the whole product
    base: str  # A as written
    base_span: Span
    slice_span: Span  # A_{v:} (with its transpose where written)
    node: str  # v
    top: bool  # A_{v:}^\top
    state: str  # h as written
    step: str  # (t-1), or ""
    first_span: Span  # h_1^{(t-1)\top}
    script_span: Span  # v: in A_{v:}
    stack_span: Span  # \left[ ... \right]^\top
    letter: str  # the fresh node letter (u)


def _close(text: str, start: int) -> tuple[int, int] | None:
    """Where the bracket opened at ``start`` (``[`` or ``\\left[``) closes: ``(inner_end,
    end)``, the index of its ``]`` (or ``\\right``) and the index after it; None where
    unbalanced or the line ends first."""
    left = text.startswith("\\left", start)
    i = text.index("[", start) + 1
    depth = 0
    while i < len(text):
        c = text[i]
        if c == "\n":
            return None
        if left and _LEFT.match(text, i):
            depth += 1
        elif left and _RIGHT.match(text, i):
            if depth == 0:
                m = re.match(r"\\right\s*\]", text[i:])
                return (i, i + m.end()) if m else None
            depth -= 1
        elif c in "{[":
            depth += 1
        elif c in "}]":
            if depth == 0:
                if c != "]" or left:
                    return None
                sized = _SIZED_CLOSE.search(text, start, i)
                return (sized.start() if sized else i, i + 1)
            depth -= 1
        i += 1
    return None


def _entry(written: str) -> tuple[str, str, str, bool] | None:
    """``(symbol, subscript, step, transposed)`` of a stack entry, None where it is not one."""
    m = _ENTRY.match(written)
    if m is None:
        return None
    sub = m.group("sub").strip()
    sub = sub[1:-1].strip() if sub.startswith("{") else sub
    sup = (m.group("sup") or "").strip()
    sup = sup[1:-1].strip() if sup.startswith("{") else sup
    top = bool(re.search(rf"{_TOP}\s*$", sup))
    step = re.sub(rf"{_TOP}\s*$", "", sup).strip()
    if step and not _STEP.match(step):
        return None
    return " ".join(m.group("sym").split()), sub, step, top


def _fresh(text: str, taken: str) -> str | None:
    for letter in "uwjkpq":
        if letter != taken and not re.search(rf"(?<![\\A-Za-z]){letter}(?![A-Za-z])", text):
            return letter
    return None


def _find(text: str) -> list[_Found]:
    found: list[_Found] = []
    for m in _SLICE.finditer(text):
        closed = _close(text, m.start("open"))
        if closed is None:
            continue
        inner_end, close = closed
        inner_start = m.end("open")
        inner = text[inner_start:inner_end]
        after = re.match(rf"\s*{_SCRIPT_TOP}", text[close:])
        parts = _DOTS.split(inner)
        if len(parts) != 2:
            continue
        seps = {s.strip()[-1:] for s in parts[:1]} | {s.strip()[:1] for s in parts[1:]}
        first_text, last_text = (p.strip().strip(",;").strip() for p in parts)
        first, last = _entry(first_text), _entry(last_text)
        if first is None or last is None:
            continue
        if first[0] != last[0] or first[2] != last[2] or first[3] != last[3]:
            continue
        if first[1] != "1" or not _COUNT.fullmatch(last[1]):
            continue
        column = (first[3] and after is not None and ";" not in seps) or (
            not first[3] and after is None and seps == {";"}
        )
        if first[3] and after is None:  # [h_1^T, ..., h_N^T]: a row, A_{v:}^T times a row
            raise _row_refusal(text, m, first[0], Span(m.start("open"), close))
        if not column:
            continue  # a row of columns (a matrix): refused at the colon
        letter = _fresh(text, m.group("node"))
        if letter is None:
            continue
        end = close + (after.end() if after is not None else 0)
        first_at = inner_start + inner.index(first_text)
        slice_end = m.end("top") if m.group("top") else m.start("open")
        while text[slice_end - 1].isspace():
            slice_end -= 1
        found.append(
            _Found(
                span=Span(m.start(), end),
                base=" ".join(m.group("base").split()),
                base_span=Span(m.start("base"), m.end("base")),
                slice_span=Span(m.start(), slice_end),
                node=m.group("node"),
                top=bool(m.group("top")),
                state=first[0],
                step=first[2],
                first_span=Span(first_at, first_at + len(first_text)),
                script_span=Span(m.start("script"), m.end("script")),
                stack_span=Span(m.start("open"), end),
                letter=letter,
            )
        )
    return found


def _row_refusal(text: str, m: re.Match[str], state: str, stack: Span) -> ParseError:
    """The refusal of the stack written as a row: every entry transposed, the bracket not."""
    written = " ".join(text[stack.start : stack.end].split())
    base, node = " ".join(m.group("base").split()), m.group("node")
    return ParseError(
        f"`{written}` is a row (each {state} transposed, the bracket not): "
        f"{base}_{{{node}:}} times a row of every node's {state} is not a product papermath "
        "can read without guessing whether the stack is meant as a column",
        span=stack,
        hint=f"write the stack of every node's {state} as a column, the bracket transposed "
        f"too ([{state}_1^\\top \\dots {state}_{{|V|}}^\\top]^\\top, as Li et al. 2016 write "
        f"it), or the sum over the neighbours with one block per pair "
        f"(\\sum_{{u \\in \\mathcal{{N}}({node})}} {base}_{{{node}u}}^\\top {state}_u)",
    )


def _math_only(norm: Normalized) -> str:
    """``norm.text`` with everything but math blanked (positions kept): a region of equations
    whole, a region of prose its ``$...$``."""
    keep = [" "] * len(norm.text)
    for r in norm.regions:
        spans = (
            [m.span() for m in re.finditer(r"\$\$.+?\$\$|\$.+?\$", r.text, re.DOTALL)]
            if r.mixed
            else [(0, len(r.text))]
        )
        for a, b in spans:
            for i in range(a, min(b, len(keep))):
                if not r.text[i].isspace():
                    keep[i] = r.text[i]
    return "".join(keep)


def _other_mention(math: str, f: _Found) -> ParseError | None:
    """The refusal where the math writes A elsewhere than in ``A_{v:}`` (declared whole,
    ``A \\in \\mathbb{R}^{N \\times N}``, or used): the sum names its blocks A, so a size
    said of the whole A would be taken for a block's; None where A is written only there."""
    letter = re.sub(r"\\[A-Za-z]+|[{}\s]", "", f.base)
    pattern = rf"(?<![\\A-Za-z]){letter}(?![A-Za-z])"
    for m in re.finditer(pattern, math):
        if f.base_span.start <= m.start() < f.base_span.end:
            continue
        return ParseError(
            f"{f.base} is written elsewhere beside {f.base}_{{{f.node}:}} times the stack of "
            f"every node's {f.state}: papermath reads that product as one block of {f.base} "
            f"per pair of nodes (a sum over the nodes), and a size or a use of the whole "
            f"{f.base} would be taken for a block's; it does not cut a whole matrix into "
            "blocks",
            span=Span(m.start(), m.end()),
            hint=f"write the sum over the neighbours with the block named "
            f"(\\sum_{{u \\in \\mathcal{{N}}({f.node})}} {f.base}_{{{f.node}u}}^\\top "
            f"{f.state}_u), or leave the whole {f.base}'s size unsaid: the blocks' sizes "
            "follow from the state's",
        )
    return None


_PLACEHOLDER = "Z"


def blanked(norm: Normalized) -> tuple[Normalized, list[tuple[_Found, BlockSlice]]]:
    """``norm`` with each product of a slice and the stack of every node replaced by a
    placeholder (positions kept), and what was found; the rest as it was."""
    found = _find(norm.text)
    if not found:
        return norm, []
    math = _math_only(norm)
    for f in found:
        other = _other_mention(math, f)
        if other is not None:
            raise other

    def blank(text: str) -> str:
        for f in found:
            a, b = f.span.start, f.span.end
            if text[a:b].strip():
                text = text[:a] + _PLACEHOLDER + " " * (b - a - 1) + text[b:]
        return text

    regions = tuple(dataclasses.replace(r, text=blank(r.text)) for r in norm.regions)
    out = []
    for f in found:
        u, top = f.letter, "^\\top" if f.top else ""
        step = f"^{{{f.step}}}" if f.step else ""
        said = (
            f"the product of {f.base}_{{{f.node}:}}, the part of {f.base} that belongs to node "
            f"{f.node}, with the stack of every node's {f.state} (node 1 to the last): cut by "
            f"the stack's blocks, it is the sum over every node {u} of {f.base}'s block for "
            f"({f.node}, {u}){' transposed' if f.top else ''} times {f.state}_{u}, "
            f"\\sum_{{{u}}} {f.base}_{{{f.node}{u}}}{top} {f.state}_{u}{step}; a pair whose "
            f"block is zero adds nothing, so the code sums over the graph's edges: list every "
            f"pair ({u}, {f.node}) whose block is not zero (every pair, for a dense "
            f"{f.base}). The block's sizes stay free (the text does not give them)"
        )
        out.append((f, BlockSlice(f.span, said)))
    return dataclasses.replace(norm, text=blank(norm.text), regions=regions), out


def _synthetic(f: _Found) -> tuple[str, dict[str, tuple[int, int]]]:
    """The sum the product reads as, as text, and where its parts sit in that text."""
    u, top = f.letter, "^\\top" if f.top else ""
    under = f"{u} \\in \\mathcal{{N}}({f.node})"
    head = f"a = \\sum_{{{under}}} "
    block = f"{f.base}_{{{f.node}{u}}}{top}"
    state = f"{f.state}_{u}" + (f"^{{{f.step}}}" if f.step else "")
    text = f"{head}{block} {state}"
    at = len(head)
    parts = {
        "under": (len("a = \\sum_{"), len("a = \\sum_{") + len(under)),
        "script": (at + len(f.base) + 2, at + len(f.base) + 4),
        "base": (at, at + len(f.base)),
        "slice": (at, at + len(block)),
        "state": (at + len(block) + 1, len(text)),
    }
    return text, parts


def rebuilt(statements: list[ast.Statement], found: list[tuple[_Found, BlockSlice]]) -> None:
    """Each placeholder in ``statements`` replaced by the sum it reads as (in place)."""
    if not found:
        return
    from . import parse  # the sum parsed as papermath parses it

    sums: dict[int, ast.Node] = {}
    for f, _ in found:
        text, parts = _synthetic(f)
        (definition,) = parse(text)
        assert isinstance(definition, ast.Definition)
        targets = {
            "base": f.base_span,
            "slice": f.slice_span,
            "state": f.first_span,
            "script": f.script_span,
            "under": f.stack_span,
        }

        sums[f.span.start] = _moved(definition.rhs, f.span, parts, targets)

    def swap(node: ast.Node) -> ast.Node:
        if isinstance(node, ast.Letter) and node.name == _PLACEHOLDER:
            new = sums.get(node.span.start)
            if new is not None:
                return new
        new_node = ast.map_children(node, swap)
        return node if new_node is node else ast.keep_attached(new_node, node)

    for i, s in enumerate(statements):
        new_s = ast.map_children(s, swap)
        statements[i] = s if new_s is s else ast.keep_attached(new_s, s)


def _moved(
    node: ast.Node,
    whole: Span,
    parts: dict[str, tuple[int, int]],
    targets: dict[str, Span],
) -> ast.Node:
    """``node`` (parsed from the synthetic sum) with every span moved onto the text it reads:
    the smallest part holding it, else the whole product."""
    span = whole
    best: tuple[int, int, str] | None = None
    for name, (a, b) in parts.items():
        inside = a <= node.span.start and node.span.end <= b
        if inside and (best is None or b - a < best[1] - best[0]):
            best = (a, b, name)
    if best is not None:
        span = targets[best[2]]
    out = ast.map_children(node, lambda c: _moved(c, whole, parts, targets))
    return dataclasses.replace(out, span=span)

r"""Notation rule ``named-lstm-call``: a call of a cell named LSTM, with the hidden and cell
states on the left as a tuple and the previous states as a tuple argument, is PyTorch's LSTM
cell applied at each step.

What people write (bentrevett's seq2seq notebooks, without the layer superscripts)::

    (h_t, c_t) = \text{LSTM}(x_t, (h_{t-1}, c_{t-1}))

How papermath reads it: the name says an LSTM, and where the source writes no equations of
the cell they are torch.nn.LSTM's, as its documentation prints them (said in the readings)::

    i_t = \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi})
    f_t = \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf})
    g_t = \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg})
    o_t = \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho})
    c_t = f_t \odot c_{t-1} + i_t \odot g_t
    h_t = o_t \odot \tanh(c_t)

the input the first argument as written (``e(x_t)`` stays a call), the states the source's own
names, the weights and biases learnable parameters with PyTorch's names (one to one with
``weight_ih_l0``, ``weight_hh_l0`` split by gate). Every generated symbol points at the cell's
name in the source (carets and readings), the states and the input at their own text.

Only this exact form is read: the first name the state at step t (``h_t``), the second its
cell state, the argument tuple the same two at step t-1, the name containing ``LSTM``; and
none of the generated letters (i, f, g, o, W, b) used anywhere else in the source. Anything
else stays refused as a tuple on the left (parse/tuples.py, its hint from
parse/named_cells.py): a GRU, another cell (``ConvLSTM``, ``BiLSTM``, ``TreeLSTM``: only
``LSTM``, ``LSTMCell``, ``EncoderLSTM``, ``DecoderLSTM`` are PyTorch's plain cell), a layer
superscript (``h_t^1``), a name the source also uses.

Example that reads (x the input, h and c the states)::

    (h_t, c_t) = \text{LSTM}(x_t, (h_{t-1}, c_{t-1}))
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from ..errors import ParseError
from ..source import Span
from . import ast
from .named_cells import _prev
from .tuples import _top

RULE = "named-lstm-call"
Parsed = tuple[list[ast.Statement], list[tuple[int, int]]]

_LINE = re.compile(
    r"^(?P<lead>\s*(?:\$\$|\\\[|\$)?\s*)\(\s*(?P<h>[^,()]+?)\s*,\s*(?P<c>[^,()]+?)\s*\)\s*&?=\s*"
    r"(?P<head>\\(?:text|mathrm|operatorname)\s*\{[^{}]*LSTM[^{}]*\}|[A-Za-z]*LSTM[A-Za-z]*)"
    r"\s*\("
)
_PLAIN = re.compile(r"(?:Encoder|Decoder|Enc|Dec)?LSTM(?:Cell)?")  # the cell plain, by its role
_STEP = re.compile(r"^[A-Za-z]_\s*(?:\{\s*t\s*\}|t)$")
_GENERATED = re.compile(r"(?<![A-Za-z\\])[ifgoWb](?![A-Za-z])")
GATES = (("i", "\\sigma"), ("f", "\\sigma"), ("g", "\\tanh"), ("o", "\\sigma"))


@dataclasses.dataclass(frozen=True)
class CellDefinition(ast.Definition):
    """One equation of a named LSTM cell, PyTorch's, written out by papermath."""

    stack_readings: tuple[tuple[Span, str, str], ...] | None = None  # parse/cell_layers.py


def _close(text: str, at: int) -> int | None:
    """Where the parenthesis opened at ``at - 1`` closes."""
    depth = 1
    for i in range(at, len(text)):
        depth += text[i] in "([{"
        depth -= text[i] in ")]}"
        if depth == 0:
            return i if text[i] == ")" else None
    return None


def _norm(s: str) -> str:
    return "".join(s.split())


def _form(text: str, start: int) -> tuple[dict[str, tuple[int, int]], int] | None:
    """The pieces of the line at ``start`` (name -> span in ``text``) and the line's end."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    m = _LINE.match(text[start:end])
    if m is None or _PLAIN.fullmatch(re.sub(r"^\\[a-z]+\s*\{|\}$", "", m.group("head"))) is None:
        return None  # ConvLSTM, BiLSTM, TreeLSTM: another cell than PyTorch's nn.LSTM
    open_at = start + m.end()
    close = _close(text, open_at)
    if close is None or close > end:
        return None
    args = text[open_at:close]
    cuts = _top(args, ",")
    if len(cuts) != 1:
        return None
    arg_a, arg_b = open_at, open_at + cuts[0]
    rest = args[cuts[0] + 1 :].strip()
    if not (rest.startswith("(") and rest.endswith(")")):
        return None
    inner_a = open_at + cuts[0] + 1 + args[cuts[0] + 1 :].index("(") + 1
    inner_b = close - (len(args) - len(args.rstrip())) - 1
    inner = text[inner_a:inner_b]
    pc = _top(inner, ",")
    if len(pc) != 1 or not text[arg_a:arg_b].strip():
        return None
    h, c = m.group("h"), m.group("c")
    hp, cp = inner[: pc[0]], inner[pc[0] + 1 :]
    if not (_STEP.match(_norm(h)) and _STEP.match(_norm(c))):
        return None
    if _norm(hp) != _norm(_prev(h)) or _norm(cp) != _norm(_prev(c)):
        return None
    tail = text[close + 1 : end]
    if re.sub(r"\\\\|\$\$|\\\]|\$|[,.;\s]", "", tail):
        return None  # something after the call
    spans = {
        "h": (start + m.start("h"), start + m.end("h")),
        "c": (start + m.start("c"), start + m.end("c")),
        "head": (start + m.start("head"), start + m.end("head")),
        "x": _strip(text, arg_a, arg_b),
        "hp": _strip(text, inner_a, inner_a + pc[0]),
        "cp": _strip(text, inner_a + pc[0] + 1, inner_b),
        "line": (start + len(m.group("lead")), close + 1),
    }
    return spans, end


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    part = text[a:b]
    return a + len(part) - len(part.lstrip()), a + len(part.rstrip())


def _equations(
    text: str, spans: dict[str, tuple[int, int]]
) -> tuple[str, list[tuple[int, int, int]]]:
    """The cell's equations as text, and where each copied piece of the source lies in it
    (start in the equations, start in the source, length)."""
    out: list[str] = []
    copied: list[tuple[int, int, int]] = []
    pos = 0

    def put(s: str, source: tuple[int, int] | None = None) -> None:
        nonlocal pos
        if source is not None:
            copied.append((pos, source[0], source[1] - source[0]))
            s = text[source[0] : source[1]]
        out.append(s)
        pos += len(s)

    step = _norm(text[slice(*spans["h"])]).split("_", 1)[1]
    for gate, fn in GATES:
        put(f"$${gate}_{step} = {fn}(W_{{i{gate}}} ")
        put("", spans["x"])
        put(f" + b_{{i{gate}}} + W_{{h{gate}}} ")
        put("", spans["hp"])
        put(f" + b_{{h{gate}}})$$\n")
    put("$$")
    put("", spans["c"])
    put(f" = f_{step} \\odot ")
    put("", spans["cp"])
    put(f" + i_{step} \\odot g_{step}$$\n$$")
    put("", spans["h"])
    put(f" = o_{step} \\odot \\tanh(")
    put("", spans["c"])
    put(")$$\n")
    return "".join(out), copied


def _cell(equations: str, parse: Callable[[str], Parsed]) -> list[ast.Statement] | None:
    """The six equations parsed, as display math or as plain lines (the region's mode)."""
    for text in (equations, equations.replace("$$", "  ")):
        try:
            found, _ = parse(text)
        except ParseError:
            continue
        if len(found) == 6 and all(type(s) is ast.Definition for s in found):
            return found
    return None


def _moved(node: object, place: Callable[[Span], Span]) -> object:
    if isinstance(node, ast.Node):
        changes = {
            f.name: _moved(getattr(node, f.name), place)
            for f in dataclasses.fields(node)
            if f.name != "span"
        }
        return dataclasses.replace(node, span=place(node.span), **changes)
    if isinstance(node, Span):
        return place(node)
    if isinstance(node, tuple):
        return tuple(_moved(x, place) for x in node)
    if isinstance(node, list):
        return [_moved(x, place) for x in node]
    return node


def after(exc: ParseError, text: str, parse: Callable[[str], Parsed]) -> Parsed:
    """``text`` parsed again where ``exc`` refused a line ``(h_t, c_t) = LSTM(x_t, (h_{t-1},
    c_{t-1}))``: the line blanked, the cell's equations parsed on their own, their spans moved
    onto the line. Raises ``exc`` where the line is not that form."""
    if exc.span is None or not exc.message.startswith("a tuple on the left side"):
        raise exc
    start = text.rfind("\n", 0, exc.span.start) + 1
    found = _form(text, start)
    if found is None:
        raise exc
    spans, end = found
    if _GENERATED.search(text[:start] + text[end:]):
        raise exc  # a generated name (f, W, ...) is the source's own elsewhere
    line = Span(*spans["line"])
    head = Span(*spans["head"])
    equations, copied = _equations(text, spans)

    def place(span: Span) -> Span:
        for at, source, n in copied:
            if at <= span.start and span.end <= at + n:
                return Span(source + span.start - at, source + span.end - at)
        return head

    blanked = text[:start] + "".join(" " for _ in range(start, end)) + text[end:]
    rest, comments = parse(blanked)
    cell = _cell(equations, parse)
    if cell is None:
        raise exc
    moved = []
    for s in cell:
        m = _moved(s, place)
        assert isinstance(m, ast.Definition)
        fields = {f.name: getattr(m, f.name) for f in dataclasses.fields(m)}
        fields["span"] = line
        moved.append(CellDefinition(**fields))
    return [*rest, *moved], comments


def readings(statements: list[ast.Statement]) -> list[tuple[Span, str, str]]:
    """The reading notes of the cells written out: (span, reading, reason), one per cell."""
    seen: set[Span] = set()
    out: list[tuple[Span, str, str]] = []
    for s in statements:
        if isinstance(s, CellDefinition) and s.stack_readings is not None:
            out.extend(s.stack_readings)  # a stack of numbered layers (parse/cell_layers.py)
        elif isinstance(s, CellDefinition) and s.span not in seen:
            seen.add(s.span)
            out.append(
                (
                    s.span,
                    "an LSTM cell by its name, PyTorch's equations",
                    "a call of a cell named LSTM returning the hidden and cell states, the "
                    "previous ones its second argument: the source writes no equations of the "
                    "cell, so they are torch.nn.LSTM's as its documentation prints them "
                    "(i, f, g, o gates; W_ii, W_hi, b_ii, b_hi, ... learnable, one to one "
                    "with weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 split by gate), "
                    "the first argument the input",
                )
            )
    return out

r"""Notation rule ``named-lstm-layers``: calls of a cell named LSTM, one per numbered layer (two
or more), the layer a superscript on the states and on the cell's name, each layer's input the
hidden state of the layer below: a stack of PyTorch's LSTM cells (``torch.nn.LSTM(num_layers=K)``).

What people write (bentrevett's seq2seq notebooks, "Extending our multi-layer equations to
LSTMs")::

    (h_t^1, c_t^1) = \text{EncoderLSTM}^1(e(x_t), (h_{t-1}^1, c_{t-1}^1))
    (h_t^2, c_t^2) = \text{EncoderLSTM}^2(h_t^1, (h_{t-1}^2, c_{t-1}^2))

How papermath reads it: each line is one layer k of a stack (the superscript the layer, never
a power: the cell's name carries the same number), and each call is PyTorch's LSTM cell, as
``statements.named-lstm-call`` (parse/cell_calls.py) reads one call: the source writes no
equations of the cell, so they are torch.nn.LSTM's, with the layer's own weights
(``W^{(k)}_{ii}``, ``b^{(k)}_{hi}``, ...: key ``W_k_ii``, one to one with ``weight_ih_l{k-1}``
split by gate) and gates (``i^{(k)}_t``: key ``i_k``). Layer 1's input is its first argument as
written (``e(x_t)`` stays a call); layer k's input must be written as the layer below's hidden
state at the same step (``h_t^{k-1}``), as nn.LSTM feeds it. The top layer's states keep the
source's letters (key ``h``, ``c``: the stack's output, what nn.LSTM returns at each step);
a lower layer's carry its number (``h_t^1`` is key ``h_1``). Said in the readings.

Beside the stack, two things the same sources write are read with it (said in the readings):
the top layer written with a capital letter, ``s_t^L``, where the source's words say "top
layer" and L is nothing else: the top layer's value (key ``s``); and the initial states given
as a tuple in the prose, ``$(s_0^l,c_0^l)=z^l=(h_T^l,c_T^l)$``: the states' first values come
from outside the system (the encoder's final states), which is how papermath reads a
recurrence's initial states anyway (given, zeros by default); that fragment is not read as an
equation.

Refused as before (a tuple on the left side, with the hint of parse/named_cells.py): layers
not numbered 1, 2, ... in order, a layer's input other than the layer below's hidden state,
different cell names or state letters from layer to layer, a generated name (``f_1``,
``W^{(1)}``, ``h_1``) the source also writes, a GRU or another cell (ConvLSTM, BiLSTM).

Example that reads (a 2-layer stack, x the input)::

    (h_t^1, c_t^1) = \text{LSTM}^1(x_t, (h_{t-1}^1, c_{t-1}^1))
    (h_t^2, c_t^2) = \text{LSTM}^2(h_t^1, (h_{t-1}^2, c_{t-1}^2))
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable

from ..errors import ParseError
from ..source import Span
from . import ast, cell_calls
from .tuples import _top

RULE = "named-lstm-layers"
Parsed = tuple[list[ast.Statement], list[tuple[int, int]]]

_LINE = re.compile(
    r"^(?P<lead>\s*(?:\$\$|\\\[|\$)?\s*&?\s*)\(\s*(?P<h>[^,()]+?)\s*,\s*(?P<c>[^,()]+?)\s*\)"
    r"\s*&?=\s*(?P<head>\\(?:text|mathrm|operatorname)\s*\{[^{}]*LSTM[^{}]*\}|[A-Za-z]*LSTM"
    r"[A-Za-z]*)\s*\^\s*(?P<k>\{\s*\d+\s*\}|\d)\s*\("
)
# h_t^1, h^1_t, h_{t-1}^{1}: (letter, step, layer)
_NAME = re.compile(
    r"^(?P<b>[A-Za-z])(?:_(?P<s1>\{[^{}]*\}|t)\^(?P<l1>\{\d+\}|\d)|\^(?P<l2>\{\d+\}|\d)"
    r"_(?P<s2>\{[^{}]*\}|t))$"
)
_TAIL = re.compile(r"(?:\\\\|\$\$|\\\]|\$|[,.;\s])*")
_TOP_WORDS = re.compile(r"(?i)\btop(?:most)?\s+layer\b")


def _norm(s: str) -> str:
    return "".join(s.split())


def _name(written: str) -> tuple[str, str, int] | None:
    """``h_t^1`` -> ("h", "t", 1); ``h_{t-1}^1`` -> ("h", "t-1", 1); None otherwise."""
    m = _NAME.match(_norm(written))
    if m is None:
        return None
    step = (m.group("s1") or m.group("s2")).strip("{}")
    layer = int((m.group("l1") or m.group("l2")).strip("{}"))
    return m.group("b"), step, layer


@dataclasses.dataclass
class _Layer:
    k: int
    start: int  # the line's start and end in the text
    end: int
    head: str  # the cell's name without the superscript
    spans: dict[str, tuple[int, int]]
    h: str  # the state letters
    c: str


def _layer(text: str, start: int) -> _Layer | None:
    """The layer call on the line at ``start``, or None where the line is not one."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    m = _LINE.match(text[start:end])
    if m is None:
        return None
    plain = re.sub(r"^\\[a-z]+\s*\{|\}$", "", m.group("head"))
    if cell_calls._PLAIN.fullmatch(plain) is None:
        return None  # ConvLSTM, BiLSTM, TreeLSTM: another cell than PyTorch's nn.LSTM
    k = int(m.group("k").strip("{} "))
    open_at = start + m.end()
    close = cell_calls._close(text, open_at)
    if close is None or close > end or _TAIL.fullmatch(text[close + 1 : end]) is None:
        return None
    args = text[open_at:close]
    cuts = _top(args, ",")
    if len(cuts) != 1 or not args[: cuts[0]].strip():
        return None
    rest = args[cuts[0] + 1 :].strip()
    if not (rest.startswith("(") and rest.endswith(")")):
        return None
    inner_a = open_at + cuts[0] + 1 + args[cuts[0] + 1 :].index("(") + 1
    inner_b = close - (len(args) - len(args.rstrip())) - 1
    pc = _top(text[inner_a:inner_b], ",")
    if len(pc) != 1:
        return None
    h, c = _name(m.group("h")), _name(m.group("c"))
    hp, cp = _name(text[inner_a : inner_a + pc[0]]), _name(text[inner_a + pc[0] + 1 : inner_b])
    if h is None or c is None or hp is None or cp is None or h[0] == c[0]:
        return None
    if (h[1:], c[1:], hp, cp) != (("t", k), ("t", k), (h[0], "t-1", k), (c[0], "t-1", k)):
        return None
    spans = {
        "h": (start + m.start("h"), start + m.end("h")),
        "c": (start + m.start("c"), start + m.end("c")),
        "head": (start + m.start("head"), start + m.end("head")),
        "x": cell_calls._strip(text, open_at, open_at + cuts[0]),
        "hp": cell_calls._strip(text, inner_a, inner_a + pc[0]),
        "cp": cell_calls._strip(text, inner_a + pc[0] + 1, inner_b),
        "line": (start + len(m.group("lead")), close + 1),
    }
    return _Layer(k, start, end, _norm(plain), spans, h[0], c[0])


def _stack(text: str, start: int) -> list[_Layer] | None:
    """The layers 1, 2, ... on consecutive lines from ``start`` (blank lines between them
    allowed), each fed by the layer below's hidden state; None where that is not so."""
    layers: list[_Layer] = []
    at = start
    while at < len(text):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        found = _layer(text, at)
        if found is None and text[at:end].strip() and layers:
            break
        if found is None and not layers:
            return None
        if found is not None:
            layers.append(found)
        at = end + 1
    first = layers[0]
    if len(layers) < 2 or [lay.k for lay in layers] != list(range(1, len(layers) + 1)):
        return None  # one numbered layer alone: the others are not written
    if any((lay.head, lay.h, lay.c) != (first.head, first.h, first.c) for lay in layers):
        return None
    for below, lay in itertools.pairwise(layers):
        if _name(text[slice(*lay.spans["x"])]) != (first.h, "t", below.k):
            return None  # a layer's input is the layer below's hidden state at step t
    return layers


def _top_layer(text: str, h: str, c: str) -> tuple[str, list[tuple[int, int]]]:
    """``s_t^L`` (the source's words say "top layer", L nothing else): the superscripts
    blanked, the top layer's value; the text unchanged where that is not so."""
    pattern = re.compile(
        rf"(?<![A-Za-z\\])[{re.escape(h + c)}]\s*_\s*(?:t|\{{\s*t\s*\}})\s*(\^\s*(?:([A-Z])|\{{\s*"
        r"([A-Z])\s*\}))"
    )
    found = list(pattern.finditer(text))
    letters = {m.group(2) or m.group(3) for m in found}
    if len(letters) != 1 or not _TOP_WORDS.search(text):
        return text, []
    blanked = text
    for m in found:
        blanked = blanked[: m.start(1)] + " " * (m.end(1) - m.start(1)) + blanked[m.end(1) :]
    (top,) = letters
    if re.search(rf"(?<![A-Za-z\\]){top}(?![A-Za-z])", _prose_free(blanked)):
        return text, []  # L is something else too
    return blanked, [(m.start(1), m.end(1)) for m in found]


def _prose_free(text: str) -> str:
    """The math of ``text``: inside $...$ and $$...$$ (the whole text where it has no $)."""
    if "$" not in text:
        return text
    return " ".join(a or b for a, b in re.findall(r"\$\$(.*?)\$\$|\$([^$]*)\$", text, re.S))


def _initial_states(text: str, h: str, c: str) -> list[tuple[int, int]]:
    """Inline math ``$(s_0^l, c_0^l) = ...$``: the initial states given, as a tuple."""
    pattern = re.compile(
        rf"(?<!\$)\$\s*\(\s*{h}\s*_\s*\{{?\s*0\s*\}}?\s*(?:\^\s*(?:\{{[^{{}}$]*\}}|\w))?\s*,\s*"
        rf"{c}\s*_\s*\{{?\s*0\s*\}}?\s*(?:\^\s*(?:\{{[^{{}}$]*\}}|\w))?\s*\)\s*=[^$]*\$(?!\$)"
    )
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _equations(
    text: str, layers: list[_Layer]
) -> tuple[str, list[tuple[int, int, int, int]], dict[int, int]]:
    """The stack's equations as text; the pieces that stand for the source's text (start and
    end in the equations, start and end in the source); each generated line's layer."""
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    line_layer: dict[int, int] = {}
    pos = 0
    top = len(layers)

    def put(s: str, source: tuple[int, int] | None = None) -> None:
        nonlocal pos
        if source is not None:
            pieces.append((pos, pos + len(s), source[0], source[1]))
        out.append(s)
        pos += len(s)

    def state(letter: str, k: int, step: str) -> str:
        return f"{letter}_{{{step}}}" if k == top else f"{letter}_{{{k},{step}}}"

    for lay in layers:
        k, sp = lay.k, lay.spans
        sup = f"^{{({k})}}"
        for gate, fn in cell_calls.GATES:
            line_layer[len("".join(out).split("\n")) - 1] = k
            put(f"$${gate}{sup}_t = {fn}(W{sup}_{{\\mathrm{{i{gate}}}}} ")
            if k == 1:
                put(text[slice(*sp["x"])], sp["x"])
            else:
                put(state(lay.h, k - 1, "t"), sp["x"])
            put(f" + b{sup}_{{\\mathrm{{i{gate}}}}} + W{sup}_{{\\mathrm{{h{gate}}}}} ")
            put(state(lay.h, k, "t-1"), sp["hp"])
            put(f" + b{sup}_{{\\mathrm{{h{gate}}}}})$$\n")
        line_layer[len("".join(out).split("\n")) - 1] = k
        put("$$")
        put(state(lay.c, k, "t"), sp["c"])
        put(f" = f{sup}_t \\odot ")
        put(state(lay.c, k, "t-1"), sp["cp"])
        put(f" + i{sup}_t \\odot g{sup}_t$$\n")
        line_layer[len("".join(out).split("\n")) - 1] = k
        put("$$")
        put(state(lay.h, k, "t"), sp["h"])
        put(f" = o{sup}_t \\odot \\tanh(")
        put(state(lay.c, k, "t"), sp["c"])
        put(")$$\n")
    return "".join(out), pieces, line_layer


def _generated_elsewhere(rest: str, h: str, c: str) -> bool:
    """Whether the source writes, outside the stack, a name the stack generates: a gate,
    weight or bias letter with a script (``f_1``, ``W^{(1)}``), or a state with a number
    (``h_1``)."""
    math = _prose_free(rest)
    gen = re.search(r"(?<![A-Za-z\\])[ifgoWb]\s*[_^]", math)
    states = re.search(rf"(?<![A-Za-z\\])[{re.escape(h + c)}]\s*_\s*\{{?\s*[1-9]", math)
    return gen is not None or states is not None


def after(exc: ParseError, text: str, parse: Callable[[str], Parsed]) -> Parsed | None:
    """``text`` parsed again where ``exc`` refused the first line of a stack of numbered LSTM
    layers: the lines blanked, the stack's equations parsed on their own, their spans moved
    onto the lines. None where the refused line is not such a stack."""
    if exc.span is None or not exc.message.startswith("a tuple on the left side"):
        return None
    start = text.rfind("\n", 0, exc.span.start) + 1
    layers = _stack(text, start)
    if layers is None:
        return None
    first, last = layers[0], layers[-1]
    h, c = first.h, first.c
    rest = text[:start] + " " * (last.end - start) + text[last.end :]
    if _generated_elsewhere(rest, h, c):
        return None
    notes: list[tuple[Span, str, str]] = []
    rest, tops = _top_layer(rest, h, c)
    for a, b in tops:
        notes.append(
            (
                Span(a, b),
                f"the top layer, layer {last.k}",
                f"{text[a:b].strip()} beside {h}_t: the source's words say the top layer, and "
                f"the stack has {last.k} layers: the top layer's {h}_t (key {h})",
            )
        )
    for a, b in _initial_states(rest, h, c):
        rest = rest[:a] + "".join(ch if ch == "\n" else " " for ch in rest[a:b]) + rest[b:]
        notes.append(
            (
                Span(a, b),
                "the initial states, given",
                f"{text[a:b]} says the states' first values ({h}_0, {c}_0 at each layer) come "
                "from outside this system: read as the recurrence's initial states, given "
                "(zeros by default), not as an equation",
            )
        )
    equations, pieces, line_layer = _equations(text, layers)
    lines_at = [0, *(i + 1 for i, ch in enumerate(equations) if ch == "\n")]

    def place(span: Span) -> Span:
        for a, b, s0, s1 in pieces:
            if a <= span.start and span.end <= b:
                if equations[a:b] == text[s0:s1]:  # copied: the same place in the copy
                    return Span(s0 + span.start - a, s0 + span.end - a)
                return Span(s0, s1)
        row = max(i for i, at in enumerate(lines_at) if at <= span.start)
        lay = layers[line_layer.get(row, 1) - 1]
        return Span(*lay.spans["head"])

    rest_found, comments = parse(rest)
    cell = _cell(equations, parse, 6 * len(layers))
    if cell is None:
        return None
    said = (
        (
            Span(first.spans["line"][0], last.spans["line"][1]),
            f"a stack of {last.k} LSTM layers by the cell's name, PyTorch's equations",
            f"numbered calls of a cell named LSTM, the number on the states and the name the "
            f"layer, layer k's input the hidden state of layer k-1: torch.nn.LSTM with "
            f"num_layers={last.k}; the source writes no equations of the cell, so each layer's "
            "are torch.nn.LSTM's (i, f, g, o gates; W^{(k)}_{ii}, W^{(k)}_{hi}, b^{(k)}_{ii}, "
            "b^{(k)}_{hi}, ... learnable, one to one with weight_ih_l{k-1}, weight_hh_l{k-1}, "
            "bias_ih_l{k-1}, bias_hh_l{k-1} split by gate); layer 1's input its first "
            f"argument; the top layer's states are {h}, {c} (the stack's output), layer k's "
            f"below it {h}_k, {c}_k",
        ),
        *notes,
    )
    moved: list[ast.Statement] = []
    for n, s in enumerate(cell):
        m = cell_calls._moved(s, place)
        assert isinstance(m, ast.Definition)
        fields = {f.name: getattr(m, f.name) for f in dataclasses.fields(m)}
        fields["span"] = Span(*layers[n // 6].spans["line"])
        fields["stack_readings"] = said if n == 0 else ()
        moved.append(cell_calls.CellDefinition(**fields))
    return [*rest_found, *moved], comments


def _cell(equations: str, parse: Callable[[str], Parsed], count: int) -> list[ast.Statement] | None:
    """The stack's equations parsed, as display math or as plain lines (the region's mode)."""
    for form in (equations, equations.replace("$$", "  ")):
        try:
            found, _ = parse(form)
        except ParseError:
            continue
        if len(found) == count and all(type(s) is ast.Definition for s in found):
            return found
    return None


def generated_bases(statements: list[ast.Statement]) -> set[int]:
    """The ids of the letters under a script in a stack's generated equations (the f of
    ``f^{(1)}_t``): papermath's names, not the source's letter used as a value (the source's
    ``f(s_t)`` stays a function)."""
    out: set[int] = set()
    for s in statements:
        if not (isinstance(s, cell_calls.CellDefinition) and s.stack_readings is not None):
            continue
        for node in ast.walk(s):
            if isinstance(node, ast.Sub | ast.Sup):
                out.add(id(node.base))
    return out

"""``papermath diagram``: the dataflow of one step, laid out by Graphviz.

Inputs and incoming state (``x_t``, ``h_{t-1}``, ``C_{t-1}``) are explicit nodes on the left,
outgoing state (``h_t``, ``C_t``) on the right: no hidden delay lines. One node per
operation, with its usual symbol (sigma, tanh, odot, +, [ , ], a matrix product); parameters
are small labels on the operation that uses them (``W_f \\cdot``, ``+ b_f``); a value the
equations name (``f_t``) is written under the operation that computes it.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import papermath.ops.families  # noqa: F401  (fills the registries of ir.rules)

from .errors import PapermathError
from .ir.prims import PRIMS
from .ir.rules import labels as reduction_labels
from .ir.rules import words as reduction_words
from .ops import ELEMENTWISE
from .read import rules_matrix
from .read import terms as t
from .report.symbols import key_latex

if TYPE_CHECKING:
    from .system import System

SYMBOLS = {
    **{row.name: row.symbol for row in ELEMENTWISE.values()},
    "softmax": "softmax",
    "max": "max",
    "min": "min",
}
GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "eta": "η",
    "theta": "θ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "phi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "ell": "ℓ",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Sigma": "Σ",
    "Phi": "Φ",
    "Omega": "Ω",
}
INPUT_FILL = "#fef7e0"  # inputs and incoming state, on the left
OUTPUT_FILL = "#e8f0fe"  # outputs and outgoing state, on the right
DECOR = {"tilde": "\u0303", "hat": "\u0302", "bar": "\u0304", "prime": "′", "star": "*"}


def symbol_html(
    key: str,
    step: str | None = None,
    offset: int = 0,
    node: str | None = None,
    step_label: str | None = None,
    edge: str | None = None,
) -> str:
    """``C_tilde`` at t-1 -> ``C̃<sub>t-1</sub>`` (an HTML-like Graphviz label)."""
    _, labels = key_latex(key)
    name = key.split("_")[0]
    shown = GREEK.get(name, name)
    for d in key.split("_")[1:]:
        if d in DECOR:
            shown += DECOR[d]
    if name == "L":
        shown = "ℒ"
    subs = [s.replace(" \\to ", "→") for s in labels]  # W_{x \to i}: W[x->i] (code_index.py)
    if node:
        subs.append(node + (edge or ""))  # e_{ij}: a value per edge
    if step:
        subs.append(step if offset == 0 else f"{step}{offset:+d}".replace("-", "−"))
    text = html.escape(shown)
    if subs:
        text += f"<sub>{html.escape(','.join(subs))}</sub>"
    if step_label:
        text += f"<sup>({html.escape(step_label)})</sup>"
    return text


@dataclass
class Graph:
    system: System
    nodes: list[str] = field(default_factory=list)
    edges: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    right: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # a value's key -> node id
    defined_at: dict[str, str] = field(default_factory=dict)  # symbol key -> node id
    count: int = 0
    sizes: bool = True  # write the size of each value on the edge that carries it
    legend: dict[str, str] = field(default_factory=dict)  # symbol drawn -> what it means
    pairs: list[tuple[str, str]] = field(default_factory=list)  # every edge, tail -> head
    rows: list[tuple[str, str, list[str]]] = field(default_factory=list)  # equation's nodes
    # an input or earlier state that many equations read (x_t, h_{t-1} in every gate) is drawn
    # once in each row that reads it: wires stay in their row instead of crossing the others
    row: int = 0  # the equation being drawn
    copied: set[tuple[str, int]] = field(default_factory=set)  # (key, offset) drawn per row
    drawn_again: bool = False  # some input is drawn in several rows

    def row_nodes(self) -> list[tuple[str, str, list[str]]]:
        """Each equation's row: (its key, its root, the nodes drawn in it). A node one
        equation creates and another one reads (the shared ``[h, x]``) belongs to no row;
        inputs and outputs stay in the outer columns."""
        owner = {n: k for k, (_, _, nodes) in enumerate(self.rows) for n in nodes}
        roots = {root for _, root, _ in self.rows}
        shared = {
            a
            for a, b in self.pairs
            if a in owner and b in owner and owner[a] != owner[b] and a not in roots
        }
        outer = set(self.left) | set(self.right) | shared
        return [(key, root, [n for n in nodes if n not in outer]) for key, root, nodes in self.rows]

    def entries(self) -> list[list[str]]:
        """The nodes that open each equation's row (``W_xf ·`` and ``W_hf ·``: fed only by
        inputs, state or a value every row shares), one group per row in equation order, each
        in the order the equation writes them. None feeds another (one rank holds them all)."""
        rows = self.row_nodes()
        inside = {n for _, _, nodes in rows for n in nodes}
        tails: dict[str, set[str]] = {}
        for a, b in self.pairs:
            tails.setdefault(b, set()).add(a)
        heads: dict[str, set[str]] = {}
        for a, b in self.pairs:
            heads.setdefault(a, set()).add(b)

        def below(n: str) -> set[str]:
            seen: set[str] = set()
            todo = [n]
            while todo:
                for m in heads.get(todo.pop(), ()):
                    if m not in seen:
                        seen.add(m)
                        todo.append(m)
            return seen

        chosen: list[list[str]] = []
        reach: set[str] = set()
        for _, _, nodes in rows:
            group: list[str] = []
            for n in nodes:
                fed = tails.get(n, set())
                if not fed or fed & inside or n in reach:
                    continue
                down = below(n)
                if any(down & set(other) for other in [*chosen, group]):
                    continue
                group.append(n)
                reach |= down
            if group:
                chosen.append(group)
        return chosen

    def uses(self, symbol: str, meaning: str) -> None:
        self.legend.setdefault(symbol, meaning)

    def node(self, label: str, shape: str = "circle", key: str | None = None, **attrs: str) -> str:
        if key is not None and key in self.ids:
            return self.ids[key]
        self.count += 1
        nid = f"n{self.count}"
        extra = "".join(f', {k}="{v}"' for k, v in attrs.items())
        self.nodes.append(f"  {nid} [label=<{label}>, shape={shape}{extra}];")
        if key is not None:
            self.ids[key] = nid
        return nid

    def edge(self, a: str, b: str, label: str = "") -> None:
        lab = f" [label=<{label}>]" if label else ""
        self.edges.append(f"  {a} -> {b}{lab};")
        self.pairs.append((a, b))


def build(system: System, sizes: bool = True) -> Graph:
    g = Graph(system, sizes=sizes)
    kinds = system.kinds
    states = set(system.recurrence.states) if system.recurrence else set()
    readers: dict[tuple[str, int], int] = {}
    for eq in system.equations:
        for x in {(s.key, s.offset) for s in t.walk(eq.rhs) if isinstance(s, t.Sym)}:
            readers[x] = readers.get(x, 0) + 1
    g.copied = {x for x, n in readers.items() if n >= COPY_FROM}
    for k, eq in enumerate(system.equations):
        g.row = k
        first = g.count
        root = term_node(g, eq.rhs, kinds)
        made = [f"n{k}" for k in range(first + 1, g.count + 1)]
        if eq.lhs.key not in states and kinds.get(eq.lhs.key) != "output":
            name = symbol_html(eq.lhs.key, eq.lhs.step, 0, eq.lhs.node, None, eq.lhs.edge)
            g.nodes.append(f"  {root}_name [label=<<i>{name}</i>>, shape=plaintext, fontsize=11];")
            g.edges.append(f"  {root} -> {root}_name [arrowhead=none, style=dotted];")
            made.append(f"{root}_name")
        g.rows.append((eq.lhs.key, root, made))
        g.defined_at[eq.lhs.key] = root
    # symbols used before their equation (same step) point at their defining node
    for src_key, target in list(g.ids.items()):
        if src_key.startswith("use:"):
            key = src_key[4:]
            if key in g.defined_at:
                g.edges.append(f"  {g.defined_at[key]} -> {target};")
                g.pairs.append((g.defined_at[key], target))
    for eq in system.equations:
        key = eq.lhs.key
        if key in states or kinds.get(key) == "output":
            out = g.node(
                f"<b>{symbol_html(key, eq.lhs.step, 0, eq.lhs.node)}</b>",
                "box",
                f"out:{key}",
                style="rounded,filled",
                fillcolor=OUTPUT_FILL,
            )
            g.right.append(out)
            size = html.escape("×".join(x.replace(" ", "") for x in system.shapes[key]))
            label = (
                f"<font point-size='9'>{size}</font>" if sizes and size else ""
            )  # a scalar: none
            g.edge(g.defined_at[key], out, label)
    return g


def leaf(g: Graph, s: t.Sym, kinds: dict[str, str]) -> str:
    kind = kinds.get(s.key, "")
    label = symbol_html(s.key, s.step, s.offset, s.node, s.step_label, s.edge)
    defined = any(eq.lhs.key == s.key for eq in g.system.equations)
    if s.offset == 0 and defined:
        if s.key in g.defined_at:
            return g.defined_at[s.key]
        return g.node("", "point", f"use:{s.key}", width="0.05")  # wired up later
    if s.offset < 0 or kind in ("input", "target", "state", "constant"):
        copy = f":row{g.row}" if (s.key, s.offset) in g.copied else ""
        g.drawn_again = g.drawn_again or bool(copy)
        nid = g.node(
            f"<b>{label}</b>",
            "box",
            f"in:{s.key}:{s.offset}{copy}",
            style="rounded,filled",
            fillcolor=INPUT_FILL,
        )
        if nid not in g.left:
            g.left.append(nid)
        return nid
    if kind == "parameter":
        return g.node(label, "plaintext", f"param:{s.key}", fontsize="11")
    return g.node(label, "plaintext", f"other:{s.key}", fontsize="11")


def term_node(g: Graph, term: t.Term, kinds: dict[str, str]) -> str:
    s = g.system

    def link(child: t.Term, nid: str, label: str = "") -> None:
        """An edge from what ``child`` computes to ``nid``, with the size it carries."""
        size = size_label(s, child) if g.sizes else ""
        text = " ".join(x for x in (label, size) if x)
        shown = f"<font point-size='9'>{text}</font>" if text else ""
        g.edge(term_node(g, child, kinds), nid, shown)

    def summed(label: str, fill: str, body: t.Term, meaning: str) -> str:
        """A sum (over nodes, neighbours or entries): a filled circle fed by its body."""
        nid = g.node(label, "circle", style="filled", fillcolor=fill)
        g.uses(label, meaning)
        link(body, nid)
        return nid

    def param_label(x: t.Term) -> str | None:
        if isinstance(x, t.Sym) and kinds.get(x.key) == "parameter":
            return symbol_html(x.key)
        return None

    match term:
        case t.Sym():
            return leaf(g, term, kinds)
        case t.Const(value=v):
            return g.node(f"{v:g}", "plaintext", fontsize="11")
        case t.Apply(args=(b,)) if id(term) in rules_matrix.matrix_exponentials(
            s.equations, s.shape_of
        ):
            nid = g.node("expm", "box")
            g.uses("expm", "matrix exponential (of the whole matrix, not of each entry)")
            link(b, nid)
            return nid
        case t.Apply(fn=fn, args=args):
            read = s._read
            if read is not None and id(term) in read.unnamed:  # \sigma_y: as written
                label = symbol_html(read.unnamed[id(term)][0].lstrip("\\"))
                g.uses(label, "an activation function the source does not name")
                nid = g.node(label, "box", style="filled", fillcolor="#fce8e6")
                for a in args:
                    link(a, nid)
                return nid
            g.uses(html.escape(SYMBOLS.get(fn, fn)), FUNCTION_WORDS.get(fn, fn))
            nid = g.node(
                html.escape(SYMBOLS.get(fn, fn)),
                "circle" if fn == "sigmoid" else "box",
                style="filled",
                fillcolor="#fce8e6",
            )
            for a in args:
                link(a, nid)
            return nid
        case t.Learned(key=key, args=args):
            g.uses(
                f"{html.escape(key)}(·)",
                "a learnable function (an affine map of its inputs, stacked)",
            )
            nid = g.node(f"{html.escape(key)}(·)", "box", style="filled", fillcolor="#e6f4ea")
            for a in args:
                link(a, nid)
            return nid
        case t.Padded(body=b):  # x_i \| 0 (read/rules_zero_pad.py)
            nid = g.node("[ , 0]", "box", style="filled", fillcolor="#f1f3f4")
            g.uses("[ , 0]", "padded with zeros up to the state's width")
            link(b, nid)
            return nid
        case t.Concat(items=items):
            text = " ".join(s.source.snippet(term.span).split())
            key = f"concat:{text}"
            if key in g.ids:
                return g.ids[key]
            nid = g.node("[ , ]", "box", key, style="filled", fillcolor="#f1f3f4")
            g.uses("[ , ]", "concatenation: stacks the vectors, in the numbered order")
            for k, item in enumerate(items):
                link(item, nid, f"{k + 1}:")
            return nid
        case t.Product(left=a, right=b):
            reading = s.product_reading(term)
            if reading == "matmul" and (p := param_label(a)):
                nid = g.node(f"{p} ·", "box", style="filled", fillcolor="#e8eaed")
                g.uses("W ·", "matrix product with a learned matrix W")
                link(b, nid)
                return nid
            if reading in ("scale_left", "scale_right"):
                scalar, other = (a, b) if reading == "scale_left" else (b, a)
                if (p := param_label(scalar)) or isinstance(scalar, t.Const):
                    shown = p or (f"{scalar.value:g}" if isinstance(scalar, t.Const) else "")
                    nid = g.node(f"{shown} ×", "circle")
                    g.uses("c ×", "scaling by a number")
                    link(other, nid)
                    return nid
            symbol = {
                "matmul": "·",
                "hadamard": "⊙",
                "scale_left": "×",
                "scale_right": "×",
                "dot": "·",
                "vecmat": "·",
            }[reading]
            nid = g.node(symbol, "circle")
            g.uses(symbol, READING_WORDS[reading])
            link(a, nid)
            link(b, nid)
            return nid
        case t.Add(left=a, right=b, op=op):
            if op == "+" and (p := param_label(b)):
                nid = g.node(f"+ {p}", "circle")
                g.uses("+ b", "adds a learned bias b")
                link(a, nid)
                return nid
            nid = g.node("+" if op == "+" else "−", "circle")
            g.uses("+" if op == "+" else "−", "elementwise sum" if op == "+" else "difference")
            link(a, nid)
            link(b, nid, "" if op == "+" else "−")
            return nid
        case t.NodeSum(index=v, body=body):
            return summed(
                f"Σ<sub>{html.escape(v)}</sub>", "#e6f4ea", body, f"sum over the nodes {v}"
            )
        case t.Elem(body=b):
            return term_node(g, b, kinds)  # a_i read elementwise: the vector a itself
        case t.Block(body=b, index=i, count=k):  # [q, k, v] = z U (read/rules_blocks.py)
            whole = g.ids.get(f"blocks:{id(b)}")
            if whole is None:  # the right side, drawn once and cut into its blocks
                whole = g.ids[f"blocks:{id(b)}"] = term_node(g, b, kinds)
            nid = g.node(f"block {i + 1}/{k}", "box", style="filled", fillcolor="#f1f3f4")
            g.uses("block i/k", "the i-th of k equal blocks of a value, along its last axis")
            g.edge(whole, nid, "")
            return nid
        case t.Repeat(body=b, count=count):  # [SA_1(z); \cdots; SA_k(z)] (rules_blocks)
            nid = g.node(
                f"[ … ] × {html.escape(count)}", "box", style="filled", fillcolor="#f1f3f4"
            )
            g.uses("[ … ] × k", "k equal heads side by side (along the last axis)")
            link(b, nid)
            return nid
        case t.HeadConcat(member=m, count=count):
            name = html.escape(m.key)
            label = f"[{name}<sub>1</sub> … {name}<sub>{html.escape(count)}</sub>]"
            nid = g.node(label, "box", style="filled", fillcolor="#f1f3f4")
            g.uses("[x₁ … xₕ]", "the heads side by side (concatenated along the last axis)")
            link(m, nid)
            return nid
        case t.NeighbourSum(of=v, body=t.Const()):
            # |N(v)| (read/rules_sets.py): the number of v's neighbours, drawn as written
            label = f"|N({html.escape(v)})|"
            g.uses(label, f"the number of neighbours of {v} (its degree)")
            return g.node(label, "plaintext", fontsize="11")
        case t.NeighbourAggregate(index=u, of=v, body=body, written=name):  # rules_set_builder
            return summed(
                f"{html.escape(name)}<sub>{html.escape(u)} ∈ N({html.escape(v)})</sub>",
                "#e6f4ea",
                body,
                f"an aggregation of the values over the neighbours {u} of {v} (which one, the "
                "source does not say)",
            )
        case t.NodeAggregate(index=v, over=over, body=body, written=name):  # a readout
            return summed(
                f"{html.escape(name)}<sub>{html.escape(v)} ∈ {html.escape(over)}</sub>",
                "#e6f4ea",
                body,
                f"an aggregation of the values of every node {v} of {over} (which one, the "
                "source does not say)",
            )
        case t.NeighbourMax(index=u, of=v, body=body):  # read/rules_neighbour_max.py
            return summed(
                f"max<sub>{html.escape(u)} ∈ N({html.escape(v)})</sub>",
                "#e6f4ea",
                body,
                f"the largest value over the neighbours {u} of {v}, entry by entry",
            )
        case t.NeighbourSum(index=u, of=v, body=body, relation=r, direction=d):
            notes = ([f"type {html.escape(r)}"] if r else []) + (["out"] if d == "out" else [])
            extra = f'<br/><font point-size="9">{", ".join(notes)}</font>' if notes else ""
            words = (" along edges of type " + r if r else "") + (
                " (outgoing)" if d == "out" else ""
            )
            return summed(
                f"Σ<sub>{html.escape(u)} ∈ N({html.escape(v)})</sub>{extra}",
                "#e6f4ea",
                body,
                f"sum over the neighbours {u} of {v}{words}",
            )
        case t.BasisSum(index=b, size=size, body=body):  # read/rules_basis.py
            return summed(
                f"Σ<sub>{html.escape(b)} = 1..{html.escape(size)}</sub>",
                "#e6f4ea",
                body,
                f"sum over the {size} members {b} of a basis",
            )
        case t.RelationSum(index=r, size=size, body=body):
            return summed(
                f"Σ<sub>{html.escape(r)} ∈ types</sub>",
                "#e6f4ea",
                body,
                f"sum over the {size} edge types {r}",
            )
        case t.IndexSum(index=i, body=body, op=op):
            # the reduction's symbol and noun (ir.rules.labels, ir.rules.words: papermath/ops/)
            symbol, word = reduction_labels[PRIMS[op]], reduction_words[PRIMS[op]]
            return summed(
                f"{html.escape(symbol)}<sub>{html.escape(i)}</sub>",
                "#e8f0fe",
                body,
                f"{word} over the entries {i}",
            )
        case t.BatchSum(index=i, body=body):
            return summed(
                f"Σ<sub>{html.escape(i)} ∈ batch</sub>",
                "#fce8e6",
                body,
                f"sum over the examples {i} of a batch",
            )
        case t.FnCall(key=key, body=body):
            nid = g.node(f"{html.escape(key)}", "box", style="filled", fillcolor="#fef7e0")
            g.uses(html.escape(key), "a function the equations define")
            link(body, nid)
            return nid
        case t.Identity():
            return g.node("I", "plaintext", fontsize="11")
        case t.Sinusoid(arg=a):  # read/rules_sinusoid.py
            nid = g.node("sin / cos", "box")
            g.uses("sin / cos", "sinusoidal encoding: sin at the even entries, cos at the odd")
            link(a, nid)
            return nid
        case t.SizeValue(name=name):
            return g.node(symbol_html(name), "plaintext", fontsize="11")
        case t.Neg(body=b):
            nid = g.node("−", "circle")
            g.uses("−", "negation or difference")
            link(b, nid)
            return nid
        case t.Transpose(body=b):
            nid = g.node("ᵀ", "circle")
            g.uses("ᵀ", "transpose")
            link(b, nid)
            return nid
        case t.Pick(body=b, label=label):  # f_{y_i} (read/rules_label_pick.py)
            nid = g.node("[·]<sub>y</sub>", "box")
            g.uses("[·]<sub>y</sub>", "the entry of a vector at an integer label (each example's)")
            link(b, nid)
            link(label, nid, "label:")
            return nid
        case t.TableRow(member=m, label=label):  # v_{w_I} (read/rules_table_rows.py)
            nid = g.node("row", "box")
            g.uses("row", "the row of a table at an integer (each example's): an embedding lookup")
            link(m, nid)
            link(label, nid, "index:")
            return nid
        case t.Table(member=m):  # every row of a table at once: the table itself
            return term_node(g, m, kinds)
        case t.Norm(body=b):
            nid = g.node("‖·‖", "circle")
            g.uses("‖·‖", "norm (the length of a vector)")
            link(b, nid)
            return nid
        case t.Power(body=b) if rules_matrix.is_inverse(term, s.shape_of):
            nid = g.node("(·)<sup>-1</sup>", "box")
            g.uses("(·)<sup>-1</sup>", "matrix inverse")
            link(b, nid)
            return nid
        case t.Power(body=b, exponent=e):
            nid = g.node(f"(·)<sup>{e:g}</sup>", "circle")
            g.uses(f"(·)<sup>{e:g}</sup>", f"power {e:g}, elementwise")
            link(b, nid)
            return nid
        case t.OrderPower(body=b, index=k, chebyshev=True):  # T_k(X) (read/rules_orders.py)
            label = f"T<sub>{html.escape(k)}</sub>(·)"
            nid = g.node(label, "circle")
            g.uses(label, f"the Chebyshev polynomial of degree {k}, the order of the sum")
            link(b, nid)
            return nid
        case t.OrderPower(body=b, index=k, number=number, shift=shift):  # rules_orders.py
            up = f"{k}{shift:+d}" if shift else k  # \xi^{k-1}: a number's, the order shifted
            label = f"(·)<sup>{html.escape(up)}</sup>"
            nid = g.node(label, "circle")
            what = "power" if number else "matrix power"
            g.uses(label, f"{what} {up}, the order of the sum around it")
            link(b, nid)
            return nid
        case t.OrderSum(index=k, start=start, count=count):  # read/rules_orders.py
            return summed(
                f"Σ<sub>{html.escape(k)} = {start}, …</sub>",
                "#fce8e6",
                term.body,
                f"sum over the orders {k} ({count} of them), unrolled",
            )
        case t.StepPower(body=b, index=i):  # \beta_1^t (read/rules_step_number.py)
            label = f"(·)<sup>{html.escape(i)}</sup>"
            nid = g.node(label, "circle")
            g.uses(label, f"power {html.escape(i)}, the number of the step")
            link(b, nid)
            return nid
        case t.Eigenvalue(body=b, which=which):  # read/rules_eigenvalue.py
            label = f"λ<sub>{html.escape(which)}</sub>(·)"
            nid = g.node(label, "box")
            g.uses(label, f"the {'largest' if which == 'max' else 'smallest'} eigenvalue")
            link(b, nid)
            return nid
        case t.DegreeMatrix(degree=d, adjacency=a):  # read/rules_degree_matrix.py
            label = f"{symbol_html(d)} = diag(row sums)"
            g.uses(label, f"{html.escape(d)} is the diagonal degree matrix (the row sums of A)")
            nid = g.node(label, "box", style="filled", fillcolor="#e8f0fe")
            link(a, nid)
            return nid
        case t.DegreeNorm(degree=d, adjacency=a):
            label = f"{symbol_html(d)}<sup>-½</sup> · {symbol_html(d)}<sup>-½</sup>"
            g.uses(label, f"degree normalisation: {html.escape(d)} is the degree matrix")
            nid = g.node(label, "box", style="filled", fillcolor="#e8f0fe")
            link(a, nid)
            return nid
        case t.Div(left=a, right=b):
            nid = g.node("÷", "circle")
            g.uses("÷", "division")
            link(a, nid)
            link(b, nid)
            return nid
    raise PapermathError(f"cannot draw {type(term).__name__}")


READING_WORDS = {
    "matmul": "matrix product",
    "hadamard": "Hadamard product: elementwise, both sides one shape",
    "scale_left": "scaling by a number",
    "scale_right": "scaling by a number",
    "dot": "dot product",
    "vecmat": "row vector times matrix",
}
FUNCTION_WORDS = {
    **{row.name: row.description for row in ELEMENTWISE.values()},
    "softmax": "softmax: exp, normalised to sum 1",
}


def size_label(system: System, term: t.Term) -> str:
    """The size a value has, for its edge: ``n``, ``m+n``, ``n×m``; empty for a scalar."""
    try:
        shape = system.shape_of(term)
    except KeyError:
        shape = system.shapes.get(term.key, ()) if isinstance(term, t.Sym) else ()
    return html.escape("×".join(s.replace(" ", "") for s in shape))


def legend_table(g: Graph) -> str:
    """The legend: every symbol the picture uses, and the boxes and lines."""
    # the boxes as glyphs (a box filled as drawn), not the model's own x and h
    glyphs = [
        (INPUT_FILL, "input, or state from the previous step (left)"),
        (OUTPUT_FILL, "output, or state to the next step (right)"),
    ]
    if g.drawn_again:
        glyphs.append((INPUT_FILL, "the same input again, in each row that reads it"))
    cells = "".join(
        f'<tr><td align="right"><table border="1" style="rounded" cellborder="0" cellpadding="0" '
        f'cellspacing="0" bgcolor="{fill}"><tr><td width="18" height="10"> </td></tr>'
        f'</table></td><td align="left">{html.escape(text)}</td></tr>'
        for fill, text in glyphs
    )
    rows = list(g.legend.items())
    rows.append(("· · ·", "names the value computed there"))
    if g.sizes:
        rows.append(("n, m+n", "on an arrow: the size of the value it carries"))
    cells += "".join(
        f'<tr><td align="right">{sym}</td><td align="left">{html.escape(text)}</td></tr>'
        for sym, text in rows
    )
    return (
        '<table border="0" cellborder="0" cellspacing="0" cellpadding="1">'
        f'<tr><td colspan="2" align="left"><b>legend</b></td></tr>{cells}</table>'
    )


COPY_FROM = 3  # an input read by this many equations or more is drawn in each row
ROW_WEIGHT = 4  # an arrow inside one equation's row pulls harder: the row stays straight


def straight(g: Graph) -> list[str]:
    """The edges, those inside one equation's row weighted (Graphviz's ``weight``: a heavier
    edge is kept shorter and straighter)."""
    row = {n: k for k, (_, _, nodes) in enumerate(g.row_nodes()) for n in nodes}
    out = []
    for line in g.edges:
        a, _, rest = line.strip().partition(" -> ")
        b = rest.split(" ", 1)[0].rstrip(";")
        if a in row and row[a] == row.get(b):
            if line.endswith("];"):
                line = line[:-2] + f", weight={ROW_WEIGHT}];"
            else:
                line = line[:-1] + f" [weight={ROW_WEIGHT}];"
        out.append(line)
    return out


def to_dot(system: System, sizes: bool = True) -> str:
    g = build(system, sizes)
    step = system.recurrence.index if system.recurrence else None
    title = "one step" + (f" ({step}-1 → {step})" if step else "")
    lines = [
        "digraph papermath {",
        '  rankdir=LR; nodesep=0.25; ranksep=0.35; fontname="Helvetica";',
        f"  label=<{html.escape(title)}>; labelloc=t; fontsize=12;",
        '  node [fontname="Helvetica", fontsize=13, width=0.4, height=0.4, margin="0.04,0.02"];',
        '  edge [arrowsize=0.6, color="#5f6368", fontname="Helvetica", fontcolor="#1a73e8"];',
        *g.nodes,
        *straight(g),
    ]
    groups = g.entries()
    if len(groups) > 1:
        # the products that open each row, in one column, top to bottom in equation order
        # (an invisible chain of flat edges fixes the order), a gap between two rows
        column: list[str] = []
        for k, group in enumerate(groups):
            if k:
                column.append(f"gap{k}")
                lines.append(f"  gap{k} [shape=point, style=invis, width=0.01, height=0.2];")
            column += group
        lines.append("  { rank=same; " + "; ".join(column) + "; }")
        lines.append("  " + " -> ".join(column) + " [style=invis];")
    if g.left:
        lines.append("  { rank=source; " + "; ".join(g.left) + "; }")
    if g.right:
        lines.append("  { rank=sink; " + "; ".join(g.right) + "; }")
    lines.append(
        '  subgraph cluster_legend { style=rounded; color="#dadce0"; label=""; '
        f"legend [shape=plaintext, fontsize=10, label=<{legend_table(g)}>]; }}"
    )
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_program() -> str | None:
    """The layout program: ``$PAPERMATH_DOT`` if set, else Graphviz's ``dot`` on the PATH,
    else ``graphviz-pure`` (a Rust port of dot, the ``papermath[diagrams]`` extra: one wheel,
    no system package), found on the PATH or beside this Python."""
    chosen = os.environ.get("PAPERMATH_DOT")
    if chosen:
        return shutil.which(chosen)
    found = shutil.which("dot") or shutil.which("graphviz-pure")
    if found is None:
        beside = Path(sys.executable).parent / "graphviz-pure"
        found = str(beside) if beside.exists() else None
    return found


def render(dot: str, fmt: str) -> bytes:
    """Lay out DOT (``svg`` or ``png``) with :func:`dot_program`."""
    exe = dot_program()
    if exe is None:
        raise PapermathError(
            "neither Graphviz's dot nor graphviz-pure is installed, so only .dot output is "
            "possible",
            hint="pip install 'papermath[diagrams]' (or Debian: apt-get install graphviz), or "
            "write OUT.dot",
        )
    args = [exe, f"-T{fmt}"] + (["-Gdpi=200"] if fmt == "png" else [])  # print resolution
    proc = subprocess.run(args, input=dot.encode(), capture_output=True, timeout=60, check=False)
    if proc.returncode != 0:
        raise PapermathError(f"Graphviz failed: {proc.stderr.decode(errors='replace')[:400]}")
    return proc.stdout

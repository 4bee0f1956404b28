"""The diagram's layout, read back from Graphviz's own output (``-Tplain``: every node's
centre): every catalog and corpus case lays out with both programs the project uses (Debian's
``dot`` and ``graphviz-pure``), and the blogger's five-equation LSTM reads at a glance: one
row per gate, its ``W_x ·`` and ``W_h ·`` side by side in it, the rows in equation order
(issue 25). Fast: no browser, one layout per case and program."""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

import papermath
from papermath import catalog
from papermath.diagram import render, to_dot

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
BLOG = CORPUS / "seed_lstm_blog_plaintext.toml"


def programs() -> dict[str, str | None]:
    """Graphviz's ``dot`` and ``graphviz-pure`` (on the PATH or beside this Python), as
    papermath.diagram.dot_program finds them."""
    pure = shutil.which("graphviz-pure")
    beside = Path(sys.executable).parent / "graphviz-pure"
    return {
        "dot": shutil.which("dot"),
        "graphviz-pure": pure or (str(beside) if beside.exists() else None),
    }


def program(name: str) -> str:
    found = programs()[name]
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing on CI")
        pytest.skip(f"{name} is not installed")
    return found


@functools.cache
def systems() -> list[tuple[str, Any]]:
    """Every catalog entry and every corpus case papermath reads."""
    from conftest import corpus_cases

    found = [(n, catalog.load(n)) for n in catalog.names()]
    for name, case in corpus_cases(readable_only=True):
        if "error" not in case.get("expect", {}):
            found.append((name, papermath.compile(case["latex"], case.get("dims"))))
    return found


def layout(dot: str) -> dict[str, tuple[float, float]]:
    """Each node's centre (x, y; y grows upwards) in Graphviz's plain output."""
    centres = {}
    for line in render(dot, "plain").decode().splitlines():
        if line.startswith("node "):
            _, name, x, y = line.split(" ", 4)[:4]
            centres[name] = (float(x), float(y))
    return centres


def declared(dot: str) -> dict[str, str]:
    """Each node the DOT declares -> its label."""
    return dict(re.findall(r"^  (\w+) \[label=<(.*?)>, shape=", dot, re.M))


@pytest.mark.parametrize("name", ["dot", "graphviz-pure"])
def test_every_case_lays_out_with_each_program(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERMATH_DOT", program(name))
    assert len(systems()) > len(catalog.names())  # the corpus is there too
    for case, system in systems():
        for sizes in (True, False):
            dot = to_dot(system, sizes=sizes)
            placed = layout(dot)
            missing = set(declared(dot)) - set(placed)
            assert not missing, (case, sizes, missing)  # every symbol drawn, nothing dropped
            assert "legend" in placed, case


def after(dot: str, nid: str) -> str:
    """The one node ``nid`` feeds (the next operation of its row)."""
    drawn = [line for line in dot.splitlines() if "style=invis" not in line]
    (head,) = [m[1] for line in drawn if (m := re.match(rf"  {nid} -> (\w+)", line))]
    return head


def gate_nodes(dot: str, gate: str) -> tuple[str, str, list[str]]:
    """In the blog's DOT: the ids of ``W_x<gate> ·`` and ``W_h<gate> ·``, and the gate's
    operations after them (the sum, ``+ b_<gate>``, its sigma or tanh)."""
    ids = {label: nid for nid, label in declared(dot).items()}
    wx, wh = ids[f"W<sub>x{gate}</sub> ·"], ids[f"W<sub>h{gate}</sub> ·"]
    total = after(dot, wx)
    assert after(dot, wh) == total  # W_x x + W_h h
    bias = after(dot, total)
    assert declared(dot)[bias] == f"+ b<sub>{gate}</sub>"
    return wx, wh, [total, bias, after(dot, bias)]


@pytest.mark.parametrize("name", ["dot", "graphviz-pure"])
@pytest.mark.parametrize("sizes", [True, False])
def test_blog_lstm_gates_in_rows_in_equation_order(
    name: str, sizes: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The blogger's f, i, C, o equations: each gate's two products stand one above the
    other in one column, W_x over W_h as written, the gates' pairs top to bottom in equation
    order; each gate's sum, bias-add and sigma (tanh for C) lie in its own row: nearer its
    own products than the neighbouring gates' (between the midpoints of the gaps). x_t and
    h_{t-1} are left of every product, C_t and h_t right of everything."""
    monkeypatch.setenv("PAPERMATH_DOT", program(name))
    case = tomllib.loads(BLOG.read_text())
    dot = to_dot(papermath.compile(case["latex"], case.get("dims")), sizes=sizes)
    at = layout(dot)
    gates = [gate_nodes(dot, g) for g in ("f", "i", "c", "o")]  # the equations' order
    column = [at[n] for wx, wh, _ in gates for n in (wx, wh)]
    assert max(x for x, _ in column) - min(x for x, _ in column) < 0.05  # one column
    ys = [y for _, y in column]
    assert ys == sorted(ys, reverse=True) and len(set(ys)) == len(ys)  # f, i, c, o downwards
    for k, (wx, wh, ops) in enumerate(gates):
        top = (at[gates[k - 1][1]][1] + at[wx][1]) / 2 if k else float("inf")
        bottom = (at[wh][1] + at[gates[k + 1][0]][1]) / 2 if k + 1 < len(gates) else -float("inf")
        for op in ops:
            assert bottom < at[op][1] < top, (k, declared(dot)[op])  # in its gate's row
            assert at[op][0] > at[wx][0]  # right of its products
    ids = {label: nid for nid, label in declared(dot).items()}
    left = max(at[ids[s]][0] for s in ("<b>x<sub>t</sub></b>", "<b>h<sub>t−1</sub></b>"))
    right = min(at[ids[s]][0] for s in ("<b>C<sub>t</sub></b>", "<b>h<sub>t</sub></b>"))
    inner = [at[n][0] for n in declared(dot) if n != "legend" and n not in ids.values()]
    inner += [at[n][0] for n in declared(dot) if declared(dot)[n].startswith(("σ", "⊙", "+"))]
    assert left < min(x for x, _ in column)
    assert right > max(inner)
    # x_t and h_{t-1}, read by every gate, are drawn in each gate's row: each copy feeds one
    # product, and the copies stand top to bottom as the products they feed (no wire crosses)
    drawn = [line for line in dot.splitlines() if "style=invis" not in line]
    wanted = ("<b>x<sub>t</sub></b>", "<b>h<sub>t−1</sub></b>")
    inputs = [n for n, label in declared(dot).items() if label in wanted]
    assert len(inputs) == 8
    fed = {n: after(dot, n) for n in inputs}  # each copy feeds exactly one node
    assert all(sum(line.startswith(f"  {n} -> ") for line in drawn) == 1 for n in inputs)
    down = sorted(inputs, key=lambda n: -at[n][1])
    assert [fed[n] for n in down] == sorted(fed.values(), key=lambda n: -at[n][1])


def test_the_legend_draws_glyphs_not_the_models_own_symbols() -> None:
    """The legend shows the input and output boxes as boxes filled as the picture fills
    them, with no letter in them: the blog's model has an x and an h, the legend names
    neither."""
    case = tomllib.loads(BLOG.read_text())
    dot = to_dot(papermath.compile(case["latex"], case.get("dims")))
    body, legend = dot.split("subgraph cluster_legend", 1)
    fills = {
        label: fill
        for label, fill in re.findall(
            r'\[label=<<b>(.*?)</b>>, shape=box.*?fillcolor="(#\w+)"', body
        )
    }
    assert fills["x<sub>t</sub>"] != fills["h<sub>t</sub>"]  # inputs and outputs told apart
    for label in ("x<sub>t</sub>", "h<sub>t</sub>"):
        assert f'bgcolor="{fills[label]}"' in legend, label
    for symbol in ("<b>x</b>", "<b>h</b>", ">x<", ">h<"):
        assert symbol not in legend
    assert "input, or state from the previous step" in legend
    assert "output, or state to the next step" in legend

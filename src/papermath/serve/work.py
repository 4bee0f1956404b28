"""What the workbench shows for one request, as plain data: every stage of papermath run on
the LaTeX the user typed (no web framework here; ``serve.app`` runs this in a worker process
with a time limit). Nothing the user types is executed: it is read, and the generated NumPy
module (papermath's own code, with sanitised names) computes the worked example.

A request is ``{"src": LaTeX, "dims": "n=3, m=2", "values": "[values] TOML", "wrt": key,
"layout": "denominator" | "numerator"}``; the answer is ``{"ok": true, ...}`` with every pane's
data, or ``{"ok": false, "error": {...}}`` with the line, column, message and hint of the
first error. A pane that cannot be computed (no diagram without Graphviz, no gradients
through a construct) says why in its own ``*_error`` field; the others still show.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from .. import compile
from ..casefile import load_toml, parse_dims
from ..errors import CaseFileError, PapermathError
from ..explain import Explanation, explain
from ..read import terms as t
from ..report import explanation_html
from ..shapes.sizes import Size, display
from ..source import Source
from ..system import System

MAX_SOURCE_BYTES = 64 * 1024  # of LaTeX per request
LAYOUTS = ("denominator", "numerator")
BATCHES = ("sample-first", "dim-first")


def error_data(exc: PapermathError, text: str | None = None) -> dict[str, Any]:
    """An error as the page shows it: message, hint, where (line, column, span), notes."""
    out: dict[str, Any] = {"kind": exc.kind, "message": exc.message, "hint": exc.hint}
    src, span = exc.source, exc.span
    if src is not None and span is not None and (text is None or src.text == text):
        line, col = src.line_col(span.start)
        end_line, end_col = src.line_col(max(span.start, span.end - 1))
        out.update(
            line=line, column=col, end_line=end_line, end_column=end_col + 1,
            start=span.start, end=span.end, caret=src.caret(span),
        )  # fmt: skip
    elif src is not None and span is not None:  # in the values, not the LaTeX
        line, col = src.line_col(span.start)
        out.update(where="values", line=line, column=col, caret=src.caret(span))
    out["notes"] = [n.message for n in exc.notes]
    out["text"] = exc.render()
    return out


def analyse(request: dict[str, Any]) -> dict[str, Any]:
    """Every pane for one request (see the module's docstring)."""
    src = request.get("src")
    if not isinstance(src, str):
        return {"ok": False, "error": {"kind": "request error", "message": "src must be text"}}
    if len(src.encode()) > MAX_SOURCE_BYTES:
        return {
            "ok": False,
            "error": {
                "kind": "request error",
                "message": f"the LaTeX is longer than {MAX_SOURCE_BYTES // 1024} KB",
            },
        }
    try:
        given = parse_dims([str(request.get("dims") or "")])
        system = compile(Source(src, "workbench"), given)
        unknown = sorted(set(given) - system.size_names())
        if unknown:
            raise CaseFileError(
                f"dims names {unknown[0]!r}, which is not a size of these equations",
                hint="sizes: " + ", ".join(sorted(system.size_names())),
            )
    except PapermathError as exc:
        return {"ok": False, "error": error_data(exc, src)}
    out: dict[str, Any] = {"ok": True}
    # the diagram's layout runs in its own process (dot): start it first, collect it last
    pool = ThreadPoolExecutor(max_workers=1)
    drawn = pool.submit(diagram, system)
    dims, values_text = worked_inputs(system, given, request.get("values"), out)
    out["dims"] = dims
    out["values"] = values_text
    ex = explanation(system, values_text, out)
    out["explanation_html"] = explanation_html(ex)
    out.update(reading(system, ex))
    out.update(code(system, dims))
    out.update(gradients(system, request.get("wrt"), request.get("layout")))
    out.update(drawn.result())
    pool.shutdown()
    return out


def reading(system: System, ex: Explanation) -> dict[str, Any]:
    """The equations (typeset), each symbol's kind and shape, what every term was read as
    (with its span, for hovering), the solved sizes with the equation forcing each."""
    from ..report import prose, shape_tex, symbol_tex, upright
    from ..report.typeset import Typesetter

    src = system.source
    ts = Typesetter(system)
    equations = [
        {
            "line": eq.line,
            "start": eq.span.start,
            "end": eq.span.end,
            "tex": upright(ts.equation(eq)),  # as read, not as typed
        }
        for eq in system.equations
    ]
    kinds = {k.key: k.meaning for k in ex.kinds}
    symbols = [
        {
            "key": key,
            "tex": symbol_tex(key),
            "kind": system.kinds.get(key, ""),
            "shape": display(shape),
            "shape_tex": shape_tex(shape),
            "meaning": kinds.get(key, "").replace("$", ""),
            "meaning_html": prose(kinds.get(key, ""), ts),
        }
        for key, shape in system.shapes.items()
    ]
    for key, (n_in, n_out) in system.functions.items():
        symbols.append(
            {
                "key": f"{key}(.)",
                "tex": symbol_tex(key),
                "kind": "function",
                "shape": f"R^({n_in}) -> R^({n_out})",
                "shape_tex": f"\\mathbb{{R}}^{{{n_in}}} \\to \\mathbb{{R}}^{{{n_out}}}",
                "meaning": kinds.get(key, "a learnable function").replace("$", ""),
                "meaning_html": prose(kinds.get(key, "a learnable function"), ts),
            }
        )
    readings = {(r.span.start, r.span.end): r for r in system.readings}
    terms = []
    for eq in system.equations:
        for term in [*t.walk(eq.rhs), eq.lhs]:
            terms.append(term_data(system, term, readings))
    solved = []
    for size, value in system.solved.items():
        span = system.solved_by.get(size)
        solved.append(
            {
                "size": size,
                "value": value,
                "line": src.line_col(span.start)[0] if span else None,
                "equation": " ".join(src.snippet(span).split()) if span else "",
                "equation_tex": upright(ts.text(src.snippet(span))) if span else "",
                "start": span.start if span else None,
                "end": span.end if span else None,
            }
        )
    notes = [
        {
            "start": r.span.start,
            "end": r.span.end,
            "line": src.line_col(r.span.start)[0],
            "subject": " ".join(r.subject.split()),
            "reading": r.reading,
            "reason": r.reason,
        }
        for r in sorted(system.readings, key=lambda r: r.span.start)
    ]
    recurrence = None
    if system.recurrence:
        rec = system.recurrence
        recurrence = f"recurrence over {rec.index}: state carried from step {rec.index}-1 to " + (
            f"{rec.index}: {', '.join(rec.states)}"
        )
    return {
        "equations": equations,
        "symbols": symbols,
        "terms": terms,
        "readings": notes,
        "solved": solved,
        "recurrence": recurrence,
        "per_head": system.per_head_params,
        "per_type": system.per_relation_params,
    }


def term_data(system: System, term: t.Term, readings: dict[tuple[int, int], Any]) -> dict[str, Any]:
    """One term for hovering: its span, shape, kind (a symbol's) and what it was read as."""
    shape = system.shape_of(term)
    r = readings.get((term.span.start, term.span.end))
    key = term.key if isinstance(term, t.Sym) else None
    if r is not None:
        what, why = r.reading, r.reason
    elif key is not None:
        what, why = system.kinds.get(key, "symbol"), f"the symbol {key}"
    else:
        what, why = type(term).__name__.lower(), ""
    return {
        "start": term.span.start,
        "end": term.span.end,
        "shape": display(shape),
        "kind": system.kinds.get(key, "") if key else "",
        "key": key,
        "what": what,
        "why": why,
    }


def worked_inputs(
    system: System, given: dict[str, int], values: Any, out: dict[str, Any]
) -> tuple[dict[str, int], str]:
    """Numbers for every size, and the values of the worked example as TOML: the user's (if
    sent), else small integers drawn with a fixed seed, which the page lets them edit."""
    from ..check import default_dims
    from ..values import text_examples

    example = text_examples(system)
    dims = default_dims(system, {**example.dims(system), **given})
    if isinstance(values, str) and values.strip():
        return dims, values
    program = system.program(dims)
    if program.per_node or program.explicit_batch:
        out["values_note"] = (
            "type values to see a worked example (per node: one row per node, as "
            "h = [[1, 2], [0, 1]])"
        )
        return dims, ""
    rng = np.random.default_rng(0)
    lines = ["[values]"]
    leaves = [*program.inputs, *(st for st in program.states if st.init is None)]  # not H^{0}
    taken = []
    for item in leaves:
        numeric = [_size(s, dims) for s in item.shape]
        arr = rng.integers(-2, 3, size=tuple(numeric))
        given_value = example.values.get(item.key)
        if given_value is not None and given_value.shape == tuple(numeric):
            taken.append(item.key)
            lines.append(f"{item.key} = {given_value.tolist()}  # the text's example")
            continue
        lines.append(f"{item.key} = {arr.tolist()}")
    if taken:
        out["values_note"] = (
            f"{', '.join(taken)} from the text's own example (line {example.line}); the rest are "
            "small integers: edit them"
        )
    for prm in program.params:
        if "." in prm.key or prm.per_step or prm.per_head:
            continue  # learnable functions, stacks: drawn by the generated module's init
        numeric = [_size(s, dims) for s in prm.shape]
        arr = rng.integers(-2, 3, size=tuple(numeric))
        lines.append(f"{prm.key} = {arr.tolist()}")
    return dims, "\n".join(lines) + "\n"


def _size(size: Size, dims: dict[str, int]) -> int:
    got = size.evaluate(dims)
    return int(got) if got is not None else 2


def explanation(system: System, values_text: str, out: dict[str, Any]) -> Explanation:
    """The inside-out explanation and answers, with the worked example at the values (a
    problem with the values is reported in ``out["values_error"]``)."""
    from ..values import from_tables, validate

    vs = None
    if values_text.strip():
        try:
            data = load_toml(values_text, "values")
            text = values_text
            if not any(k in data for k in ("values", "claims")):
                data, text = {"values": data}, "[values]\n" + values_text
            vs = from_tables(data, text, "values")
            validate(system, vs)
        except PapermathError as exc:
            out["values_error"] = error_data(exc, None)
            vs = None
    try:
        return explain(system, vs)
    except PapermathError as exc:
        out["values_error"] = error_data(exc, None)
        return explain(system)


def diagram(system: System) -> dict[str, Any]:
    """The dataflow diagram as SVG (Graphviz's dot, or graphviz-pure where dot is missing)."""
    from ..diagram import render, to_dot

    try:
        svg = render(to_dot(system), "svg").decode()
    except PapermathError as exc:
        return {"diagram_error": exc.message}
    return {"diagram_svg": svg[svg.find("<svg") :]}


def code(system: System, dims: dict[str, int]) -> dict[str, Any]:
    """The generated NumPy module and PyTorch module (as text; nothing is run)."""
    out: dict[str, Any] = {}
    try:
        out["code"] = {
            "numpy": system.numpy_source(dims),
            "torch": system.torch_source(dims),
        }
    except PapermathError as exc:
        out["code_error"] = exc.message
    return out


def gradients(system: System, wrt: Any, layout: Any) -> dict[str, Any]:
    """The gradient equations with respect to one symbol, samples as rows and as columns."""
    from ..report import shape_tex
    from ..report.gradients import derive

    choices = [k for k, v in system.kinds.items() if v == "parameter"]
    choices += [k for k, v in system.kinds.items() if v in ("input", "state")]
    if not choices:
        return {"grad_error": "nothing to differentiate with respect to"}
    key = wrt if isinstance(wrt, str) and wrt in choices else choices[0]
    lay = layout if layout in LAYOUTS else "denominator"
    out: dict[str, Any] = {"grad_wrt": key, "grad_choices": choices, "grad_layout": lay}
    by_batch: dict[str, Any] = {}
    for batch in BATCHES:
        try:
            d = derive(system, key, layout=lay, batch=batch)
        except PapermathError as exc:
            by_batch[batch] = {"error": exc.message, "hint": exc.hint}
            continue
        by_batch[batch] = {
            "equations": [
                {"tex": geq.wrapped(), "shape_tex": shape_tex(geq.shape)} for geq in d.equations
            ],
        }
    out["grads"] = by_batch
    return out

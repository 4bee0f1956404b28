"""``papermath report``: one self-contained HTML page for a system of equations.

The equations typeset by KaTeX (vendored, inlined with its fonts: the page works offline),
the reading notes, the shapes table, the dataflow diagram (inline SVG), the explanation, the
generated NumPy code and the gradient equations. Everything the user wrote is escaped; the
only script on the page is KaTeX and the few lines that call it.
"""

from __future__ import annotations

import base64
import html
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from ..errors import PapermathError
from ..explain import Explanation, TermFact, shape_words
from ..shapes.sizes import PRODUCT
from ..values import ValueSet, show
from .symbols import key_latex

if TYPE_CHECKING:
    from ..system import System
    from .typeset import Typesetter

PAGE_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 60em; color: #202124; line-height: 1.45; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em;
     border-bottom: 1px solid #dadce0; padding-bottom: 0.2em; }
.sub { color: #5f6368; margin-top: 0; }
table { border-collapse: collapse; } td, th { padding: 0.25em 0.8em; text-align: left;
     border-bottom: 1px solid #f1f3f4; vertical-align: top; }
th { color: #5f6368; font-weight: 600; }
.eq { margin: 0.3em 0; } .lineno { color: #9aa0a6; font-size: 0.85em; margin-right: 1em; }
pre { background: #f8f9fa; padding: 0.8em; overflow-x: auto; font-size: 0.82em;
      border-radius: 6px; }
/* the diagram at its drawn size where it fits the window (its legend readable), wider
   than the text column; a larger one scrolls in its box */
.diagram { width: min(calc(100vw - 3em), max(100%, var(--drawn, 100%))); overflow-x: auto;
           position: relative; left: 50%; transform: translateX(-50%); }
.diagram svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
details > summary { cursor: pointer; color: #1a73e8; margin: 0.4em 0; }
.note { color: #5f6368; font-size: 0.9em; }
.eq, .grad { overflow-x: auto; overflow-y: hidden; }
ul.inside { list-style: none; padding-left: 1em; margin: 0.3em 0 1em; }
ul.inside li { margin: 0.25em 0; }
.what { color: #3c4043; } .shape { color: #1a73e8; white-space: nowrap; }
.answer { background: #e8f0fe; border-left: 3px solid #1a73e8; padding: 0.5em 0.8em;
          margin: 0.5em 0; border-radius: 0 6px 6px 0; }
.wrong { background: #fce8e6; border-left-color: #d93025; }
.legend { font-size: 0.9em; }
td .katex, .shape .katex { white-space: nowrap; }
"""

RENDER_JS = """
document.querySelectorAll('[data-tex]').forEach(function (el) {
  katex.render(el.getAttribute('data-tex'), el,
               {displayMode: el.classList.contains('display'), throwOnError: false});
  el.classList.add('typeset');
});
"""


@cache
def katex_assets() -> tuple[str, str]:
    """KaTeX's CSS (fonts inlined as data: URLs) and JS, from the vendored copy."""
    root = resources.files(__package__).joinpath("katex")
    css = root.joinpath("katex.min.css").read_text(encoding="utf-8")
    js = root.joinpath("katex.min.js").read_text(encoding="utf-8")

    def inline_font(match: re.Match[str]) -> str:
        name = match.group(1)
        data = root.joinpath("fonts").joinpath(name).read_bytes()
        return f'url(data:font/woff2;base64,{base64.b64encode(data).decode()}) format("woff2")'

    css = re.sub(r"url\(fonts/([\w.-]+\.woff2)\) format\(\"woff2\"\)", inline_font, css)
    # the woff and ttf fallbacks are not vendored: drop them
    css = re.sub(r",url\(fonts/[\w.-]+\.(woff|ttf)\) format\(\"(woff|truetype)\"\)", "", css)
    return css, js


UPRIGHT_KATEX = ("tanh", "exp", "log", "sin", "cos", "max", "min", "det", "cosh", "sinh")
UPRIGHT_NAMED = ("relu", "sigmoid", "softmax", "sigm", "softplus", "gelu", "elu", "sign", "ReLU")


def upright(latex: str) -> str:
    """``tanh(x)`` typed without a backslash is the function, set upright as ``\\tanh``, not
    the italic product t a n h; ``relu`` likewise as an operator name."""
    # \d{outputs} (Haiku, Sonnet: a multi-letter name under a dot accent KaTeX lacks): upright
    latex = re.sub(r"\\d(?![A-Za-z])\s*\{([^{}]*)\}", r"\\mathrm{\1}", latex)
    for name in (*UPRIGHT_KATEX, *UPRIGHT_NAMED):
        replacement = f"\\{name}" if name in UPRIGHT_KATEX else f"\\operatorname{{{name}}}"
        pattern = rf"(?<![\\{{A-Za-z]){name}(?![A-Za-z])"
        latex = re.sub(pattern, lambda _, r=replacement: r, latex)  # type: ignore[misc]
    return latex


def tex(latex: str, display: bool = False) -> str:
    cls = "display" if display else "inline"
    return f'<span class="{cls}" data-tex="{html.escape(upright(latex), quote=True)}"></span>'


def shape_tex(shape: tuple[str, ...]) -> str:
    """``n \\times (m + n)``: brackets around compound sizes of a matrix, kept; ``d_{model}``
    with its whole subscript; ``h \\cdot d_v`` for a product of sizes."""

    def size(s: str) -> str:
        s = re.sub(r"([A-Za-z])_([A-Za-z0-9]{2,})", r"\1_{\2}", s)
        s = re.sub(r"\b(\d+)\*", r"\1", s)  # 2*D as printed in tables: 2D, as in papers
        return s.replace(PRODUCT, " \\cdot ")

    return (
        " \\times ".join(f"({size(s)})" if " " in s and len(shape) > 1 else size(s) for s in shape)
        or "\\text{scalar}"
    )


def symbol_tex(key: str) -> str:
    """A symbol by its key, a name of several letters upright (``\\mathrm{MultiHead}``)."""
    base, labels = key_latex(key) if "." not in key else (key, [])
    if len(base) > 1 and base.isalpha():
        base = f"\\mathrm{{{base}}}"
    return base + (f"_{{{','.join(labels)}}}" if labels else "")


def explanation_html(ex: Explanation) -> str:
    """The explanation as a page section: each equation inside out with its terms typeset
    as read (:mod:`.typeset`), the answers in words, the sums, the worked example, gradients
    and claims."""
    from .typeset import Typesetter

    system = ex.system
    ts = Typesetter(system)
    out = []
    by_line: dict[int, list[TermFact]] = {}
    for f in ex.terms:
        by_line.setdefault(f.line, []).append(f)
    if ex.answers:
        out.append("<h3>Answers</h3>")
        for a in ex.answers:
            out.append(f'<p class="answer">{prose(a.sentence, ts)}</p>')
    printed: set[tuple[int, int]] = set()
    for eq in system.equations:
        if (eq.span.start, eq.span.end) in printed:
            continue  # [q, k, v] = z U: one line, three equations (read/rules_blocks.py)
        printed.add((eq.span.start, eq.span.end))
        out.append(
            f'<p><span class="lineno">line {eq.line}</span>{tex(ts.equation(eq))}</p>'
            '<ul class="inside">'
        )
        for f in by_line.get(eq.line, []):
            if f.what.startswith(f"{f.text}:") or f.what.startswith("a number"):
                continue
            why = f": {prose(f.why, ts)}" if f.why else ""
            out.append(
                f'<li>{tex(ts.text(f.text))} &rarr; <span class="what">{prose(f.what, ts)}</span>'
                f', <span class="shape">{tex(shape_tex(f.shape))}</span>{why}</li>'
            )
        out.append("</ul>")
    for sm in ex.sums:
        out.append(
            f"<p>The sum over {tex(sm.index)} in {html.escape(sm.over)} ranges over "
            f"{tex(ts.text(sm.body))} ({html.escape(shape_words(sm.body_shape))} per node). "
            f"Vectorized: {html.escape(sm.vectorized)}.</p>"
        )
    if ex.example is not None:
        out.append(f"<h3>The text's own example (line {ex.example.line})</h3><ul>")
        for key, written in ex.example.written.items():
            out.append(f"<li>{tex(ts.text(written))}: the value of {tex(symbol_tex(key))}</li>")
        for name, n in ex.example.sizes.items():
            out.append(f"<li>{tex(f'{name} = {n}')}: a size</li>")
        for note in ex.example.notes:
            out.append(f"<li>{prose(note, ts)}</li>")
        if ex.chosen:
            chosen = ", ".join(tex(symbol_tex(k)) for k in ex.chosen)
            out.append(
                f"<li>not in the example: {chosen}; the worked example gives them small "
                "integers (seed 0)</li>"
            )
        out.append("</ul>")
    if ex.values:
        out.append("<h3>Worked example, inside out</h3><table>")
        out.append("<tr><th>line</th><th>expression</th><th>value</th></tr>")
        for line, text, value in ex.values:
            node = ""
            if "  [" in text:
                text, node = text.split("  [", 1)
                node = f' <span class="note">[{html.escape(node)}</span>'
            # the symbol an equation defines, by its key; a subexpression as read
            shown = symbol_tex(text) if text in system.shapes else ts.text(text)
            out.append(
                f"<tr><td>{line}</td><td>{tex(shown)}{node}</td>"
                f"<td><code>{html.escape(show(value))}</code></td></tr>"
            )
        out.append("</table>")
        if ex.nonfinite is not None:
            out.append(f'<p class="note">{html.escape(ex.nonfinite[1])}</p>')
    if ex.gradients:
        loss = ex.loss()
        out.append("<h3>Gradients at these values</h3><table>")
        for key, value in ex.gradients:
            sym = symbol_tex(key)
            head = f"\\frac{{\\partial {loss}}}{{\\partial {sym}}}"
            out.append(
                f"<tr><td>{tex(head)}</td><td><code>{html.escape(show(value))}</code></td></tr>"
            )
        out.append("</table>")
    if ex.derivation:
        out.append("<h3>The derivation's claims (gradient equations the source writes)</h3>")
        for c in ex.derivation:
            declared = " \\times ".join(c.claim.declared or ())
            side = c.claim.side or ("\\in \\mathbb{R}^{" + declared + "}")
            head = f"\\frac{{\\partial {c.claim.of}}}{{\\partial {c.claim.wrt}}}"
            cls = {"right": "answer", "wrong": "answer wrong"}.get(c.verdict, "note")
            out.append(
                f'<p class="{cls}"><span class="lineno">line {c.line}</span>'
                f"{tex(f'{head} = {side}' if c.claim.side else f'{head} {side}')} "
                f"{html.escape(c.verdict)}: {prose(c.detail, ts)}</p>"
            )
    if ex.claims:
        out.append("<h3>Claims checked</h3>")
        for c in ex.claims:
            cls = "answer" if c.ok else "answer wrong"
            verdict = "right" if c.ok else "wrong"
            out.append(f'<p class="{cls}">{verdict}: {html.escape(c.sentence())}</p>')
    out.append(
        "<h3>Symbols</h3><table><tr><th>symbol</th><th>shape</th><th>what</th><th>from</th></tr>"
    )
    meanings = {k.key: k.meaning for k in ex.kinds}
    for sz in ex.sizes:
        sym = symbol_tex(sz.key)
        origin = ""
        if sz.forced_by:
            verb = "declared by" if sz.declared else "forced by"
            said = sz.forced_by  # an equation, a declaration, or words with $...$ math
            if "\\(" in said:  # words with MathJax's \( \) marks (CS231n): shown as written
                shown = f"<q>{html.escape(' '.join(said.split()))}</q>"
            else:
                shown = prose(said, ts) if "$" in said else tex(ts.text(said))
            origin = f"{verb} line {sz.line}: {shown}"
        out.append(
            f"<tr><td>{tex(sym)}</td><td>{tex(shape_tex(sz.shape))}</td>"
            f"<td>{prose(meanings.get(sz.key, ''), ts)}</td><td>{origin}</td></tr>"
        )
    out.append("</table>")
    if ex.indices:
        out.append("<ul>")
        for ix in ex.indices:
            out.append(f"<li>{tex(ix.letter)}: {prose(ix.meaning, ts)}</li>")
        out.append("</ul>")
    if ex.functions:
        out.append("<h3>Functions</h3><ul>")
        for fn in ex.functions:
            out.append(f"<li><b>{html.escape(fn.name)}</b>: {html.escape(fn.description)}</li>")
        out.append("</ul>")
    return "\n".join(out)


def prose(sentence: str, ts: Typesetter | None = None) -> str:
    """A sentence with ``$...$`` LaTeX fragments: the words escaped, the fragments typeset
    (as read, where ``ts`` knows the fragment: a quoted term or equation of the source)."""
    from .typeset import clean

    pieces = sentence.split("$")
    return "".join(
        (tex(ts.text(piece) if ts else clean(piece)) if i % 2 else html.escape(piece))
        for i, piece in enumerate(pieces)
    )


FILE_NAME = re.compile(r"[/\\]|\.(tex|toml|txt|md|latex)$|^<\w+>$")


def names_a_file(title: str) -> bool:
    """``papermath: ../shared/corpus/x.toml``, ``<stdin>``: a title that is only a file name."""
    name = title.removeprefix("papermath:").strip()
    return title == "papermath report" or bool(FILE_NAME.search(name))


def defined_names(system: System) -> str:
    keys = list(dict.fromkeys(eq.lhs.key for eq in system.equations))
    return ", ".join(keys[:-1]) + (" and " if len(keys) > 1 else "") + keys[-1] if keys else ""


def page_title(system: System, title: str) -> tuple[str, str]:
    """The page's heading (HTML) and its source line: a title that only names a file becomes
    "What f, i, C, o and h are" (the symbols the equations define, typeset), the file named
    below it."""
    if not names_a_file(title) or not system.equations:
        return html.escape(title), ""
    keys = list(dict.fromkeys(eq.lhs.key for eq in system.equations))
    shown = [tex(symbol_tex(k)) for k in keys]
    listed = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]
    name = title.removeprefix("papermath:").strip()
    origin = "" if name == "papermath report" else f"from <code>{html.escape(name)}</code>: "
    return f"What {listed} {'are' if len(keys) > 1 else 'is'}", origin


def report_html(
    system: System,
    title: str = "papermath report",
    dims: dict[str, int] | None = None,
    values: ValueSet | None = None,
) -> str:
    from ..diagram import render as render_dot
    from ..diagram import to_dot
    from ..explain import explain
    from .gradients import derive
    from .typeset import Typesetter, clean

    css, js = katex_assets()
    src = system.source
    read = system._read
    functions = {  # functions the source defines (inlined at every call), with the equations
        key: span
        for key, span in (read.definition_spans.items() if read else [])
        if read is not None and key in read.defined_functions
    }
    heading, origin = page_title(system, title)
    parts = [
        f"<h1>{heading}</h1>",
        f'<p class="sub">{origin}{len(system.equations)} equations'
        + (f", {len(functions)} defined functions" if functions else "")
        + ", read by papermath</p>",
    ]
    parts.append("<h2>Equations</h2>")
    ts = Typesetter(system)
    lines = [(eq.span, eq.line, ts.equation(eq)) for eq in system.equations]
    lines += [
        (span, src.line_col(span.start)[0], clean(src.snippet(span))) for span in functions.values()
    ]
    for _span, line, printed in sorted(lines, key=lambda x: x[0].start):
        parts.append(
            f'<div class="eq"><span class="lineno">line {line}</span>'
            f"{tex(printed, display=False)}</div>"
        )
    parts.append("<h2>Shapes</h2><table><tr><th>symbol</th><th>kind</th><th>shape</th></tr>")
    for key, shape in system.shapes.items():
        sym = symbol_tex(key)
        shown = shape_tex(shape)
        parts.append(
            f"<tr><td>{tex(sym)}</td><td>{html.escape(system.kinds.get(key, ''))}</td>"
            f"<td>{tex(shown)}</td></tr>"
        )
    parts.append("</table>")
    families = (
        (system.per_head_params, "One per head (i = 1..{count}, stored stacked)"),
        (system.per_relation_params, "One per edge type ({count} types, stored stacked)"),
        (system.per_order_params, "One per order ({count} orders, stored stacked)"),
        (system.per_table_params, "One per member of a table ({count} rows, stored stacked)"),
        (system.per_basis_params, "One per member of a basis ({count} of them, stored stacked)"),
    )
    for family, words in families:
        if family:
            count = html.escape(next(iter(family.values())))
            parts.append(
                f'<p class="note">{words.format(count=count)}: '
                + ", ".join(tex(symbol_tex(k)) for k in family)
                + "</p>"
            )
    if system.solved:
        parts.append(
            "<p>Solved: " + ", ".join(tex(f"{k} = {v}") for k, v in system.solved.items()) + "</p>"
        )
    parts.append("<h2>Dataflow of one step</h2>")
    try:
        svg = render_dot(to_dot(system), "svg").decode()
        svg = svg[svg.find("<svg") :]
        drawn = re.search(r'width="([\d.]+)pt"', svg)  # Graphviz's size, in points
        width = f' style="--drawn: {float(drawn.group(1)) * 4 / 3:.0f}px"' if drawn else ""
        parts.append(f'<div class="diagram"{width}>{svg}</div>')
    except PapermathError as exc:
        parts.append(f'<p class="note">No diagram: {html.escape(exc.message)}</p>')
    ex = explain(system, values or None)
    parts.append("<h2>Explanation, inside out</h2>")
    parts.append(explanation_html(ex))
    notes = sorted(system.readings, key=lambda r: r.span.start)
    parts.append(  # many (one per decision): folded, after the answers they support
        f'<h2 id="reading-notes">Reading notes</h2><details><summary>{len(notes)} decisions: '
        "what each symbol and operator was read as, and why</summary><table><tr><th>line</th>"
        "<th>written</th><th>read as</th><th>why</th></tr>"
    )
    for r in notes:
        line = src.line_col(r.span.start)[0]
        subject = " ".join(r.subject.split())
        parts.append(
            f"<tr><td>{line}</td><td><code>{html.escape(subject[:60])}</code></td>"
            f"<td>{html.escape(r.reading)}</td><td>{html.escape(r.reason)}</td></tr>"
        )
    parts.append("</table></details>")
    params = [k for k, v in system.kinds.items() if v == "parameter"]
    params = params or [k for k, v in system.kinds.items() if v in ("input", "state")]
    if params:
        try:
            d = derive(system, params[0], dims=dims)
            parts.append(f"<h2>Gradient equations ({html.escape(params[0])})</h2>")
            rows = "columns" if d.batch == "dim-first" else "rows"
            parts.append(
                f'<p class="note">{html.escape(d.layout)} layout, samples as {rows}; '
                "papermath grad FILE --wrt KEY prints these for any symbol and "
                "convention.</p>"
            )
            for geq in d.equations:
                parts.append(
                    f'<div class="grad">{tex(geq.wrapped(), display=True)}'
                    f'<span class="note">shape {tex(shape_tex(geq.shape))}</span></div>'
                )
        except PapermathError as exc:
            parts.append(f'<p class="note">No gradient equations: {html.escape(exc.message)}</p>')
    parts.append("<h2>Generated NumPy code</h2>")
    try:
        from ..check import default_dims

        code = system.numpy_source(default_dims(system, dims))
        parts.append(f"<pre><code>{html.escape(code)}</code></pre>")
    except PapermathError as exc:
        parts.append(f'<p class="note">No code: {html.escape(exc.message)}</p>')
    body = "\n".join(parts)
    plain_title = title if not names_a_file(title) else f"papermath: {defined_names(system)}"
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(plain_title)}</title>\n<style>{css}\n{PAGE_CSS}</style>\n"
        f"<script>{js}</script></head>\n<body>\n{body}\n"
        f"<script>{RENDER_JS}</script>\n</body></html>\n"
    )

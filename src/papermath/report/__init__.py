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

from ..errors import PapermathError
from ..system import System

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
.diagram svg { max-width: 100%; height: auto; }
.note { color: #5f6368; font-size: 0.9em; }
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


def tex(latex: str, display: bool = False) -> str:
    cls = "display" if display else "inline"
    return f'<span class="{cls}" data-tex="{html.escape(latex, quote=True)}"></span>'


def report_html(
    system: System, title: str = "papermath report", dims: dict[str, int] | None = None
) -> str:
    from ..diagram import render as render_dot
    from ..diagram import to_dot
    from ..explain import explain
    from ..explain import render as render_explanation
    from ..grad import derive, key_latex

    css, js = katex_assets()
    src = system.source
    read = system._read
    functions = {  # functions the source defines (inlined at every call), with the equations
        key: span
        for key, span in (read.definition_spans.items() if read else [])
        if read is not None and key in read.defined_functions
    }
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="sub">{len(system.equations)} equations'
        + (f", {len(functions)} defined functions" if functions else "")
        + ", read by papermath</p>",
    ]
    parts.append("<h2>Equations</h2>")
    lines = [(eq.span, eq.line) for eq in system.equations]
    lines += [(span, src.line_col(span.start)[0]) for span in functions.values()]
    for span, line in sorted(lines, key=lambda x: x[0].start):
        text = " ".join(src.snippet(span).split())
        parts.append(
            f'<div class="eq"><span class="lineno">line {line}</span>'
            f"{tex(text.replace('&', ''), display=False)}</div>"
        )
    parts.append("<h2>Shapes</h2><table><tr><th>symbol</th><th>kind</th><th>shape</th></tr>")
    for key, shape in system.shapes.items():
        base, labels = key_latex(key)
        sym = base + (f"_{{{','.join(labels)}}}" if labels else "")
        shown = (
            " \\times ".join(f"({s})" if " " in s and len(shape) > 1 else s for s in shape)
            or "\\text{scalar}"
        )
        parts.append(
            f"<tr><td>{tex(sym)}</td><td>{html.escape(system.kinds.get(key, ''))}</td>"
            f"<td>{tex(shown)}</td></tr>"
        )
    parts.append("</table>")
    if system.solved:
        parts.append(
            "<p>Solved: " + ", ".join(tex(f"{k} = {v}") for k, v in system.solved.items()) + "</p>"
        )
    parts.append(
        "<h2>Reading notes</h2><table><tr><th>line</th><th>written</th>"
        "<th>read as</th><th>why</th></tr>"
    )
    for r in sorted(system.readings, key=lambda r: r.span.start):
        line = src.line_col(r.span.start)[0]
        subject = " ".join(r.subject.split())
        parts.append(
            f"<tr><td>{line}</td><td><code>{html.escape(subject[:60])}</code></td>"
            f"<td>{html.escape(r.reading)}</td><td>{html.escape(r.reason)}</td></tr>"
        )
    parts.append("</table>")
    parts.append("<h2>Dataflow of one step</h2>")
    try:
        svg = render_dot(to_dot(system), "svg").decode()
        svg = svg[svg.find("<svg") :]
        parts.append(f'<div class="diagram">{svg}</div>')
    except PapermathError as exc:
        parts.append(f'<p class="note">No diagram: {html.escape(exc.message)}</p>')
    parts.append("<h2>Explanation, inside out</h2>")
    parts.append(f"<pre>{html.escape(render_explanation(explain(system)))}</pre>")
    params = [k for k, v in system.kinds.items() if v == "parameter"]
    if params:
        try:
            d = derive(system, params[0])
            parts.append(f"<h2>Gradient equations ({html.escape(params[0])})</h2>")
            parts.append(
                f'<p class="note">{html.escape(d.layout)} layout, samples as columns; '
                "papermath grad FILE --wrt KEY prints these for any symbol and "
                "convention.</p>"
            )
            for geq in d.equations:
                gshape = " \\times ".join(geq.shape) or "\\text{scalar}"
                parts.append(
                    f'<div class="eq">{tex(geq.latex, display=True)}'
                    f'<span class="note">{tex(gshape)}</span></div>'
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
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>\n<style>{css}\n{PAGE_CSS}</style>\n"
        f"<script>{js}</script></head>\n<body>\n{body}\n"
        f"<script>{RENDER_JS}</script>\n</body></html>\n"
    )

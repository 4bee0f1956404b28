r"""Rule ``site-macros``: the macros a documentation site defines outside the text.

What people write: docs rendered by MathJax or KaTeX often use macros that the page never
defines; the site's configuration does. Spektral's docstrings write ``\X' = \hat\A \X \W + \b``
because its docs (danielegrattarola/spektral, ``docs/js/macros.js``) define every letter
``\X`` as ``{\mathbf X}``, the bold letter. Copied out of the docs, ``\X`` is an unknown
command: papermath does not guess what it means (``\X`` could be anything a site chose).

How papermath reads it: only when it knows which site's macros apply, from one of
- a line ``% macros: spektral`` in the source (the source says it; any command reading LaTeX);
- a case file whose ``[options]`` say ``macros = "spektral"``, or whose ``origin`` is on the
  site (``github.com/danielegrattarola/spektral``): the file says where its text was copied
  from, as a user pasting from the site says ``--macros spektral`` (``RECOGNISE_ORIGIN``);
- ``papermath shapes --macros spektral FILE`` (or ``--macros FILE.tex`` with ``\newcommand``
  lines, or the site's own MathJax configuration file);
then each macro is expanded as the site defines it (before parsing, as MathJax does), and a
reading says which macros were read, as what, and what chose the set. Without one of these,
``\X`` stays a refusal whose hint says how to give the definition. A definition in the source
itself (``\newcommand{\X}{\mathbf{Y}}``) wins over the site's.

A book's preamble is such a set too: the Deep Learning book's Chinese edition defines ``\Vx``
(a vector x, ``\boldsymbol{\mathit{x}}``), ``\MW``, ``\Vtheta``, ``\SetR`` ... in its
``math_symbol.tex``; the set ``dlbook-zh`` is that file's 258 definitions as the file writes
them (parse/dlbook_notation.py), chosen as a site's are (``% macros: dlbook-zh``, or a case
whose origin is exacity/deeplearningbook-chinese); a macro with arguments (``\norm{x}``) takes
them.

Examples (each reads):

    % macros: spektral
    \X' = \X \W + \b

    \newcommand{\X}{\mathbf{X}}
    \Y = \X W
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ParseError
from ..source import Span
from . import dlbook_notation, nyu_macros

RULE = "site-macros"


@dataclass(frozen=True)
class SiteMacros:
    name: str
    title: str  # said in readings
    config: str  # where the site defines them (repository and path)
    recognise: tuple[str, ...]  # an origin containing one of these is this site's
    macros: dict[str, str]  # name (with backslash) -> body, as papermath expands it
    arity: dict[str, int] = field(default_factory=dict)  # a macro's arguments (0 if absent)
    sections: dict[str, str] = field(default_factory=dict)  # the heading over its definition
    kind: str = "site"  # "site" (a MathJax configuration) or "preamble" (a book's .tex file)
    reads: str = "the bold letters"  # what the readings say the macros are read as


def _bold_letters() -> dict[str, str]:
    # macros.js: `X: "{\\mathbf X}"` for every ASCII letter; `\mathbf{X}` typesets the same and
    # keeps a subscript or prime on the bold letter (\X_i' is \mathbf{X}_i')
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return {f"\\{c}": f"\\mathbf{{{c}}}" for c in letters}


def _book(
    name: str, which: str, origin: str, repo: str, table: dict[str, tuple[int, str, str]]
) -> SiteMacros:
    """The Deep Learning book's notation (Goodfellow, Bengio and Courville) from one of its
    files, copied in parse/dlbook_notation.py: each macro's body, arity and the file's section."""
    return SiteMacros(
        name=name,
        title=f"the Deep Learning book's notation (Goodfellow, Bengio and Courville; {which})",
        config=origin,
        recognise=(repo,),
        macros={macro: body for macro, (_, body, _) in table.items()},
        arity={macro: n for macro, (n, _, _) in table.items() if n},
        sections={macro: sec for macro, (_, _, sec) in table.items() if sec},
        kind="preamble",
        reads="each the letter it typesets: bold does not make a vector, the equations size it",
    )


SITES: dict[str, SiteMacros] = {
    "spektral": SiteMacros(
        name="spektral",
        title="Spektral's documentation",
        config="danielegrattarola/spektral docs/js/macros.js (MathJax TeX Macros)",
        recognise=("github.com/danielegrattarola/spektral", "graphneural.network"),
        macros=_bold_letters(),
    ),
    # the Deep Learning book (Goodfellow, Bengio, Courville), Chinese edition: its preamble's
    # 258 definitions, copied from the file (parse/dlbook_notation.py), none added
    "dlbook-zh": _book(
        "dlbook-zh",
        "the Chinese edition's preamble",
        dlbook_notation.ORIGIN,
        "github.com/exacity/deeplearningbook-chinese",
        dlbook_notation.table(),
    ),
    # the same book's public notation file (English): \vx, \mW, \E, \R, ... (427 macros)
    "dlbook": _book(
        "dlbook",
        "its public notation file",
        dlbook_notation.ORIGIN_EN,
        "github.com/goodfeli/dlbook_notation",
        dlbook_notation.english_table(),
    ),
    # NYU's Deep Learning course site: the KaTeX \gdef lines of its page layout, copied
    # (parse/nyu_macros.py): \vect{x} is \boldsymbol{x}, the colours \textcolor
    "nyu-dlsp20": SiteMacros(
        name="nyu-dlsp20",
        title="NYU's Deep Learning course site (Canziani's notes)",
        config=nyu_macros.ORIGIN,
        recognise=("github.com/Atcold/NYU-DLSP20", "atcold.github.io/NYU-DLSP"),
        macros={name: body for name, (_, body) in nyu_macros.table().items()},
        arity={name: n for name, (n, _) in nyu_macros.table().items() if n},
        reads="each as the site defines it (\\vect{x}: the bold letter; bold does not make a "
        "vector, the equations size it)",
    ),
}

# `% macros: spektral`, and what chose it in parentheses: `% macros: spektral (the origin)`
# A case file's `origin` on a known site chooses its macros (the measure, tests/wild/measure.py,
# reads a case as `papermath shapes CASE.toml` does). It was off while two Spektral layers read
# wrong once parsed: GCNConv's bias (now a vector: shapes/rules_bias.py) and ECCConv's
# `x_j MLP(e)` (now refused: shapes/rules_learned_value.py).
RECOGNISE_ORIGIN = True

_DIRECTIVE = re.compile(
    r"^[ \t]*%[ \t]*macros[ \t]*:[ \t]*([^\s(]*)[ \t]*(?:\([^\n]*\))?[ \t]*$", re.MULTILINE
)


def directive(name: str) -> str:
    """The line that chooses a site's macros, as a source would write it."""
    return f"% macros: {name}"


def recognise(origin: str) -> str | None:
    """The site whose macros an ``origin`` (a URL or repository path) is rendered with."""
    for site in SITES.values():
        if any(mark in origin for mark in site.recognise):
            return site.name
    return None


def chosen(text: str) -> list[tuple[SiteMacros, Span]]:
    """The sets the ``% macros: NAME`` lines of ``text`` choose, with each line's span."""
    out = []
    for m in _DIRECTIVE.finditer(text):
        site = SITES.get(m.group(1).lower())
        if site is None:
            raise ParseError(
                f"papermath knows no macro set named `{m.group(1)}`",
                span=Span(m.start(1), max(m.end(1), m.start(1) + 1)),
                hint="known sets: "
                + ", ".join(f"`% macros: {n}` ({s.title})" for n, s in SITES.items())
                + r"; for others write the definitions: \newcommand{\X}{\mathbf{X}}",
            )
        out.append((site, Span(m.start(), m.end())))
    return out


def definitions(text: str) -> dict[str, tuple[str, Span]]:
    """Every macro the chosen sets define: name -> (body, the choosing line's span)."""
    out: dict[str, tuple[str, Span]] = {}
    for site, span in chosen(text):
        for name, body in site.macros.items():
            out.setdefault(name, (body, span))
    return out


def arities(text: str) -> dict[str, int]:
    """The number of arguments of each chosen macro that takes some (``\\norm{x}``)."""
    out: dict[str, int] = {}
    for site, _ in chosen(text):
        for name, n in site.arity.items():
            out.setdefault(name, n)
    return out


def with_site(text: str, name: str, why: str = "") -> str:
    """``text`` with the line that chooses ``name``'s macros appended (positions kept);
    ``why`` (what chose it) is said on the line, in parentheses."""
    if name.lower() not in SITES:
        chosen(directive(name))  # the error, with the known sets
    if any(s.name == name.lower() for s, _ in chosen(text)):
        return text
    line = directive(name.lower()) + (f" ({why})" if why else "")
    return text.rstrip("\n") + "\n" + line + "\n"


_MATHJAX_PAIR = re.compile(r"""([A-Za-z]+)\s*:\s*(?:\[\s*)?(["'])((?:\\.|(?!\2).)*)\2""")


def preamble(path: str) -> str:
    r"""The definitions a ``--macros FILE`` gives, as ``\newcommand`` lines.

    FILE holds ``\newcommand``/``\def`` lines (kept as written), or a MathJax configuration
    (``X: "{\\mathbf X}"`` pairs, as a site's ``macros.js``), whose bodies are unescaped.
    """
    text = Path(path).read_text(encoding="utf-8")
    if "\\newcommand" in text or "\\def" in text or "\\renewcommand" in text:
        return text
    lines = []
    for m in _MATHJAX_PAIR.finditer(text):
        body = m.group(3).replace("\\\\", "\\")
        arity = body.count("#") and max(int(d) for d in re.findall(r"#(\d)", body) or ["0"])
        lines.append(
            f"\\newcommand{{\\{m.group(1)}}}" + (f"[{arity}]" if arity else "") + f"{{{body}}}"
        )
    return "\n".join(lines)


def readings(original: str, expanded: str) -> list[tuple[Span, str, str, str]]:
    """(span, subject, reading, reason) for each chosen set the source uses, spans into
    ``expanded`` (the text that was read)."""
    out = []
    spans = {s.name: sp for s, sp in chosen(expanded)}
    for site, _ in chosen(original):
        used = sorted(
            {m.group(0) for m in re.finditer(r"\\[A-Za-z]+", original) if m.group(0) in site.macros}
        )
        if not used or site.name not in spans:
            continue
        shown = ", ".join(
            f"{u} as {site.macros[u]}"
            + (f" (the file's `% {site.sections[u]}`)" if u in site.sections else "")
            for u in used[:8]
        )
        if len(used) > 8:
            shown += f" and {len(used) - 8} more"
        span = spans[site.name]
        what = (
            "are not LaTeX commands but macros"
            if len(used) > 1
            else "is not a LaTeX command but a macro"
        )
        out.append(
            (
                span,
                expanded[span.start : span.end],
                f"{RULE}: {site.name}",
                f"{', '.join(used)} {what} of {site.title}; its "
                f"{'preamble' if site.kind == 'preamble' else 'configuration'} "
                f"({site.config}) defines them: read {shown} ({site.reads}); "
                f"chosen by the line `{expanded[span.start : span.end].strip()}`",
            )
        )
    return out


def for_case(latex: str, data: dict[str, object], name: str) -> str:
    """A case file's LaTeX with the site macros its ``[options] macros`` or ``origin`` choose,
    and the directive its origin gives where it says how the paper writes an operator
    (parse/otimes_words.py)."""
    from ..errors import CaseFileError
    from .otimes_words import from_origin

    latex = from_origin(latex, data.get("origin"))

    options = data.get("options", {})
    asked = options.get("macros") if isinstance(options, dict) else None
    if asked is not None:
        if not isinstance(asked, str) or asked.lower() not in SITES:
            raise CaseFileError(
                f"{name}: [options] macros names no macro set papermath knows: {asked!r}",
                hint="known sets: " + ", ".join(f'"{n}"' for n in SITES),
            )
        return with_site(latex, asked, "[options] macros of the case file")
    origin = data.get("origin")
    site = recognise(origin) if isinstance(origin, str) and RECOGNISE_ORIGIN else None
    if site is not None and isinstance(origin, str):
        return with_site(latex, site, "the case's origin " + " ".join(origin.split())[:120])
    return latex


def for_flag(latex: str, value: str) -> str:
    r"""The LaTeX with what ``--macros NAME|FILE`` gives: a known set, or a file of
    ``\newcommand`` lines or MathJax macros (appended, so the source's lines stay put)."""
    from ..errors import CaseFileError

    if value.lower() in SITES:
        return with_site(latex, value, "--macros")
    try:
        extra = preamble(value)
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(
            f"--macros {value}: neither a macro set papermath knows nor a readable file ({exc})",
            hint="known sets: " + ", ".join(SITES) + r"; or a file of \newcommand lines",
        ) from None
    return latex.rstrip("\n") + "\n" + extra + "\n"

r"""The macros of NYU's Deep Learning course site (Atcold/NYU-DLSP20), for parse/sitemacros.py.

Every page of the site is rendered with the layout ``docs/_layouts/custom.html`` (the site's
``_config.yml`` makes it the default layout of every file), which defines its macros as
KaTeX ``\gdef`` lines in a hidden block before the page: ``\vect #1 {\boldsymbol{#1}}``,
``\matr``, the colours (``\pink #1 {\textcolor{fccde5}{#1}}``), ``\vx``, ``\mW``, ... The
lines below are copied from that file (commit 3049c83, the commit the wild cases cite), none
added or changed; :func:`table` reads them as the site's renderer does.
"""

from __future__ import annotations

import re
from functools import cache

ORIGIN = "Atcold/NYU-DLSP20 docs/_layouts/custom.html (KaTeX \\gdef lines, commit 3049c83)"

GDEFS = r"""
$$\gdef \sam #1 {\mathrm{softargmax}(#1)}$$
$$\gdef \vect #1 {\boldsymbol{#1}} $$
$$\gdef \matr #1 {\boldsymbol{#1}} $$
$$\gdef \E  {\mathbb{E}} $$
$$\gdef \V  {\mathbb{V}} $$
$$\gdef \R {\mathbb{R}} $$
$$\gdef \N {\mathbb{N}} $$
$$\gdef \relu #1 {\texttt{ReLU}(#1)} $$
$$\gdef \D {\,\mathrm{d}} $$
$$\gdef \deriv #1 #2 {\frac{\D #1}{\D #2}}$$
$$\gdef \pd #1 #2 {\frac{\partial #1}{\partial #2}}$$
$$\gdef \set #1 {\left\lbrace #1 \right\rbrace} $$
$$\gdef \aqua #1 {\textcolor{8dd3c7}{#1}} $$
$$\gdef \yellow #1 {\textcolor{ffffb3}{#1}} $$
$$\gdef \lavender #1 {\textcolor{bebada}{#1}} $$
$$\gdef \red #1 {\textcolor{fb8072}{#1}} $$
$$\gdef \blue #1 {\textcolor{80b1d3}{#1}} $$
$$\gdef \orange #1 {\textcolor{fdb462}{#1}} $$
$$\gdef \green #1 {\textcolor{b3de69}{#1}} $$
$$\gdef \pink #1 {\textcolor{fccde5}{#1}} $$
$$\gdef \vgrey #1 {\textcolor{d9d9d9}{#1}} $$
$$\gdef \violet #1 {\textcolor{bc80bd}{#1}} $$
$$\gdef \unka #1 {\textcolor{ccebc5}{#1}} $$
$$\gdef \unkb #1 {\textcolor{ffed6f}{#1}} $$
$$\gdef \vx {\pink{\vect{x }}} $$
$$\gdef \vy {\blue{\vect{y }}} $$
$$\gdef \vb {\vect{b}} $$
$$\gdef \vz {\orange{\vect{z }}} $$
$$\gdef \vtheta {\vect{\theta }} $$
$$\gdef \vh {\green{\vect{h }}} $$
$$\gdef \vq {\aqua{\vect{q }}} $$
$$\gdef \vk {\yellow{\vect{k }}} $$
$$\gdef \vv {\green{\vect{v }}} $$
$$\gdef \vytilde {\violet{\tilde{\vect{y}}}} $$
$$\gdef \vyhat {\red{\hat{\vect{y}}}} $$
$$\gdef \vycheck {\blue{\check{\vect{y}}}} $$
$$\gdef \vzcheck {\blue{\check{\vect{z}}}} $$
$$\gdef \vztilde {\green{\tilde{\vect{z}}}} $$
$$\gdef \vmu {\green{\vect{\mu}}} $$
$$\gdef \vu {\orange{\vect{u}}} $$
$$\gdef \mW {\matr{W}} $$
$$\gdef \mA {\matr{A}} $$
$$\gdef \mX {\pink{\matr{X}}} $$
$$\gdef \mY {\blue{\matr{Y}}} $$
$$\gdef \mQ {\aqua{\matr{Q }}} $$
$$\gdef \mK {\yellow{\matr{K }}} $$
$$\gdef \mV {\lavender{\matr{V }}} $$
$$\gdef \mH {\green{\matr{H }}} $$
$$\gdef \cx {\pink{x}} $$
$$\gdef \ctheta {\orange{\theta}} $$
$$\gdef \cz {\orange{z}} $$
$$\gdef \Enc {\lavender{\text{Enc}}} $$
$$\gdef \Dec {\aqua{\text{Dec}}}$$
"""

_GDEF = re.compile(r"\\gdef\s*(\\[A-Za-z]+)\s*((?:#\d\s*)*)\{(.*)\}\s*\$\$\s*$")


@cache
def table() -> dict[str, tuple[int, str]]:
    """name (with its backslash) -> (the number of its arguments, its body)."""
    out: dict[str, tuple[int, str]] = {}
    for line in GDEFS.strip().splitlines():
        m = _GDEF.search(line)
        if m is None:
            raise ValueError(f"not a \\gdef line: {line!r}")
        out[m.group(1)] = (m.group(2).count("#"), m.group(3).strip())
    return out

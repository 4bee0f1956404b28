r"""Rule ``cut-display``: a ``$$`` right after a math-only environment that began the math.

What people write (or copy): an excerpt of a markdown page that starts inside a display,
``\begin{aligned} ... \end{aligned}`` then the display's closing ``$$`` (Lil'Log's
Transformer-XL recurrence, cut below its opening ``$$``). ``aligned``, ``gathered``,
``split``, ``cases`` and the matrix environments exist only inside math, so the math was
opened before the environment, and a ``$$`` that follows its ``\end`` with nothing between
closes that display; read as an opening ``$$`` it would turn the prose after it into math.

How papermath reads it: that ``$$`` closes the display the environment was in (it is
dropped); everything after it is prose again. A ``$$`` after an environment that opens math
of its own (``align``, ``equation``) opens a display, as before.

Example (reads):

    \begin{aligned} y &= W x \end{aligned}
    $$
    where $x \in \mathbb{R}^{n}$ and $y \in \mathbb{R}^{m}$.
"""

from __future__ import annotations

import re

RULE = "cut-display"

MATH_ONLY = frozenset(
    {
        "aligned",
        "alignedat",
        "gathered",
        "split",
        "cases",
        "matrix",
        "bmatrix",
        "pmatrix",
        "vmatrix",
        "Bmatrix",
        "Vmatrix",
        "smallmatrix",
        "array",
    }
)
_NEXT_DDOLLAR = re.compile(r"[ \t]*\n?[ \t]*\$\$")


def orphan_close(text: str, env: str, end: int) -> int | None:
    """Where the ``$$`` that closes the display of a math-only environment ``env`` (its
    ``\\end`` ending at ``end``, the environment having begun the math) starts, if one
    follows with nothing between."""
    if env.rstrip("*") not in MATH_ONLY:
        return None
    m = _NEXT_DDOLLAR.match(text, end)
    return m.end() - 2 if m else None

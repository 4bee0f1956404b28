r"""Notation rule ``rst-literal-assignment``: an assignment written as an RST inline literal
(double backquotes), often as a bullet, read as a line of code (parse/code.py).

What people write (Lasagne's docstrings, ``lasagne/updates.py``)::

    Generates update expressions of the form:

    * ``velocity := momentum * velocity - learning_rate * gradient``
    * ``param := param + velocity``

How papermath reads it: reStructuredText marks code with double backquotes, and a bullet
(``* ``, ``- ``) before it is list markup, not a product or a minus. A literal that assigns
(``:=``, or an ``=`` that is no comparison) is a formula written as code: its text is read by
parse/code.py as a fenced line would be (``:=`` the assignment), the literal and its bullet
blanked from the mathematics. A literal that assigns nothing (````NH````, a shape in prose)
is left as it was.

Examples (each a whole source, read with parse/code_updates.py's sequential updates)::

    * ``param := param - learning_rate * gradient``

    learning_rate : float or symbolic scalar
"""

from __future__ import annotations

import re

__all__ = ["assignments"]

# ``...`` on one line, not part of a longer run of backquotes
_LITERAL = re.compile(r"(?<!`)``(?P<body>[^`\n]+)``(?!`)")
_BULLET = re.compile(r"[ \t]*[*+-][ \t]+")
_ASSIGNS = re.compile(r":=|(?<![=<>!:])=(?!=)")


def assignments(text: str) -> list[tuple[int, int, int]]:
    """Each RST literal that assigns: (where its markup starts, bullet included; where its
    body starts; where its body ends).

    >>> assignments("* ``p := p - g``")
    [(0, 4, 14)]
    """
    found: list[tuple[int, int, int]] = []
    for m in _LITERAL.finditer(text):
        if not _ASSIGNS.search(m.group("body")):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start : m.start()]
        start = m.start()
        if _BULLET.fullmatch(before):  # "* ``...``": the bullet is list markup
            start = line_start + len(before) - len(before.lstrip())
        found.append((start, m.start("body"), m.end("body")))
    return found

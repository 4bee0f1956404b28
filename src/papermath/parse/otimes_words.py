r"""The words that say ``\otimes`` is the element-wise product (notation rule
``otimes-said-elementwise``; read/rules_otimes_said.py reads them): a sentence of the source
("where $\otimes$ is the element-wise product"), or a case file's origin that says it of the
paper it copies ("the paper writes the component-wise product as \otimes"), which
:func:`from_origin` turns into the directive a user would write, with the origin quoted.
"""

from __future__ import annotations

import re

HADAMARD = "hadamard"

# the operator as prose mentions it: in math ($\otimes$, :math:`\otimes`), bare, or as ⊗
_OP = r"(?:\$\s*\\otimes\s*\$|:math:`\s*\\otimes\s*`|\\otimes\b|\u2297)"
_WISE = r"(?:(?:element|component|entry|point|coordinate)[\s-]*(?:wise|by[\s-]*element)|Hadamard)"
_PRODUCT = r"(?:\s+[A-Za-z-]+){0,2}?\s+(?:product|multiplication)s?"
_ARTICLE = r"(?:the\s+|an?\s+)?"
_SAID = re.compile(
    # "$\otimes$ is / denotes / represents / stands for the element-wise product"
    rf"{_OP}\s+(?:is|denotes|represents|means|stands\s+for|indicates)\s+{_ARTICLE}{_WISE}{_PRODUCT}"
    # "writes / denotes the component-wise product as / by $\otimes$"
    rf"|(?:writes?|denotes?|marks?)\s+{_ARTICLE}{_WISE}{_PRODUCT}\s+(?:as|by|with)\s+{_OP}"
    # "uses $\otimes$ for the element-wise product"
    rf"|uses?\s+{_OP}\s+(?:for|as)\s+{_ARTICLE}{_WISE}{_PRODUCT}",
    re.IGNORECASE,
)
_OTHER = re.compile(r"\b(?:outer|Kronecker|tensor|dyadic)\b", re.IGNORECASE)


def _sentence(text: str, a: int, b: int) -> tuple[int, int]:
    """The sentence around ``text[a:b]``: to the nearest full stop, semicolon or blank line."""
    start = max(text.rfind(". ", 0, a), text.rfind("; ", 0, a), text.rfind("\n\n", 0, a)) + 1
    stops = [i for i in (text.find(". ", b), text.find("; ", b), text.find("\n\n", b)) if i >= 0]
    return start, (min(stops) if stops else len(text))


_COMMENT = re.compile(r"(?m)^[ \t]*%.*$")


def said(text: str) -> tuple[int, int] | None:
    """Where the words say ``\\otimes`` is the element-wise product (the sentence's span), or
    None: no sentence says so, or the one that does also names another product. Comment lines
    (``% papermath: ...``, the directive an origin gives) are no one's words: left out."""
    text = _COMMENT.sub(lambda m: " " * len(m.group()), text)
    for m in _SAID.finditer(text):
        a, b = _sentence(text, m.start(), m.end())
        if not _OTHER.search(text[a:b]):
            return a, b
    return None


def quote(text: str, limit: int = 120) -> str:
    """The words of a sentence on one line, cut to ``limit`` characters."""
    words = " ".join(text.split()).strip(" .;")
    return words if len(words) <= limit else words[: limit - 1] + "\u2026"


def from_origin(latex: str, origin: object) -> str:
    """``latex`` with ``% papermath: otimes is hadamard (...)`` appended where a case's origin
    says the paper writes the element-wise product as ``\\otimes`` (the origin quoted in the
    directive, so the reading cites it); unchanged otherwise."""
    if not isinstance(origin, str) or "otimes" not in latex or said(latex) is not None:
        return latex
    where = said(origin)
    if where is None:
        return latex
    words = quote(origin[where[0] : where[1]]).replace(";", ",").replace(")", "]").replace("(", "[")
    line = f"% papermath: otimes is {HADAMARD} (the case's origin: \u201c{words}\u201d)"
    return latex.rstrip("\n") + "\n" + line + "\n"

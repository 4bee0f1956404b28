"""papermath: read the math of a paper as an expert would.

>>> import papermath
>>> s = papermath.compile("f_t = \\\\sigma(W_f [h_{t-1}, x_t] + b_f)\\nx_t \\\\in \\\\mathbb{R}^m, h_t \\\\in \\\\mathbb{R}^n")
>>> s.shapes["W_f"]
('n', 'm + n')
"""

from .errors import (
    DeclarationError,
    ParseError,
    PapermathError,
    ReadingError,
    ShapeError,
)
from .system import System, compile

__all__ = [
    "DeclarationError",
    "PapermathError",
    "ParseError",
    "ReadingError",
    "ShapeError",
    "System",
    "compile",
]
__version__ = "0.1.0"

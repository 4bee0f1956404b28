r'''papermath: read the math of a paper as an expert would.

>>> import papermath
>>> s = papermath.compile(r"""
... f_t = \sigma(W_f [h_{t-1}, x_t] + b_f)
... x_t \in \mathbb{R}^m, h_t \in \mathbb{R}^n
... """)
>>> s.shapes["W_f"]  # one gate alone leaves its own size free (d1)
('d1', 'm + n')
'''

from .errors import (
    DeclarationError,
    PapermathError,
    ParseError,
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

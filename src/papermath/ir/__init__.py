"""The typed IR: per-example values with symbolic shapes, ops in order, a type check.

See :mod:`papermath.ir.program` for the data structures and :mod:`papermath.ir.lower` for
how a read :class:`~papermath.System` becomes a :class:`Program`.
"""

from .lower import lower
from .program import Op, Program, Value
from .typecheck import typecheck

__all__ = ["Op", "Program", "Value", "lower", "typecheck"]

"""Operators as data. ``elementwise``: functions applied entry by entry (sigmoid, tanh, relu,
...), one row each, read by every stage (reading, code, gradients, explanation, diagram).

The other modules hold the rules of the IR's primitives (papermath.ir.prims), one family
each, every rule registered under its function in the registries of papermath.ir.rules:
``arithmetic``, ``functions`` (the ``fn`` primitive: a row applied), ``linalg``,
``structure``, ``reductions``, ``graph``. ``families`` imports them all: the stages that
look rules up (the type check, the backends) import it. This package itself imports only the
rows: the reader reads them before any program exists.
"""

from .elementwise import ELEMENTWISE, Elementwise, derivative_code, derivative_tree

__all__ = ["ELEMENTWISE", "Elementwise", "derivative_code", "derivative_tree"]

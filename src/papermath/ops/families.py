"""Every family of primitive rules, imported together: importing this module fills the
registries of :mod:`papermath.ir.rules` (the type check and the backends import it)."""

from . import arithmetic, functions, graph, linalg, matrix, positions, reductions, structure

FAMILIES = (arithmetic, functions, linalg, structure, reductions, graph, matrix, positions)

__all__ = ["FAMILIES"]

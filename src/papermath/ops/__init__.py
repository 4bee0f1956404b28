"""Operators, one row each: what every stage (reading, code, gradients, explanation,
diagram) knows of an operator lives in its row. ``elementwise``: functions applied entry by
entry (sigmoid, tanh, relu, ...)."""

from .elementwise import ELEMENTWISE, Elementwise, derivative_code, derivative_tree

__all__ = ["ELEMENTWISE", "Elementwise", "derivative_code", "derivative_tree"]

"""Shapes: symbolic sizes, unification, and inference over a system of equations."""

from .infer import ShapeResult, infer
from .sizes import Size, shape_text

__all__ = ["ShapeResult", "Size", "infer", "shape_text"]

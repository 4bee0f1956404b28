"""Passes on the IR. Each returns a new Program; the type check runs after every pass."""

from .cse import cse

__all__ = ["cse"]

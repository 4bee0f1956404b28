"""Readings: what each symbol and operator is, with the reason for each decision."""

from .reader import Reading, ReadResult, read

__all__ = ["ReadResult", "Reading", "read"]

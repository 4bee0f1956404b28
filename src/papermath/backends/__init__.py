"""Backends: NumPy and PyTorch code generated from the IR (see emit.py and source.py)."""

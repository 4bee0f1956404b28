"""Shared by the graph tests: a small graph written by hand, the wild corpus's LaTeX by case
name, a system's readings by kind, and a scatter-add written by hand (the oracle's sum over
the edges into each node)."""

from __future__ import annotations

import tomllib

import torch

import papermath
from conftest import ROOT

WILD = ROOT / "tests" / "wild" / "cases"

# a small graph (the edges j -> i as (source, target)); node 3 receives from no one
SRC = torch.tensor([0, 1, 2, 4, 0, 5, 2, 1])
DST = torch.tensor([1, 2, 0, 0, 4, 4, 5, 5])
N = 6


def wild(name: str) -> str:
    with open(WILD / f"{name}.toml", "rb") as f:
        text: str = tomllib.load(f)["latex"]
    return text


def readings(system: papermath.System) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in system.readings:
        out.setdefault(r.reading, []).append(r.reason)
    return out


def scatter(values: torch.Tensor, dst: torch.Tensor) -> torch.Tensor:
    """For each node, the sum of the values of the edges into it (hand-written)."""
    out = torch.zeros((N, *values.shape[1:]), dtype=values.dtype)
    return out.index_add(0, dst, values)

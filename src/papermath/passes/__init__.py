"""Passes on the IR. Each returns a new Program; the type check runs after every pass."""

from .cse import cse
from .fast import (
    dead_code,
    fuse_affine,
    hoist,
    lift_blockwise,
    merge_products,
    split_concat_products,
)
from .sink import sink_projections

__all__ = [
    "cse",
    "dead_code",
    "fuse_affine",
    "hoist",
    "lift_blockwise",
    "merge_products",
    "sink_projections",
    "split_concat_products",
]

# lift twice: the biases join the input blocks, then the input blocks join the state blocks
FAST = (
    split_concat_products,
    cse,
    merge_products,
    lift_blockwise,
    dead_code,
    lift_blockwise,
    hoist,
    dead_code,  # before fusing: a product counts as used once only when the dead are gone
    fuse_affine,
    dead_code,
)

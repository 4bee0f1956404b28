"""The shape rule of read/rules_listed_batch.py: ``\\{l_1, \\dots, l_N\\}^\\top`` is a vector of N
entries, each member one number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..read import terms as t
from .sizes import Size

if TYPE_CHECKING:
    from .infer import Inference


def rule(inf: Inference, a: t.Apply) -> bool:
    """Each member one number; the vector N entries (N the batch size as written)."""
    member, count = a.args
    assert isinstance(count, t.SizeValue)
    inf.bind(member, (), a, f"each entry of {inf.snip(a)} is one number:", "")
    inf.bind(a, (Size.parse(count.name),), a, f"{inf.snip(a)} lists the batch:", "")
    return True

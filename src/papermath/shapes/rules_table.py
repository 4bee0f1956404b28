"""The shape rules of a table's members (read/rules_table_rows.py): ``v_{w_I}``, one member
picked at an integer, has the member's shape; every member at once (``v'_w`` under
``\\sum_{w=1}^{W}``) is the table, W rows of the member's shape."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..read import terms as t
from .sizes import Size

if TYPE_CHECKING:
    from .infer import Inference


def rule_table_row(inf: Inference, r: t.TableRow) -> bool:
    """``v_{w_I}``: the label one integer, the row the member's shape."""
    inf.bind(r.label, (), r, "a value of the index that picks a member is one integer:", "")
    inf.unify(r, r.member, r, "", "")
    return True


def rule_table(inf: Inference, tab: t.Table) -> bool:
    """Every member at once: (count, *member)."""
    from .engine import Stuck

    member = inf.shape(tab.member)
    if member is None:
        if inf.mode == "strict":
            raise Stuck
        raise ShapeError(
            f"cannot decide the shape of {inf.snip(tab.member)}, one member of a table of "
            f"{tab.count}",
            inf.source,
            tab.member.span,
            hint=f"declare one member: {tab.member.key}_{tab.member.head} \\in \\mathbb{{R}}^{{d}}",
        )
    inf.bind(tab, (Size.parse(tab.count), *member), tab, "", "")
    return True

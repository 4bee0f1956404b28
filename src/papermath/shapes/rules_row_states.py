r"""The shapes of rule ``learned-first-rows`` (read/rules_row_states.py): ``\mathbf{Z}^{(0)} =
\textrm{MLP}(\mathbf{X})`` where the reader found the function maps each row of the capital
letter X (its value has one row per node): X is a matrix (N x F), the function maps F to a
width of its own (F'), and its value is N x F' (the rows of X kept). The reading was said by
the reader; this binds the shapes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..read import terms as t

if TYPE_CHECKING:
    from .infer import Inference


def per_row(inf: Inference, f: t.Learned) -> bool:
    """Bind ``f(X)`` as the function applied to each row of X (True), or False where the
    reader did not read it so."""
    if f.key not in inf.read.row_maps or len(f.args) != 1:
        return False
    arg = f.args[0]
    e = inf.engine
    what = f"{inf.snip(f)}: {f.key} applied to each row of {inf.snip(arg)}"
    hint = "declare the shapes of the argument and of the value"
    if inf.rank(arg) is None:
        inf.bind(arg, (e.fresh_size(), e.fresh_size()), f, what, hint)
    shape = inf.shape(arg)
    if shape is None or len(shape) != 2:
        return False
    if f.key not in inf.learned_out:
        inf.learned_out[f.key] = e.new_var()
        e.bind(inf.learned_out[f.key], (e.fresh_size(),), f.span)
        inf.learned_in[f.key] = shape[1]
    out = e.shape(inf.learned_out[f.key])
    assert out is not None and len(out) == 1
    e.unify_size(inf.learned_in[f.key], shape[1], f.span)
    inf.bind(f, (shape[0], out[0]), f, what, hint)
    return True

"""Shapes a symbol's role gives before any rule runs (read/rules_losses.py reads the roles:
Keras' ``y_true`` and ``y_pred`` are vectors of one size)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..read.reader import Reading

if TYPE_CHECKING:
    from .infer import Inference


def role_vectors(inf: Inference) -> None:
    """Before any rule: the keys a role makes vectors of one size (``ReadResult.role_vectors``)
    get one fresh size, unless the source declares one of them."""
    for keys, why in inf.read.role_vectors:
        present = [k for k in keys if k in inf.read.first_span]
        if not present or any(k in inf.declared_by for k in present):
            continue
        size = inf.engine.fresh_size()
        for key in present:
            span = inf.read.first_span[key]
            inf.engine.bind(inf.var_of_sym(key), (size,), span)
            inf.read.readings.append(
                Reading(span, inf.source.snippet(span), "a vector by role", why)
            )

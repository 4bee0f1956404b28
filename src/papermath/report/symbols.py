r"""A symbol key as the paper writes it: ``C_tilde`` -> ``\tilde{C}``, ``W_xi`` -> ``W_{xi}``,
``alpha`` -> ``\alpha``, ``h`` at step t-1 -> ``h_{t-1}``. Used by every view that prints a
symbol (the gradient equations, the report, the diagram, explain, a derivation's check)."""

from __future__ import annotations

from ..letters import GREEK_LOWER
from ..parse.code_unicode import GREEK as UNICODE_GREEK
from ..read.reader import DECORATIONS
from ..read.syntax import ARROWS

# the lowercase letters and the capitals LaTeX names (\Gamma, ..., \Omega)
GREEK = GREEK_LOWER | {name for name in UNICODE_GREEK.values() if name[0].isupper()}
LOSS = "\\mathcal{L}"


def key_latex(key: str) -> tuple[str, list[str]]:
    """``C_tilde`` -> ``\\tilde{C}``, ``W_xi`` -> ``W`` and ``xi``, ``alpha`` -> ``\\alpha``."""
    parts = key.split("_")
    base = parts[0]
    base = f"\\{base}" if base in GREEK else base
    marks = set(DECORATIONS.values()) | {"prime", "star"} | set(ARROWS)  # \overleftarrow{h}
    decor: list[str] = []
    labels: list[str] = []
    for p in parts[1:]:
        arrow = next((a for a in ARROWS if p.startswith(a)), None)
        if arrow is not None and labels:
            # an arrow over a label's letter (W_{x\overleftarrow{h}}: key W_xh_overleftarrow,
            # W_{\overleftarrow{h}y}: W_h_overleftarrowy; read/syntax.py label_text): it
            # decorates the label's last letter, and letters after it go on with the label
            last = labels[-1]
            labels[-1] = f"{last[:-1]}\\{arrow}{{{last[-1]}}}{p[len(arrow) :]}"
        elif p in marks:
            decor.append(p)  # right after the base: it decorates the base (C_tilde)
        else:
            labels.append(p)
    for d in decor:
        base = {"prime": f"{base}'", "star": f"{base}^*"}.get(d, f"\\{d}{{{base}}}")
    if base == "L":
        base = LOSS
    if len(labels) == 3 and labels[1] == "to":  # W[x->i] (parse/code_index.py): W_{x \to i}
        labels = [f"{labels[0]} \\to {labels[2]}"]
    return base, labels


def symbol(
    key: str, step: str | None = None, offset: int | None = None, node: str | None = None
) -> str:
    """A named value as the source writes it: ``h_{t-1}``, ``\\tilde{C}_t``, ``W_f``; a value
    per node with its node letter (``h_v``)."""
    if key.endswith(".weight") or key.endswith(".bias"):  # a learnable function's parameters
        fn_name, what = key.rsplit(".", 1)
        if "_" in fn_name:  # h_Theta: as the source writes it, h_{\\Theta}
            name = symbol(fn_name)
        else:
            name = fn_name if len(fn_name) == 1 else f"\\mathrm{{{fn_name}}}"
        if step is not None and offset is not None:  # one per step: W_{\\mathrm{MLP},k}
            name += f",{step if offset == 0 else f'{step}{offset:+d}'}"
        return f"{'W' if what == 'weight' else 'b'}_{{{name}}}"
    base, subs = key_latex(key)
    if node is not None and subs[-1:] != [node]:  # L_i of example i: written once, L_i
        subs.append(node)
    if step is not None and offset is not None:
        subs.append(step if offset == 0 else f"{step}{offset:+d}")
    if not subs:
        return base
    if len(subs) > 1 or len(subs[0]) > 1:
        return f"{base}_{{{','.join(subs)}}}"
    return f"{base}_{subs[0]}"

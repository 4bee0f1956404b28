"""Known functions: how each spelling is read. One entry per function."""

from __future__ import annotations

from dataclasses import dataclass

from ..ops import ELEMENTWISE


@dataclass(frozen=True)
class KnownFunction:
    name: str
    description: str
    arity: int = 1


# \sigma_y, \phi with no word on which function: an activation the source does not name
UNNAMED = "activation"
# the function term of a statistic over an axis the source does not say (read/rules_norm_axis.py)
UNSAID = "statistic (axis not said)"

# Elementwise functions come from their rows (papermath.ops); the others are read here.
KNOWN: dict[str, KnownFunction] = {
    f.name: f
    for f in [
        *(KnownFunction(row.name, row.description) for row in ELEMENTWISE.values()),
        KnownFunction("softmax", "softmax over the feature axis: exp(x) / sum(exp(x))"),
        KnownFunction("layernorm", "layer normalisation over the feature axis"),
        KnownFunction("max", "elementwise maximum of two arguments", arity=2),
        KnownFunction("min", "elementwise minimum of two arguments", arity=2),
        KnownFunction(  # read/rules_value_powers.py: x^\gamma, p ** q in code
            "power", "a power by a value, entry by entry: x^b with b a number (a scalar)", arity=2
        ),
        KnownFunction(  # read/rules_named_loss.py: "the loss function is $l$"
            "named_loss",
            "a loss the source names but does not define: one number from its arguments "
            "(code needs an equation that defines it)",
            arity=0,
        ),
        KnownFunction(
            UNNAMED,
            "an elementwise nonlinearity the source does not name (shapes do not depend on "
            "it; code needs a line that says which, e.g. `% papermath: sigma_y is tanh`)",
        ),
        KnownFunction(
            UNSAID,
            "a mean (or variance) broadcast back over its argument, over an axis the source "
            "does not say (read/rules_norm_axis.py; code needs to know which)",
        ),
    ]
}

# Spellings people use, after lowering case where case carries no meaning.
ALIASES: dict[str, str] = {
    **{spelling: row.name for row in ELEMENTWISE.values() for spelling in row.spellings},
    "softmax": "softmax",
    "layernorm": "layernorm",
    "ln_": "layernorm",
    "max": "max",
    "min": "min",
}


# Activation names with a subscript, as Wikipedia's LSTM and GRU articles write them, where the
# convention is standard: key -> (known function, why). Other subscripted sigmas and phis
# (sigma_y, phi_o) name an activation the source must state (`% \\sigma_y: softmax`).
ACTIVATION_ALIASES: dict[str, tuple[str, str]] = {
    "sigma_g": ("sigmoid", "sigma_g is the gate activation: the logistic sigmoid"),
    "sigma_c": ("tanh", "sigma_c is the cell input activation: tanh"),
    "sigma_h": ("tanh", "sigma_h is the hidden-state activation: tanh"),
    "phi_h": ("tanh", "phi_h is the candidate activation of the GRU: tanh"),
}
# Letters that, subscripted and called, name an activation function rather than a learned map.
ACTIVATION_LETTERS = ("sigma", "phi", "varphi")


def lookup(spelling: str) -> KnownFunction | None:
    """The known function a spelling names, if any.

    >>> lookup("ReLU").name
    'relu'
    >>> lookup("i") is None
    True
    """
    name = ALIASES.get(spelling) or ALIASES.get(spelling.lower().replace(" ", ""))
    return KNOWN[name] if name else None

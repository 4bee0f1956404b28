"""Known functions: how each spelling is read. One entry per function."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownFunction:
    name: str
    description: str
    arity: int = 1


KNOWN: dict[str, KnownFunction] = {
    f.name: f
    for f in [
        KnownFunction("sigmoid", "logistic sigmoid 1 / (1 + e^-x), elementwise, values in (0, 1)"),
        KnownFunction("tanh", "hyperbolic tangent, elementwise, values in (-1, 1)"),
        KnownFunction("relu", "rectified linear unit max(0, x), elementwise"),
        KnownFunction("softmax", "softmax over the feature axis: exp(x) / sum(exp(x))"),
        KnownFunction("exp", "exponential, elementwise"),
        KnownFunction("log", "natural logarithm, elementwise"),
        KnownFunction("sin", "sine, elementwise"),
        KnownFunction("cos", "cosine, elementwise"),
        KnownFunction("sign", "sign, elementwise"),
        KnownFunction("elu", "exponential linear unit, elementwise"),
        KnownFunction("gelu", "Gaussian error linear unit, elementwise"),
        KnownFunction("softplus", "softplus log(1 + e^x), elementwise"),
        KnownFunction("layernorm", "layer normalisation over the feature axis"),
        KnownFunction("sqrt", "square root, elementwise"),
        KnownFunction("abs", "absolute value, elementwise"),
        KnownFunction("identity", "the identity: the value itself (a linear activation)"),
        KnownFunction("max", "elementwise maximum of two arguments", arity=2),
        KnownFunction("min", "elementwise minimum of two arguments", arity=2),
    ]
}

# Spellings people use, after lowering case where case carries no meaning.
ALIASES: dict[str, str] = {
    "sigma": "sigmoid",
    "sigmoid": "sigmoid",
    "sigm": "sigmoid",
    "tanh": "tanh",
    "relu": "relu",
    "softmax": "softmax",
    "exp": "exp",
    "log": "log",
    "ln": "log",
    "sin": "sin",
    "cos": "cos",
    "sign": "sign",
    "sgn": "sign",
    "elu": "elu",
    "gelu": "gelu",
    "softplus": "softplus",
    "layernorm": "layernorm",
    "ln_": "layernorm",
    "identity": "identity",
    "id": "identity",
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

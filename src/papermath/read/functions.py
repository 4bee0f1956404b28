"""Known functions: how each spelling is read. One entry per function."""

from __future__ import annotations

from dataclasses import dataclass

from ..letters import ACTIVATION_LETTERS as ACTIVATION_LETTERS
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
# \underset{C}{\mathbb{E}}[X], X a batch B x C: the mean (variance) of each row, one per example
# (read/rules_axis_stats.py); a vector over the rows, which a difference broadcasts back
ROW_MEAN, ROW_VAR = "mean of each row", "variance of each row"
COL_MEAN, COL_VAR = "mean of each column", "variance of each column"  # \underset{N}: the rows'
# h = \mathrm{norm}(h): a normalisation the source does not name (read/rules_norm_update.py)
UNNORMED = "normalisation (kind not said)"
# \textrm{AGGREGATE}(X), X the node matrix whole (read/rules_whole_aggregate.py)
WHOLE_AGGREGATE = "aggregation of each node's neighbours (unnamed)"
# L = \{l_1, \dots, l_N\}^\top: the batch's per-example numbers as a vector (rules_listed_batch)
LISTED_BATCH = "the batch's values as a vector"
# a value given in several forms, an argument of the code choosing one (rules_flag_forms)
FORMS = "one of the forms of a value (which one, the source does not say)"
# \nabla f(w), f written nowhere: the gradient of an objective (read/rules_gradient_call.py)
GRADIENT = "gradient of an objective the source does not write"

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
            WHOLE_AGGREGATE,
            "each node's row replaced by an aggregation of its neighbours' rows, the source "
            "not saying which (a sum, a mean, a max: the matrix's shape; "
            "read/rules_whole_aggregate.py; code refused)",
        ),
        KnownFunction(
            FORMS,
            "one of several forms of a value, all of one shape, an argument of the code "
            "choosing which (read/rules_flag_forms.py; read for shapes, code refused)",
            arity=0,
        ),
        KnownFunction(
            GRADIENT,
            "the gradient of a function whose value is one number (an objective), at a point: "
            "the point's shape (read/rules_gradient_call.py; read for shapes, code refused)",
        ),
        KnownFunction(
            LISTED_BATCH,
            "the values of a batch's examples, one number each, side by side: a vector of the "
            "batch size (read/rules_listed_batch.py; read for shapes, code refused)",
        ),
        KnownFunction(
            UNNORMED,
            "a normalisation the source does not name (a value of its argument's shape: divided "
            "by its norm, a layer norm; read/rules_norm_update.py; code needs to know which)",
        ),
        KnownFunction(
            ROW_MEAN,
            "the mean of each row of a matrix (one example's features: a vector over the "
            "rows; read/rules_axis_stats.py)",
        ),
        KnownFunction(
            ROW_VAR,
            "the biased variance of each row of a matrix (divided by the row's length, as "
            "torch's LayerNorm; read/rules_axis_stats.py)",
        ),
        KnownFunction(
            COL_MEAN,
            "the mean of each column of a matrix (one feature over a batch's rows: a vector "
            "over the columns; read/rules_axis_stats.py)",
        ),
        KnownFunction(
            COL_VAR,
            "the biased variance of each column of a matrix (divided by the number of rows, as "
            "batch norm's Algorithm 1; read/rules_axis_stats.py)",
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


def lookup(spelling: str) -> KnownFunction | None:
    """The known function a spelling names, if any.

    >>> lookup("ReLU").name
    'relu'
    >>> lookup("i") is None
    True
    """
    name = ALIASES.get(spelling) or ALIASES.get(spelling.lower().replace(" ", ""))
    return KNOWN[name] if name else None

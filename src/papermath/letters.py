"""The letter conventions of papers' notation, in one place (issue 24: "letter conventions in
one place"). A convention decides only what the source leaves open: a declaration, a
definition or the shapes always win, and every reading that rests on a convention says so.

Each set is data; the modules that apply a convention import it from here (a test,
tests/test_architecture.py, fails if a module defines its own letter set), and docs/notation.md
lists them from ``CONVENTIONS`` (scripts/notation_doc.py). Letters are keyed by name, as the
reader keys them: ``\\theta`` is ``theta``, ``\\Theta`` is ``Theta``.
This module imports nothing of papermath's, so every stage (parse, read, shapes) can use it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ACTIVATION_LETTERS",
    "BIAS_LETTERS",
    "CONSTANT_LETTERS",
    "CONVENTIONS",
    "DOTTED_SUM_INDEX_LETTERS",
    "FFN_INPUT_LETTERS",
    "GREEK_LOWER",
    "GREEK_WEIGHT_LETTERS",
    "INDEX_LIKE",
    "LEARNED_GREEK",
    "MATRIX_WEIGHT_LETTERS",
    "NODE_LETTERS",
    "NUMBER_GREEK",
    "PARAMETER_LETTERS",
    "Convention",
]

# lowercase Greek letters by name: by convention scalars
GREEK_LOWER = frozenset(
    {
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "varepsilon",
        "zeta",
        "eta",
        "theta",
        "vartheta",
        "iota",
        "kappa",
        "lambda",
        "mu",
        "nu",
        "xi",
        "pi",
        "varpi",
        "rho",
        "varrho",
        "sigma",
        "varsigma",
        "tau",
        "upsilon",
        "phi",
        "varphi",
        "chi",
        "psi",
        "omega",
        "ell",
    }
)

# letters that name learned weights: such a symbol, undefined and carrying the step index
# (W^{(l)}, b^{(l)}), is one parameter per step (per layer), not input data; never data added
# to a function's body; never the member of a family read as a formula
PARAMETER_LETTERS = frozenset(
    {"W", "U", "V", "w", "b", "theta", "Theta", "gamma", "beta", "epsilon", "varepsilon"}
)

# letters of weight matrices: a bias beside a product with one of them is the product's bias
# (shapes/rules_bias.py); with two indices (W_{ij}), one matrix per pair (a capsule layer)
MATRIX_WEIGHT_LETTERS = ("W", "U", "V", "Theta")

# the letter of a bias (shapes/rules_bias.py)
BIAS_LETTERS = ("b",)

# capital Greek letters that name weight matrices as a capital Latin letter does
# (shapes/rules_greek_weights.py)
GREEK_WEIGHT_LETTERS = frozenset({"Theta", "Phi", "Psi", "Omega"})

# Greek letters that name hyperparameters when nothing declares them otherwise: a small number
# for numerical stability, a step size, a weight of a penalty (\epsilon and \varepsilon are
# one letter)
CONSTANT_LETTERS = ("epsilon", "varepsilon", "eta", "lambda")

# Greek letters that name learned weights as often as numbers (a layer norm's gain and shift,
# a model's parameters): their shape comes from the equations, not from the letter alone
LEARNED_GREEK = frozenset({"gamma", "beta", "theta"})

# Greek letters that name numbers (never a function by themselves): before a parenthesised
# sum, a product (read/rules_greek_product.py)
NUMBER_GREEK = (
    "alpha",
    "beta",
    "gamma",
    "epsilon",
    "varepsilon",
    "eta",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "tau",
)

# letters that, subscripted and called, name an activation function rather than a learned map
ACTIVATION_LETTERS = ("sigma", "phi", "varphi")

# letters that subscript a value as an index rather than a label (h_i, h_j in GAT)
INDEX_LIKE = ("i", "j", "k", "u", "v")

# a bare sum over one of these letters (\sum_v h_v) runs over the nodes of a graph; over any
# other letter (\sum_i a_i, \sum_k e_k), over the entries of a vector
NODE_LETTERS = ("v", "u", "w")

# the letters papermath gives, in this order, the index of a sum the source writes out with
# dots (w_1 x_1 + \cdots + w_n x_n: \sum_i w_i x_i), the first the statement does not use
# (read/rules_dotted_terms.py)
DOTTED_SUM_INDEX_LETTERS = ("i", "j", "k", "m")

# the letters of a feed-forward block's input, whose width the prose may give
# (parse/ffn_widths.py)
FFN_INPUT_LETTERS = frozenset({"x", "h", "a"})


@dataclass(frozen=True)
class Convention:
    """One row of docs/notation.md's table of letter conventions."""

    name: str
    letters: tuple[str, ...]
    reading: str
    where: str


def _sorted(letters: frozenset[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(letters) if isinstance(letters, tuple) else tuple(sorted(letters))


CONVENTIONS: tuple[Convention, ...] = (
    Convention(
        "GREEK_LOWER",
        _sorted(GREEK_LOWER),
        "a lowercase Greek letter nothing declares is a scalar",
        "read/reader.py, shapes/",
    ),
    Convention(
        "PARAMETER_LETTERS",
        _sorted(PARAMETER_LETTERS),
        "an undefined symbol with one of these letters is a learned parameter (one per layer "
        "where it carries the step), never data added to a function's body",
        "system.py, read/rules_roles.py, parse/doubts.py, parse/member_formula.py",
    ),
    Convention(
        "MATRIX_WEIGHT_LETTERS",
        MATRIX_WEIGHT_LETTERS,
        "a weight matrix: a bias beside its product is the product's bias; with two indices "
        "(W_{ij}) one matrix per pair",
        "shapes/rules_bias.py, system.py",
    ),
    Convention("BIAS_LETTERS", BIAS_LETTERS, "a bias", "shapes/rules_bias.py"),
    Convention(
        "GREEK_WEIGHT_LETTERS",
        _sorted(GREEK_WEIGHT_LETTERS),
        "a capital Greek letter that names a weight matrix, as a capital Latin letter does",
        "shapes/rules_greek_weights.py",
    ),
    Convention(
        "CONSTANT_LETTERS",
        CONSTANT_LETTERS,
        "a hyperparameter (a small constant, a step size, a penalty's weight), not learned",
        "system.py",
    ),
    Convention(
        "LEARNED_GREEK",
        _sorted(LEARNED_GREEK),
        "a Greek letter that names learned weights as often as numbers: its shape comes from "
        "the equations",
        "shapes/rules_greek_terms.py",
    ),
    Convention(
        "NUMBER_GREEK",
        NUMBER_GREEK,
        "a number, never a function: before a parenthesised sum, a product",
        "read/rules_greek_product.py",
    ),
    Convention(
        "ACTIVATION_LETTERS",
        ACTIVATION_LETTERS,
        "subscripted and called (\\sigma_g(x)), an activation function, not a learned map",
        "read/functions.py",
    ),
    Convention(
        "DOTTED_SUM_INDEX_LETTERS",
        DOTTED_SUM_INDEX_LETTERS,
        "the index papermath names for a sum written out with dots, the first letter the "
        "statement does not use",
        "read/rules_dotted_terms.py",
    ),
    Convention(
        "INDEX_LIKE",
        INDEX_LIKE,
        "a subscript with one of these letters is an index (h_i), not a label",
        "read/reader.py",
    ),
    Convention(
        "NODE_LETTERS",
        NODE_LETTERS,
        "a bare sum over one of these letters runs over a graph's nodes",
        "read/reader.py",
    ),
    Convention(
        "FFN_INPUT_LETTERS",
        _sorted(FFN_INPUT_LETTERS),
        "the input of a feed-forward block whose width the prose gives",
        "parse/ffn_widths.py",
    ),
)

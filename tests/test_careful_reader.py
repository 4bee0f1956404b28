"""Inputs a careless reader gets wrong: each is read right (checked on the facts: shapes,
kinds, the reading shown) or refused with a caret at the right place. Never a silent misread.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

import papermath

D = "\n"


@dataclass(frozen=True)
class Read:
    """Read right: these shapes and kinds, and these readings shown (subject -> reading)."""

    source: str
    shapes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    readings: dict[str, str] = field(default_factory=dict)
    absent: tuple[str, ...] = ()  # keys that must not become symbols (e_x, a_b, ...)


@dataclass(frozen=True)
class Refused:
    """Refused: a PapermathError at this line and column whose message has these words."""

    source: str
    line: int
    column: int
    words: tuple[str, ...]


CASES: list[Read | Refused] = [
    # batch/layer norm: mu and sigma are scalars, the division is by a scalar
    Read(
        r"y = \frac{x - \mu}{\sigma}" + D + r"x \in \mathbb{R}^{n}",
        {"y": ("n",), "mu": (), "sigma": ()},
    ),
    # e^{x} is the exponential, not a new symbol e_x
    Read(r"y = e^{x}" + D + r"x \in \mathbb{R}^{n}", {"y": ("n",)}, {}, {"e^{x}": "exp"}, ("e_x",)),
    Read(r"y = \sigma(e^{-x})" + D + r"x \in \mathbb{R}^{n}", {"y": ("n",)}, absent=("e_x",)),
    # plain text (no LaTeX command anywhere): W' beside W is W transposed
    Read("y = W' x + W z\nx, z in R^m", {"W": ("m", "m")}, readings={"W'": "transpose"}),
    Read("y = W x'\nx' in R^m", {"x_prime": ("m",)}, absent=("x",)),
    # x' is a new variable (LaTeX's prime), not x
    Read(r"y = x' + x" + D + r"x' \in \mathbb{R}^{n}", {"x_prime": ("n",), "x": ("n",)}),
    Read(r"y = |x|" + D + r"x \in \mathbb{R}^{n}", {"y": ("n",)}, readings={"|x|": "abs"}),
    Read(r"y = 2x" + D + r"x \in \mathbb{R}^{n}", {"y": ("n",)}),
    Read(r"y = \log \sigma(x)" + D + r"x \in \mathbb{R}^{n}", {"y": ("n",)}),
    Read(r"y = f(x)^2" + D + r"x \in \mathbb{R}^{n}", kinds={"f": "function"}),
    # ^T is a transpose, also where T names a step in parentheses elsewhere
    Read(
        r"y = W^T h^{(T)}" + D + r"W \in \mathbb{R}^{n \times q}, h^{(T)} \in \mathbb{R}^{n}",
        {"y": ("q",)},
        {"T": "step_label"},
    ),
    Read(r"y = W^\top x" + D + r"x \in \mathbb{R}^{n}, y \in \mathbb{R}^{m}", {"W": ("n", "m")}),
    # a^{b} on a declared value: power, step or label? refused
    Refused(r"y = a^{b}" + D + r"a \in \mathbb{R}^{n}", 1, 8, ("power", "label")),
    Refused(r"y_t = h^j_t" + D + r"h_t \in \mathbb{R}^{n}", 1, 9, ("h_t is a value",)),
    # statistics of random variables are not computations
    Refused(r"y = \mathbb{E}[x]" + D + r"x \in \mathbb{R}^{n}", 1, 5, ("expectation",)),
    Refused(r"y = \mathrm{E}[x]" + D + r"x \in \mathbb{R}^{n}", 1, 5, ("expectation",)),
    Refused(r"y = \mathrm{Var}[x]" + D + r"x \in \mathbb{R}^{n}", 1, 5, ("variance",)),
    # I is the identity, a constant: never a learned N x N parameter (listed with its shape,
    # of its own kind)
    Read(
        r"y = (A + I) x" + D + r"A \in \mathbb{R}^{n \times n}",
        {"y": ("n",), "x": ("n",), "I": ("n", "n")},
        kinds={"I": "identity"},
        readings={"I": "identity matrix"},
    ),
    Read(
        r"y = I_N x" + D + r"x \in \mathbb{R}^{N}",
        {"y": ("N",), "I_N": ("N", "N")},
        kinds={"I_N": "identity"},
    ),
    # A^{-1} is an inverse (not A ** -1: read/rules_matrix.py), A^2 a matrix power
    Read(
        r"y = A^{-1} x" + D + r"A \in \mathbb{R}^{n \times n}",
        {"y": ("n",)},
        readings={"A^{-1}": "matrix inverse"},
    ),
    Refused(r"y = A^2 x" + D + r"A \in \mathbb{R}^{n \times n}", 1, 5, ("matrix power",)),
    Read(r"y = x^2" + D + r"x \in \mathbb{R}^{n}", {"y": ("n",)}),
    Read(r"y = \|x\|^2" + D + r"x \in \mathbb{R}^{n}", {"y": ()}),
    # gradients and update rules
    Refused(r"g = \nabla_\theta L", 1, 12, ("no equation uses",)),  # rules_gradient_updates
    Refused(r"\theta = \theta - \eta g", 1, 10, ("depends on itself",)),
    Refused(r"x \leftarrow x - \eta g", 1, 1, ("update in place",)),  # rules_updates
    Refused(r"y = p(a \mid b)", 1, 9, ("conditional probability",)),
    # entries with two indices, and index-like labels with nothing binding them
    Refused(r"y = \sum_j U_{i,j} x_j" + D + r"x \in \mathbb{R}^{n}", 1, 12, ("two indices",)),
    Refused(r"y = W_{ij} x_j", 1, 8, ("two indices",)),
    Refused(r"y = h_i + h_j" + D + r"h_i \in \mathbb{R}^{n}", 1, 11, ("h_i and h_j",)),
    Read(
        r"i_t = \sigma(W_{ii} x_t + W_{hi} h_{t-1})" + D + r"h_t = \tanh(i_t)",
        kinds={"W_ii": "parameter", "W_hi": "parameter"},
    ),
    # a neighbourhood sum of h into h itself, with no step: a loop, not an equation
    Refused(r"h_v = \sum_{u \in N(v)} h_u", 1, 25, ("depends on itself",)),
    Read(
        r"m_v = \sum_{u \in \mathcal{N}(v)} h_u" + D + r"h_u \in \mathbb{R}^{d}",
        {"m": ("d",), "h": ("d",)},
        readings={r"\sum_{u \in \mathcal{N}(v)} h_u": "sum over the neighbours of v"},
    ),
    # calligraphic heads are functions, not matrices
    Read(r"y = \mathcal{H}(x)" + D + r"x \in \mathbb{R}^{n}", kinds={"H": "function"}),
    Read(r"y = W (x + b)" + D + r"x \in \mathbb{R}^{n}", kinds={"W": "parameter"}),
    # a learnable function called twice shares its weights, and says so
    Read(
        r"y = \mathrm{Linear}(x) + \mathrm{Linear}(z)" + D + r"x, z \in \mathbb{R}^{n}",
        readings={r"\mathrm{Linear}": "Linear called again"},
    ),
    # \odot binds looser than juxtaposition: a (.) (W x)
    Read(
        r"y = a \odot W x" + D + r"x \in \mathbb{R}^{m}, a \in \mathbb{R}^{n}",
        {"W": ("n", "m"), "y": ("n",)},
    ),
    # a declared size used as a value is a number
    Read(
        r"y = \frac{x}{\sqrt{d}}" + D + r"x \in \mathbb{R}^{d}",
        {"y": ("d",)},
        readings={"d": "the size d"},
        absent=("d",),
    ),
    # beta^t with t a step: a power by the step number, not beta at step t
    Read(
        r"m_t = \beta^t m_{t-1}" + D + r"m_t \in \mathbb{R}^{n}",
        {"beta": (), "m": ("n",)},
        {"m": "state"},
        {"\\beta^t": "beta to the power t"},
    ),
    # ... unless beta is written at a step too: then ^t may be its value at step t
    Refused(
        r"m_t = \beta^t m_{t-1} + \beta_t x_t" + D + r"m_t \in \mathbb{R}^{n}",
        1,
        13,
        ("does not guess",),
    ),
    Read(
        r"h_v^{(k)} = \gamma^{(k)} h_v^{(k-1)}" + D + r"h_v^{(k)} \in \mathbb{R}^{d}",
        {"gamma": ()},
        {"gamma": "parameter"},
    ),
    # activation names
    Read(
        r"y = \sigma_h(W x)" + D + r"x \in \mathbb{R}^{n}, y \in \mathbb{R}^{m}", {"W": ("m", "n")}
    ),
    # an activation the source does not name: read elementwise (code asks which one)
    Read(
        r"y = \phi(W x)" + D + r"x \in \mathbb{R}^{n}",
        readings={r"\phi": "activation (unnamed)"},
        kinds={"y": "output", "W": "parameter"},
        absent=("phi",),
    ),
    Read(
        r"y = \sigma_y(W x)" + D + r"x \in \mathbb{R}^{n}",
        readings={r"\sigma_y": "activation (unnamed)"},
        absent=("sigma_y",),
    ),
    # exp of a matrix: elementwise, and said
    Read(
        r"y = \exp(A)" + D + r"A \in \mathbb{R}^{n \times n}",
        readings={r"\exp(A)": "elementwise exp"},
    ),
    # plain text
    Read(
        r"h_t = tanh(W_hh * h_t-1 + W_xh * x_t)" + D + "x_t in R^m, h_t in R^n",
        {"W_hh": ("n", "n"), "W_xh": ("n", "m")},
        readings={"h_t-1": "h at step t-1"},
    ),
    # the sum's scope is the whole product after it
    Read(
        r"h_g = \sum_{v \in V} a_v \odot b_v + c"
        + D
        + r"a_v \in \mathbb{R}^{n}, c \in \mathbb{R}^{n}",
        {"h_g": ("n",), "b": ("n",)},
    ),
    # a sum over i of something without i
    Refused(
        r"y = \sum_{i=1}^{n} x_i h" + D + r"x \in \mathbb{R}^{n}, h \in \mathbb{R}^{m}",
        1,
        24,
        ("no index i",),
    ),
    # a bias added to every row of a matrix product (X W + b), not a forced n = k
    Read(
        "% inputs: X\nh = X W + b" + D + r"X \in \mathbb{R}^{n \times m}, b \in \mathbb{R}^{k}",
        {"W": ("m", "k"), "h": ("n", "k")},
    ),
    # GAT's \| between two values in brackets concatenates; norms still read as norms
    Read(
        r"e = a^\top [W x \| W z]" + D + r"x, z \in \mathbb{R}^{F}",
        {"e": (), "a": ("2*d1",), "W": ("d1", "F")},
        readings={r"\|": "concatenation"},
    ),
    Read(r"y = 2 \|x\|^2" + D + r"x \in \mathbb{R}^{n}", {"y": ()}),
    # sizes written |V| and n'
    Read(r"y = W x" + D + r"x \in \mathbb{R}^{n}, y \in \mathbb{R}^{n'}", {"W": ("n'", "n")}),
    Read(r"h_g = \sum_{v \in V} h_v" + D + r"h_v \in \mathbb{R}^{|V|}", {"h_g": ("|V|",)}),
    # k = n is an answer, not an error
    Read(
        r"h_t = o_t \odot \tanh(C_t)" + D + r"o_t \in \mathbb{R}^{n}, C_t \in \mathbb{R}^{k}",
        {"C_t": ("n",)},
    ),
]


def _id(case: Read | Refused) -> str:
    return case.source.split("\n")[0][:40]


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_careful_reading(case: Read | Refused) -> None:
    if isinstance(case, Refused):
        with pytest.raises(papermath.PapermathError) as info:
            papermath.compile(case.source)
        err = info.value
        assert (err.line, err.column) == (case.line, case.column), err.render()
        for word in case.words:
            assert word in err.message, f"{word!r} not in {err.message!r}"
        assert "^" in err.render()
        return
    system = papermath.compile(case.source)
    for key, shape in case.shapes.items():
        assert system.shapes.get(key) == shape, (key, system.shapes)
    for key, kind in case.kinds.items():
        assert system.kinds.get(key) == kind, (key, system.kinds)
    shown = {(" ".join(r.subject.split()), r.reading) for r in system.readings}
    for subject, reading in case.readings.items():
        assert (subject, reading) in shown, (subject, reading, sorted(shown))
    for key in case.absent:
        assert key not in system.shapes and key not in system.kinds, (key, system.kinds)

"""Malformed and ambiguous input: each gives a PapermathError at the right line and column,
with a message that names the problem. Nothing else escapes (see test_fuzz.py)."""

from __future__ import annotations

import pytest

import papermath
from papermath.errors import DeclarationError, ParseError, ReadingError, ShapeError

D = "\n"
# (source, error class, line, column, words the message must contain)
BAD: list[tuple[str, type[papermath.PapermathError], int, int, tuple[str, ...]]] = [
    (r"h_t = W_{hh h_{t-1}", ParseError, 1, 9, ("{", "never closed")),
    (r"h_t = \tanh(W h_{t-1}", ParseError, 1, 12, ("(", "never closed")),
    (r"h_t = W h_{t-1})", ParseError, 1, 16, (")", "closes nothing")),
    (r"h_t = [a, b)", ParseError, 1, 12, (")", "does not match", "[")),
    (r"h_t = \foo(x_t)", ParseError, 1, 7, ("unknown command", r"\foo")),
    (r"h_t = \sigmoid(x_t)", ParseError, 1, 7, ("unknown command", r"\sigmoid")),
    ("h_{t-1", ParseError, 1, 3, ("{", "never closed")),
    ("= W x", ParseError, 1, 1, ("unexpected",)),
    ("h = ", ParseError, 1, 4, ("ends in the middle",)),
    ("", DeclarationError, 1, 1, ("no equation",)),
    ("   \n  ", DeclarationError, 1, 1, ("no equation",)),
    (r"x \in \mathbb{R}^{n}", DeclarationError, 1, 1, ("no equation",)),
    (
        r"h_t = W x_t" + D + r"x_t \in \mathbb{R}^{m}" + D + r"x_t \in \mathbb{R}^{k}",
        DeclarationError,
        3,
        1,
        ("declared twice", "(m)", "(k)"),
    ),
    (
        r"y = x_1 \odot x_2" + D + r"x_1 \in \mathbb{R}^{n}, x_2 \in \mathbb{R}^{m}",
        ShapeError,
        1,
        5,
        ("Hadamard", "(n)", "(m)"),
    ),
    (
        r"y = W x" + D + r"W \in \mathbb{R}^{3 \times 4}, x \in \mathbb{R}^{5}",
        ShapeError,
        1,
        5,
        ("(3, 4)", "(5)"),
    ),
    ("y = a b", ShapeError, 1, 5, ("cannot decide", "a b")),
    ("h_t = x_t + h_{t+1}" + D + "h_t = x_t", ReadingError, 2, 1, ("defined twice",)),
    ("h_{t-1} = x_t", ReadingError, 1, 1, ("step t", "t-1")),
    ("y = x^{abc+}", ParseError, 1, 12, ("unexpected",)),
    (r"y = \sum_{i=0}^{n} x_i", ReadingError, 1, 11, ("range",)),
    (r"y = \sum x_v", ReadingError, 1, 5, ("ranges over",)),
    (r"y = \prod_{v \in V} x_v", ReadingError, 1, 5, (r"\prod",)),
    (r"h_g = x_v + \sum_{v \in V} x_v", ReadingError, 1, 7, ("per node v", "h_g")),
    (r"y = \tanh", ReadingError, 1, 5, ("tanh", "argument")),
    (r"y = \max(a)", ReadingError, 1, 5, ("2 arguments",)),
    (r"y = x \otimes z", ReadingError, 1, 7, (r"\otimes", "Hadamard")),
    (r"y = x \oplus z", ShapeError, 1, 7, (r"\oplus",)),
    (
        r"y = \begin{bmatrix} a & b \\ c & d \end{bmatrix} x",
        ReadingError,
        1,
        5,
        ("block matrices",),
    ),
    (r"y = W x \in \mathbb{R}^{0}", DeclarationError, 1, 13, ("at least 1",)),
    (r"y = x \in \mathbb{Q}^{n}", ReadingError, 1, 11, ("space",)),
    # a claim about a part of an equation (an expression alone is read: rules_expression_claims)
    (r"x + y \in \mathbb{R}^{n}" + D + "z = x + y", ReadingError, 1, 1, ("only a symbol",)),
    (r"y = W x" + D + r"x \in \mathbb{R}^{n+}", ParseError, 2, 21, ("unexpected",)),
    (r"y = \left( x \right", ParseError, 1, 10, ("(", "never closed")),
    ("y = x }", ParseError, 1, 7, ("}", "closes nothing")),
    ("y = {x", ParseError, 1, 5, ("{", "never closed")),
    ("$y = W x", ParseError, 1, 1, ("$ is never closed",)),  # at the $ (parse/open_math.py)
    ("$$ y = W x $", ParseError, 1, 12, ("unexpected", "$")),
    (r"\begin{align} y &= W x", ParseError, 1, 1, (r"\begin{align}", "never closed")),
    (r"\begin{align} y &= W x \end{equation}", ParseError, 1, 24, ("does not match",)),
    ("y = x_", ParseError, 1, 6, ("missing after _ or ^",)),
    ("y = x^", ParseError, 1, 6, ("missing after _ or ^",)),
    (r"y = \frac{a}", ParseError, 1, 13, ("ends in the middle",)),
    ("y = x @ z", ParseError, 1, 7, ("'@'",)),
    ("y = x # z", ParseError, 1, 7, ("'#'",)),
    (r"y = W x \\ z = ", ParseError, 1, 15, ("ends in the middle",)),
    ("y = f(a, b) + f(a)", ReadingError, 1, 15, ("1 arguments", "2 elsewhere")),
    (r"y = \|x", ParseError, 1, 5, (r"\|", "never closed")),
    (
        r"y = x \cdot z" + D + r"x \in \mathbb{R}^{n}, z \in \mathbb{R}^{m}",
        ShapeError,
        1,
        5,
        ("no product fits", "(n)", "(m)"),
    ),
    ("% papermath: W is wizard" + D + "y = W x", ReadingError, 1, 3, ("directive",)),
    (
        "y_v = x_{v-1}" + D + r"y = \sum_{v \in V} y_v",
        ReadingError,
        2,
        11,
        ("step index", "node index"),
    ),
    (
        r"h = W x + b" + D + r"x \in \mathbb{R}^{D \times N}, W \in \mathbb{R}^{H \times D}, "
        r"b \in \mathbb{R}^{K}",
        ShapeError,
        1,
        5,
        ("(H, N)", "(K)"),
    ),
    (
        r"h_t = o_t \odot \tanh(C_t)"
        + D
        + r"o_t \in \mathbb{R}^{n}"
        + D
        + r"C_t \in \mathbb{R}^{k}",
        ShapeError,
        1,
        7,
        ("(n)", "(k)"),
    ),
    (r"y = \mathbb{R}", ReadingError, 1, 5, ("cannot read",)),
    (r"y = \{1, 2\}", ReadingError, 1, 5, ("cannot read",)),
    (r"y = x \\in \mathbb{R}^{n}", ParseError, 1, 26, ("ends in the middle",)),
    (r"y = W x" + D + r"x \in \mathbb{R}^{2.5}", DeclarationError, 2, 19, ("2.5", "size")),
    (r"y = W x \in \mathbb{R}^{n}" + D + r"y = W z", ReadingError, 2, 1, ("defined twice",)),
    (r"\tilde{h}_t = h_{t-1}^{(2)}", ReadingError, 1, 24, ("step",)),
    # found by fuzzing the later stages (code generation ran on these before they were errors)
    (r"h_t = \tanh(W h_{t-1} + U t)", ReadingError, 1, 27, ("step index", "value")),
    (r"h_t = h_{t-1} + y_{s-1}", ReadingError, 1, 20, ("both step indices",)),
    (r"h_g = \sum_{v \in V} b", ReadingError, 1, 7, ("nothing in this sum",)),
    (r"h_g = \sum_{v \in V} \sum_{v \in V} x_v", ReadingError, 1, 7, ("inside a sum",)),
    (r"y = x_{0.5}", ReadingError, 1, 8, ("subscript",)),
    (r"h_G = h + \sum_{v \in V} h_v", ReadingError, 1, 7, ("per node", "no node index")),
    ("y = W x" + D + "% papermath: z is input", ReadingError, 2, 3, ("not a symbol",)),
    (r"\newcommand{\loop}{\loop} y = \loop", ParseError, 1, 31, ("keeps expanding",)),
    (r"\newcommand{\f}[2]{#1 #2} y = \f{a}", ParseError, 1, 35, ("argument is missing",)),
    (r"\newcommand{\f}[x]{a} y = \f", ParseError, 1, 16, ("number of arguments",)),
    # a definition without its backslash is left out unless it is used
    (r"\newcommand{sq}[1]{#1^2} y = \sq{x}", ParseError, 1, 1, ("macro name `sq`",)),
]


@pytest.mark.parametrize(
    ("source", "kind", "line", "column", "words"), BAD, ids=[f"bad{i}" for i in range(len(BAD))]
)
def test_bad_input(
    source: str,
    kind: type[papermath.PapermathError],
    line: int,
    column: int,
    words: tuple[str, ...],
) -> None:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source, strict=True)  # strict: declared sizes forced equal are errors
    err = info.value
    assert isinstance(err, kind), err.render()
    assert (err.line, err.column) == (line, column), err.render()
    for word in words:
        assert word in err.message, f"{word!r} not in {err.message!r}"
    rendered = err.render()
    assert f":{line}:{column}:" in rendered
    assert "^" in rendered  # a caret under the span


def test_table_is_large_enough() -> None:
    assert len(BAD) >= 40


def test_clash_names_the_declaration_that_fixed_the_other_shape() -> None:
    src = (
        r"h_t = o_t \odot \tanh(C_t)"
        + D
        + r"o_t \in \mathbb{R}^{n}"
        + D
        + r"C_t \in \mathbb{R}^{k}"
    )
    with pytest.raises(ShapeError) as info:
        papermath.compile(src, strict=True)
    notes = {n.message for n in info.value.notes}
    lines = {info.value.source.line_col(n.span.start)[0] for n in info.value.notes if n.span}
    assert lines == {2, 3}, notes
    assert info.value.hint


@pytest.mark.parametrize(
    ("source", "size", "value", "line"),
    [
        (r"y = x_1 \odot x_2" + D + r"x_1 \in \mathbb{R}^{n}, x_2 \in \mathbb{R}^{m}", "m", "n", 1),
        (r"y = x \cdot z" + D + r"x \in \mathbb{R}^{n}, z \in \mathbb{R}^{m}", "m", "n", 1),
        (
            r"f_t = \sigma(W_f [h_{t-1}, x_t] + b_f)"
            + D
            + r"C_t = f_t \odot C_{t-1}"
            + D
            + r"h_t = o_t \odot \tanh(C_t)"
            + D
            + r"W_f \in \mathbb{R}^{k \times (m+n)}, h_{t-1} \in \mathbb{R}^n, "
            + r"x_t \in \mathbb{R}^m",
            "k",
            "n",
            3,
        ),
    ],
)
def test_declared_sizes_forced_equal_are_solved(
    source: str, size: str, value: str, line: int
) -> None:
    """Without strict, two declared sizes the equations force equal are an answer (the seed
    Q&A asked whether k = n), with the equation that forces it; strict makes it an error."""
    system = papermath.compile(source)
    assert system.solved == {size: value}
    assert system.source.line_col(system.solved_by[size].start)[0] == line
    with pytest.raises(ShapeError) as info:
        papermath.compile(source, strict=True)
    assert info.value.line == line


def test_dims_that_contradict_the_equations() -> None:
    src = r"""
y_{out} = w z \in \mathbb{R}^{D_y \times N}
w \in \mathbb{R}^{1 \times k}, z \in \mathbb{R}^{k \times N}
"""
    assert papermath.compile(src, {"D_y": 1}).shapes["y_out"] == ("1", "N")
    with pytest.raises(DeclarationError) as info:
        papermath.compile(src, {"D_y": 2})
    assert "D_y" in info.value.message and "1" in info.value.message


def test_dims_must_be_positive_integers() -> None:
    with pytest.raises(DeclarationError):
        papermath.compile("y = W x", {"n": 0})


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("y = " + "(" * 1000 + "x" + ")" * 1000, ("nested more than 100",)),
        ("y = " + " + ".join(f"x_{{{i}}}" for i in range(2000)), ("longer than 2000",)),
        ("y = W x + b\n" * 90_000, ("1,080,000 characters",)),
    ],
    ids=["1000-deep nesting", "2000-term sum", "1 MB source"],
)
def test_limits_are_errors_not_tracebacks(source: str, words: tuple[str, ...]) -> None:
    """Inputs past the documented limits (docs/notation.md) end in a PapermathError with a
    caret, at the command line with exit status 2 and no traceback (their time is printed by
    benchmarks/bench_compile.py, not asserted here)."""
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    for word in words:
        assert word in info.value.message
    assert "^" in info.value.render()
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "papermath", "shapes", "-"],
        input=source,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_just_under_the_limits_reads() -> None:
    """The limits leave room: 100-deep nesting and a 300-term sum read, through every stage."""
    from papermath.diagram import to_dot
    from papermath.explain import explain

    for source in (
        "y = " + r"\tanh(" * 99 + "x" + ")" * 99 + "\nx \\in \\mathbb{R}^{n}",
        "y = " + " + ".join(f"x_{{{i}}}" for i in range(300)) + "\nx_{0} \\in \\mathbb{R}^{n}",
    ):
        system = papermath.compile(source)
        system.numpy_source({"n": 2})
        system.torch_source({"n": 2})
        explain(system)
        to_dot(system)


def test_recurrence_without_steps_to_count_is_refused() -> None:
    """Found by a long fuzz run: a step index with nothing per step (no x_t, no W^{(l)})."""
    system = papermath.compile(
        "\\epsilon \\sim \\mathcal{N}(0, I)\nz = \\mu + \\sigma_{t-1} \\odot \\epsilon\n"
        "\\mu \\in \\mathbb{R}^{d}"
    )
    with pytest.raises(ReadingError) as info:
        system.torch_source({"d": 2})
    assert "needs an input at every step" in info.value.message and info.value.line == 2


def test_a_malformed_macro_nothing_uses_does_not_stop_the_reading() -> None:
    """The course notes define \\newcommand{argmax} (no backslash) and never use it."""
    system = papermath.compile("\\newcommand{argmax}[1]{\\underset{#1}{x}}\ny = W x")
    assert set(system.shapes) == {"y", "W", "x"}

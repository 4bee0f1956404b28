r"""The normalisation stage (src/papermath/parse/normalize.py): presentation out, every
character where it was. Each rule has a real example that now reads, and carets after a
normalised construct point at the original line and column."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import papermath
from papermath.errors import PapermathError, ParseError
from papermath.parse.normalize import normalize

WILD = Path(__file__).parent / "wild" / "cases"


def wild(name: str) -> str:
    text: str = tomllib.loads((WILD / f"{name}.toml").read_text())["latex"]
    return text


# (rule, source that now reads, a key it must have)
READS = [
    ("\\color", r"h = {\color{red} W} x", "W"),
    ("\\textcolor", r"h = \textcolor{red}{W x} + b", "b"),
    ("\\colorbox", r"h = \colorbox{yellow}{W} x", "W"),
    ("\\boxed equation", r"\boxed{h = \tanh(W x + b)}", "h"),
    ("\\boxed group", r"h = \boxed{W + U} x", "U"),
    ("size", r"\Huge h = \large W x", "W"),
    ("\\mathop", r"h = \mathop{\mathrm{tanh}}(W x)", "W"),
    ("\\vphantom", r"h = W x\vphantom{\frac{1}{2}} + b", "b"),
    ("\\phantom", r"h = W x + \phantom{0} b", "b"),
    ("\\underbrace", r"y = \underbrace{W x}_{\text{logits}} + b", "W"),
    ("\\overbrace", r"y = \overbrace{W x + b}^{\text{affine}}", "b"),
    ("\\_", r"h\_t = W x\_t + U h\_{t-1}", "U"),
    ("\\vert", r"n = \vert x \vert", "n"),
    ("\\mathtt", r"h = \mathtt{tanh}(W x)", "h"),
    ("\\tag", r"h = W x \tag{1}", "h"),
    ("\\text{where}", r"h = W x \text{where} x \in \mathbb{R}^3", "x"),
    ("\\text{ and }", r"h = W x \text{ and } y = V h", "y"),
    ("```math fence", "Formula:\n```math\nh = W x\n```\n", "h"),
    # CS231n writes inline math as $$...$$ inside its prose (tests/wild cs231n_vanilla_rnn)
    ("$$ inline", wild("cs231n_vanilla_rnn"), "W_hh"),
    # a newline inside aligned is a space; \\ ends the row (tests/wild mlx_lstm's layout)
    (
        "aligned line break",
        "\\begin{aligned}\nh_t &= \\tanh(W x_t\n + U h_{t-1}) \\\\\ny_t &= V h_t\n\\end{aligned}",
        "U",
    ),
    # plain prose around the math, naming no symbol, is skipped
    ("plain prose", "The implementation is based on the paper.\nh = W x\n", "h"),
]


@pytest.mark.parametrize(("rule", "source", "key"), READS, ids=[r[0] for r in READS])
def test_rule_reads(rule: str, source: str, key: str) -> None:
    system = papermath.compile(source)
    assert key in system.shapes


@pytest.mark.parametrize("source", [r[1] for r in READS], ids=[r[0] for r in READS])
def test_positions_are_kept(source: str) -> None:
    norm = normalize(source)
    assert len(norm.text) == len(source)
    assert [i for i, c in enumerate(norm.text) if c == "\n"] == [
        i for i, c in enumerate(source) if c == "\n"
    ]
    for region in norm.regions:
        assert len(region.text) == len(source)


def test_mathematics_is_kept_exactly() -> None:
    assert normalize(r"\underbrace{W x}_{\text{logits}}").text.split() == ["{W", "x}"]
    assert normalize(r"\textcolor{red}{W x}").text.split() == ["{W", "x}"]
    assert normalize(r"\boxed{h = W x}").text.split() == ["h", "=", "W", "x"]
    assert normalize(r"\mathtt{x}").text == r"\mathrm{x}"
    assert normalize(r"a \vert b").text == "a |     b"


# (source, line, column, text under the caret): an error after a normalised construct
CARETS = [
    ("h = \\textcolor{red}{W x} + \\foo", 1, 28, "\\foo"),
    ("\\Huge y = \\underbrace{W x}_{\\text{logits}} + \\foo b", 1, 46, "\\foo"),
    ("h = \\boxed{W x}\ny = \\color{blue} V h + \\foo", 2, 24, "\\foo"),
    ("\\begin{aligned}\nh &= W x\n + U \\foo\n\\end{aligned}", 3, 6, "\\foo"),
    ("see $$x$$ here\n$$h = \\foo$$", 2, 7, "\\foo"),
]


@pytest.mark.parametrize(("source", "line", "column", "under"), CARETS)
def test_caret_points_at_the_original_text(source: str, line: int, column: int, under: str) -> None:
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert (err.line, err.column) == (line, column), str(err)
    assert err.span is not None
    assert source[err.span.start : err.span.end].startswith(under)


def test_missing_row_break_in_an_array_is_refused() -> None:
    # tests/wild mxnet_rnn_op_lstmp_missing_break: two rows without \\ are one row
    source = "\\begin{array}{ll}\nh_t = o_t * \\tanh(c_t)\nr_t = W_{hr} h_t\n\\end{array}"
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    assert info.value.line == 3


def test_rst_docstrings_are_read() -> None:
    # tests/wild pytorch2017_gru: a `.. math::` block with :math: roles in the prose
    source = wild("pytorch2017_gru")
    norm = normalize(source)
    assert ":math:" not in norm.text and ".. math::" not in norm.text
    assert any(not r.mixed for r in norm.regions)  # the .. math:: block is display math
    system = papermath.compile(source)
    assert system.kinds["h"] == "state" and system.kinds["x"] == "input"


def test_a_role_on_an_operator_alone_is_prose() -> None:
    # tests/wild haiku_conv2dlstm: "where :math:`*` denotes the convolution operator"
    text = "where :math:`*` denotes the convolution, and $\\odot$ the Hadamard product"
    norm = normalize(text)
    assert "*" not in norm.text and "odot" not in norm.text
    assert len(norm.text) == len(text)
    assert normalize("$a * b$").text == "$a * b$"  # an operator with operands stays


def test_role_becomes_inline_math_in_place() -> None:
    text = r"where :math:`x \in R^n` is"
    assert normalize(text).text == r"where       $x \in R^n$ is"


def test_prose_that_names_a_symbol_is_not_skipped() -> None:
    # "where x is the input": what prose says of a symbol is not dropped silently
    with pytest.raises(PapermathError):
        papermath.compile("h = W x\nwhere x is the input of the layer\n")


@pytest.mark.parametrize(
    "bad",
    [
        "h = W x\x00",
        "h = \\boxed{W\x07 x}",
        "h = \\color{\x00} x",
        "The implementation is based on \x00 the paper.\nh = W x",
        "h = \\tag{\u202e} W x",
    ],
)
def test_control_characters_are_still_refused(bad: str) -> None:
    with pytest.raises(PapermathError):
        papermath.compile(bad)


# ---- issue 24, the wild corpus's presentation --------------------------------------------

# (rule, source that now reads, a key it must have)
READS_WILD = [
    # Jianshu's formulas are the alt text of images from a formula renderer
    (
        "formula image",
        "Loss:\n\n![h = W x](https://math.jianshu.com/math?formula=h%20%3D%20W%20x)\n",
        "W",
    ),
    # a code block of another language, and an address, are not mathematics
    ("code fence", "```java\nclass Loss(margin=1.0)\n```\n$$h = W x$$\n", "h"),
    ("url", "See (https://arxiv.org/abs/1402.1128)\n$$h = W x$$", "W"),
    # Keras' docstrings open with triple quotes
    ("docstring quotes", '    """\n    h = W x\n    """', "h"),
    # d2l: "(number of examples $=n$)" says a size in prose; `$A, B$ are` mentions values
    ("$=n$", "(number of examples $=n$) $$h = W x$$ where $x \\in \\mathbb{R}^{n}$", "x"),
    ("mention list", "where $W, b$ are parameters: $$h = W x + b$$", "b"),
    # plain TeX's {\rm margin}; Haiku's \d{outputs}; d2l's \overrightarrow{H}
    ("{\\rm word}", "y = x + {\\rm margin}", "y"),
    ("\\d{word}", "\\d{outputs} = \\d{scale} + x", "x"),
    ("\\overrightarrow", "\\overrightarrow{h} = W x", "W"),
    # "The shapes ... should be $(N, D)$": a tuple in prose; d2l's "($i = 1, \\ldots, h$)"
    ("tuple mention", "shapes $(N, D)$ and $$h = W x$$", "h"),
    ("index range", "each head ($i = 1, \\ldots, h$) $$y = W x$$", "y"),
]


@pytest.mark.parametrize(("rule", "source", "key"), READS_WILD, ids=[r[0] for r in READS_WILD])
def test_wild_presentation_reads(rule: str, source: str, key: str) -> None:
    system = papermath.compile(source)
    assert key in system.shapes
    assert len(normalize(source).text) == len(source)


def test_formula_image_becomes_inline_math_in_place() -> None:
    text = "![y = x](https://math.jianshu.com/math?formula=y%3Dx) end"
    norm = normalize(text).text
    assert norm.startswith(" $y = x$") and norm.endswith(" end")
    assert len(norm) == len(text)
    # an image that is not a formula stays as it was (and is refused where it is read)
    assert normalize("![a photo](https://example.com/cat.png)").text.startswith("![")


def test_a_formula_written_as_code_is_read_as_code() -> None:
    # tests/wild keras_*: the formula is Python in a ```python fence (parse/code.py reads it;
    # tests/test_code_formulas.py has the rest)
    source = '    """Computes the loss.\n\n    ```python\n    loss = mean(x ** 2)\n    ```\n'
    system = papermath.compile(source)
    assert len(system.shapes["x"]) == 1 and system.shapes["loss"] == ()


def test_code_beside_latex_is_only_blanked() -> None:
    source = "Use `f(x) = x ** 2` in code.\n\n$$h = W x$$"
    assert "W" in papermath.compile(source).shapes


@pytest.mark.parametrize(
    ("source", "under", "hint"),
    [
        # Spektral's site macros: \X is not LaTeX
        ("h = \\X W", "\\X", "\\newcommand{\\X}{\\mathbf{X}}"),
        # a Unicode arrow typed for \to (under a sum: the sum over the neighbours, issue 24 GB)
        ("e = x_{j→v}", "→", "\\to"),
        ("h = \\sum_{j→v} x_j", "→", "\\sum_{j \\in \\mathcal{N}(v)}"),
    ],
)
def test_refusals_say_what_to_write(source: str, under: str, hint: str) -> None:
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == under
    assert err.hint is not None and hint in err.hint


def test_a_bar_between_subscript_indices_separates_them() -> None:
    # tests/wild notes_capsnet_*: \hat{u}_{j|i}, one prediction per pair (j, i), as u_{j,i}
    with pytest.raises(PapermathError) as info:
        papermath.compile("s_j = \\sum_i c_{ij} \\hat{u}_{j|i}")
    assert "does not match" not in info.value.message  # no longer an absolute value
    assert "two indices" in info.value.message  # read as the entries u_{j,i} (not read yet)
    assert papermath.compile("y = |x|\nx \\in \\mathbb{R}^{n}").shapes["y"] == ("n",)


def test_max_over_a_braced_pair_is_max_of_two() -> None:
    # PyTorch's triplet loss writes \max \{a, b\}
    system = papermath.compile("y = \\max \\{x, 0\\}\nx \\in \\mathbb{R}^{n}")
    assert system.shapes["y"] == ("n",)


# ---- a newline inside display math -------------------------------------------------------


def test_an_equation_broken_across_lines_of_display_math_is_one_equation() -> None:
    # tests/wild labml_layer_norm, labml_aft: $$ ... $$ over several lines is one equation
    system = papermath.compile("$$y = W x\n  + b$$ where $x \\in \\mathbb{R}^{n}$")
    assert system.shapes["b"] == system.shapes["y"]
    system = papermath.compile("\\[h = \\tanh(W x\n + U z)\\]")
    assert "U" in system.shapes
    # RST: LaTeX lines beside the prose (PyG's docstrings), a paragraph one equation
    system = papermath.compile("h = W x\n+ U z\n\nwhere :math:`z` is the context.\n")
    assert system.shapes["U"][0] == system.shapes["h"][0]


def test_lines_that_are_separate_equations_stay_separate() -> None:
    # each line a complete equation, no \\ between them (as people type $$ blocks)
    system = papermath.compile("$$a = W x\nb = V a$$")
    assert {"a", "b"} <= set(system.shapes)
    # a blank line ends the equation: `+ b` after it is not read into y
    with pytest.raises(ParseError) as info:
        papermath.compile("$$y = W x\n\n+ b$$")
    assert info.value.line == 3
    # \\ ends the row
    assert {"a", "b"} <= set(papermath.compile("$$a = W x \\\\\nb = V a$$").shapes)


def test_display_continuations_are_positions_of_newlines() -> None:
    from papermath.parse.normalize import _display_continuations

    text = "$$y = W x\n + b$$ and $$a = 1\nb = 2$$ and $$c = d\n= e$$"
    soft = _display_continuations(text)
    assert all(text[i] == "\n" for i in soft)
    assert sorted(text[:i].count("\n") + 1 for i in soft) == [1, 3]  # not the a = 1 / b = 2 one


@pytest.mark.parametrize(
    ("source", "under", "words"),
    [
        # (PyG's GAT's \mathcal{N}(i) \cup \{ i \} reads now: tests/test_graph_sets.py)
        # Jianshu's hinge embedding loss: said in words, not "did you mean \begin?"
        # (one label's values, y = 1 / y = -1, read: rule cases-label, test below); two labels not
        (r"l = \begin{cases} x & y = 1 \\ 0 & z = -1 \end{cases}", "\\begin{cases}", "cases"),
        (r"y = \begin{foo} x \end{foo}", "\\begin{foo}", "environment foo"),
        # rows written in part (d2l's stacked heads, one column, read: parse/vdots_stack.py)
        (
            r"y = \begin{bmatrix} a_1 & b_1 \\ \vdots & \vdots \\ a_n & b_n \end{bmatrix} x",
            "\\vdots",
            "rows left out",
        ),
        # arrows are not equations (NYU's squiggly "leads to" reads: tests/test_s9_GRAPH4.py)
        (r"x \to H = f(U X)", "\\to", "arrow"),
    ],
)
def test_known_commands_not_read_are_said_in_words(source: str, under: str, words: str) -> None:
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == under
    assert words in err.message and err.hint and "did you mean" not in err.hint


def test_cases_on_one_labels_values_read() -> None:
    system = papermath.compile(r"l = \begin{cases} x & y = 1 \\ 0 & y = -1 \end{cases}")
    assert system.shapes["l"] == system.shapes["x"] == system.shapes["y"]
    assert system.kinds["y"] == "target"
    assert any(r.reading == "definition by cases on a label's value" for r in system.readings)


def test_docstring_layout_reads() -> None:
    # Haiku's GRU: r_t \bigodot h_{t-1} is the Hadamard product, set large
    system = papermath.compile("a = r \\bigodot h\nr \\in \\mathbb{R}^{n}, h \\in \\mathbb{R}^{n}")
    assert system.shapes["a"] == ("n",)
    # MXNet's operator docs: a bold title, numpydoc parameters around the math
    source = (
        "**GRU**\n\n.. math::\n\n   h_t = \\tanh(W x_t + U h_{t-1})\n\n"
        "Parameters\n----------\n\nhidden_size : int\n    Number of units.\n"
    )
    assert papermath.compile(source).kinds["h"] == "state"
    # CS231n's markdown escapes the math delimiters: \\( ... \\)
    source = "we compute \\\\( s = W x \\\\). Here, \\\\(W\\\\) could be a matrix."
    assert "W" in papermath.compile(source).shapes
    # RST: a fragment of inline math that begins with \in is prose
    source = "h = W x\n\nwhere each type :math:`\\in \\{ 0, \\ldots, R \\}` is given."
    assert "W" in papermath.compile(source).shapes


def test_a_formula_as_code_beside_prose_with_an_equals_sign() -> None:
    # Keras' hinge: "with shape = `[batch_size, d0]`" in the Args, the formula in a fence
    source = (
        '    """Computes the hinge loss.\n\n    ```python\n    loss = mean(maximum(1 - y, 0))\n'
        "    ```\n\n    Args:\n        y_true: The values with shape = `[batch_size, d0]`.\n"
    )
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    assert "shape of y_true" in info.value.message and info.value.line == 8


def test_remarks_and_python_around_the_math() -> None:
    # a notes page names each row: \quad \text{(Forget gate)}
    source = "\\begin{align}\nf_t &= \\sigma(W_f x_t) \\quad \\text{(Forget gate)} \\\\\n"
    source += "h_t &= f_t \\odot h_{t-1} \\quad \\text{(Hidden state)}\n\\end{align}"
    assert papermath.compile(source).kinds["h"] == "state"
    # PyTorch's docstring starts with its class line
    source = 'class Loss(_Loss):\n    r"""The loss.\n\n    .. math::\n\n        y = W x\n'
    assert "W" in papermath.compile(source).shapes


def test_an_end_with_no_begin_says_it_is_missing() -> None:
    # tests/wild annotated_s4_mass_spring: the copied range starts inside the environment
    with pytest.raises(ParseError) as info:
        papermath.compile("y = W x\n\\end{aligned}")
    assert info.value.hint is not None and "\\begin{aligned}" in info.value.hint


def test_dollars_pair_in_order() -> None:
    # "$l$" then "- $\\sigma$": the $ closing one and the $ opening the next are not "$-$"
    source = "$$h = W x$$\n- $H \\in \\mathbb{R}^{n}$ at layer $l$\n- $\\sigma$ is a function"
    assert papermath.compile(source).shapes["H"] == ("n",)


def test_more_presentation_of_the_wild() -> None:
    # DGL's TAGConv: {\sum}_{k=0}^K, braces around the operator alone
    assert normalize(r"H = {\sum}_{k} x_k").text == r"H =  \sum _{k} x_k"
    # optax: "for $t > 0$, we have": a condition in prose, not read
    assert "W" in papermath.compile("for $t > 0$, we have $h = W x$").shapes
    # CS231n's markdown holds HTML
    assert "W" in papermath.compile('<div class="fig">\n\n$$h = W x$$\n\n</div>').shapes
    # capsules' margins m^{+}, m^-: parsed; the reader says what it cannot read, at the +
    with pytest.raises(PapermathError) as info:
        papermath.compile("L = \\max(0, m^{+} - x)\nx \\in \\mathbb{R}")
    assert info.value.span is not None and info.value.column == 16


def test_prose_that_says_what_symbols_are_is_refused_as_prose() -> None:
    # tests/wild flax_simplecell: plain text, the prose line names x and h
    source = "h' = \\tanh(W_i x + b_i + W_h h)\n\nwhere x is the input and h is the output.\n"
    source = source.replace("h' = ", "y = ")
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert "prose" in err.message and (err.line, err.column) == (3, 1)
    assert err.hint is not None and "% inputs" in err.hint


@pytest.mark.parametrize(
    ("source", "under"),
    [
        # bentrevett's seq2seq: (h_t^1, c_t^1) &= \text{EncoderLSTM}^1(...)
        ("\\begin{aligned}\n(h_t, c_t) &= f(x_t, h_{t-1})\n\\end{aligned}", "(h_t, c_t)"),
        # labml's fast weights with a third value: two names, three values (as many of
        # each is read, one equation per pair: parse/tuple_pairs.py, tests/test_tuple_pairs_outer)
        ("a^{(i)}, b^{(i)} = W_a x^{(i)}, W_b x^{(i)}, W_c x^{(i)}", "a^{(i)}, b^{(i)}"),
    ],
)
def test_a_tuple_on_the_left_side_is_said(source: str, under: str) -> None:
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert "tuple on the left side" in err.message
    assert err.span is not None and source[err.span.start : err.span.end] == under


def test_a_function_named_with_a_placeholder_is_prose() -> None:
    # Lil'Log's ACT: "the same state transition function $$\mathcal{S}(.)$$"
    assert "W" in papermath.compile("where $\\sigma(\\cdot)$ is applied: $$h = W x$$").shapes
    assert "W" in papermath.compile("a function $\\mathcal{S}(.)$ and $$h = W x$$").shapes


def test_a_known_command_out_of_place_is_not_called_unknown() -> None:
    with pytest.raises(ParseError) as info:
        papermath.compile("h = \\odot x")
    assert "unknown" not in info.value.message and "\\odot" in info.value.message
    assert info.value.column == 5


def test_a_matrix_row_of_many_commands_is_scanned_in_one_pass() -> None:
    # a mutated corpus case (tests/test_fuzz.py) hung the parser: the vdots column's row
    # pattern split a command's letters two ways, exponentially many, on \abcdefgh\abcdefgh...
    # (8 commands took 4 s, 30 would take hours); possessive now, it reads and rewrites nothing
    from papermath.parse import vdots_stack

    text = "\\begin{bmatrix}" + "\\abcdefgh" * 30 + "&"
    out = list(text)
    vdots_stack.rewrite(text, out)
    assert "".join(out) == text

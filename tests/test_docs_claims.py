"""The tables of docs/notation.md, checked: every spelling there reads as the docs say."""

from __future__ import annotations

import pytest

import papermath

KEYS = [
    (r"y = W_{f} x", "W_f"),
    (r"y = W_{xi} x", "W_xi"),
    (r"y_{\text{out}} = W x", "y_out"),
    (r"y = W^z x", "W_z"),
    (r"y = \widetilde{C} x", "C_tilde"),
    (r"\hat{y} = W x", "y_hat"),
    (r"y = W \overline{x}", "x_bar"),
    (r"y = W x'", "x_prime"),
    (r"y = W x^*", "x_star"),
    (r"y = \bm{W} \vec x", "W"),
    (r"y = \mathrm{W} x", "W"),
    (r"\mathcal{L} = \|x\|^2", "L"),
    (r"y = \ell x", "ell"),
]


@pytest.mark.parametrize(("latex", "key"), KEYS)
def test_keys(latex: str, key: str) -> None:
    assert key in papermath.compile(latex).shapes


SPACES = [
    (r"\mathbb{R}^{m}", ("m",)),
    (r"\mathbb R^m", ("m",)),
    (r"R^{m}", ("m",)),
    (r"\mathbf{R}^m", ("m",)),
    (r"\mathbb{R}^{m \times n}", ("m", "n")),
    (r"\mathbb R^{m, n}", ("m", "n")),
    (r"R^{m x n}", ("m", "n")),
    (r"R^{m*n}", ("m", "n")),
    (r"\mathbb{R}^{m \times 1}", ("m",)),
    (r"R^{m*1}", ("m",)),
    (r"\mathbb{R}", ()),
    (r"\mathbb{R}^{1x1}", ()),
    (r"\mathbb{R}^{1}", ()),
    (r"\mathbb{R}^{n + m}", ("m + n",)),
    (r"\mathbb{R}^{2n}", ("2*n",)),
    (r"\mathbb{R}^{d_{k}}", ("d_k",)),
]


@pytest.mark.parametrize(("space", "shape"), SPACES)
def test_declaration_spellings(space: str, shape: tuple[str, ...]) -> None:
    system = papermath.compile(f"y = 2 a\na \\in {space}")
    assert system.shapes["a"] == shape


FUNCTIONS = [
    (r"y = \sigma(x)", "sigmoid"),
    (r"y = sigm(x)", "sigmoid"),
    (r"y = \tanh x", "tanh"),
    (r"y = \operatorname{ReLU}(x)", "relu"),
    (r"y = \text{relu}(x)", "relu"),
    (r"y = \mathrm{softmax}(x)", "softmax"),
    (r"y = \max(0, x)", "max"),
    (r"y = LayerNorm(x)", "layernorm"),
    (r"y = \ln(x)", "log"),
]


@pytest.mark.parametrize(("latex", "fn"), FUNCTIONS)
def test_functions(latex: str, fn: str) -> None:
    system = papermath.compile(latex + r", x \in \mathbb{R}^{n}")
    assert fn in {r.reading for r in system.readings}
    assert system.shapes["y"] == ("n",)


def test_learnable_function_with_a_word_name() -> None:
    system = papermath.compile(r"y = \text{MLP}(x), x \in \mathbb{R}^{n}")
    assert system.kinds["MLP"] == "function"


def test_otimes_directive() -> None:
    with pytest.raises(papermath.ReadingError):
        papermath.compile(r"y = a \otimes b, a \in \mathbb{R}^{n}")
    system = papermath.compile(
        "y = a \\otimes b, a \\in \\mathbb{R}^{n}\n% papermath: otimes is hadamard"
    )
    assert system.shapes["b"] == ("n",)


def test_sum_takes_the_whole_product() -> None:
    system = papermath.compile(r"h = \sum_{v \in V} a_v \odot b_v + c, a_v \in \mathbb{R}^{n}")
    [node_sum] = system.node_sums
    assert system.source.snippet(node_sum.body.span) == r"a_v \odot b_v"
    assert system.shapes["c"] == ("n",)


def test_dot_product_and_row_times_column() -> None:
    system = papermath.compile(r"s = a \cdot b" + "\n" + r"a \in \mathbb{R}^{n}")
    assert system.shapes["s"] == () and system.shapes["b"] == ("n",)
    system = papermath.compile(r"s = a^T b" + "\n" + r"a, b \in \mathbb{R}^{n}")
    assert system.shapes["s"] == ()


def test_matrix_product_may_equate_declared_sizes() -> None:
    system = papermath.compile(
        r"y = W x" + "\n" + r"W \in \mathbb{R}^{n \times k}, x \in \mathbb{R}^{m}"
    )
    assert system.solved in ({"k": "m"}, {"m": "k"})


def test_free_sizes_get_fresh_names_that_do_not_clash() -> None:
    system = papermath.compile(r"y = W x, x \in \mathbb{R}^{d1}")
    assert system.shapes["W"] == ("d2", "d1")


# ---- the README and docs name files that exist ---------------------------------------------
def layout_paths(readme: str) -> list[str]:
    """The files and folders of the README's Layout block, with their folders."""
    block = readme.split("## Layout", 1)[1].split("```", 2)[1]
    out: list[str] = []
    top = ""
    for line in block.splitlines():
        if not line.strip() or line.startswith(" " * 14):
            continue  # a continued description
        name = line.split()[0]
        if not line.startswith(" "):
            top = name if name.endswith("/") else ""
            out.append(name)
            continue
        out.append(top + name)
        # files the description names: in the folder of a folder entry ("parse/  grammar.lark,
        # layout.py ..."), beside a file entry ("source.py  ...; errors.py: ...")
        folder = top + name if name.endswith("/") else top
        for word in line.split()[1:]:
            word = word.strip(":;,()")
            if word.endswith((".py", ".lark")) and "/" not in word:
                out.append(folder + word)
    return out


def mentioned_files(text: str) -> list[str]:
    """Paths written in backticks or links: `src/papermath/x.py`, (docs/y.md)."""
    import re

    found = re.findall(r"[`(]((?:src|docs|tests|benchmarks|scripts|examples)/[\w./-]+)[`)]", text)
    return sorted(set(found))


def test_readme_layout_lists_files_that_exist() -> None:
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    paths = layout_paths(readme)
    assert "src/papermath/values.py" in paths and "src/papermath/flow.py" in paths
    for p in paths:
        assert (ROOT / p).exists(), f"README's layout names {p}, which does not exist"
    # and every module of the package is in the layout
    listed = {p.rstrip("/") for p in paths}
    for module in (ROOT / "src" / "papermath").iterdir():
        if module.name.startswith("_") or module.suffix not in (".py", ""):
            continue
        assert f"src/papermath/{module.name}" in listed, f"{module.name} is not in the layout"


def test_paths_in_readme_and_docs_exist() -> None:
    from conftest import ROOT

    for doc in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for p in mentioned_files(doc.read_text()):
            assert (ROOT / p).exists(), f"{doc.name} names {p}, which does not exist"


def test_the_readme_python_snippets_run() -> None:
    """Every ```python block of the README runs as written (the API example included: the
    shapes a layer takes are said, and they work)."""
    import re

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert blocks, "the README has a Python example"
    for block in blocks:
        namespace: dict[str, object] = {}
        exec(compile(block, "<README>", "exec"), namespace)  # the project's own README

r"""Capsule networks as their sources write them (issue 24, session 7, CAPS): routing's update
read as one iteration (read/rules_pairs.py routing-iteration), the bar of \hat{u}_{j|i} as
evidence of values per pair, the agreement \hat{u}_{j|i} v_j as a dot product where only a
number fits (shapes/rules_juxt_dot.py), the margins m^+ and m^- as labels
(read/rules_sign_scripts.py), \lambda (1 - T_k) a product (read/rules_greek_product.py), "for
each output capsule or class $k$" (parse/family_words.py, read/rules_family.py), "$T_k$ is
$1$ if the class $k$ is present" (indicator words) and capsule widths said in prose
(parse/capsule_widths.py).

Oracles: the routing of Sabour et al. (2017, Procedure 1) and its margin loss (eq. 4) written
here as NumPy loops by hand, one capsule or pair at a time: the shapes papermath gives (one
member's, one pair's) must be exactly the ones each step of the loop has; where code is
generated (the dot product, the product with \lambda), its output against NumPy by hand."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.errors import PapermathError

CASES = Path(__file__).resolve().parent / "wild" / "cases"
N_IN, N_OUT = 4, 3  # capsules below and above (the sources leave them free)


def case(name: str) -> str:
    return str(tomllib.loads((CASES / f"{name}.toml").read_text())["latex"])


def shapes(system: papermath.System, sizes: dict[str, int]) -> dict[str, tuple[int, ...]]:
    """Every symbol's shape with its free sizes given numbers."""
    return {
        k: tuple(sizes.get(str(s), 0) or int(str(s)) for s in v) for k, v in system.shapes.items()
    }


def said(system: papermath.System) -> str:
    return " ".join(f"{r.reading} {r.reason}" for r in system.readings)


def free(system: papermath.System, key: str, axis: int) -> str:
    return str(system.shapes[key][axis])


def one_iteration(W: np.ndarray, u: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
    """Procedure 1 of Sabour et al., one iteration, one capsule pair at a time."""
    u_hat = np.zeros((N_IN, N_OUT, W.shape[2]))
    for i in range(N_IN):
        for j in range(N_OUT):
            u_hat[i, j] = W[i, j] @ u[i]
    c = np.zeros((N_IN, N_OUT))
    for i in range(N_IN):
        total = sum(np.exp(b[i, k]) for k in range(N_OUT))
        for j in range(N_OUT):
            c[i, j] = np.exp(b[i, j]) / total
    s = np.array([sum(c[i, j] * u_hat[i, j] for i in range(N_IN)) for j in range(N_OUT)])
    v = np.zeros_like(s)
    for j in range(N_OUT):
        norm = np.sqrt(sum(x * x for x in s[j]))
        v[j] = norm**2 / (1 + norm**2) * s[j] / norm
    b_next = np.zeros_like(b)
    agreement = np.zeros_like(b)
    for i in range(N_IN):
        for j in range(N_OUT):
            agreement[i, j] = sum(u_hat[i, j, a] * v[j, a] for a in range(v.shape[1]))
            b_next[i, j] = b[i, j] + agreement[i, j]
    return {"u_hat": u_hat, "c": c, "s": s, "v": v, "b_prime": b_next, "a": agreement}


def fits_the_loop(system: papermath.System, d_in: int, d_out: int) -> None:
    """Each value of the hand loop has exactly papermath's shape, per member or pair."""
    sizes = {free(system, "W", 0): d_out, free(system, "W", 1): d_in}
    got = shapes(system, sizes)
    rng = np.random.default_rng(0)
    W = rng.normal(size=(N_IN, N_OUT, *got["W"]))
    u = rng.normal(size=(N_IN, *got["u"]))
    b = rng.normal(size=(N_IN, N_OUT, *got["b"]))
    loop = one_iteration(W, u, b)
    assert loop["u_hat"].shape[2:] == got["u_hat"] and loop["c"].shape[2:] == got["c"]
    assert loop["v"].shape[1:] == got["v"] and loop["b_prime"].shape[2:] == got["b_prime"]
    if "s" in got:
        assert loop["s"].shape[1:] == got["s"]
    if "a" in got:
        assert loop["a"].shape[2:] == got["a"]
    # the same iteration stacked (einsum over the sets), as the readings describe the sums
    u_hat = np.einsum("ijab,ib->ija", W, u)
    c = np.exp(b) / np.exp(b).sum(axis=1, keepdims=True)
    s = np.einsum("ij,ija->ja", c, u_hat)
    n = np.linalg.norm(s, axis=1, keepdims=True)
    v = n**2 / (1 + n**2) * s / n
    assert np.allclose(loop["b_prime"], b + np.einsum("ija,ja->ij", u_hat, v))


def test_routing_zh_reads_one_iteration_and_the_agreement_as_a_dot_product() -> None:
    system = papermath.compile(case("notes_capsules_routing_zh"))
    assert system.kinds["W"] == "parameter" and system.kinds["u"] == "input"
    text = said(system)
    assert "one routing iteration" in text and "v from s from c from b" in text
    assert "juxtaposed-dot-by-shapes" in text
    fits_the_loop(system, d_in=8, d_out=16)


def test_experiment_log_reads_with_the_bar_and_the_update_word() -> None:
    system = papermath.compile(case("notes_capsule_experiment_log"))
    text = said(system)
    assert "the bar of _{j|i}" in text and "an update or an iteration ('Update')" in text
    fits_the_loop(system, d_in=5, d_out=6)


def test_zh_formulas_read_the_8d_capsule_and_the_named_agreement() -> None:
    system = papermath.compile(case("notes_capsnet_zh_formulas"))
    assert tuple(str(s) for s in system.shapes["u"]) == ("8",)
    text = said(system)
    assert "capsule-width-words" in text and "8D的Capsule" in text
    # a_{ij} = \hat{u}_{j|i} v_j is the same product as the update's: a number per pair
    dots = [r for r in system.readings if r.subject.replace(" ", "") == "\\hat{u}_{j|i}v_j"]
    assert len(dots) == 2 and all(r.reading == "dot product" for r in dots)
    fits_the_loop(system, d_in=8, d_out=16)
    with pytest.raises(PapermathError) as err:  # values per pair: code refused by name
        system.to_numpy()
    assert "values per pair" in (err.value.hint or "")


def test_update_in_place_without_evidence_stays_refused() -> None:
    text = (
        r"v_j = \frac{||s_j||^2}{1+||s_j||^2} \frac{s_j}{||s_j||}, \hat{u}_{j|i} = W_{ij} u_i, "
        r"s_j = \sum_i c_{ij} \hat{u}_{j|i}, c_{ij} = \frac{\exp(b_{ij})}{\sum_k \exp(b_{ik})}, "
        r"b_{ij} = b_{ij} + a_{ij}"
    )
    with pytest.raises(PapermathError) as err:
        papermath.compile(text)
    assert "depends on itself" in err.value.message


def margin_loss(
    T: np.ndarray, v: np.ndarray, m_pos: float, m_neg: float, lam: float
) -> list[float]:
    """Eq. 4 of Sabour et al., one class k at a time."""
    out = []
    for k in range(len(T)):
        length = np.sqrt(sum(x * x for x in v[k]))
        out.append(
            T[k] * max(0.0, m_pos - length) ** 2 + lam * (1 - T[k]) * max(0.0, length - m_neg) ** 2
        )
    return out


def test_labml_margin_loss_reads_per_class_with_the_margins_as_labels() -> None:
    system = papermath.compile(case("labml_capsule_margin_loss"))
    got = {k: tuple(str(s) for s in v) for k, v in system.shapes.items()}
    assert got["L"] == got["T"] == got["lambda"] == got["m_pos"] == got["m_neg"] == ()
    assert len(got["v"]) == 1
    assert system.kinds["T"] == "target" and system.kinds["lambda"] == "constant"
    text = said(system)
    assert "for each output capsule or class $k$" in text  # family-index-words
    assert "the source writes m^+ and m^- and never m alone" in text
    assert "greek-weight-times-parenthesis" in text and "indicator-words" in text
    # the hand loop with papermath's shapes: one number per class from one vector per class
    rng = np.random.default_rng(1)
    T, v = (rng.random(5) > 0.5).astype(float), rng.normal(size=(5, 4)) * 0.5
    losses = margin_loss(T, v, 0.9, 0.1, 0.5)
    assert all(np.shape(x) == () for x in losses)
    with pytest.raises(PapermathError) as err:  # a family of capsules: code refused by name
        system.to_numpy({got["v"][0]: 4})
    assert "family" in (err.value.hint or "")


def test_without_the_family_words_the_squash_stays_refused() -> None:
    # the squash alone reads since s8 NORM2 (every value carries j: parse/member_formula.py,
    # tests/test_s8_norm2.py); a value without j beside s_j keeps the refusal
    with pytest.raises(PapermathError) as err:
        papermath.compile(case("labml_capsule_squash").replace("$$\n", " + c$$\n"))
    assert "nothing says what j is" in err.value.message
    system = papermath.compile("For each capsule $j$,\n" + case("labml_capsule_squash"))
    assert system.kinds["s"] == "input" and len(system.shapes["v"]) == 1


def test_readme_widths_are_refused_and_the_hint_gets_past_them() -> None:
    # the README's listing reads since s8 NORM2 (two layers and an arrow between them:
    # parse/capsule_layers.py); without the arrow the widths stay refused
    text = case("notes_capsnet_readme_key_equations").replace("\n  ↓\nDigitCaps", "\nDigitCaps")
    with pytest.raises(PapermathError) as err:
        papermath.compile(text)
    assert "capsule widths (8D, 16D)" in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span) == "8D"
    hint = err.value.hint or ""
    assert "u_i \\in \\mathbb{R}^{8}, v_j \\in \\mathbb{R}^{16}" in hint
    system = papermath.compile(text + "\n$$u_i \\in \\mathbb{R}^{8}, v_j \\in \\mathbb{R}^{16}$$\n")
    assert tuple(str(s) for s in system.shapes["W"]) == ("16", "8")


@pytest.mark.parametrize(
    ("text", "reads"),
    [
        (r"y = \max(0, m^{+} - x) + \max(0, x - m^{-}), x \in \mathbb{R}", True),
        (r"y = \max(0, m^{+} - x), m^{+} = 0.9, x \in \mathbb{R}", True),
        (r"y = \max(0, m^{+} - x), x \in \mathbb{R}", False),  # one sign: m's positive part?
        (r"y = \max(0, m^{+} - x) + \max(0, x - m^{-}) + m, x \in \mathbb{R}", False),  # m alone
    ],
)
def test_sign_superscripts_are_labels_only_where_the_source_says(text: str, reads: bool) -> None:
    if not reads:
        with pytest.raises(PapermathError) as err:
            papermath.compile(text)
        assert "superscript" in err.value.message
        return
    system = papermath.compile(text)
    assert tuple(system.shapes["m_pos"]) == () and "sign-superscript-labels" in said(system)


def test_juxtaposed_vectors_where_one_number_fits_are_the_dot_product() -> None:
    system = papermath.compile(
        r"y = u v, y \in \mathbb{R}, u \in \mathbb{R}^{d}, v \in \mathbb{R}^{d}"
    )
    program = system.to_numpy({"d": 3})
    params = program.init_params(np.random.default_rng(2))
    out, _ = program.forward(params, {})
    by_hand = sum(params["u"][a] * params["v"][a] for a in range(3))
    assert np.allclose(out["y"], by_hand)


def test_lambda_before_a_difference_is_a_product() -> None:
    system = papermath.compile(r"L = \lambda (1 - T) x, T \in \mathbb{R}, x \in \mathbb{R}")
    assert "lambda" not in system.functions and system.kinds["lambda"] == "constant"
    program = system.to_numpy()
    T, x = np.array([0.0, 1.0, 0.25]), np.array([2.0, 3.0, 4.0])
    out, _ = program.forward({}, {"lambda": np.array(0.5), "T": T, "x": x})
    assert np.allclose(out["L"], [0.5 * (1 - T[n]) * x[n] for n in range(3)])


def test_an_indicator_of_another_condition_is_a_number_not_a_target() -> None:
    text = "$$y = m x$$\n$m$ is $1$ if the step is padding and $0$ otherwise."
    system = papermath.compile(text)
    assert tuple(system.shapes["m"]) == () and system.kinds["m"] != "target"
    assert "indicator-words" in said(system)

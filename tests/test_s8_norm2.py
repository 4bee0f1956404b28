"""Session 8, NORM2: the capsule squash written for one member (parse/member_formula.py), a
README's capsule layer widths (parse/capsule_layers.py), a loss weighted by T and 1 - T
(parse/complementary_weights.py), a two-layer FFN's widths said in prose
(parse/ffn_widths.py). Every reading is checked against the sources' own numbers and words,
and the generated code against PyTorch or NumPy written by hand."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath import PapermathError

CASES = Path(__file__).resolve().parent / "wild" / "cases"


def case(name: str) -> str:
    return str(tomllib.loads((CASES / f"{name}.toml").read_text())["latex"])


def said(system: papermath.System) -> str:
    return "\n".join(f"{r.subject} {r.reading} {r.reason}" for r in system.readings)


# --- member-formula: labml's squash, v_j = f(s_j) and nothing else ------------------------


def test_the_squash_reads_per_capsule_and_its_code_is_the_squash() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(case("labml_capsule_squash"))
    assert system.kinds["s"] == "input" and system.kinds["v"] == "output"
    assert len(system.shapes["v"]) == 1 and system.shapes["v"] == system.shapes["s"]
    assert "member-formula" in said(system)
    d = system.shapes["s"][0]
    gen = system.to_numpy({d: 4})
    rng = np.random.default_rng(0)
    s = rng.normal(size=(5, 4))  # five capsules of four numbers
    out, cache = gen.forward({}, {"s": s})
    # Sabour et al. eq. 1, by hand: ||s||^2 / (1 + ||s||^2) * s / ||s||
    norm = np.sqrt((s**2).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(out["v"], norm**2 / (1 + norm**2) * s / norm, rtol=1e-12)
    g = rng.normal(size=(5, 4))
    grads = gen.backward({}, cache, {"v": g})
    st = torch.tensor(s, requires_grad=True)
    n = st.norm(dim=1, keepdim=True)
    (n**2 / (1 + n**2) * st / n * torch.tensor(g)).sum().backward()
    assert st.grad is not None
    got = grads["s"] if "s" in grads else grads["inputs"]["s"]
    np.testing.assert_allclose(got, st.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "text",
    [
        r"v_j = \tanh(W s_j)",  # W without j: a label reading has W and s_j learned alike
        r"v_j = \frac{s_j}{\lVert s_j \rVert} + c",  # another value beside s_j
        r"v_j = W_j s_j",  # a parameter's letter with j: a label as readily as a member
        r"p_i = \exp(z_i)",  # no norm: p_i, z_i may be entries of two vectors
    ],
)
def test_another_value_beside_the_members_keeps_the_refusal(text: str) -> None:
    with pytest.raises(PapermathError) as err:
        papermath.compile(text)
    assert "nothing says what" in err.value.message


def test_a_label_with_an_input_stays_a_label() -> None:
    system = papermath.compile(r"h_f = \tanh(W_f x + b_f)")
    assert "W_f" in system.shapes and "member-formula" not in said(system)


# --- capsule-layer-widths and complementary-weights: the CapsNet README --------------------


def test_the_readme_reads_with_the_listed_widths() -> None:
    system = papermath.compile(case("notes_capsnet_readme_key_equations"))
    got = {k: tuple(str(s) for s in v) for k, v in system.shapes.items()}
    # the listing: PrimaryCaps -> [B, 1152, 8], DigitCaps -> [B, 10, 16]
    assert got["u"] == ("8",) and got["v"] == ("16",) and got["s"] == ("16",)
    assert got["u_hat"] == ("16",) and got["W"] == ("16", "8")
    assert got["c"] == () and got["b"] == () and got["L"] == () and got["T"] == ()
    assert system.kinds["u"] == "input" and system.kinds["W"] == "parameter"
    assert system.kinds["T"] == "target"
    text = said(system)
    assert "capsule-layer-widths" in text and "PrimaryCaps" in text and "DigitCaps" in text
    assert "complementary-weights" in text
    # u_hat_{j|i} = W_ij u_i with the read shapes: one 16-vector from one 8-vector
    rng = np.random.default_rng(1)
    w, u = rng.normal(size=(16, 8)), rng.normal(size=8)
    assert np.einsum("ab,b->a", w, u).shape == (16,)


def test_one_listed_layer_or_no_arrow_stays_refused() -> None:
    eqs = r"$$\hat{u}_{j|i} = W_{ij} u_i, \quad s_j = \sum_i c_{ij} \hat{u}_{j|i}$$"
    for listing in (
        "PrimaryCaps  32 types × 8D capsules\n",
        "PrimaryCaps  32 types × 8D capsules\nDigitCaps  10 capsules × 16D\n",
    ):
        with pytest.raises(PapermathError) as err:
            papermath.compile(listing + eqs)
        assert "capsule widths" in err.value.message


def test_complementary_weights_need_the_loss_index() -> None:
    words = "Loss for each output capsule or class $k$ is,\n"
    loss = r"$$L_k = T_k \max(0, m^+ - ||v_k||)^2 + \lambda(1-T_k)\max(0, ||v_k|| - m^-)^2$$"
    system = papermath.compile(words + loss)
    assert system.shapes["T"] == () and system.kinds["T"] == "target"
    assert system.shapes["L"] == () and "complementary-weights" in said(system)
    # binary cross-entropy: y carries no index of the loss; its letter decides, not this rule
    bce = papermath.compile(r"L = -(y \log p + (1 - y) \log(1 - p)), p \in \mathbb{R}")
    assert "complementary-weights" not in said(bce)


# --- ffn-width-words: labml's FFN ----------------------------------------------------------


def test_the_ffn_reads_its_widths_from_the_words_and_computes_the_ffn() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(case("labml_ffn"))
    got = {k: tuple(str(s) for s in v) for k, v in system.shapes.items()}
    assert got["x"] == ("d_model",) and got["FFN"] == ("d_model",)
    assert got["W_1"] == ("d_model", "d_ff") and got["W_2"] == ("d_ff", "d_model")
    assert got["b_1"] == ("d_ff",) and got["b_2"] == ("d_model",)
    assert "ffn-width-words" in said(system)
    gen = system.to_numpy({"d_model": 3, "d_ff": 12})  # four times, as the words say
    rng = np.random.default_rng(2)
    params = gen.init_params(rng)
    x = rng.normal(size=(2, 3))
    out, cache = gen.forward(params, {"x": x})
    lin1, lin2 = torch.nn.Linear(3, 12).double(), torch.nn.Linear(12, 3).double()
    with torch.no_grad():
        lin1.weight.copy_(torch.tensor(params["W_1"].T))
        lin1.bias.copy_(torch.tensor(params["b_1"]))
        lin2.weight.copy_(torch.tensor(params["W_2"].T))
        lin2.bias.copy_(torch.tensor(params["b_2"]))
    xt = torch.tensor(x, requires_grad=True)
    y = lin2(torch.relu(lin1(xt)))
    np.testing.assert_allclose(out["FFN"], y.detach().numpy(), rtol=1e-12)
    g = rng.normal(size=(2, 3))
    (y * torch.tensor(g)).sum().backward()
    grads = gen.backward(params, cache, {"FFN": g})
    assert lin1.weight.grad is not None and lin1.bias.grad is not None
    np.testing.assert_allclose(grads["W_1"], lin1.weight.grad.numpy().T, rtol=1e-9)
    np.testing.assert_allclose(grads["b_1"], lin1.bias.grad.numpy(), rtol=1e-9)


def test_a_size_said_of_the_hidden_layer_alone_stays_refused() -> None:
    text = case("labml_ffn").replace("that of the token embedding", "that of the input")
    with pytest.raises(PapermathError) as err:
        papermath.compile(text)
    assert "papermath does not read sizes from prose" in err.value.message


# --- group-arrays-words: Equinox's GroupNorm -----------------------------------------------


def test_equinox_groups_read_one_group_with_torch_s_group_shapes() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(case("equinox_groupnorm"))
    assert system.kinds["gamma"] == "parameter" and system.kinds["beta"] == "parameter"
    assert system.kinds["x"] == "input" and "group-arrays-words" in said(system)
    (size,) = system.shapes["gamma"]
    assert system.shapes["beta"] == (size,) and system.shapes["x"] == (size,)
    # torch's GroupNorm: group i's share of the per-channel scale has channels/groups entries
    channels, groups = 6, 3
    norm = torch.nn.GroupNorm(groups, channels)
    share = norm.weight.reshape(groups, -1)[1]
    assert tuple(share.shape) == (channels // groups,)
    assert {k: tuple(v) for k, v in system.numeric_shapes({size: channels // groups}).items()}[
        "gamma"
    ] == tuple(share.shape)
    # its statistics run over the group's channels and positions together: code is refused
    with pytest.raises(PapermathError) as err:
        system.to_numpy({size: 2})
    assert "axis the source does not say" in err.value.message and "x_i" in (err.value.hint or "")


def test_without_the_group_words_the_code_tuple_stays_refused() -> None:
    text = case("equinox_groupnorm").replace("`groups`-many arrays", "Arrays")
    with pytest.raises(PapermathError) as err:
        papermath.compile(text)
    assert "code tuple" in err.value.message

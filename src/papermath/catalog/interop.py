"""Load the weights of ``torch.nn.LSTM`` / ``torch.nn.GRU`` into compiled catalog layers.

PyTorch stacks the gates of one layer into ``weight_ih_l0`` (rows ``i, f, g, o`` for the
LSTM, ``r, z, n`` for the GRU, each ``H`` rows) and ``weight_hh_l0``, with two biases each.
The mappings, per catalog entry:

- ``lstm`` (concatenation ``[h_{t-1}, x_t]``): ``W_f = [W_hf, W_if]`` (columns in the order
  of the concatenation), ``b_f = b_if + b_hf`` (one bias per gate: PyTorch's two sum); the
  same for ``i``, ``C`` (PyTorch's ``g``) and ``o``.
- ``lstm_graves``: ``W_xi = W_ii``, ``W_hi = W_hi``, ``b_i = b_ii + b_hi``; the same for
  ``f``, ``c`` (``g``) and ``o``.
- ``lstm_torch`` and ``gru_torch``: one to one (the documentation's own names).

``gru`` (Cho et al.) has no mapping: it applies the reset gate before the recurrent matrix
product (``U (r \\odot h)``), PyTorch after it (``r \\odot (W_{hn} h + b_{hn})``), and it has
no biases; the two are different functions.
"""

from __future__ import annotations

from typing import Any

from ..errors import PapermathError

LSTM_GATES = ("i", "f", "g", "o")
GRU_GATES = ("r", "z", "n")


def _split(t: Any, gates: tuple[str, ...]) -> dict[str, Any]:
    h = t.shape[0] // len(gates)
    return {g: t[k * h : (k + 1) * h] for k, g in enumerate(gates)}


def torch_weights(name: str, layer: Any) -> dict[str, Any]:
    """The catalog entry's parameters (by key) from a one-layer torch LSTM or GRU."""
    import torch

    if layer.num_layers != 1 or layer.bidirectional or getattr(layer, "proj_size", 0):
        raise PapermathError("only a one-layer, one-direction RNN without projection maps")
    if not layer.bias:
        raise PapermathError("the layer has no biases; the catalog entries do")
    if layer.batch_first:
        raise PapermathError("the catalog layers are time-major: use batch_first=False")
    is_lstm = isinstance(layer, torch.nn.LSTM)
    gates = LSTM_GATES if is_lstm else GRU_GATES
    wi = _split(layer.weight_ih_l0.detach(), gates)
    wh = _split(layer.weight_hh_l0.detach(), gates)
    bi = _split(layer.bias_ih_l0.detach(), gates)
    bh = _split(layer.bias_hh_l0.detach(), gates)
    out: dict[str, Any] = {}
    if name == "lstm" and is_lstm:
        for ours, theirs in (("f", "f"), ("i", "i"), ("C", "g"), ("o", "o")):
            out[f"W_{ours}"] = torch.cat([wh[theirs], wi[theirs]], dim=1)
            out[f"b_{ours}"] = bi[theirs] + bh[theirs]
    elif name == "lstm_graves" and is_lstm:
        for ours, theirs in (("i", "i"), ("f", "f"), ("c", "g"), ("o", "o")):
            out[f"W_x{ours}"], out[f"W_h{ours}"] = wi[theirs], wh[theirs]
            out[f"b_{ours}"] = bi[theirs] + bh[theirs]
    elif (name == "lstm_torch" and is_lstm) or (name == "gru_torch" and not is_lstm):
        for g in gates:
            out[f"W_i{g}"], out[f"W_h{g}"] = wi[g], wh[g]
            out[f"b_i{g}"], out[f"b_h{g}"] = bi[g], bh[g]
    else:
        raise PapermathError(
            f"no weight mapping from torch.nn.{type(layer).__name__} to the catalog's {name!r}",
            hint="lstm, lstm_graves and lstm_torch map from nn.LSTM; gru_torch from nn.GRU",
        )
    return out


def load_torch_rnn(name: str, module: Any, layer: Any) -> None:
    """Copy a torch LSTM/GRU's weights into a compiled catalog layer (``System.to_torch``)."""
    import torch

    weights = torch_weights(name, layer)
    params = dict(module.named_parameters())
    if set(weights) != set(params):
        raise PapermathError(f"the module is not the catalog's {name!r}: parameters differ")
    with torch.no_grad():
        for key, value in weights.items():
            if tuple(params[key].shape) != tuple(value.shape):
                raise PapermathError(
                    f"{key}: the module has shape {tuple(params[key].shape)}, the layer gives "
                    f"{tuple(value.shape)}; compile with matching dims"
                )
            params[key].copy_(value)

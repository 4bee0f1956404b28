r"""Code for a sum over the positions of a sequence at every step (attention in a decoder).

What people write: Bahdanau, Cho & Bengio (2015), appendix A.1.2, the alignment model of the
decoder, ``e_{ij} = v_a^\top \tanh(W_a s_{i-1} + U_a h_j)``, ``\alpha_{ij} =
\exp(e_{ij}) / \sum_{k=1}^{T_x} \exp(e_{ik})`` and ``c_i = \sum_{j=1}^{T_x} \alpha_{ij} h_j``:
at each decoder step i, a weight for every source position j, and the positions' values
summed with those weights.

How papermath generates it: the positions j are read as the nodes of a program over nodes
(read/rules for values per step and position); each sample's sequence is one graph, its
positions stacked with those of the other samples (``inputs["batch"]`` says which sample each
position belongs to, so the sequences may differ in length). A value written with the step
and no position (s_{i-1}) is one per sample and step: an input of shape (T, samples, n), given
to every position of its sample where it meets a position's value; the sums over j and k are
sums over the positions of each sample (segment sums), inside the loop over the steps. The
outputs per step and sample (c_i) come back as (T, samples, 2n).

Generated only where nothing is carried from step to step (the steps are independent: the
decoder state is given as an input sequence); a state carried across the steps beside the sum
over positions stays refused (ir/lower.py says so).
"""

from __future__ import annotations

from ..read import terms as t


def positions_per_step(node_sums: list[t.NodeSum], states: list[str]) -> bool:
    """Whether every sum over nodes of a program with steps is a sum over the positions of a
    sequence, and no state is carried from step to step: the case generated here."""
    return bool(node_sums) and not states and all(x.over == "the positions" for x in node_sums)


def per_sample_step_inputs(occurrences: list[t.Sym], keys: set[str]) -> set[str]:
    """The inputs among ``keys`` written with the step and never with a position (s_{i-1}):
    one value per sample and step, not per position."""
    return {
        key
        for key in keys
        if any(o.step for o in occurrences if o.key == key)
        and not any(o.node or o.edge for o in occurrences if o.key == key)
    }

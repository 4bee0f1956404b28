"""The four questions papermath was started to answer, as their askers typed them: one click
away on the workbench's page (its "examples" menu)."""

from __future__ import annotations

SEEDS = [
    {
        "name": "lstm-qa",
        "title": "Q&A: the size of every variable of an LSTM's forget gate",
        "question": "What is the dimension of each variable, and must the cell state and the "
        "hidden state have the same size?",
        "latex": r"""f_t = \sigma(W_f [h_{t-1}, x_t] + b_f)
i_t = \sigma (W_i \cdot [x_t, h_{t-1}] + b_i)
\tilde{C_t} = tanh(W_C[x_t, h_{t-1}] + b_C)
C_t = f_t \circ C_{t-1} + i_t \circ \tilde{C_t}
o_t = \sigma(W_o [x_t, h_{t-1}] + b_o)
h_t = o_t \circ tanh(C_t)
x_t \in \mathbb{R}^{m}, h_{t-1} \in \mathbb{R}^{n}
""",
        "dims": "m=3, n=2",
        "values": "",
    },
    {
        "name": "forget-gate-numbers",
        "title": "Q&A: the asker's worked example of the forget gate",
        "question": "With these numbers, what is each step of the forget gate?",
        "latex": "f_t = \\sigma(W_f [h_{t-1}, x_t] + b_f)\n",
        "dims": "",
        "values": """[values]
W_f = [[1, 2, 3, 4, 5, 6], [5, 6, 7, 8, 9, 10], [3, 4, 5, 6, 7, 8]]
b_f = [1, 2, 3]
h = [1, 2, 3]
x = [4, 5, 6]
""",
    },
    {
        "name": "ggnn-readout",
        "title": "Forum: what does the sum in the GG-NN readout range over?",
        "question": "What does the sum range over, and how is it written as vectorized code?",
        "latex": r"h_g = tanh \left( \sum_{v \in V} \sigma \left( i(h_v^{(T)}, x_v) \right) "
        r"\odot tanh \left( j(h_v^{(T)}, x_v) \right) \right)"
        "\n"
        r"""h_v^{(T)} \in \mathbb{R}^{D}, \quad x_v \in \mathbb{R}^{K}, \quad h_g \in \mathbb{R}^{G}
""",
        "dims": "D=4, K=2, G=3",
        "values": "",
    },
    {
        "name": "mlp-notes",
        "title": "Course notes: forward and backward of a ReLU network, samples as columns",
        "question": "What are the gradients, with samples as columns or as rows?",
        "latex": r"""\begin{align}
x &\in \mathbb R^{D_x \times N} \\
W &\in \mathbb R^{D_z \times D_x} \\
w &\in \mathbb R^{1 \times D_z} \\
s_z &:= W\cdot x &\in \mathbb R^{D_z, N} \\
z &:= relu(s_z) &\in \mathbb R^{D_z, N}\\
y_{out} &:= w\cdot z &\in \mathbb R^{D_y, N} \\
\mathcal L &:= \|y-y_{out}\|^2 &\in \mathbb R^{1x1}
\end{align}
""",
        "dims": "D_x=3, D_z=2, N=2",
        "values": "",
    },
    {
        "name": "lstm-blog",
        "title": "Blog: the LSTM typed as plain text",
        "question": "How do the values flow through one step, with no hidden delays?",
        "latex": """f_t = sigmoid(W_xf * x_t + W_hf*h_t-1 + b_f)
i_t = sigmoid(W_xi * x_t + W_hi*h_t-1 + b_i)
C_t = f_t * C_t-1 + i_t * tanh(W_xc * x_t + W_hc*h_t-1 +b_c)
o_t = sigmoid(W_xo * x_t + W_ho*h_t-1 + b_o)
h_t = o_t * tanh(C_t)
x_t in R^m, h_t in R^n
""",
        "dims": "m=3, n=2",
        "values": "",
    },
]

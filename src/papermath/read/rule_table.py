# ruff: noqa: E501  (a table: each row is one line of docs/notation.md)
r"""The rules of docs/notation.md's tables, one block each: what people write, how papermath
reads it, the module that implements it, and its examples (each a test: tests/test_notation_table.py).
docs/notation.md is generated from this table (``python scripts/notation_doc.py``); the
prose around the tables is docs/notation.in.md. A new notation rule adds its block here."""

from __future__ import annotations

from .table import Rule, ok, refused

# CS231n's attention notes, the softmax's axis left to fill (read/rules_position_pairs.py)
_ATT_CS = (
    "The alignment scores are: $$ e_{i,j} = \\frac{q_j \\cdot x_i}{\\sqrt{D_x}} $$\n"
    "The attention matrix is obtained by applying the softmax function %s to the\n"
    "alignment matrix. $$ \\mathbf{a} = \\text{softmax}(\\mathbf{e}) $$\n"
    "The output vectors are the weighted sums of the input vectors:\n"
    "$$ y_j = \\sum_{i} a_{i,j} x_i $$\n"
)

RULES: tuple[Rule, ...] = (
    Rule(
        "statements.ahead-step-intermediates",
        "statements",
        (
            r"a recurrence written one step ahead beside values with no step of their own that read the state: `h_i^{(l+1)} = \sum_{j \in \mathcal{N}(i)} \alpha_{ij} W h_j^{(l)}`, `e_{ij} = \mathrm{LeakyReLU}(a^T [W h_i^{(l)} \| W h_j^{(l)}])`",
            r"**moved back with the ahead equation** (`read/rules_ahead_intermediates.py`): the equations hold for every l, so an equation whose left side has no step and whose right side writes the step letter is moved back by the same number as the ahead one: `h^{(l)}` in it is the state before the step (as in the ahead equation), `h^{(l+1)}` the one the step computes. Moving the ahead equation alone read `e` from the new state computed from `e` (\"h depends on itself\")",
        ),
        "read/rules_ahead_intermediates.py",
        (
            ok(
                r"h_i^{(l+1)} = \sum_{j\in \mathcal{N}(i)} \alpha_{ij} W h_j^{(l)}, \alpha_{ij} = \mathrm{softmax}(e_{ij}), e_{ij} = \mathrm{LeakyReLU}(a^T [W h_i^{(l)} \| W h_j^{(l)}])",
                says="ahead-step-intermediates",
                kinds={"h": "state", "W": "parameter", "a": "parameter"},
                alpha="",
                e="",
                W="? x ?",
            ),
        ),
    ),
    Rule(
        "statements.ahead-step-layer-labels",
        "statements",
        (
            r"values labelled with the layer beside a recurrence written one step ahead, and written with no step too (DGL's GATConv): `h_i^{(l+1)} = \sum_{j\in \mathcal{N}(i)} \alpha_{i,j} W^{(l)} h_j^{(l)}`, `\alpha_{ij}^{l} = \mathrm{softmax}_j(e_{ij}^{l})`, `e_{ij}^{l} = \mathrm{LeakyReLU}(\vec{a}^T [W h_{i} \| W h_{j}])`",
            r"**values of the layer, computed inside the step** (`read/rules_ahead_intermediates.py`): a value defined at `^{l}` and written at no other step (only at l, or with no step) is computed inside the step from l to l+1, from the state at l: its `^{l}` names the layer, not a state carried between layers; read with no step, and what its equation writes with no step but is written at `^{(l)}` elsewhere (the state h, the weight W) is at l. Only where the source mixes the two spellings (a bare use, or a bare state in its equation)",
        ),
        "read/rules_ahead_intermediates.py",
        (
            ok(
                "h_i^{(l+1)} = \\sum_{j\\in \\mathcal{N}(i)} \\alpha_{i,j} W^{(l)} h_j^{(l)}\n\n\\alpha_{ij}^{l} = \\mathrm{softmax}_j (e_{ij}^{l})\n\ne_{ij}^{l} = \\mathrm{LeakyReLU}\\left(\\vec{a}^T [W h_{i} \\| W h_{j}]\\right)",
                says="ahead-step-layer-labels",
                kinds={
                    "h": "state",
                    "W": "parameter",
                    "alpha": "intermediate",
                    "e": "intermediate",
                },
                alpha="",
                e="",
            ),
        ),
    ),
    Rule(
        "functions.edge-softmax-index",
        "functions",
        (
            r"a softmax with an index defining a value per edge: `\alpha_{ij} = \mathrm{softmax}_j(e_{ij})` (GAT), `\mathrm{softmax_i}(e_{ij}^{l})` (DGL's GATConv, the index inside the roman font), beside a sum over `j \in \mathcal{N}(i)`",
            r"the neighbour's letter (j): the softmax over the neighbours j of each node i (written out, every stage reads it); the node's letter (i): at node i over its neighbours, or over the nodes i for each j? one number per edge either way, so the shapes read and code is refused at the word, the hint writing `\mathrm{softmax}_j` (`read/rules_edge_softmax_index.py`)",
        ),
        "read/rules_edge_softmax_index.py",
        (
            ok(
                r"h_i' = \sum_{j \in \mathcal{N}(i)} \alpha_{ij} W h_j, \alpha_{ij} = \mathrm{softmax}_j(e_{ij}), e_{ij} = a^T [W h_i \| W h_j]",
                says="softmax over the neighbours j",
                alpha="",
                e="",
            ),
            ok(
                r"h_i' = \sum_{j \in \mathcal{N}(i)} \alpha_{ij} W h_j, \alpha_{ij} = \mathrm{softmax_i}(e_{ij}), e_{ij} = a^T [W h_i \| W h_j]",
                says="which way is not said",
                alpha="",
            ),
        ),
    ),
    Rule(
        "operators.pair-scalars-said",
        "operators",
        (
            r"a layer written one neuron at a time, the prose saying the values are numbers: `z_j = \sum_i W_{ij} x_i`, `y_j = ReLU(z_j)` \"where $W_{ij}, z_j$ and $y_i$ are all scalars\" (a capsule walkthrough's fully connected layer)",
            r"**one number per member and per pair** (`read/rules_pair_scalars.py`): the words name the value with both letters and one with each letter alone as scalars, and a sum binds one letter over the value with both: i and j pick members of two sets (the neurons of two layers), as `operators.value-per-pair-capsules` reads capsules; the values named are declared numbers, the shapes one member's; code for values per pair is refused (its hint). Without the words, refused at the two indices (`operators.pair-refusal-hints`)",
        ),
        "read/rules_pair_scalars.py",
        (
            ok(
                "$$z_j = \\sum_i W_{ij} x_i, \\quad y_j = ReLU(z_j)$$\n\nwhere $W_{ij}, z_j$ and $y_j$ are all scalars",
                says="pair-scalars-said",
                kinds={"x": "input", "W": "parameter"},
                z="",
                x="",
                W="",
            ),
            refused(r"z_j = \sum_i W_{ij} x_i, y_j = ReLU(z_j)", "two indices", at="ij"),
        ),
    ),
    Rule(
        "operators.capital-sigma-sum",
        "operators",
        (
            r"`\Sigma` typed as the summation sign, with a set under it: `\Sigma_{j\in N_{i}} \sigma(e_{ij})` (DGL's GatedGCNConv)",
            r"the sum over the members of the set (`parse/capital_sigma_sums.py`, rewritten in place as `\sum`): a subscript that binds a letter to a set is the range of a big operator, never a letter's label. `\Sigma_x`, `\Sigma_{j}` (no set) stay the letter",
        ),
        "parse/capital_sigma_sums.py",
        (
            ok(r"h_i' = \Sigma_{j \in \mathcal{N}(i)} W h_j", says="capital-sigma-sum"),
            refused(r"x_i = \Sigma_{j} e_{ij} W h_j", "two indices", at="ij"),
        ),
    ),
    Rule(
        "keys.italic-word-defined",
        "keys",
        (
            r"`norm_{ij} = ...`, `\sigma(e_{ij}) / norm_{ij}` (DGL's GatedGCNConv: a word typed in math italics, defined by an equation)",
            r"`norm`",
            r"the letters typed together with a subscript on the last are a definition's whole left side: one name (as `\mathrm{norm}`), wherever typed the same way, not a product of letters (`read/rules_word_names.py`); letters with spaces between, or never on a left side, stay a product",
        ),
        "read/rules_word_names.py",
        (
            ok(
                r"h_i' = \sum_{j \in \mathcal{N}(i)} \frac{e_{ij}}{norm_{ij}} W h_j, norm_{ij} = \sum_{k \in \mathcal{N}(i)} e_{ik}, e_{ij} \in \mathbb{R}",
                says="italic-word-defined",
                norm="",
            ),
        ),
    ),
    Rule(
        "statements.edge-left-summed",
        "statements",
        (
            r"a value written per edge whose right side sums over the same letter: `norm_{ij}=\Sigma_{j\in N_{i}} \sigma(e_{ij}) + \varepsilon` (DGL's GatedGCNConv)",
            r"**one value per node** (`read/rules_edge_sum_left.py`): the sum binds j and no j is left outside it, so the value depends on i only, the same for every edge into i; where it is used per edge (`/ norm_{ij}`), its value at the edge's node i",
        ),
        "read/rules_edge_sum_left.py",
        (
            ok(
                r"h_i' = \sum_{j \in \mathcal{N}(i)} \hat{e}_{ij} W h_j, \hat{e}_{ij} = e_{ij} / n_{ij}, n_{ij} = \sum_{j \in \mathcal{N}(i)} e_{ij}, e_{ij} \in \mathbb{R}",
                says="edge-left-summed",
                n="",
            ),
        ),
    ),
    Rule(
        "conventions.prose-linear-layers",
        "conventions",
        (
            r"symbols the prose calls linear layers: \":math:`A^l, B^l, C^l, D^l, E^l` are linear layers\" (DGL's GatedGCNConv), \"$A$ is a linear transformation\"",
            r"learned weights, parameters (one per layer where they carry it, `A^l`), whatever their letter would say (a matrix written with the step is data by default); only the inline math that is the subject of \"is/are (a) linear layer(s)/transformation(s)/projection(s)/map(s)\"; never a symbol an equation defines (`read/rules_layer_words.py`)",
            r"`% papermath: A is input`",
        ),
        "read/rules_layer_words.py",
        (
            ok(
                "$$h^{l+1} = A^l h^{l} + B^l x$$ where $A^l, B^l$ are linear layers.",
                says="a linear layer",
                kinds={"A": "parameter", "B": "parameter"},
            ),
        ),
    ),
    Rule(
        "functions.semicolon-parameters",
        "functions",
        (
            r"a function applied with its parameters named after a semicolon (the Deep Learning book's eq. 10.1 and 10.5, `s^{(t)} = f(s^{(t-1)}; \theta)`, `h^{(t)} = f(h^{(t-1)}, x^{(t)}; \boldsymbol{\theta})`; also `Q(s, a; \theta)`, `F(Y_i; \Theta)`, `\operatorname{MLP}(x; \phi)`)",
            r"**f the learnable function of its arguments, theta the name of its weights** (`parse/param_semicolon.py`, `read/rules_param_sets.py`): the parameters are blanked before the parser; f reads as any learnable function (an affine map of the concatenation of its arguments by default, f.weight and f.bias in the code) and theta is a parameter, the parameters of f (no shape of its own: the shapes table, explain and the readings name it; `grad --wrt theta` asks for f.weight and f.bias). Refused by name: several parameters listed (`f(x; W, b)`), a definition `f(x; W) = ...`, a bar in the arguments (`p(y | x; \theta)`, a probability), f a function the source names (`\sigma`) or defines or a matrix (`F(Y; \Theta)`, a capital letter applied to one argument), theta also a value, one theta for two functions, two names for one function's parameters",
        ),
        "parse/param_semicolon.py",
        (
            ok(
                r"s^{(t)} = f(s^{(t-1)}; \theta)",
                says="the parameters of f",
                kinds={"s": "state", "theta": "parameter", "f": "function"},
                s="?",
            ),
            ok(
                r"h^{(t)} = f(h^{(t-1)}, x^{(t)} ; \boldsymbol{\theta})",
                kinds={"h": "state", "x": "input", "theta": "parameter"},
                h="?",
                x="?",
            ),
            ok(
                r"y = \operatorname{MLP}(x; \phi)",
                kinds={"phi": "parameter", "MLP": "function"},
            ),
            refused(r"y = \sigma(x; \theta)", "semicolon", at=r"; \theta"),
            refused(r"e = F(Y; \Theta)", "not read as a learnable function", at=r"\Theta"),
            refused(r"y = f(x; \theta) + g(z; \theta)", "both f and g", at=r"\theta"),
            refused(r"y = f(x; \theta) + \theta", "also written as a value", at=r"\theta"),
            refused(r"y = p(z | x; \theta)", "semicolon", at=r"; \theta"),
        ),
    ),
    Rule(
        "functions.formula-as-code",
        "functions",
        (
            r"a formula written as code, in a ```` ```python ```` fence or a `` `code` `` span (Keras' losses): `loss = mean(square(y_true - y_pred))`, `neg=maximum((1-y_true)*y_pred)`",
            r"read as plain-text math, never run (papermath's own small grammar): `**` a power by a number, `*` `/` entry by entry (NumPy's), `y_true` is `y_{true}`; `y_true` the target and `y_pred` the prediction, vectors of one size (Keras' documented argument names); refused at the construct: loops (but for `functions.code-loop-cases`), `a if c else b`, `p ** (q + 1)` (`p ** q` is `functions.value-powers`), attributes, unknown functions",
        ),
        "parse/code.py",
        (
            ok(
                "Formula:\n\n```python\nloss = mean(square(y_true - y_pred))\n```\n",
                kinds={"y_true": "target", "y_pred": "input"},
                loss="",
                y_true="?",
            ),
            refused("```python\nfor x in error:\n    loss = x\n```\n", "loop", at="for"),
            refused("```python\nloss = p ** (q + 1)\n```\n", "exponent", at="(q + 1)"),
        ),
    ),
    Rule(
        "functions.code-calls",
        "functions",
        (
            r"in code: `sum(x)`, `mean(x)`, `max(x)` (also `maximum(x)`, one argument), `axis=-1`; `maximum(a, b)`, `minimum(a, b)`, `square(x)`, `abs`, `log`, `exp`, `sqrt`",
            r"a reduction over the entries of the vector x (`\sum_i x_i`, `\frac{1}{n}\sum_i x_i`, `\max_i x_i`; the last axis is a vector's only one); elementwise maximum and minimum of two values, `x^2`, elementwise functions; over a matrix (which axis?) refused",
        ),
        "read/rules_losses.py",
        (
            ok(
                "```python\nloss = maximum(neg - pos + 1, 0)\n```\n"
                "where `neg=maximum((1-y_true)*y_pred)` and `pos=sum(y_true*y_pred)`\n",
                neg="",
                pos="",
                loss="",
            ),
            refused(
                "```python\nloss = mean(W)\n```\n% W \\in \\mathbb{R}^{n \\times m}\n",
                "entries of vectors",
                at="W",
            ),
        ),
    ),
    Rule(
        "functions.code-loop-cases",
        "functions",
        (
            r"in code: `for x in error:` / `if abs(x) <= delta: loss.append(A)` / `elif abs(x) > delta: loss.append(B)` (or `else:`), then `loss = mean(loss, axis=-1)` (Keras' Huber)",
            r"the list is the vector of one value per entry of `error`, A where the comparison holds and B elsewhere (a definition by cases entry by entry, `x` the entry of `error`), used where the next line names the list; `error` is given (an input); another shape of loop (a condition that is not the opposite, a reduction of the entry, the list used twice) is refused at `for`",
        ),
        "parse/code_loops.py",
        (
            ok(
                "```python\nfor x in error:\n    if abs(x) <= delta:\n        loss.append(0.5 * x**2)\n    else:\n        loss.append(delta * abs(x))\nloss = mean(loss, axis=-1)\n```\n",
                kinds={"error": "input"},
                loss="",
                delta="",
            ),
            refused(
                "```python\nfor x in error:\n    if abs(x) <= delta:\n        loss.append(0.5 * x**2)\n    elif abs(x) < delta:\n        loss.append(delta * abs(x))\nloss = mean(loss, axis=-1)\n```\n",
                "loop",
                at="for",
            ),
        ),
    ),
    Rule(
        "functions.named-loss",
        "functions",
        (
            r"`$$L = l(\mathbf{o}, y).$$` after prose that says \"the loss function is $l$\" (d2l), `$l$ is the loss function`",
            r"a loss the source names but does not define: one number (a scalar) from its arguments, which keep their own shapes; an argument no equation defines is the target; shapes, kinds and explain read, `code`/`check` refused at the call (define it with an equation); without the sentence, l is a learnable function",
        ),
        "read/rules_named_loss.py",
        (
            ok(
                "Assuming that the loss function is $l$ and the label is $y$,\n$$L = l(o, y) + \\lambda \\|W\\|^2, o = W x$$\n",
                kinds={"y": "target"},
                L="",
            ),
            refused("$$L = l(o, y) + \\lambda \\|W\\|^2, o = W x$$\n", "output of l", at="l(o, y)"),
        ),
    ),
    Rule(
        "statements.digit-names",
        "statements",
        (
            r"`\text{loss}(x1, x2, y) = \max(0, -y * (x1 - x2) + \text{margin})` (a blog's MarginRankingLoss, plain-text names)",
            r"`x1` (a letter and digits written together) in a definition's arguments is the name x_1, as code writes it, and so is every `x1` written so elsewhere (said in the readings); written with a space (`x 1`) it is refused: x times 1 binds nothing",
        ),
        "read/rules_digit_names.py",
        (
            ok(
                "\\text{loss}(x1, x2) = \\max(0, x1 - x2 + m), x_1 \\in \\mathbb{R}^{n}",
                x_1="n",
                x_2="n",
            ),
            refused("\\text{loss}(x 1, x2) = \\max(0, x 1 - x2)", "x times 1", at="x 1"),
        ),
    ),
    Rule(
        "layout.minibatch-words",
        "layout",
        (
            r"- inputs :\`x1\`, \`x2\`, two 1D mini-batch \`Tensors\` / - \`y\`: a label 1D mini-batch tensor (PyTorch's words for a loss's arguments)",
            r"each name listed before the words, when the equations write it, is one number per example (`x_1 \in \mathbb{R}`: the equations are per example); called a label, it is the target (`parse/minibatch_prose.py`)",
        ),
        "parse/minibatch_prose.py",
        (
            ok(
                "\\text{loss}(x1, x2, y) = \\max(0, -y * (x1 - x2))\n\n- inputs :`x1`, `x2`, two 1D mini-batch `Tensors`\n- `y`: a label 1D mini-batch tensor (containing 1 or -1)\n",
                kinds={"y": "target"},
                x_1="",
                y="",
            ),
        ),
    ),
    Rule(
        "keys.gate-weight-names",
        "keys",
        (
            r"`f_t = \sigma(Wf x_t + bf)` (google/trax's SRU docstring: a gate's weights written with the gate's letter, no underscore)",
            r"`W_f`, `b_f`",
            r"a weight letter (W, U, V, w, b) and the letter of the value the equation defines, side by side with no space, in that value's own equation: the weight's name (a product would use f in its own definition); said in the readings (`read/rules_gate_weights.py`)",
        ),
        "read/rules_gate_weights.py",
        (
            ok(
                r"f_t = \sigma(Wf x_t + bf), x_t \in \mathbb{R}^{m}, f_t \in \mathbb{R}^{n}",
                says="one name, W_f",
                W_f="n x m",
                b_f="n",
            ),
        ),
    ),
    Rule(
        "layout.output-size-argument",
        "layout",
        (
            r"`n_units: output depth of the SRU layer.` (an argument list under the equations, google/trax)",
            r"the argument is the size of the output, the one value the equations define that no other equation uses (`h \in \mathbb{R}^{n_units}`, the size named by the argument's word); where no single value is the output, the line stays refused as prose (`parse/output_size.py`)",
        ),
        "parse/output_size.py",
        (
            ok(
                "f_t = \\sigma(W_f x_t + b_f)\nc_t = f_t \\times c_{t-1} + (1 - f_t) \\times x_t\nh_t = \\tanh(c_t)\n\nn_units: output depth of the layer.\n",
                says="n_units is the size of the output",
                h="n_units",
                W_f="n_units x n_units",
            ),
            refused(
                "h_t = \\tanh(W x_t)\ny_t = U x_t\n\nn_units: output depth of the layer.\n",
                "prose",
                at="n_units",
            ),
        ),
    ),
    Rule(
        "layout.probability-scalar",
        "layout",
        (
            r"where \`p\` is the predicted probability for the true class (Keras's loss docstrings)",
            r"a probability in the singular (not probabilities, not a distribution, vector or map) is one number: `p \in \mathbb{R}`, said in the readings; a predicted (estimated) probability is an input, a true (target) one the target (`parse/role_words.py`, kinds in `read/rules_prose_roles.py`)",
        ),
        "parse/role_words.py",
        (
            ok(
                "Formula:\n```python\nloss = (1 - p**q) / q\n```\nwhere `p` is the predicted probability for the true class.\n",
                says="a probability is one number",
                kinds={"p": "input"},
                p="",
                loss="",
            ),
            ok(
                "Formula:\n```python\nloss = (1 - p**q) / q\n```\nwhere `p` is the predicted probabilities.\n",
                p="d1",
            ),
        ),
    ),
    Rule(
        "conventions.named-parameter",
        "conventions",
        (
            r"the prose calls a symbol a parameter of the function by name: \"the parameter q\", \"\`q\` is the noise parameter\", \":math:\`\mu\` is the \`\`momentum\`\` parameter\"",
            r"a constant (a number the function is given), with no word of learning; a line of prose that names the symbol only so is read, not refused (`parse/role_words.py`); never a weight letter, \"the parameter vector\", \"a learnable parameter\", or \"$W_0$ is a parameter\" (no word for which)",
            r"`% papermath: q is parameter`",
        ),
        "read/rules_prose_roles.py",
        (
            ok(
                "It generalizes cross entropy through\nthe parameter q, where values closer to 1 make the loss more robust\n\n```python\nloss = (1 - p**q) / q\n```\n",
                says="parameter of the function",
                kinds={"q": "constant"},
                q="",
            ),
            ok(
                ".. math::\n\n    m_t = \\mu m_{t-1} + g_t\n\nwhere :math:`\\mu` is the ``momentum`` parameter.\n",
                kinds={"mu": "constant", "g": "input"},
                mu="",
            ),
            ok(
                ".. math::\n\n    h = W_0 x\n\nwhere :math:`W_0` is the weight parameter.\n",
                kinds={"W_0": "parameter"},
            ),
        ),
    ),
    Rule(
        "sizes.mean-count",
        "sizes",
        (
            r"`L = \frac{1}{N} \sum_i L_i + \lambda R(W)` (CS231n's full loss; N declared nowhere, the sum over the examples i without a bound)",
            r"N is the number of terms the sum over the examples (nodes) adds: a size and a number in the formula (in code, the count of the batch when it runs; with N in dims, that number), never a learned scalar; said in the readings. Only a single letter written nowhere else, under the 1 of a mean whose sum runs over a node or batch index with no bound or the bound N (`read/rules_mean_count.py`)",
        ),
        "read/rules_mean_count.py",
        (
            ok(
                r"f(x_i, W) = W x_i, L_i = -\log\left(\frac{e^{f_{y_i}}}{\sum_j e^{f_j}}\right), L = \frac{1}{N} \sum_i L_i, x_i \in \mathbb{R}^{D}, W \in \mathbb{R}^{K \times D}",
                says="the number N of terms the sum over i adds",
                kinds={"W": "parameter", "y": "target"},
                L="",
                W="K x D",
            ),
        ),
    ),
    Rule(
        "sizes.example-bound",
        "sizes",
        (
            r"`\ell = \frac{1}{2n}\sum_i^n (y_i - \hat{y}_i)^2` “where $n$ is the number of training examples, $y_i$ are the true labels, and $\hat{y}_i$ are the predicted labels” (Udacity's deep-learning notebooks); `\sum_{i=0}^{n}` (scikit-learn's MLP losses)",
            r"**i picks one example, n the number of examples** (`read/rules_example_bound.py`): where the prose calls the upper limit of `\sum_i^n` or `\sum_{i=1}^{n}` the number of (training) examples (samples, data points, observations, instances), i is the batch index, `y_i` one example's value and the sum a sum over the batch (n counted when it runs), not a sum over the entries of a vector; a symbol with that index the prose calls the (true, predicted) labels is one number per example, a scalar. Said in the readings. `\sum_{i=0}^{n}` (n + 1 terms) is refused at the range, naming the count",
        ),
        "read/rules_example_bound.py",
        (
            ok(
                "$$\\ell = \\frac{1}{2n}\\sum_i^n{\\left(y_i - \\hat{y}_i\\right)^2}$$\n\nwhere $n$ is the number of training examples, $y_i$ are the true labels, and $\\hat{y}_i$ are the predicted labels.\n",
                says="picks one of the n examples",
                kinds={"y": "target"},
                y="",
                y_hat="",
                ell="",
            ),
            ok(
                "$$L = \\frac{1}{n}\\sum_{i=1}^{n} \\|W x_i - t_i\\|^2$$\n\nwhere $n$ is the number of samples and $W \\in \\mathbb{R}^{k \\times d}$.\n",
                says="picks one of the n examples",
                W="k x d",
                x="d",
                t="k",
            ),
            refused(
                r"L = \frac{1}{n}\sum_{i=0}^{n} (y_i - p_i)^2",
                "counts n + 1 terms",
                at="i=0",
            ),
        ),
    ),
    Rule(
        "sizes.example-tensors",
        "sizes",
        (
            r"a loss's usage example under its formula `L(a, p, n) = \max \{d(a_i, p_i) - d(a_i, n_i) + {\rm margin}, 0\}`: `anchor = torch.randn(100, 128)` ... `output = triplet_loss(anchor, positive, negative)` (PyTorch's docs, a blog copying them)",
            r"the call passes as many tensors as L takes: its arguments in order; each a matrix of samples (100 rows of 128), and the body writes each as a row a_i, so the formula is one sample's (`parse/samples.py`) and `a \in \mathbb{R}^{128}`, the width the example writes (said in the readings). Only one such call, every tensor from `torch.randn` (rand, ones, zeros, empty) with two numbers and the same rows (`parse/code_example.py`)",
        ),
        "parse/code_example.py",
        (
            ok(
                "$$L(a, p, n) = \\max \\{\\|a_i - p_i\\| - \\|a_i - n_i\\| + 1, 0\\}$$\n\n```python\nanchor = torch.randn(100, 128)\npositive = torch.randn(100, 128)\nnegative = torch.randn(100, 128)\noutput = loss(anchor, positive, negative)\n```\n",
                says="one sample's loss",
                kinds={"a": "input"},
                a="128",
                n="128",
                L="",
            ),
            refused(
                "$$L(a, p, n) = \\max \\{\\|a_i - p_i\\| - \\|a_i - n_i\\| + 1, 0\\}$$\n\n```python\nanchor = torch.randn(100, 128)\npositive = torch.randn(100, 128)\nnegative = torch.randn(50, 128)\noutput = loss(anchor, positive, negative)\n```\n",
                "a_i",
                at="a_i",
            ),
        ),
    ),
    Rule(
        "layout.argument-role",
        "layout",
        (
            r"an argument list's line `y_true: The ground truth values.`, `y_pred: The predicted values.` (Keras's loss docstrings)",
            r"the argument is the target (ground truth, true, target values or labels) or an input (predicted values), where the equations write the name: read, not refused as prose; several such lines at once (`parse/role_words.py`)",
        ),
        "parse/role_words.py",
        (
            ok(
                "Formula:\n\n```python\nloss = mean(maximum(1 - y_true * y_pred, 0), axis=-1)\n```\n\nArgs:\n    y_true: The ground truth values. `y_true` values are expected to be -1\n        or 1.\n    y_pred: The predicted values.\n",
                kinds={"y_true": "target", "y_pred": "input"},
                loss="",
            ),
            refused(
                "Formula:\n\n```python\nloss = mean(maximum(1 - y_true * y_pred, 0), axis=-1)\n```\n\nArgs:\n    z_true: The ground truth values.\n",
                "prose",
                at="z_true",
            ),
        ),
    ),
    Rule(
        "sizes.prose-count",
        "sizes",
        (
            r"\"where $d$ is the number of features\", \":math:\`B\` is the number of bases\", \"$B$ is the batch size\", \"$n$ denotes the dimension of the input\"",
            r"the symbol is a size: used as a value (`\frac{1}{\sqrt{d}}`) it is that number, a constant given in dims, never a learned scalar; said in the readings. What it counts is not tied to a shape by these words alone (a declaration does that). Only a symbol no equation defines, no directive names, and no index (`read/rules_prose_count.py`)",
        ),
        "read/rules_prose_count.py",
        (
            ok(
                "$$y = \\frac{1}{\\sqrt{d}} W x$$\nwhere $d$ is the number of features and $x \\in \\mathbb{R}^{m}$.\n",
                says="the size d, as the prose says",
                W="d1 x m",
            ),
            refused(
                "$$y = \\frac{1}{\\sqrt{d}} W x$$\nwhere $x \\in \\mathbb{R}^{m}$.\n",
                "declared nowhere",
                at="d",
            ),
        ),
    ),
    Rule(
        "functions.value-powers",
        "functions",
        (
            r"`(1+t)^\gamma`, `-(1 - p)^\gamma \log(p)` (a power of an expression by a letter), `loss = (1 - p**q) / q` in code",
            r"the power by a value, entry by entry (`np.power`), the exponent one number (a vector exponent is a shape error); its gradient `b a^{b-1}` into the base, `a^b \log a` into the exponent; on a symbol (`W^z`) a letter stays a label; a base with the step's letter as a value (`(1+t)^\gamma` beside `u_t`) is refused at that letter",
        ),
        "read/rules_value_powers.py",
        (
            ok(
                "% inputs: p\nL = -(1 - p)^\\gamma \\log(p)\np \\in \\mathbb{R}^{n}",
                gamma="",
                p="n",
            ),
            ok("```python\nloss = (1 - p**q) / q\n```\n", q=""),
            refused("u_t = -\\alpha g_t\ns_t = \\frac{\\eta}{(1+t)^\\gamma}", "as a value", at="t"),
        ),
    ),
    Rule(
        "sizes.greek-constant-terms",
        "sizes",
        (
            r"`delta * abs(x) - 0.5 * delta**2`, `x - \lambda \mu^2`: arithmetic of lowercase Greek letters no equation defines, beside a value in a sum",
            r"a number (as one such letter is, `x - \mu`): it broadcasts, and never takes the other side's shape",
        ),
        "shapes/rules_greek_terms.py",
        (
            ok(
                "```python\nloss = mean(abs(error) - 0.5 * delta**2, axis=-1)\n```\n",
                delta="",
                error="n",
            ),
        ),
    ),
    Rule(
        "statements.per-sample-loss",
        "statements",
        (
            r"`L(a, p, n) = \max\{d(a_i, p_i) - d(a_i, n_i) + m, 0\}` after prose that says \"for each sample (in the mini-batch)\" (PyTorch's TripletMarginLoss)",
            r"one sample's loss: `a_i` is the sample i of the batch a, read as the example's value a (code batches the examples); without the sentence `a_i` could be an entry of a vector, and it is refused",
        ),
        "parse/samples.py",
        (
            ok(
                "The loss function for each sample in the mini-batch is:\n"
                "$$L(a, p, n) = \\max \\{d(a_i, p_i) - d(a_i, n_i) + m, 0\\}$$\n"
                "where $$d(x_i, y_i) = \\| x_i - y_i \\|_2$$\n",
                says="for each sample",
                L="",
                a="?",
            ),
            refused(
                "$$L(a, p, n) = \\max \\{d(a_i, p_i) - d(a_i, n_i) + m, 0\\}$$\n"
                "where $$d(x_i, y_i) = \\| x_i - y_i \\|_2$$\n",
                "a_i in the body",
                at="a_i",
            ),
        ),
    ),
    Rule(
        "layout.one-statement-per-line",
        "layout",
        (
            r"one statement per line",
            r"each line a statement; a line ending in an operator (`+`, `=`, `\cdot`) or inside open brackets continues",
        ),
        "parse/layout.py",
        (
            ok(
                "h_t = \\tanh(W h_{t-1} +\n U x_t)\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                W="n x n",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "layout.begin-align-end-align",
        "layout",
        (
            r"`\begin{align} ... &= ... \\ ... \end{align}` (also `align*`, `equation`, `array{ll}`, `gather`, `split`, `aligned`, ...)",
            r"`&` is alignment, `\\` ends a statement; environments must be closed and matched",
        ),
        "parse/layout.py",
        (
            ok(
                "\\begin{align} z_t &= \\sigma(W_z x_t + U_z h_{t-1}) \\\\ h_t &= z_t \\odot \\tanh(W x_t) \\end{align}\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                W_z="n x m",
                U_z="n x n",
            ),
        ),
    ),
    Rule(
        "layout.math-delimiters",
        "layout",
        (
            r"`$...$`, `$$...$$`, `\[...\]`, `\(...\)`",
            r"if the text contains any of these, only the math inside them (and inside environments) is read: the rest is prose; inline math that only mentions a value (`where $h_{t-1}$ is ...`) is prose too",
        ),
        "parse/layout.py",
        (
            ok(
                r"The cell is $$h_t = \tanh(W h_{t-1} + U x_t)$$ where $x_t \in \mathbb{R}^m$ and $h_t \in \mathbb{R}^n$ is the state.",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "layout.prose-names-activation",
        "layout",
        (
            r'prose: "where $\sigma_y$ is the logistic sigmoid", "$\phi_h$ denotes the hyperbolic tangent"',
            r"names that activation (as `% \sigma_y: sigmoid` does)",
        ),
        "parse/layout.py",
        (
            ok(
                r"$$y_t = \sigma_y(W_y h_t)$$ where $\sigma_y$ is the logistic sigmoid and $h_t \in \mathbb{R}^n$, $y_t \in \mathbb{R}^k$.",
                says=r"sigmoid",
                W_y="k x n",
            ),
        ),
    ),
    Rule(
        "layout.prose-names-functions",
        "layout",
        (
            'prose: ":math:`\\sigma` and :math:`g` denote the sigmoid and softplus functions, respectively" (PyG\'s CGConv)',
            r"names both, in order: `g(...)` is then the softplus, not a learnable function (`src/papermath/parse/__init__.py`, `tests/test_graph_sets.py`)",
        ),
        "parse/__init__.py",
        (
            ok(
                r"$$y = \sigma(W x) \odot g(V x)$$ where :math:`\sigma` and :math:`g` denote the sigmoid and softplus functions, respectively, $x \in \mathbb{R}^m$, $y \in \mathbb{R}^n$.",
                says=r"softplus",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "layout.prose-edge-weight",
        "layout",
        (
            'prose: ":math:`e_{j,i}` denotes the edge weight from source node j to target node i" (PyG\'s GraphConv, GCNConv)',
            r"declares `e_{j,i} \in \mathbb{R}`: a weight on an edge is one number (said in the readings); without these words a value per edge given as data has the shape the equations give it",
        ),
        "parse/layout.py",
        (
            ok(
                r"$$x_i' = \sum_{j \in \mathcal{N}(i)} e_{j,i} \Theta x_j$$ where :math:`e_{j,i}` denotes the edge weight from source node j to target node i, $x_j \in \mathbb{R}^F$.",
                says=r"edge",
                e="",
            ),
        ),
    ),
    Rule(
        "layout.where",
        "layout",
        (
            r"`where`, `and`, `with`, `for`, `let`, `given`, `,`, `;`, `\quad` between statements",
            r"separators",
        ),
        "parse/layout.py",
        (
            ok(
                r"h_t = \tanh(W h_{t-1} + U x_t) \quad \text{where} \quad x_t \in \mathbb{R}^m \text{ and } h_t \in \mathbb{R}^n",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "layout.sentence-period",
        "layout",
        (
            r"a `.` that ends a sentence (before a line end or the end of the math)",
            r"separator; elsewhere `a . b` is a product",
        ),
        "parse/layout.py",
        (
            ok(
                "h_t = \\tanh(W h_{t-1} + U x_t).\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n.",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "layout.left-right",
        "layout",
        (
            r"`\left( \right)`, `\big[`, `\Bigl(`, `\,`, `\;`, `~`, `\displaystyle`, `\nonumber`, `\label{..}`",
            r"layout only, ignored",
        ),
        "parse/layout.py",
        (
            ok(
                "h_t = \\tanh\\left( W h_{t-1} + U x_t \\right) \\, , \\quad x_t \\in \\mathbb{R}^m \\label{eq:1} \\nonumber\nh_t \\in \\mathbb{R}^n",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "layout.comment",
        "layout",
        (
            r"`% comment`",
            r"ignored, unless it holds declarations (`% x_t \in \mathbb{R}^m`), a directive (`% papermath: W is input`), roles (`% inputs: Q, K, V`) or an activation's name (`% \sigma_y: softmax`); commented-out equations stay ignored",
        ),
        "parse/layout.py",
        (
            ok(
                "h_t = \\tanh(W h_{t-1} + U x_t)\n% x_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n\n% papermath: W is input",
                kinds={"W": "input"},
                U="n x m",
            ),
        ),
    ),
    Rule(
        "layout.plain-step",
        "layout",
        (
            r"plain text: `h_t-1`, `C_t-1` (no braces, no spaces)",
            r"the step t-1 (`h_{t-1}`), said in the readings: never `h_t` minus 1",
        ),
        "parse/layout.py",
        (ok("C_t = f_t * C_t-1\nC_t in R^n, f_t in R^n", says=r"step t-1", C="n"),),
    ),
    Rule(
        "layout.w-xf",
        "layout",
        (
            r"plain text: `W_xf` (a subscript word without braces)",
            r"one label, `W_{xf}` (said in the readings)",
        ),
        "parse/layout.py",
        (
            ok(
                "f_t = sigmoid(W_xf x_t + W_hf h_t-1)\nx_t in R^m, f_t in R^n, h_t in R^n",
                W_xf="n x m",
            ),
        ),
    ),
    Rule(
        "layout.x-t-in-r-m",
        "layout",
        (
            r"plain text: `x_t in R^m` (the word `in` between spaces), `*`",
            r"`\in`; `*` is a product decided by shapes",
        ),
        "parse/layout.py",
        (ok("h_t = tanh(W * h_t-1 + U * x_t)\nx_t in R^m, h_t in R^n", W="n x n", U="n x m"),),
    ),
    Rule(
        "layout.plain-prime-transpose",
        "layout",
        (
            r"plain text: `W'` where `W` is also written alone, and no LaTeX command anywhere",
            r"`W^T` (a transpose, as MATLAB-style notes write it); in LaTeX `x'` stays a new symbol `x_prime`",
        ),
        "parse/layout.py",
        (ok("a = W' x\nb = W a\nx in R^m, a in R^n", says=r"transpose", W="m x n"),),
    ),
    Rule(
        "presentation.color-red",
        "presentation",
        (
            r"`\color{red}`, `\Huge`, `\large`, `\small`, `\textstyle`, `\phantom{..}`, `\vphantom{..}`, `\tag{..}`, `\hspace{..}`",
            r"nothing: presentation",
        ),
        "parse/normalize.py",
        (
            ok(
                "{\\color{red} h_t} = \\tanh(W h_{t-1} + U x_t) \\tag{1}\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.approximation-remark",
        "presentation",
        (
            r"`\beta_l = \log(\frac{\lambda}{l}+1)\approx\frac{\lambda}{l}` (DGL's GCN2Conv, in prose): an approximation after an equation",
            r"a remark that computes nothing: the equation before it says the value, and `\approx ...` (to the formula's end) is left out, said in the readings; an approximation with no equation before it (`y \approx W x`), or `a = b \approx c = d`, stays refused",
        ),
        "parse/approx_remark.py",
        (
            ok(
                r"b = \log(1 + x) \approx x, x \in \mathbb{R}^{n}",
                says="approximation left out",
                b="n",
            ),
            refused(r"y \approx W x", "an approximation is not an equation", at=r"\approx"),
        ),
    ),
    Rule(
        "presentation.textcolor-red-x",
        "presentation",
        (
            r"`\textcolor{red}{x}`, `\colorbox{c}{x}`, `\boxed{x}`, `\smash{x}`",
            r"`{x}`, the mathematics exactly, as a group; `\boxed{h = W x}` is the equation",
        ),
        "parse/normalize.py",
        (
            ok(
                "\\boxed{h_t = \\tanh(W h_{t-1} + \\textcolor{blue}{U x_t})}\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.mathop-x",
        "presentation",
        (
            r"`\mathop{x}`",
            r"`x`",
        ),
        "parse/normalize.py",
        (
            ok(
                "h_t = \\mathop{\\tanh}(W h_{t-1} + U x_t)\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.underbrace-w-x-text-logits",
        "presentation",
        (
            r"`\underbrace{W x}_{\text{logits}}`, `\underbrace{...}_\text{data loss}` (CS231n, the words' braces left out), `\overbrace{x}^{..}`",
            r"`{W x}`: the words under or over the brace are dropped, the mathematics kept",
        ),
        "parse/normalize.py",
        (
            ok(
                r"y = \mathrm{softmax}(\underbrace{W x}_{\text{logits}}), x \in \mathbb{R}^m, y \in \mathbb{R}^k",
                W="k x m",
            ),
            ok(
                r"L = \underbrace{ \frac{1}{N} \sum_i a_i }_\text{data loss} + \underbrace{ \lambda r }_\text{regularization loss}, a \in \mathbb{R}^{N}, r \in \mathbb{R}",
                L="",
            ),
        ),
    ),
    Rule(
        "presentation.mathtt-x",
        "presentation",
        (
            r"`\mathtt{x}`; `\vert`",
            r"`\mathrm{x}` (a font); `|`",
        ),
        "parse/normalize.py",
        (
            ok(
                "h_t = \\tanh(\\mathtt{W} h_{t-1} + U x_t)\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                W="n x n",
            ),
        ),
    ),
    Rule(
        "presentation.mid-bars",
        "presentation",
        (
            r"`\mid\mid s_j \mid\mid` (two `\mid` in a row, a Chinese blog's capsule squash)",
            r"the double bar of a norm, `\|s_j\|`; one `\mid` alone stays the bar of a conditional probability `p(a \mid b)`, refused",
        ),
        "parse/mid_bars.py",
        (
            ok(r"v = \mid\mid s \mid\mid^2 s, s \in \mathbb{R}^n", v="n"),
            refused(r"y = p(a \mid b)", "conditional probability", at="\\mid"),
        ),
    ),
    Rule(
        "presentation.prose-word-in-text-name",
        "presentation",
        (
            r"`\text{where head}_i = ...` (a prose word typed inside the \\text of a name: Lil'Log's multi-head attention)",
            r"the word is blanked: `\text{head}_i`; `\text{where}` alone stays a prose word between equations",
        ),
        "parse/text_prose.py",
        (
            ok(
                "y = [\\mathrm{head}_1; \\dots; \\mathrm{head}_h] W_O\n\\text{where head}_i = W_i x\nx \\in \\mathbb{R}^n, W_i \\in \\mathbb{R}^{m \\times n}",
                head="m",
            ),
        ),
    ),
    Rule(
        "presentation.index-range-after-symbol",
        "presentation",
        (
            r"`$u_i(i \in [6 * 6 * 32])$： 表示PrimaryCaps的某个8D的Capsule` (a symbol named in prose with its index's range in parentheses: a Chinese CapsNet README)",
            r"prose that names the symbol and the values its index takes: blanked, as `($i = 1, \ldots, h$)` is; the index is read where the equations use it",
        ),
        "parse/range_mentions.py",
        (ok("$u_i(i \\in [n])$ is the input of capsule i\n\n$$v = W u$$", W="? x ?"),),
    ),
    Rule(
        "presentation.slice-mention-in-prose",
        "presentation",
        (
            r"`you can represent $PE_{(pos+k,:)}$ as a linear function of $PE_{(pos,:)}$` (inline math in a sentence that names a row or column, a colon in its subscript, and states nothing: the UvA notebooks); `Each column :math:\`W^{(1)}_{\cdot i}\`` (`\cdot` the placeholder of the whole axis: the Theano MLP tutorial)",
            r"a mention, blanked as other inline mentions are passed over; a slice in an equation (display math, or inline math with `=`, `\in`) is untouched and refused as before (`parse/index_slices.py`)",
        ),
        "parse/slice_mentions.py",
        (
            ok("the row $W_{(i,:)}$ is then used\n\n$$y = W x$$", W="? x ?"),
            ok("each column $W_{\\cdot i}$ is then used\n\n$$y = W x$$", W="? x ?"),
            refused("$$y = A_{v:} x$$", "a colon in a subscript", at=":"),
        ),
    ),
    Rule(
        "presentation.condition-mention-in-prose",
        "presentation",
        (
            r"`for subsequent inputs, $y_{t>1}$, we will sometimes use the actual, ground truth next word` (inline math in a sentence that names a value at the steps a comparison in its subscript picks, and states nothing: bentrevett's seq2seq notebook)",
            r"a mention, blanked as other inline mentions are passed over; a condition in a script of an equation (display math, or inline math with `=`) is untouched and refused as before (`parse/unexpected.py`)",
        ),
        "parse/condition_mentions.py",
        (
            ok("For the later inputs, $y_{t>1}$, we use the prediction.\n\n$$y = W x$$", W="? x ?"),
            refused("$$y_{t>1} = W x_t$$", "a condition in it", at=">"),
        ),
    ),
    Rule(
        "operators.sum-subscript-run-on",
        "operators",
        (
            r"`\sum_kexp(b_{ik})` (a subscript without braces run into a function's name: a Chinese CapsNet README's routing softmax)",
            r"`\sum_k exp(b_{ik})`, as LaTeX typesets it (a subscript without braces is one character): the sum over k of the function of the parenthesis; said in the readings",
        ),
        "read/rules_sum_runon.py",
        (ok(r"y = \sum_jexp(x_j)", says="sum index run into a function", y=""),),
    ),
    Rule(
        "operators.sum-scope-over-terms",
        "operators",
        (
            r"`L = \sum_{v\in V} y_v \log(\sigma(z_v^T\theta)) + (1-y_v)\log(1-\sigma(z_v^T\theta))` (cs224w's node classification loss), `\sum_i \log \psi_\text{EMIT}(y_i \rightarrow x_i) + \log \psi_\text{TRANS}(y_{i-1} \rightarrow y_i)` (a sum without parentheses, the terms after it using its index)",
            r"**the sum over every term** (`read/rules_sum_scope.py`): in a chain `\sum_v A + B - C`, where every later term writes, with v in its subscript, a symbol the sum's body writes with v (`y_v` in both), no sum inside it runs over v and the left side does not carry v, the sum runs over the whole chain (the only reading in which each term has a value); said in the readings. A later term that does not use v stays outside (`\sum_i a_i + b`); a free index otherwise is refused as before; a sum after a minus sign is not extended",
        ),
        "read/rules_sum_scope.py",
        (
            ok(
                "$$L = \\sum_{v\\in V} y_v \\log(\\sigma(z_v^T\\theta)) + (1-y_v)\\log(1-\\sigma(z_v^T\\theta))$$\n\n$$y_v \\in \\{0, 1\\}$$ is the label.",
                says="a sum over every term that uses its index",
                L="",
                y="",
                theta="d1",
            ),
            refused(
                r"L = \sum_{v \in V} y_v \log(\sigma(z_v^T\theta)) + c + (1 - y_v)",
                "L is not indexed by v",
                at="y_v",
            ),
        ),
    ),
    Rule(
        "sizes.value-in-a-set-of-numbers",
        "sizes",
        (
            r"`$$y_v \in \{0, 1\}$$ is the node class label` (cs224w), `y_i \in \{-1, 1\}`: a subscripted symbol in a set written out as numbers",
            r"**one number** (`read/rules_number_sets.py`): each y_v is one of the numbers listed, a scalar per v, as `y_v \in \mathbb{R}` (its values are not checked); where the words right after the math call it a label (\"is the ... label\"), it is the target. Only a subscripted symbol (a letter alone in a set, `t \in \{1, 2\}`, names steps) and a set of two or more plain numbers (a set with dots or letters is a set of indices). Beside it, an inline `$y_v=1$` (\"if the label is positive\") names one member of a value per node, not a constant (`read/rules_constant_words.py`)",
        ),
        "read/rules_number_sets.py",
        (
            ok(
                "$$L = \\sum_{v \\in V} y_v \\log(\\sigma(z_v^T \\theta))$$\n\n$$y_v \\in \\{0, 1\\}$$ is the node class label, and the first term counts if the label is positive ($y_v=1$).",
                says="one number from a set",
                kinds={"y": "target", "theta": "parameter"},
                y="",
                L="",
            ),
        ),
    ),
    Rule(
        "keys.subscript-run-on-before-a-script",
        "keys",
        (
            r"`e_{vu} = a(W_kh_u^{k-1}, W_kh_v^{k-1})`, `\alpha_{vu}W_kh^{k-1}_u` (cs224w's graph attention: an unbraced subscript run into the next symbol, which carries scripts of its own)",
            r"`W_k` times `h_u^{k-1}`",
            r"as LaTeX typesets it (`read/rules_script_runon.py`): a two-letter subscript without braces followed by a second subscript (`_u`, also after a superscript) is its first letter, times the second letter with the scripts that follow (`W_{kh}_u` would be a double subscript, which LaTeX does not typeset); said in the readings. Without a second subscript (`W_xf x`, `W_ij^2`: plain text's W_{ij} squared) the two letters stay one label",
        ),
        "read/rules_script_runon.py",
        (
            ok(
                r"y_v = \sum_{u \in N(v)} W_kh_u, h_u \in \mathbb{R}^{d}",
                says="subscript run into the next symbol",
                W_k="? x d",
                h="d",
            ),
            ok(r"y_v = \sum_{u \in N(v)} W_{kh} h_u, h_u \in \mathbb{R}^{d}", W_kh="? x d"),
        ),
    ),
    Rule(
        "operators.sum-index-shadows-a-step",
        "operators",
        (
            r"`\alpha_{vu} = \frac{\exp(e_{vu})}{\sum_{k\in N(v)}\exp(e_{vk})}` beside `h_v^k`, `W_k`, `h_u^{k-1}` (cs224w's graph attention: the sum's letter is the layer's elsewhere)",
            r"**a letter of its own inside the sum** (`read/rules_sum_shadow.py`): a sum over a node's neighbourhood binds its letter, so inside it (its body) k is the neighbour, whatever k is outside; where k carries an offset elsewhere (a step), the sum's k is renamed to a fresh letter (said in the readings). Not where the equation's left side carries k (the letter would name two things in one equation: refused as before), nor a sum over a range of numbers",
        ),
        "read/rules_sum_shadow.py",
        (
            ok(
                r"h_v^k = \sigma(\sum_{u \in N(v)} a_{vu} W h_u^{k-1}), a_{vu} = \frac{\exp(e_{vu})}{\sum_{k \in N(v)} \exp(e_{vk})}, e_{vu} = w^T [h_u^{k-1} \| h_v^{k-1}]",
                says="apart from the step k",
                kinds={"h": "state", "W": "parameter"},
                e="",
                a="",
                w="2*d1",
            ),
            refused(
                r"h_v^k = \sigma(\sum_{k \in N(v)} a_{vk} W h_k^{k-1})",
                "k is used both",
                at="k-1",
            ),
        ),
    ),
    Rule(
        "sizes.pair-coefficient-scalar",
        "sizes",
        (
            r"\"the attention coefficients $$e_{vu}$$ across pairs of nodes\" (cs224w's graph attention): the word coefficient before a symbol with a pair's indices",
            r"**one number per pair** (`parse/coefficient_words.py`): a symbol in inline math right after \"coefficient(s)\" whose subscript is two letters (`e_{vu}`, `\alpha_{i,j}`) is declared a scalar, `e_{vu} \in \mathbb{R}`, the reading quoting the words. A symbol without a pair's indices (\"the coefficients $w$\" of a polynomial: a vector) is not read so. Where an unnamed mechanism computes it (`e_{vu} = a(W h_u, W h_v)`, a value per edge), the learnable function's output is that one number (`functions.edge-score-function`: the default affine map, to one number, as for every function the source leaves undefined, the reading saying so); elsewhere a learnable function's output is a vector, and a number from one is refused at the call",
        ),
        "parse/coefficient_words.py",
        (
            ok(
                "Let the attention coefficients $e_{ij}$ weigh the neighbours.\n\n$$y_i = \\sum_{j \\in N(i)} e_{ij} h_j$$\n\n$$h_j \\in \\mathbb{R}^{d}$$",
                says="pair-coefficient-scalar",
                e="",
                y="d",
            ),
            ok(
                "The attention coefficients $e_{vu}$ weigh the neighbours.\n\n$$h_v^k = \\sigma(\\sum_{u \\in N(v)} \\alpha_{vu} W h_u^{k-1}), \\alpha_{vu} = \\frac{\\exp(e_{vu})}{\\sum_{j \\in N(v)} \\exp(e_{vj})}, e_{vu} = a(W h_u^{k-1}, W h_v^{k-1})$$",
                says="pair-coefficient-scalar",
                e="",
                alpha="",
                W="d1 x d1",
            ),
        ),
    ),
    Rule(
        "presentation.markdown-escapes",
        "presentation",
        (
            r"`\_`, `\*` (markdown escapes)",
            r"`_`, `*`",
        ),
        "parse/normalize.py",
        (
            ok(
                "h\\_t = \\tanh(W h\\_{t-1} + U x\\_t)\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.text-where",
        "presentation",
        (
            r"`\text{where}`, `\text{ and }`, `\text{for}` between equations",
            r"the word: a separator",
        ),
        "parse/normalize.py",
        (
            ok(
                r"h_t = \tanh(W h_{t-1} + U x_t) \text{ where } x_t \in \mathbb{R}^m \text{ and } h_t \in \mathbb{R}^n",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.double-dollar-inline",
        "presentation",
        (
            r"`$$x$$` inside a line of prose (CS231n)",
            r"inline math `$x$`",
        ),
        "parse/normalize.py",
        (
            ok(
                r"The update is $$h_t = \tanh(W h_{t-1} + U x_t)$$ with $$x_t \in \mathbb{R}^m$$ and $$h_t \in \mathbb{R}^n$$ as usual.",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.math-fence",
        "presentation",
        (
            r"a markdown fence ```` ```math ```` ... ```` ``` ````",
            r"display math",
        ),
        "parse/normalize.py",
        (
            ok(
                "The cell:\n```math\nh_t = \\tanh(W h_{t-1} + U x_t)\n```\nwith $x_t \\in \\mathbb{R}^m$, $h_t \\in \\mathbb{R}^n$.",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.align",
        "presentation",
        (
            r"a newline inside `align`, `aligned`, `array`, `equation`, ...",
            r"a space, as in LaTeX: `\\` ends a row; two rows without `\\` are one row (refused: two equations on one row, at the second's left side)",
        ),
        "parse/normalize.py",
        (
            refused(
                "\\begin{array}{l}\nh_t = \\tanh(W h_{t-1} + U x_t)\nr_t = \\sigma(W_r x_t)\n\\end{array}",
                r"two equations on one row",
                at=r"r_t",
            ),
        ),
    ),
    Rule(
        "presentation.prose-lines",
        "presentation",
        (
            r"plain text: a prose line (three words in a row, CJK, a heading) with no `=` that names no symbol",
            r'skipped; prose that names a symbol ("where x is the input") is refused, not skipped',
        ),
        "parse/normalize.py",
        (
            ok(
                "The Elman network\n$$h_t = \\tanh(W h_{t-1} + U x_t)$$\n$$x_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n$$",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.rst",
        "presentation",
        (
            r"reStructuredText: `:math:` roles, `.. math::` blocks",
            r"`$...$` and display math (a paragraph of a `.. math::` block is one equation, as Sphinx reads it); a role on an operator alone (`:math:`*``, also `$\odot$`) is prose naming it; so is an arrow alone (`Linear$\to$ReLU$\to$Linear`: the order of layers, no values on either side)",
        ),
        "parse/normalize.py",
        (
            ok(
                ".. math::\n\n    h_t = \\tanh(W h_{t-1} + U x_t)\n\nwhere :math:`x_t \\in \\mathbb{R}^m` and :math:`h_t \\in \\mathbb{R}^n`.",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.newline-in-display",
        "presentation",
        (
            r"a newline inside `$$...$$` or `\[...\]`, or between LaTeX lines beside RST prose",
            r"a space, as in LaTeX, unless the lines are separate equations: the next line is blank, or has its own `=` while the equation so far has one (`a = 1` newline `b = 2`: two equations); `\\` ends a row",
        ),
        "parse/normalize.py",
        (
            ok(
                "$$h_t = \\tanh(W h_{t-1}\n+ U x_t)$$\n$$x_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n$$",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.code-blocks",
        "presentation",
        (
            'a code block of another language (```` ```python ````, ```` ```java ````), a markdown code span `` `x ** 2` `` (outside RST), a web address, a docstring\'s `"""`',
            r"nothing (blanked) beside LaTeX equations; a formula written only as code is read as code (functions.formula-as-code)",
        ),
        "parse/normalize.py",
        (
            ok(
                "Use `f(x) = x ** 2` in code.\n\n$$h = W x$$ where $x \\in \\mathbb{R}^m$ and $h \\in \\mathbb{R}^n$",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.h-w-x-https-math-jianshu-com",
        "presentation",
        (
            r"`![h = W x](https://math.jianshu.com/math?formula=...)` (a formula image's alt text)",
            r"inline math `$h = W x$`",
        ),
        "parse/normalize.py",
        (
            ok(
                r"![h = W x](https://math.jianshu.com/math?formula=h%3DWx) where $x \in \mathbb{R}^m$ and $h \in \mathbb{R}^n$",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.inline-mentions",
        "presentation",
        (
            r"`$\odot$` alone; `($i = 1, \ldots, h$)`; `$(N, D)$`; `$A, B$ are ...`; `(number of examples $=n$)`; `$\sigma(\cdot)$`, `$\mathcal{S}(.)$`",
            r"prose that names them: nothing to read",
        ),
        "parse/normalize.py",
        (
            ok(
                r"where $\odot$ is the Hadamard product: $$h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tanh(W x_t)$$ with $x_t \in \mathbb{R}^m$, $h_t \in \mathbb{R}^n$",
                W="n x m",
                z="n",
            ),
        ),
    ),
    Rule(
        "presentation.rm-margin",
        "presentation",
        (
            r"`{\rm margin}`; `\d{outputs}` (an accent used to set a name)",
            r"the name `margin`, `outputs`",
        ),
        "parse/normalize.py",
        (ok(r"L = \max(0, {\rm margin} - y (x_1 - x_2))", margin="?"),),
    ),
    Rule(
        "presentation.sum-k-0-k",
        "presentation",
        (
            r"`{\sum}_{k=0}^K`",
            r"`\sum_{k=0}^K` (braces around the operator alone)",
        ),
        "parse/normalize.py",
        (ok(r"y = {\sum}_{i=1}^{n} a_i x_i, x \in \mathbb{R}^n", a="n", y=""),),
    ),
    Rule(
        "presentation.text-forget-gate",
        "presentation",
        (
            r"`\text{(Forget gate)}` after a row",
            r"nothing: a remark that names the row",
        ),
        "parse/normalize.py",
        (
            ok(
                "\\begin{aligned} f_t &= \\sigma(W_f x_t + U_f h_{t-1}) & \\text{(Forget gate)} \\\\ h_t &= f_t \\odot h_{t-1} \\end{aligned}\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                W_f="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.escaped-delimiters",
        "presentation",
        (
            r"`\\( ... \\)` on one line (markdown's escaped MathJax delimiters)",
            r"inline math `\( ... \)`",
        ),
        "parse/normalize.py",
        (
            ok(
                r"The state \\( h_t = \tanh(W h_{t-1} + U x_t) \\) with \\( x_t \in \mathbb{R}^m \\), \\( h_t \in \mathbb{R}^n \\)",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.for-t-0",
        "presentation",
        (
            r"`for $t > 0$` (a comparison alone in inline math)",
            r"prose: a condition is not read",
        ),
        "parse/normalize.py",
        (
            ok(
                r"$$h_t = \tanh(W h_{t-1} + U x_t)$$ for $t > 0$, with $x_t \in \mathbb{R}^m$, $h_t \in \mathbb{R}^n$",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.div-class-fig",
        "presentation",
        (
            'HTML tags in markdown (`<div class="fig">`, `<img ...>`); a docstring\'s `class Loss(_Loss):` line, its `Args:` / `Parameters` sections and `name : type` lines; a bold title `**GRU**`',
            r"prose",
        ),
        "parse/normalize.py",
        (
            ok(
                '<div class="fig"><img src="a.png"></div>\n$$h_t = \\tanh(W h_{t-1} + U x_t)$$\n$$x_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n$$',
                U="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.r-t-bigodot-h-t-1",
        "presentation",
        (
            r"`r_t \bigodot h_{t-1}` (between two values)",
            r"the Hadamard product `\odot`",
        ),
        "parse/normalize.py",
        (
            ok(
                "h_t = r_t \\bigodot h_{t-1} + U x_t\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                says=r"Hadamard",
                r="n",
            ),
        ),
    ),
    Rule(
        "presentation.overrightarrow-h",
        "presentation",
        (
            r"`\overrightarrow{h}`, `\overleftarrow{h}`",
            r"decorations: new variables, as `\tilde{h}`",
        ),
        "parse/normalize.py",
        (
            ok(
                r"y_t = W \overrightarrow{h}_t + V \overleftarrow{h}_t, \overrightarrow{h}_t \in \mathbb{R}^n, \overleftarrow{h}_t \in \mathbb{R}^n, y_t \in \mathbb{R}^k",
                W="k x n",
            ),
        ),
    ),
    Rule(
        "presentation.a-bar-between-two-indices-of",
        "presentation",
        (
            r"a bar between two indices of a subscript (capsules' u-hat with subscript j bar i)",
            r"the two indices `j, i`, as `\hat{u}_{j,i}`",
        ),
        "parse/normalize.py",
        (refused(r"\hat{u}_{j|i} = W_{ij} u_i", r"two indices"),),
    ),
    Rule(
        "presentation.max-a-b",
        "presentation",
        (
            r"`\max \{a, b\}`",
            r"`\max(a, b)`",
        ),
        "parse/normalize.py",
        (ok(r"y = \max \{a, b\}, a \in \mathbb{R}^n", y="n"),),
    ),
    Rule(
        "doubts.h-tanh-w-h-h-w-i-x",
        "doubts",
        (
            r"`h' = \tanh(W_h h + W_i x)` with no equation for `h` (a letter other than x, X; no index)",
            "the next value of a state or a new variable: papermath does not guess which (read as a new variable, h would be a learned parameter); write `h_t = ... h_{t-1} ...`. `X' = \\hat A X W` (a layer's output from its input) and `h_i'` (per node) are read. Where the source's own text says the prime is the next step (Flax's \"where x is the input and h is the output of the previous time step\", PyTorch's \"**h'** ...: tensor containing the next hidden state\", prose that calls the primed symbol the next, new or updated state (a state, hidden or cell state or vector; never a bare \"vector\") of the unprimed one: Chainer's \"GRU returns the next hidden vector h'\", \"c' is the next cell state\", a cell's \"carry\", a docstring that names the system a recurrent cell: MindSpore's \"A GRU(Gated Recurrent Unit) cell.\"), the system is read as a recurrence over an unwritten step t: `h'` is `h_t`, `h` is `h_{t-1}` (also for every other primed pair: `c'`, `c`), every defined value is at step t, the input `x` is `x_t`, the weights are shared by every step; the readings quote the words, and a plain-text line that says them is read as prose (a line naming symbols is otherwise refused) (`parse/primes.py`, `tests/test_primed_states.py`). Not where the system writes a `t` itself or defines a value with a subscript",
        ),
        "parse/primes.py",
        (
            refused(r"h' = \tanh(W_h h + W_i x)", r"next value", at=r"h'"),
            ok(
                "A GRU cell.\n\n$$z = \\sigma(W_z x + U_z h), h' = (1 - z) * h + z * \\tanh(W x)$$\n",
                says="primed next state",
                kinds={"h": "state", "x": "input"},
                U_z="? x ?",
            ),
            ok(
                "Given an input vector $x$, GRU returns the next hidden vector $h'$ defined as\n"
                "$$z = \\sigma(W_z x + U_z h), h' = (1 - z) \\odot h + z \\odot \\tanh(W x + U h)$$\n",
                says="next hidden vector",
                kinds={"h": "state", "x": "input"},
                U="? x ?",
            ),
            refused(
                "Peephole returns the next hidden vector $h'$ defined as\n"
                "$$a = \\tanh(upward x + lateral h), h' = a$$\n",
                "typed together in italics",
                at="upward",
            ),
        ),
    ),
    Rule(
        "doubts.entry-of-a-value",
        "doubts",
        (
            r"`h(u,v)_i = u_i*v_i`, `l_1(u,v)_i = |u_i-v_i|`, `l_2(u,v)_i = (u_i-v_i)^2` (StellarGraph's link operators): the entry i of a function's value from the entries i of its arguments",
            r"i is an entry index and the formula acts entry by entry: read as `h(u,v) = u \odot v` (`|u - v|`, `(u - v)^2` entry by entry), u and v vectors of one size, inputs (the function's arguments); the readings say so. Only where the body's symbols are all arguments with the subscript i (numbers aside) and it is built from `+`, `-`, products, `|...|`, parentheses and powers by a number, fractions, `\exp`, `\log`, `\tanh` and `e^{...}` of entries, and sums over every entry of the arguments (`\sum_{l=1}^{K} \exp(z_l)`, one number: scikit-learn's `\text{softmax}(z)_i = \frac{\exp(z_i)}{\sum_{l=1}^k\exp(z_l)}`, read as `\text{softmax}(z) = \exp(z) / \sum_l \exp(z_l)`); otherwise the doubt stands (`u_i carries the i of h(u,v)_i`)",
        ),
        "parse/entry_values.py",
        (
            ok(
                r"$$h(u,v)_i = u_i*v_i$$",
                says="entry by entry",
                kinds={"u": "input", "v": "input"},
                u="?",
                v="?",
            ),
            ok(
                r"$$\text{softmax}(z)_i = \frac{\exp(z_i)}{\sum_{l=1}^K\exp(z_l)}$$",
                says="entry by entry",
                kinds={"z": "input"},
                z="K",
                softmax="K",
            ),
            refused(r"$$h(u,v)_i = u_i w_i$$", "carries the i", at="u_i"),
        ),
    ),
    Rule(
        "functions.argmax",
        "functions",
        (
            r"`\hat{y}_i = \text{argmax}_j \  (\log \text{Softmax}(Ah_i + b))_j` (PyTorch's NLP tutorial, the LSTM tagger); `\operatorname{arg\,max}_k`, `\text{argmin}_j`",
            r"**refused by name** (`read/rules_argmax.py`): the index of the largest (smallest) entry is a position, not a value computed from the entries, with no gradient; the hint: write the scores it is taken over as the output. Before: “cannot read ... as a value”",
        ),
        "read/rules_argmax.py",
        (
            refused(
                r"\hat{y} = \text{argmax}_j (W x)_j",
                "index of the largest entry",
                at="\\text{argmax}",
            ),
            refused(
                r"\hat{y} = \operatorname{arg\,max}_j (W x)_j",
                "index of the largest entry",
                at="\\operatorname{arg",
            ),
        ),
    ),
    Rule(
        "sizes.size-case",
        "sizes",
        (
            r"`\sum_{l=1}^k\exp(z_l)` beside “:math:`K` is the number of classes” (scikit-learn's MLP page: the sum's limit in lower case, the prose's count in upper case, and neither written elsewhere)",
            r"**refused at the limit** (`read/rules_size_case.py`), naming both letters and the prose's words: one size in two cases, or two sizes? papermath does not take one letter for another (reading k as K would decide the size of z by a guess); the hint: write the limit as the prose names it. Only a one-letter limit nothing else names, beside a prose count of the other case that no equation writes",
        ),
        "read/rules_size_case.py",
        (
            refused(
                "$$s_i = \\frac{\\exp(z_i)}{\\sum_{l=1}^k \\exp(z_l)}$$ where $K$ is the number of classes.",
                "two cases",
                at="k",
            ),
            ok(
                "$$s_i = \\frac{\\exp(z_i)}{\\sum_{l=1}^K \\exp(z_l)}$$ where $K$ is the number of classes.",
                s="K",
                z="K",
            ),
        ),
    ),
    Rule(
        "doubts.convolution",
        "doubts",
        (
            r'`*` where the prose says "`*` denotes the convolution"',
            r"convolutions are not read; `*` would be read as a product",
        ),
        "parse/doubts.py",
        (
            refused(
                r"$$h_t = \tanh(W * x_t + U * h_{t-1})$$ where $*$ denotes the convolution operator.",
                r"convolution",
                at=r"*",
            ),
        ),
    ),
    Rule(
        "operators.set-builder-aggregation",
        "operators",
        (
            r"`\mathrm{mean}(\{h_j, j \in \mathcal{N}(i)\})`, `\mathrm{aggregate}(\{h_j, \forall j \in \mathcal{N}(i)\})` (DGL's SAGEConv, GINConv), `\mathrm{AGGREGATE}_k(\{\mathbf{h}^{k-1}_{u}, \forall u \in \mathcal{N}(v)\})` (GraphSAGE), `\max\{h_u \mid u \in \mathcal{N}(v)\}`",
            r"**the aggregation over the neighbours** (`read/rules_set_builder.py`; the set parsed by `parse/set_builder.py`): the set holds one value per edge j -> i; `\mathrm{mean}` is `\mathrm{mean}_{j \in \mathcal{N}(i)}`, `\mathrm{sum}` the sum over the neighbours, `\max` the max entry by entry; an aggregator the source leaves unnamed (`aggregate`, `AGGREGATE`, `AGGREGATE_k`, `AGG`) is read for shapes (the value has one member's shape, as a sum, a mean and a max have), and `code` refuses at it, asking which (a comment `% \mathrm{aggregate}: mean`, or sum, max, says it); `check` runs once with each of mean, sum and max standing in and says so (src/papermath/standin.py). Refused: a set under no aggregator, over anything but a neighbourhood, with several values before the condition, under another word (`\min`); `\mathrm{AGGREGATE}(X)` of a whole matrix (Spektral) is `functions.whole-matrix-aggregation`",
        ),
        "read/rules_set_builder.py",
        (
            ok(
                r"h'_i = \mathrm{mean}(\{W h_j, j \in \mathcal{N}(i)\}), h_i \in \mathbb{R}^{d}, h'_i \in \mathbb{R}^{e}",
                says="mean of a set of the neighbours' values",
                W="e x d",
            ),
            ok(
                r"h'_i = \mathrm{aggregate}(\{h_j, \forall j \in \mathcal{N}(i)\}), h_i \in \mathbb{R}^{d}",
                says="aggregator unnamed",
                h_prime="d",
            ),
            ok(
                "h'_i = \\mathrm{aggregate}(\\{W h_j, j \\in \\mathcal{N}(i)\\}), h_i \\in \\mathbb{R}^{d}\n% \\mathrm{aggregate}: mean",
                says="aggregator named by a comment",
                W="? x d",
            ),
            ok(
                r"h'_v = \max\{W h_u \mid u \in \mathcal{N}(v)\}, h_v \in \mathbb{R}^{d}, h'_v \in \mathbb{R}^{e}",
                says="max of a set",
                W="e x d",
            ),
            refused(r"y_i = \{h_j, j \in \mathcal{N}(i)\}", "nothing aggregates it", at=r"\{"),
            refused(r"y = \mathrm{AGGREGATE}(H^{(l)}) W", "as a whole", at=r"\mathrm{AGGREGATE}"),
        ),
    ),
    Rule(
        "operators.degree-matrix-value",
        "operators",
        (
            r"`D_v = \sum_u A_{vu}` after 'the diagonal degree matrix $D$', then `L = D - A` (Distill's graph Laplacian); `D_{ii} = \sum_j A_{ij}` with `D^{-1} A X`",
            r"**the degree matrix as a value of its own** (`read/rules_degree_matrix.py`): `D_v` with one index on a matrix the prose calls diagonal (the word 'diagonal' and `$D$` in one sentence) is its entry (v, v), so `D_v = \sum_u A_{vu}` is the degree statement `D_{vv} = \sum_u A_{vu}`; D so defined and used as a value (`L = D - A`, `D^{-1}`) is diag(d), d the row sums of A, n x n as A; A is a graph's adjacency (an input). Code: the identity times the row sums, row by row (existing primitives). Refused: `D_v` with no prose calling D diagonal (an entry of a vector, and `A_{vu}` two indices)",
        ),
        "read/rules_degree_matrix.py",
        (
            ok(
                "the diagonal degree matrix $D$ is $$D_v = \\sum_u A_{vu},$$ $$L = D - A, A \\in \\mathbb{R}^{N \\times N}$$",
                says="the diagonal entry of a diagonal matrix",
                L="N x N",
            ),
            ok(
                r"D_{ii} = \sum_j A_{ij}, L = D - A, A \in \mathbb{R}^{N \times N}",
                says="degree matrix",
                L="N x N",
            ),
            refused(r"D_v = \sum_u A_{vu}, L = D - A", "two indices", at=r"A_{vu}"),
        ),
    ),
    Rule(
        "doubts.statement-about-a-sum",
        "doubts",
        (
            r"`\sum_{i=0}^{t-1} \beta^i = \frac{1 - \beta^t}{1 - \beta}` (d2l's Adam: the closed form the text uses), `\sum_j \alpha_{ij} = 1` (a constraint)",
            r"**a sum or a product on the left of =** (`read/rules_sum_statements.py`): a statement about the sum (an identity or a constraint the text states), which defines no value; papermath does not guess whether it is a fact to check, a constraint or a value to compute, and refuses at the sum with what it is; the hint: name it if the model computes it (`s = \sum ...`), delete a fact the text only states",
        ),
        "read/rules_sum_statements.py",
        (
            refused(
                r"s = \beta, \sum_{i=0}^{K-1} \beta^i = \frac{1 - \beta^K}{1 - \beta}",
                "statement about a sum",
                at=r"\sum_{i=0}^{K-1} \beta^i",
            ),
        ),
    ),
    Rule(
        "doubts.stated-fact",
        "doubts",
        (
            r"`using the fact that $\sum_{i=0}^{t-1} \beta^i = \frac{1 - \beta^t}{1 - \beta}$ to re-normalize terms` (d2l's Adam section: the closed form of a geometric series, in prose)",
            r"**a fact the text states** (`read/rules_stated_facts.py`): inline math whose left side is a sum or a product, right after the words “the fact that” or “the identity”, is an identity the text uses in its argument, not an equation of the model (it defines no value): left out, said in the readings with the words. The same sum with no such words stays refused (`doubts.statement-about-a-sum`: a constraint, a fact or a value?)",
        ),
        "read/rules_stated_facts.py",
        (
            ok(
                "We use the fact that $\\sum_{i=0}^{t-1} \\beta^i = \\frac{1 - \\beta^t}{1 - \\beta}$ here.\n$$v_t = \\beta v_{t-1} + g_t$$\n",
                says="a fact the text states",
                kinds={"v": "state"},
            ),
            refused(
                "We have $\\sum_{i=0}^{t-1} \\beta^i = \\frac{1 - \\beta^t}{1 - \\beta}$ here.\n$$v_t = \\beta v_{t-1} + g_t$$\n",
                "statement about a sum",
                at=r"\sum_{i=0}^{t-1} \beta^i",
            ),
        ),
    ),
    Rule(
        "doubts.weight-chosen-by-an-edge",
        "doubts",
        (
            r"`a_{i}^{t} = \sum_{j\in\mathcal{N}(i)} W_{e_{ij}} h_{j}^{t}` (DGL's GatedGraphConv: a matrix chosen by the type of the edge from j to i)",
            r"**a weight whose subscript is a value per edge** (`read/rules_edge_typed.py`): one matrix per edge, or one per type of edge (how many types?), the text does not say; refused at the subscript, the hint gives the form that reads: R-GCN's `\sum_{r \in \mathcal{R}} \sum_{j \in \mathcal{N}_r(i)} W_r h_j`, one matrix per type r",
        ),
        "read/rules_edge_typed.py",
        (
            refused(
                "a_i = \\sum_{j \\in \\mathcal{N}(i)} W_{e_{ij}} h_j",
                "cannot read the subscript",
                at="e_{ij}",
            ),
        ),
    ),
    Rule(
        "operators.basis-decomposition",
        "operators",
        (
            r"`W_r^{(l)} = \sum_{b=1}^B a_{rb}^{(l)}V_b^{(l)}` beside R-GCN's `\sum_{r\in\mathcal{R}} \sum_{j\in\mathcal{N}^r(i)} W_r^{(l)} h_j^{(l)}`, 'with coefficients $a_{rb}$' (Schlichtkrull et al. 2018, eq. 3; DGL's RelGraphConv; also `a_{r,b}`, `V_b a_{rb}`, bold)",
            r"**a family of matrices built from a shared basis** (`read/rules_basis.py`): b runs over the B members of a basis; `V_b` (a capital) is one parameter per member (stacked B x ...), `a_{rb}` one per pair of the family letter r (an edge type, a head) and b (stacked R x B x ...), and `W_r` is computed, one per r (no longer a parameter); unrolled in the code. What `a_{rb}` is must be said ('coefficients a_{rb}', `a_{rb} \in \mathbb{R}`), else refused at it; the layer's `^{(l)}` on W, a, V is read as the layer's own (one value shared by the layers, as a weight `W^{(l)}` is). A sum from 0, a lowercase member (`v_b`), a sum with no member stay refused",
        ),
        "read/rules_basis.py",
        (
            ok(
                "$$h_i' = \\sigma(\\sum_{r \\in \\mathcal{R}} \\sum_{j \\in \\mathcal{N}_r(i)} "
                "W_r h_j + W_0 h_i)$$\n$$W_r = \\sum_{b=1}^{B} a_{rb} V_b$$\n"
                "with coefficients $a_{rb}$, $h_i \\in \\mathbb{R}^{d}$.",
                says="sum over the basis b",
                kinds={"W": "intermediate", "a": "parameter", "V": "parameter"},
            ),
            ok(
                "$$h_i' = \\sigma(\\sum_{r \\in \\mathcal{R}} \\sum_{j \\in \\mathcal{N}_r(i)} "
                "\\mathbf{W}_r h_j)$$\n$$\\mathbf{W}_r = \\sum_{b=1}^{B} \\mathbf{V}_b a_{r,b}$$\n"
                "with coefficients $a_{r,b}$, $h_i \\in \\mathbb{R}^{d}$.",
                says="sum over the basis b",
                kinds={"W": "intermediate", "a": "parameter", "V": "parameter"},
            ),
            refused(
                "$$h_i' = \\sigma(\\sum_{r \\in \\mathcal{R}} \\sum_{j \\in \\mathcal{N}_r(i)} "
                "W_r h_j + W_0 h_i)$$\n$$W_r = \\sum_{b=1}^{B} a_{rb} V_b$$\n"
                "with $h_i \\in \\mathbb{R}^{d}$.",
                "what it is the text does not say",
                at="a_{rb}",
            ),
        ),
    ),
    Rule(
        "statements.initial-zero-chain",
        "statements",
        (
            r"`\mathbf{v}_0 = \mathbf{s}_0 = 0` beside the updates of `\mathbf{v}_t` and `\mathbf{s}_t` (d2l's Adam section: “if we initialize $\mathbf{v}_0 = \mathbf{s}_0 = 0$”)",
            r"**two states started at zero by one chain** (`read/rules_initial_chain.py`): the chain is `s_0 = 0` and `v_0 = s_0`, so both first values are zero, papermath's own initial state (`statements.initial-condition`), said in the readings. `v_0 = s_0` alone (s_0 given no value) stays refused: a value read at step 0",
        ),
        "read/rules_initial_chain.py",
        (
            ok(
                "v_t = \\beta v_{t-1} + g_t\ns_t = \\beta s_{t-1} + g_t^2\nv_0 = s_0 = 0",
                says="initial state, by a chain",
                kinds={"v": "state", "s": "state", "g": "input"},
            ),
            refused(
                "v_t = \\beta v_{t-1} + g_t\ns_t = \\beta s_{t-1} + g_t\nv_0 = s_0",
                "step 0",
                at="v_0",
            ),
        ),
    ),
    Rule(
        "statements.first-value-at-step-one",
        "statements",
        (
            r"`h_v^{(1)} = [x_v^\top, \mathbf{0}]^\top` beside `h_v^{(t)} = ... h_v^{(t-1)} ...` (Li et al. 2016, GG-NN: the steps numbered from 1)",
            r"**the state's first value, numbered 1** (`read/rules_first_step.py`): a state written at step `(1)` on the left, with no value at step 0, is the value before the first step the equations compute (the source's 2, 3, ...): read as the initial condition at step 0 (`statements.initial-condition`), said in the readings. Not where the numbering matters: the step letter used as a number (`\beta^t`) or as an input's step (`x^{(t)}`: is x^{(1)} the first input?)",
        ),
        "read/rules_first_step.py",
        (
            ok(
                "h^{(1)} = 0\nh^{(t)} = \\tanh(W h^{(t-1)})",
                says="first value at step 1",
                kinds={"h": "state"},
                W="? x ?",
            ),
        ),
    ),
    Rule(
        "statements.named-gru-call",
        "statements",
        (
            r"`\mathbf{h}_i^{(l+1)} = \textrm{GRU} (\mathbf{m}_i^{(l+1)}, \mathbf{h}_i^{(l)})` (PyG's, DGL's and Spektral's GatedGraphConv: a cell named GRU called with the input and the state's previous value)",
            r"**PyTorch's GRU cell at each step** (`read/rules_gru_cell.py`): the source writes no equations of the cell, so they are torch.nn.GRUCell's as documented (gates r, z, n carrying the left side's scripts; `W_{ir}`, `W_{hr}`, `b_{ir}`, `b_{hr}`, ... learnable, one to one with `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` split by gate; Keras' GRUCell with reset_after computes the same), said in the readings; never a learnable affine map of the two arguments. Left as before (a learnable function): a second argument that is not the state. Refused at the name: two such calls, a generated name (r, z, n, `W_{ir}`, ...) the source uses elsewhere (R-GCN's relation r)",
        ),
        "read/rules_gru_cell.py",
        (
            ok(
                r"h_t = \mathrm{GRU}(x_t, h_{t-1})",
                says="a GRU cell by its name",
                kinds={"x": "input", "h": "state", "W_hn": "parameter"},
                W_hn="? x ?",
                r="?",
            ),
        ),
    ),
    Rule(
        "operators.order-coefficients",
        "operators",
        (
            r"`p_w(L) = \sum_{i = 0}^d w_i L^i` with 'its vector of coefficients $w = [w_0, \ldots, w_d]$' (Distill's polynomial filter)",
            r"**the coefficients of a sum over the orders, listed** (`read/rules_order_coefficients.py`): `w = [w_0, \ldots, w_d]` with the first and last index of a sum over the orders `i = 0..d` that carries `w_i`: each w_i is a number (an entry of a vector), one per order (stored stacked d+1); the line names the stack and computes nothing (read as w in the reals). Any other list with dots stays refused. Likewise where the words just before the equation call it a polynomial ('polynomial filters of the form:'): the weight `w_i` before each term of the order i is a coefficient, a number",
        ),
        "read/rules_order_coefficients.py",
        (
            ok(
                r"y = \sum_{i = 0}^d w_i \cdot (L)^i x, w = [w_0, \ldots, w_d], L \in \mathbb{R}^{n \times n}, x \in \mathbb{R}^{n}",
                says="the coefficients of a sum over the orders",
                w="",
                y="n",
            ),
            refused(r"y = w, w = [w_0, \ldots, w_d]", "dots", at=r"\ldots"),
            ok(
                "polynomials of the form: $$P = \\sum_{i=0}^{d} w_i T_i(L), L \\in \\mathbb{R}^{n \\times n}$$ where $T_i$ is the degree-$i$ Chebyshev polynomial",
                says="the coefficients of a polynomial",
                w="",
                P="n x n",
            ),
        ),
    ),
    Rule(
        "presentation.elided-chain-side",
        "presentation",
        (
            r"`p_w(L) = w_0 I_n + w_1 L + w_2 L^2 + \ldots + w_d L^d = \sum_{i = 0}^d w_i L^i` (Distill)",
            r"**a side of a chain with terms left out** (`read/rules_elided_side.py`, checked in `chain_check.py`): the side with `\ldots` shows the first and last terms of the other side; it is not checked (a reading says so) and the chain reads from its side written in full",
        ),
        "read/rules_elided_side.py",
        (
            ok(
                r"y = a_1 + \ldots + a_n = \sum_{i=1}^{n} a_i, a \in \mathbb{R}^{n}",
                says="terms left out",
                y="",
            ),
        ),
    ),
    Rule(
        "operators.eigenvalue-of-a-matrix",
        "operators",
        (
            r"`\tilde{L} = \frac{2L}{\lambda_{\max}(L)} - I_n` after 'the largest eigenvalue of $L$' (Distill's ChebNet)",
            r"**the largest (smallest) eigenvalue of a matrix, where the prose names it** (`read/rules_eigenvalue.py`): `\lambda_{\max}(L)` is one number computed from the square L, not a learnable function of L; read for shapes, kinds, explain and the diagram; `code` refuses at it (no eigendecomposition is generated; the hint: `\lambda_{\max}` without its argument, a number given with L, whose dependence on L is then not differentiated). Without the prose it stays refused (`doubts.eigenvalue-call`)",
        ),
        "read/rules_eigenvalue.py",
        (
            ok(
                "the largest eigenvalue of $L$: $$M = \\frac{2L}{\\lambda_{\\max}(L)} - I_n, L \\in \\mathbb{R}^{n \\times n}$$",
                says="the largest eigenvalue of a matrix",
                M="n x n",
            ),
        ),
    ),
    Rule(
        "operators.aggregator-over-a-range",
        "operators",
        (
            r"`h_G = \text{PREDICT}_G \Big( \text{AGG}_{v \in G}\left(\{ h_v \} \right) \Big)` (Distill's 'Understanding Convolutions on Graphs': the readout of a graph), `\mathrm{AGG}_{u \in \mathcal{N}(v)}(\{h_u\})`",
            r"**an aggregator with its range written under it** (`read/rules_range_aggregation.py`): `\{h_v\}` holds one value per v of the range; over a node's neighbours it is the set-builder aggregation (`\mathrm{AGG}(\{h_u, u \in \mathcal{N}(v)\})`); over every node of a graph (`v \in G`, a set of nodes by the sign) an unnamed aggregator (`AGG`, `aggregate`: any order-invariant one) is read for shapes, kinds, explain and the diagram as an aggregation over the node axis with one member's shape, and `code` asks which (`% \text{AGG}: sum`, or `\sum_{v \in G}` in its place); `\mathrm{sum}` is the sum over the nodes. Refused: a mean or a max over every node (not read yet), a set of several values, a set that does not depend on the range's letter",
        ),
        "read/rules_range_aggregation.py",
        (
            ok(
                r"h_G = \text{AGG}_{v \in G}(\{ h_v \}), h_v \in \mathbb{R}^{d}",
                says="aggregator unnamed",
                h_G="d",
            ),
            ok(
                r"m_v = \mathrm{AGG}_{u \in \mathcal{N}(v)}(\{ h_u \}), h_u \in \mathbb{R}^{d}",
                says="the range inside the set",
                m="d",
            ),
            refused(
                r"h_G = \mathrm{mean}_{v \in G}(\{ h_v \}), h_v \in \mathbb{R}^{d}",
                "not read yet",
                at=r"\mathrm{mean}_{v \in G}",
            ),
        ),
    ),
    Rule(
        "keys.neighbourhood-subscript",
        "keys",
        (
            r"`h_{\mathcal{N}(i)}`, `\mathbf{h}^{k}_{\mathcal{N}(v)}` (DGL's SAGEConv, GraphSAGE)",
            r"`h_N`",
            r"the value of node i's neighbourhood (what is aggregated over its neighbours): one value per node i, a symbol of its own with the label N, not h at a node (`read/rules_set_builder.py`); only where i is a node index",
        ),
        "read/rules_set_builder.py",
        (
            ok(
                r"h_{\mathcal{N}(i)} = \mathrm{mean}(\{h_j, j \in \mathcal{N}(i)\}), h_i \in \mathbb{R}^{d}",
                says="value of the neighbourhood",
                h_N="d",
            ),
        ),
    ),
    Rule(
        "statements.weighted-variant",
        "statements",
        (
            r"a second display after words of an alternative (`If a weight tensor on each edge is provided, ... becomes:`) that is the first with a factor more (`e_{ji} h_j` for `h_j`; DGL's GINConv and SAGEConv); also in code, a factor more by `*` after `or in the case of the weights argument being specified:` (Torch7's BCECriterion: `loss(o, t) = - 1/n sum_i weights[i] * (...)`)",
            r"**the general variant** (`parse/variant_weights.py`): the second holds the first (the first is it with the factor 1), so it is read in the first's place, and the readings say so; any other difference is another model (`statements.variant-display`: the first is read)",
        ),
        "parse/variant_weights.py",
        (
            ok(
                "$$h'_i = \\mathrm{mean}(\\{h_j, j \\in \\mathcal{N}(i)\\})$$\nIf a weight tensor on each edge is provided, the aggregation becomes:\n$$h'_i = \\mathrm{mean}(\\{e_{ji} h_j, j \\in \\mathcal{N}(i)\\})$$\nwhere $e_{ji}$ is the scalar weight on the edge from node $j$ to node $i$, and $h_i \\in \\mathbb{R}^{d}$.",
                says="variant read",
                kinds={"e": "input"},
                e="",
            ),
            ok(
                "```lua\nloss(o, t) = - 1/n sum_i (t[i] * log(o[i]))\n```\nor in the case of the weights argument being specified:\n```lua\nloss(o, t) = - 1/n sum_i weights[i] * (t[i] * log(o[i]))\n```\n",
                says="variant read",
                kinds={"weights": "input"},
                weights="n",
                o="n",
            ),
        ),
    ),
    Rule(
        "statements.update-after-definition",
        "statements",
        (
            r"a value defined, then defined again from itself on a later line: `X' = [\textrm{AGGREGATE}(X) \| X] W + b; X' = \frac{X'}{\|X'\|}` (Spektral), `\mathbf{h}^{k}_{v} \leftarrow \mathbf{h}^{k}_{v} / \|\mathbf{h}^{k}_{v}\|_2` after `\mathbf{h}^{k}_{v} \leftarrow \sigma(...)` (GraphSAGE)",
            r"**the next line of one computation** (`parse/in_place.py`): the value on its right is the one the first line computes, named with a breve (`\breve{y}`, key `y_breve`, an intermediate); a line between reads that one; every other occurrence (after it, the value carried to the next step) is the new value. Only with exactly two definitions, the first not reading itself. An update in place with no earlier definition (`x_j \leftarrow \sigma(W_3 x_j + b)`, PyG) stays refused (`read/rules_updates.py`)",
        ),
        "parse/in_place.py",
        (
            ok(
                "y = W x + b\ny = \\frac{y}{\\|y\\|}\nx \\in \\mathbb{R}^{d}, y \\in \\mathbb{R}^{e}",
                says="update of the value above",
                W="e x d",
                y_breve="e",
            ),
        ),
    ),
    Rule(
        "statements.update-of-an-input-first",
        "statements",
        (
            r"an update in place of an input after the equations that read it, the words before it saying it runs first: `If project = True, then x_j will first get projected via x_j \leftarrow \sigma(W_3 x_j + b)` (PyG's SAGEConv)",
            r"**a step before the equations above** (`parse/in_place.py`): the new value, named with a breve (key `x_breve`), keeps the input's shape (`read/rules_in_place_ties.py`: a value replaced in place keeps its shape, so W_3 is F_in x F_in); the equations above read it where they write the symbol as the update does (`x_j`, the neighbour's), the input elsewhere (`x_i`: PyG projects the source side only). Without words that it runs first (first, before) it stays refused (`read/rules_updates.py`)",
        ),
        "parse/in_place.py",
        (
            ok(
                "$$y_i = W x_i + V \\mathrm{mean}_{j \\in \\mathcal{N}(i)} x_j$$\nwhere $x_j$ will first get projected via\n$$x_j \\leftarrow \\sigma(U x_j + b)$$\n$$x_i \\in \\mathbb{R}^{d}$$",
                says="update of an input, first",
                U="d x d",
                b="d",
            ),
            refused(
                "y_i = W \\mathrm{mean}_{j \\in \\mathcal{N}(i)} x_j\nx_j \\leftarrow \\sigma(U x_j + b)",
                "update in place",
                at="x_j",
            ),
        ),
    ),
    Rule(
        "functions.concat-call",
        "functions",
        (
            r"`\mathrm{concat}(h_i, h_{\mathcal{N}(i)})`, `\mathrm{CONCAT}(a, b)` (DGL's SAGEConv, GraphSAGE)",
            r"**the concatenation** `[a; b]` (`read/rules_concat_call.py`): the values stacked along the feature axis in the order written (two d-vectors: 2d), not a learnable function; the word in roman type with two or more arguments and no dots",
        ),
        "read/rules_concat_call.py",
        (
            ok(
                r"y = W \mathrm{concat}(h, g), h \in \mathbb{R}^{d}, g \in \mathbb{R}^{d}",
                says="concatenation",
                W="? x 2*d",
            ),
        ),
    ),
    Rule(
        "doubts.arrow-under-a-sum",
        "doubts",
        (
            r"`\sum_{v_j \to v}`, `\sum_{v_j→v}` (NYU's course notes: the sum over the vertices with an edge into v)",
            r"a sum over an edge, not over a set: papermath reads the neighbours with the set under the sum, and an arrow as an edge between two indices of a subscript (`e_{j \to i}`); refused at the arrow, the hint writing `\sum_{j \in \mathcal{N}(v)}` (`parse/arrow_sums.py`)",
        ),
        "parse/arrow_sums.py",
        (refused(r"h_i = \sum_{j \to i} W h_j", "a sum over an edge", at=r"\to"),),
    ),
    Rule(
        "doubts.closers-out-of-order",
        "doubts",
        (
            r"`LSTM(\{ h_u^{k-1}, \forall u\in \pi(N(v)\}))` (CS224W's notes: the set's `\}` typed inside the parentheses of `\pi(...)` that it holds)",
            r"a closer that matches the bracket under the open one, typed before the open one's own closer: which bracket the author meant to end where, papermath does not guess; refused at the closer, the message naming both openers and the hint the order (`) before \}`) (`parse/layout.py`)",
        ),
        "parse/layout.py",
        (
            refused(
                "a = f(\\{h_u, \\forall u \\in \\pi(N(v)\\}))",
                "which is still open",
                at="\\}",
            ),
        ),
    ),
    Rule(
        "doubts.node-pairs-said",
        "doubts",
        (
            r"`p_{vu} = \sigma(y_v^Ty_u)` with \"$e_{vu} = 1$ iff there is an edge between nodes $v$ and $u$\" (Distill's GNN article, link prediction)",
            r"a value for every pair of nodes, an edge or not: papermath reads values per node and per edge into a node, not per pair of every two nodes; refused at the second node's value, the message quoting the prose that makes v and u nodes (without such words the letters are asked for: one y at two indices, or two symbols?), the hint writing the matrix form `\sigma(Y Y^\top)` (`read/rules_graph_data.py`)",
        ),
        "read/rules_graph_data.py",
        (
            refused(
                "$$\\begin{aligned}\n\\mathcal{L}(y_v, y_u, e_{vu}) &= -e_{vu} \\log(p_{vu}) \\\\\np_{vu} &= \\sigma(y_v^Ty_u)\n\\end{aligned}$$\nwhere $e_{vu} = 1$ iff there is an edge between nodes $v$ and $u$",
                "the prose says v and u are nodes",
                at="y_u",
            ),
        ),
    ),
    Rule(
        "doubts.norm-word",
        "doubts",
        (
            r"`\mathrm{norm}(h)` (DGL's SAGEConv: its `norm` argument)",
            r"reads two ways: the norm of h (one number, `\|h\|`) or a normalisation of h (h's shape: `h / \|h\|`, a layer norm), whose kind the source does not name; refused at the word, the hint writing each reading (`read/rules_norm_word.py`)",
        ),
        "read/rules_norm_word.py",
        (refused(r"y = \mathrm{norm}(W x)", "reads two ways", at=r"\mathrm{norm}"),),
    ),
    Rule(
        "sizes.edge-normaliser-said",
        "sizes",
        (
            r"`$e_{j,i}$ is the normalizer` (DGL's RelGraphConv: `e_{j,i}W_r^{(l)}h_j^{(l)}`), `$c_{ij}$ denotes a normalization constant`",
            r"**one number per edge** (`parse/edge_normaliser.py`, as `e_{j,i} \in \mathbb{R}` said in words): the value scales the product beside it, never a row vector times W (issue 24's misread); only for a symbol with two indices",
        ),
        "parse/edge_normaliser.py",
        (
            ok(
                "$$h'_i = \\sum_{j \\in \\mathcal{N}(i)} e_{j,i} W h_j$$\nwhere $e_{j,i}$ is the normalizer, $h_j \\in \\mathbb{R}^{F}$ and $h'_i \\in \\mathbb{R}^{G}$.",
                e="",
                W="G x F",
            ),
        ),
    ),
    Rule(
        "functions.function-outputs-a-weight",
        "functions",
        (
            r"`\x_{j} \textrm{MLP}(\e_{j \rightarrow i})` beside `\x_{i} \W_{\textrm{root}}`, with \"where \(\textrm{MLP}\) is a multi-layer perceptron that outputs an edge-specific weight\" (Spektral's ECCConv)",
            r"**a learnable function whose value is a weight matrix** (`read/rules_weight_output.py`): the row beside it times the matrix (its rows meet the row, its columns are the output's), as the layer's own weight; read for shapes, kinds, explain and diagrams; code refused at the words (not generated yet). Without the words, `doubts.learned-value-beside-a-vector` refuses (a gate or a matrix?)",
        ),
        "read/rules_weight_output.py",
        (
            ok(
                "$$y = x W_0 + x \\mathrm{MLP}(e) + b$$\nwhere $\\mathrm{MLP}$ is a network that outputs a weight, $x \\in \\mathbb{R}^{F}$ and $y \\in \\mathbb{R}^{G}$.",
                says="learnable function whose value is a weight matrix",
                W_0="F x G",
            ),
        ),
    ),
    Rule(
        "functions.whole-matrix-aggregation",
        "functions",
        (
            r"`\big[ \textrm{AGGREGATE}(\X) \| \X \big] \W` (Spektral's GraphSageConv: \"a function to aggregate a node's neighbourhood\"), an unnamed aggregator applied to the node matrix whole",
            r"**each node's row replaced by an aggregation of its neighbours' rows** (`read/rules_whole_aggregate.py`): X one row per node (a matrix), the value of X's shape; read for shapes, kinds, explain and diagrams; code refused at the call (which aggregation, over which graph, the formula does not say), the hint giving the per-node form that generates. Applied to a value with a node index (`\mathrm{AGGREGATE}(x_i)`) it stays refused",
        ),
        "read/rules_whole_aggregate.py",
        (
            ok(
                r"Y = [\mathrm{AGGREGATE}(X) \| X] W, X \in \mathbb{R}^{N \times F}, Y \in \mathbb{R}^{N \times G}",
                says="aggregation over each node's neighbours, of the whole node matrix (aggregator unnamed)",
                W="2*F x G",
            ),
        ),
    ),
    Rule(
        "functions.norm-update",
        "functions",
        (
            r"`h_{i}^{(l+1)} = \mathrm{norm}(h_{i}^{(l+1)})` (DGL's SAGEConv: the value replaced by the word norm applied to itself)",
            r"**a normalisation the source does not name** (`read/rules_norm_update.py`): the value replaces its argument (an update in place), so it keeps the argument's shape: not the norm (one number, which `doubts.norm-word` leaves open elsewhere) but a normalisation (divided by its norm, a layer norm); shapes, kinds, explain and diagrams read; code and printed gradients are refused at the word until the source says which (`% \mathrm{norm}: layernorm`)",
        ),
        "read/rules_norm_update.py",
        (
            ok(
                r"h_2 = \tanh(W h_1), h_2 = \mathrm{norm}(h_2), h_1 \in \mathbb{R}^{m}, W \in \mathbb{R}^{n \times m}",
                says="normalisation (kind unnamed)",
                h_2="n",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "operators.dotted-sum-range",
        "operators",
        (
            r"`sum_{i=1..d}{u_i*v_i}` (StellarGraph's `ip(u,v)`), `\sum_{k=1..n} x_k`: the range of a sum written with two dots",
            r"**the sum over i from the first value to the last, both included**, as `\sum_{i=1}^{d}` (`parse/dotted_sums.py`, rewritten in place: a plain `sum` takes its backslash from the space before it); with no room for the rewrite (no space before a plain `sum`) the text stays as typed and is refused at the dots",
        ),
        "parse/dotted_sums.py",
        (
            ok(
                r"ip(u,v) = sum_{i=1..d}{u_i*v_i}",
                says="sum over the entries i",
                u="d",
                v="d",
                ip="",
            ),
            refused(r"s=sum_{i=1..d}{u_i*v_i}", "", at=".."),
        ),
    ),
    Rule(
        "operators.bar-concat-matrices",
        "operators",
        (
            r"`[X \| A X] W` (MixHop), `\big[ \textrm{AGGREGATE}(\X) \| \X \big] \W` (Spektral's GraphSageConv): a double bar between two matrices",
            r"**the matrices side by side** (`shapes/rules_bar_concat.py`): the same rows (the nodes), their columns added (N x F and N x G give N x (F + G)), as the bar joins features between vectors; code joins the last axis; printed gradients through it are refused by name. Brackets with semicolons (`[A; B]`) still stack the rows",
        ),
        "shapes/rules_bar_concat.py",
        (
            ok(
                r"Y = [X \| A X] W, X \in \mathbb{R}^{N \times F}, A \in \mathbb{R}^{N \times N}, Y \in \mathbb{R}^{N \times G}",
                W="2*F x G",
            ),
        ),
    ),
    Rule(
        "layout.quantifier-after-an-equation",
        "layout",
        (
            r"`\mathbf{h}^{k}_{v} \leftarrow \dots, \forall v \in \mathcal{V}` (GraphSAGE's Algorithm 1)",
            r"**the elements the equation holds for** (`parse/quantifiers.py`): after the comma that ends an equation, `\forall` is the word 'for each' and `v \in \mathcal{V}` declares v a node of the set (as written alone); an equation with a node's letter is every node's already. A `\forall` anywhere else is refused (a quantifier), except in set braces (`operators.set-builder-aggregation`)",
        ),
        "parse/quantifiers.py",
        (
            ok(
                r"h'_v = W h_v, \forall v \in \mathcal{V}, h_v \in \mathbb{R}^{d}, h'_v \in \mathbb{R}^{e}",
                W="e x d",
            ),
            refused(r"\forall i: y_i = W x_i", "quantifier", at=r"\forall"),
        ),
    ),
    Rule(
        "operators.bare-step-of-a-defined-value",
        "operators",
        (
            r"`h_{\mathcal{N}(i)}^{l+1}` on a right side beside `h_{\mathcal{N}(i)}^{(l+1)} = ...` (DGL's SAGEConv); `\mathbf{h}^{k-1}_{u}` beside `\mathbf{h}^{k}_{v} \leftarrow ...` (GraphSAGE)",
            r"**the value at that step** (`read/rules_bare_step_uses.py`): a left side defines the same symbol at `^{(l+1)}`, or at the bare letter `^{k}` (then `^{k-1}` is the step before), so the bare superscript is that step, not a power; said in the readings. Not where another letter carries steps in subscripts (`h^{l}_{t-1}`: layers and time, refused as two recurrences)",
        ),
        "read/rules_bare_step_uses.py",
        (
            ok(
                r"h_{\mathcal{N}(i)}^{(l+1)} = \mathrm{mean}(\{h_{j}^{l}, j \in \mathcal{N}(i)\}), h_{i}^{(l+1)} = \sigma(W \mathrm{concat}(h_{i}^{l}, h_{\mathcal{N}(i)}^{l+1})), h_i^{l} \in \mathbb{R}^{d}",
                says="step of a value defined at it",
                W="d x 2*d",
            ),
        ),
    ),
    Rule(
        "doubts.x-t-1",
        "doubts",
        (
            r"`x_{t-1}` beside `x_t`, x with no equation, in a system with a state",
            r"an input has no earlier value to carry (most often a typo for `h_{t-1}`)",
        ),
        "parse/doubts.py",
        (
            refused(
                "h_t = \\tanh(W h_{t-1} + U x_{t-1}) + V x_t\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                r"x",
                at=r"x_{t-1}",
            ),
        ),
    ),
    Rule(
        "doubts.two-frames",
        "doubts",
        (
            r"`h_{t+1} = ...` beside an equation at `t` that reads `h_t`, where the frames mix (something is also read at `t-1`, or an equation at `t` reads a state's `t+1`)",
            r"two frames of steps mixed: each equation at `t+1` is read one step earlier, so the one at `t` would read another model; write every equation at one step. One frame (MLX's GRU: only the states at `t+1`) is read (`statements.state-one-step-ahead`)",
        ),
        "parse/doubts.py",
        (
            refused(
                "i_t = \\sigma(W_{xi} x_t + W_{hi} h_t)\nq_t = U h_{t-1}\nh_{t+1} = i_t \\odot h_t + q_t",
                r"two frames",
                at=r"h_t",
            ),
        ),
    ),
    Rule(
        "layout.prose-shapes",
        "layout",
        (
            r'prose: ":math:`W` has shape ``[output_dims, input_dims]``" (MLX), ":math:`\gamma` and :math:`\beta` are learned per feature dimension parameters"',
            r"declares `W \in \mathbb{R}^{output\_dims \times input\_dims}` (sizes named by the source's words; a first axis named for the batch, `[batch_size, n]`, is dropped: the equations are per example) and `\gamma \in \mathbb{R}^{C}`, a vector over the features (C, or the name the prose gives the number of features); said in the readings. Only of a symbol the equations write as named",
        ),
        "parse/prose_shapes.py",
        (
            ok(
                "    y = x W^\\top + b\n\nwhere :math:`W` has shape ``[output_dims, input_dims]`` and :math:`b` has shape ``[output_dims]``.",
                says=r"said in words",
                W="output_dims x input_dims",
                x="input_dims",
            ),
            ok(
                "    y = \\gamma \\odot x + \\beta\n\nwhere :math:`\\gamma` and :math:`\\beta` are learned per feature dimension parameters.",
                says=r"a vector over the features",
                gamma="C",
                beta="C",
            ),
        ),
    ),
    Rule(
        "doubts.prose-shapes",
        "doubts",
        (
            r"`:math:`W` has shape ``[output_dims, input2_dims, input1_dims]`` beside `W_i` (MLX's Bilinear), `形状为（hidden_size, input_size）` beside `:math:`W_{ih}`` (Paddle)",
            r"a shape said in prose of a symbol the equations write otherwise, or in words not read yet; declare it beside the equations",
        ),
        "parse/doubts.py",
        (
            refused(
                ":math:`W` has shape ``[output_dims, input_dims]``.\n\n.. math::\n\n    y = W_i x + b",
                r"prose gives the shape",
                at=r"[output_dims, input_dims]",
            ),
        ),
    ),
    Rule(
        "doubts.x-t-a-x-t-b-u-t",
        "doubts",
        (
            r"`x'(t) = A x(t) + B u(t)` beside `x(t)`, in plain text (no LaTeX command); a second derivative `x''(t)`",
            r"a derivative in continuous time (a differential equation) is not read there (in plain text `x'` beside `x` may be a transpose); write the discretised recurrence. In LaTeX a first derivative reads: `statements.continuous-time`",
        ),
        "parse/doubts.py",
        (refused(r"x'(t) = A x(t) + B u(t)", r"derivative", at=r"x'(t)"),),
    ),
    Rule(
        "doubts.l-a-p-n-max-d-a-i-p-i-d-a-i",
        "doubts",
        (
            r"`L(a, p, n) = \max\{d(a_i, p_i) - d(a_i, n_i) + m, 0\}` (the body uses `a_i`, never `a`)",
            r"a per-sample formula written as a function of the whole batch; write it for one i",
        ),
        "parse/doubts.py",
        (refused(r"L(a, p, n) = \max\{d(a_i, p_i) - d(a_i, n_i) + m, 0\}", r"a_i", at=r"a_i"),),
    ),
    Rule(
        "doubts.mathbf-v-j-f-mathbf-s-j",
        "doubts",
        (
            r"`\mathbf{v}_j = f(\mathbf{s}_j) + c` alone, j declared nowhere, a value without j beside s_j",
            r"j is an index (one per j) or a label; as a label, s_j would be learned; declare `j \in \{1, \dots, J\}` (where every value of the right side carries j, it reads: `statements.member-formula`)",
        ),
        "parse/doubts.py",
        (refused(r"\mathbf{v}_j = \tanh(\mathbf{s}_j) + c", r"j", at=r"\mathbf{s}_j"),),
    ),
    Rule(
        "doubts.w-l-in-mathbb-r-d-l-times-d",
        "doubts",
        (
            r"`W \in \mathbb{R}^{d_l \times d_{l+1}}` beside `d_l`, W written without the layer",
            r"a width that changes with the layer on a value written without it: read with one width per size, d_{l+1} would be solved to d_l; declared on the value at its layer (`W^{(l)} \in \mathbb{R}^{d_l \times d_{l+1}}`) it reads (`sizes.layer-declared-widths`)",
        ),
        "parse/doubts.py",
        (
            refused(
                r"h^{(l+1)} = \sigma(W h^{(l)}), W \in \mathbb{R}^{d_{l+1} \times d_l}, h^{(l)} \in \mathbb{R}^{d_l}",
                r"d_{l+1}",
            ),
        ),
    ),
    Rule(
        "doubts.prose-statistics",
        "doubts",
        (
            r'"where `:math:`\mu`` and `:math:`\sigma`` are the mean and standard deviation of x"',
            r"statistics said in prose, over no axis the source names (layer, batch or group norm?); from the equations alone they would be learned; write them in the equation, `\frac{x - \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x]} + \epsilon}` with `x \in \mathbb{R}^{C}`",
        ),
        "parse/doubts.py",
        (
            refused(
                ".. math::\n\n    y = \\frac{x - \\mu}{\\sigma}\n\nwhere :math:`\\mu` and :math:`\\sigma` are the mean and standard deviation of x.",
                r"mean",
                at=r"mean",
            ),
        ),
    ),
    Rule(
        "doubts.d-ff",
        "doubts",
        (
            '"Number of dimensions in the hidden layer `$d_{ff}$`" (labml\'s FFN), with no declaration using `d_{ff}`',
            r"a size said in prose: the equations alone leave it free (the FFN's hidden and output widths would not be tied to `d_{ff}` and `d_{model}`); declare what has that size beside the equations (where the words also give the token embedding's size, the FFN reads: `sizes.ffn-width-words`)",
        ),
        "parse/doubts.py",
        (
            refused(
                "Number of dimensions in the hidden layer $d_{ff}$\n$$FFN(x) = \\max(0, x W_1 + b_1) W_2 + b_2$$",
                r"d_{ff}",
                at=r"d_{ff}",
            ),
        ),
    ),
    Rule(
        "statements.lhs-rhs",
        "statements",
        (
            r"`lhs = rhs`, `lhs := rhs`, `\coloneqq`, `\triangleq`, `\equiv`",
            r"a definition; the left side is one symbol at step `t` (not `t-1`)",
        ),
        "read/reader.py",
        (
            ok(
                "h_t := \\tanh(W h_{t-1} + U x_t), y_t \\triangleq V h_t\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                U="n x m",
                V="? x n",
            ),
        ),
    ),
    Rule(
        "statements.a-b-c",
        "statements",
        (
            r"`a = b = c` (a chain; also `a &= b \\ &= c` over rows, or a next line of display math that starts with `=`)",
            r"every side is claimed equal: read from the **last side that is a computation**; the other sides that are names (`\hat Y = A^{[2]} = \sigma(Z^{[2]})`, `Z = f(X, A) = ...`) are defined as that value; the other computations (LoRA's `h = W_0 x + \Delta W x = W_0 x + B A x`) are claims, checked: each must read with the shape of the left side (an error names both shapes otherwise), and none is read into the model (`\Delta W` is not a parameter). Two equations run together by a missing `\\` (`h_t = ...` newline `r_t = ...` in an `array`) are refused, not read as a chain",
        ),
        "parse/chains.py",
        (
            ok(
                r"\hat Y = A = \sigma(W X), X \in \mathbb{R}^{m \times N}, A \in \mathbb{R}^{k \times N}",
                Y_hat="k x N",
                W="k x m",
            ),
            refused(
                r"h = W_0 x + D x = W_0 x + (B A x)^\top, x \in \mathbb{R}^m, h \in \mathbb{R}^n, A \in \mathbb{R}^{r \times m}",
                r"",
            ),
        ),
    ),
    Rule(
        "doubts.chain-side-alone",
        "doubts",
        (
            r"`a_{ij} = \mathbf{q}_i {\mathbf{k}_j}^\top = \mathbf{x}_i\mathbf{W}^q {\mathbf{W}^k}^\top\mathbf{x}_j^\top + ...` with q and k defined by no equation (Lil'Log's relative position scores)",
            r"a checked side of a chain (`statements.a-b-c`) that names values per member (written with a node's or a pair's index: q_i, k_j) that no equation defines and the side read does not use is refused at that side (`chain_check.py`): the chain says only that the sides are equal, not what each of those values is (q_i = x_i W^q is one reading of the equality, not the only one); the hint asks for their own equations. A claim's other symbols (LoRA's `\Delta W`) are checked and not read, as before",
        ),
        "chain_check.py",
        (
            refused(
                r"$$a_{ij} = \mathbf{q}_i {\mathbf{k}_j}^\top = \mathbf{x}_i \mathbf{W}^q {\mathbf{W}^k}^\top \mathbf{x}_j^\top$$",
                "appear in that side alone",
                at=r"\mathbf{q}_i",
            ),
        ),
    ),
    Rule(
        "doubts.chain-sum-then-entry",
        "doubts",
        (
            r"`\text{loss}(x, y) = \frac{1}{n} \sum_{i} z_{i} = \begin{cases} 0.5 (x_i - y_i)^2 ... \end{cases}` (two lines of PyTorch's SmoothL1Loss docstring run into one chain)",
            r"a chain whose side sums over i (one value for all i) equated with a later side that is a formula of `x_i` (one value per i), i free on the left: they cannot be equal; the formula is presumably that of the summand `z_i`. Refused at the sum, naming its summand; a chain whose sides all sum over i, or that keeps i on the left, reads as before",
        ),
        "parse/chain_levels.py",
        (refused(r"L = \sum_{k} e_{k} = |x_k - y_k|", "cannot be equal", at=r"\sum_{k} e_{k}"),),
    ),
    Rule(
        "doubts.multi-index-tuple",
        "doubts",
        (
            r"`$i = (i_N, i_C, i_H, i_W)$ is a 4-d vector for indexing` (labml's normalisation layers)",
            r"an index written as the tuple of the indices it stands for (a multi-index: `x_i` one entry of a 4-d tensor): papermath reads an index over one axis; refused at the tuple, with the formula over one axis as the hint",
        ),
        "parse/index_tuples.py",
        (refused(r"$\hat{x}_i = x_i$ for $i = (i_N, i_C)$", "multi-index", at="i = (i_N,"),),
    ),
    Rule(
        "statements.h-l-1-f-h-l",
        "statements",
        (
            r"`h^{(l+1)} = f(h^{(l)})`",
            r"the left side one step ahead: read as the same equation one step earlier, `h^{(l)} = f(h^{(l-1)})` (said in the readings)",
        ),
        "read/reader.py",
        (
            ok(
                r"h^{(l+1)} = \sigma(W h^{(l)}), h^{(l)} \in \mathbb{R}^n",
                says=r"one step earlier",
                W="n x n",
            ),
        ),
    ),
    Rule(
        "statements.bar-a-i-frac-a-i-mathrm-rms",
        "statements",
        (
            r"`\bar{a}_i = \frac{a_i}{\mathrm{RMS}(a)} g_i`",
            r"an equation over entries: it defines every entry i at once (elementwise, section 5)",
        ),
        "read/reader.py",
        (
            ok(
                r"\bar{a}_i = \frac{a_i}{\mathrm{RMS}(a)} g_i, \mathrm{RMS}(a) = \sqrt{\frac{1}{n} \sum_{i=1}^{n} a_i^2}, a \in \mathbb{R}^n",
                g="n",
                a_bar="n",
            ),
        ),
    ),
    Rule(
        "statements.mathrm-rms-a",
        "statements",
        (
            r"`\mathrm{RMS}(a) = ...`, `\mathrm{score}(h_t, \bar h_s) = ...`",
            r"a **function definition**: each later call is the body with the arguments in place of the parameters, so shapes are inferred per call; a definition never called is the equation for its value, with its parameters as inputs",
        ),
        "read/reader.py",
        (
            ok(
                r"y = W \mathrm{RMS}(x), \mathrm{RMS}(a) = \sqrt{\frac{1}{n} \sum_{i=1}^{n} a_i^2}, x \in \mathbb{R}^n",
                says=r"RMS",
            ),
        ),
    ),
    Rule(
        "statements.ffn-x-w-1-b-1-max-0-w-1-x-b",
        "statements",
        (
            r"`FFN(x, W_1, b_1) = \max(0, W_1 x + b_1)`, `\mathop{Attention}(Q, K, V) = ...` (a name in italics)",
            r"letters side by side with no space, directly before the parenthesis of a left side, are **one name**, the function defined (as `\mathrm{FFN}`; a left side is one symbol, so they cannot be a product there); the same letters before a parenthesis in another equation (`y = W_2 FFN(h, W_1, b_1)`) are a call of it. Arguments written as weights (`W`, `w`, `\theta`, and `b` with a label: `W_1`, `b_1`) stay **parameters**; the others (`x`, `Q`, `K`, `V`, a bare `b` as in `d(a, b)`) are inputs (`read/rules_functions.py`, `tests/test_function_definitions.py`)",
        ),
        "read/rules_functions.py",
        (
            ok(
                r"FFN(x, W_1, b_1) = \max(0, W_1 x + b_1), y = W_2 FFN(h, W_1, b_1), h \in \mathbb{R}^m, y \in \mathbb{R}^k",
                kinds={"W_1": "parameter"},
                W_1="? x m",
            ),
        ),
    ),
    Rule(
        "statements.t-mathbf-x-mathbf-w-t",
        "statements",
        (
            r"`T(\mathbf{x}, \mathbf{W_T})` beside `T(\mathbf{x}) = \sigma(\mathbf{W_T}^T \mathbf{x} + \mathbf{b_T})` (Highway Networks: a layer written with its weights)",
            r"extra arguments at the end of a call of a defined function, each written as a weight and used by the definition's body (not one of its parameters), **name the weights** it uses: the call is the function of its other arguments (said in the readings). Any other extra argument (a weight the body does not use, a non-weight, one weight twice) is refused with the count of arguments. A function the source does not define, called with weights as its last arguments (`H(\mathbf{x}, \mathbf{W_H})`, `g(x, \theta)`: Highway Networks' layer written with its weights), is the learnable function papermath reads for any function the source does not define (by default an affine map) of the arguments before the weights, which are its own (said in the readings: not a second input concatenated to x) (`read/rules_functions.py`, `tests/test_paper_constructs.py`)",
        ),
        "read/rules_functions.py",
        (
            ok(
                r"T(\mathbf{x}) = \sigma(\mathbf{W_T}^T \mathbf{x} + \mathbf{b_T}), \mathbf{y} = T(\mathbf{x}, \mathbf{W_T}) \odot \mathbf{x}, \mathbf{x} \in \mathbb{R}^n",
                W_T="n x n",
            ),
            ok(
                r"\mathbf{y} = H(\mathbf{x}, \mathbf{W_H}) + \mathbf{x}, \mathbf{x} \in \mathbb{R}^n",
                y="n",
            ),
        ),
    ),
    Rule(
        "statements.sigma-u-frac-1-1-e-u",
        "statements",
        (
            r"`\sigma(u) = \frac{1}{1 + e^{-u}}`, `\text{LN}(X) = \gamma \frac{X - \dots}{\dots} + \beta` (a name papermath knows, defined by the source)",
            r"the **source's own definition**: every call of that name in the source is the body (LN is then the source's layer norm, not the natural log `\ln`)",
        ),
        "read/reader.py",
        (
            ok(
                r"\sigma(u) = \frac{1}{1 + e^{-u}}, h = \sigma(W x), x \in \mathbb{R}^m, h \in \mathbb{R}^n",
                says=r"the function defined on line 1",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "statements.h-0-0",
        "statements",
        (
            r"`h_0 = 0`, `h^{(0)} = \mathbf{0}` beside a recurrence in h",
            r"an **initial condition**: the state's value before the first step, zero, which is the generated code's initial state where none is given (read so, said in the readings; no symbol `h_0`). An initial condition to another value of a whole state is read by the rule `initial-value` (`read/rules_initial_tie.py`); one per node (GatedGraphConv's `h_i^{0} = [x_i \| \mathbf{0}]`, zero padding) is refused at the left side (give the value as the initial state), and so is a step-0 value used in an equation beside an initial condition to zero (`read/rules_initial.py`)",
        ),
        "read/rules_initial.py",
        (
            ok(
                "h_t = \\tanh(W h_{t-1} + U x_t), h_0 = 0\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                says=r"initial",
            ),
        ),
    ),
    Rule(
        "statements.initial-value",
        "statements",
        (
            r"`H^{0} = X` beside `H^{l+1} = (1-\alpha) \hat{A} H^{l} + \alpha H^{0}` (DGL's APPNP), `h_0 = \tanh(U x)` beside a recurrence in h",
            r"a state's **first value tied to a value of the model**: read as a value of its own, `H_init`, computed once before the steps; the state has its shape, and the generated code starts the recurrence from it (no initial-state argument; the gradient flows through it into X). A step-0 value on a right side (APPNP's teleport term `\alpha H^{0}`) is that same value. Refused, with nothing declared: a learnable function of a lowercase letter as the first value (`z^{(0)} = \mathrm{MLP}(x)`: a vector, or a row per node?; Spektral's capital `\mathbf{Z}^{(0)} = \textrm{MLP}(\mathbf{X})` reads, `functions.learned-first-rows`) and a state multiplied by weights one per step (ARMAConv's `\bar X^{(t)} W^{(t)}`: the first step's may change the width) (`read/rules_initial_tie.py`, `tests/test_initial_values.py`)",
        ),
        "read/rules_initial_tie.py",
        (
            ok(
                "H^{0} = X\nH^{l+1} = (1-\\alpha) \\tilde{A} H^{l} + \\alpha H^{0}\n"
                "X \\in \\mathbb{R}^{N \\times F}, \\tilde{A} \\in \\mathbb{R}^{N \\times N}",
                says=r"H_init",
                H="N x F",
                H_init="N x F",
            ),
            refused(
                "z^{(0)} = \\mathrm{MLP}(x)\nz^{(K)} = \\tilde{A} z^{(K-1)} + \\alpha z^{(0)}",
                "learnable function",
                at="\\mathrm{MLP}(x)",
            ),
        ),
    ),
    Rule(
        "statements.block-slice-stack",
        "statements",
        (
            r"`a_v^{(t)} = A_{v:}^\top \left[ h_1^{(t-1)\top} \dots h_{|V|}^{(t-1)\top} \right]^\top + b` (Li et al. 2016, GG-NN's eq. 2), `A_{v:}^T[h_1^{(t-1)T}\dots h_{|V|}^{(t-1)T}]^T`, `\big[ ... \big]^\top`, `[h_1; \dots; h_N]`, `...` for the dots (course notes and blogs copying it)",
            r"the **part of A that belongs to node v times the stack of every node's state** (node 1 to the number of nodes, a column): cut by the stack's blocks, the sum over every node u of A's block for (v, u) (transposed where the slice is) times h_u, read as `\sum_{u \in \mathcal{N}(v)} A_{vu}^\top h_u` with one block per pair (`graphs.per-edge-values`): a pair whose block is zero adds nothing, so the edge list is every pair whose block is not zero (said in the reading). The blocks' sizes stay free (2D is the paper's prose). A stack written as a row (every entry transposed, the bracket not) is refused at the stack; A written elsewhere (the whole A declared, `A \in \mathbb{R}^{N \times N}`, whose size is not a block's) is refused there; a row of columns (a D x |V| matrix), a stack from node 2, or the slice alone stay refused at the colon (`doubts.slice-in-a-subscript`) (`parse/block_slice.py`, `tests/test_s10_GGNN3.py`)",
        ),
        "parse/block_slice.py",
        (
            ok(
                r"a_v^{(t)} = A_{v:}^\top \left[ h_1^{(t-1)\top} \dots h_{|V|}^{(t-1)\top} \right]^\top"
                "\n"
                r"h_v^{(t)} = \tanh(W a_v^{(t)} + U h_v^{(t-1)}), \quad h_v \in \mathbb{R}^{D}",
                says="a slice times the stack of every node",
                kinds={"A": "input", "h": "state"},
                h="D",
                A="D x ?",
                U="D x D",
            ),
            ok(
                r"a_v^{(t)} = A_{v:}^T[h_1^{(t-1)T}\dots h_{|V|}^{(t-1)T}]^T + b"
                "\n"
                r"h_v^{(t)} = \tanh(W a_v^{(t)} + U h_v^{(t-1)}), \quad h_v \in \mathbb{R}^{D}",
                says="every pair (u, v) whose block is not zero",
                A="D x ?",
            ),
            refused(
                r"a_v = A_{v:}^T[h_1^{(t-1)T},\cdots,h_{|V|}^{(t-1)T}] + b"
                "\n"
                r"h_v^{(t)} = \tanh(W a_v + U h_v^{(t-1)})",
                "is a row",
                at="[h_1",
            ),
            refused(
                r"a_v^{(t)} = A_{v:}^\top [h_1^{(t-1)\top} \dots h_{N}^{(t-1)\top}]^\top"
                "\n"
                r"h_v^{(t)} = \tanh(W a_v^{(t)} + U h_v^{(t-1)}), \quad A \in \mathbb{R}^{N \times N}",
                "one block of A",
                at="A",
            ),
            refused(
                r"a_v = A_{v:} [h_1 \dots h_{|V|}] + b"
                "\n"
                r"h_v^{(t)} = \tanh(a_v + h_v^{(t-1)})",
                "slice",
                at=":",
            ),
        ),
    ),
    Rule(
        "statements.zero-padded-first-value",
        "statements",
        (
            r"`\mathbf{h}_i^{(0)} = \mathbf{x}_i \, \Vert \, \mathbf{0}` (PyG's GatedGraphConv), `\h^{(0)}_i = \x_i \| \mathbf{0}` (Spektral's), `h_v^{(1)} = [x_v^\top, \mathbf{0}]^\top` (Li et al.'s GG-NN)",
            r"a state's **first value, one per node, the input padded with zeros** to the state's width: read as the state's first value `h_init` (`statements.initial-value`), the input followed by a block of zeros as wide as the state is beyond it (a size difference; both widths stay free); the code concatenates the input with `zeros`. Sizes that make the input wider than the state are refused at the construct when the code is generated (PyG: 'needs to be less or equal'); zeros before or between values stay refused (`read/rules_zero_pad.py`, `tests/test_s8_ggnn2.py`)",
        ),
        "read/rules_zero_pad.py",
        (
            ok(
                "h_i^{(0)} = x_i \\| \\mathbf{0}\n"
                "h_i^{(l+1)} = \\tanh(\\sum_{j \\in \\mathcal{N}(i)} W h_j^{(l)})\n"
                "x_i \\in \\mathbb{R}^{F}, h_i \\in \\mathbb{R}^{D}",
                says="padded with zeros",
                h="D",
                h_init="D",
                x="F",
                W="D x D",
            ),
            refused(
                "h_i^{(0)} = \\mathbf{0} \\| x_i\n"
                "h_i^{(l+1)} = \\tanh(\\sum_{j \\in \\mathcal{N}(i)} W h_j^{(l)})",
                "zeros before or between",
                at="h_i^{(0)}",
            ),
        ),
    ),
    Rule(
        "statements.defined-through-log",
        "statements",
        (
            r"`\log \boldsymbol{\sigma}^2 = \mathbf{W}_5 \mathbf{h} + \mathbf{b}_5` (Kingma & Welling's VAE encoder), `\log \lambda = W x`",
            r"a symbol **defined through its logarithm**: the left side is the log of one symbol (or of a positive power of it), and the equation defines that symbol as the exponential of the right side, `\sigma = \exp((W_5 h + b_5) / 2)` (the positive root: a standard deviation), `\lambda = \exp(W x)` (said in the readings). Any other function on the left side (`\log W x`, `\log \sigma^{-2}`, `\exp \sigma`) is refused as before (`read/rules_implicit.py`, `tests/test_paper_constructs.py`)",
        ),
        "read/rules_implicit.py",
        (
            ok(
                r"\log \boldsymbol{\sigma}^2 = \mathbf{W}_5 \mathbf{h} + \mathbf{b}_5, \mathbf{h} \in \mathbb{R}^n, \boldsymbol{\sigma} \in \mathbb{R}^J",
                says=r"exp",
                W_5="J x n",
            ),
        ),
    ),
    Rule(
        "statements.tuple-left-side-blocks",
        "statements",
        (
            r"`[\mathbf{q}, \mathbf{k}, \mathbf{v}] = \mathbf{z} \mathbf{U}_{qkv}` (ViT), `\begin{pmatrix} i \\ f \\ o \\ g \end{pmatrix} = \begin{pmatrix} \mathrm{sigm} \\ \mathrm{sigm} \\ \mathrm{sigm} \\ \tanh \end{pmatrix} T_{2n,4n}(\dots)` (Zaremba et al.)",
            r"a bracketed tuple or a column of symbols on the left names the **blocks of the right side**: computed once, cut along its last (feature) axis into as many blocks of equal width, in the order written (generated code slices it); a column of functions before the right side applies each function to its block. The width must be the number of blocks times a size (`3 D_h`), or the blocks' own sizes give it; otherwise an error naming the width (`read/rules_blocks.py`, `tests/test_tuple_blocks.py`)",
        ),
        "read/rules_blocks.py",
        (
            ok(
                r"[q, k, v] = z U, \quad U \in \mathbb{R}^{D \times 3 d}, z \in \mathbb{R}^{N \times D}",
                says=r"blocks",
                q="N x d",
                v="N x d",
                U="D x 3*d",
            ),
            ok(
                r"\begin{pmatrix} a \\ b \end{pmatrix} = \begin{pmatrix} \sigma \\ \tanh \end{pmatrix} W x, \quad a \in \mathbb{R}^n, x \in \mathbb{R}^m",
                a="n",
                b="n",
                W="2*n x m",
            ),
            refused(
                r"[q, k, v] = z U, \quad U \in \mathbb{R}^{D \times D}, z \in \mathbb{R}^{N \times D}",
                r"equal width",
                at="z U",
            ),
        ),
    ),
    Rule(
        "statements.backward-recurrence",
        "statements",
        (
            r"`\overleftarrow{h}_t = \mathcal{H}(W_{x\overleftarrow{h}} x_t + W_{\overleftarrow{h}\overleftarrow{h}} \overleftarrow{h}_{t+1} + b_{\overleftarrow{h}})` (Graves et al.'s bidirectional RNN), d2l's `\overleftarrow{\mathbf{H}}_{t+1}`",
            r"a **state carried backwards**: a symbol defined at step t from its own value at t+1 runs from the last step down (zeros after the last step); shapes, kinds, explain and the diagram read it as a forward recurrence's, the readings say it runs backwards. Generated code runs it in a second loop, from the last step down (after the last step: the given final state, or zeros), after the forward loop; what reads a backward state and no backward state reads (`y_t` from both states, a loss summed over t) is computed in a third loop, from the first step, after both (checked against `torch.nn.RNN(bidirectional=True)`; the fused step kernel is not used). `papermath grad` prints its gradient equations: what reaches `h_t` of a backward state from the step that reads it is step t-1's (it reads `h_{t+1}` at t), checked against the generated backward by `tests/test_grad_oracle.py`. A value read both at t-1 and t+1, or at t+2, stays refused; so does code for a forward state that a backward one reads and that reads it (a loop each way) (`read/rules_reverse.py`, `ir/lower.py`, `tests/test_backward_recurrence.py`, `tests/test_bidirectional.py`)",
        ),
        "read/rules_reverse.py",
        (
            ok(
                r"h_t = \tanh(W x_t + U h_{t+1} + b), x_t \in \mathbb{R}^m, h_t \in \mathbb{R}^n",
                says=r"backwards",
                kinds={"h": "state"},
                U="n x n",
            ),
            refused(
                r"h_t = \tanh(W x_t + U h_{t-1} + V h_{t+1}), x_t \in \mathbb{R}^m",
                r"both ways",
                at=r"h_{t+1}",
            ),
        ),
    ),
    Rule(
        "functions.activation-around-an-affine-map",
        "functions",
        (
            r"`\mathcal{H}(W x_t + U h_{t-1} + b)` (Graves et al.'s hidden layer function), any one-letter function the source does not define around a sum with a product and a bias",
            r"the argument is already an affine map with its own weights and bias, so the function is **the layer's nonlinearity**, one the source does not name (as `\sigma_y`): shapes, explain and the diagram read it, code asks which one (a comment `% \mathcal{H}: tanh` says it); without a bias (`g(W x)`) the function stays learnable (`read/rules_wrapped.py`)",
        ),
        "read/rules_wrapped.py",
        (
            ok(
                r"h_t = \mathcal{H}(W x_t + U h_{t-1} + b), \quad x_t \in \mathbb{R}^m, h_t \in \mathbb{R}^n",
                says=r"affine map",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "keys.labels-in-parentheses",
        "keys",
        (
            r"`\mathbf{W}_{xh}^{(f)}` beside `\mathbf{W}_{xh}^{(b)}` (d2l's bidirectional RNN: forward and backward)",
            r"`W_xh_f`, `W_xh_b`",
            r"one symbol written with two different letters in parentheses and never with a step: the letters label two matrices, not two steps of one value; one letter alone (`h^{(T)}` beside `h_t`) stays a step label (`read/rules_reverse.py`)",
        ),
        "read/rules_reverse.py",
        (
            ok(
                r"a_t = \tanh(W^{(f)} x_t + a_{t-1}), c_t = \tanh(W^{(b)} x_t + c_{t-1}), x_t \in \mathbb{R}^m, a_t \in \mathbb{R}^n, c_t \in \mathbb{R}^k",
                W_f="n x m",
                W_b="k x m",
            ),
        ),
    ),
    Rule(
        "doubts.slice-in-a-subscript",
        "doubts",
        (
            r"`A_{v:}^\top` (Li et al.'s GG-NN: the block row of the adjacency for node v), `W_{:, j}`, `X_{i,:}`, `U_{*,i}`, `x_{1:k}`",
            r"a colon (or a star) in a subscript picks a whole row, column or block of a matrix (a slice): not read; refused at the colon or star, the hint saying what the slice picks (row i, column j, the first k entries; for `x_{1:k}` that the text leaves open where counting starts and whether k is in) and writing the product with the whole matrix or a block of its own name (`parse/index_slices.py`); `A_{v:}` times the stack of every node's state (GG-NN's eq. 2 as written) reads (`statements.block-slice-stack`)",
        ),
        "parse/index_slices.py",
        (
            refused(r"y = W_{:, j} x", r"slice", at=r":"),
            refused(r"y = U_{*,i} + b", r"slice", at=r"*"),
        ),
    ),
    Rule(
        "keys.layer-superscript",
        "keys",
        (
            r"`h^{l-1}_t` beside `h^l_{t-1}`, `c^l_t` (Zaremba et al. 2014: layer l, step t)",
            r"`h_below`; `h`, `c`",
            r"l is the **layer** beside the step t: the equations describe one layer l, so a value at layer l is this layer's (key without l), and one at layer l-1 is the output of the layer below at the same step, this layer's input (key `_below`); a declaration written at layer l (`h^l_t \in \mathbb{R}^n`) holds at every layer, the one below too. Read only where `l-1` and `l` are both written on a symbol with a step; `l-2` stays refused (`read/rules_layer_stack.py`). Also with the step first and the layer in parentheses, `H_t^{(l-1)}` beside `H_{t-1}^{(l)}` (d2l's deep RNN: l is then the layer, not a second step); `H_t^{(L)}` is the top layer (read as this layer's value where H is declared at layer l, one shape at every layer; refused otherwise), and `H_t^{(0)} = X_t` says the first layer's input is X: read as that, not as an equation of the layer nor a first value over the steps (X's sizes are not tied to `H_below`'s)",
        ),
        "read/rules_layer_stack.py",
        (
            ok(
                r"h^l_t = \tanh(W h^{l-1}_t + U h^l_{t-1}), \quad h^l_t \in \mathbb{R}^n",
                kinds={"h_below": "input", "h": "state"},
                W="n x n",
                h_below="n",
            ),
            ok(
                "$$H_t^{(l)} = \\tanh(H_t^{(l-1)} W^{(l)} + H_{t-1}^{(l)} U^{(l)}), H_t^{(l)} \\in \\mathbb{R}^{n \\times h}, O_t = H_t^{(L)} V$$\n\nfor the $l^\\textrm{th}$ layer.\n",
                says="top layer",
                kinds={"H_below": "input", "H": "state"},
                W="h x h",
                H_below="n x h",
                O="n x ?",
            ),
            ok(
                "$$H_t^{(l)} = \\tanh(H_t^{(l-1)} W^{(l)} + H_{t-1}^{(l)} U^{(l)}), H_t^{(l)} \\in \\mathbb{R}^{n \\times h}$$\n\n第$l$个隐藏层的隐状态。\n",
                kinds={"H_below": "input", "H": "state"},
                W="h x h",
            ),
            refused(r"h_l^{(t)} = \tanh(W h_{l-1}^{(t)} + U h_l^{(t-1)})", r"both step", at=r"t-1"),
            refused(
                "$$H_t^{(l)} = \\tanh(H_t^{(l-1)} W + H_{t-1}^{(l)} U), O_t = H_t^{(L)} V$$\n\nfor the $l^\\textrm{th}$ layer.\n",
                r"top layer",
                at=r"(L)",
            ),
        ),
    ),
    Rule(
        "statements.named-recurrent-cell",
        "statements",
        (
            r"`(h_t^1, c_t^1) = \text{EncoderLSTM}^1(e(x_t), (h_{t-1}^1, c_{t-1}^1))` (bentrevett's seq2seq notebooks: a tuple of states from one call whose name says LSTM or GRU)",
            r"refused as a tuple on the left side (`doubts.tuple-left-side`), with a hint that says the name makes it an LSTM (or GRU) cell and gives the cell's equations to write (PyTorch's nn.LSTM), in the source's names for the values; papermath reads equations a source writes, not a cell it names",
        ),
        "parse/named_cells.py",
        (
            refused(
                r"(h_t^1, c_t^1) = \text{LSTM}^1(x_t, (h_{t-1}^1, c_{t-1}^1))",
                r"tuple",
                at=r"(h_t^1, c_t^1)",
            ),
        ),
    ),
    Rule(
        "statements.named-lstm-call",
        "statements",
        (
            r"`(h_t, c_t) = \text{LSTM}(x_t, (h_{t-1}, c_{t-1}))` (bentrevett's seq2seq notebooks, without layer superscripts: a cell named LSTM called with its previous states)",
            r"**PyTorch's LSTM cell at each step** (`parse/cell_calls.py`): the source writes no equations of the cell, so they are torch.nn.LSTM's as documented (gates i, f, g, o; `W_{ii}`, `W_{hi}`, `b_{ii}`, `b_{hi}`, ... learnable, one to one with `weight_ih_l0`, `weight_hh_l0` split by gate), the first argument the input, said in the readings. Refused as before (`statements.named-recurrent-cell`): a GRU, layer superscripts (`h_t^1`), a generated letter (i, f, g, o, W, b) the source uses elsewhere",
        ),
        "parse/cell_calls.py",
        (
            ok(
                r"(h_t, c_t) = \text{LSTM}(x_t, (h_{t-1}, c_{t-1}))",
                says="PyTorch's equations",
                kinds={"x": "input", "h": "state", "c": "state"},
                W_hi="? x ?",
            ),
            refused(
                "(h_t, c_t) = \\text{LSTM}(x_t, (h_{t-1}, c_{t-1}))\n\\hat{y}_t = f(h_t)",
                "tuple",
                at="(h_t, c_t)",
            ),
        ),
    ),
    Rule(
        "statements.named-lstm-layers",
        "statements",
        (
            r"`(h_t^1, c_t^1) = \text{EncoderLSTM}^1(e(x_t), (h_{t-1}^1, c_{t-1}^1))` then `(h_t^2, c_t^2) = \text{EncoderLSTM}^2(h_t^1, (h_{t-1}^2, c_{t-1}^2))` (bentrevett's seq2seq notebooks: numbered layers of a cell named LSTM)",
            r"**a stack of PyTorch's LSTM cells** (`parse/cell_layers.py`): torch.nn.LSTM with num_layers the number of layers written (two or more, numbered 1, 2, ... in order, each fed by the layer below's hidden state at step t); each layer's equations nn.LSTM's with its own gates (`i_k`) and weights (`W_k_ii`, one to one with `weight_ih_l{k-1}` split by gate); the top layer's states keep the source's letters (the stack's output), a lower layer's carry its number (`h_1`). With it: `s_t^L` where the words say “top layer” (the top layer's s) and the initial states as a tuple in the prose (`$(s_0^l,c_0^l)=z^l=(h_T^l,c_T^l)$`: given). One numbered layer alone, a layer fed by something else, a generated name the source writes: refused as a tuple on the left",
        ),
        "parse/cell_layers.py",
        (
            ok(
                "$$(h_t^1, c_t^1) = \\text{LSTM}^1(x_t, (h_{t-1}^1, c_{t-1}^1))$$\n$$(h_t^2, c_t^2) = \\text{LSTM}^2(h_t^1, (h_{t-1}^2, c_{t-1}^2))$$\n",
                says="a stack of 2 LSTM layers",
                kinds={"x": "input", "h": "state", "c": "state", "h_1": "state"},
                W_2_ii="? x ?",
            ),
            refused(
                "$$(h_t^1, c_t^1) = \\text{LSTM}^1(x_t, (h_{t-1}^1, c_{t-1}^1))$$\n$$(h_t^2, c_t^2) = \\text{LSTM}^2(c_t^1, (h_{t-1}^2, c_{t-1}^2))$$\n",
                "tuple",
                at="(h_t^1, c_t^1)",
            ),
        ),
    ),
    Rule(
        "keys.running-average-name",
        "keys",
        (
            r"`E[g^2]_t = \rho \cdot E[g^2]_{t-1} + (1-\rho) \cdot g_t^2` (ADADELTA, optax's `adadelta`: a running average named by its formula, written at a step)",
            r"`E_g2` (state), `E_Deltaw2`",
            r"**one value per step, the running average of what the bracket holds** (`parse/running_average.py`, `read/rules_running_average.py`): where an equation defines it or the prose beside it calls it an average; key `E_g2` (the bracket's letters and digits), tied to the shape of the symbol inside (g^2 entry by entry: g's). One the source never computes (optax's `E[\Delta w^2]`) is read for its shape, code refused with the update to write. `E[x]` without a step stays a mean over an axis; a bracket at a step nothing names an average stays refused",
        ),
        "parse/running_average.py",
        (
            ok(
                "$$E[g^2]_t = \\rho \\cdot E[g^2]_{t-1} + (1-\\rho) \\cdot g_t^2$$\n$$u_t = \\frac{g_t}{\\sqrt{E[g^2]_t + \\epsilon}}$$\n",
                says="a running average, named by its formula",
                kinds={"E_g2": "state", "g": "input"},
                E_g2="d1",
                g="d1",
            ),
            refused("$$u_t = E[g^2]_t + g_t$$", "bracket written at a step", at="[g^2]_t"),
        ),
    ),
    Rule(
        "keys.delta-name",
        "keys",
        (
            r"`\Delta w_t = -\frac{\sqrt{E[\Delta w^2]_{t-1} + \epsilon}}{\sqrt{E[g^2]_t + \epsilon}} \cdot g_t` (ADADELTA: the update of w on a left side)",
            r"`Delta_w`",
            r"**one name, the change of w** (`parse/delta_names.py`): a capital Delta before a one-letter symbol, where an equation defines that pair, is one symbol everywhere in the source (key `Delta_w`, w's step and scripts kept, shaped by convention as w would be), never Delta times w; where the prose calls g “the gradient”, the update and the gradient have the parameters' shape: vectors of one size (then `\cdot` between them is elementwise, `shapes/rules_dot_elementwise.py`). `\Delta` that no equation defines (LoRA's `\Delta W x` in a claim, Mamba's step size) as before",
        ),
        "parse/delta_names.py",
        (
            ok(
                "$$\\Delta w_t = \\mu \\Delta w_{t-1} - \\eta g_t$$\n",
                says="the name Delta_w",
                kinds={"Delta_w": "state", "g": "input"},
                Delta_w="d1",
            ),
        ),
    ),
    Rule(
        "statements.forms-of-a-flag",
        "statements",
        (
            r"`u_t \leftarrow \begin{cases} -\alpha_t m_t & \text{ if } \texttt{nesterov = False} \\ -\alpha_t (g_t + \mu m_t) & \text{ if } \texttt{nesterov = True} \end{cases}`, and `u_t \leftarrow -\alpha_t g_t` before it, then “with momentum takes two possible forms” (optax's `sgd`)",
            r"**one of its forms** (`parse/flag_forms.py`, `read/rules_flag_forms.py`): cases on a flag of the code whose setting the source does not give (with a default the source gives: `statements.cases-flag-default`), or a value defined again in a later display that defines new values too, after words that give another form (“with momentum”, “two possible forms”): the value is one of the forms, each read, all of one shape (forms the source shapes apart are refused, never solved to one); shapes, kinds, explain and the readings work, code is refused (which form, the source does not say: write it as the value's own equation). A value defined twice without such words stays refused",
        ),
        "parse/flag_forms.py",
        (
            ok(
                "$$m_t \\leftarrow g_t + \\mu m_{t-1}$$\n$$u_t \\leftarrow \\begin{cases} -\\alpha_t m_t & \\text{ if } \\texttt{nesterov = False} \\\\ -\\alpha_t (g_t + \\mu m_t) & \\text{ if } \\texttt{nesterov = True} \\end{cases}$$\n",
                says="one of 2 forms",
                kinds={"m": "state", "g": "input"},
                u="d1",
                m="d1",
            ),
            refused(
                "$$u = \\begin{cases} a & \\text{ if } \\texttt{flat = True} \\\\ W a & \\text{ if } \\texttt{flat = False} \\end{cases}, W \\in \\mathbb{R}^{n \\times m}, a \\in \\mathbb{R}^{m}$$",
                "different shapes",
                at="\\begin{cases}",
            ),
        ),
    ),
    Rule(
        "statements.sequence-mentions",
        "statements",
        (
            r"`X = \{x_1, x_2, ..., x_T\}`, `x_1 = \text{<sos>}`, `h_T = z` beside `z = h_T` (bentrevett's seq2seq notebook 1: prose that says what the sequence is)",
            r"**left out, said in the readings**: a set of one symbol's values at numbered steps with dots names the sequence, read through `x_t` (the name used nowhere else); a word given as an input's value at a numbered step is an example token; `h_T = z` where `z = h_T` is also written says it again (`read/rules_sequence_mentions.py`). A set used as a value, a word as a computed value's, `h_T = z` alone: as before",
        ),
        "read/rules_sequence_mentions.py",
        (
            ok(
                "$$h_t = \\tanh(W h_{t-1} + U x_t)$$\nHere, we have $X = \\{x_1, x_2, ..., x_T\\}$, where $x_1 = \\text{<sos>}$.\n",
                says="the sequence named, left out",
                kinds={"x": "input", "h": "state"},
                W="? x ?",
            ),
            refused(
                "$$h_t = \\tanh(W h_{t-1} + U x_t)$$\nwhere $h_1 = \\text{<sos>}$\n",
                "",
                at="\\text{<sos>}",
            ),
        ),
    ),
    Rule(
        "keys.italic-linear-link",
        "keys",
        (
            r"`\tanh(upward x + lateral h)`, `\sigma(upward x + lateral h + peep_i c)` with the docstring's attribute lines `upward (~chainer.links.Linear): Linear layer of upward connections.` (Chainer's peephole LSTM)",
            r"`upward`, `lateral`, `peep_i`",
            r"a run of three or more letters typed together in italics (a whole word, with a subscript written right after it) that an attribute line of the prose lists as `NAME (...Linear): ...` is one name, and a product with it on the left is its weight matrix times the value (no bias: the equation writes none); the readings quote the attribute line. A word the prose does not list stays refused (`parse/primes.py`, `parse/italic_names.py`)",
        ),
        "parse/italic_links.py",
        (
            ok(
                "$$a = \\tanh(upward x_t + lateral h_{t-1}), h_t = a$$\n\nAttributes:\n    upward (~chainer.links.Linear): Linear layer of upward connections.\n    lateral (~chainer.links.Linear): Linear layer of lateral connections.\n",
                says="name of a Linear layer",
                upward="? x ?",
                lateral="? x ?",
            ),
        ),
    ),
    Rule(
        "keys.ell-and-l",
        "keys",
        (
            r"`\mathbf{W}^{(l + 1)}_1 \mathbf{x}_i^{(l)} + \mathbf{W}^{(\ell + 1)}_2 \dots` (the UvA notebooks' GraphConv: l and `\ell` both as step indices)",
            r"`\ell` as l, said",
            r"`\ell` is the script letter l: where every left side is written at l and `\ell` appears only in superscripts of right sides (no left side, sum or declaration binds it), a second index would be free, so it is l spelled two ways and reads as l (said in the readings); where `\ell` is written on a left side, under a sum or beside declarations, one index spelled two ways or two indices: refused, the caret on the second, the hint to write one letter for one index",
        ),
        "read/rules_ell_index.py",
        (
            ok(
                r"x^{(l+1)} = W^{(l+1)} x^{(l)} + U^{(\ell+1)} x^{(l)}",
                says="script letter l",
                x="?",
                W="? x ?",
                U="? x ?",
            ),
            refused(
                r"x^{(\ell+1)} = W^{(l+1)} x^{(\ell)}, h^{(l+1)} = U h^{(l)}",
                r"script letter l",
                at=r"l+1",
            ),
        ),
    ),
    Rule(
        "statements.epsilon-sim-mathcal-n-0-i",
        "statements",
        (
            r"`\epsilon \sim \mathcal{N}(0, I)`, `r^{(l)} \sim \mathrm{Bernoulli}(p)`",
            r"a **sampled input**: drawn, not learned; its shape is what the equations give it; generated code takes it as an input",
        ),
        "read/reader.py",
        (
            ok(
                r"z = \mu + \sigma \odot \epsilon, \epsilon \sim \mathcal{N}(0, I), \mu \in \mathbb{R}^J",
                kinds={"epsilon": "input"},
                epsilon="J",
            ),
        ),
    ),
    Rule(
        "statements.update-rules",
        "statements",
        (
            r"`m_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t`, `\theta_t \gets \theta_{t-1} - \alpha m_t` (an algorithm's update rule: Adam, optax, d2l)",
            r"the **definition of the step's value**, read as `=` (a recurrence; said in the readings). In a system written with arrows, a symbol that carries the step and that no rule defines (optax's `\theta_t` in `u_t \leftarrow -\alpha_t (\dots + \lambda \theta_t)`) is given at each step, an input, not a parameter per step. An update **in place**, the new value computed from the same value at the same step (`\theta \leftarrow \theta - \eta g`, GraphSAGE's `h^k_v \leftarrow h^k_v / \|h^k_v\|_2`), is refused at its left side: the value before the assignment has no name, and which one the other equations read depends on where the line runs; write the step (`x_t \leftarrow f(x_{t-1})`) or name the new value. An arrow inside a chain (`a \leftarrow b = c`) is refused. The step number used as a value (Adam's bias correction `1 - \beta_1^t`): the next rows (`tests/test_update_rules.py`)",
        ),
        "read/rules_updates.py",
        (
            ok(
                r"m_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t, g_t \in \mathbb{R}^d",
                says=r"update",
                m="d",
            ),
            refused(
                r"\theta \leftarrow \theta - \eta g, g \in \mathbb{R}^d", r"in place", at=r"\theta"
            ),
        ),
    ),
    Rule(
        "statements.step-number-power",
        "statements",
        (
            r"`\hat{m}_t \leftarrow m_t / (1 - \beta_1^t)` (Adam's bias correction: Kingma & Ba's Algorithm 1, optax, d2l)",
            r"**a power of the step number**: a Greek letter with the step letter as a bare superscript, where no equation defines the letter and it is written at no step (a hyperparameter: one number for every step), is that number to the power t; the steps are numbered 1, 2, ... from the initial state at step 0 (as `torch.optim.Adam`'s `step`). Generated code raises it to the loop's step number (`step_pow`). Where the letter has values per step (`\beta_t` written too, or an equation defines it), or the source writes its steps as superscripts (`h^{(l)}`, `W^l`: then `\gamma^l` may be gamma at layer l), it is refused at the power: its value at step t or a power of t (`tests/test_step_number.py`)",
        ),
        "read/rules_step_number.py",
        (
            ok(
                r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t, \hat{m}_t = m_t / (1 - \beta_1^t), g_t \in \mathbb{R}^d",
                says=r"to the power t",
                beta_1="",
                m_hat="d",
            ),
            refused(
                r"m_t = \beta_t m_{t-1} + g_t, \hat{m}_t = m_t / (1 - \beta^t), g_t \in \mathbb{R}^d",
                r"does not guess",
                at=r"t",
            ),
        ),
    ),
    Rule(
        "statements.state-tuple",
        "statements",
        (
            r"`S_t \leftarrow (m_t, v_t)` (optax: the optimizer's state named as a whole); `S_0 := (m_0, v_0) = (0, 0)`",
            r"**a name for values the other equations define**: the line defines no value and is left out (said in the readings); a tuple of zeros as the named state's value at step 0 is the default initial state (zeros), left out too. A tuple that names a value no equation defines, or holds a computation (`(m_t + 1, v_t)`), is refused (`parse/state_tuples.py`, `tests/test_step_number.py`)",
        ),
        "parse/state_tuples.py",
        (
            ok(
                "m_t \\leftarrow \\beta_1 m_{t-1} + g_t \\\\\nv_t \\leftarrow \\beta_2 v_{t-1} + g_t^2 \\\\\nS_t \\leftarrow (m_t, v_t)\ng_t \\in \\mathbb{R}^d\n",
                says=r"left out",
                m="d",
                v="d",
            ),
            refused(
                "m_t \\leftarrow \\beta m_{t-1} + g_t\nS_t \\leftarrow (m_t, v_t)\n",
                r"no equation defines",
                at=r"v_t",
            ),
        ),
    ),
    Rule(
        "statements.given-gradient",
        "statements",
        (
            r"`g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})` (Adam's Algorithm 1: the gradient of the stochastic objective at step t)",
            r"**the gradient the algorithm is given**: an update rule whose whole right side is the gradient of a function the source does not define (the objective of the model being trained), taken at a value of its argument: g_t is an input per step (as `torch.optim` reads `p.grad`), the line left out and said in the readings. A gradient of a function the source defines, or inside an expression, stays refused (`papermath grad` derives gradients)",
        ),
        "read/rules_given_gradient.py",
        (
            ok(
                r"g_t \leftarrow \nabla_\theta f_t(\theta_{t-1}), \theta_t \leftarrow \theta_{t-1} - \alpha g_t, \theta_t \in \mathbb{R}^d",
                kinds={"g": "input"},
                says=r"given",
                g="d",
            ),
            refused(
                r"L = \|W x\|^2, g_t \leftarrow \nabla_W L(W_{t-1})",
                r"derivative",
                at=r"\nabla_W",
            ),
        ),
    ),
    Rule(
        "statements.dropout-cases",
        "statements",
        (
            r"`h' = \begin{cases} 0 & \textrm{ with probability } p \\ \frac{h}{1-p} & \textrm{ otherwise} \end{cases}` (d2l's inverted dropout; the rows in either order)",
            '**dropout**: each entry is 0 with probability p and the value\'s entry otherwise, read as `dropout_mask \\odot \\frac{h}{1-p}`, with `dropout_mask` a random input of the value\'s shape (entries 1 with probability 1 - p, drawn independently): a sampled input, not a parameter; generated code takes it as an input (`parse/cases.py`, `read/rules_cases.py`, `tests/test_cases_dropout.py`). Only this form (two rows: the number 0 "with probability" one symbol, any value "otherwise"); any other `\\begin{cases}` (a condition on a value, as ReLU\'s `x & \\text{if } x > 0`, a flag, a third row) is refused at `\\begin{cases}`',
        ),
        "read/rules_cases.py",
        (
            ok(
                r"h = \tanh(W x), h' = \begin{cases} 0 & \textrm{ with probability } p \\ \frac{h}{1-p} & \textrm{ otherwise} \end{cases}, x \in \mathbb{R}^m, h \in \mathbb{R}^n",
                says=r"dropout",
                dropout_mask="n",
            ),
        ),
    ),
    Rule(
        "statements.cases-brace-system",
        "statements",
        (
            r"`\begin{cases} h[t] &= g(W_h [x[t]; h[t-1]] + b_h) \\ \hat{y}[t] &= g(W_y h[t] + b_y) \end{cases}` (NYU's course notes, week 6): `\begin{cases}` as a big brace around a system, every row `lhs &= rhs`, no left side before the brace",
            r"**the equations, one per row**, as in `\begin{aligned}`: the brace groups them and computes nothing (`parse/system_brace.py` blanks `\begin{cases}` and `\end{cases}` in place; a reading says so). Only where there are two rows or more, each with one `&` followed by a relation (`=`, `:=`, `\dot=`, `\coloneqq`, ...) and a left side before it, and the brace opens the display; a condition column (a second `&`) or a left side before the brace (`y = \begin{cases} ...`) is a definition by cases, left to the other rules (`tests/test_s9_GRAPH4.py`)",
        ),
        "parse/system_brace.py",
        (
            ok(
                r"\begin{cases} h_t &= \tanh(W h_{t-1} + U x_t) \\ y_t &= V h_t \end{cases}, x_t \in \mathbb{R}^m, h_t \in \mathbb{R}^n, y_t \in \mathbb{R}^k",
                says="cases-brace-system",
                kinds={"h": "state", "x": "input"},
                h="n",
                W="n x n",
                U="n x m",
                V="k x n",
            ),
            refused(r"y = \begin{cases} a &= 1 \\ b &= 2 \end{cases}", "", at="\\begin{cases}"),
        ),
    ),
    Rule(
        "statements.dot-equals",
        "statements",
        (
            r"`h[0] \dot= \boldsymbol{0}`, `W_h \dot= [...]` (NYU's course notes), `\doteq`, `\dot{=}`: the sign ≐",
            r"**a definition**, as `:=`: in machine-learning writing ≐ says \"is defined as\" (Sutton & Barto; the NYU notes: \"at the beginning, h[0] is set 0\"); where a source means \"approximately equal\" the value computed is the same, the right side's (`parse/system_brace.py` rewrites it in place; a reading says so)",
        ),
        "parse/system_brace.py",
        (
            ok(
                r"y \doteq W x, x \in \mathbb{R}^m, y \in \mathbb{R}^n",
                says="dot-equals",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "statements.edge-indicator",
        "statements",
        (
            r"`\alpha_{j} \stackrel{\tiny \downarrow}{=} 1 \Leftrightarrow v_{j} \rightarrow v` (NYU's course notes, week 13: the entries of an adjacency vector), `A_{ij} = 1 \iff (i, j) \in E`, `A[i, j] = 1 \iff (i, j) \in E`, `a_{ij} = 1 \Leftrightarrow j \in \mathcal{N}(i)`: an adjacency's entries defined by a condition on the edges, a math of its own",
            r"**data the graph gives, the line left out**: it computes no value (an equivalence, not an equation); a reading quotes it, and the letter it defines is an input where an equation uses it (never a learned parameter), with two indices a square matrix, a row and a column per node (`parse/edge_indicator.py`, `read/rules_graph_data.py`, `shapes/rules_graph_columns.py`). Only a letter with indices, `= 1`, `\Leftrightarrow` or `\iff`, and an edge (`x \to y`, `(i, j) \in E`, `j \in N(i)`) with nothing else in the math; any other equivalence stays refused at the arrow",
        ),
        "parse/edge_indicator.py",
        (
            ok(
                "$$A_{ij} = 1 \\iff (i, j) \\in E$$\n$$H = \\tanh(A X W)$$\nwhere $X \\in \\mathbb{R}^{N \\times F}$.",
                says="edge-indicator",
                kinds={"A": "input", "W": "parameter"},
                A="N x N",
            ),
            refused(
                "$$a = 1 \\Leftrightarrow b > 0$$\n$$y = W a$$",
                "an equivalence",
                at="\\Leftrightarrow",
            ),
        ),
    ),
    Rule(
        "statements.graph-tuple",
        "statements",
        (
            r"`Given a graph $$G = (V, A, X)$$ such that:` (CS224W's notes), `Let $\mathcal{G} = (\mathcal{V}, \mathcal{E})$ be a graph`, `a graph $G = (V, E)$`: a graph named by its parts",
            r"**left out, a reading quotes it** (`parse/graph_tuple.py`): the tuple names the sets and data that make the graph and computes no value; each part is what the rest of the source says of it (`X \in \mathbb{R}^{m \times |V|}`: |V| the number of vertices). Only a math whose whole content is G (`\mathcal{G}`) `=` a list of two or more capital letters, with the word \"graph\" just before it; any other tuple on a right side stays refused",
        ),
        "parse/graph_tuple.py",
        (
            ok(
                "Given a graph $\\mathcal{G} = (\\mathcal{V}, \\mathcal{E})$, $$H = \\tanh(A X W)$$ where $X \\in \\mathbb{R}^{N \\times F}$, $A \\in \\mathbb{R}^{N \\times N}$.",
                says="graph-tuple",
                W="F x ?",
            ),
            refused(
                "Let $S = (V, A)$ and $$H = \\tanh(A X W)$$",
                "a tuple on the right side",
                at="V",
            ),
        ),
    ),
    Rule(
        "statements.arrow-leads-to-an-equation",
        "statements",
        (
            r"`\{\boldsymbol{x}_{i}\}^{t}_{i=1}\rightsquigarrow \boldsymbol{H}=f(...)` (NYU's course notes, week 13), `\leadsto`: a squiggly arrow from what an equation reads to the equation, on one line",
            r"**the equation after the arrow, alone**: the arrow says \"leads to\", and the equation is complete without what stands before it (which changes no value it computes); that part is left out, a reading quotes it (`parse/arrow_lead.py`). Only the squiggly arrows, an equation after the arrow on its line and no `=` before it; `\to`, `\mapsto`, `\Rightarrow` (a map, an implication) stay refused (`doubts.arrow-before-an-equation`)",
        ),
        "parse/arrow_lead.py",
        (
            ok(
                r"\{x_i\}_{i=1}^{t} \rightsquigarrow H = \tanh(U X), X \in \mathbb{R}^{n \times t}, H \in \mathbb{R}^{d \times t}",
                says="arrow-leads-to-an-equation",
                U="d x n",
            ),
        ),
    ),
    Rule(
        "statements.cases-label",
        "statements",
        (
            r"`l_n = \begin{cases} x_n, & \text{if}\; y_n = 1,\\ \max \{0, \Delta - x_n\}, & \text{if}\; y_n = -1 \end{cases}` (PyTorch's HingeEmbeddingLoss: cases on a label's value, a last row may say `\text{otherwise}`); in code, `p_t = output if y_true == 1, else 1 - output` (Keras' focal loss)",
            r"**a selection by the label**: `[y_n = 1] \odot x_n + [y_n = -1] \odot \max\{0, \Delta - x_n\}`, `[y = a]` 1 where the label equals a, else 0 (computed as `1 - \operatorname{sign}(|y - a|)`), an otherwise row 1 minus the others; the label is target data; every row's value computed everywhere (`parse/label_cases.py`, `read/rules_label_cases.py`, `tests/test_s8_loss2.py`). Only one symbol equal to numbers (all different) in every row; a step index (`t = 0`) is no label; a comparison in code (`y > 1`) stays refused",
        ),
        "read/rules_label_cases.py",
        (
            ok(
                r"l = \begin{cases} x, & \text{if}\; y = 1,\\ \max \{0, \Delta - x\}, & \text{if}\; y = -1 \end{cases}, x \in \mathbb{R}^{n}, \Delta \in \mathbb{R}",
                says="definition by cases on a label's value",
                kinds={"y": "target", "x": "input"},
                l="n",
                y="n",
            ),
            ok(
                "```python\np_t = output if y_true == 1, else 1 - output\n```\n",
                says="a conditional on a label's value",
                kinds={"y_true": "target"},
            ),
            refused(
                "```python\np_t = output if y_true > 1 else 1 - output\n```\n",
                "conditional expression",
                at="if",
            ),
        ),
    ),
    Rule(
        "statements.listed-batch",
        "statements",
        (
            r"`L = \{l_1,\dots,l_N\}^\top` beside `l_n = ...` (every PyTorch loss docstring), then `\operatorname{mean}(L)`, `\operatorname{sum}(L)`",
            r"**the batch's values as a vector**: n the example of a batch of N, each `l_n` one number, L a vector of N (read for its shape; code for L refused by name); `\operatorname{mean}(L)` is `\frac{1}{N}\sum_{n=1}^{N} l_n`, `\operatorname{sum}(L)` the sum over the batch (`read/rules_listed_batch.py`). Only set braces with a transpose, members 1 .. a letter, and an equation for `l_n`",
        ),
        "read/rules_listed_batch.py",
        (
            ok(
                r"l_n = \max \{0, 1 - x_n\}, L = \{l_1,\dots,l_N\}^\top, J = \operatorname{mean}(L)",
                says="the mean over the batch",
                L="N",
                l="",
                J="",
            ),
            refused(r"L = \{l_1,\dots,l_N\}^\top + x", "cannot read", at=r"\{l_1"),
        ),
    ),
    Rule(
        "statements.cases-flag-default",
        "statements",
        (
            r"`\ell(x, y) = \begin{cases} \operatorname{mean}(L), & \text{if reduction} = \text{'mean';}\\ \operatorname{sum}(L), & \text{if reduction} = \text{'sum'.} \end{cases}` beside the signature `reduction='mean'` the source quotes",
            r"**the row of the default the source gives**: the rows are the model under each setting of the code's argument; the signature says which (`reduction='mean'`), so the value is that row's, and the readings name the rows left (`parse/flag_default.py`, `read/rules_flag_default.py`). With no default in the source, or two, refused as a flag of the code",
        ),
        "read/rules_flag_default.py",
        (
            ok(
                "```\nclass Loss(margin=1.0, reduction='mean')\n```\n\n$$l_n = \\max \\{0, 1 - x_n\\}$$\n$$L = \\{l_1,\\dots,l_N\\}^\\top$$\n$$\\ell = \\begin{cases} \\operatorname{mean}(L), & \\text{if reduction} = \\text{'mean';}\\\\ \\operatorname{sum}(L), & \\text{if reduction} = \\text{'sum'.} \\end{cases}$$\n",
                says="the source's default",
                ell="",
            ),
            refused(
                "$$\\ell = \\begin{cases} a, & \\text{if reduction} = \\text{'mean';}\\\\ b, & \\text{if reduction} = \\text{'sum'.} \\end{cases}$$\n",
                "on a flag of the code",
                at=r"\begin{cases}",
            ),
        ),
    ),
    Rule(
        "sizes.keras-shape-words",
        "sizes",
        (
            r"Keras' docstrings: `y_true: ... with shape = `[batch_size, d0, .. dN]``, `Returns: ... with shape = `[batch_size, d0, .. dN-1]``",
            r"`batch_size x dN` (the axes d0 .. between, any number, each read like the batch: none), and for `Returns:` the formula's left side `batch_size`; declared on the words (`parse/keras_shapes.py`). Only these two forms; another shape in words is refused as before",
        ),
        "parse/keras_shapes.py",
        (
            ok(
                "```python\nloss = mean(maximum(1 - y_true * y_pred, 0), axis=-1)\n```\n\nArgs:\n    y_true: The ground truth values with shape = `[batch_size, d0, .. dN]`.\n    y_pred: The predicted values with shape = `[batch_size, d0, .. dN]`.\n",
                says="a shape in Keras' words",
                y_true="batch_size x dN",
                loss="batch_size",
            ),
            refused(
                "```python\nloss = mean(square(y_true - y_pred), axis=-1)\n```\n\nArgs:\n    y_true: The ground truth values with shape = `[batch_size, d0]`.\n",
                "prose gives the shape",
                at="[batch_size, d0]",
            ),
        ),
    ),
    Rule(
        "functions.code-last-axis-rows",
        "functions",
        (
            r"in code, `mean(x, axis=-1)` of a value declared with two axes (Keras' `[batch_size, d0, .. dN]`)",
            r"NumPy's mean over the last axis: the mean of each row, a vector over the rows (`read/rules_last_axis.py`); a vector's `mean(x, axis=-1)` stays the mean of its entries; `sum`, `max` over a matrix's last axis stay refused",
        ),
        "read/rules_last_axis.py",
        (
            ok(
                "```python\nloss = mean(maximum(1 - y_true * y_pred, 0), axis=-1)\n```\n\n$$y_{\\text{true}} \\in \\mathbb{R}^{B \\times n}, y_{\\text{pred}} \\in \\mathbb{R}^{B \\times n}$$\n",
                says="mean over the last axis, each row",
                loss="B",
            ),
        ),
    ),
    Rule(
        "presentation.code-value-mention",
        "presentation",
        (
            r"a sentence naming a setting of a code name, \"When `gamma` = 0, there is no focal effect\" (Keras' focal loss)",
            r"prose, not an equation: the `= 0` after a code span that follows when / if / for / with and comes before more words is blanked with the span (`parse/code_value_mentions.py`); an equation in a code span is untouched",
        ),
        "parse/code_value_mentions.py",
        (
            ok(
                "`FL(p_t) = (1 - p_t) ** gamma * log(p_t)`\n\nWhen `gamma` = 0, there is no focal effect on the cross entropy.\n",
                gamma="",
            ),
        ),
    ),
    Rule(
        "statements.lhs-rhs-in-mathbb-r-a-b",
        "statements",
        (
            r"`lhs := rhs \in \mathbb{R}^{a, b}`",
            r"a definition that also declares the shape of `lhs`",
        ),
        "read/reader.py",
        (ok(r"y := W x \in \mathbb{R}^{k}, x \in \mathbb{R}^m", W="k x m"),),
    ),
    Rule(
        "statements.x-in-mathbb-r-m",
        "statements",
        (
            r"`x \in \mathbb{R}^{m}`, `x, y \in \mathbb R^n`",
            r"declarations (shapes, section 6)",
        ),
        "read/reader.py",
        (ok(r"y = x \odot z, x, z \in \mathbb R^n", y="n"),),
    ),
    Rule(
        "statements.v-in-v",
        "statements",
        (
            r"`v \in V`, `t \in \{1, \dots, T\}`",
            r"declares an index (a node index when the set is a capital letter or `\mathcal V`)",
        ),
        "read/reader.py",
        (ok(r"h_g = \sum_{v \in V} W h_v, h_v \in \mathbb{R}^D, h_g \in \mathbb{R}^G", W="G x D"),),
    ),
    Rule(
        "keys.w-f",
        "keys",
        (
            r"`W_f`, `W_{f}`",
            r"`W_f`",
            r"`f` is a label",
        ),
        "read/reader.py",
        (
            ok(
                "f_t = \\sigma(W_{f} x_t + U_f h_{t-1})\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n, f_t \\in \\mathbb{R}^n",
                W_f="n x m",
                U_f="n x n",
            ),
        ),
    ),
    Rule(
        "keys.w-xi",
        "keys",
        (
            r"`W_{xi}`, `W_{hh}`",
            r"`W_xi`, `W_hh`",
            r"multi-letter subscripts are labels",
        ),
        "read/reader.py",
        (
            ok(
                "i_t = \\sigma(W_{xi} x_t + W_{hi} h_{t-1})\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n, i_t \\in \\mathbb{R}^n",
                W_xi="n x m",
                W_hi="n x n",
            ),
        ),
    ),
    Rule(
        "keys.y-out",
        "keys",
        (
            r"`y_{out}`, `y_{\text{out}}`",
            r"`y_out`",
            r"",
        ),
        "read/reader.py",
        (
            ok(
                r"y_{\text{out}} = W h, h \in \mathbb{R}^n, y_{out} \in \mathbb{R}^k",
                y_out="k",
                W="k x n",
            ),
        ),
    ),
    Rule(
        "keys.w-z",
        "keys",
        (
            r"`W^z`, `U^{r}`",
            r"`W_z`, `U_r`",
            r"a letter superscript on a symbol is a label (not `T`)",
        ),
        "read/reader.py",
        (
            ok(
                "z_t = \\sigma(W^z x_t + U^{z} h_{t-1})\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n, z_t \\in \\mathbb{R}^n",
                W_z="n x m",
                U_z="n x n",
            ),
        ),
    ),
    Rule(
        "keys.primed-label",
        "keys",
        (
            r"`h^{f'}_t` (Chainer's bidirectional GRU: the forward direction's candidate state)",
            r"`h_prime_f`",
            r"a primed letter in a superscript is a label with a prime: a symbol of its own, beside `h^{f}` and `h` (not `t`, `T` or an index letter)",
        ),
        "read/reader.py",
        (
            ok(
                "a^{f'} = \\tanh(W^{f} x), y = \\sigma(a^{f'} + b)\nx \\in \\mathbb{R}^m, y \\in \\mathbb{R}^n",
                a_prime_f="n",
                W_f="n x m",
            ),
        ),
    ),
    Rule(
        "keys.step-index",
        "keys",
        (
            r"`h_{t-1}`, `h^{(t-1)}`, `h_{(t-1)}`",
            r"`h` at step t-1",
            r"`t` carries an offset: an index",
        ),
        "read/reader.py",
        (
            ok(
                r"h^{(t)} = \tanh(W h^{(t-1)} + U x^{(t)}), x^{(t)} \in \mathbb{R}^m, h^{(t)} \in \mathbb{R}^n",
                kinds={"h": "state"},
                W="n x n",
            ),
        ),
    ),
    Rule(
        "keys.h-v-t",
        "keys",
        (
            r"`h_v^{(T)}`",
            r"`h` of node v at step label T",
            r"",
        ),
        "read/reader.py",
        (
            ok(
                r"h_g = \sum_{v \in V} W h_v^{(T)}, h_v^{(T)} \in \mathbb{R}^D, h_g \in \mathbb{R}^G",
                says=r"step label",
                h="D",
            ),
        ),
    ),
    Rule(
        "keys.tilde-c-t",
        "keys",
        (
            r"`\tilde{C}_t`, `\tilde{C_t}`, `\widetilde{C}`",
            r"`C_tilde`",
            r"decorations make a new variable",
        ),
        "read/reader.py",
        (
            ok(
                r"\tilde{C}_t = \tanh(W_c x_t), C_t = f_t \odot C_{t-1} + i_t \odot \tilde{C_t}, x_t \in \mathbb{R}^m, C_t \in \mathbb{R}^n",
                C_tilde="n",
                W_c="n x m",
            ),
        ),
    ),
    Rule(
        "keys.hat-y",
        "keys",
        (
            r"`\hat{y}`, `\bar x`, `\overline{x}`, `x'`, `x^*`",
            r"`y_hat`, `x_bar`, `x_bar`, `x_prime`, `x_star`",
            r"",
        ),
        "read/reader.py",
        (
            ok(
                r"\hat{y} = W \bar x, \bar x \in \mathbb{R}^m, \hat y \in \mathbb{R}^k",
                y_hat="k",
                x_bar="m",
            ),
        ),
    ),
    Rule(
        "keys.mathbf-x",
        "keys",
        (
            r"`\mathbf{x}`, `\boldsymbol{h}`, `\bm{W}`, `\vec x`, `\mathrm{W}`",
            r"`x`, `h`, `W`, `x`, `W`",
            r"fonts do not change the name",
        ),
        "read/reader.py",
        (
            ok(
                r"\mathbf{h} = \tanh(\bm{W} \vec x), \mathbf{x} \in \mathbb{R}^m, h \in \mathbb{R}^n",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "keys.mathcal-l",
        "keys",
        (
            r"`\mathcal L`, `\mathcal{L}`",
            r"`L`",
            r"",
        ),
        "read/reader.py",
        (
            ok(
                r"\mathcal{L} = \|y - W x\|^2, x \in \mathbb{R}^m, y \in \mathbb{R}^k",
                L="",
                W="k x m",
            ),
        ),
    ),
    Rule(
        "keys.alpha",
        "keys",
        (
            r"`\alpha`, `\ell`",
            r"`alpha`, `ell`",
            r"",
        ),
        "read/reader.py",
        (ok(r"h = \alpha x + \ell, x \in \mathbb{R}^n", kinds={"alpha": "parameter"}, alpha=""),),
    ),
    Rule(
        "functions.sigma-x",
        "functions",
        (
            r"`\sigma(x)`, `sigmoid(x)`, `sigm`",
            r"logistic sigmoid, elementwise, values in (0, 1)",
        ),
        "read/functions.py",
        (
            ok(
                r"y = \sigma(W x) + sigmoid(V x), x \in \mathbb{R}^m, y \in \mathbb{R}^n",
                says=r"sigmoid",
            ),
        ),
    ),
    Rule(
        "functions.tanh-x",
        "functions",
        (
            r"`\tanh(x)`, `tanh(x)`, `\tanh x`",
            r"tanh, elementwise",
        ),
        "read/functions.py",
        (ok(r"y = \tanh x + tanh(W x), x \in \mathbb{R}^n", says=r"tanh", W="n x n"),),
    ),
    Rule(
        "functions.relu",
        "functions",
        (
            r"`relu`, `ReLU`, `\operatorname{ReLU}`, `\text{relu}`, `\mathrm{ReLU}`",
            r"ReLU, elementwise",
        ),
        "read/functions.py",
        (
            ok(
                r"y = \mathrm{ReLU}(W x) + relu(V x), x \in \mathbb{R}^m, y \in \mathbb{R}^n",
                says=r"ReLU",
            ),
        ),
    ),
    Rule(
        "functions.softmax",
        "functions",
        (
            r"`softmax`, `\mathrm{softmax}`",
            r"softmax over the feature axis",
        ),
        "read/functions.py",
        (
            ok(
                r"y = \mathrm{softmax}(W x), x \in \mathbb{R}^m, y \in \mathbb{R}^k",
                says=r"softmax",
                W="k x m",
            ),
        ),
    ),
    Rule(
        "functions.exp",
        "functions",
        (
            r"`\exp`, `\log`, `\ln`, `\sin`, `\cos`, `\sinh`, `\cosh`, `\sqrt{x}`, `|x|`, `elu`, `gelu`, `softplus`, `sign`",
            r"elementwise",
        ),
        "read/functions.py",
        (ok(r"y = \exp(x) + \log(z) + \sqrt{x} + |z|, x \in \mathbb{R}^n", y="n", z="n"),),
    ),
    Rule(
        "functions.det",
        "functions",
        (
            r"`\det`, `\tr`, `diag`",
            r"refused with a caret: the determinant, trace and diagonal matrices are not read yet",
        ),
        "read/functions.py",
        (refused(r"y = \det(A) x, x \in \mathbb{R}^n", r"determinant", at=r"\det"),),
    ),
    Rule(
        "functions.max-0-x",
        "functions",
        (
            r"`\max(0, x)`, `\min(a, b)`",
            r"elementwise maximum / minimum",
        ),
        "read/functions.py",
        (
            ok(
                r"y = \max(0, W x) + \min(a, b), x \in \mathbb{R}^m, y \in \mathbb{R}^n",
                W="n x m",
                a="n",
            ),
        ),
    ),
    Rule(
        "functions.layernorm-x",
        "functions",
        (
            r"`LayerNorm(x)`",
            r"layer normalisation over the feature axis",
        ),
        "read/functions.py",
        (ok(r"y = \mathrm{LayerNorm}(x + W x), x \in \mathbb{R}^n", says=r"layer norm", y="n"),),
    ),
    Rule(
        "functions.sigma-g",
        "functions",
        (
            r"`\sigma_g` (sigmoid), `\sigma_c`, `\sigma_h`, `\phi_h` (tanh)",
            r"activations as Wikipedia's LSTM and GRU articles name them: known functions, not learnable; `% \sigma_y: softmax` or `% papermath: sigma_y is relu` names any other; `\sigma_y(...)` or `\phi(...)` (called, with parentheses) with no such line is read as **an elementwise nonlinearity the source does not name**: shapes, explain, the diagram and the gradient equations (its derivative printed `\sigma_y'`) work, and generated code (`code`) is refused at the call, asking which one (Wikipedia's Jordan network: `y_t = \sigma_y(W_y h_t + b_y)`); `check` runs once with each of sigmoid, tanh and relu standing in and says so (src/papermath/standin.py); `\phi x` without parentheses stays refused (a number phi times x?)",
        ),
        "read/functions.py",
        (
            ok(
                "f_t = \\sigma_g(W_f x_t + U_f h_{t-1}), h_t = f_t \\circ \\sigma_h(h_{t-1})\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                says=r"sigmoid",
                W_f="n x m",
            ),
        ),
    ),
    Rule(
        "functions.layer-named-by-its-size",
        "functions",
        (
            r"`\text{Linear}_{d_h}(x_t)` (also `Dense`, `FC`) with `d_h` a declared size",
            r"**a layer named by its output size** (minGRU): a learnable affine map to `d_h` entries; every call is a layer of its own, with its own weights (`Linear_1`, `Linear_2`, in order), never one function shared by the calls",
        ),
        "read/rules_layers.py",
        (
            ok(
                r"h_t = \text{Linear}_{d_h}(x_t), x_t \in \mathbb{R}^{d_x}, h_t \in \mathbb{R}^{d_h}",
                says=r"Linear",
                h_t="d_h",
            ),
        ),
    ),
    Rule(
        "functions.mathbf-y-mathcal-f-mathbf-x",
        "functions",
        (
            r"`\mathbf{y} = \mathcal{F}(\mathbf{x}, \{W_i\}) + \mathbf{x}` with `\mathcal{F} = W_2 \sigma(W_1 \mathbf{x})` on another line (ResNet)",
            r"**a value named with what it is computed from**: where F is defined by an equation without arguments and every argument of the call is in that definition (the input x is used there, the set `\{W_i\}` matches weights written there with labels, W_1 and W_2), the call is the value F, not another function. Otherwise the call is read as before (a set as an argument is refused)",
        ),
        "read/functions.py",
        (
            ok(
                r"\mathbf{y} = \mathcal{F}(\mathbf{x}, \{W_i\}) + \mathbf{x}, \mathcal{F} = W_2 \sigma(W_1 \mathbf{x}), \mathbf{x} \in \mathbb{R}^d, W_1 \in \mathbb{R}^{h \times d}",
                W_2="d x h",
            ),
        ),
    ),
    Rule(
        "functions.batch-statistics",
        "functions",
        (
            r"`\hat{x}^{(k)} = \frac{x^{(k)} - \mathrm{E}[x^{(k)}]}{\sqrt{\mathrm{Var}[x^{(k)}]}}` with `x \in \mathbb{R}^{d}` (Ioffe & Szegedy)",
            r"**batch norm's statistics per dimension**: a letter in parentheses on a declared vector inside E or Var is a component index (dimension k, not a step or a layer), so every equation written with `^{(k)}` holds for every k; in an equation that normalises x, `\mathrm{E}[x^{(k)}]` is the mean over the m examples of the mini-batch and `\mathrm{Var}[x^{(k)}]` their biased variance (divided by m, as the paper's Algorithm 1): sums over the batch divided by the batch's size when it runs",
        ),
        "read/rules_stats.py",
        (
            ok(
                r"\hat{x}^{(k)} = \frac{x^{(k)} - \mathrm{E}[x^{(k)}]}{\sqrt{\mathrm{Var}[x^{(k)}]}}, x \in \mathbb{R}^{d}",
                says=r"mini-batch",
                x_hat="d",
            ),
        ),
    ),
    Rule(
        "functions.z-f-x-a-mathrm-softmax-hat-a",
        "functions",
        (
            r"`Z = f(X, A) = \mathrm{softmax}(\hat{A} \dots)` where f's body never uses its argument A (Kipf & Welling)",
            r"**an argument the body does not use**: shown in the call, no symbol of the system (nothing computed depends on it: no input to supply, no shape to invent); said in a reading",
        ),
        "read/functions.py",
        (
            ok(
                r"Z = f(X, A) = \mathrm{softmax}(\hat{A} X W), \hat{A} \in \mathbb{R}^{N \times N}, X \in \mathbb{R}^{N \times C}, Z \in \mathbb{R}^{N \times F}",
                says=r"not use",
                W="C x F",
            ),
        ),
    ),
    Rule(
        "functions.i-a-b",
        "functions",
        (
            r"`i(a, b)`, `f(x)`, `\text{MLP}(x)`, `\mathcal{H}(x)` where the name is not a known function",
            r"a **learnable function**; by default an affine map of the concatenation of its arguments; its input and output sizes are inferred (`System.functions`); called twice, it is one function with the same weights, and the reading says so",
        ),
        "read/functions.py",
        (
            ok(
                r"h = i(a, b) + f(a), a \in \mathbb{R}^m, b \in \mathbb{R}^k, h \in \mathbb{R}^n",
                says=r"learnable",
            ),
        ),
    ),
    Rule(
        "functions.edge-score-function",
        "functions",
        (
            r"`e_{ij} = a(\mathbf{W} \mathbf{h}_i, \mathbf{W} \mathbf{h}_j)` with `a` defined nowhere and the source saying `e_{ij}` is one number (\"the attention coefficients $e_{vu}$\", `e_{ij} \in \mathbb{R}`): GAT's shared attentional mechanism, Stanford CS224W's notes",
            r"**an affine map to one number** (`shapes/rules_edge_score.py`): a function defined nowhere is a learnable affine map of its concatenated arguments (`functions.i-a-b`); where it is the whole right side of an equation defining a value per edge (`e_{vu}`, u a neighbour of v) already known to be one number, its output is that number, `a(x, y) = w^\top [x \| y] + b` (GAT's `a^\top [W h_i \| W h_j]` with a bias): parameters `a.weight` (1 x the inputs' total) and `a.bias`; every stage reads it (code, gradients). A number from an undefined function elsewhere (`s = f(x, y)`, a loss is a number too) and a per-edge value not said to be one number keep the earlier readings (refused where they clash). GAT's own signature, `a: \mathbb{R}^{F'} \times \mathbb{R}^{F'} \rightarrow \mathbb{R}`, is refused at the colon (`parse/map_signature.py`), the hint declaring the number instead (`e_{ij} \in \mathbb{R}`), which reads",
        ),
        "shapes/rules_edge_score.py",
        (
            ok(
                r"e_{ij} = a(W h_i, W h_j), e_{ij} \in \mathbb{R}, \alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k \in \mathcal{N}(i)} \exp(e_{ik})}, h_i^\prime = \sum_{j \in \mathcal{N}(i)} \alpha_{ij} W h_j",
                says="learnable",
                e="",
                alpha="",
                W="d1 x d2",
                h_prime="d1",
            ),
            ok(
                r"Let $\alpha_{uv}$ be computed by an attention mechanism $a$, which computes the attention coefficients $e_{vu}$ across pairs of nodes: $$e_{vu} = a(W h_u, W h_v)$$ $$\alpha_{vu} = \frac{\exp(e_{vu})}{\sum_{k\in N(v)}\exp(e_{vk})}$$ $$h_{v}^\prime = \sigma(\sum_{u\in N(v)}\alpha_{vu}W h_u)$$",
                e="",
                alpha="",
            ),
            refused(
                r"s = f(x, y), s \in \mathbb{R}, x \in \mathbb{R}^m, y \in \mathbb{R}^k",
                "the output of f",
            ),
            refused(
                "A shared attentional mechanism $a : \\mathbb{R}^{F^\\prime} \\times \\mathbb{R}^{F^\\prime} \\rightarrow \\mathbb{R}$ computes attention coefficients\n$$e_{ij} = a(\\mathbf{W} \\mathbf{h}_i, \\mathbf{W} \\mathbf{h}_j)$$",
                "several arguments is not read yet",
                at=":",
            ),
            ok(
                r"e_{ij} = a(\mathbf{W} \mathbf{h}_i, \mathbf{W} \mathbf{h}_j), e_{ij} \in \mathbb{R}, \alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k \in \mathcal{N}_i} \exp(e_{ik})}, \mathbf{h}_i^\prime = \sigma(\sum_{j \in \mathcal{N}_i} \alpha_{ij} \mathbf{W} \mathbf{h}_j)",
                e="",
                alpha="",
                h_prime="d1",
            ),
        ),
    ),
    Rule(
        "functions.mathbb-e-x",
        "functions",
        (
            r"`\mathbb{E}[x]`, `\mathrm{E}[x]`, `\mathrm{Var}[x]`, `\nabla_\theta L`, `\partial`",
            r"refused: statistics over a distribution and derivatives are not computations papermath reads (`papermath grad` derives gradients); but see the next row",
        ),
        "read/functions.py",
        (refused(r"y = \mathbb{E}[x], x \in \mathbb{R}^n", r"", at=r"\mathbb{E}"),),
    ),
    Rule(
        "functions.mean-over-features",
        "functions",
        (
            r"`y = \frac{x - \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x] + \epsilon}} * \gamma + \beta` with `x \in \mathbb{R}^{H}`",
            r"**a normalisation** (torch's LayerNorm formula): where an equation subtracts a declared vector's own mean from it (`x - \mathrm{E}[x]`), `\mathrm{E}[x]` and `\mathrm{Var}[x]` in that equation are the mean of x's H entries, `(1/H) \sum_i x_i`, and their biased variance, `(1/H) \sum_i (x_i - \mathrm{E}[x])^2`: read as those sums, so every stage handles them. A bare `y = \mathrm{E}[x]` or a matrix stays refused; an undeclared x: `functions.mean-over-unsaid-axis`",
        ),
        "read/rules_stats.py",
        (
            ok(
                r"y = \frac{x - \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x] + \epsilon}} * \gamma + \beta, x \in \mathbb{R}^{H}",
                says=r"mean",
                y="H",
            ),
        ),
    ),
    Rule(
        "functions.italic-statistics",
        "functions",
        (
            r"`E[x]`, `Var[x]` in italics (MLX), `E[x^2]` in `\frac{x}{\sqrt{E[x^2] + \epsilon}}` (RMSNorm); the same formula with x declared nowhere",
            r"`Var` in italics is `\mathrm{Var}`; `E` in italics is the mean only where the source uses E for nothing else; `E[x^2]` of a declared vector normalising x is the mean of the squares of its entries, `(1/C) \sum_i x_i^2`. With x declared nowhere the axis is not said (the same formula is layer, batch, instance and group norm): read for shapes only (next row); with x declared a matrix, refused at the mean",
        ),
        "read/rules_stats.py",
        (
            ok(
                r"y = \frac{x - E[x]}{\sqrt{Var[x] + \epsilon}} \odot \gamma, x \in \mathbb{R}^{C}",
                says=r"variance over the features",
                y="C",
            ),
            ok(
                r"y = \frac{x}{\sqrt{E[x^2] + \epsilon}} \odot \gamma, x \in \mathbb{R}^{C}",
                says=r"RMS normalisation",
                y="C",
            ),
            refused(
                r"y = \frac{x - E[x]}{\sqrt{Var[x] + \epsilon}}, x \in \mathbb{R}^{N \times C}",
                r"over which axis",
                at=r"E[x]",
            ),
        ),
    ),
    Rule(
        "functions.mean-over-unsaid-axis",
        "functions",
        (
            r"`y = \frac{x - E[x]}{\sqrt{Var[x] + \epsilon}} \gamma + \beta`, `y = \frac{x}{\sqrt{E[x^2] + \epsilon}} \gamma` with x declared nowhere (MLX's LayerNorm, BatchNorm, InstanceNorm, GroupNorm, RMSNorm: one formula)",
            r"**a statistic over an axis the source does not say**: in an equation that normalises x by it, the mean (variance, mean of squares) is broadcast back over x whichever axis it runs over (the features, the batch, a channel's positions, a group), so it is read with x's shape, and every symbol's shape holds for all four norms; the readings say the axis is not said. `code`/`check` refuse at the statistic: the hint's `% x \in \mathbb{R}^{C}` (layer norm) or `E[x^{(k)}]` (batch norm) answers it. Prose that gives the input's shape by its axes' letters (`NC`, the batch among them): `parse.input-axes-in-prose`; a named layer over such a batch reads over its rows (layer norm) or its columns (batch norm), as `functions.statistic-over-axis` does. **The layer named** (`layer normalization`, `LayerNorm`, `RMSNorm`, and no batch, instance or group norm named beside it): over the features of one example, read as the previous row reads a declared vector; `batch normalization` alone: over the examples of the mini-batch, one per feature (as `E[x^{(k)}]` reads); code is generated",
        ),
        "read/rules_norm_axis.py",
        (
            ok(
                r"y = \frac{x - E[x]}{\sqrt{Var[x] + \epsilon}} \odot \gamma + \beta",
                says=r"axis the source does not say",
                x="?",
                gamma="?",
            ),
            ok(
                r"y = \frac{x}{\sqrt{E[x^2] + \epsilon}} \odot \gamma",
                says=r"powers over an axis",
                y="?",
            ),
            ok(
                "Applies layer normalization:\n\n$$y = \\frac{x - E[x]}{\\sqrt{Var[x] + \\epsilon}} \\odot \\gamma$$\n",
                says=r"names the layer",
                x="?",
            ),
            refused(
                "y = \\frac{x - E[x]}{\\sqrt{Var[x] + \\epsilon}}\n\nThe input shape is specified as ``NC``.\n",
                r"letters of its axes",
                at="NC",
            ),
        ),
    ),
    Rule(
        "functions.statistic-over-axis",
        "functions",
        (
            r"`\underset{C}{\mathbb{E}}[x]`, `\underset{C}{Var}[x]` (labml's layer norm): the axis the mean runs over written under it",
            r"where x is declared a vector of that one size (`x \in \mathbb{R}^{C}`), the mean (and biased variance) of its C entries, read as `\mathrm{E}[x]` is in a normalisation (the readings say the axis under the E decided it). **Rule `statistic-over-one-axis`**: x declared with two axes (`X \in \mathbb{R}^{B \times C}`, a batch of embeddings): the mean (biased variance) of each row's C entries, one number per row, broadcast back over the row by `X - ...` and by the fraction (`\underset{B}{\mathbb{E}}[X]`: of each column over the B rows, batch norm's); code is generated (torch's LayerNorm and BatchNorm1d). Refused at the statistic: x declared nowhere, an axis x does not have, more than two axes",
        ),
        "read/rules_axis_stats.py",
        (
            ok(
                "x \\in \\mathbb{R}^{C}\ny = \\frac{x - \\underset{C}{\\mathbb{E}}[x]}{\\sqrt{\\underset{C}{Var}[x] + \\epsilon}}\n",
                says=r"axis written under it",
                y="C",
            ),
            ok(
                "X \\in \\mathbb{R}^{B \\times C}\nY = \\frac{X - \\underset{C}{\\mathbb{E}}[X]}{\\sqrt{\\underset{C}{Var}[X] + \\epsilon}}\n",
                says=r"each row's C entries",
                Y="B x C",
            ),
            refused(
                "Y = \\frac{X - \\underset{C}{\\mathbb{E}}[X]}{\\sqrt{\\underset{C}{Var}[X] + \\epsilon}}\n",
                "declares X nowhere",
                at="\\underset{C}{\\mathbb{E}}[X]",
            ),
        ),
    ),
    Rule(
        "shapes.per-feature-over-batch",
        "functions",
        (
            r"`\gamma X` with `X \in \mathbb{R}^{B \times C}`, `\gamma \in \mathbb{R}^{C}` and prose that says `$B$ is the batch size` (labml's layer norm; MLX's batch norm, ``N`` the batch)",
            r"a vector over the features times a batch the prose names: each example's row scaled entry by entry (the Hadamard product broadcast over the B rows, as `gamma * X` in NumPy), a value of X's shape; a matrix product would make the batch's size a feature count. Without the prose saying which axis is the batch, refused as before (it would fix B = C). A matrix over a denominator holding each row's statistic (`\underset{C}{Var}[X]`) divides each row by its own (rule `row-by-its-statistic`)",
        ),
        "shapes/rules_batch_rows.py",
        (
            ok(
                "Where $B$ is the batch size.\n$$Y = \\gamma X$$\n$X \\in \\mathbb{R}^{B \\times C}, \\gamma \\in \\mathbb{R}^{C}$\n",
                says=r"per-feature-over-batch",
                Y="B x C",
            ),
            refused(
                "$$Y = \\gamma X$$\n$X \\in \\mathbb{R}^{B \\times C}, \\gamma \\in \\mathbb{R}^{C}$\n",
                "fits only",
                at="\\gamma X",
            ),
        ),
    ),
    Rule(
        "parse.input-axes-in-prose",
        "functions",
        (
            r"`The input shape is specified as ``NC`` or ``NLC``, where ``N`` is the batch, ``C`` is the number of features` beside `y = \frac{x - E[x]}{\sqrt{Var[x] + \epsilon}} \gamma + \beta` (MLX)",
            r"the input is the one value the display's statistics are of; its shape the first letters the prose gives, each a size the prose says, the batch among them: `x \in \mathbb{R}^{N \times C}` (the other shapes listed put more axes between the batch and the features; every shape the formula gives is the same). The statistic's axis is still not said: shapes read, code refused at `E[x]` with a hint that writes the axis under the E or names the layer (both read: `\underset{C}{\mathbb{E}}[x]` each row's, `\underset{N}{\mathbb{E}}[x]` each feature's over the batch)",
        ),
        "parse/input_axes.py",
        (
            ok(
                "y = \\frac{x - E[x]}{\\sqrt{Var[x] + \\epsilon}} \\gamma\n\nwhere :math:`\\gamma` is a learned per feature dimension parameter.\nThe input shape is specified as ``NC``, where ``N`` is the batch and ``C`` is the number\nof features.\n",
                says=r"input-axes-in-prose",
                x="N x C",
                y="N x C",
                gamma="C",
            ),
        ),
    ),
    Rule(
        "functions.sinusoidal-encoding",
        "functions",
        (
            r"`PE_{(pos,2i)} = sin(pos / 10000^{2i/d_{model}})` beside `PE_{(pos,2i+1)} = cos(pos / 10000^{2i/d_{model}})` (Vaswani et al. 2017, sec. 3.5)",
            r"the even and odd entries of ONE vector PE, the encoding of the position pos (data, one number per example): entry 2i `\sin(pos / 10000^{2i/d})`, entry 2i+1 `\cos(...)`, d the size in the exponent (the primitive sinusoid); `PE_{pos} \in \mathbb{R}^{d}` declares PE. Either line alone, or lines that differ in base, size or position, stay refused",
        ),
        "read/rules_sinusoid.py",
        (
            ok(
                "PE_{(pos,2i)} = sin(pos / 10000^{2i/d})\nPE_{(pos,2i+1)} = cos(pos / 10000^{2i/d})\n",
                says="sinusoidal encoding",
                kinds={"pos": "input"},
                PE="d",
                pos="",
            ),
            refused(
                r"PE_{(pos,2i)} = sin(pos / 10000^{2i/d})", "even (2i) and odd", at="{(pos,2i)}"
            ),
        ),
    ),
    Rule(
        "functions.sinusoidal-encoding-by-parity",
        "functions",
        (
            r"`PE_{(pos,i)} = \begin{cases} \sin(\frac{pos}{10000^{i/d}}) & \text{if } i \text{ mod } 2=0 \\ \cos(\frac{pos}{10000^{(i-1)/d}}) & \text{otherwise} \end{cases}` (the UvA notebooks)",
            r"the same encoding as `functions.sinusoidal-encoding` (the entries 2k and 2k+1 share one angle): the block is rewritten in place to a call the reader knows (`parse/parity_cases.py`); other values under the parity conditions are refused at the block",
        ),
        "read/rules_sinusoid.py",
        (
            ok(
                "PE_{(pos,i)} = \\begin{cases} \\sin(\\frac{pos}{10000^{i/d}}) & \\text{if } i \\text{ mod } 2=0 \\\\ \\cos(\\frac{pos}{10000^{(i-1)/d}}) & \\text{otherwise} \\end{cases}",
                says="parity of i",
                PE="d",
            ),
            refused(
                "PE_{(pos,i)} = \\begin{cases} \\sin(\\frac{pos}{10000^{i/d}}) & \\text{if } i \\text{ mod } 2=0 \\\\ \\tanh(\\frac{pos}{10000^{(i-1)/d}}) & \\text{otherwise} \\end{cases}",
                "parity of an index",
                at="\\begin{cases}",
            ),
        ),
    ),
    Rule(
        "operators.dot-added-to-a-vector",
        "operators",
        (
            r"`c_t = f_t \cdot c_{t-1} + i_t * g_t`: `\cdot` between two vectors of one size, added to a vector",
            r"refused at the product: the dot product (one number added to every entry) or the elementwise product? the shapes fit both; write `\odot` or `f_t^\top c_{t-1}`. A dot product added to a number reads",
        ),
        "shapes/rules_products.py",
        (
            refused(
                r"c_t = f_t \cdot c_{t-1} + i_t \odot g_t, f_t \in \mathbb{R}^{H}, c_t \in \mathbb{R}^{H}, i_t \in \mathbb{R}^{H}, g_t \in \mathbb{R}^{H}",
                r"does not guess",
                at=r"f_t \cdot c_{t-1}",
            ),
            ok(
                r"y = w \cdot x + 2, w \in \mathbb{R}^{n}, x \in \mathbb{R}^{n}",
                says=r"dot product",
                y="",
            ),
        ),
    ),
    Rule(
        "operators.cdot-elementwise-by-declaration",
        "operators",
        (
            r"`\mathbf{y} = H(\mathbf{x}) \cdot T(\mathbf{x}) + \mathbf{x} \cdot (1 - T(\mathbf{x}))` (Highway Networks), `c_t = f_t \cdot c_{t-1} + i_t \cdot g_t`, with the left side declared a vector",
            r"the elementwise product, where the declarations leave no other reading: the left side is declared a vector, the right side is `a \cdot b` or a sum of such products of two vectors and numbers; as dot products they would give one number, and one written operator is not read two ways in one sum; the readings say so. A sum with any other vector term stays `operators.dot-added-to-a-vector`",
        ),
        "shapes/rules_dot_elementwise.py",
        (
            ok(
                r"c_t = f_t \cdot c_{t-1} + i_t \cdot g_t, c_t \in \mathbb{R}^{H}, f_t \in \mathbb{R}^{H}, i_t \in \mathbb{R}^{H}, g_t \in \mathbb{R}^{H}",
                says=r"Hadamard (elementwise) product",
                c="H",
            ),
            ok(
                r"y = a \cdot b, y \in \mathbb{R}^{n}, a \in \mathbb{R}^{n}, b \in \mathbb{R}^{n}",
                says=r"Hadamard (elementwise) product",
                y="n",
            ),
            refused(
                r"y = \sigma(a \cdot b), y \in \mathbb{R}^{n}, a \in \mathbb{R}^{n}, b \in \mathbb{R}^{n}",
                r"same shape",
                at=r"\sigma(a \cdot b)",
            ),
        ),
    ),
    Rule(
        "operators.cdot-gate-elementwise",
        "operators",
        (
            r"`c_t = f_t \cdot c_{t-1} + i_t \cdot a_t`, `h_t = o_t \cdot \tanh(c_t)`, `h_t = (1 - z_t) \cdot h'_t + z_t \cdot h_{t-1}` (Chainer's n_step_lstm and n_step_gru docstrings)",
            r"the elementwise product, where no product of `\cdot` fits (the dot product's number does not fit where the value is used, no matrix product or scaling fits the shapes) and one side is a gate of a gated recurrence: a value the source defines as the sigmoid (`\sigma`, or a function it defines as `1/(1+e^{-x})`) of something that reads a state of the step before, or `1 -` such a gate; the readings say so. Where the dot product fits only because the value's shape is still open (`h_t = o_t \cdot \tanh(c_t)` with nothing else shaping h), papermath waits for the other equations and then refuses; with no gate it stays `operators.dot-added-to-a-vector`",
        ),
        "shapes/rules_gate_products.py",
        (
            ok(
                "f_t = \\sigma(W_f x_t + U_f h_{t-1})\nc_t = f_t \\cdot c_{t-1} + x_t\nh_t = \\tanh(c_t)",
                says=r"Hadamard (elementwise) product",
            ),
            refused(
                "f_t = \\sigma(W_f x_t + U_f c_{t-1})\nc_t = f_t \\cdot c_{t-1}\nh_t = f_t \\cdot \\tanh(c_t)",
                r"fit both",
                at=r"f_t \cdot \tanh(c_t)",
            ),
        ),
    ),
    Rule(
        "operators.odot",
        "operators",
        (
            r"`\odot`, `\circ`, `\bullet`",
            r"Hadamard (elementwise) product; both sides must have the same shape. It binds looser than juxtaposition and `\cdot`: `a \odot W x` is `a \odot (W x)`",
        ),
        "shapes/infer.py",
        (ok(r"y = a \odot b + c \circ d, a \in \mathbb{R}^n", b="n", d="n"),),
    ),
    Rule(
        "operators.otimes",
        "operators",
        (
            r"`\otimes`",
            r"an error unless a directive says `% papermath: otimes is hadamard`, or the source's words say it is the element-wise product (rule operators.otimes-said-elementwise), or the source defines it (operators.otimes-defined): papers use it for outer, Kronecker and Hadamard products",
        ),
        "shapes/infer.py",
        (
            refused(r"y = a \otimes b, a \in \mathbb{R}^n, b \in \mathbb{R}^n", r"otimes"),
            ok("% papermath: otimes is hadamard\ny = a \\otimes b, a \\in \\mathbb{R}^n", b="n"),
        ),
    ),
    Rule(
        "operators.otimes-defined",
        "operators",
        (
            r"`a \otimes b = a b^\top` beside the equations (labml's fast weights: \"$\otimes$ is the outer product ($a \otimes b = a b^\top$)\")",
            r"the source's definition of the operator, not an equation of the model (left out): every `x \otimes y` is read as `x y^\top`, as it defines (the outer product of two vectors); any other definition (`a \otimes b = a \odot b`) or words alone leave `\otimes` refused",
        ),
        "read/rules_outer.py",
        (
            ok(
                "a \\otimes b = a b^\\top\nW = u \\otimes v\nu \\in \\mathbb{R}^m, v \\in \\mathbb{R}^n",
                says="outer product",
                W="m x n",
            ),
            refused("a \\otimes b = a \\odot b\nW = u \\otimes v", "otimes", at="\\otimes"),
        ),
    ),
    Rule(
        "operators.otimes-said-elementwise",
        "operators",
        (
            r"`\otimes` beside the source's words that it is the element-wise product: \"where $\otimes$ is the element-wise product\" (GLU and SwiGLU write-ups), \"$\otimes$ denotes element-wise multiplication\", \"the element-by-element product\"; a case file's origin that says it of the paper (\"the paper writes the component-wise product as \otimes\", Shazeer 2020)",
            r"every `a \otimes b` is the Hadamard product `a \odot b`, and the reading quotes the words (an origin's words become the directive a user would write, `% papermath: otimes is hadamard (the case's origin: ...)`, quoted the same way: parse/otimes_words.py). A sentence that also names the outer, Kronecker, tensor or dyadic product, or a source that defines `a \otimes b = a b^\top`, leaves it refused",
        ),
        "read/rules_otimes_said.py",
        (
            ok(
                "y = (a \\otimes b) W, a \\in \\mathbb{R}^n, b \\in \\mathbb{R}^n\n\nwhere $\\otimes$ is the element-wise product.",
                says="the words say so",
                y="?",
                W="n x ?",
            ),
            ok(
                "h = g \\otimes \\tanh(c), g \\in \\mathbb{R}^n\n\nHere $\\otimes$ denotes element-wise multiplication, as in the gates.",
                h="n",
            ),
            refused(
                "y = (a \\otimes b) W, a \\in \\mathbb{R}^n, b \\in \\mathbb{R}^n\n\nwhere $\\otimes$ denotes the outer product.",
                "otimes",
                at="\\otimes",
            ),
            refused(
                "y = a \\otimes b, a \\in \\mathbb{R}^n\n\nwhere $\\otimes$ is the element-wise or the Kronecker product.",
                "otimes",
                at="\\otimes",
            ),
        ),
    ),
    Rule(
        "functions.subscript-parameter",
        "functions",
        (
            r"a function defined with a parameter in its subscript, called with a number there: `\mathrm{Swish}_\beta(x) = x \sigma(\beta x)` beside `\mathrm{Swish}_1(xW)` (Shazeer 2020); `\mathrm{Soft}_\tau(z) = \tanh(z / \tau)` beside `\mathrm{Soft}_2(x)`",
            r"the defined function with the subscript's letter set to the number (`\mathrm{Swish}_1(xW)` is `xW \sigma(1 \cdot xW)`), said in the readings; only where the definition's subscript is one letter its body uses and not one of its arguments, and the call's a whole number (`_{0.01}` is refused as a subscript). The definition, called there, is no equation of its own",
        ),
        "read/rules_function_parameter.py",
        (
            ok(
                "f_\\beta(x) = x \\sigma(\\beta x)\ny = f_1(W h), h \\in \\mathbb{R}^n",
                says="beta = 1",
                y="?",
            ),
        ),
    ),
    Rule(
        "statements.family-in-brackets",
        "statements",
        (
            r"`[\text{head}_1; \dots; \text{head}_h] \mathbf{W}^o` beside `\text{head}_i = ...` (Lil'Log's multi-head attention)",
            r"the family concatenated along the features, as `\mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h)`: i indexes the heads, one value per head with its own parameters; without an equation for `head_i`, refused at the brackets",
        ),
        "read/rules_family_brackets.py",
        (
            ok(
                "y = [\\mathrm{head}_1; \\dots; \\mathrm{head}_h] W_O\n\\mathrm{head}_i = W_i x\nx \\in \\mathbb{R}^n, W_i \\in \\mathbb{R}^{m \\times n}",
                says="concatenation of the family head",
                head="m",
            ),
            refused(
                r"y = [\mathrm{head}_1; \dots; \mathrm{head}_h] W", "no equation defines", at="["
            ),
        ),
    ),
    Rule(
        "statements.vdots-family-column",
        "statements",
        (
            r"`\begin{bmatrix}\mathbf h_1\\\vdots\\\mathbf h_h\end{bmatrix}` (d2l's multi-head attention: a one-column matrix of the first member, a column of dots, the last)",
            r"the family stacked, as `[h_1; \dots; h_h]` is read (statements.family-in-brackets): h_i's equation defines the members; a `\vdots` anywhere else (a matrix of several columns, rows written in part) stays refused",
        ),
        "parse/vdots_stack.py",
        (
            ok(
                "y = W \\begin{bmatrix}h_1\\\\\\vdots\\\\h_h\\end{bmatrix}\nh_i = U_i x\nx \\in \\mathbb{R}^n, U_i \\in \\mathbb{R}^{m \\times n}",
                says="concatenation of the family h",
                h="m",
            ),
            refused(
                "y = \\begin{bmatrix}a_1 & b_1\\\\\\vdots & \\vdots\\\\a_n & b_n\\end{bmatrix} x",
                "column of dots",
                at="\\vdots",
            ),
        ),
    ),
    Rule(
        "statements.expression-claim",
        "statements",
        (
            r"`\mathrm{softmax}\left(\frac{\mathbf Q \mathbf K^\top}{\sqrt{d}}\right) \mathbf V \in \mathbb{R}^{n\times v}` (d2l: an expression with no left side, then the shape of its result)",
            r"the expression computed into a value the source leaves unnamed (`out`; `out_2` where the source writes `out`), the space a check on its shape: a claim it meets only if two declared sizes were one (`\mathbb{R}^{n \times d}` of an n x v expression) is refused at the claim, never solved; `x \in \mathbb{R}^n` stays a declaration of x, and a claim about a part of another equation stays refused",
        ),
        "read/rules_expression_claims.py",
        (
            ok(
                r"\mathrm{softmax}(Q K^\top) V \in \mathbb{R}^{n \times v}, Q \in \mathbb{R}^{n \times d}, K \in \mathbb{R}^{m \times d}, V \in \mathbb{R}^{m \times v}",
                says="claim about an expression",
                out="n x v",
            ),
            refused(
                r"\mathrm{softmax}(Q K^\top) V \in \mathbb{R}^{n}, Q \in \mathbb{R}^{n \times d}, K \in \mathbb{R}^{m \times d}, V \in \mathbb{R}^{m \times v}",
                "no product fits",
                at=r"\mathrm{softmax}(Q K^\top) V",
            ),
            refused(
                r"\mathrm{softmax}(Q K^\top) V \in \mathbb{R}^{n \times d}, Q \in \mathbb{R}^{n \times d}, K \in \mathbb{R}^{m \times d}, V \in \mathbb{R}^{m \times v}",
                "holds only if v = d",
                at=r"\mathbb{R}^{n \times d}",
            ),
        ),
    ),
    Rule(
        "conventions.attention-data-words",
        "conventions",
        (
            r"a symbol the prose declares as an attention's queries, keys or values (d2l: \"of queries $\mathbf Q\in\mathbb R^{n\times d}$, keys $\mathbf K \in ...$, and values $\mathbf V \in ...$\"; \"Given a query $\mathbf{q} \in \mathbb{R}^{d_q}$\")",
            r"an input (the data the attention reads), not a learned weight, whatever its letter (V too); without the word, the letter's default",
            r"`% papermath: V is parameter`",
        ),
        "read/rules_attention_words.py",
        (
            ok(
                "of queries $Q \\in \\mathbb{R}^{n \\times d}$, keys $K \\in \\mathbb{R}^{m \\times d}$ and values $V \\in \\mathbb{R}^{m \\times v}$:\n\n$$y = \\mathrm{softmax}(Q K^\\top) V$$\n",
                says="named in the prose",
                kinds={"Q": "input", "K": "input", "V": "input"},
                y="n x v",
            ),
        ),
    ),
    Rule(
        "conventions.argument-words",
        "conventions",
        (
            r"a symbol the prose calls a piece the input array is split into, or a previous state the function is given (Chainer's `lstm`: \"the input array ``x`` is split into four arrays :math:`a, i, f, o`\"; \"Let the previous cell state ``c_prev``\")",
            r"an input (data the function is given), not a learned weight; without the words, the default (a learned parameter)",
            r"`% papermath: a is parameter`",
        ),
        "read/rules_argument_words.py",
        (
            ok(
                "Let the previous cell state ``c_prev`` and the input array ``x``.\nThe input array ``x`` is split into two arrays :math:`a, i` of the same shape:\n\n    c = \\tanh(a) \\odot \\sigma(i) + c_{\\text{prev}} \\odot \\sigma(i)\n",
                says="named in the prose",
                kinds={"a": "input", "i": "input", "c_prev": "input"},
            ),
        ),
    ),
    Rule(
        "conventions.prose-learnable",
        "conventions",
        (
            r"a symbol the prose calls learnable: \"$M_{ij}$ is a learnable transformation matrix for edge features\" (a GCN's design notes), \"$W$ and $b$ are trainable parameters\", \"the learned weight matrix $\Theta$\"",
            r"a learned parameter, whatever its indices would say (M_{ij}, written at an edge, is data by default); only the inline math that is the subject of \"is/are/denotes ... learnable/learned/trainable\" (after \"is\", the last one), or follows \"learnable weight/matrix/parameter\"; never a symbol an equation defines",
            r"`% papermath: M is input`",
        ),
        "read/rules_prose_kinds.py",
        (
            ok(
                "$$y_i = W x_i + \\sum_{j \\in \\mathcal{N}(i)} M_{ij} e_{ij}$$\nwhere $M_{ij}$ is a learnable transformation matrix for edge features, $x_i \\in \\mathbb{R}^{n}$, $e_{ij} \\in \\mathbb{R}^{k}$\n",
                says="the prose calls M learnable",
                kinds={"M": "parameter", "e": "input"},
                M="d1 x k",
            ),
            ok(
                "$$y_i = W x_i + \\sum_{j \\in \\mathcal{N}(i)} M_{ij} e_{ij}$$\nwhere $x_i \\in \\mathbb{R}^{n}$, $e_{ij} \\in \\mathbb{R}^{k}$\n",
                kinds={"M": "input"},
            ),
        ),
    ),
    Rule(
        "conventions.prose-hyperparameters",
        "conventions",
        (
            r"symbols the prose says stand for the arguments of the function, or calls hyperparameters: optax's \"Let :math:`\alpha_t` represent the learning rate and :math:`\beta_1, \beta_2`, :math:`\varepsilon`, :math:`\bar{\varepsilon}` represent the arguments ``b1``, ``b2``, ``eps`` and ``eps_root`` respectively\", \"$\lambda$ is a hyperparameter\"",
            r"constants (numbers given, not learned), where the default of a Greek letter (\beta) is a learned parameter; a weight letter (W, U, V, \Theta, w, b) and a symbol an equation defines are never read so",
            r"`% papermath: beta is parameter`",
        ),
        "read/rules_prose_kinds.py",
        (
            ok(
                "Let :math:`\\beta` represent the argument ``b``.\n\n.. math::\n\n    m_t = \\beta m_{t-1} + (1 - \\beta) g_t\n",
                says="stands for an argument",
                kinds={"beta": "constant", "g": "input"},
                beta="",
            ),
            ok(
                ".. math::\n\n    m_t = \\beta m_{t-1} + (1 - \\beta) g_t\n",
                kinds={"beta": "parameter"},
            ),
        ),
    ),
    Rule(
        "conventions.graph-data-words",
        "conventions",
        (
            r"a capital letter in the inline math of the sentence that names the graph's Laplacian or adjacency matrix: PyG's ChebConv, \"and :math:`\mathbf{\hat{L}}` denotes the scaled and normalized Laplacian :math:`\frac{2\mathbf{L}}{\lambda_{\max}} - \mathbf{I}`\"",
            r"graph data, an input (L), as the adjacency whose degrees are taken is (`read/rules_graph.py`), never a learned parameter; not a weight letter (W, U, V, B, \Theta), not the identity, not a symbol an equation defines (\hat L)",
            r"`% papermath: L is parameter`",
        ),
        "read/rules_prose_kinds.py",
        (
            ok(
                "$$Z = \\hat{L} X \\Theta$$ where $\\hat{L}$ denotes the scaled Laplacian $\\frac{2 L}{\\lambda} - I$, and $X \\in \\mathbb{R}^{N \\times F}$.",
                says="graph data",
                kinds={"L": "input", "Theta": "parameter", "X": "input"},
                L="N x N",
            ),
            ok(
                "$$Z = \\hat{L} X \\Theta$$ where $\\hat{L}$ denotes the scaled matrix $\\frac{2 L}{\\lambda} - I$, and $X \\in \\mathbb{R}^{N \\times F}$.",
                kinds={"L": "parameter"},
            ),
        ),
    ),
    Rule(
        "conventions.adjacency-vector-words",
        "conventions",
        (
            r"the letter in the inline math right after the words \"adjacency vector\": NYU's course notes (week 13), \"We represent these directed edges with adjacency vector $\boldsymbol{a}$, where each element $\alpha_{j}$ is set to $1$ if there is a directed edge from $v_{j}$ to $v$\", `h = f(U x + V X a d^{-1})`",
            r"graph data, an input (a), never a learned parameter (`graph-data-words` reads capital letters only); where an equation writes `X a` and the prose writes the lowercase letter with a vertex's index (`\boldsymbol{x}\_j`), X's columns are the vertices' x_j: X has as many rows as x, a column per entry of a (a reading says so: `shapes/rules_graph_columns.py`). Not a weight letter (w, b), not a symbol an equation defines",
            r"`% papermath: a is parameter`",
        ),
        "read/rules_graph_data.py",
        (
            ok(
                "We represent the edges with adjacency vector $a$, and each vertex $v_j$ holds $x_j$.\n$$d = \\Vert a \\Vert_{1}$$\n$$h = \\tanh(U x + V X a d^{-1})$$\nwhere $x \\in \\mathbb{R}^{n}$, $a \\in \\mathbb{R}^{t}$.",
                says="the vertices' vectors as columns",
                kinds={"a": "input", "X": "input", "V": "parameter"},
                X="n x t",
                d="",
            ),
            ok(
                "We represent the edges with a vector $a$, and each vertex $v_j$ holds $x_j$.\n$$h = \\tanh(U x + V X a)$$\nwhere $x \\in \\mathbb{R}^{n}$, $a \\in \\mathbb{R}^{t}$.",
                kinds={"a": "parameter"},
                X="? x t",
            ),
        ),
    ),
    Rule(
        "conventions.epsilon-either-spelling",
        "conventions",
        (
            r"`\epsilon` and `\varepsilon` (and `\bar{\varepsilon}`, `\epsilon_{\text{norm}}`), a number no equation defines, nothing declares and nothing indexes: a layer norm's `\sqrt{\sigma^2 + \varepsilon}`, Adam's `+ \varepsilon`",
            r"a constant (a small number the source gives, one spelling as the other); with the step (GIN's `\epsilon^{(k)}`) a learned parameter per step as before",
            r"`% papermath: varepsilon is parameter`",
        ),
        "system.py",
        (
            ok(
                r"y = \frac{x - \mu}{\sqrt{s + \varepsilon}}, x \in \mathbb{R}^n, \mu \in \mathbb{R}^n, s \in \mathbb{R}^n",
                says="constant by role",
                kinds={"varepsilon": "constant"},
                varepsilon="",
            ),
        ),
    ),
    Rule(
        "conventions.probability-given",
        "conventions",
        (
            r"a symbol written right after the word \"probability\": d2l's dropout, `h' = \begin{cases} 0 & \textrm{ with probability } p \\ \frac{h}{1-p} & \textrm{ otherwise} \end{cases}`",
            r"a probability the source gives, a constant (a dropout rate), never a learned parameter; a weight letter and a symbol an equation defines are never read so",
            r"`% papermath: p is parameter`",
        ),
        "read/rules_prose_kinds.py",
        (
            ok(
                "h = \\sigma(W x)\nh' = \\begin{cases} 0 & \\textrm{ with probability } p \\\\ \\frac{h}{1-p} & \\textrm{ otherwise} \\end{cases}\nx \\in \\mathbb{R}^{d}, h \\in \\mathbb{R}^{n}, p \\in \\mathbb{R}",
                says="after the word probability",
                kinds={"p": "constant"},
                h_prime="n",
            ),
        ),
    ),
    Rule(
        "conventions.prose-constant-words",
        "conventions",
        (
            r"the prose calls a symbol a rate, a constant, a margin or a probability: optax's Adadelta, `:math:\`\rho\` is the decay rate (typically 0.9)`; Spektral's APPNP, `where \(\alpha\) is the teleport probability`",
            r"a number the source gives, a constant (no gradient), whatever its letter would say (\rho, \alpha are learned by default); not where the words say learned, trainable, predicted or estimated; a weight letter (W, b) and a symbol an equation defines are never read so",
            r"`% papermath: rho is parameter`",
        ),
        "read/rules_constant_words.py",
        (
            ok(
                "$$s_t = \\rho s_{t-1} + (1 - \\rho) g_t^2$$\nwhere $\\rho$ is the decay rate and $g_t \\in \\mathbb{R}^{d}$ the gradient.\n",
                says="decay rate",
                kinds={"rho": "constant", "s": "state"},
                s="d",
            ),
        ),
    ),
    Rule(
        "conventions.hinge-margin",
        "conventions",
        (
            r"a symbol added inside the hinge of a loss: the capsule margin loss `T_k \max(0, m^{+} - \lVert v_k \rVert)^2`, PyTorch's HingeEmbeddingLoss `\max \{0, \Delta - x_n\}`",
            r"a symbol with no index whose every use is a term of the sum a `\max(0, ...)` clips, beside a computed value, is the hinge's margin: a constant of the loss, not target data; beside another bare symbol (`\max(0, y - z)`) nothing is decided",
            r"`% papermath: m is target`",
        ),
        "read/rules_constant_words.py",
        (
            ok(
                r"L = \max(0, m - \|a - b\|_2)^2, a \in \mathbb{R}^{d}, b \in \mathbb{R}^{d}",
                says="margin",
                kinds={"m": "constant"},
                L="",
            ),
        ),
    ),
    Rule(
        "conventions.value-given",
        "conventions",
        (
            r"the prose sets a symbol to a number: d2l's Adam, `Common choices for them are $\beta_1 = 0.9$ and $\beta_2 = 0.999$`",
            r"a number the source gives, a constant (no gradient); not where the sentence makes the value conditional (`$\gamma = 1$ if ...`) or says it is where a value starts (initialize); a weight letter and a symbol an equation defines are never read so",
            r"`% papermath: beta is parameter`",
        ),
        "read/rules_constant_words.py",
        (
            ok(
                "$$v_t = \\beta v_{t-1} + (1 - \\beta) g_t$$\nwhere $g_t \\in \\mathbb{R}^{d}$; a common choice is $\\beta = 0.9$.\n",
                says="sets beta to a number",
                kinds={"beta": "constant", "v": "state"},
                v="d",
            ),
        ),
    ),
    Rule(
        "conventions.bias-beside-weights",
        "conventions",
        (
            r"a function written with its weights among its arguments: CS231n's `f(x_i, W, b) = W x_i + b`",
            r"`b` beside a weight argument (W, \theta) is its bias, a learned parameter as W is; the other arguments (x_i) are inputs. A bare `b` among arguments with no weight (`d(a, b)`, a distance) stays data",
            r"`% papermath: b is input`",
        ),
        "read/rules_prose_kinds.py",
        (
            ok(
                r"f(x, W, b) = W x + b, x \in \mathbb{R}^{d}, W \in \mathbb{R}^{k \times d}",
                says="its weights (learned parameters)",
                kinds={"b": "parameter", "W": "parameter", "x": "input"},
                b="k",
            ),
            ok(r"d(a, b) = \|a - b\|^2, a \in \mathbb{R}^n", kinds={"b": "input"}),
        ),
    ),
    Rule(
        "conventions.target-beside-prediction",
        "conventions",
        (
            r"`y` in a loss (an equation for a number) beside a defined `\hat{y}`: `\mathcal{L} = -\sum_{c=1}^{C} y_c \log \hat{y}_c` after `\hat{y} = \mathrm{softmax}(W x + b)`",
            r"the target (what \hat{y} predicts), not a learned vector; the same for any letter whose hatted twin an equation defines",
            r"`% papermath: y is parameter`",
        ),
        "system.py",
        (
            ok(
                r"\hat{y} = \mathrm{softmax}(W x + b), \mathcal{L} = -\sum_{c=1}^{C} y_c \log \hat{y}_c, x \in \mathbb{R}^{d}, y \in \mathbb{R}^{C}",
                kinds={"y": "target", "W": "parameter"},
                y="C",
            ),
        ),
    ),
    Rule(
        "functions.prose-activation-choice",
        "functions",
        (
            r"\"$\sigma$ is a non-linear activation function (ReLU in our implementation)\" (a GCN's design notes): \sigma, \phi or \sigma_y said to be an activation, one function named in the same sentence",
            r"that function (relu), as `% \sigma: relu` says (a directive that names \sigma's function is now read too); where the sentence offers several or an example (\"such as ReLU\", \"e.g.\", \"or\") nothing is chosen and the default stands (\sigma the sigmoid)",
        ),
        "read/rules_prose_kinds.py",
        (
            ok(
                "$$h = \\sigma(W x)$$\nwhere $\\sigma$ is a non-linear activation function (ReLU in our implementation), $x \\in \\mathbb{R}^{n}$\n",
                says="the prose says which activation",
                h="d1",
            ),
            ok(
                "h = \\sigma(W x), x \\in \\mathbb{R}^n\n% \\sigma: relu\n",
                says="relu",
                h="d1",
            ),
        ),
    ),
    Rule(
        "functions.prose-nonlinearity",
        "functions",
        (
            r"a one-letter function the prose calls an element-wise non-linearity or an activation function: allennlp's Highway, \":math:`y = g * x + (1 - g) * f(A(x))`, where :math:`A` is a linear transformation, :math:`f` is an element-wise non-linearity\"; NYU's course notes, \"where $f(\cdot)$ is a non-linear function such as ReLU $(\cdot)^{+}$\" (a placeholder with its script, `(\cdot)^{+}`, is prose); in a page with no math delimiters, the bare letter after \"where\"/\"here\" or at a line's start, \"where f is a step activation function\" (AI-For-Beginners' perceptron)",
            r"the **unnamed activation** (shapes, explain, diagrams; code asks which, `% papermath: f is relu`), never a learnable function (the default for a letter called with one argument)",
        ),
        "read/rules_prose_kinds.py",
        (
            ok(
                "$$y = f(A x)$$\nwhere $f$ is an element-wise non-linearity, $x \\in \\mathbb{R}^{n}$\n",
                says="activation (unnamed), as the prose says",
                y="d1",
            ),
            # NYU's notes: the letter with its placeholder, and ReLU written $(\cdot)^{+}$
            ok(
                "$$h = f(U x)$$\nwhere $f(\\cdot)$ is a non-linear function such as ReLU "
                "$(\\cdot)^{+}$, and $x \\in \\mathbb{R}^{n}$\n",
                says="activation (unnamed), as the prose says",
                h="d1",
            ),
            ok(  # bare, in a page with no `$` (parse/prose_sizes.py reads the line)
                "x is a vector of size N.\n\ny = f(w^T x)\n\nwhere f is a step activation function\n",
                says="activation (unnamed), as the prose says",
                y="",
            ),
        ),
    ),
    Rule(
        "functions.attention-pooling-open",
        "functions",
        (
            r"`\mathbf{h}_i = f(\mathbf W_i^{(q)}\mathbf q, \mathbf W_i^{(k)}\mathbf k, \mathbf W_i^{(v)}\mathbf v) \in \mathbb R^{p_v}` with the prose \"$f$ is attention pooling\" (d2l 11.5) and no equation for f",
            r"shapes, explain and the diagram read f's value as the equations give it; no affine map (an attention multiplies its arguments): code for f is refused by name, asking for its definition",
        ),
        "read/rules_attention_words.py",
        (
            ok(
                "where $f$ is attention pooling.\n\n$$h = f(W q, U k, v) \\in \\mathbb{R}^{p}$$\n\n$q \\in \\mathbb{R}^{d}$, $k \\in \\mathbb{R}^{d}$, $v \\in \\mathbb{R}^{p}$\n",
                says="attention whose form the source leaves open",
                h="p",
            ),
        ),
    ),
    Rule(
        "statements.step-count-from-set",
        "statements",
        (
            r"`y_i = W_i x` beside `i \in \{1, \dots, O\}` (an index declared in a counted set, as MLX's \"i indexes the output dimension\" is read)",
            r"the parameters one per i are O of them: the generated code asks for O (not a letter of its own, I)",
        ),
        "read/rules_step_sets.py",
        (
            ok(
                "y_i = W_i x\ni \\in \\{1, \\dots, O\\}, x \\in \\mathbb{R}^n",
                says="O of them",
                W="? x n",
            ),
        ),
    ),
    Rule(
        "statements.tuple-pairs",
        "statements",
        (
            r"`a^{(i)}, b^{(i)} = W_a x^{(i)}, W_b x^{(i)}`, `(a, b) = (x, y)`: a tuple of names on the left and as many values on the right (labml's fast weights)",
            r"one equation for each pair, in order (`a = W_a x`, `b = W_b x`), each with the spans of its own name and value; one value on the right (`(h_t, c_t) = \mathrm{LSTM}(...)`), a different count, or `\dots` among the values stays refused",
        ),
        "parse/tuple_pairs.py",
        (
            ok(
                "a, b = W_a x, W_b x\nx \\in \\mathbb{R}^n",
                says="one pair of a tuple",
                W_a="? x n",
                W_b="? x n",
            ),
            refused("a, b = W_a x, W_b x, W_c x", "tuple on the left side", at="a, b"),
            refused(
                "(h_t, c_t) = \\mathrm{LSTM}(x_t, h_{t-1})",
                "tuple on the left side",
                at="(h_t, c_t)",
            ),
        ),
    ),
    Rule(
        "operators.w-x",
        "operators",
        (
            r"juxtaposition `W x`, `*`, `\ast`, `\times`",
            r"decided by shapes: matrix product, Hadamard product, scaling, row vector times matrix",
        ),
        "shapes/infer.py",
        (ok(r"y = W x + A * x, x \in \mathbb{R}^m, y \in \mathbb{R}^n", W="n x m", A="n x m"),),
    ),
    Rule(
        "operators.cdot",
        "operators",
        (
            r"`\cdot`, `.` between factors",
            r"decided by shapes: matrix product, **dot product** (two vectors of equal size give a scalar), scaling, row vector times matrix",
        ),
        "shapes/infer.py",
        (
            ok(
                r"s = w \cdot x, y = W \cdot x, x \in \mathbb{R}^m, y \in \mathbb{R}^n",
                says=r"dot product",
                s="",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "operators.add-subtract",
        "operators",
        (
            r"`+`, `-`",
            r"elementwise; a scalar side broadcasts (`1 - z_t`); a vector added to a matrix is added to every column (dim-first `D x N`) or every row (sample-first `N x D`), whichever its size matches",
        ),
        "shapes/infer.py",
        (ok(r"h = (1 - z) \odot x + b, x \in \mathbb{R}^n", z="n", b="n"),),
    ),
    Rule(
        "operators.divide",
        "operators",
        (
            r"`/`, `\frac{a}{b}`",
            r"division by a scalar, or elementwise",
        ),
        "shapes/infer.py",
        (ok(r"y = \frac{x}{n} + x / \alpha, x \in \mathbb{R}^n", y="n"),),
    ),
    Rule(
        "operators.x-t",
        "operators",
        (
            r"`x^T`, `x^\top`, `x^\intercal`, `(..)^T`",
            r"transpose; a vector's transpose is a row `1 x n`, and a row times a column is a scalar (`x^T A x`)",
        ),
        "shapes/infer.py",
        (ok(r"s = x^T A x + y^\top x, x \in \mathbb{R}^n", s="", A="n x n"),),
    ),
    Rule(
        "operators.x-2",
        "operators",
        (
            r"`x^2`, `x^{-1}` of a scalar or vector",
            r"power, elementwise",
        ),
        "shapes/infer.py",
        (ok(r"y = x^2 + z^{-1}, x \in \mathbb{R}^n", z="n"),),
    ),
    Rule(
        "operators.a-1",
        "operators",
        (
            r"`A^{-1}`, `(I - \Delta/2 \cdot A)^{-1}` of a square matrix",
            r"**the matrix inverse** (never the reciprocal of each entry; generated code: `np.linalg.inv`, `torch.linalg.inv`); a product with an inverse is a matrix product. Any other power of a matrix (`A^2`, `A^{1/2}`) is refused (not generated yet), never an elementwise power",
        ),
        "read/rules_matrix.py",
        (
            ok(
                r"y = A^{-1} x, A \in \mathbb{R}^{n \times n}, x \in \mathbb{R}^n",
                says=r"matrix inverse",
                y="n",
            ),
            refused(
                r"y = A^{2} x, A \in \mathbb{R}^{n \times n}, x \in \mathbb{R}^n",
                r"matrix power",
                at=r"A^{2}",
            ),
        ),
    ),
    Rule(
        "operators.exp-a-inverted",
        "operators",
        (
            r"`(\Delta A)^{-1} (\exp(\Delta A) - I)` (Mamba's zero-order hold)",
            r"`\exp(X)` of a square matrix X where the system writes `X^{-1} (\exp(X) - I)` with the same X (the zero-order hold of a linear system) is **the matrix exponential**, there and wherever `\exp(X)` appears (generated code: `torch.linalg.matrix_exp`; NumPy: scaling and squaring); said in the readings. Any other `\exp` of a matrix stays entry by entry",
        ),
        "read/rules_matrix.py",
        (
            ok(
                r"\bar{B} = (\Delta A)^{-1} (\exp(\Delta A) - I) B, A \in \mathbb{R}^{n \times n}, B \in \mathbb{R}^{n \times m}, \Delta \in \mathbb{R}",
                says=r"zero-order hold",
                B_bar="n x m",
            ),
        ),
    ),
    Rule(
        "operators.exp-a",
        "operators",
        (
            r"`\exp(A)`, `\log(A)` of a matrix",
            r"entry by entry (as attention scores), and the reading says it is not the matrix exponential",
        ),
        "shapes/infer.py",
        (
            ok(
                r"P = \exp(Q K^T), Q \in \mathbb{R}^{T \times d}, K \in \mathbb{R}^{T \times d}",
                says=r"matrix exponential",
                P="T x T",
            ),
        ),
    ),
    Rule(
        "operators.norm",
        "operators",
        (
            r"`\|x\|`, `\|x\|_2`, `\lVert x \rVert`, `\|x\|^2`",
            r"L2 norm (a scalar); squared with `^2`",
        ),
        "shapes/infer.py",
        (ok(r"L = \|y - W x\|^2 + \lVert x \rVert, x \in \mathbb{R}^m, y \in \mathbb{R}^k", L=""),),
    ),
    Rule(
        "operators.a-b",
        "operators",
        (
            r"`[a, b]`, `[a; b]`, `\begin{bmatrix} a \\ b \end{bmatrix}`, `[a \| b]` (GAT)",
            r"concatenation along the feature axis, in the order written (`\|` between two values inside brackets; elsewhere it is a norm's bar)",
        ),
        "shapes/infer.py",
        (
            ok(
                "f_t = \\sigma(W_f [h_{t-1}, x_t])\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n, f_t \\in \\mathbb{R}^n",
                W_f="n x m + n",
            ),
        ),
    ),
    Rule(
        "operators.sum-v-in-v-body",
        "operators",
        (
            r"`\sum_{v \in V} body`, `\sum_v body`",
            r"a sum over the nodes of V: a reduction over the node axis. **The body is the whole product that follows**, up to the next `+` or `-` at the same level: `\sum_v a_v \odot b_v + c` sums `a_v \odot b_v` only",
        ),
        "shapes/infer.py",
        (ok(r"h_g = \sum_{v \in V} a_v \odot b_v, a_v \in \mathbb{R}^G", b="G", h_g="G"),),
    ),
    Rule(
        "operators.sum-u-in-mathcal-n-v-body",
        "operators",
        (
            r"`\sum_{u \in \mathcal{N}(v)} body`, `N(v)`, `\mathcal{N}_v`",
            r'for each node v, a sum over its neighbours only: generated code adds along an edge list `inputs["edges"]` (2 x E: source, target), so graphs of any size batch together',
        ),
        "shapes/infer.py",
        (
            ok(
                r"h_v' = \sum_{u \in \mathcal{N}(v)} W h_u, h_u \in \mathbb{R}^F, h_v' \in \mathbb{R}^{F'}",
                W="F' x F",
            ),
        ),
    ),
    Rule(
        "operators.sum-k-in-mathcal-k-sum-u-in",
        "operators",
        (
            r"`\sum_{k \in \mathcal{K}} \sum_{u \in \mathcal{N}_k(v)} W_k h_u` (also `\mathcal{N}^k(v)`, `\mathcal{N}_v^k`)",
            "**typed edges** (R-GCN's relations, GG-NN's edge types): k runs over the types of edges (a size named after the set, K), `\\mathcal{N}_k(v)` holds v's neighbours along edges of type k, and what carries k (`W_k`) is one parameter per type, stored stacked (K x shape). Generated code reads `inputs[\"edge_types\"]` (one integer per edge, 0..K-1) and unrolls the sum over the types. `\\mathcal{N}_k(v)` with no sum binding k is refused",
        ),
        "shapes/infer.py",
        (
            ok(
                r"h_v' = \sum_{k \in \mathcal{K}} \sum_{u \in \mathcal{N}_k(v)} W_k h_u, h_u \in \mathbb{R}^F, h_v' \in \mathbb{R}^{G}",
                says=r"type",
                W="G x F",
            ),
        ),
    ),
    Rule(
        "operators.mathcal-n-out-v",
        "operators",
        (
            r"`\mathcal{N}^{out}(v)`, `\mathcal{N}^{out}_k(v)`, `\mathcal{N}_{\text{in}}(v)`",
            r"the **direction** of the edges: `in` (the default) is the sources of the edges into v; `out` is the targets of the edges out of v (the edge list reversed), as GG-NN's both directions",
        ),
        "shapes/infer.py",
        (
            ok(
                r"h_v' = \sum_{u \in \mathcal{N}^{out}(v)} W h_u + \sum_{u \in \mathcal{N}^{in}(v)} U h_u, h_u \in \mathbb{R}^F, h_v' \in \mathbb{R}^{F}",
                W="F x F",
            ),
        ),
    ),
    Rule(
        "operators.h-v-t",
        "operators",
        (
            r"a recurrence that reads no input per step (GG-NN's `h_v^{(t)}` from `h_v^{(t-1)}` only)",
            r'it runs a number of steps of its own, a size (T for t: `--dims T=5`; `inputs["steps"]` overrides it at run time); the initial state is the input',
        ),
        "shapes/infer.py",
        (
            ok(
                r"h_v^{(t)} = \tanh(\sum_{u \in \mathcal{N}(v)} W h_u^{(t-1)}), h_v^{(t)} \in \mathbb{R}^D",
                W="D x D",
            ),
        ),
    ),
    Rule(
        "operators.e-ij",
        "operators",
        (
            r"`e_{ij}`, `\alpha_{ij}` with `j \in \mathcal{N}_i` summed somewhere",
            r"a **value per edge** (from the neighbour j to the node i), as GAT writes attention: an equation `e_{ij} = ...` is computed on every edge (`h_i` read at the edge's target, `h_j` at its source), `\sum_{k \in \mathcal{N}_i} \exp(e_{ik})` sums each node's edges, and a softmax written out this way runs over each node's neighbours only. Generated code gathers node values onto the edges and scatter-adds edge values back (`to_edges`, `edge_sum`); its outputs per edge are arrays over the edges. `papermath grad` prints the gradient equations through edge values (each sum sends its gradient back along the edges), checked against the generated backward (tests/test_grad_oracle.py)",
        ),
        "shapes/infer.py",
        (
            ok(
                r"\alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k \in \mathcal{N}_i} \exp(e_{ik})}, e_{ij} = a^T [W h_i, W h_j], h_i' = \sum_{j \in \mathcal{N}_i} \alpha_{ij} W h_j, h_i \in \mathbb{R}^F, h_i' \in \mathbb{R}^{F'}",
                W="F' x F",
                alpha="",
            ),
        ),
    ),
    Rule(
        "operators.alpha-i-j",
        "operators",
        (
            r"`\alpha_{i,j}`, `e_{j,i}`, `c_{ji}` (PyG's and DGL's docstrings)",
            '**the same value per edge, whatever the order of the letters** (`read/rules_attention.py`): where i\'s neighbours j are summed (`j \\in \\mathcal{N}(i)`), a value written with i and j is on the edge from j to i; written source first (`e_{j,i}`, "the edge weight from source node j to target node i"), the reading says so. A value per edge that no equation defines is data given on each edge (`inputs["e"]`, one row per edge of `inputs["edges"]`), as CGConv\'s edge features `\\mathbf{e}_{i,j}` in `\\mathbf{z}_{i,j} = [\\mathbf{x}_i, \\mathbf{x}_j, \\mathbf{e}_{i,j}]`',
        ),
        "read/rules_attention.py",
        (
            ok(
                r"x_i' = \sum_{j \in \mathcal{N}(i)} \alpha_{i,j} \Theta x_j, \alpha_{i,j} = \sigma(a^T [\Theta x_i, \Theta x_j]), x_j \in \mathbb{R}^F, x_i' \in \mathbb{R}^{F'}",
                Theta="F' x F",
                alpha="",
            ),
        ),
    ),
    Rule(
        "operators.e-ij-mathrm-leakyrelu-dots",
        "operators",
        (
            r"`e_{ij} = \mathrm{LeakyReLU}(\dots)` beside `\exp(e_{ik})` under `\sum_{k \in \mathcal{N}_i}` (GAT, eqs. 1-3)",
            r"**a left side over the edges**: e is a value per edge elsewhere, so `e_{ij} = ...` defines it on every edge (i, j) and j runs over the neighbours of i as k does, though no sum binds j. The chain `\alpha_{ij} = \mathrm{softmax}_j(e_{ij}) = \frac{\exp(e_{ij})}{\sum_{k \in \mathcal{N}_i} \exp(e_{ik})}` is read from the fraction; its claim `\mathrm{softmax}_j(e_{ij})` holds by the softmax's definition, since the fraction is the exponential over the sum of the exponentials with j renamed k (checked on the syntax; said in the readings). Any other claim is checked as section 2 says",
        ),
        "shapes/infer.py",
        (
            ok(
                r"e_{ij} = \mathrm{LeakyReLU}(a^T [W h_i \| W h_j]), \alpha_{ij} = \mathrm{softmax}_j(e_{ij}) = \frac{\exp(e_{ij})}{\sum_{k \in \mathcal{N}_i} \exp(e_{ik})}, h_i' = \sum_{j \in \mathcal{N}_i} \alpha_{ij} W h_j, h_i \in \mathbb{R}^F, h_i' \in \mathbb{R}^{F'}",
                W="F' x F",
                e="",
            ),
        ),
    ),
    Rule(
        "operators.alpha-i-j-mathrm-softmax-lef",
        "operators",
        (
            r"`\alpha_{i,j} = \mathrm{softmax}\left(\frac{(\mathbf{W}_3 \mathbf{x}_i)^\top (\mathbf{W}_4 \mathbf{x}_j)}{\sqrt{d}}\right)` (PyG's TransformerConv)",
            r"**a softmax over each node's edges**: in an equation over the edges (i, j), a softmax of a score that depends on j runs over the neighbours j of i, as GAT's `\mathrm{softmax}_j`: read written out, `\frac{\exp(s_{ij})}{\sum_{k \in \mathcal{N}(i)} \exp(s_{ik})}` (generated code: an exponential per edge, `edge_sum`, `to_edges`, a division). Only for a score that is one number per edge: for a vector per edge (over its entries, or over the neighbours?) it is refused after shapes, and a softmax of a value per edge inside a sum over the neighbours (`\sum_j \mathrm{softmax}(e_{ij}) x_j`) is refused while reading. A `\sqrt{d}` whose d is declared nowhere (a size, as `\sqrt{d_k}`, or a learned scalar?) is refused at d: declare the size (`\mathbf{W}_3 \in \mathbb{R}^{d \times F}`) or give it in dims",
        ),
        "shapes/infer.py",
        (
            ok(
                r"\alpha_{i,j} = \mathrm{softmax}\left(\frac{(\mathbf{W}_3 \mathbf{x}_i)^\top (\mathbf{W}_4 \mathbf{x}_j)}{\sqrt{d}}\right), \mathbf{x}'_i = \sum_{j \in \mathcal{N}(i)} \alpha_{i,j} \mathbf{W}_2 \mathbf{x}_j, \mathbf{W}_3 \in \mathbb{R}^{d \times F}, \mathbf{x}_j \in \mathbb{R}^F, \mathbf{x}'_i \in \mathbb{R}^{G}",
                W_2="G x F",
                W_4="d x F",
            ),
        ),
    ),
    Rule(
        "operators.neighbours-and-self",
        "operators",
        (
            r"`\sum_{j \in \mathcal{N}(i) \cup \{ i \}} body` (PyG's GCNConv, GATConv)",
            r"**the neighbours of i and i itself** (`read/rules_sets.py`): the sum over the neighbours plus the body at j = i (every j read as i), so every stage reads it with the sums over neighbours and node values (no self-loops are added to the edge list). A value per edge in the body (`\alpha_{i,j}`) is needed on the self-loop (i, i): its equation over the edges is read there, at j = i (GAT's softmax over `\mathcal{N}(i) \cup \{i\}` then includes i's own score); a value per edge that no equation defines (an edge weight `e_{j,i}`) has no value on a self-loop and is refused at it, unless the source's degree gives it (`operators.self-loop-weight`). `papermath grad` prints it split, `\sum_{j \in \mathcal{N}(i)} W x_j + W x_i`. Any other union (`\mathcal{N}(v) \cup \{i\}` with v not i, `a \cup b`) is refused at the union, and so is a union along typed or outgoing edges",
        ),
        "read/rules_sets.py",
        (
            ok(
                r"x_i' = \sum_{j \in \mathcal{N}(i) \cup \{ i \}} \Theta x_j, x_j \in \mathbb{R}^F, x_i' \in \mathbb{R}^{G}",
                says=r"itself",
                Theta="G x F",
            ),
        ),
    ),
    Rule(
        "operators.self-loop-weight",
        "operators",
        (
            r"`\sum_{j \in \mathcal{N}(i) \cup \{ i \}} \frac{e_{j,i}}{\sqrt{\hat{d}_j \hat{d}_i}} \mathbf{x}_j` with `\hat{d}_i = 1 + \sum_{j \in \mathcal{N}(i)} e_{j,i}` (PyG's GCNConv, node-wise)",
            r"the edge weight e on the self-loop (i, i), which the edge list does not hold, is the constant of the degree the source defines beside it (1: the weighted degree over `\mathcal{N}(i) \cup \{i\}`, as PyG fills the self-loops), said in the readings; without such a degree (used by the equations), or with two different constants, refused at e",
        ),
        "read/rules_loop_weight.py",
        (
            ok(
                r"x'_i = \sum_{j \in \mathcal{N}(i) \cup \{i\}} \frac{e_{j,i}}{\sqrt{\hat{d}_j \hat{d}_i}} W x_j, \hat{d}_i = 1 + \sum_{j \in \mathcal{N}(i)} e_{j,i}, e_{j,i} \in \mathbb{R}, x_j \in \mathbb{R}^{F}, x'_i \in \mathbb{R}^{G}",
                says="e on the self-loop: 1",
                W="G x F",
            ),
            refused(
                r"x'_i = \sum_{j \in \mathcal{N}(i) \cup \{i\}} e_{j,i} W x_j, e_{j,i} \in \mathbb{R}",
                "self-loop",
                at="e_{j,i}",
            ),
        ),
    ),
    Rule(
        "operators.mathcal-n-i",
        "operators",
        (
            r"`|\mathcal{N}(i)|`, `\frac{1}{|\mathcal{N}(i)|} \sum_{j \in \mathcal{N}(i)} body`",
            r"**the number of i's neighbours** (its degree, the edges into i), one number per node: a mean over the neighbours is the sum divided by it. Generated code counts along the edge list (the primitive `degree`, `ops/graph.py`: `np.bincount` / `torch.bincount` of the edges' targets; no gradient, it is a count). A node without neighbours divides by zero, as the formula does (`check` draws graphs where every node has one when a degree is used). Inside the sum over i's neighbours (`\sum_{j \in \mathcal{N}(i)} \frac{1}{|\mathcal{N}(i)|} W x_j`, PyG's mean) the count is i's, taken per edge at its target, never the neighbour j's. `|\mathcal{N}_r(i)|` (the neighbours along the edges of type r, R-GCN's normaliser, `read/rules_sets.py`) is read the same way; code for it inside the sum along typed edges is refused there",
        ),
        "ops/graph.py",
        (
            ok(
                r"h_i' = \frac{1}{|\mathcal{N}(i)|} \sum_{j \in \mathcal{N}(i)} W h_j, h_j \in \mathbb{R}^F, h_i' \in \mathbb{R}^G",
                W="G x F",
            ),
        ),
    ),
    Rule(
        "operators.mathrm-concat-mathrm-head-1",
        "operators",
        (
            r"`\mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h)` with `\mathrm{head}_i = ...`",
            r"a **family of heads** (multi-head attention): i numbers the heads 1..h, what is written with i (`W_i^Q`) is one parameter per head (stored stacked, h x shape), `head_i` is computed for every head (unrolled in the generated code, h from dims), and Concat puts the heads side by side along the last axis. `h d_v` in a declaration is a product of sizes (one name for the shape algebra, `d_v·h`, whose number is the product). `papermath grad` prints the gradient equations of a family for one head i (what head i sends a value the heads share summed over the heads), checked against the generated backward by `tests/test_grad_oracle.py`",
        ),
        "shapes/infer.py",
        (
            ok(
                r"\mathrm{MultiHead}(Q, K, V) = \mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h) W^O, \mathrm{head}_i = \mathrm{softmax}(Q W_i^Q (K W_i^K)^T) V W_i^V, Q \in \mathbb{R}^{n \times d}, K \in \mathbb{R}^{n \times d}, V \in \mathbb{R}^{n \times d}, W_i^Q \in \mathbb{R}^{d \times d_k}, W_i^K \in \mathbb{R}^{d \times d_k}, W_i^V \in \mathbb{R}^{d \times d_v}, W^O \in \mathbb{R}^{h d_v \times d}",
                says=r"head",
            ),
        ),
    ),
    Rule(
        "operators.sum-t-l-t",
        "operators",
        (
            r"`\sum_t l_t`, over the step index of a recurrence",
            r"a sum over the steps (a loss over time): `L = \sum_t ...` is read as the running sum `L_t = L_{t-1} + ...` from 0, whose last value is the sum; only as the whole right side",
        ),
        "shapes/infer.py",
        (
            ok(
                "h_t = \\tanh(W h_{t-1} + U x_t), L = \\sum_t \\|h_t - y_t\\|^2\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                says=r"running sum",
                L="",
            ),
        ),
    ),
    Rule(
        "operators.h-t",
        "operators",
        (
            r"`h_T` beside `h_{t-1}`",
            r"h at the last step T: what uses it is computed at every step, and the last value of its sequence is the one meant (said in the readings)",
        ),
        "shapes/infer.py",
        (
            ok(
                "h_t = \\tanh(W h_{t-1} + U x_t), y = V h_T, y \\in \\mathbb{R}^k\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                says=r"last",
                V="k x n",
            ),
        ),
    ),
    Rule(
        "operators.last-step-up",
        "operators",
        (
            r"`z_v = h_v^{K}` beside `h_v^{k} = \sigma(W_k \dots h_u^{k-1} \dots), \forall k \in \{1, .., K\}` (CS224W's notes: \"This is the final embedding after $$K$$ layers\")",
            r"h at the last step K, as `h_T` beside `h_{t-1}` is: the capital of the one step letter, written up where the source writes that symbol's steps up, and only where the source gives the step letter's range up to it (`k \in \{1, .., K\}`, `k = 1, \dots, K`); said in the readings (`read/rules_graph_data.py`). Without the range, refused (a power, a step or a label?)",
        ),
        "read/rules_graph_data.py",
        (
            ok(
                "$$h^0_v = x_v$$ with $x_v \\in \\mathbb{R}^{m}$, and $$h_v^{k} = \\tanh(W_k \\sum_{u \\in N(v)} h_u^{k-1}), \\forall k \\in \\{1, .., K\\}$$\n$$z_v = h_v^{K}$$",
                says="h at the last step",
                z="m",
            ),
            refused(
                "$$h^0_v = x_v$$ with $x_v \\in \\mathbb{R}^{m}$, and $$h_v^{k} = \\tanh(W_k \\sum_{u \\in N(v)} h_u^{k-1})$$\n$$z_v = h_v^{K}$$",
                "a power, a step or a label",
                at="K",
            ),
        ),
    ),
    Rule(
        "sizes.node-feature-columns",
        "sizes",
        (
            r"`$$X\in \mathbb{R}^{m\times\rvert V \rvert}$$ is the node feature matrix` beside `$$h^0_v = x_v$$` (CS224W's notes): a matrix with one axis the number of vertices, and its letter in lowercase at a node",
            r"x_v is X's column v (its row v for `\mathbb{R}^{|V| \times m}`): x has X's other axis (m), said in the readings (`shapes/rules_graph_columns.py`). Only where that one axis is a set's size (|V|), x is declared nowhere and every x the equations write is at a node",
        ),
        "shapes/rules_graph_columns.py",
        (
            ok(
                "$$X \\in \\mathbb{R}^{m \\times |V|}$$ $$h_v = \\tanh(W \\sum_{u \\in N(v)} x_u)$$",
                says="a node's column of X",
                x="m",
                W="? x m",
            ),
            ok(
                "$$X \\in \\mathbb{R}^{|V| \\times m}$$ $$h_v = \\tanh(W \\sum_{u \\in N(v)} x_u)$$",
                says="a node's row of X",
                x="m",
            ),
        ),
    ),
    Rule(
        "operators.per-unit-superscript",
        "operators",
        (
            r"`h^j_t = (1 - z^j_t) h^j_{t-1} + z^j_t \tilde{h}^j_t`, `z^j_t = \sigma(W_z x_t + U_z h_{t-1})^j` (Chung et al.'s GRU)",
            r"**a per-unit superscript**: where a superscript letter selects from a parenthesised expression (`(\dots)^j`) and a defined symbol carries it on the left side, j indexes entries: `h^j_t` is the j-th unit of h (the same vector as `h_{t-1}`), each equation holds for every j and reads as the whole vector. Without that evidence (`y_t = h^j_t`) a superscript letter stays refused (a power, a step or a label?)",
        ),
        "read/rules_units.py",
        (
            ok(
                "h^j_t = (1 - z^j_t) h^j_{t-1} + z^j_t \\tilde{h}^j_t, z^j_t = \\sigma(W_z x_t + U_z h_{t-1})^j, \\tilde{h}^j_t = \\tanh(W x_t + U h_{t-1})^j\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                W_z="n x m",
                U="n x n",
            ),
        ),
    ),
    Rule(
        "operators.entries-summed",
        "operators",
        (
            r"`f_i = \sigma(b_i + \sum_j U_{i,j} x_j)` (Goodfellow et al.'s LSTM; also `U_{ij}`)",
            r"**a matrix's entries summed against a vector's**: in an equation over the entries i, `\sum_j U_{i,j} x_j` is entry i of the matrix product `U x` (and `\sum_j U_{j,i} x_j` of `U^\top x`); always the matrix product, U a matrix. The vector may be several vectors' entries side by side, all by j: `\sum_j W_{i,j} r_j h_j` (the Deep Learning book's GRU, eq. 10.45) is entry i of `W (r \odot h)`. Only these forms: other sums over two-index entries (`U_{i,j} V_{j,i}`) stay refused",
        ),
        "read/rules_entries.py",
        (
            ok(r"y_i = \tanh(\sum_j U_{i,j} x_j) + x_i, x \in \mathbb{R}^n", U="n x n", y="n"),
            ok(
                r"y_i = \tanh(\sum_j W_{i,j} r_j x_j) + x_i, x \in \mathbb{R}^n",
                says="matrix product (entries)",
                W="n x n",
                r="n",
            ),
        ),
    ),
    Rule(
        "operators.degree-normalisation",
        "operators",
        (
            r"`\tilde{D}^{-1/2} \tilde{A} \tilde{D}^{-1/2}` (also `^{-\frac{1}{2}}`; GCN, Kipf & Welling)",
            r"**degree normalisation**: D is the degree matrix of the square A, diagonal with `D_{ii} = \sum_j A_{ij}` (where the source defines it so, or, defining nothing, writes D with A's decorations: `\tilde{D}` beside `\tilde{A}`); its power -1/2 is the power of its diagonal, so the product is A with entry (i, j) divided by `\sqrt{d_i d_j}`, d the row sums of A (generated code: a sum, a power and two broadcast products; never an elementwise power of a matrix). A matrix whose degrees are taken is a graph's adjacency: an input (as is the A of `\tilde{A} = A + I_N`), drawn with positive weights by `check`. Any other matrix power stays refused, and so does `D_{ii} = ...` used elsewhere. The definition may write its sum with a lower limit only (PyG: `\hat{D}_{ii} = \sum_{j=0} \hat{A}_{ij}`): j runs over every column of A, as `\sum_j`",
        ),
        "read/rules_graph.py",
        (
            ok(
                r"Z = \sigma(\tilde{D}^{-1/2} \tilde{A} \tilde{D}^{-1/2} X W), \tilde{A} = A + I_N, X \in \mathbb{R}^{N \times C}, Z \in \mathbb{R}^{N \times F}",
                says=r"degree",
                W="C x F",
            ),
        ),
    ),
    Rule(
        "operators.sum-i-1-n-body",
        "operators",
        (
            r"`\sum_{i=1}^{n} body`, `\sum_i body`",
            r"a sum over the entries i of the vectors written with i (`a_i`): the body is read elementwise and summed over the feature axis. Inside it, anything written without i must be a scalar (`\sum_i x_i h` with h a vector is refused at `h`); the upper limit `n` is a declared size, checked against the vectors' size. Sums start at 1, or at 0 up to a size minus one (`\sum_{i=0}^{n-1}`: the same n entries, counted from 0; `read/rules_sums.py`)",
        ),
        "shapes/infer.py",
        (
            ok(r"s = \sum_{i=1}^{n} a_i x_i, x \in \mathbb{R}^n", a="n", s=""),
            refused(r"s = \sum_i x_i h, x \in \mathbb{R}^n, h \in \mathbb{R}^m", r"", at=r"h"),
        ),
    ),
    Rule(
        "operators.primed-sum-index",
        "operators",
        (
            r"`\sum_{t'=1}^T \exp(K_{t'}) \odot V_{t'}` beside `Y_t` (labml's AFT: a sum over a primed letter)",
            r"t' is a letter of its own (the prime keeps it apart from t): inside the sum it is renamed to a fresh letter the source does not write, and the sum is read as `\sum_{j=1}^T` would be (or refused by the rules of sums, as that would be)",
        ),
        "read/rules_primed_index.py",
        (
            ok(
                r"y = \sum_{i'=1}^{n} a_{i'}, a \in \mathbb{R}^{n}",
                says="summed index i'",
                y="",
            ),
        ),
    ),
    Rule(
        "operators.sum-i-0-n-1-body",
        "operators",
        (
            r"`\sum_{i=0}^{n-1} body`; `\sum_{k=0}^{K-1} W^{k} ...`, `\sum_{k=0}^{K} A^{k} X \Theta_k`",
            r"**a sum counted from 0**: i = 0..n-1 is n values, so i runs over the n entries of the vectors it indexes (a sum over entries uses i only to pick entries, so the count is all that matters). Refused: `\sum_{i=0}^{n}` (n+1 values: no size names them), and a range from 0 whose letter is written up anywhere (`W^{k,l}`, `(D^{-1/2} A D^{-1/2})^{k}`, `\beta^i`): k then counts orders or powers (TAGConv's hops, ChebConv's Chebyshev orders, a geometric series), not entries, and no primitive sums those yet (except the powers of a parenthesized matrix: `operators.sum-of-powers`)",
        ),
        "read/rules_sums.py",
        (
            ok(
                r"y = \sum_{i=0}^{n-1} a_i b_i, a \in \mathbb{R}^{n}",
                says="counted from 0",
                a="n",
                y="",
            ),
            refused(
                r"H = \sum_{k=0}^{K-1} A^{k} X \Theta_k",
                "orders or powers",
                at="k=0",
            ),
        ),
    ),
    Rule(
        "doubts.beta-i-under-a-sum",
        "doubts",
        (
            r"`\sum_{i} \beta^i x_i`",
            r"**a Greek letter to the power of a summed index** (`read/rules_sums.py`): beta (a number by convention) to the power i, never the entry i of a vector beta; where i runs over entries (no range of orders under the sum) no primitive uses an index as a number yet (as `\beta_1^t` at the step t); a sum over a range of orders, `\sum_{i=1}^{t} \beta^i`, reads (`operators.sum-of-powers`)",
        ),
        "read/rules_sums.py",
        (refused(r"y = \sum_{i} \beta^i x_i", "power i", at=r"\beta^i"),),
    ),
    Rule(
        "doubts.sum-i-on-the-line",
        "doubts",
        (
            r"`s_j = \sum i c_{ij} \hat{u}_{j|i}`",
            r"**the index of a sum written on the line** (`read/rules_sums.py`): the sum has nothing under it, and the body begins with a lone letter its own subscripts use as an index; read literally, i multiplies what follows and the sum ranges over nothing. papermath does not guess `\sum_i`: the hint names it, so the writer confirms it",
        ),
        "read/rules_sums.py",
        (refused(r"s_j = \sum i c_{ij} \hat{u}_{j|i}", r"\sum_i", at=r"\sum i"),),
    ),
    Rule(
        "operators.alpha-ij-step-and-position",
        "operators",
        (
            r"`e_{ij} = v^\top \tanh(W s_{i-1} + U h_j)`, `\alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k=1}^{T_x} \exp(e_{ik})}`, `c_i = \sum_{j=1}^{T_x} \alpha_{ij} h_j` (Bahdanau et al.)",
            r"**a value per step and position** (`read/rules_positions.py`): i carries an offset (a step); j is bound by a sum and picks one vector of a declared collection (`h_j \in \mathbb{R}^{2n}`), k stands in j's place on e: both run over the positions of a sequence, so `e_{ij}`, `\alpha_{ij}` are one number per step and position (the entry (i, j) of a matrix, as einsum reads it), the sums are over the positions (never over a batch or the entries of a vector). Code generates (`ir/positions.py`): each sample's sequence a graph of positions (`batch` gives each position's sample), s_{i-1} one per sample and step, the sums over the positions segment sums inside the loop over the steps; beside a state carried from step to step it is refused. A summed letter beside a step that picks entries (`\sum_{i=1}^{n} z_{t,i}`) and two positions without a step (`e_{i,j}`) stay refused. The letter's vectors may be shown by their bold instead of a declaration (`\mathbf{x}_i`, bold lowercase: one vector of a collection, its entries being the italic x_i), as CogDL's Set2Set writes `\alpha_{i,t} = \mathrm{softmax}(\mathbf{x}_i \cdot \mathbf{q}_t)`, `\mathbf{r}_t = \sum_{i=1}^N \alpha_{i,t} \mathbf{x}_i`; an unindexed softmax defining a value per step and position runs over the positions at each step (a softmax of one number would be 1), read written out as Bahdanau's fraction (a score that is a vector per position is refused: over its entries or over the positions?). Italic and undeclared (`x_i`, DGL's Set2Set) stays refused, the hint naming the declaration or the bold",
        ),
        "read/rules_positions.py",
        (
            ok(
                r"e_{ij} = v^\top \tanh(W s_{i-1} + U h_j), \alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k=1}^{T} \exp(e_{ik})}, c_i = \sum_{j=1}^{T} \alpha_{ij} h_j, h_j \in \mathbb{R}^{m}, s_i \in \mathbb{R}^{n}",
                says="value per step i and position j",
                e="",
                alpha="",
                c="m",
            ),
            ok(
                r"e_{ij} = v^\top \tanh(W s_{i-1} + U h_j), \alpha_{ij} = \mathrm{softmax}(e_{ij}), c_i = \sum_{j=1}^{T} \alpha_{ij} h_j, h_j \in \mathbb{R}^{m}, s_i \in \mathbb{R}^{n}",
                says="softmax over the positions j",
                e="",
                alpha="",
                c="m",
            ),
            ok(
                r"\mathbf{q}_t = \mathrm{LSTM}(\mathbf{q}^{*}_{t-1}), \alpha_{i,t} = \mathrm{softmax}(\mathbf{x}_i \cdot \mathbf{q}_t), \mathbf{r}_t = \sum_{i=1}^N \alpha_{i,t} \mathbf{x}_i, \mathbf{q}^{*}_t = \mathbf{q}_t \Vert \mathbf{r}_t",
                says="softmax over the positions i",
                alpha="",
                x="d1",
                r="d1",
                q_star="2*d1",
            ),
            ok(
                r"\alpha_{t,i} = \mathrm{softmax}(\mathbf{h}_i^\top W \mathbf{s}_{t-1}), \mathbf{c}_t = \sum_{i=1}^{N} \alpha_{t,i} \mathbf{h}_i, \mathbf{s}_t \in \mathbb{R}^{n}, \mathbf{h}_i \in \mathbb{R}^{m}",
                says="softmax over the positions i",
                alpha="",
                c="m",
            ),
            ok(
                r"\mathbf{c}_t = \sum_{i=1}^n \alpha_{t,i} \boldsymbol{h}_i, \alpha_{t,i} = \mathrm{softmax}(\boldsymbol{h}_i^\top \mathbf{W}_a \boldsymbol{s}_{t-1})",
                says="softmax over the positions i",
                alpha="",
                c="d1",
                W_a="d1 x d2",
            ),
            refused(
                r"q_t = \mathrm{LSTM}(q^*_{t-1}), \alpha_{i,t} = \mathrm{softmax}(x_i \cdot q_t), r_t = \sum_{i=1}^N \alpha_{i,t} x_i, q^*_t = q_t \Vert r_t",
                "two indices",
                at=r"\alpha_{i,t}",
            ),
            refused(
                r"\alpha_{t,i} = \mathrm{softmax}(\mathbf{h}_i \odot \mathbf{s}_{t-1}), \mathbf{c}_t = \sum_{i=1}^{N} \alpha_{t,i} \odot \mathbf{h}_i, \mathbf{s}_t \in \mathbb{R}^{m}, \mathbf{h}_i \in \mathbb{R}^{m}",
                "softmax of a vector per step and position",
                at=r"\mathrm{softmax}",
            ),
        ),
    ),
    Rule(
        "operators.value-per-pair-capsules",
        "operators",
        (
            r"`\hat{u}_{j|i} = W_{ij} u_i`, `s_j = \sum_i c_{ij} \hat{u}_{j|i}`, `c_{ij} = \frac{\exp(b_{ij})}{\sum_k \exp(b_{ik})}`, `v_j = \frac{||s_j||^2}{1+||s_j||^2} \frac{s_j}{||s_j||}` (a capsule layer's routing, Sabour et al. 2017)",
            r"**a value per pair of two sets' members** (`read/rules_pairs.py`): an equation defines a value with two letters (`\hat{u}_{j|i}`), a sum binds one of them (`\sum_i`) and a norm or a declaration shows a value with one letter alone is a vector (`||s_j||`, `u_i \in \mathbb{R}^8`): i and j pick vectors of two sets (u_i the capsules below, s_j, v_j above; k in j's place), so `W_{ij}` is one matrix per pair, `c_{ij}`, `b_{ij}` one number per pair, the sums run over a set (einsum `ij,ija->ja`); the shapes are one member's or pair's; a weight letter per pair (`W_{ij}`) is a parameter. Without a sum, a norm or declaration for each letter says the same (`||s_j||` and `u_i \in \mathbb{R}^8`). Code is refused (no primitive for values per pair yet); routing's update in place (`b_{ij} = b_{ij} + ...`) reads as one iteration where the source says so (`operators.routing-iteration`). Without the sum or the vectors (`\hat{u}_{j|i} = W_{ij} u_i` alone) the letters may be a matrix's entries: refused, the hint naming the declaration that is missing (`read/rules_pair_hints.py`)",
        ),
        "read/rules_pairs.py",
        (
            ok(
                r"v_j = \frac{||s_j||^2}{1+||s_j||^2} \frac{s_j}{||s_j||}, \hat{u}_{j|i} = W_{ij} u_i, s_j = \sum_i c_{ij} \hat{u}_{j|i}, c_{ij} = \frac{\exp(b_{ij})}{\sum_k \exp(b_{ik})}, u_i \in \mathbb{R}^{8}, v_j \in \mathbb{R}^{16}",
                says="value per pair (i, j)",
                kinds={"W": "parameter", "u": "input"},
                W="16 x 8",
                u_hat="16",
                c="",
                b="",
            ),
            refused(
                r"\hat{u}_{j|i} = W_{ij} u_i, s_j = \sum_i c_{ij} \hat{u}_{j|i}", r"two indices"
            ),
            ok(
                r"\hat{u}_{j|i} = W_{ij} u_i, c_{ij} = \frac{\exp(b_{ij})}{\sum_k \exp(b_{ik})}, u_i \in \mathbb{R}^{8}, v_j = \frac{||s_j||^2}{1+||s_j||^2} \frac{s_j}{||s_j||}, s_j \in \mathbb{R}^{16}, b_{ij} = \hat{u}_{j|i} \cdot v_j",
                says="value per pair (j, i)",
                W="16 x 8",
                b="",
            ),
        ),
    ),
    Rule(
        "operators.product-after-function-parenthesis",
        "operators",
        (
            r"`\exp(w) (\exp(K) \odot V)` (the whole-matrix form of labml's AFT, as its refusal's hint writes it)",
            r"**the function's parenthesis closes its argument** (`read/reader.py`): a function command with its argument in parentheses, then a parenthesis, is the function's value times what the second parenthesis holds (`\exp(w) \cdot (\exp(K) \odot V)`), never the function of the product `w (\exp(K) \odot V)`; said in the readings",
        ),
        "read/reader.py",
        (
            ok(
                r"Y = \exp(w) (A + B), w \in \mathbb{R}^{n \times m}, A \in \mathbb{R}^{m \times k}, B \in \mathbb{R}^{m \times k}",
                says="product after a function's parenthesis",
                Y="n x k",
            ),
        ),
    ),
    Rule(
        "operators.pair-vectors-transposed",
        "operators",
        (
            r"`a_{ij} = \mathbf{x}_i\mathbf{W}^q {\mathbf{W}^k}^\top\mathbf{x}_j^\top` (Lil'Log's score between the positions i and j)",
            r"**a transposed value with one index is a vector** (`read/rules_pair_transposes.py`, evidence for `operators.value-per-pair-capsules`): a number has no transpose, so `\mathbf{x}_j^\top` (or `{\mathbf{k}_j}^\top`) shows j picks vectors, and the same symbol with another letter alone (`\mathbf{x}_i`) shows i does too: with `a_{ij}` defined by an equation, one value per pair (here a number). Only `^\top`, not `^T` (a letter that may be a step). Shapes, explain, the diagram and the report read it; code is refused by name (values per pair). A side of a chain read again on its own keeps the evidence the whole text gave",
        ),
        "read/rules_pair_transposes.py",
        (
            ok(
                "$$a_{ij} = \\mathbf{x}_i \\mathbf{W}^q {\\mathbf{W}^k}^\\top \\mathbf{x}_j^\\top$$ with $\\mathbf{W}^q, \\mathbf{W}^k \\in \\mathbb{R}^{d \\times d_k}$",
                says="value per pair (i, j)",
                a="",
                x="d",
                W_q="d x d_k",
            ),
            refused(r"a_{ij} = q_i {\mathbf{k}_j}^\top", "two indices"),
        ),
    ),
    Rule(
        "operators.routing-iteration",
        "operators",
        (
            r"`b_{ij} \leftarrow b_{ij} + \hat{u}_{j|i} \cdot v_j`, `b_{ij}=b_{ij}+\hat{u}_{j|i}v_j` (capsule routing's update, with the routing equations; Chinese notes call it 迭代公式, an experiment log a \"Dynamic Routing Update\")",
            r"**one iteration of the routing loop** (`read/rules_pairs.py`): a value per pair (`operators.value-per-pair-capsules`) updated from itself, where its right side is computed from it through the other equations (v_j from s_j from c_{ij} from b_{ij}: the update runs after them) or the words call it an update or an iteration: the left side is the value the next iteration starts from (`b'_{ij}`, key `b_prime`, of b's shape), every other b the value before the update; the reading says what decided it. Without either, refused (`b depends on itself`, the hint saying so). The bar of `\hat{u}_{j|i}` (j given i) with a norm `||s_j||` is evidence of values per pair too: no matrix entry is written with a bar",
        ),
        "read/rules_pairs.py",
        (
            ok(
                r"v_j = \frac{||s_j||^2}{1+||s_j||^2} \frac{s_j}{||s_j||}, \hat{u}_{j|i} = W_{ij} u_i, s_j = \sum_i c_{ij} \hat{u}_{j|i}, c_{ij} = \frac{\exp(b_{ij})}{\sum_k \exp(b_{ik})}, b_{ij} = b_{ij} + \hat{u}_{j|i} \cdot v_j",
                says="one routing iteration",
                W="? x ?",
                b="",
                b_prime="",
            ),
            ok(
                r"v_j = \frac{||s_j||^2}{1+||s_j||^2} \frac{s_j}{||s_j||}, \hat{u}_{j|i} = W_{ij} u_i, c_{ij} = \mathrm{softmax}(b_{ij})",
                says="the bar of _{j|i}",
                c="",
            ),
            refused(
                r"v_j = \frac{||s_j||^2}{1+||s_j||^2} \frac{s_j}{||s_j||}, \hat{u}_{j|i} = W_{ij} u_i, s_j = \sum_i c_{ij} \hat{u}_{j|i}, c_{ij} = \frac{\exp(b_{ij})}{\sum_k \exp(b_{ik})}, b_{ij} = b_{ij} + a_{ij}",
                "depends on itself",
            ),
        ),
    ),
    Rule(
        "operators.juxtaposed-dot-by-shapes",
        "operators",
        (
            r"`\hat{u}_{j|i}v_j` added to a number (capsule routing's agreement, `b'_{ij} = b_{ij} + \hat{u}_{j|i}v_j`); `y = u v` with y declared a number",
            r"**the dot product** (`shapes/rules_juxt_dot.py`): two vectors side by side are elementwise by default; where the shapes need one number and no elementwise product, matrix product or scaling fits, the dot product is the only product that gives one; the same juxtaposition written again (`a_{ij} = \hat{u}_{j|i}v_j`) is the same product",
        ),
        "shapes/rules_juxt_dot.py",
        (
            ok(
                r"y = u v, y \in \mathbb{R}, u \in \mathbb{R}^{d}, v \in \mathbb{R}^{d}",
                says="juxtaposed-dot-by-shapes",
                y="",
                u="d",
            ),
        ),
    ),
    Rule(
        "operators.sign-superscript-labels",
        "operators",
        (
            r"`m^{+}` and `m^{-}` in one loss (the capsule margin loss: `\max(0, m^{+} - \lVert v \rVert)^2`, `\max(0, \lVert v \rVert - m^{-})^2`), `m^+ = 0.9`",
            r"**labels** `m_pos`, `m_neg` (`read/rules_sign_scripts.py`): the source writes the letter with both signs and never alone, or gives the signed letter a number, so the signs tell two values apart (no positive part of an m the source never writes); one sign alone (`m^{-}` beside nothing) stays refused, the hint giving both spellings",
        ),
        "read/rules_sign_scripts.py",
        (
            ok(
                r"L = T \max(0, m^{+} - \lVert v \rVert)^2 + \max(0, \lVert v \rVert - m^{-})^2, T \in \mathbb{R}",
                says="sign-superscript-labels",
                m_pos="",
                m_neg="",
            ),
            refused(r"y = \max(0, m^{-} - x), x \in \mathbb{R}", "superscript", at="-"),
        ),
    ),
    Rule(
        "operators.greek-weight-times-parenthesis",
        "operators",
        (
            r"`\lambda (1 - T_k)` (the capsule margin loss's down-weighting of absent classes), `u_t = -\alpha_t (g_t + \mu m_t)` (optax's SGD with momentum), `w^{k}- \alpha (Aw^{k} - b)` (Distill's gradient step)",
            r"**the number times the parenthesis** (`read/rules_greek_product.py`): a Greek letter that names a number by convention (\alpha, \beta, \gamma, \epsilon, \eta, \kappa, \lambda, \mu, \nu, \tau; at a step or with a label too, no decoration) before a parenthesised sum or difference is a product, never a learnable function; `\lambda(A)` of one symbol, and \phi, \psi, \sigma, \rho, are left to the other rules",
        ),
        "read/rules_greek_product.py",
        (
            ok(
                r"L = \lambda (1 - T) y, T \in \mathbb{R}, y \in \mathbb{R}",
                says="greek-weight-times-parenthesis",
                kinds={"lambda": "constant"},
                L="",
            ),
            ok(
                r"u_t = -\alpha_t (g_t + \mu m_t), g_t \in \mathbb{R}^{d}",
                says="greek-weight-times-parenthesis",
                u_t="d",
                m_t="d",
                alpha_t="",
            ),
        ),
    ),
    Rule(
        "statements.family-index-words",
        "statements",
        (
            r"\"Loss for each output capsule or class $k$ is,\" before `\mathcal{L}_k = T_k \max(0, m^{+} - \lVert\mathbf{v}_k\rVert)^2 + ...` (labml); \"for every capsule $j$\", \"capsule $j$\"",
            r"**k the index of a family** (`parse/family_words.py`, `read/rules_family.py`): the prose says the letter ranges over members and a left side carries it: one value per member, the shapes one member's; the reading quotes the words. Code for such a family is refused by name. Without the words, `s_j` beside `v_j` and another value stays refused (`doubts`); with every value carrying j it reads (`statements.member-formula`)",
        ),
        "read/rules_family.py",
        (
            ok(
                "For each capsule $j$,\n$$v_j = \\frac{\\lVert s_j \\rVert^2}{1 + \\lVert s_j \\rVert^2} \\frac{s_j}{\\lVert s_j \\rVert}$$",
                says="family-index-words",
                kinds={"s": "input"},
                v="?",
                s="?",
            ),
            refused(
                r"v_j = \frac{\lVert s_j \rVert^2}{1 + \lVert s_j \rVert^2} \frac{s_j}{\lVert s_j \rVert} + c",
                "nothing says what j is",
            ),
        ),
    ),
    Rule(
        "statements.indicator-words",
        "statements",
        (
            r"\"$T_k$ is $1$ if the class $k$ is present and $0$ otherwise.\" (labml's margin loss)",
            r"**one number, 1 or 0** (`parse/family_words.py`): `T_k \in \mathbb{R}`; where the condition names the class, a label or the target, the example's label: target data; any other condition (a mask) the number only",
        ),
        "parse/family_words.py",
        (
            ok(
                "$$L = T \\max(0, 1 - y) + (1 - T) y$$\n$T$ is $1$ if the class is present and $0$ otherwise.",
                says="indicator-words",
                kinds={"T": "target"},
                T="",
            ),
        ),
    ),
    Rule(
        "sizes.capsule-width-words",
        "sizes",
        (
            r"\"- $u_i(i \in [6 * 6 * 32])$： 表示PrimaryCaps的某个8D的Capsule\" (u_i an 8D capsule); an architecture listing \"PrimaryCaps 32 types × 8D capsules\", \"DigitCaps 10 capsules × 16D\"",
            r"**a capsule's width** (`parse/capsule_widths.py`): a line that says what one symbol is and gives one width `8D` on a line that names capsules declares it (`u_i \in \mathbb{R}^{8}`); widths said of layers only, beside capsule equations (`\hat{u}_{j|i}`), are refused at the width, the hint naming the declarations",
        ),
        "parse/capsule_widths.py",
        (
            ok(
                "$$\\hat{u}_{j|i} = W_{ij}u_i$$\n- $u_i(i \\in [6 * 6 * 32])$： 表示PrimaryCaps的某个8D的Capsule\n$$s_j = \\sum_{i}c_{ij}\\hat{u}_{j|i}$$",
                says="capsule-width-words",
                u="8",
            ),
            refused(
                "PrimaryCaps 32 types × 8D capsules\n$$\\hat{u}_{j|i} = W_{ij} u_i, \\quad s_j = \\sum_i c_{ij} \\hat{u}_{j|i}$$",
                "capsule widths",
                at="8D",
            ),
        ),
    ),
    Rule(
        "statements.member-formula",
        "statements",
        (
            r"`\mathbf{v}_j = \frac{{\lVert \mathbf{s}_j \rVert}^2}{1 + {\lVert \mathbf{s}_j \rVert}^2} \frac{\mathbf{s}_j}{\lVert \mathbf{s}_j \rVert}` alone (labml's capsule squash): every value of the right side carries the left side's j",
            r"**j the index of a family** (`parse/member_formula.py`, `read/rules_member_formula.py`): the formula is written for one member and holds for each (one value per j, the shapes one member's; s_j input data); read as a label, the right side would hold no input, only learned values. Only where a norm shows the members are vectors (`\lVert \mathbf{s}_j \rVert`); a value without j beside them (`+ c`, `W s_j`), a parameter's letter with j (`W_j`) or no norm (`p_i = \exp(z_i)`: entries?) leaves it refused (`doubts`)",
        ),
        "read/rules_member_formula.py",
        (
            ok(
                r"\mathbf{v}_j = \frac{{\lVert \mathbf{s}_j \rVert}^2}{1 + {\lVert \mathbf{s}_j \rVert}^2} \frac{\mathbf{s}_j}{\lVert \mathbf{s}_j \rVert}",
                says="member-formula",
                kinds={"s": "input", "v": "output"},
                v="?",
                s="?",
            ),
            refused(r"v_j = \tanh(W s_j)", "nothing says what j is", at="s_j"),
        ),
    ),
    Rule(
        "sizes.capsule-layer-widths",
        "sizes",
        (
            r"an architecture listing \"PrimaryCaps 32 types × 8D capsules\" ↓ \"DigitCaps 10 capsules × 16D\" beside `\hat{u}_{j|i} = W_{ij} u_i`, `s_j = \sum_i c_{ij} \hat{u}_{j|i}` (a CapsNet README)",
            r"**the widths of the layers below and above** (`parse/capsule_layers.py`): the listing gives two capsule layers in the order the data flows (an arrow between them), and the routing equations say u_i is a capsule of the layer below (capsule i's prediction for j is made from u_i), the left side per j of the layer above: `u_i \in \mathbb{R}^{8}`, `v_j \in \mathbb{R}^{16}` (the first left side per j), quoted in the readings. One width alone, or no arrow, stays refused (`sizes.capsule-width-words`)",
        ),
        "parse/capsule_layers.py",
        (
            ok(
                "PrimaryCaps  32 types × 8D capsules\n  ↓\nDigitCaps    10 capsules × 16D\n$$\\hat{u}_{j|i} = W_{ij} u_i, \\quad s_j = \\sum_i c_{ij} \\hat{u}_{j|i}, \\quad c_{ij} = \\frac{\\exp(b_{ij})}{\\sum_k \\exp(b_{ik})}$$",
                says="capsule-layer-widths",
                u="8",
                s="16",
                W="16 x 8",
            ),
            refused(
                "PrimaryCaps  32 types × 8D capsules\nDigitCaps    10 capsules × 16D\n$$\\hat{u}_{j|i} = W_{ij} u_i, \\quad s_j = \\sum_i c_{ij} \\hat{u}_{j|i}$$",
                "capsule widths",
                at="8D",
            ),
        ),
    ),
    Rule(
        "statements.complementary-weights",
        "statements",
        (
            r"`L_k = T_k \max(0, m^+ - ||v_k||)^2 + \lambda(1-T_k)\max(0, ||v_k|| - m^-)^2` (the capsule margin loss): a loss whose terms are weighted by a value and by one minus it",
            r"**the label that picks the term** (`parse/complementary_weights.py`): `T_k` says which term applies (1 or 0, or a probability): target data; carrying the loss's own index (`L_k`), one number per member, `T_k \in \mathbb{R}` (not a capital letter's matrix); said in the readings. Without that index the letters decide (y in a loss: a target)",
        ),
        "parse/complementary_weights.py",
        (
            ok(
                "Loss for each output capsule or class $k$ is,\n$$L_k = T_k \\max(0, m^+ - ||v_k||)^2 + \\lambda(1-T_k)\\max(0, ||v_k|| - m^-)^2$$",
                says="complementary-weights",
                kinds={"T": "target", "v": "input"},
                T="",
                L="",
            ),
        ),
    ),
    Rule(
        "sizes.ffn-width-words",
        "sizes",
        (
            r"\"Number of dimensions in the hidden layer $d_{ff}$, is generally set to around four times that of the token embedding $d_{model}$ ... the expand-and-contract network\" beside `FFN(x, W_1, W_2, b_1, b_2) = \max(0, x W_1 + b_1) W_2 + b_2` (labml's FFN)",
            r"**the widths of a two-layer FFN** (`parse/ffn_widths.py`): the hidden layer's bias (inside the activation) `b_1 \in \mathbb{R}^{d_{ff}}`, the input (the token embedding) `x \in \mathbb{R}^{d_{model}}`, and where the words say it contracts back (or give the size of input and output) the outer bias `b_2 \in \mathbb{R}^{d_{model}}`; declarations read from the words, quoted in the readings. The hidden layer's size alone stays refused (`doubts`)",
        ),
        "parse/ffn_widths.py",
        (
            ok(
                "Number of dimensions in the hidden layer $d_{ff}$, is four times that of the token embedding $d_{model}$: an expand-and-contract network.\n\n$$FFN(x, W_1, W_2, b_1, b_2) = \\max(0, x W_1 + b_1) W_2 + b_2$$",
                says="ffn-width-words",
                kinds={"x": "input", "W_1": "parameter"},
                x="d_model",
                W_1="d_model x d_ff",
                W_2="d_ff x d_model",
                FFN="d_model",
            ),
            refused(
                "Number of dimensions in the hidden layer $d_{ff}$, four times that of the input $d_{model}$.\n\n$$FFN(x) = \\max(0, x W_1 + b_1) W_2 + b_2$$",
                r"d_{ff}",
                at=r"d_{ff}",
            ),
        ),
    ),
    Rule(
        "sizes.group-arrays-words",
        "sizes",
        (
            r"\"`groups`-many arrays $x_i$ each of shape `(channels/groups, ...)`, and for each one computes\" ... \"where $\gamma_i$, $\beta_i$ have shape `(channels/groups,)`\" (Equinox's GroupNorm)",
            r"**one group per i** (`parse/group_arrays.py`, `read/rules_group_arrays.py`): i the index of the groups (the shapes one group's; the display's output one per group), `\gamma_i, \beta_i \in \mathbb{R}^{C_g}` (C_g names channels/groups, one size), learned, one per group; x_i's further axes (`...`) are not read: its statistics are over an axis the source does not say (shapes and kinds; code refused by name). Without the words, the code tuple stays refused (`parse/shape_literals.py`)",
        ),
        "read/rules_group_arrays.py",
        (
            ok(
                "`groups`-many arrays $x_i$ each of shape `(channels/groups, ...)`, and for each one computes\n\n$$\\frac{x_i - \\mathbb{E}[x_i]}{\\sqrt{\\text{Var}[x_i] + \\varepsilon}} * \\gamma_i + \\beta_i$$\n\nwhere $\\gamma_i$, $\\beta_i$ have shape `(channels/groups,)`.",
                says="group-arrays-words",
                kinds={"gamma": "parameter", "beta": "parameter", "x": "input"},
                gamma="C_g",
                beta="C_g",
            ),
            refused(
                "Arrays $x_i$ each of shape `(channels/groups, ...)`, and for each one computes\n\n$$\\frac{x_i - \\mathbb{E}[x_i]}{\\sqrt{\\text{Var}[x_i] + \\varepsilon}} * \\gamma_i + \\beta_i$$\n\nwhere $\\gamma_i$, $\\beta_i$ have shape `(channels/groups,)`.",
                "code tuple",
                at="(channels/groups, ...)",
            ),
        ),
    ),
    Rule(
        "operators.pair-refusal-hints",
        "operators",
        (
            r"`e_{ij}`, `W_{ij}`, `a_{rb}` where the source does not say what the letters are: `norm_{ij}=\Sigma_{j\in N_{i}} \sigma(e_{ij})` (DGL), `z_j = \sum_i W_{ij} x_i` (a layer per neuron), `c_{ij} = \mathrm{softmax}(b_{ij})` beside `||s_j||` only, `W_r = \sum_{b=1}^B a_{rb} V_b` (R-GCN's bases), `\mathbf{a} = \text{softmax}(\mathbf{e})` beside `a_{i,j}`",
            r"refused at the two indices, the hint naming what is missing: `\Sigma` with a subscript that names no set (`\Sigma_{j}`) is a capital letter, not a sum (write `\sum_{j \in \mathcal{N}(i)}`: a value per edge; with `j \in S` under it, it is the sum: `operators.capital-sigma-sum`); a sum over a matrix's first index is `W^\top x` (write it so); a value per pair whose letters are not both shown to pick vectors (declare `u_i \in \mathbb{R}^{d}`: `operators.value-per-pair-capsules`); a sum over a family of matrices scaled per pair is not read; a value per pair written whole (the matrix of its values) is refused with the softmax written per pair",
        ),
        "read/rules_pair_hints.py",
        (
            refused(r"z_j = \sum_i W_{ij} x_i", r"two indices", at="ij"),
            refused(
                r"e_{ij} = a^\top [h_i, h_j], x_i = \Sigma_{j} e_{ij} W h_j",
                r"two indices",
                at="ij",
            ),
        ),
    ),
    Rule(
        "operators.sign-superscript",
        "operators",
        (
            r"`m^+`, `m^{-}` (the capsule margin loss's margins, Sabour et al. 2017)",
            r"refused at the sign: a label telling two values apart, the positive or negative part of the value (`\max(m, 0)`), or a matrix's pseudo-inverse (`A^+`); the hint gives the spellings that read (`m_{pos}`, `\max(m, 0)`)",
        ),
        "read/rules_sign_scripts.py",
        (
            refused(r"y = \max(0, m^{+} - x)", r"superscript", at="+"),
            ok(r"y = \max(0, m_{pos} - x) + \max(0, x - m_{neg}), x \in \mathbb{R}", y=""),
        ),
    ),
    Rule(
        "operators.row-times-transposed-row",
        "operators",
        (
            r"`x W y^\top`, `\mathbf{x}_i\mathbf{W}^q {\mathbf{W}^k}^\top\mathbf{x}_j^\top` (row vectors: Lil'Log's relative position score, Shaw et al. 2018)",
            r"a row times a matrix (`x W`, a lowercase letter before a capital) is a row; a vector written transposed after such a row is a column, and the product their **dot product**, a number (`e = x W y^\top`: e a number, W n x m). A column times a transposed vector with no matrix before it (`f c^\top`) stays the outer product",
        ),
        "shapes/rules_row_dot.py",
        (
            ok(r"e = x W y^\top, x \in \mathbb{R}^{3}, y \in \mathbb{R}^{4}", e="", W="3 x 4"),
            ok(
                r"e = x W V^\top y^\top, x \in \mathbb{R}^{n}, y \in \mathbb{R}^{m}",
                e="",
                V="m x d1",
            ),
        ),
    ),
    Rule(
        "operators.pair-vectors-said",
        "operators",
        (
            r"`e_{i,j} = \frac{q_j \cdot x_i}{\sqrt{D_x}}` ... \"The output vectors are finally calculated as ...:\" `y_j = \sum_{i} a_{i,j} x_i` (CS231n's attention notes: scores between positions i and j)",
            r"the subject of the sentence just before a display (\"The output vectors are ...:\") calls the value the display defines (`y_j`) vectors: j picks vectors of a set, not entries, which is the evidence `operators.value-per-pair-capsules` needs beside the sum `\sum_i` over a value per pair: `e_{i,j}`, `a_{i,j}` one number per pair of positions (einsum's reading of two indices), `y_j`, `x_i`, `q_j` one vector each. `D_x` under the root is the width of x (`sizes`: a size, not a learned scalar). Without such words (\"The outputs are\") the two indices stay refused",
        ),
        "read/rules_position_pairs.py",
        (
            ok(
                _ATT_CS % "column-wise",
                q="D_x",
                x="D_x",
                y="D_x",
                e="",
                a="",
            ),
            refused(
                (_ATT_CS % "column-wise").replace("output vectors are", "outputs are"),
                "entries with two indices",
                at="e_{i,j}",
            ),
        ),
    ),
    Rule(
        "operators.pair-matrix-whole",
        "operators",
        (
            r"`\mathbf{a} = \text{softmax}(\mathbf{e})` where `a_{i,j}`, `e_{i,j}` are values per pair elsewhere, and the prose says \"applying the softmax function column-wise\" (or row-wise)",
            r"the matrices of the values per pair written whole: read per pair, `a_{i,j} = softmax over i of e_{i,j}` for each j (**column-wise**: each column normalised, over the first letter; **row-wise** over the second); the values per pair are the matrices' entries, numbers. Where the prose names neither, refused at the matrix with the softmax written per pair as the hint",
        ),
        "read/rules_position_pairs.py",
        (
            ok(_ATT_CS % "row-wise", a="", e="", y="D_x"),
            refused(_ATT_CS % "", "written whole", at="a"),
        ),
    ),
    Rule(
        "operators.rows-by-convention",
        "operators",
        (
            r"`q k^\top` (also `\mathbf{q}_i {\mathbf{k}_j}^\top`) in a source that writes a lowercase vector before a matrix elsewhere (`q = x W`, `\mathbf{x}_i\mathbf{W}^q`: its vectors are rows), a chain's other sides included",
            r"the **dot product** of the rows q and k, a number (the two have one size); before this rule the row q was made of size 1 to fit the 1 x n row `k^\top`, a size the source never gives. In a source that writes `W x` (columns), `f c^\top` stays the outer product",
        ),
        "shapes/rules_row_dot.py",
        (
            ok("s = q k^\\top\nq = x W\nk = z V", s=""),
            ok("S = f c^\\top\nf = W x\nc = V z", S="d1 x d2"),
        ),
    ),
    Rule(
        "operators.product-left-to-right",
        "operators",
        (
            r"`(\mathbf{x}_i + \mathbf{p}_i)\mathbf{W}^q ((\mathbf{x}_j + \mathbf{p}_j)\mathbf{W}^k)^\top` (Lil'Log's relative position score): a matrix followed by a parenthesis with a superscript",
            r"the factors multiplied left to right, `[(x_i + p_i) W^q] [((x_j + p_j) W^k)^\top]`, not `W^q` applied to the parenthesis first; a sum of lowercase vectors before a matrix is a row (`(x + p) W`), and a row times a row transposed is their dot product, a number",
        ),
        "read/rules_row_chain.py",
        (
            ok(
                r"a = (x + p) W^q ((y + r) W^k)^\top, x, p, y, r \in \mathbb{R}^{d}",
                a="",
                W_q="d x d1",
                W_k="d x d1",
            ),
        ),
    ),
    Rule(
        "statements.residual-update-in-place",
        "statements",
        (
            r"`\text{FFN}(x) = \max(0, xW_1+b_1)W_2 + b_2` then `x = \text{LayerNorm}(x + \text{FFN}(x))` (UvA's Transformer tutorial: a residual block written over its input)",
            r"a program's line: the block's output (the left side, named with a breve, key `x_breve`, as wide as x) is computed from the input x, which replaces it; only where the right side is a residual connection (x a term of a sum, at the top or inside one function's one argument), the equation is the only one that defines or reads x (a function's own argument x aside) and x carries no step or index. `h = \tanh(W h + b)` stays refused (depends on itself)",
        ),
        "parse/residual_update.py",
        (
            ok(
                "x = \\mathrm{LayerNorm}(x + \\max(0, x W_1 + b_1) W_2 + b_2)\nx \\in \\mathbb{R}^{d}",
                x="d",
                x_breve="d",
                W_1="d x d1",
            ),
            refused(r"h = \tanh(W h + b)", "depends on itself", at="h"),
        ),
    ),
    Rule(
        "sizes.member-range",
        "sizes",
        (
            r"`W_{1...h}^{Q}\in\mathbb{R}^{D\times d_k}` (also `1,\dots,h`, `1, \ldots, h`, `1..h`) beside `\text{head}_i = \text{Attention}(QW_i^Q, ...)` and `\text{Concat}(\text{head}_1,...,\text{head}_h)` (UvA's Transformer tutorial)",
            r"every member W_1^Q, ..., W_h^Q of the family the head index i runs over: read as `W_i^Q`, so the declaration declares each (one D x d_k matrix per head). Only where the upper end is the count of a family of heads the source defines; any other range in a subscript is refused (cannot read the subscript)",
        ),
        "read/rules_member_range.py",
        (
            ok(
                "M = \\mathrm{Concat}(\\mathrm{head}_1, \\dots, \\mathrm{head}_h) W^O\n"
                "\\mathrm{head}_i = Q W_i^Q\n"
                "W_{1...h}^{Q} \\in \\mathbb{R}^{D \\times d_k}, Q \\in \\mathbb{R}^{n \\times D}",
                W_Q="D x d_k",
                head="n x d_k",
            ),
            refused(
                "y = W_{1...h} x\nW_{1...h} \\in \\mathbb{R}^{n \\times m}",
                "cannot read the subscript",
                at="1...h",
            ),
        ),
    ),
    Rule(
        "operators.max-i-body",
        "operators",
        (
            r"`\max_i body`, `\max_{i} body`, `\max_{i=1}^{n} body`, `\max_i (a_i + b_i)`; `\operatorname{logsumexp}_i body` (also `\mathrm{logsumexp}_i`)",
            r"the largest entry, and the log of the sum of the exponentials, over the entries i: read as `\sum_i` is (the body is the whole product after the operator; the result is one number). The log-sum-exp takes the largest entry m out first, `m + \log \sum_i \exp(a_i - m)` (`torch.logsumexp` in torch code), so large entries do not overflow. The maximum's gradient goes to the largest entry, **shared equally between tied entries** (as `torch.amax`, which torch code calls), printed `\frac{\mathbb{1}[a = y]}{\mathbf{1}_n^\top \mathbb{1}[a = y]}`; the log-sum-exp's is `\exp(a - y)`, the softmax. `\max(a, b)` (two values, no index) stays the elementwise maximum; a maximum over nodes or steps, and `\operatorname{logsumexp}(a)` without its index, are refused",
        ),
        "read/rules_reductions.py",
        (
            ok(
                r"m = \max_i (a_i + b_i), l = \operatorname{logsumexp}_i a_i, a \in \mathbb{R}^n",
                m="",
                l="",
                b="n",
            ),
        ),
    ),
    Rule(
        "sizes.x-in-mathbb-r-m",
        "sizes",
        (
            r"`x \in \mathbb{R}^{m}`, `\mathbb R^m`, `R^{m}`, `\mathbf{R}^m`",
            r"vector of size m",
        ),
        "shapes/sizes.py",
        (
            ok(
                r"y = W x + V z + U u, x \in \mathbb{R}^{m}, z \in \mathbb R^k, u \in R^{j}, y \in \mathbf{R}^n",
                W="n x m",
                V="n x k",
                U="n x j",
            ),
        ),
    ),
    Rule(
        "sizes.mathbb-r-m-times-n",
        "sizes",
        (
            r"`\mathbb{R}^{m \times n}`, `\mathbb R^{m, n}`, `R^{m x n}`, `R^{m*n}`",
            r"m by n matrix",
        ),
        "shapes/sizes.py",
        (
            ok(
                r"y = A x + B z + C u, A \in \mathbb{R}^{n \times m}, B \in \mathbb R^{n, k}, C \in R^{n x j}, x \in \mathbb{R}^m",
                z="k",
                u="j",
                y="n",
            ),
        ),
    ),
    Rule(
        "sizes.mathbb-r-m-times-1",
        "sizes",
        (
            r"`\mathbb{R}^{m \times 1}`, `m*1`",
            r"a column: the vector of size m",
        ),
        "shapes/sizes.py",
        (
            ok(
                r"y = W x, x \in \mathbb{R}^{m \times 1}, y \in \mathbb{R}^{n \times 1}",
                x="m",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "sizes.mathbb-r",
        "sizes",
        (
            r"`\mathbb{R}`, `\mathbb{R}^{1x1}`, `\mathbb{R}^{1}`",
            r"scalar",
        ),
        "shapes/sizes.py",
        (
            ok(
                r"y = a x + b, a \in \mathbb{R}, b \in \mathbb{R}^{1}, x \in \mathbb{R}^n",
                a="",
                b="",
            ),
        ),
    ),
    Rule(
        "sizes.n-m",
        "sizes",
        (
            r"sizes `n + m`, `2n`, `n - 1`, `D_x`, `d_{k}`, `F'`, `|V|`",
            "linear expressions of size names (`F'` and `|V|` are names of their own: `--dims \"F'=8\"`)",
        ),
        "shapes/sizes.py",
        (
            ok(
                r"f = \sigma(W [h, x]), h \in \mathbb{R}^n, x \in \mathbb{R}^m, f \in \mathbb{R}^{n}",
                W="n x m + n",
            ),
            ok(r"y = W x, x \in \mathbb{R}^{2n}, y \in \mathbb{R}^{d_{k}}", W="d_k x 2*n"),
        ),
    ),
    Rule(
        "operators.transposed-row",
        "operators",
        (
            r"`\mathbf{a}^{\top} \mathrm{LeakyReLU}(\dots)`, `\mathbf{a}^{\top}_{s} \mathbf{\Theta}_{s}\mathbf{x}_i` (PyG's GATConv, GATv2Conv), `a^{\top} W x`",
            r"**a transposed lowercase letter is a row** (`shapes/rules_rows.py`): a lowercase letter is by convention a vector; written transposed, while nothing else gives it a shape, it is that vector's row (1 x n), so `a^T v` is a number and `a^T W x` the row `a^T W` times x (a number), never `a` made an n x 1 matrix nor `a^T W` a column multiplied elementwise by x. A declared or computed `a` keeps its shape",
        ),
        "shapes/rules_rows.py",
        (
            ok(r"e = a^{\top} W x, x \in \mathbb{R}^{n}", says="transposed", e="", a="?"),
            ok(
                r"\alpha_{i,j} = \frac{\exp(\mathbf{a}^{\top}\mathrm{LeakyReLU}(\mathbf{W}_s \mathbf{x}_i + \mathbf{W}_t \mathbf{x}_j))}{\sum_{k \in \mathcal{N}(i)} \exp(\mathbf{a}^{\top}\mathrm{LeakyReLU}(\mathbf{W}_s \mathbf{x}_i + \mathbf{W}_t \mathbf{x}_k))}, \mathbf{x}'_i = \sum_{j \in \mathcal{N}(i)} \alpha_{i,j} \mathbf{W}_t \mathbf{x}_j, \mathbf{x}_j \in \mathbb{R}^F, \mathbf{x}'_i \in \mathbb{R}^{G}",
                a="G",
                alpha="",
                W_s="G x F",
            ),
        ),
    ),
    Rule(
        "functions.row-map",
        "functions",
        (
            r"`\mathbf{X}^{\prime} = h_{\mathbf{\Theta}}((\mathbf{A} + (1 + \epsilon) \cdot \mathbf{I}) \cdot \mathbf{X})` with `X \in R^{N \times F}`, `X' \in R^{N \times H}` (PyG's GINConv: h an MLP applied to every node's row)",
            r"**a learnable function of a matrix applied to each row** (`shapes/rules_row_map.py`): a function defined nowhere takes a vector; given one matrix whose rows the declared result keeps while its columns change (N x F to N x H), it maps each row's F features to H with one affine map shared by the rows (as `torch.nn.Linear` on an N x F tensor). Refused where the result is not declared, keeps the columns instead, or keeps both (which axis?)",
        ),
        "shapes/rules_row_map.py",
        (
            ok(
                r"Y = h(X), X \in \mathbb{R}^{N \times F}, Y \in \mathbb{R}^{N \times H}",
                says="applied to each row",
                Y="N x H",
            ),
            refused(
                r"Y = h(X), X \in \mathbb{R}^{N \times F}, Y \in \mathbb{R}^{N \times F}",
                "a learnable function takes vectors",
                at="X",
            ),
        ),
    ),
    Rule(
        "operators.entry-squares",
        "operators",
        (
            r"`R(W) = \sum_k\sum_l W_{k,l}^2` (CS231n's L2 regularization), `\sum_{i,j} (A_{ij} - B_{ij})^2`",
            r"**the squared Frobenius norm** (`read/rules_entry_squares.py`): two sums without bounds over both indices of the entries, of a square that uses the indices only in those entries, run over every entry: `\|W\|_F^2`, `\|A - B\|_F^2`. Sums with bounds, an index used elsewhere, or a body that is not a square are not read so",
        ),
        "read/rules_entry_squares.py",
        (
            ok(
                r"R = \sum_k\sum_l W_{k,l}^2, W \in \mathbb{R}^{K \times D}",
                says="squared Frobenius norm",
                R="",
                W="K x D",
            ),
            ok(
                r"R = \sum_{i,j} (A_{ij} - B_{ij})^2, A \in \mathbb{R}^{n \times m}, B \in \mathbb{R}^{n \times m}",
                says="squared Frobenius norm",
                R="",
            ),
            refused(
                r"R = \sum_{k=1}^{K}\sum_{l=1}^{D} W_{k,l}^2, W \in \mathbb{R}^{K \times D}",
                "two indices",
                at="W_{k,l}",
            ),
        ),
    ),
    Rule(
        "conventions.self-loops",
        "conventions",
        (
            r"**A plus a multiple of the identity, before a value, is a graph's adjacency with self-loops** (`read/rules_self_loops.py`): A (the adjacency's letter, defined by no equation) is data, an input drawn with nonnegative weights by `check`, not a learned parameter. Another letter (`(W + I) X`, a weight plus a skip), or a vector after the sum (a state space's `(A + I) x`), stays a parameter",
            r"`(\mathbf{A} + (1 + \epsilon) \cdot \mathbf{I}) \cdot \mathbf{X}` (GINConv's matrix form), `(A + I) X W`: A an input",
            r"`% papermath: A is parameter`",
        ),
        "read/rules_self_loops.py",
        (
            ok(
                r"Y = (A + (1 + \epsilon) \cdot I) X W, X \in \mathbb{R}^{N \times F}, W \in \mathbb{R}^{F \times H}",
                says="adjacency",
                kinds={"A": "input", "W": "parameter"},
                A="N x N",
            ),
            ok(
                r"Y = (W + I) X, X \in \mathbb{R}^{N \times F}",
                kinds={"W": "parameter"},
            ),
            ok(r"y = (A + I) x, x \in \mathbb{R}^{n}", kinds={"A": "parameter"}),
        ),
    ),
    Rule(
        "operators.degree-normalised-propagation",
        "operators",
        (
            r"`H^{(l+1)} = \tilde{D}^{-1/2} \tilde{A} \tilde{D}^{-1/2} H^{(l)}` (DGL's APPNPConv, GCN2Conv: a layer recurrence of node features), `H_t = A H_{t-1}` with A N x N",
            r"**a matrix product** (`shapes/rules_propagation.py`): the degree-normalised adjacency before node values propagates them along the edges. A product that fits only elementwise because the open side would otherwise need a size of its own (a state H made N x N to match A) is not decided by that: the shapes leave it open, and a convention (a capital letter, the normalised adjacency) or a declaration decides; written with `\odot` it is the elementwise product",
        ),
        "shapes/rules_propagation.py",
        (
            ok(
                r"H^{(l+1)} = \tilde{D}^{-1/2} \tilde{A} \tilde{D}^{-1/2} H^{(l)}, \tilde{A} \in \mathbb{R}^{N \times N}",
                says="degree-normalised adjacency",
                H="N x ?",
            ),
            ok(r"H_t = A H_{t-1}, A \in \mathbb{R}^{N \times N}", says="capital letter", H="N x ?"),
            ok(r"H_t = A \odot H_{t-1}, A \in \mathbb{R}^{N \times N}", H="N x N"),
        ),
    ),
    Rule(
        "operators.degree-inverse",
        "operators",
        (
            r"`h^{(k)} = D^{-1} A \cdot h^{(k - 1)} {W^{(k)}}^T + h^{(k - 1)} {B^{(k)}}^T` (Distill's GCN as a sparse product), `\tilde{D}^{-1} \tilde{A}`: D defined nowhere",
            r"**the inverse of A's degree matrix times A** (`read/rules_degree_inverse.py`): GCN's convention (as `operators.degree-normalisation`): the letter D with A's decorations just before the letter A is A's degree matrix, diagonal, its row sums on the diagonal, square as A; `D^{-1} A` is A with row i divided by d_i (the mean over the neighbours); A is a graph's adjacency (an input). Code: D built from A's row sums and inverted (existing primitives). Only where every use of D is that one; `D^{-1} M` (another letter) stays refused, and its hint says to define D's degrees or write it beside A",
        ),
        "read/rules_degree_inverse.py",
        (
            ok(
                r"y = D^{-1} A x, x \in \mathbb{R}^{n}",
                says="inverse degree matrix",
                kinds={"A": "input", "D": "intermediate"},
                D="n x n",
            ),
            refused(r"y = D^{-1} M x", "inverse needs a square matrix", at=r"D^{-1}"),
        ),
    ),
    Rule(
        "conventions.weight-written-alike",
        "conventions",
        (
            r"`h^{(k-1)} {W^{(k)}}^T + h^{(k-1)} {B^{(k)}}^T` (Distill's GCN: the neighbours through W^{(k)}, the node itself through B^{(k)}), `W^{(k)} m + B^{(k)} h`",
            r"**a weight per step** (`read/rules_parallel_weights.py`): a capital letter one per step (not X, not I), defined nowhere, written where a weight letter (W, U, V, \Theta) is in another term of the same sum (the last factor, or the first, of a matrix product, with the same step, both transposed or neither) is a learned weight per step as that one is, not data given at each step (the letter convention for a step-indexed symbol); said in the readings. Written elsewhere, the letter conventions stand",
            r"`% papermath: B is input`",
        ),
        "read/rules_parallel_weights.py",
        (
            ok(
                r"h^{(k)} = h^{(k-1)} {W^{(k)}}^T + h^{(k-1)} {B^{(k)}}^T, h^{(k)} \in \mathbb{R}^{n \times d}",
                says="written where the weight",
                kinds={"B": "parameter", "W": "parameter"},
                B="d x d",
            ),
            ok(r"x_t = F_t x_{t-1} + u_t, x_t \in \mathbb{R}^{n}", kinds={"F": "input"}),
        ),
    ),
    Rule(
        "operators.order-value-after-the-sum",
        "operators",
        (
            r"`\X' = \sum \limits_{k=0}^{K - 1} \T^{(k)} \W^{(k)}  + \b^{(k)}` (Spektral's ChebConv: b carries the order k after the sum's body ended)",
            r"**read inside the sum for its shapes** (`read/rules_order_bias.py`): after a sum over the orders of a recursion (`operators.recursion-over-orders`), a last term carrying the sum's k in parentheses is one per order, added to each term, or one value added once (the k a slip): the same shapes and kinds either way, so shapes, kinds, explain and diagrams are read (inside the sum, the only place k is bound) and `code` refuses at it, asking for the parentheses; said in the readings. A value carrying k elsewhere outside the sum stays refused",
        ),
        "read/rules_order_bias.py",
        (
            ok(
                r"X' = \sum_{k=1}^{K} Z^{(k)} \Theta^{(k)} + b^{(k)}, Z^{(1)} = X, Z^{(2)} = L X, Z^{(k)} = 2 L Z^{(k-1)} - Z^{(k-2)}, X \in \mathbb{R}^{N \times F}",
                says="read inside the sum over k",
                b="?",
                X_prime="N x ?",
            ),
        ),
    ),
    Rule(
        "functions.learned-first-rows",
        "functions",
        (
            r"`\Z^{(0)} = \textrm{MLP}(\X); \Z^{(K)} = (1 - \alpha) \hat \D^{-1/2} \hat \A \hat \D^{-1/2} \Z^{(K - 1)} + \alpha \Z^{(0)}` (Spektral's APPNPConv), nothing declared",
            r"**the function applied to each row** (`read/rules_row_states.py`, `shapes/rules_row_states.py`): X and Z capital letters (matrices by convention), Z multiplied on its left by a matrix (its rows the nodes that matrix mixes), so MLP maps each row of X (N x F) to a row of Z (N x F'), one map shared by the rows. Lowercase letters (vectors), or nothing multiplying Z on its left: refused as before (x one vector or one row per node?), the hint saying which declarations read it",
        ),
        "read/rules_row_states.py",
        (
            ok(
                r"Z^{(0)} = \mathrm{MLP}(X), Z^{(k)} = \hat{A} Z^{(k-1)}",
                says="each row",
            ),
            refused(
                r"z^{(0)} = \mathrm{MLP}(x), z^{(k)} = \hat{A} z^{(k-1)}",
                "learnable function",
                at=r"\mathrm{MLP}(x)",
            ),
        ),
    ),
    Rule(
        "operators.bare-step-on-the-left",
        "operators",
        (
            r"`H^{l+1} = \dots H^{l} \dots` (DGL's APPNPConv, ChebConv, GatedGCNConv: the layer written up, no parentheses)",
            r"**the step l+1** (`read/rules_bare_steps.py`): a letter plus or minus a number as the superscript of a left side is the step, as `^{(l+1)}` (a value is not defined raised to a power); `^{l}` on the right sides is then step l. Said in the readings. On a right side alone (`\beta^{t+1}`) it is refused as before",
        ),
        "read/rules_bare_steps.py",
        (
            ok(
                r"h_i^{l+1} = \sigma(W h_i^{l}), h_i^{l} \in \mathbb{R}^{d}",
                says="step on the left side",
                W="d x d",
            ),
            refused(r"y = \beta^{t+1} x, x \in \mathbb{R}^{n}", "superscript", at="t+1"),
        ),
    ),
    Rule(
        "operators.neighbour-mean",
        "operators",
        (
            r"`\mathrm{mean}_{j \in \mathcal{N}(i)} \mathbf{x}_j` (PyG's SAGEConv; also `\operatorname{mean}`)",
            r"**the mean over i's neighbours** (`read/rules_neighbour_mean.py`): their sum divided by their number, `\frac{\sum_{j \in \mathcal{N}(i)} x_j}{\max(|\mathcal{N}(i)|, 1)}`: a node with no neighbours gets 0 (the mean aggregators of PyG and DGL), said in the readings. The body is the product that follows, up to the next `+` or `-` (as a sum's); `W \cdot \mathrm{mean}_{j} x_j` is W times the mean",
        ),
        "read/rules_neighbour_mean.py",
        (
            ok(
                r"x'_i = W_1 x_i + W_2 \cdot \mathrm{mean}_{j \in \mathcal{N}(i)} x_j, x_i \in \mathbb{R}^{F}, x'_i \in \mathbb{R}^{G}",
                says="mean over the neighbours",
                W_2="G x F",
            ),
        ),
    ),
    Rule(
        "operators.neighbour-max",
        "operators",
        (
            r"`\max_{j \in \mathcal{N}(i)} (\Theta \cdot (h_j - h_i) + \Phi \cdot h_i)` (EdgeConv, DGL's docstring; max-pooling aggregators)",
            r"**the largest value over i's neighbours** (`read/rules_neighbour_max.py`), entry by entry: the body is one value per edge j -> i (h_j the source's, h_i the target's), as a sum over neighbours' body is, and a segment max along the edge list (`edge_max`) takes the largest per node; a node no edge enters gets 0 (DGL's and PyG's max aggregations), said in the readings. Refused: a max along edges of one type, outgoing edges, or over `\mathcal{N}(i) \cup \{i\}`",
        ),
        "read/rules_neighbour_max.py",
        (
            ok(
                r"h'_i = \max_{j \in \mathcal{N}(i)} (\Theta \cdot (h_j - h_i) + \Phi \cdot h_i), h_i \in \mathbb{R}^{d}, h'_i \in \mathbb{R}^{d}",
                says="max over the neighbours",
                Theta="d x d",
            ),
            ok(
                r"h'_i = \max_{j \in \mathcal{N}(i)} W h_j, h_i \in \mathbb{R}^{d}, h'_i \in \mathbb{R}^{e}",
                says="max over the neighbours",
                W="e x d",
            ),
            refused(
                r"h'_i = \max_{j \in \mathcal{N}^{out}(i)} W h_j, h_i \in \mathbb{R}^{d}",
                "along the edges into a node only",
                at=r"\max_{j \in \mathcal{N}^{out}(i)}",
            ),
        ),
    ),
    Rule(
        "operators.dotted-sum-of-terms",
        "operators",
        (
            r"`w_{1}p_{1}(\xi)+\cdots+w_{n}p_{n}(\xi)` (Distill's momentum article), `z = w_1 x_1 + \cdots + w_n x_n + b` (linear-model notes), `a_1 + a_2 + \dots + a_n`: a sum written out, its first (and second) term, dots, its last",
            r"**the sum** `\sum_{i=1}^{n}` of the pattern at i (`read/rules_dotted_terms.py`): the terms the same but for subscripts, the first value 1 (or 0) in the first term, the next in the second, one letter n in the last and nowhere else in it; the index the first of i, j, k, m the statement does not use; the sum then read as any sum (0..n refused as n + 1 terms). Terms before or after the run stay as written. Refused at the dots: any other dots between terms (`a_1 + \cdots + b_n`, `a_1 + \cdots + a_{n-1}`, `a_2 + \cdots + a_n`, `a_1 + a_3 + \dots + a_n`)",
        ),
        "read/rules_dotted_terms.py",
        (
            ok(
                r"y = w_{1}x_{1} + \cdots + w_{n}x_{n}, w \in \mathbb{R}^{n}, x \in \mathbb{R}^{n}",
                says="the sum over i = 1..n",
                y="",
                x="n",
            ),
            ok(
                r"z = w_1 x_1 + w_2 x_2 + \cdots + w_n x_n + b, x \in \mathbb{R}^{n}",
                says="the sum over i = 1..n",
                z="",
                w="n",
            ),
            refused(
                r"s = a_1 + \cdots + b_n, a \in \mathbb{R}^{n}, b \in \mathbb{R}^{n}",
                "as a value",
                at="\\cdots",
            ),
        ),
    ),
    Rule(
        "operators.sum-of-powers",
        "operators",
        (
            r"`H^{K} = \sum_{k=0}^{K} (D^{-1/2} A D^{-1/2})^{k} X \Theta_k` (TAGConv, DGL's docstring: one hop per order, one weight per hop)",
            r"**a sum over the orders k** (`read/rules_orders.py`): k written up only as the whole exponent of a parenthesized square matrix is an order, not an entry: 0..K is K+1 orders (0..K-1 and 1..K are K); the k-th power is the matrix multiplied by itself k times (the 0-th the identity), `\Theta_k` one per order (stored stacked), the sum unrolled in code (K in dims). `H^{K}` on the left, K the sum's upper limit, is H (K names the sum's extent). A number's powers read alike (`\beta^{k}`, a lowercase Greek letter, a number by convention: a geometric series; the 0-th power 1; also with the order shifted by a whole number, `\beta^{k-1}` from k = 1, never to a negative power at the first order), and so does `L^{k}` without parentheses where the source writes L to a number in a right side elsewhere (`L^2`: a power, not a label; the reading quotes it), and `T_i(X)` where the prose says '$T_i$ is the degree-$i$ Chebyshev polynomial' (the order i with no power written: T_0 = I, T_1 = X, T_i = 2 X T_{i-1} - T_{i-2}, generated so). Refused: `A^{k}` without parentheses and no power of A elsewhere, `W^{k,l}`, a Chebyshev recursion `Z^{(k)}`, `(a)^{k}` of a declared number, a value carrying k beside a number's powers only (`\gamma^k r_k`: the k-th entry, or one per order?), unless the source says it is a number (`r \in \mathbb{R}`, or a polynomial's coefficients: statements.order-coefficients) or it is a function the source defines per order (`p_{i}(\xi) = \xi^{i-1}`)",
        ),
        "read/rules_orders.py",
        (
            ok(
                r"H = \sum_{k=0}^{K} (D^{-1/2} A D^{-1/2})^{k} X \Theta_k, X \in \mathbb{R}^{N \times F}, H \in \mathbb{R}^{N \times G}",
                says="sum over the orders",
                Theta="F x G",
                A="N x N",
            ),
            ok(
                r"Y = \sum_{k=1}^{K} (S)^{k} X W_k, S \in \mathbb{R}^{N \times N}, X \in \mathbb{R}^{N \times F}, Y \in \mathbb{R}^{N \times G}",
                says="sum over the orders",
                W="F x G",
            ),
            ok(
                r"s = \sum_{i=0}^{K-1} \beta^i",
                says="sum over the orders",
                s="",
            ),
            ok(
                r"s = \sum_{k=1}^{K} (1 - \beta) \beta^{k-1}",
                says="sum over the orders",
                s="",
            ),
            ok(
                r"H = \sum_{k=0}^{K} \beta^k \cdot (S)^{k} X \Theta_k, S \in \mathbb{R}^{N \times N}, X \in \mathbb{R}^{N \times F}, H \in \mathbb{R}^{N \times G}",
                says="sum over the orders",
                Theta="F x G",
            ),
            refused(
                r"y = \sum_{k=0}^{K} (a)^{k}, a \in \mathbb{R}",
                "square matrix only",
                at=r"(a)^{k}",
            ),
            ok(
                "$T_i$ is the degree-$i$ Chebyshev polynomial: $$P = \\sum_{i=0}^{K} \\theta_i T_i(L), L \\in \\mathbb{R}^{n \\times n}$$",
                says="sum over the orders",
                P="n x n",
                theta="",
            ),
            refused(
                r"G = \sum_{k=0}^{K} \gamma^k r_k",
                "index as a number",
                at="r_k",
            ),
            refused(
                r"H = \sum_{k=0}^{K-1} A^{k} X \Theta_k",
                "counts orders or powers",
                at="k=0",
            ),
        ),
    ),
    Rule(
        "operators.calligraphic-call",
        "operators",
        (
            r"`\mathcal{N(i)}` (the node's parenthesis inside the font's braces: PyG's SAGEConv docstring)",
            r"`\mathcal{N}(i)`, the neighbours of i (`read/rules_brace_typos.py`): the font changes the letter N only, and a node letter in a calligraphic font means nothing else; said in the readings. Only N with one letter as its argument",
        ),
        "read/rules_brace_typos.py",
        (
            ok(
                r"h'_i = \sum_{j \in \mathcal{N(i)}} W h_j, h_j \in \mathbb{R}^{d}",
                says="brace typo",
                W="? x d",
            ),
        ),
    ),
    Rule(
        "conventions.greek-weight-matrices",
        "conventions",
        (
            r"a capital Greek weight letter (`\Theta`, `\Phi`, `\Psi`, `\Omega`) multiplying a vector or matrix is a matrix, as a capital Latin weight letter is (`shapes/rules_greek_weights.py`)",
            r"PyG's `\alpha_{i,j}\mathbf{\Theta}_t\mathbf{x}_j`, GCNConv's `\mathbf{X} \mathbf{\Theta}`: a matrix of free size",
            r"declare it: `\mathbf{\Theta}_t \in \mathbb{R}`",
        ),
        "shapes/rules_greek_weights.py",
        (
            ok(
                r"x'_i = \sum_{j \in \mathcal{N}(i)} \alpha_{i,j} \Theta x_j, \alpha_{i,j} = \exp(a^{\top} \mathrm{LeakyReLU}(\Theta x_i + \Theta x_j))",
                Theta="d1 x d2",
                x="d2",
            ),
            ok(
                r"x'_i = \sum_{j \in \mathcal{N}(i)} \alpha_{i,j} \Theta x_j, \alpha_{i,j} = \exp(a^{\top} \mathrm{LeakyReLU}(\Theta x_i + \Theta x_j)), \Theta \in \mathbb{R}^{G \times F}",
                Theta="G x F",
                x="F",
            ),
        ),
    ),
    Rule(
        "conventions.a-capital-letter-multiplying",
        "conventions",
        (
            r"a capital letter multiplying a vector or matrix is a matrix",
            r"Elman's `W_{hh} h_{t-1}`: `n x n` (it could be a scalar)",
            r"declare it: `W_{hh} \in \mathbb{R}`",
        ),
        "shapes/infer.py",
        (
            ok(
                r"h_t = \tanh(W_{hh} h_{t-1}), h_t \in \mathbb{R}^n",
                says=r"convention",
                W_hh="n x n",
            ),
        ),
    ),
    Rule(
        "conventions.a-lowercase-letter-alone-or",
        "conventions",
        (
            r"a lowercase letter (alone, or scaled by a scalar) before a capital letter is a row vector times a matrix",
            r"DGL's GraphConv `\frac{1}{c_{ji}} h_j^{(l)} W^{(l)}`: h a vector, `W` `d x d` (not h a matrix made up to multiply W)",
            r"declare it: `h_j \in \mathbb{R}^{1 \times d}`",
        ),
        "shapes/infer.py",
        (
            ok(
                r"h_i' = \sum_{j \in \mathcal{N}(i)} \frac{1}{c_{ji}} h_j W, h_i' \in \mathbb{R}^{d}",
                says=r"row vector",
                W="? x d",
            ),
        ),
    ),
    Rule(
        "conventions.a-lowercase-greek-letter-is",
        "conventions",
        (
            r"a lowercase Greek letter is a scalar",
            r"`\alpha h_{t-1}`; layer norm's `x - \mu`",
            r"declare it: `\mu \in \mathbb{R}^{d}`",
        ),
        "shapes/infer.py",
        (ok(r"y = \alpha h + (x - \mu), h \in \mathbb{R}^n, x \in \mathbb{R}^n", alpha="", mu=""),),
    ),
    Rule(
        "conventions.an-undeclared-unconstrained",
        "conventions",
        (
            r"an undeclared, unconstrained lowercase Latin symbol is a vector; a capital one a matrix",
            r"`y = x_1 \circ x_2` with nothing declared",
            r"declare it",
        ),
        "shapes/infer.py",
        (ok(r"y = x_1 \circ x_2", y="?"),),
    ),
    Rule(
        "conventions.x-t",
        "conventions",
        (
            r"undefined symbols indexed by a step or node (`x_t`, `x_v`, `h_v^{(T)}`) are **inputs**; unindexed ones (`W_f`, `b_f`) are **parameters** shared across steps and nodes; `x` / `X` is an input; an undefined symbol added to or subtracted from something in a scalar equation (`\|y - y_{out}\|^2`) is a **target**",
            r"",
            r"`% papermath: W is input`",
        ),
        "shapes/infer.py",
        (
            ok(
                "h_t = \\tanh(W_f h_{t-1} + x_t)\nh_t \\in \\mathbb{R}^n",
                kinds={"x": "input", "W_f": "parameter"},
            ),
            ok(r"L = \|y - W x\|^2, x \in \mathbb{R}^m, y \in \mathbb{R}^k", kinds={"y": "target"}),
        ),
    ),
    Rule(
        "conventions.defined-symbols-read-at-step",
        "conventions",
        (
            r"defined symbols read at step t-1 are **state**; defined symbols used elsewhere are intermediates, the rest outputs",
            r"",
            r"",
        ),
        "shapes/infer.py",
        (
            ok(
                "h_t = \\tanh(W h_{t-1} + U x_t), y_t = V h_t, y_t \\in \\mathbb{R}^k\nx_t \\in \\mathbb{R}^m, h_t \\in \\mathbb{R}^n",
                kinds={"h": "state", "y": "output"},
            ),
        ),
    ),
    Rule(
        "conventions.added-data",
        "conventions",
        (
            r"a function written with its arguments whose body multiplies by no weight of its own: a symbol it only adds (never multiplies, and not a weight letter `W`, `b`, ...) is **data** given with the arguments, an input",
            r"the causal mask `M` of `\mathrm{Attention}(Q, K, V) = \mathrm{softmax}(QK^\top / \sqrt{d_k} + M) V`; `f(x) = x + b` keeps `b` a parameter",
            r"`% papermath: M is parameter`",
        ),
        "read/rules_roles.py",
        (
            ok(
                r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}(Q K^\top / \sqrt{d_k} + M) V, Q \in \mathbb{R}^{n \times d_k}, K \in \mathbb{R}^{n \times d_k}, V \in \mathbb{R}^{n \times d_v}",
                kinds={"M": "input"},
            ),
        ),
    ),
    Rule(
        "disagreements.f-t-c-t-1",
        "disagreements",
        (
            r"`f_t c_{t-1}` (two vectors side by side)",
            r"Hadamard (Graves)",
            r"outer product (some linear-algebra texts)",
            r"Hadamard",
            r"write `c_{t-1}^T` for an outer product's row",
        ),
        "shapes/infer.py",
        (ok(r"c_t = f_t c_{t-1}, c_t \in \mathbb{R}^n, f_t \in \mathbb{R}^n", says=r"Hadamard"),),
    ),
    Rule(
        "disagreements.a-cdot-b",
        "disagreements",
        (
            r"`a \cdot b` (two vectors)",
            r"dot product",
            r"Hadamard (some ML blogs)",
            r"dot product",
            r"write `\odot`",
        ),
        "shapes/infer.py",
        (ok(r"s = a \cdot b, a \in \mathbb{R}^n, b \in \mathbb{R}^n", says=r"dot product", s=""),),
    ),
    Rule(
        "disagreements.otimes",
        "disagreements",
        (
            r"`\otimes`",
            r"Kronecker / outer",
            r"Hadamard (some RNN papers)",
            r"error",
            r"`% papermath: otimes is hadamard`",
        ),
        "shapes/infer.py",
        (refused(r"y = a \otimes b, a \in \mathbb{R}^n, b \in \mathbb{R}^n", r"otimes"),),
    ),
    Rule(
        "disagreements.w-t",
        "disagreements",
        (
            r"`W^T`",
            r"transpose",
            r"step T",
            r"transpose",
            r"write a step in parentheses: `W^{(T)}`",
        ),
        "shapes/infer.py",
        (ok(r"y = W^T x, x \in \mathbb{R}^n, y \in \mathbb{R}^m", says=r"transpose", W="n x m"),),
    ),
    Rule(
        "disagreements.w-z",
        "disagreements",
        (
            r"`W^z`",
            r"label (`W_z`)",
            r"power",
            r"label",
            r"write `W^{2}` with a number for a power",
        ),
        "shapes/infer.py",
        (ok(r"z = \sigma(W^z x), x \in \mathbb{R}^m, z \in \mathbb{R}^n", W_z="n x m"),),
    ),
    Rule(
        "disagreements.w-0",
        "disagreements",
        (
            r"`W^{(0)}`, `W^{(1)}`, `W^{[1]}` (a number in parentheses or brackets)",
            r"the matrix of layer 0, 1 (Kipf & Welling's two-layer GCN, Ng's course notes)",
            r"a value at step 0",
            r"label (`W_0`, `W_1`), where the symbol is never written with a step (`W^{(l)}`, `h_{t-1}^{(2)}`); beside a step it is refused",
            r"write `W_1` for a label",
        ),
        "shapes/infer.py",
        (
            ok(
                r"H = \mathrm{ReLU}(A X W^{(0)}), Z = A H W^{(1)}, X \in \mathbb{R}^{N \times C}, H \in \mathbb{R}^{N \times H_1}, Z \in \mathbb{R}^{N \times F}",
                W_0="C x H_1",
                W_1="H_1 x F",
            ),
        ),
    ),
    Rule(
        "disagreements.w-ci-c-t-1",
        "disagreements",
        (
            r"peephole `W_{ci} c_{t-1}`",
            r"diagonal matrix (Graves)",
            r"full matrix",
            r"full `n x n` matrix",
            r"write `w_{ci} \odot c_{t-1}` with a vector",
        ),
        "shapes/infer.py",
        (
            ok(
                r"i_t = \sigma(W_{xi} x_t + W_{ci} c_{t-1}), c_t = i_t \odot \tanh(W_{xc} x_t), x_t \in \mathbb{R}^m, c_t \in \mathbb{R}^n",
                W_ci="n x n",
            ),
        ),
    ),
    Rule(
        "disagreements.w-x-b",
        "disagreements",
        (
            r"`W (x + b)`",
            r"product",
            r"learnable function `W`",
            r"product when `W` is a value or capital",
            r"use two arguments for a function, or declare `W`",
        ),
        "shapes/infer.py",
        (
            ok(
                r"y = W (x + b), x \in \mathbb{R}^m, y \in \mathbb{R}^n",
                says=r"matrix product",
                W="n x m",
            ),
        ),
    ),
    # ---- brief RP (issue 24): parse-level constructs (tests/test_parse_constructs.py) ----
    Rule(
        "presentation.site-macros",
        "presentation",
        (
            r"`\X`, `\W`, `\x` where a documentation site's MathJax configuration defines them (Spektral: every letter `\X` is `{\mathbf X}`); `\vect{D}`, `\matr{W}`, `\vx` on NYU's Deep Learning course site (the KaTeX `\gdef` lines of its page layout, copied in `parse/nyu_macros.py`: `\vect #1 {\boldsymbol{#1}}`)",
            r"expanded as the site defines them, only when the site is named: a line `% macros: spektral` (`% macros: nyu-dlsp20`), a case file's `[options] macros` or its `origin` on the site (what a user pasting from the site says with `--macros`), or `--macros NAME|FILE`; a reading says which set and why; otherwise refused, with the `\newcommand` to write",
        ),
        "parse/sitemacros.py",
        (
            ok(
                "% macros: nyu-dlsp20\n\\vect{h} = \\tanh(\\matr{W} \\vect{x}), \\vect{x} \\in \\R^{n}",
                says="site-macros: nyu-dlsp20",
                W="? x n",
            ),
            ok(
                "% macros: spektral\n\\h = \\sigma(\\W \\x + \\b), \\x \\in \\mathbb{R}^{F}, \\W \\in \\mathbb{R}^{H \\times F}",
                says="site-macros: spektral",
                W="H x F",
                h="H",
            ),
            refused(
                "\\h = \\sigma(\\W \\x + \\b), \\x \\in \\mathbb{R}^{F}",
                "unknown command",
                at="\\h",
            ),
        ),
    ),
    Rule(
        "presentation.dlbook-macros",
        "presentation",
        (
            r"`\Va^{(t)} = \Vb + \MW \Vh^{(t-1)} + \MU \Vx^{(t)}`, `\Vtheta`, `\SetR`, `\norm{\Vx}`: the Deep Learning book's notation (Goodfellow, Bengio and Courville), the macros its Chinese edition's preamble `math_symbol.tex` defines (exacity/deeplearningbook-chinese)",
            r"expanded as that file defines them (its 258 `\newcommand` lines, copied with their origin in `parse/dlbook_notation.py`: `\Vx` is `\boldsymbol{\mathit{x}}`, `\MW` `\boldsymbol{\mathit{W}}`, `\norm` takes an argument), only when the set is named: `% macros: dlbook-zh`, `--macros dlbook-zh`, or a case whose origin is that repository; the readings say the text uses the book's notation and quote each macro with the file's section (`% Vector`, `% Matrix`). Bold makes no vector (NOTATION.md: fonts do not change the name): `\Vx` is the letter x, sized by the equations. A name the file does not define (`\Vxi`) stays refused. The book's public notation file (English, goodfeli/dlbook_notation `math_commands.tex`: `\vx`, `\mW`, `\E`, `\R`) is the set `dlbook` (`% macros: dlbook`), its `\def` and `\newcommand` lines read the same way (its `\DeclareMathOperator` lines and `\def\1` left out)",
        ),
        "parse/sitemacros.py",
        (
            ok(
                "% macros: dlbook-zh\n\\Vh^{(t)} = \\tanh(\\MW \\Vh^{(t-1)} + \\MU \\Vx^{(t)}), \\Vx^{(t)} \\in \\mathbb{R}^{d}",
                says="site-macros: dlbook-zh",
                U="? x d",
                x="d",
            ),
            ok(
                "% macros: dlbook\n\\vh^{(t)} = \\tanh(\\mW \\vh^{(t-1)} + \\mU \\vx^{(t)}), \\vx^{(t)} \\in \\R^{d}",
                says="site-macros: dlbook",
                U="? x d",
            ),
            refused(
                "% macros: dlbook-zh\n\\Vh^{(t)} = \\tanh(\\MW \\Vh^{(t-1)} + \\Vxi^{(t)})",
                "does not define it",
                at="\\Vxi",
            ),
        ),
    ),
    Rule(
        "operators.concat-bar",
        "operators",
        (
            r"`x_i \, \Vert \, x_j`, `a \| b` where no later bar closes a norm",
            r"concatenation along the feature axis (a norm's bar always closes); `a \| b \| c` reads as a norm or as three values concatenated: refused",
        ),
        "parse/bars.py",
        (
            ok(
                r"z = x \, \Vert \, y, x \in \mathbb{R}^{F}, y \in \mathbb{R}^{S}",
                says="concatenation",
                z="F + S",
            ),
            refused(r"z = x \| y \| e, x \in \mathbb{R}^{F}", "two ways", at="\\|"),
        ),
    ),
    Rule(
        "operators.bar-chain-by-usage",
        "operators",
        (
            r"`\z_{ij} = \x_i \| \x_j \| \e_{ji}` (Spektral's CrystalConv) in a source that writes its elementwise product `\odot`",
            r"**the three vectors concatenated** (`parse/bar_chains.py`): the norm reading would multiply the two outer vectors side by side with no operator, a product this source writes with `\odot`; so the bars concatenate, and the readings say why. Without `\odot` in the source, or with a number (a Greek letter) beside the bars, refused as `operators.concat-bar` says",
        ),
        "parse/bar_chains.py",
        (
            ok(
                r"y = \sigma(z W) \odot t, z = x \| u \| e, x \in \mathbb{R}^{F}, u \in \mathbb{R}^{F}, e \in \mathbb{R}^{S}",
                says="concatenation, by the source's usage",
                z="2*F + S",
            ),
            refused(r"y = z \odot t, z = \lambda \| u \| e", "two ways", at="\\|"),
        ),
    ),
    Rule(
        "keys.edge-arrow",
        "keys",
        (
            r"`e_{j \rightarrow i}`, `e_{j \to i}`",
            r"`e` (one value per edge)",
            r"an arrow between two indices of a subscript is the edge from the first to the second, as `e_{j,i}`; an arrow elsewhere is refused",
        ),
        "parse/arrows.py",
        (
            ok(
                "m_i = x_i + \\sum_{j \\in \\mathcal{N}(i)} W e_{j \\rightarrow i}\ne_{j \\rightarrow i} \\in \\mathbb{R}^{S}, x_i \\in \\mathbb{R}^{F}",
                says="value per edge",
                e="S",
                W="F x S",
            ),
            refused(r"m = \sum_{j \to i} e_j", "arrow", at="\\to"),
        ),
    ),
    Rule(
        "keys.underscore-in-label",
        "keys",
        (
            r"`W_{proj\_size}`",
            r"`W_proj_size`",
            r"an underscore between two words of a subscript joins them into one label",
        ),
        "read/syntax.py",
        (
            ok(
                r"h = W_{proj\_size} x, x \in \mathbb{R}^{d}, h \in \mathbb{R}^{P}",
                W_proj_size="P x d",
            ),
        ),
    ),
    Rule(
        "presentation.note-over-relation",
        "presentation",
        (
            r"`\stackrel{\text{def}}{=}`, `\overset{\tiny \downarrow}{=}`",
            r"`=`: a note over a relation is presentation",
        ),
        "parse/normalize.py",
        (
            ok(
                r"y \stackrel{\text{def}}{=} W x, x \in \mathbb{R}^{n}, y \in \mathbb{R}^{m}",
                W="m x n",
            ),
        ),
    ),
    Rule(
        "presentation.html-math",
        "presentation",
        (
            r"an HTML page's math (Distill): `<d-math block> ... </d-math>`, `<d-math> ... </d-math>`, around it `<d-cite key=...></d-cite>`, `<d-footnote>`, `<span>`, `<h3>`, `<a href=...>`",
            r"`<d-math block>` is `$$` and its `</d-math>` the closing `$$`; `<d-math>` ... `</d-math>` is `$...$` (the 2017 template's `<dt-math>` alike); any other HTML tag (an element of HTML, or a custom element, with a hyphen) is layout, blanked with its attributes, and what it holds stays; the text keeps its length, so carets point into the page; a `<` that opens no tag (`a < b`, `<i, j>`) is left as written",
        ),
        "parse/html_math.py",
        (
            ok(
                '<p>The layer computes\n  <d-math block>\n    h = \\tanh(W x)\n  </d-math>\nwhere <d-math>x \\in \\mathbb{R}^m</d-math> <d-cite key="a"></d-cite> and <d-math>h \\in \\mathbb{R}^n</d-math>.</p>',
                W="n x m",
            ),
            ok(
                "We take <dt-math>x \\in \\mathbb{R}^m</dt-math> and\n<dt-math block>\nh = \\tanh(W x)\n</dt-math>\nwith <dt-math>h \\in \\mathbb{R}^n</dt-math>.",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.html-scripts-entities",
        "presentation",
        (
            r"markdown math written with HTML (AI-For-Beginners): `y(x) = f(w<sup>T</sup>x)`, `z<sub>1</sub>=w<sub>1</sub>x+b<sub>1</sub>`, `w - &eta;&nabla;E(w)`, `&sum;`",
            r"`<sup>` ... `</sup>` is a superscript `^{...}` and `<sub>` ... `</sub>` a subscript `_{...}` (they were blanked as layout, and `w<sup>T</sup>x` read as the product w T x); a named entity for a Greek letter or an operator (`&eta;`, `&sigma;`, `&sum;`, `&nabla;`, `&isin;`, `&times;`) is its command; the partial derivative's `&part;` and the script L's `&lagran;` are read by rule presentation.html-derivative-entities; another entity whose command is longer than it is left as written and refused",
        ),
        "parse/html_math.py",
        (
            ok(
                "h<sub>t</sub> = tanh(W h<sub>t-1</sub> + U x<sub>t</sub>)\nx<sub>t</sub> &isin; R<sup>m</sup>, h<sub>t</sub> &isin; R<sup>n</sup>",
                W="n x n",
                U="n x m",
            ),
            ok(
                "y = W<sup>T</sup>x + &beta;\nx \\in \\mathbb{R}^m, y \\in \\mathbb{R}^n",
                W="m x n",
                beta="",
            ),
        ),
    ),
    Rule(
        "presentation.markdown-italic-math",
        "presentation",
        (
            r"math set in markdown italics in a page with no `$` (AI-For-Beginners): `a linear function *f(x)=wx+b* (here *w* is the weight matrix, ...)`; a markdown quote's `>` opening a line",
            r"an italic span that is one symbol (`*w*`) or holds a sign of math (`=`, `+`, `^`, `_`, `(`, `,`, a command) and no word of three letters is inline math `$...$` (same length), where no line of math stands outside the italics (else the lines are read line by line); emphasis on words (`*bias*`) stays prose, and a line of prose with emphasis (`as the *bias* term.`) is prose; a quote's `>` is blanked",
        ),
        "parse/markdown_math.py",
        (
            ok(
                "The layer computes *h=Wx+b* (see above).",
                W="? x ?",
            ),
            ok(  # the italics are math, and the prose's "weight matrix" decides wx (matrix-said)
                "function *f* is the linear function *f(x)=wx+b* (here *w* is the weight matrix)",
                w="? x ?",
            ),
            refused(
                "function *f* is the linear function *f(x)=wx+b* (here *w* are the weights)",
                "cannot decide what wx is",
                at="wx",
            ),
            ok(
                ".. math::  y = W x + b\n\nwith :math:`x \\in \\mathbb{R}^m`, :math:`y \\in \\mathbb{R}^n` and\nas the *bias* term.\n",
                W="n x m",
                b="n",
            ),
        ),
    ),
    Rule(
        "presentation.html-derivative-entities",
        "presentation",
        (
            r"a derivative written with HTML entities in markdown or HTML (AI-For-Beginners: `w<sup>(i+1)</sup> = w<sup>(i)</sup>-&eta;&part;&lagran;/&part;w`; `w &larr; w &minus; &eta; &middot; &part;L/&part;w`), or with the character `∂` typed in LaTeX (`∂L/∂W`)",
            r"`&part;` (and a typed `∂`) is `\partial`, `&lagran;` and `&Lscr;` the script L `\mathcal{L}` (TeX's `\cal L`), `&larr;` the update arrow `\gets`; the derivative is then read as its LaTeX spelling is (rule gradient-of-loss: the gradient of a loss the source does not write, for shapes; code refused by name at it), also after a dot (`\\eta \\cdot \\partial L / \\partial w`, `&eta;&middot;&part;L/&part;W`: the product keeps its operator)",
        ),
        "parse/html_math.py",
        (
            ok(
                "w<sup>(t+1)</sup> = w<sup>(t)</sup> - &eta;&part;&lagran;/&part;w\nw &isin; R<sup>n</sup>",
                w="n",
                eta="",
            ),
            ok(
                "$$W^{(t+1)} = W^{(t)} - \\eta ∂L/∂W, W \\in \\mathbb{R}^{m \\times n}$$",
                W="m x n",
                eta="",
            ),
            refused(
                "w = w - &eta;&part;&lagran;/&part;v",
                "gradient with respect to v",
                at="v",
            ),
            ok(  # the learning rate times the gradient with a dot (&middot;): the product kept
                "W &larr; W - &eta;&middot;&part;L/&part;W\nW &isin; R<sup>m&times;n</sup>",
                W="m x n",
                eta="",
            ),
            refused(  # the derivative of a value the equations define: papermath derives it
                "L = w<sup>2</sup>\nv = w - &eta;&part;L/&part;w",
                "is a derivative",
                at="&part;",
            ),
        ),
    ),
    Rule(
        "presentation.markdown-list-marker",
        "presentation",
        (
            r"an equation in a markdown list, in a page with no `$` (AI-For-Beginners: `* z<sub>1</sub>=w<sub>1</sub>x+b<sub>1</sub>`, `    - w<sup>(i+1)</sup> = w<sup>(i)</sup>-&eta;...`)",
            r"the list marker (`*`, `-` or `+` and a blank opening a line, after its indent) of a line that holds an `=` is markup and blanked (`- w = ...` is no negated left side); a marker before a line without `=` is left as it was (a continuation `- c` of the line above stays a minus)",
        ),
        "parse/markdown_math.py",
        (
            ok(
                "* Repeat the following step many times:\n    - w<sup>(i+1)</sup> = w<sup>(i)</sup> - &eta;&part;&lagran;/&part;w\nw &isin; R<sup>n</sup>",
                w="n",
            ),
            ok(
                "- h = W x\n- y = V h\nx &isin; R<sup>m</sup>, h &isin; R<sup>n</sup>, y &isin; R<sup>k</sup>",
                W="n x m",
                V="k x n",
            ),
        ),
    ),
    Rule(
        "presentation.old-font-word",
        "presentation",
        (
            r"`\rm ENC(v) = \mathbf{Z}\mathbf{v}` (plain TeX's roman switch before a word, no braces: CS224W's notes)",
            r"the word (two letters or more) is one name set in roman, as `\rm{ENC}` and `\mathrm{ENC}` are",
        ),
        "parse/grammar.lark",
        (
            ok(
                r"\rm ENC(v) = Z v, Z \in \mathbb{R}^{d \times n}",
                ENC="d",
                Z="d x n",
                v="n",
            ),
        ),
    ),
    Rule(
        "presentation.cfrac",
        "presentation",
        (
            r"`\cfrac{e^{x_i}}{\sum_k^K{e^{x_k}}}` (udacity's softmax)",
            r"a fraction, as `\frac` (`\cfrac` sets a continued fraction's levels in display size)",
        ),
        "parse/grammar.lark",
        (
            ok(
                r"y = \cfrac{W x}{2}, x \in \mathbb{R}^m, y \in \mathbb{R}^n",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.prime-superscript",
        "presentation",
        (
            r"`W^\prime_1` (the prime written as a superscript command, before the subscript)",
            r"the primed name, as `W'_1` (a prime mark in the superscript)",
        ),
        "parse/grammar.lark",
        (
            ok(
                r"h^\prime_1 = \tanh(W x), x \in \mathbb{R}^m, h^\prime_1 \in \mathbb{R}^n",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "presentation.rvert-pairs",
        "presentation",
        (
            r"`\frac{h_u^{k-1}}{\rvert N(v)\rvert}`, `X\in \mathbb{R}^{m\times\rvert V \rvert}` (CS224W's notes: `\rvert` typed for both bars)",
            r"a `\rvert` where no bar is open opens one (rewritten `\lvert`, same length) when a later `\rvert` of the same math closes it: the bars of a count or an absolute value; a `\rvert` with no partner is refused",
        ),
        "parse/normalize.py",
        (
            ok(
                r"y_v = \sum_{u \in N(v)} \frac{W h_u}{\rvert N(v) \rvert}, h_u \in \mathbb{R}^m, y_v \in \mathbb{R}^n",
                W="n x m",
            ),
        ),
    ),
    Rule(
        "doubts.inner-product",
        "doubts",
        (
            r"`\max(0, \rho - \langle w, x_i \rangle)` (scikit-learn's One-Class SVM)",
            r"refused at `\langle`: of two vectors the bracket is `w^\top x`, of two matrices the sum of their entries' products, and it does not say which; the hint writes `w^\top x`",
        ),
        "parse/layout.py",
        (refused(r"y = \langle w, x \rangle", "inner product", at=r"\langle"),),
    ),
    Rule(
        "doubts.optimisation-min-operator",
        "doubts",
        (
            r"`\min_{w, \rho} \frac{1}{2}\Vert w \Vert^2 - \rho + ...`, `\begin{aligned} \min_{w, \rho, \xi} & \quad ... \\ \text{s.t.} & \quad ...` (an objective with no name, constraints)",
            r"refused with the caret on the `\min_{...}` (`\max`, `\arg\min`) that opens the statement, where the grammar stops with no relation after it: an optimisation problem, not an equation; the hint names the objective (`L = ...`)",
        ),
        "parse/unexpected.py",
        (
            refused(
                "$$\\min_{w} \\frac{1}{2}\\Vert w \\Vert^2 + \\sum_{i=1}^n x_i$$",
                "optimisation problem",
                at="\\min_{w}",
            ),
        ),
    ),
    Rule(
        "presentation.hbox",
        "presentation",
        (
            r"`\hbox{(include $B$ optionally)}`, `\hbox{activation}(c_t)` (plain TeX's box of text, in a docstring's display)",
            r"`\mbox{...}`, read as `\text{...}`: a remark in parentheses is blanked, with the inline math inside it; a word is a roman name",
        ),
        "parse/hbox.py",
        (
            ok(
                r"h = W x + b \quad \hbox{(include $b$ optionally)}, x \in \mathbb{R}^{m}, h \in \mathbb{R}^{n}",
                W="n x m",
                b="n",
            ),
        ),
    ),
    Rule(
        "presentation.bar-mention",
        "presentation",
        (
            r"`The operator $||$ represents the concatenation` (also `$\|$`, `$\Vert$`, `$\parallel$` alone)",
            r"prose that names the operator, not an expression: blanked; the bars in the equations are read by their own rule (between two values in brackets: a concatenation)",
        ),
        "parse/bar_mentions.py",
        (
            ok(
                "$$y = W [a || b]$$\nThe operator $||$ represents the concatenation, $a \\in \\mathbb{R}^{m}$, $b \\in \\mathbb{R}^{m}$, $y \\in \\mathbb{R}^{n}$.",
                W="n x 2*m",
            ),
        ),
    ),
    Rule(
        "doubts.math-never-closed",
        "doubts",
        (
            r"`$$` (or `\[`, `$`) that opens math, and the text ends before its closing one (an excerpt cut short)",
            r"where the formula ends is the author's to say: refused at the opening `$$`, with the hint to close it (an environment left open under an RST `.. math::` block is `cut-end`'s)",
        ),
        "parse/open_math.py",
        (refused("The weights are:\n\n$$\n\\alpha = W x\n", "never closed", at="$$"),),
    ),
    Rule(
        "doubts.row-break-after-comma",
        "doubts",
        (
            r"a `\\` where no row ends (`y = a + \\` and nothing after it; `1 & - \\` in a matrix); rows that go on over a `\\` (`& +` after it, or an operator before it, a comma or not) are `layout.continued-row`'s (read)",
            r"papermath reads `\\` between the rows of an environment and at the end of an equation: a `\\` the grammar cannot take is refused as a row break at the `\\`, never as an unknown command",
        ),
        "parse/row_breaks.py",
        (refused("y = a + \\\\", "row break", at="\\\\"),),
    ),
    Rule(
        "layout.continued-row",
        "layout",
        (
            r"`c &= \tanh(a) \\ & + c_1 \tanh(f_1), \\ & + c_2 \tanh(f_2) \\ h &= ...` (one expression broken over rows, each continued row beginning with `& +`, `&\quad +`, `+` or `& -`; Chainer's TreeLSTM ends each row with a comma)",
            r"the row cannot be a statement (no left side, a binary operator first): it continues the row before, the `\\` (and a comma that ends the row, outside brackets) is layout, read as a space; said in the readings. The same after a row that ends with its operator (`W x + {} \\ & b`, `y &= \\ &\quad W x`). A comma before a row with its own left side stays a separator; rows of a matrix, `cases` or `array` are never joined",
        ),
        "parse/continued_rows.py",
        (
            ok(
                "\\begin{aligned} y &= W x \\\\ & + b \\end{aligned}",
                "a row continued",
                W="? x ?",
                b="?",
            ),
            ok(
                "\\begin{aligned} c &= \\tanh(a) \\\\ & + \\tanh(b), \\\\ & + \\tanh(d) \\\\ h &= \\tanh(c) \\end{aligned}",
                "comma",
                h="?",
            ),
            ok(
                "\\begin{aligned} y &= W x + {} \\\\ & b \\end{aligned}",
                "a row continued",
                W="? x ?",
            ),
            refused("y = c_1 + c_2 + \\dots + d_N", "cannot read", at="\\dots"),
        ),
    ),
    Rule(
        "layout.upright-digits",
        "layout",
        (
            r"`c_{\text{1}}`, `f_{\mathrm{2}}` (digits in a text or roman font; Chainer's TreeLSTM)",
            r"the number: digits are upright in mathematics whatever the font, so `c_{\text{1}}` is `c_1`; letters in a text font keep their reading (`W_{\text{out}}` a label)",
        ),
        "parse/text_digits.py",
        (ok("y = c_{\\text{1}} + c_{\\text{2}}", c_1="?", c_2="?"),),
    ),
    Rule(
        "layout.cut-start",
        "layout",
        (
            r"`$$` alone on the text's first line, then a blank line and prose (an excerpt that begins just after a display: Lil'Log's ACT section)",
            r"display math holds no blank line, so this `$$` opens nothing: it closes a display cut before the excerpt and is left out (said in the readings); the `$$` pairs after it read as written",
        ),
        "parse/cut_start.py",
        (
            ok(
                "$$\n\nThe output is $$y = W x$$ for each input.\n",
                "the close of a display",
                W="? x ?",
            ),
        ),
    ),
    Rule(
        "layout.range-after-equation",
        "layout",
        (
            r"`s_t^n &= \mathcal{S}(s_{t}^{n-1}, x_t^n) \text{ for } n=1, \dots, N(t)` (also `\quad \text{for}`, a comma before; the letter an index of the row); the same range as a set after a quantifier, `, \forall k \in \{1, .., K\}` (CS224W's notes), k in a superscript (a layer's or a step's letter; on a subscript's letter the quantifier stays refused)",
            r"the values the index takes, said in words: the equation holds for each; the words are left out (said in the readings) and the index read where the equations use it; a `for` with a condition (`t > 1`) or a letter the row does not use as an index is not this rule's",
        ),
        "parse/row_ranges.py",
        (
            ok(
                "h^n = \\tanh(W x^n) \\text{ for } n = 1, \\dots, N",
                "the range of an index",
                W="? x ?",
            ),
            ok(
                "h^{(t)} = \\tanh(W h^{(t-1)} + U x^{(t)}), \\forall t \\in \\{1, \\ldots, T\\}\nx^{(t)} \\in \\mathbb{R}^m, h^{(t)} \\in \\mathbb{R}^n",
                "the range of an index",
                W="n x n",
                U="n x m",
            ),
        ),
    ),
    Rule(
        "layout.step-range-prose",
        "layout",
        (
            r"`From $t = 1$ to $t = \tau$, we apply the following update equations` (the Deep Learning book, 10.2; its Chinese edition `从$t= 1$到$t = \tau$`), t a step of the equations",
            r"the steps the equations hold at, said in words: both pieces are left out (they give t no value; said in the readings) and t read where the equations use it; two different letters, or a letter the text never writes as a step (with an offset, `h_{t-1}`: an entry index's range may be a size), are not this rule's",
        ),
        "parse/step_ranges.py",
        (
            ok(
                "From $t = 1$ to $t = T$, $h_t = \\tanh(W h_{t-1} + U x_t)$, $x_t \\in \\mathbb{R}^{m}$",
                "the steps an index runs over",
                U="? x m",
            ),
        ),
    ),
    Rule(
        "doubts.font-letters",
        "doubts",
        (
            r"`\boldsymbol{UX}`, `\boldsymbol{VXAD}^{-1}` (several letters in one font command where a value stands; NYU's GCN notes)",
            r"LaTeX sets each letter as its own symbol (a product U X), while others write one name in a font (`\mathbf{out}`): the letters alone do not say which; refused at the group, the hint writing both (`\boldsymbol{U}\boldsymbol{X}` for the product, `\text{UX}` for one name)",
        ),
        "read/rules_font_letters.py",
        (refused("H = f(\\boldsymbol{UX} + b)", "cannot read", at="\\boldsymbol{UX}"),),
    ),
    Rule(
        "doubts.set-by-a-colon",
        "doubts",
        (
            r"`N(t) = \min(\min\{n': \sum_{n=1}^{n'} h_t^n \geq 1 -\epsilon\}, M)` (a set by a condition after a colon; ACT's halting step)",
            r"the values for which a condition holds, and the least of them: a search, not a formula of values; refused at the colon, with the hint to give what it finds as data (`% inputs: N`)",
        ),
        "parse/set_colon.py",
        (
            refused(
                "N = \\min\\{n : \\sum_{i=1}^{n} h_i \\geq 1\\}", "condition after a colon", at=":"
            ),
        ),
    ),
    Rule(
        "doubts.eigenvalue-call",
        "doubts",
        (
            r"`\tilde{L} = \frac{2L}{\lambda_{\max}(L)} - I_n` (ChebNet's rescaled Laplacian), `\lambda_{\text{max}}(A)`, `\lambda_{\min}(M)`",
            r"an eigenvalue of a matrix (one number, from an eigendecomposition) is not read, and a letter applied to a value would be read as a learnable function of it; refused at the call (where the prose names the eigenvalue of that matrix, it reads for its shapes: `operators.eigenvalue-of-a-matrix`). `\lambda_{\max}` without its argument reads: a given number (a constant)",
        ),
        "parse/eigenvalues.py",
        (
            refused(
                r"M = \frac{2L}{\lambda_{\max}(L)} - I_n", "eigenvalue", at=r"\lambda_{\max}(L)"
            ),
            ok(r"M = \frac{2L}{\lambda_{\max}} - I_n", L="n x n", lambda_max=""),
        ),
    ),
    Rule(
        "doubts.row-sum-of-entries",
        "doubts",
        (
            r"`D_v = \sum_u A_{vu}` (the degree as a row sum of the adjacency matrix, Distill), `d_i = \sum_j W_{ij}`",
            r"entries with two indices are not read yet: refused at the entry `A_{vu}`, saying it is a row sum (never that nothing depends on u); the degree reads as `\text{deg}(v)` where it scales a sum over the neighbours",
        ),
        "read/rules_row_sum.py",
        (refused(r"D_v = \sum_{u \in V} A_{vu}", "two nodes", at="A_{vu}"),),
    ),
    Rule(
        "doubts.node-subset",
        "doubts",
        (
            r"`\sum\limits_{v \in \text{Lab}(G)} \mathcal{L}(y_v, \hat{y_v})` (a loss over the labelled nodes, Distill), `\sum_{v \in \mathrm{Train}(\mathcal{G})}`",
            r"a subset of the graph's nodes that the data gives, named by a function of the graph: neither every node nor a node's neighbours, and a sum over it is not read; refused at the set",
        ),
        "read/rules_node_subsets.py",
        (
            refused(
                r"L = \sum_{v \in \text{Lab}(G)} \ell_v, \ell_v \in \mathbb{R}",
                "subset",
                at=r"\text{Lab}(G)",
            ),
        ),
    ),
    Rule(
        "layout.three-periods",
        "layout",
        (
            r"`x_1, ..., x_T` (three periods)",
            r"`\dots`, as the same list written with `\dots`",
        ),
        "parse/grammar.lark",
        (refused(r"y = \mathrm{Concat}(h_1, ..., h_H) W", "concatenated", at="\\mathrm{Concat}"),),
    ),
    Rule(
        "layout.script-on-prose-word",
        "layout",
        (
            r"`the ARMA\(_K\) filter`, `GCN$^2$`",
            r"prose: a sub- or superscript alone in inline math belongs to the word before it",
        ),
        "parse/grammar.lark",
        (
            ok(
                "the ARMA\\(_K\\) filter: $$y = W x$$ with $x \\in \\mathbb{R}^{n}$, $y \\in \\mathbb{R}^{m}$",
                W="m x n",
            ),
        ),
    ),
    Rule(
        "doubts.unexpected-token",
        "doubts",
        (
            r"a display with no `=` (`$$\frac{x}{\sigma} \gamma + \beta$$`), a blank argument `\(max(0,-)\)`, `$y_{t>1}$`, `u_i(i \in \mathcal{N}(v))`, a `$$` a cut excerpt left open, `p(a \vert b)`, a function's parameters listed after a semicolon `f(s^{(t-1)}; W, b)` (one name, `f(x; \theta)`, is read: `functions.semicolon-parameters`), a tuple on a left side `:math:`(x1, x2) = x`` (CogDL's AdditiveCoupling: x split into two parts of widths the docstring does not say)",
            r"refused at the token where the statement stops, saying what was expected there and why (not a bare `unexpected X`)",
        ),
        "parse/unexpected.py",
        (
            refused(
                r"$$\frac{x}{\sqrt{\epsilon + x}} * \gamma + \beta$$", "ends before an `=`", at="$$"
            ),
            refused(r"y = u_i(i \in \mathcal{N}(v))", "membership", at="\\in"),
            refused(r"L = \sum_{i=1, j=1}^{n} x_i", "two conditions", at="="),
            refused(r"s^{(t)} = f(s^{(t-1)}; W, b)", "its parameters", at=r"; W, b"),
            refused(r"(x_1, x_2) = x, y = x_1 + x_2", "a tuple on the left side", at="(x_1, x_2)"),
        ),
    ),
    Rule(
        "statements.computed-display",
        "statements",
        (
            r"`Given an input array $x$, this layer computes` then a display with no `=`, `$$\frac{x - \mathbb{E}[x]}{\sqrt{\text{Var}[x] + \varepsilon}} * \gamma + \beta$$` (Equinox)",
            r"**the layer's output**: the words just before the display (`this layer computes`, `the module computes`, `it computes`) say what it is; read as `y = ...` (`z` or `o` where the source uses y), the name papermath's, as the readings say. A display with no `=` after any other words stays refused (`unexpected-token`)",
        ),
        "parse/output_display.py",
        (
            ok(
                "Given an input $x$, this layer computes\n\n$$W x + b$$\n",
                says=r"the output of the layer",
                y="?",
                W="? x ?",
            ),
            refused("Then\n\n$$W x + b$$\n", "ends before an `=`", at="$$"),
        ),
    ),
    Rule(
        "statements.same-shape-in-words",
        "statements",
        (
            r"`where $\gamma$, $\beta$ have the same shape as $x$`, `$\gamma$ is a learned array with the same shape as $x$` (Equinox)",
            r"each symbol before the words has the shape of the one after (their shapes are one, before any rule runs; an undeclared lowercase x takes its letter's shape, a vector, first, so gamma is not made a Greek scalar); only plain symbols the equations use; a tie the equations contradict is an error at the words (`shapes/same_shape.py`)",
        ),
        "shapes/same_shape.py",
        (
            ok(
                "Given an input $x$, this layer computes\n\n$$x * \\gamma$$\n\nwhere $\\gamma$ has the same shape as $x$.\n",
                says=r"shape said in words",
                gamma="?",
            ),
        ),
    ),
    Rule(
        "sizes.dim-size",
        "sizes",
        (
            r"`where $n = \dim(x)$` (Equinox's RMSNorm)",
            r"x has n entries: the declaration `x \in \mathbb{R}^{n}`, not an equation that computes n (said in the readings); `\dim` anywhere else (a value, `\dim(x) W x`) refused at `\dim`",
        ),
        "read/rules_dim.py",
        (
            ok("$$y = W x$$\n\nwhere $n = \\dim(x)$\n", says=r"x has n entries", x="n"),
            refused("y = \\dim(x) W x\nx \\in \\mathbb{R}^{n}", r"\dim", at="\\dim"),
        ),
    ),
    Rule(
        "sizes.norm-spelled-out",
        "sizes",
        (
            r"`where $\Vert x \Vert^2_2 = \sum_{i=1}^n x_i^2$` (the scripts either way round: `\|x\|^2_2` is `\|x\|_2^2`), `\|x\|_2 = \sqrt{\sum_i x_i^2}`",
            r"what the notation means (the squared L2 norm, the sum of the squares of x's entries), not a definition of a new value; a range `i=1` to n says x has n entries (`x \in \mathbb{R}^{n}`). Any other equation with a norm on its left side stays refused",
        ),
        "read/rules_dim.py",
        (
            ok(
                "$$y = \\frac{x}{\\sqrt{\\Vert x \\Vert^2_2}}$$\n\nwhere $\\Vert x \\Vert^2_2 = \\sum_{i=1}^n x_i^2$\n",
                says=r"what the notation means",
                x="n",
            ),
        ),
    ),
    Rule(
        "functions.prose-statistics-named",
        "functions",
        (
            r"`\d{outputs} = \d{scale} \dfrac{x - \mu}{\sigma + \epsilon} + \d{offset}` with `Where :math:`\mu` and :math:`\sigma` are respectively the mean and standard deviation of ``x``` and the layer named (`the fused batch norm op`: Sonnet's BatchNorm)",
            r"the prose says which statistics the letters are and the name says their axis: `\mu` read as `\mathrm{E}[x]`, `\sigma` as `\sqrt{\mathrm{Var}[x]}`, over the batch (batch norm) or the features (layer or RMS norm), as `functions.mean-over-unsaid-axis` reads a named layer; no layer named, or several: refused at the words (`parse/prose_stats.py` finds them, the refusal is `parse/doubts.py`'s)",
        ),
        "read/rules_prose_stats.py",
        (
            ok(
                ".. math::\n\n    y = s \\dfrac{x - \\mu}{\\sigma + \\epsilon}\n\nWhere :math:`\\mu` and :math:`\\sigma` are respectively the mean and standard deviation of ``x``. A batch norm.\n",
                says=r"statistic said in words",
                x="?",
            ),
            refused(
                ".. math::\n\n    y = s \\dfrac{x - \\mu}{\\sigma + \\epsilon}\n\nWhere :math:`\\mu` and :math:`\\sigma` are respectively the mean and standard deviation of ``x``.\n",
                "not over which axis",
                at="mean",
            ),
        ),
    ),
    Rule(
        "doubts.shape-as-code-tuple",
        "doubts",
        (
            r"`where $\gamma_i$, $\beta_i$ have shape `(channels/groups,)``, `arrays $x_i$ each of shape `(channels/groups, ...)`` (Equinox's GroupNorm)",
            r"a shape said as a tuple of code, which papermath does not read; read without it the equations would give the symbols other shapes (a Greek letter a scalar): refused at the tuple, the hint a declaration with a letter per axis",
        ),
        "parse/shape_literals.py",
        (
            refused(
                "$$y = x_i * \\gamma_i$$\n\nwhere $\\gamma_i$ has shape `(channels/groups,)`.\n",
                "code tuple",
                at="(channels/groups,)",
            ),
        ),
    ),
    Rule(
        "layout.cut-display",
        "layout",
        (
            r"`\begin{aligned} ... \end{aligned}` then `$$` (an excerpt cut below the display's opening `$$`)",
            r"the `$$` closes the display the math-only environment was in (`aligned`, `gathered`, `split`, `cases`, matrices exist only in math); after `align` or `equation` a `$$` opens one",
        ),
        "parse/cut.py",
        (
            ok(
                "\\begin{aligned} y &= W x \\end{aligned}\n$$\nwhere $x \\in \\mathbb{R}^{n}$ and $y \\in \\mathbb{R}^{m}$.",
                W="m x n",
            ),
        ),
    ),
    Rule(
        "layout.cut-end",
        "layout",
        (
            r"`.. math::` then `\begin{align*} m_t &\leftarrow ... \\ u_t &\leftarrow ...` and the text ends (a docstring's excerpt cut before `\end{align*}`)",
            r"one environment of equations (`align`, `aligned`, `equation`, `gather`, ...) that opens an RST `.. math::` block and is open where the text ends: closed there (said in the readings); two open, a matrix or `cases` left open, or no `.. math::` before it (a formula typed without its `\end`): refused (`never closed`)",
        ),
        "parse/cut_end.py",
        (
            ok(
                "where :math:`x \\in \\mathbb{R}^{n}`, :math:`y \\in \\mathbb{R}^{m}`:\n\n.. math::\n\n  \\begin{align*}\n    y &= W x",
                W="m x n",
            ),
            refused("\\begin{align} y &= W x", "never closed", at="\\begin{align}"),
            refused(
                "\\begin{align*}\n\\begin{aligned}\n  y &= W x",
                "never closed",
                at="\\begin{aligned}",
            ),
        ),
    ),
    Rule(
        "doubts.conditional-probability-table",
        "doubts",
        (
            r"`\pi_{t+1}(h_{t+1}) = \sum_{h_t} \pi_t(h_t) P(x_t \mid h_t) P(h_{t+1} \mid h_t)` (d2l's hidden Markov model: forward and backward messages)",
            r"`P(a \mid b)` summed over the values of its condition b is a table over the discrete values of a state (a transition matrix, emission probabilities), not a value an equation computes: refused at that `\mid`, with the hint that writes the same message with matrices and vectors (`\pi_{t+1} = B (\pi_t \odot e_t)`, which reads); a conditional probability with no such sum keeps the generic refusal",
        ),
        "parse/hmm_tables.py",
        (
            refused(
                "\\pi_{t+1}(h_{t+1}) = \\sum_{h_t} \\pi_t(h_t) P(x_t \\mid h_t) P(h_{t+1} \\mid h_t)",
                "hidden Markov model",
                at="\\mid",
            ),
            ok(
                "B \\in \\mathbb{R}^{k \\times k}, e_t \\in \\mathbb{R}^{k}\n\\pi_{t+1} = B (\\pi_t \\odot e_t)",
                kinds={"pi": "state"},
                pi="k",
            ),
        ),
    ),
    Rule(
        "layout.display-closes-environment",
        "layout",
        (
            r"`$$ \begin{aligned} f_t &= ... \\ o_t &= ... $$` with no `\end{aligned}` before the display's closing `$$` (CS231n's LSTM notes as copied, a figure's HTML where the rest was); an excerpt that ends right after a `\begin{aligned}` holding no row",
            r"the closing `$$` ends the math, so an environment of equations opened inside the display ends there, with the rows written before it (said in the readings); an environment of equations open at the end of the text with nothing after it (blanks, HTML layout) holds nothing to read and is closed there (said); a matrix or `cases` left open at the `$$` is refused (`never closed`), as is an environment with rows open at the end (but for `layout.cut-end`)",
        ),
        "parse/display_close.py",
        (
            ok(
                "$$\n\\begin{aligned}\ny &= W x\n$$\n",
                says="closed where its display ends",
                W="d1 x d2",
            ),
            ok(
                '$$\n\\begin{aligned}\ny &= W x\n$$\n\\begin{aligned}\n<div class="fig">\n',
                says="an empty environment at the end",
                W="d1 x d2",
            ),
            refused(
                "$$\ny = \\begin{bmatrix} 1 \\\\ 2\n$$\n", "never closed", at="\\begin{bmatrix}"
            ),
        ),
    ),
    Rule(
        "keys.declared-layer-label",
        "keys",
        (
            r"`\mathbf{b}^{(1)} \in \mathbb{R}^{1 \times h}` declared beside `\mathbf{b} = \mathbf{b}^{(1)} \mathbf{W}^{(2)} + \mathbf{b}^{(2)}` (d2l's MLP collapsed to one layer)",
            r"`b_1`",
            r"where b is a value (an equation defines it), `b^{(1)}` is a power of b, b at a step, or a symbol labelled (1); a declaration of `b^{(1)}` itself, with its own space, says it is a symbol with a shape of its own: the superscript is a label (key `b_1`), said in the readings with the declaration; without one, refused (`a power, a step or a label`)",
        ),
        "read/rules_declared_labels.py",
        (
            ok(
                "b^{(1)} \\in \\mathbb{R}^{h}, b^{(2)} \\in \\mathbb{R}^{q}, W^{(2)} \\in \\mathbb{R}^{q \\times h}\nb = W^{(2)} b^{(1)} + b^{(2)}",
                says="the source declares",
                b_1="h",
                b="q",
            ),
            refused(
                "b^{(2)} \\in \\mathbb{R}^{q}, W^{(2)} \\in \\mathbb{R}^{q \\times h}\nb = W^{(2)} b^{(1)} + b^{(2)}",
                "power, a step or a label",
                at="(1)",
            ),
        ),
    ),
    Rule(
        "sizes.computed-row-bias",
        "sizes",
        (
            r"`\mathbf{O} = \mathbf{X} \mathbf{W} + \mathbf{b}` where `\mathbf{b} = \mathbf{b}^{(1)} \mathbf{W}^{(2)} + \mathbf{b}^{(2)}` is computed from rows declared `\mathbb{R}^{1 \times h}` (d2l's collapsed MLP); `\mathbf{b}^{(1)} \mathbf{W}^{(2)}` added to an n x q matrix",
            r"a row (1 x q) that an equation or an expression computes, its 1 the source's own (papermath never solves a size to 1), added to a matrix of n rows: the row goes to every row (a broadcast, as NumPy and PyTorch), as a declared row bias does; the rows are never solved to 1 (said in the readings). Multiplied entry by entry instead, refused (`one row against n rows`)",
        ),
        "shapes/rules_computed_row.py",
        (
            ok(
                "X \\in \\mathbb{R}^{n \\times d}, W \\in \\mathbb{R}^{d \\times q}, c \\in \\mathbb{R}^{1 \\times q}\nb = c + c\nO = X W + b",
                says="computed from declared rows",
                O="n x q",
                b="1 x q",
            ),
            refused(
                "X \\in \\mathbb{R}^{n \\times d}, W \\in \\mathbb{R}^{d \\times q}, c \\in \\mathbb{R}^{1 \\times q}\nb = c + c\nO = (X W) \\odot b",
                "one row against n rows",
                at="(X W) \\odot b",
            ),
        ),
    ),
    Rule(
        "sizes.layer-widths",
        "sizes",
        (
            r"`\overset{[N \times D_k]}{s_k} = \overset{[N \times D_{k-1}]}{z_{k-1}} \cdot \overset{[D_{k-1} \times D_k]}{W}`; a backward line `\delta_{k-1} = \delta_k \cdot W^T \odot ...`",
            r"`D_k`, `D_{k-1}`: the widths of layers k and k-1, never solved equal (an equation that forces them equal is an error naming both); a value written at two layers has the width of each (`\delta_{k-1}` is N x D_{k-1} where `\delta_k` is N x D_k); W with no index but a size that names two layers is one W per layer; a left side one layer back from a right side that reads layer k is a backward recurrence, read for shapes (code refused)",
        ),
        "read/rules_layer_widths.py",
        (
            ok(
                "\\overset{[N \\times D_k]}{s_k} = \\overset{[N \\times D_{k-1}]}{z_{k-1}} "
                "\\cdot \\overset{[D_{k-1} \\times D_k]}{W}",
                says="one W per layer",
                s="N x D_k",
                z="N x D_{k-1}",
                W="D_{k-1} x D_k",
            ),
            refused(
                "\\overset{[N \\times D_k]}{s_k} = \\overset{[N \\times D_k]}{z_{k-1}} "
                "\\cdot \\overset{[D_{k-1} \\times D_k]}{W}",
                "D_{k-1}",
            ),
        ),
    ),
    Rule(
        "sizes.layer-declared-widths",
        "sizes",
        (
            r"`H^{(l)} \in \mathbb{R}^{n \times d_l}`, `W^{(l)} \in \mathbb{R}^{d_l \times d_{l+1}}` beside `H^{(l+1)} = \sigma(A H^{(l)} W^{(l)})` (a GCN's notes: a value declared at its layer)",
            r"the shape of the value at layer l: `d_l`, `d_{l+1}` the widths of two layers (never solved equal); at another layer its declared shape moved by the layers between (read one step earlier, `W^{(l-1)}` is d_{l-1} x d_l); shapes only (code refused: steps of one shape); such a width on a value written without the layer (`W \in \mathbb{R}^{d_l \times d_{l+1}}`) stays refused",
        ),
        "parse/layer_declared.py",
        (
            ok(
                r"H^{(l+1)} = \sigma(A H^{(l)} W^{(l)}), H^{(l)} \in \mathbb{R}^{n \times d_l}, W^{(l)} \in \mathbb{R}^{d_l \times d_{l+1}}",
                says="a value per layer l",
                H="n x d_l",
                W="d_l x d_{l+1}",
            ),
            refused(
                r"H^{(l+1)} = \sigma(A H^{(l)} W), H^{(l)} \in \mathbb{R}^{n \times d_l}, W \in \mathbb{R}^{d_l \times d_{l+1}}",
                "a size that changes with the layer",
                at="d_{l+1}",
            ),
        ),
    ),
    Rule(
        "sizes.dot-product-width",
        "sizes",
        (
            r"`\frac{(\mathbf{W}_3\mathbf{x}_i)^{\top} (\mathbf{W}_4\mathbf{x}_j)}{\sqrt{d}}` with d declared nowhere, after \"computed via multi-head dot product attention\" (PyG's TransformerConv)",
            r"d is the width of the two vectors whose dot product is scaled (Vaswani et al.'s `\sqrt{d_k}`): a size, a number in the formula; the vectors have d entries. Only where the text says dot product and the numerator is `a^\top b`; otherwise d under a root declared nowhere stays refused (a size or a learned scalar?)",
        ),
        "read/rules_dot_width.py",
        (
            ok(
                "the scores are dot products:\n$$s = \\frac{(W_q x)^\\top (W_k y)}{\\sqrt{d}}$$\n"
                "$$x \\in \\mathbb{R}^{F}, y \\in \\mathbb{R}^{F}$$\n",
                says="the width d of the vectors of a dot product",
                W_q="d x F",
                W_k="d x F",
            ),
            refused(
                "$$s = \\frac{(W_q x)^\\top (W_k y)}{\\sqrt{d}}$$\n$$x \\in \\mathbb{R}^{F}, y \\in \\mathbb{R}^{F}$$\n",
                "declared nowhere",
                at="d",
            ),
        ),
    ),
    Rule(
        "sizes.entry-matrix",
        "sizes",
        (
            r"`\left[ a_{ij} \right]_{i \in 1..N, j \in 1..D}` (also a `matrix` of ranges, `1, \dots, N`, `\{1, \dots, N\}`); `[\frac{\partial z_{ij}}{\partial s_{ij}}]_{...}`",
            r"the matrix N x D whose entry (i, j) is the body: a symbol's entries are that symbol; an elementwise derivative is a value dz_ds read for its shape only (code refused: the source does not give z = f(s)); ranges that disagree with the shape written above are an error (the ranges are parsed by parse/entry_matrix.py)",
        ),
        "read/rules_entry_matrix.py",
        (
            ok(
                "h = \\left[ a_{ij} \\right]_{i \\in 1..N, j \\in 1..D} W\n"
                "W \\in \\mathbb{R}^{D \\times M}",
                says="matrix by its entries",
                a="N x D",
                h="N x M",
            ),
            refused("h = [a_{ij}]_{i \\in 0..N, j \\in 1..D} W", "range", at="0..N"),
        ),
    ),
    Rule(
        "statements.state-one-step-ahead",
        "statements",
        (
            r"`h_{t + 1} = (1 - z_t) \odot n_t + z_t \odot h_t` beside equations at `t` that read `h_t` (MLX's GRU and LSTM)",
            r"**the state one step ahead**: the same recurrence as `h_t = ... h_{t-1}`, read in the frame of the step it defines (the state's t+1 as t, its t as t-1, every other value at t; said in the readings). Only where the frame is one: nothing at t-1 or t+2, no equation at t reads a state's t+1, and the value at t+1 is read at t (else it is no state: seq2seq's prediction `\hat y_{t+1}`)",
        ),
        "parse/frames.py",
        (
            ok(
                r"r_t = \sigma(W_{xr} x_t + W_{hr} h_t), h_{t + 1} = (1 - r_t) \odot \tanh(W_{xn} x_t) + r_t \odot h_t, x_t \in \mathbb{R}^m, h_t \in \mathbb{R}^n",
                kinds={"h": "state"},
                W_hr="n x n",
                W_xn="n x m",
            ),
        ),
    ),
    Rule(
        "statements.variant-display",
        "statements",
        (
            r"a second display that redefines the first's values after words of an alternative (`With Tanh activation function:`, `If ... the above becomes`, `or in the case of ...`)",
            r"**another variant** of the model: the first display is read, the second left out (said in the readings, with the words that introduce it); any other value defined twice is refused",
        ),
        "parse/variants.py",
        (
            ok(
                "With ReLU activation function:\n\n$$h_t = \\mathrm{relu}(W_{ih} x_t + W_{hh} h_{t-1})$$\n\nWith Tanh activation function:\n\n$$h_t = \\tanh(W_{ih} x_t + W_{hh} h_{t-1})$$\n",
                says=r"variant",
            ),
        ),
    ),
    Rule(
        "sizes.width-named-by-its-vectors",
        "sizes",
        (
            r"`\frac{Q K^\top}{\sqrt{d_k}}` with d_k declared nowhere (labml's multi-head attention): the subscript of d is the letter of a factor of the product under the root",
            r"d_k is the width of that factor's vectors (K is m x d_k, q^T k: k in R^{d_k}), a size the product sums over, a number in the formula, not a learned scalar; the factor declared, or a subscript that names no factor (`\sqrt{d}`, `\sqrt{d_h}`), reads as before (refused where nothing else says d is a size)",
        ),
        "read/rules_key_width.py",
        (
            ok(
                r"A = \mathrm{softmax}\left(\frac{Q K^\top}{\sqrt{d_k}}\right) V",
                says="the width d_k of K",
                K="? x d_k",
                Q="? x d_k",
            ),
            refused(
                r"A = \mathrm{softmax}\left(\frac{Q K^\top}{\sqrt{d_h}}\right) V",
                "declared nowhere",
                at="d_h",
            ),
        ),
    ),
    Rule(
        "doubts.missing-script-mark",
        "doubts",
        (
            r"`z^{(i)} = z{(i)} + \phi(k^{(i)})` (labml's fast weights: a letter, then a braced parenthesis, where the source writes `z^{(i)}` elsewhere)",
            r"a `^` (or `_`) is missing: braces only group, so it would be z times (i), or z defined by itself; which value was meant (`z^{(i-1)}`, a running sum?) is not written. Refused at the letter and its braces, before anything is read",
        ),
        "parse/missing_script.py",
        (
            refused(r"z^{(i)} = z{(i)} + k^{(i)}", "a ^ (or _) is missing", at="z{(i)}"),
            ok(r"z^{(i)} = z^{(i-1)} + k^{(i)}", z="?"),
        ),
    ),
    Rule(
        "functions.softmax-axis-under",
        "functions",
        (
            r"`\underset{seq}{\mathop{softmax}}\Bigg(\frac{Q K^\top}{\sqrt{d_k}}\Bigg)V` (labml's multi-head attention: the axis written under the softmax)",
            r"read for its shape (a softmax keeps its argument's shape whichever axis it runs over): shapes, explain and the diagram work; code is refused at the head, as papermath cannot match the word under it to one of the axes (queries and keys are both sequences); the hint writes `\mathrm{softmax}` where the last axis (the keys) is the one meant",
        ),
        "read/rules_softmax_axis.py",
        (
            ok(
                r"y = \underset{seq}{\mathrm{softmax}}(x), x \in \mathbb{R}^{n}",
                says="softmax over an axis the source names in words",
                y="n",
            ),
        ),
    ),
    Rule(
        "doubts.operator-said-concatenation",
        "doubts",
        (
            r"`[\text{stop-gradient}(h_{\tau}) \circ h_{\tau+1}]` beside \"The concatenation operation $$[. \circ .]$$ is along the sequence length dimension\" (Lil'Log's Transformer-XL)",
            r"the mention between placeholders is prose (blanked); where its sentence says the operator concatenates, its use is refused at the operator: read as a product it would be another model (L rows joined to L rows are 2L rows); a mention that says nothing of concatenation is only blanked",
        ),
        "parse/operator_words.py",
        (
            refused(
                "$$y = [a \\circ b]$$\n\nThe concatenation operation $$[. \\circ .]$$ joins the rows.",
                "concatenation",
                at="\\circ",
            ),
            ok(
                "$$y = a \\odot b$$\n\nwhere $$. \\odot .$$ is the Hadamard product and $a \\in \\mathbb{R}^n$.",
                y="n",
            ),
        ),
    ),
    Rule(
        "doubts.prose-bracket-sizes",
        "doubts",
        (
            r"CS231n's prose sizes: \"Here, \\\\(W_1\\\\) could be, for example, a [100x3072] matrix\", \"the matrix \\\\(W_2\\\\) would then be of size [10x100]\"; the nonlinearity named with a dash for its argument, `\\\\(max(0,-) \\\\)`",
            r"the call with a dash is prose that names the function (blanked); a size in brackets said in the sentence of a symbol the equations use is refused at the brackets (papermath does not read sizes from such words; without them every size is free), the hint declaring each symbol as the prose gives it; a symbol declared beside the equations is not refused",
        ),
        "parse/bracket_sizes.py",
        (
            refused(
                "\\\\( s = W x \\\\). The function \\\\(max(0,-) \\\\) is not used. Here \\\\(W\\\\) maps it to a [10x3072] output.",
                "size of W",
                at="[10x3072]",
            ),
            ok(
                "\\\\( s = W x \\\\). Here \\\\(W\\\\) is a [10x3072] matrix.\n$$W \\in \\mathbb{R}^{10 \\times 3072}$$",
                W="10 x 3072",
                x="3072",
            ),
        ),
    ),
    Rule(
        "statements.size-phrases",
        "statements",
        (
            r"a size said of one symbol in its sentence: CS231n's \"\\\\(W_1\\\\) could be, for example, a [100x3072] matrix\", \"the matrix \\\\(W_2\\\\) would then be of size [10x100]\"; Paddle's Chinese pages, \"形状为（hidden_size, input_size）。对应公式中的 :math:`W_{ih}`\" (its shape is ...; it is W_{ih} in the formula)",
            r"the **declaration** the words say (`W_1 \in \mathbb{R}^{100 \times 3072}`, `W_{ih} \in \mathbb{R}^{\text{hidden_size} \times \text{input_size}}`), quoted in the readings; only the symbol, then `is` / `could be` / `would then be` (optionally `for example`), then `a [AxB] matrix` or `of size [AxB]`; or `形状为（...）` then `对应公式中的` and the one symbol; a first axis named for the batch is dropped (the equations are per example); any other bracket size near a symbol stays refused (`doubts.prose-bracket-sizes`)",
        ),
        "parse/size_phrases.py",
        (
            ok(
                "\\\\( s = W_2 \\max(0, W_1 x) \\\\). Here, \\\\(W_1\\\\) could be, for example, a [100x3072] matrix. Finally, the matrix \\\\(W_2\\\\) would then be of size [10x100].",
                W_1="100 x 3072",
                W_2="10 x 100",
                x="3072",
                s="10",
            ),
            ok(
                ".. math::\n\n    h_t = \\tanh(W_{ih} x_t + W_{hh} h_{t-1})\n\n- **weight_ih** (Parameter) - 形状为（hidden_size, input_size）。对应公式中的 :math:`W_{ih}`。\n",
                says="形状为",
                W_ih="hidden_size x input_size",
                x="input_size",
            ),
        ),
    ),
    Rule(
        "functions.said-activation",
        "functions",
        (
            r"`h_{t} = \mathrm{act}(W_{ih}x_{t} + b_{ih} + W_{hh}h_{t-1} + b_{hh})` with \"其中的 `act` 表示激活函数\" (Paddle: act denotes the activation function), or \"where `act` is the activation function\"",
            r"the **unnamed activation**: an elementwise nonlinearity the source does not name (shapes, explain, diagrams, gradients; code asks which, `% act: tanh` or `% \mathrm{act}: tanh`), never a learnable function; only where the prose names the function right before \"is/denotes the activation function\" or \"表示激活函数\"",
        ),
        "read/rules_said_activation.py",
        (
            ok(
                "$$h_t = \\mathrm{act}(W x_t + U h_{t-1} + b)$$\n\nwhere `act` is the activation function.\n",
                says="the activation function, as the prose says",
                kinds={"h": "state", "W": "parameter"},
                h="?",
            ),
        ),
    ),
    Rule(
        "statements.index-said-in-prose",
        "statements",
        (
            r"`y_i = x_2^\top W_i x_1 + b_i` with \":math:`W` has shape ``[output_dims, input2_dims, input1_dims]``, :math:`b` has shape ``[output_dims]``, and :math:`i` indexes the output dimension\" (MLX's Bilinear)",
            r"`i` an index over the outputs (one equation per i, `i \in \{1, \dots, \text{output_dims}\}`); each symbol the equations write only as `W_i`, `b_i` is the slice i of the listed shape (`W_i \in \mathbb{R}^{\text{input2_dims} \times \text{input1_dims}}`, `b_i` a number); a list whose first word names another axis stays refused (`the prose gives the shape of W`)",
        ),
        "parse/prose_index.py",
        (
            ok(
                "    y_i = x_2^\\top W_i x_1 + b_i\n\nwhere:\n:math:`W` has shape ``[output_dims, input2_dims, input1_dims]``, :math:`b` has shape ``[output_dims]``,\nand :math:`i` indexes the output dimension.\n",
                W="input2_dims x input1_dims",
                b="",
                x_1="input1_dims",
            ),
            refused(
                "    y_i = x_2^\\top W_i x_1 + b_i\n\nwhere:\n:math:`W` has shape ``[output_dims, input2_dims, input1_dims]``, :math:`b` has shape ``[output_dims]``,\nand :math:`i` indexes the input dimension.\n",
                "the prose gives the shape of W",
                at="[output_dims",
            ),
        ),
    ),
    Rule(
        "doubts.attention-undefined",
        "doubts",
        (
            r"`\text{Attention}(\mathbf{X}_q\mathbf{W}^q_i, \mathbf{X}_k\mathbf{W}^k_i, \mathbf{X}_v\mathbf{W}^v_i)` in an excerpt that does not define it (Lil'Log's multi-head attention)",
            r"refused at the name: a function named for attention (`attention` in its name) that no equation defines is not the affine map an undefined function is read as (it multiplies its arguments); the hint writes the definition that settles it. Where the prose names the scaled dot-product attention, `functions.attention-named-in-prose` reads it",
        ),
        "read/rules_attention_calls.py",
        (refused(r"h = \mathrm{Attention}(Q, K, V)", "defined nowhere", at=r"\mathrm{Attention}"),),
    ),
    Rule(
        "functions.attention-named-in-prose",
        "functions",
        (
            r"`\text{head}_i = \text{Attention}(QW_i^Q,KW_i^K, VW_i^V)` defined by no equation, the prose naming it: \"which we pass through the scaled dot product attention\" (UvA DL tutorial 6's multi-head attention)",
            r"the standard function the prose names (Vaswani et al. eq. 1): softmax(Q K^T / sqrt(d_k)) V with the three arguments in place of Q, K, V; each a matrix of one row per query, key or value (the softmax over the keys, each row), Q and K of d_k columns (the source's own size d_k, so the keys' width is checked against it; a source that declares no size d_k is refused at the name, the keys' width not guessed), V one row per key; an argument written `X W` is the matrix product. Every stage reads the body (code, backward, grad, explain, diagram, report). Only the name Attention (Attn, DotProductAttention, ScaledDotProductAttention) with three arguments; without the prose's words (or a name such as MultiHeadAttention) it stays refused (`doubts.attention-undefined`)",
        ),
        "read/rules_attention_named.py",
        (
            ok(
                "the scaled dot-product attention\n\n$$H = \\mathrm{Attention}(X W^Q, X W^K, X W^V)$$\n\n$W^Q, W^K \\in \\mathbb{R}^{D \\times d_k}$, $W^V \\in \\mathbb{R}^{D \\times d_v}$, $X \\in \\mathbb{R}^{n \\times D}$\n",
                says="scaled dot-product attention, named in the prose",
                H="n x d_v",
            ),
            refused(
                "$$H = \\mathrm{MultiHeadAttention}(Q, K, V)$$ the scaled dot product attention",
                "defined nowhere",
                at=r"\mathrm{MultiHeadAttention}",
            ),
            refused(
                "the scaled dot product attention $$H = \\mathrm{Attention}(Q, K, V)$$",
                "declares no size d_k",
                at=r"\mathrm{Attention}",
            ),
        ),
    ),
    Rule(
        "doubts.tuple-left-side",
        "doubts",
        (
            r"`(h_t^1, c_t^1) = \text{LSTM}^1(x_t, (h_{t-1}^1, c_{t-1}^1))` (a named cell with layer superscripts: `statements.named-lstm-call` reads the plain form), `a, b = W_a x, W_b x, W_c x`",
            r"one equation that names several values, other than a tuple of as many values (`statements.tuple-pairs`), is not read yet: refused at the whole left side, the hint writing one equation per value or naming the function the source does not write out (for one call)",
        ),
        "parse/tuples.py",
        (refused(r"a, b = W_a x, W_b x, W_c x", r"tuple", at=r"a, b"),),
    ),
    Rule(
        "doubts.undeclared-input-beside-declared-state",
        "doubts",
        (
            r"`x_{k} = \overline{A} x_{k-1} + \overline{B} u_k` with `x_k \in \mathbb{R}^N` declared and `u_k` not (the Annotated S4)",
            r"the input's size is refused at its first use: the source declares the state's size and not the input's, and both a scalar sample per step and a vector are common; declare `u_k \in \mathbb{R}` or `\mathbb{R}^m`. A source that declares no sizes keeps the convention (the input a vector)",
        ),
        "read/rules_signals.py",
        (
            refused(
                "$x_k \\in \\mathbb{R}^N$ the hidden state.\n$$x_{k} = \\overline{A} x_{k-1} + \\overline{B} u_k$$",
                r"u_k",
                at=r"u_k",
            ),
            ok(
                "$x_k \\in \\mathbb{R}^N$, $u_k \\in \\mathbb{R}$.\n$$x_{k} = \\overline{A} x_{k-1} + \\overline{B} u_k$$",
                B_bar="N",
            ),
        ),
    ),
    Rule(
        "doubts.left-side-refusals",
        "doubts",
        (
            r"a column of numbers on the left (`\begin{bmatrix}0.3 \\ -0.1 \end{bmatrix} = \tanh(W \dots)`, CS231n's worked example); `\text{loss}(x 1, x2) = \dots` (an argument with a digit after a space; `x1` written together is `statements.digit-names`)",
            r"a worked example (one step of a model by hand, not an equation that defines a value) and a name read as x times 1 are refused at the construct, with what each one is",
        ),
        "read/rules_left_sides.py",
        (
            refused(
                r"\begin{bmatrix}0.3 \\ -0.1 \end{bmatrix} = \tanh(W \begin{bmatrix}1 \\ 0 \end{bmatrix})",
                r"worked by hand",
            ),
            refused(r"\text{loss}(x 1, x2) = \max(0, x 1 - x2)", r"x 1"),
        ),
    ),
    Rule(
        "keys.step-superscript-defined",
        "keys",
        (
            r"`\alpha^{l}` defined by an equation (`\alpha_{ij}^{l} = \mathrm{softmax}_i(e_{ij}^{l})`, DGL's GATConv) beside a step l",
            r"`alpha` at step l",
            r"a power of the step number (Adam's `\beta_1^t`) is never defined by an equation: where the symbol with that superscript is a left side, the superscript is the step, as `\alpha^{(l)}` (said in the readings); `\beta_1^t` undefined is a power of the step number (`statements.step-number-power`)",
        ),
        "read/rules_step_powers.py",
        (
            ok(
                r"h^{(l+1)} = \alpha^{l} \odot \tanh(W h^{(l)}), \alpha^{l} = \sigma(U h^{(l)}), h^{(l)} \in \mathbb{R}^n",
                alpha="n",
                W="n x n",
            ),
            refused(
                r"m_t = \beta_t m_{t-1} + g_t, \hat{m}_t = m_t / (1 - \beta^t), g_t \in \mathbb{R}^d",
                r"does not guess",
            ),
        ),
    ),
    Rule(
        "layout.newcommand",
        "layout",
        (
            r"`\newcommand{\name}[n]{body}`, `\renewcommand`, `\providecommand`, `\def\name#1{body}` (section 9)",
            r"expanded before reading, as TeX does; a macro that keeps expanding is an error; a malformed definition that nothing uses is skipped",
        ),
        "parse/macros.py",
        (
            ok(
                "\\newcommand{\\pderiv}[2]{\\frac{\\partial #1}{\\partial #2}}\n\\newcommand{\\Wx}{W_{x}}\n$$h = \\tanh(\\Wx x)$$\n$$x \\in \\mathbb{R}^m, h \\in \\mathbb{R}^n$$",
                W_x="n x m",
            ),
        ),
    ),
    Rule(
        "layout.prose-power-of-ten",
        "layout",
        (
            r"`Typically we pick $\epsilon = 10^{-6}$ for a good trade-off` (d2l's Adam section), `$\eta = 1 \times 10^{-3}$`: a constant given a power of ten in prose",
            r"**the value the text gives a constant** (`parse/prose.py`, `parse/examples.py`): an illustration, as `$\beta_1 = 0.9$` is, not an equation of the model; its number (1e-6) is the worked example's value. So the constant stays a constant that broadcasts where it is added to a vector (`\sqrt{\hat{\mathbf{s}}_t} + \epsilon`), never a computed scalar that would make the vector a scalar",
        ),
        "parse/prose.py",
        (
            ok(
                "$$y_t = \\frac{v_t}{\\sqrt{v_t} + \\epsilon}, v_t = \\beta v_{t-1} + g_t$$\nWe pick $\\epsilon = 10^{-6}$ here.\n",
                kinds={"epsilon": "constant"},
                v="?",
                epsilon="",
            ),
        ),
    ),
    Rule(
        "layout.prose-sizes-in-words",
        "layout",
        (
            r"prose bullets with inline math: `$x_t$ is input of size $m*1$ vector`, `$w_f$ is weights of size $k*(m+n)$ matrix` (the LSTM Q&A asker)",
            r"sizes said in words beside the symbol they name are declarations (a bullet's `w_f` matched to the equation's `W_f`, said in the readings); inline examples (`$x_t=[1, 2, 3]$`) are illustrations, not equations: their numbers are the worked example's values (`explain`, the workbench), and what they claim (`$w_f=3*3$`, `$[x_t, h_{t-1}]=[1, ..., 6]$`) is checked against the equations (parse/examples.py)",
        ),
        "parse/prose.py",
        (
            ok(
                "$$f_t = \\sigma(W_f x_t + b_f)$$\n* $x_t$ is input of size $m*1$ vector\n* $W_f$ is weights of size $k*m$ matrix",
                W_f="k x m",
                b_f="k",
            ),
        ),
    ),
    # ---- brief RG1 (issue 24): Spektral and matrix-form GCNs (tests/test_rg1_gcn_forms.py) ----
    Rule(
        "conventions.bias-of-a-product",
        "conventions",
        (
            r"the bias letter `b`, declared by nothing, added to a matrix product whose weight (`W`, `U`, `V`, `\Theta`) is one outer factor is a vector of the weight's output size, added to every row (`X W + b`) or every column (`W X + b`)",
            r"Spektral's GCNConv `\X' = \hat\D^{-1/2} \hat\A \hat\D^{-1/2} \X \W + \b`: `b` of `F'` entries, not an `N x F'` matrix",
            r"declare it: `b \in \mathbb{R}^{N \times F}`",
        ),
        "shapes/rules_bias.py",
        (
            ok(
                r"Y = X W + b, X \in \mathbb{R}^{N \times F}, W \in \mathbb{R}^{F \times H}",
                says="bias-of-a-product",
                b="H",
                Y="N x H",
            ),
            ok(
                r"Z = W X + b, W \in \mathbb{R}^{H \times F}, X \in \mathbb{R}^{F \times N}",
                says="every column",
                b="H",
                Z="H x N",
            ),
        ),
    ),
    Rule(
        "doubts.learned-value-beside-a-vector",
        "doubts",
        (
            r"`x_j \textrm{MLP}(e_{j \rightarrow i})` (Spektral's ECCConv: the MLP 'outputs an edge-specific weight'): a vector beside the value of a learnable function whose output nothing gives, no product sign",
            r"the function's value is a vector only by papermath's default (an affine map), which would make the product elementwise (a gate as wide as x); a weight matrix the function outputs, or a number, reads otherwise: refused at the product; `x \odot \mathrm{MLP}(e)` reads",
        ),
        "shapes/rules_learned_value.py",
        (
            refused(
                r"h = x \mathrm{MLP}(e), x \in \mathbb{R}^{F}",
                "learnable function",
                "does not guess",
                at="x \\mathrm{MLP}",
            ),
            ok(r"h = x \odot \mathrm{MLP}(e), x \in \mathbb{R}^{F}", h="F"),
        ),
    ),
    Rule(
        "doubts.norm-of-a-matrix",
        "doubts",
        (
            r"`\X' = \frac{\X'}{\|\X'\|}` (Spektral's GraphSAGE): a matrix divided by the norm of a matrix, the bars with no subscript",
            r"the bars name the Frobenius norm, the spectral norm or each row's norm (graph layers normalise every node's features); the quotient has the matrix's shape under each: read for shapes and kinds (the readings say so), code refused at the norm; `\|Z\|_F` reads; a penalty `\lambda \|W\|^2` and a matrix of one row or column read as before",
        ),
        "shapes/rules_matrix_norm.py",
        (
            ok(
                r"Y = \frac{Z}{\|Z\|}, Z \in \mathbb{R}^{n \times m}",
                says="norm of a matrix (which one not said)",
                Y="n x m",
            ),
            ok(r"Y = \frac{Z}{\|Z\|_F}, Z \in \mathbb{R}^{n \times m}", Y="n x m"),
        ),
    ),
    Rule(
        "doubts.index-as-argument",
        "doubts",
        (
            r"`\frac{1}{\text{mass}(i)}` under `\sum_{j \in \mathcal{N}(i)}`, `\text{deg}(t)` with t a step: a word applied to a node's (or step's) index",
            r"a value per node written as a function of the index, which papermath reads only in subscripts and under sums: refused at the index; the hint names what reads (a subscripted symbol, declared); a node's degree `\text{deg}(i)` reads (`functions.degree-word`)",
        ),
        "read/rules_index_argument.py",
        (
            refused(
                r"z_i = \sum_{j \in \mathcal{N}(i)} \frac{1}{\text{mass}(i)} W h_j",
                "a word applied to i",
                at="i",
            ),
        ),
    ),
    Rule(
        "functions.degree-word",
        "functions",
        (
            r"`\frac{1}{\sqrt{\text{deg}(i) \cdot \text{deg}(j)}}` under `\sum_{j \in \mathcal{N}(i)}` (`\mathrm{deg}`, `\operatorname{deg}`, `\text{degree}`, LaTeX's `\deg`), i a node index",
            r"the degree of node i: the number of its neighbours along the edges into it (its in-degree, as `|\mathcal{N}(i)|`), one number per node that the graph gives (not a parameter, not an input); another word applied to an index stays refused (`doubts.index-as-argument`), and so does `\deg` of anything but a node index",
        ),
        "read/rules_degree_word.py",
        (
            ok(
                r"z_i = \sum_{j \in \mathcal{N}(i)} \frac{1}{\sqrt{\text{deg}(i) \cdot \text{deg}(j)}} W h_j, h_i \in \mathbb{R}^{F}, W \in \mathbb{R}^{G \times F}",
                says="the degree of node i",
                z="G",
            ),
        ),
    ),
    Rule(
        "doubts.edge-entries",
        "doubts",
        (
            r"`\X' = \mathbf{\alpha}\X\W + \b` with `\mathbf{\alpha}_{ij} = \frac{\exp(...)}{\sum_{k \in \mathcal{N}(i) \cup \{ i \}} \exp(...)}` (Spektral's GATConv): a matrix given by its entries over the edges",
            r"not read yet (a matrix of edge values, zero off the graph); refused at `ij` with the form that reads: the layer per node, `x_i' = \sum_{j \in \mathcal{N}(i) \cup \{i\}} \alpha_{ij} W x_j`, `\alpha_{ij}` one value per edge",
        ),
        "read/rules_edge_entries.py",
        (
            refused(
                r"\alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k \in \mathcal{N}(i)} \exp(e_{ik})}",
                "entries with two indices",
                at="ij",
            ),
        ),
    ),
    Rule(
        "doubts.matrix-words",
        "doubts",
        (
            r"`\vect{D} = \text{diag}(d_{i})` (NYU's course notes), `\mathrm{det}(A)`, `\mathrm{tr}(A)`: a function of linear algebra written as a word",
            r"not a learnable function (an unknown word applied to arguments is read as one): refused at the word, as `\det` and `\operatorname{diag}` are; a diagonal matrix times a vector is written `d \odot x`",
        ),
        "read/rules_matrix_words.py",
        (refused(r"D = \text{diag}(d)", "function of linear algebra", at="\\text{diag}"),),
    ),
    Rule(
        "doubts.bracket-steps",
        "doubts",
        (
            r"`h[t] = g(W_h [x[t]; h[t-1]] + b_h)`, `h[0] \dot= 0`, `\hat{y}[t] = g(W_y h[t] + b_y)` (NYU's course notes; signal processing's `x[n]`): the step in square brackets right after the name",
            r"**the step, as a subscript** (`parse/bracket_steps.py`): `h[t]` is `h_t`, `h[t-1]` `h_{t-1}`, `h[0]` `h_0`, then read as any step. Only a bracket with no space before it holding one step (a letter, a letter plus or minus a whole number, a whole number), and only where the source makes its step brackets certain: a step bracket on a left side (`h[t] = ...`), or a letter with an offset (`[t-1]`); those name the step letters, and a bracket after a name holding one of them or a whole number is the step. Any other bracket reads as before (`W[x; h]` a block, `\tanh[W x]` an argument, `y = W[x]` with no step written in brackets a product)",
        ),
        "parse/bracket_steps.py",
        (
            ok(
                r"h[t] = \tanh(W h[t-1] + U x[t]), \hat{y}[t] = V h[t]",
                kinds={"h": "state", "x": "input", "W": "parameter"},
                W="d1 x d1",
                U="d1 x d2",
            ),
            ok(r"y = W[x; h], x \in \mathbb{R}^m, h \in \mathbb{R}^n", W="? x m + n"),
        ),
    ),
    Rule(
        "operators.diagonal-words",
        "operators",
        (
            r"`i_t = \sigma(W_{xi} x_t + W_{hi} h_{t-1} + W_{ci} c_{t-1} + b_i)` and the prose: “The weight matrices from the cell to gate vectors (e.g. $W_{ci}$) are diagonal” (Graves 2013's peephole LSTM)",
            r"**a diagonal matrix, as the matrix times the identity** (`parse/diagonal_words.py`): each weight the sentence names before “are diagonal” / “is diagonal”, written before a factor, is `(W_{ci} \odot I)`: only its diagonal is used and trained (the entries off it take no gradient); after “e.g.” the family is every weight of the same letter whose subscript starts as the named one's and that multiplies the same value (`W_{cf} c_{t-1}`, `W_{co} c_t`), none other. The readings quote the sentence; printed gradients write `I_{n}`. Refused where the source writes a name `I` of its own. Without the words, a full matrix as before (written as code: `code-bracket-index`)",
        ),
        "parse/diagonal_words.py",
        (
            ok(
                "$$i_t = \\sigma(W_{xi} x_t + W_{ci} c_{t-1})$$ $$c_t = i_t \\odot c_{t-1}$$\nThe weight matrices from the cell to gate vectors (e.g. $W_{ci}$) are diagonal.\n",
                says="diagonal",
                W_ci="d1 x d1",
            ),
            refused(
                "$$i_t = \\sigma(W_{xi} x_t + W_{ci} c_{t-1} + I)$$ $$c_t = i_t \\odot c_{t-1}$$\nThe weight matrices from the cell to gate vectors (e.g. $W_{ci}$) are diagonal.\n",
                "diagonal",
                at="W_{ci}",
            ),
        ),
    ),
    Rule(
        "doubts.bracket-blocks",
        "doubts",
        (
            r"`W_h \dot= \left[ W_{hx} W_{hh}\right]` (NYU's course notes: \"W_h can be written as two separate matrices\"): names side by side in square brackets, nothing else in them",
            r"a matrix of blocks beside each other (MATLAB's `[A B]`, an augmented matrix `[A b]`) or a product in brackets: papermath does not guess (read as a product, W_{hh} would multiply W_{hx}), and block matrices with several columns are not read yet. Refused at the brackets where they stand as a value of their own (a whole right side, a term of a sum); `\tanh[W x]`, `W[x]` are left to the other rules (`parse/bracket_blocks.py`)",
        ),
        "parse/bracket_blocks.py",
        (
            refused(
                r"W_h = \left[ W_{hx} W_{hh}\right]",
                "names side by side in square brackets",
                at="[",
            ),
            ok(r"y = \tanh[W x], x \in \mathbb{R}^m, y \in \mathbb{R}^n", W="n x m"),
        ),
    ),
    Rule(
        "doubts.gaussian-as-a-value",
        "doubts",
        (
            r"`u_t \leftarrow -\alpha_t (g_t + N(0, \sigma_t^2))` (optax's noisy_sgd: \"N(0, \sigma_t^2) represents Gaussian noise\"), `\mathcal{N}(0, \sigma^2 I)` in a sum",
            r"a normal distribution written where a value is: a draw of noise, not a function of 0 and the variance (read as a call, N would be a learnable function). Refused at the call where its first argument is the number 0; the hint names the draw as papermath reads one, `\epsilon_t \sim \mathcal{N}(0, I)` and `s_t \epsilon_t` (`parse/gaussian_values.py`). After `\sim` it is a sampling statement, read as before",
        ),
        "parse/gaussian_values.py",
        (
            refused(r"u = -\alpha (g + N(0, \sigma^2))", "a normal distribution", at="N(0"),
            ok(
                r"u = g + s \epsilon, \epsilon \sim \mathcal{N}(0, I), g \in \mathbb{R}^P, s \in \mathbb{R}",
                epsilon="P",
            ),
        ),
    ),
    Rule(
        "doubts.arrow-before-an-equation",
        "doubts",
        (
            r"`\{x_i\}_{i=1}^{t} \to H = f(U X)`, `\mapsto`, `\Rightarrow`: an arrow that is not the squiggly \"leads to\" from what an equation reads to the equation, on one line",
            r"what the arrow's left side is (a map's domain, the condition of an implication) papermath does not guess: refused at the arrow, the hint says to keep the equation after it alone. The squiggly arrow (`\rightsquigarrow`, `\leadsto`) is read: `statements.arrow-leads-to-an-equation`",
        ),
        "parse/arrow_prefix.py",
        (
            refused(
                r"\{x_i\}_{i=1}^{t} \to H = f(U X)",
                "an arrow before the equation",
                at="\\to",
            ),
        ),
    ),
    Rule(
        "doubts.condition-in-a-script",
        "doubts",
        (
            r"`\T^{(k \ge 2)} = 2 \cdot \tilde \L \T^{(k - 1)} - \T^{(k - 2)}` (Spektral's ChebConv), `y_{t \neq 1}`: a relation inside a superscript or subscript",
            r"a condition on the index (the equation holds for those k only), not an inequality between values: not read; the hint says to write the index alone and keep the condition in prose. Read only on a recursion over orders whose first values are the orders it leaves out, a sum running over them (`statements.order-condition`)",
        ),
        "parse/script_conditions.py",
        (
            refused(
                r"T^{(k \ge 2)} = 2 L T^{(k - 1)} - T^{(k - 2)}",
                "condition on the index k",
                at="\\ge",
            ),
        ),
    ),
    Rule(
        "statements.state-projection",
        "statements",
        (
            r"`h_{t} = o_{t} * \tanh(c_{t})`, then prose that says the state is projected (\"the dimension of hidden state h_t will be projected to proj_size\", Chinese 映射), then `h_{t} = h_{t}W_{proj\_size}` (PaddlePaddle's LSTMCell with proj_size)",
            r"one step, not two definitions of h: the first value is `\breve{h}_t` (key `h_breve`), `h_t = \breve{h}_t W_{proj\_size}` the projected state that every other `h` means (`h_{t-1}` in the gates, the output); the reading quotes the sentence. Without it, or where the second is no product of h with one factor, `h is defined twice` (refused)",
        ),
        "parse/projections.py",
        (
            ok(
                "$$c_t = \\sigma(W_c x_t + U_c h_{t-1})$$\n$$h_t = \\tanh(c_t)$$\n"
                "The hidden state is then projected:\n$$h_t = h_t W_p$$\n"
                "$$x_t \\in \\mathbb{R}^{m}, c_t \\in \\mathbb{R}^{n}$$",
                says="projected",
                h_breve="n",
                W_p="n x ?",
                c="n",
            ),
            refused(
                "$$c_t = \\sigma(W_c x_t + U_c h_{t-1})$$\n$$h_t = \\tanh(c_t)$$\n"
                "$$h_t = h_t W_p$$\n$$x_t \\in \\mathbb{R}^{m}, c_t \\in \\mathbb{R}^{n}$$",
                "defined twice",
                at="h_t",
            ),
        ),
    ),
    Rule(
        "conventions.sibling-weights",
        "conventions",
        (
            r"weights of one lowercase letter with different labels before one operator: `w_{ih} * x_t + w_{hh} * h_{t-1}` (PyTorch's 2017 RNN docstring, `*` the matrix product), Haiku's `w_i x_t + w_h h_{t-1}`",
            r"where the shapes force one (`w_{ih}` takes a d-vector to an H-vector: a matrix), the others the shapes leave open are matrices too, not the lowercase letter's vector; the reading names the sibling",
            r"declare the weight (`w_{hh} \in \mathbb{R}^{H}` for an elementwise one)",
        ),
        "shapes/rules_siblings.py",
        (
            ok(
                "h_t = \\tanh(w_{ih} * x_t + b_{ih} + w_{hh} * h_{t-1} + b_{hh})\n"
                "% x_t \\in \\mathbb{R}^{d}, h_t \\in \\mathbb{R}^{H}",
                says="sibling-weights",
                w_ih="H x d",
                w_hh="H x H",
            ),
        ),
    ),
    Rule(
        "doubts.braced-step",
        "doubts",
        (
            r"`W_{hh}h{t-1}`: braces right after a letter, a step inside, no underscore (an early PaddlePaddle SimpleRNNCell docstring), where t is a subscript elsewhere",
            r"LaTeX reads h times (t-1), the source means h at step t-1: papermath does not guess; the caret is on `h{t-1}`, the hint says `h_{t-1}` or `h (t-1)`",
        ),
        "parse/braced_steps.py",
        (
            refused(
                "h_{t} = \\tanh(W_{ih}x_{t} + W_{hh}h{t-1})",
                "t-1",
                "does not guess",
                at="h{t-1}",
            ),
        ),
    ),
    Rule(
        "sizes.size-argument",
        "sizes",
        (
            r"an argument list that says which symbol a size measures: `input_size: The number of expected features in the input x` (PyTorch's recurrent layers), `**hidden_size** (int) - 隐藏状态 :math:`h` 大小` (PaddlePaddle)",
            r"the argument declares the symbol it names: `x \in \mathbb{R}^{input_size}`, the size named by the argument's own word (parse/prose_args.py); said in the readings",
        ),
        "parse/prose_args.py",
        (
            ok(
                ".. math::\n\n    h_t = \\tanh(w_{ih} * x_t + b_{ih} + w_{hh} * h_{t-1} + b_{hh})\n\n"
                "Args:\n    input_size: The number of expected features in the input x\n"
                "    hidden_size: The number of features in the hidden state h\n",
                x="input_size",
                w_ih="hidden_size x input_size",
                w_hh="hidden_size x hidden_size",
            ),
        ),
    ),
    Rule(
        "doubts.italic-name-call",
        "doubts",
        (
            r"three or more letters typed together before an argument list on a right side: `lin_x^i(x_t)` (labml's LSTM cell), `FFN(x)`",
            r"LaTeX reads the product l i n with n called (F F N(x)); the source means a function named lin, and what it is the name alone does not say: the caret is on the call, the hint says `\mathrm{lin}_x^i(...)` (a learnable function) or spaces for a product. A name a left side defines (`FFN(x) = ...`) is not refused; a left side that writes the letters alone (`AGG = \gamma(...)`, cs224w's GraphSAGE) names a value with no arguments, and its call stays refused, the message saying so",
        ),
        "parse/italic_names.py",
        (
            refused(
                "i_t = lin_x^i(x_t) + lin_h^i(h_{t-1})",
                "typed together",
                "does not guess",
                at="lin_x^i(x_t)",
            ),
            refused(
                r"h_v = \sigma(W AGG(\{h_u, \forall u \in N(v)\})), AGG = \sum_{u \in N(v)} h_u",
                "typed together",
                "with no arguments",
                at="AGG(",
            ),
        ),
    ),
    Rule(
        "functions.italic-linear-name",
        "functions",
        (
            r"`i_t = lin_x^i(x_t) + lin_h^i(h_{t-1})` with \"Intermediate values and gates are computed as linear transformations of the hidden state and input\" (labml's LSTM cell)",
            r"`\mathrm{lin}_x^i(x_t)`: a function named lin (the letters are the start of \"linear\" and the prose says the values are computed as, or are, linear transformations, layers, maps or projections), one **learnable affine map** per label (`lin_x_i`), the words quoted in the readings; a sentence of another value (\"c never goes through a linear transformation\") is no such statement, and without one the letters stay refused (`doubts.italic-name-call`)",
        ),
        "parse/italic_linear.py",
        (
            ok(
                "$$i_t = lin_x^i(x_t) + lin_h^i(h_{t-1})$$\n\nThe gates are computed as linear transformations of the hidden state and input.\n",
                says="italic name read as a linear map",
                kinds={"x": "input"},
                i="?",
            ),
        ),
    ),
    Rule(
        "operators.recursion-over-orders",
        "operators",
        (
            r"`X' = \sum_{k=1}^{K} Z^{(k)} \Theta^{(k)}` with `Z^{(1)} = X`, `Z^{(2)} = \hat{L} X`, `Z^{(k)} = 2 \hat{L} Z^{(k-1)} - Z^{(k-2)}` (ChebConv, PyG's docstring; Spektral's `T^{(k \ge 2)}`)",
            r"**a sum over the orders of a recursion** (`read/rules_recursion.py`): Z^{(k)} defined from its own values at k-1, k-2 is a recursion over k, read as a recurrence over the steps k (Z its state); the definitions at numbered orders are its first values, each a value of its own (`Z_order1`) with Z's shape; the sum over k from the first value's order is a sum over those steps; `\Theta^{(k)}` one per order. Shapes, kinds and explain are read; code is generated unrolled (`ir/recursion.py`, K in dims): the first values as written, each further order from the ones before it, `\Theta^{(k)}` stored stacked. Refused as before: no first values, fewer than the recursion reaches back, a sum from another order; a value carrying k beside the sum, outside it (`b^{(k)} + \sum_k ...`), refused there (after the sum, its last term, it is `operators.order-value-after-the-sum`)",
        ),
        "read/rules_recursion.py",
        (
            ok(
                r"X' = \sum_{k=1}^{K} Z^{(k)} \Theta^{(k)}, Z^{(1)} = X, Z^{(2)} = L X, Z^{(k)} = 2 L Z^{(k-1)} - Z^{(k-2)}, X \in \mathbb{R}^{N \times F}",
                says="sum over the orders of Z",
                Z="N x F",
                Z_order2="N x F",
                L="N x N",
                Theta="F x ?",
            ),
            refused(
                r"X' = b^{(k)} + \sum_{k=0}^{K-1} Z^{(k)} W^{(k)}, Z^{(0)} = X, Z^{(1)} = L X, Z^{(k)} = 2 L Z^{(k-1)} - Z^{(k-2)}, X \in \mathbb{R}^{N \times F}",
                "outside that sum",
                at="b^{(k)}",
            ),
        ),
    ),
    Rule(
        "statements.definition-in-prose",
        "statements",
        (
            r"``and :math:`\mathbf{\hat{L}}` denotes the scaled and normalized Laplacian :math:`\frac{2\mathbf{L}}{\lambda_{\max}} - \mathbf{I}` `` (PyG's ChebConv)",
            r"`$S$ denotes [the] <a few words> $FORMULA$`, S a symbol the equations write and FORMULA an expression (not one symbol): the definition `S = FORMULA`, its spans on the words, said in the readings (`parse/prose_denotes.py`); `is`, a symbol of no equation, one symbol alone: left as prose",
        ),
        "parse/prose_denotes.py",
        (
            ok(
                "$$y = \\hat{L} x$$\n\nwhere $x \\in \\mathbb{R}^{n}$ and $\\hat{L}$ denotes the scaled Laplacian $2 L - I$.\n",
                says="definition said in the prose",
                L="n x n",
                L_hat="n x n",
            ),
        ),
    ),
    Rule(
        "statements.order-condition",
        "statements",
        (
            r"`\T^{(k \ge 2)} = 2 \cdot \tilde \L \T^{(k - 1)} - \T^{(k - 2)}` below `\T^{(0)} = \X` and `\T^{(1)} = \tilde \L \X` (Spektral's ChebConv)",
            r"the condition says the recursion holds from order 2 on, the orders before it defined on their own lines: blanked where the same symbol is defined at every order 0..n-1 (`parse/order_conditions.py`), read as `T^{(k)}` by `operators.recursion-over-orders`, which checks that n is where the first values end and says so; anywhere else refused at `\ge` (`doubts.condition-in-a-script`)",
        ),
        "parse/order_conditions.py",
        (
            ok(
                r"X' = \sum_{k=0}^{K-1} T^{(k)} W^{(k)}, T^{(0)} = X, T^{(1)} = L X, T^{(k \ge 2)} = 2 L T^{(k-1)} - T^{(k-2)}, X \in \mathbb{R}^{N \times F}",
                says="the recursion from order 2 on",
                T="N x F",
            ),
            refused(
                r"X' = \sum_{k=0}^{K-1} T^{(k)} W^{(k)}, T^{(0)} = X, T^{(1)} = L X, T^{(k \ge 3)} = 2 L T^{(k-1)} - T^{(k-2)}, X \in \mathbb{R}^{N \times F}",
                "inside a superscript",
                at=r"\ge",
            ),
        ),
    ),
    Rule(
        "statements.continuous-time",
        "statements",
        (
            r"`x'(t) = \boldsymbol{A}x(t) + \boldsymbol{B}u(t)`, `y(t) = \boldsymbol{C}x(t) + \boldsymbol{D}u(t)` after `a 1-D input signal $u(t)$ to an $N$-D latent state $x(t)$` (the Annotated S4)",
            r"**a differential equation in continuous time** (`parse/continuous_time.py`, `read/rules_time.py`): `x'(t)` on a left side with `x(t)` on a right side is the derivative of x in the time t (Lagrange's prime), a value of its own (`x_prime`) with x's shape; t is the time, every symbol written with `(t)` alone that signal's value at t; the prose `a 1-D ... $u(t)$` (a number at each t), `an $N$-D ... $x(t)$` (R^N) declares sizes. Shapes, kinds and explain are read; code is refused by name (it needs a discretisation). Refused as before: a second derivative `x''(t)`, a derivative with no `x(t)` beside it; plain text (no LaTeX command) reads `x'` as a transpose",
        ),
        "parse/continuous_time.py",
        (
            ok(
                "It maps a 1-D input signal $u(t)$ to an $N$-D latent state $x(t)$ and a 1-D output $y(t)$. $$x'(t) = \\boldsymbol{A} x(t) + \\boldsymbol{B} u(t)$$ $$y(t) = \\boldsymbol{C} x(t) + \\boldsymbol{D} u(t)$$",
                says="derivative in continuous time",
                A="N x N",
                B="N",
                C="1 x N",
                D="",
                x_prime="N",
            ),
            refused(r"$$x''(t) = \boldsymbol{A} x(t)$$", "derivative", at="x''(t)"),
        ),
    ),
    Rule(
        "operators.label-pick",
        "operators",
        (
            r"`f_{y_i}` (CS231n's softmax loss `L_i = -\log\left(\frac{e^{f_{y_i}}}{ \sum_j e^{f_j} }\right)`): a subscript that is itself a symbol indexed by the examples",
            r"**the entry of the vector f at the integer label y_i** (`read/rules_label_pick.py`, the primitive `gather`): y is target data, one integer per example in 0..K-1 (K the size of f); f defined per example (`f_i = ...`, `f(x_i, W, b) = ...`) is f_i's entry, a vector no equation defines (a bias per class `c_{y_i}`) is one for all examples; vectors one label picks from share their size; in an equation over i, `f_j` (j an entry index) is the entry j of f_i; `L_i = ...` beside `L = \frac{1}{N} \sum_i L_i` are two values (keys `L_i` and `L`). Code gathers (`np.take_along_axis`, `torch.gather`), the gradient is a scatter-add, `check` draws labels in range; `papermath grad` prints the gradient through it as `\left[f_i\right]_{y_i}` and `\operatorname{onehot}_{K}\left(y_i\right)` (tests/test_grad_oracle.py evaluates them against the generated backward). Refused: a label that picks from a matrix (`W_{y_i}`, a row)",
        ),
        "read/rules_label_pick.py",
        (
            ok(
                r"f_i = W x_i, L_i = -\log\left(\frac{e^{f_{y_i}}}{ \sum_j e^{f_j} }\right), J = \sum_i L_i, x_i \in \mathbb{R}^{D}, W \in \mathbb{R}^{K \times D}",
                says="the entry of f at the label y_i",
                kinds={"y": "target"},
                f="K",
                y="",
                L="",
            ),
            refused(
                r"f_i = W_{y_i} x_i, J = \sum_i f_i, x_i \in \mathbb{R}^{D}, W \in \mathbb{R}^{K \times D}",
                "vectors only",
                at="W_{y_i}",
            ),
        ),
    ),
    Rule(
        "operators.code-label-pick",
        "operators",
        (
            r"`x[class]` in a formula written as code, where the prose says the name in the brackets is the class index (Lua Torch's nn docs: `loss(x, class) = -x[class]` after \"expects a class index (1 to the number of class) as `target` when calling `forward(input, target)`\"); a continuation line that starts with `=` (`= -x[class] + log(\sum_j exp(x[j]))`)",
            r"**the entry of the vector x at the label `class`** (`parse/code_labels.py`, `read/rules_code_labels.py`: the pick of operators.label-pick, one integer, target data; code gathers, the gradient goes to the picked entry; the generated code counts labels from 0) where the prose calls that name the class index, in words about it (\"`label` is the class index\", \"the class index `y`\") or about the argument at its place of the formula's left side (`loss(x, class)` and `forward(input, target)`, \"a class index as `target`\"); a continuation line `= ...` under a definition is the next side of its chain (the last side defines, the sides before are claims). A weighted variant (`weights[class] * (...)`, `-weights[class] * x[class]`) is read in the first's place (statements.weighted-variant). A later form written as a C-style conditional (`loss(x, class) = class != ignoreIndex ? -weights[class] * x[class] : 0`) after a form of the same value and words that announce an alternative (\"or in the case of the `ignoreIndex` argument\") is left out, and the readings say so (the form before it is read). Refused by name: `x[class]` where nothing calls the name a class index (a label or a dictionary's value?), and any other C-style conditional `c ? a : b`, at its `?`",
        ),
        "parse/code_labels.py",
        (
            ok(
                "It expects a class index as `target` in `forward(input, target)`.\n```lua\nloss(x, class) = -log(exp(x[class]) / (\\sum_j exp(x[j])))\n               = -x[class] + log(\\sum_j exp(x[j]))\n```\n",
                kinds={"class": "target", "x": "input"},
                x="?",
                loss="",
            ),
            ok(
                "where `label` is the class index.\n```python\nloss(s, label) = -s[label]\n```\n",
                kinds={"label": "target"},
                s="?",
                label="",
            ),
            refused(
                "```lua\nloss(x, class) = -x[class]\n```\n",
                "indexing (x[...]) by a name",
                at="[",
            ),
            ok(
                "It expects a class index as `target` in `forward(input, target)`.\n```lua\nloss(x, class) = -x[class]\n```\nor in the case of the `ignoreIndex` argument:\n```\nloss(x, class) = class != ignoreIndex ? -x[class] : 0\n```\n",
                says="C-style conditional",
                kinds={"class": "target"},
                x="?",
            ),
            refused(
                "It expects a class index as `target` in `forward(input, target)`.\n```\nloss(x, class) = class != ignoreIndex ? -x[class] : 0\n```\n",
                "C-style conditional",
                at="?",
            ),
        ),
    ),
    Rule(
        "operators.table-row",
        "operators",
        (
            r"`v_{w_I}` beside `\sum_{w=1}^{W} \exp\left({v'_w}^\top v_{w_I}\right)` (the skip-gram softmax, Mikolov et al. 2013): a letter a sum binds to 1..W written with a label in a subscript",
            r"**the row of a table at a word index** (`read/rules_table_rows.py`, the primitive `gather` on a table): w counts the W members of a table (a vocabulary; the sum's range, or a declaration `w \in \{1, \dots, W\}`), `v_w \in \mathbb{R}^{d}` is one vector per word (a parameter stored as the rows of a W x d matrix; the shapes shown are one member's), `w_I` one particular value of w (an integer input per example), `v_{w_I}` its row (an embedding lookup; the gradient a scatter-add into the rows). Under the sum, `{v'_w}^\top u` (also `u^\top v'_w`, `v'_w \cdot u`) is every row's dot product with u at once, the vector `V' u` whose entries the sum adds up. `check` draws the indices in range; `papermath grad` does not print gradients through a table yet. Refused: a member used under the sum other than in such a dot product, or outside a sum or a pick",
        ),
        "read/rules_table_rows.py",
        (
            ok(
                r"p(w_O | w_I) = \frac{\exp\left({v'_{w_O}}^\top v_{w_I}\right)}{\sum_{w=1}^{W} \exp\left({v'_w}^\top v_{w_I}\right)}, v_w \in \mathbb{R}^{d}, v'_w \in \mathbb{R}^{d}",
                says="a row of its table",
                kinds={"v": "parameter", "w_I": "input"},
                p="",
                v="d",
                v_prime="d",
            ),
            ok(
                r"L = \log \sigma({v'_{w_O}}^\top v_{w_I}), v_w \in \mathbb{R}^{d}, v'_w \in \mathbb{R}^{d}, w \in \{1, \dots, W\}",
                says="a row of its table",
                L="",
                v="d",
            ),
            refused(
                r"s = \sum_{w=1}^{W} v_w + v_{w_I}, v_w \in \mathbb{R}^{d}",
                "one member of a table",
                at="v_w",
            ),
        ),
    ),
    Rule(
        "statements.conditional-left-side",
        "statements",
        (
            r"`p(w_O | w_I) = ...` (also `\mid`, `\vert`): a conditional probability named on the left of its definition, also on an RST directive's own line (`.. math::  P(y|x) = ...`, the PyTorch tutorial's CRF)",
            r"the function p of the outcome and the condition, defined by the right side (`parse/conditional_left.py`): on a definition's left side the bar separates two arguments as a comma does, `p(w_O, w_I)` (never called: the equation for its value, its arguments inputs); said in the readings. A conditional probability inside a right side (`y_i = p(c_i \vert c_1, \dots, x)`, an HMM's `P(x_t \mid h_t)`) stays refused",
        ),
        "parse/conditional_left.py",
        (
            ok(
                r"p(a | b) = \exp(a^\top b), a \in \mathbb{R}^{d}, b \in \mathbb{R}^{d}",
                says="the conditional probability as a function",
                kinds={"a": "input", "b": "input"},
                p="",
            ),
            ok(
                ".. math::  P(y|x) = \\exp(a^\\top b)\n\nwith :math:`a \\in \\mathbb{R}^{d}` and :math:`b \\in \\mathbb{R}^{d}`.",
                says="the conditional probability as a function",
                P="",
            ),
            refused(r"y = p(c \vert x) + 1", "bar", at="\\"),
        ),
    ),
    Rule(
        "doubts.outcome-against-a-softmax",
        "doubts",
        (
            r"`-\log p(w_i | C) = -\log \text{Softmax}(A(\sum_{w \in C} q_w) + b)` (the PyTorch tutorial's CBOW exercise: the target word's index on the softmax left out)",
            r"refused at the softmax (`parse/softmax_outcome.py`): the left side is the log-probability of one outcome w_i (an outcome with its own index: one number), the right side a softmax with no index, the probabilities of every outcome (a vector); the hint gives `\text{Softmax}(...)_{w_i}`. Only with the bar inside `\log p(...)` left of `=` and the softmax's parenthesis closing with no subscript; a left side `p(y | x) = ...` opening its statement is read (`statements.conditional-left-side`)",
        ),
        "parse/softmax_outcome.py",
        (
            refused(
                r"-\log p(w_i | C) = -\log \text{Softmax}(A x + b)",
                "one outcome",
                "Softmax",
                at=r"\text{Softmax}(A x + b)",
            ),
            refused(
                r"-\log p(w_i | C) = -\log \text{Softmax}(A x + b)_{w_i}", "conditional probability"
            ),
        ),
    ),
    Rule(
        "presentation.swapped-closers",
        "presentation",
        (
            r"`\exp{(\text{Score}(x, y)})` (the PyTorch tutorial's CRF: a brace and a parenthesis opened together, `{(`, closed together in the wrong order, `})`)",
            r"`\exp{(\text{Score}(x, y))}` (`parse/swapped_closers.py`): the openers side by side, the brace holds exactly the parenthesis; said in the readings. Any other mismatch (`\pi(N(v)\})`) stays refused where it stands",
        ),
        "parse/swapped_closers.py",
        (
            ok(
                r"y = \exp{(a^\top x}), x \in \mathbb{R}^{3}",
                says="closers swapped back",
                y="",
                a="3",
            ),
            refused(r"y = \exp{(a^\top x)), x \in \mathbb{R}^{3}", "does not match"),
        ),
    ),
    Rule(
        "statements.code-sequential-update",
        "statements",
        (
            r"an update written as code that reads its own left side, as RST literal bullets (Lasagne's `* ``velocity := momentum * velocity - learning_rate * gradient``` then `* ``param := param + velocity```), with numpydoc parameter lines `learning_rate : float or symbolic scalar`",
            r"one step of an update, the lines run in order (`parse/rst_literals.py` reads the ``literal`` and its bullet as a line of code, `:=` the assignment; `parse/code_updates.py`): a name a line above assigns is that line's new value (step t), a name this line or one below assigns is the previous step's (t-1), so each assigned name is a state; the names read and assigned nowhere (`gradient`) are given anew at each step (inputs per step, `read/rules_code_updates.py`), and a parameter line that types a name as a number (float, int, scalar) declares it a scalar constant. Said in the readings. Only where every line is code assigning one plain name once; `\theta \leftarrow \theta - \eta g` in LaTeX stays refused (`read/rules_updates.py`)",
        ),
        "parse/code_updates.py",
        (
            ok(
                "* ``velocity := momentum * velocity - learning_rate * gradient``\n* ``param := param + velocity``\n\nlearning_rate : float or symbolic scalar\nmomentum : float or symbolic scalar, optional\n",
                says="code-sequential-update",
                kinds={
                    "velocity": "state",
                    "param": "state",
                    "gradient": "input",
                    "momentum": "constant",
                },
                param="d1",
                velocity="d1",
                gradient="d1",
                momentum="",
            ),
            refused(
                "* ``velocity := momentum * velocity + updates[param] - param``\n* ``param := param + velocity``\n",
                "indexing",
                at="[",
            ),
        ),
    ),
    Rule(
        "presentation.code-unicode-greek",
        "presentation",
        (
            r"a Greek letter typed as itself, and the Unicode minus, in a formula written as code (the Element-Research rnn README's ```lua block: `z[t] = σ(W[x->z]x[t] + W[s->z]s[t−1] + b[1->z])`)",
            r"the letter LaTeX spells `\sigma`, `\alpha` (the name `sigma` in code: `σ(...)` is the sigmoid, as `\sigma(...)`), and `−` (U+2212) is `-` (`parse/code_unicode.py`): typeset characters of the same formula. Any other character outside ASCII in code stays refused where it stands, and a LaTeX command inside code other than `\sum` (`\frac{1}{n}` in a ```lua block) is refused with the caret on the command (`\sum` reads: functions.code-sums)",
        ),
        "parse/code_unicode.py",
        (
            ok(
                "```lua\ny = σ(a − b)\nz = α * y\n```\n",
                a="d1",
                y="d1",
                alpha="",
            ),
            refused("```lua\ny = é * a\n```\n", "cannot read the character", at="é"),
            refused("```lua\nloss = \\frac{1}{n} x\n```\n", "a LaTeX command", at="\\frac"),
        ),
    ),
    Rule(
        "keys.code-bracket-index",
        "keys",
        (
            r"brackets after a name in a formula written as code: the Element-Research rnn README's ```lua block `i[t] = σ(W[x->i]x[t] + W[h->i]h[t−1] + b[1->i])  (1)`, `c[t] = f[t]c[t−1] + i[t]z[t]`; Lasagne's `* ``velocity := momentum * velocity + updates[param] - param``` with the parameter line `updates : OrderedDict`",
            r"`W_x_to_i` (printed `W_{x \to i}`), `x` at step t, `h` at t-1, `updates_param`",
            r"`x[t]`, `h[t−1]`, `x[i]` (one letter, alone or plus or minus a number) an index, as `x_t`, `h_{t-1}`; `W[x->i]` (an arrow between two names) one symbol, the weight from x to i (key `W_x_to_i`, printed `W_{x \to i}`); `updates[param]` the value a dictionary holds where a numpydoc line types the name a dictionary (one symbol, `updates_param`, given at each step of an update); on a line that indexes so, factors side by side (`W[x->i]x[t]`, `o[t]tanh(c[t])`) a product, and `(1)` at a fenced line's end an equation number (`parse/code_index.py`). Refused at the bracket: any other bracket (`x[0]`, `y_true[i]`, `x[class]`: a label, a lookup?), and a fraction drawn over three lines (a bar of `-`). A keyed weight the prose says is diagonal (`the weight matrices from cell to gate vectors are diagonal `W[c->s]``) reads as the square matrix times the identity entry by entry, `(W[c->i] \odot I)` (only its diagonal used and trained; the readings quote the prose); refused where the source writes a name `I` of its own",
        ),
        "parse/code_index.py",
        (
            ok(
                "```lua\nh[t] = tanh(W[x->h]x[t] + W[h->h]h[t−1] + b[1->h])   (1)\n```\n",
                kinds={"h": "state", "x": "input", "W_x_to_h": "parameter"},
                h="d1",
                x="d2",
                W_x_to_h="d1 x d2",
                W_h_to_h="d1 x d1",
            ),
            ok(
                "* ``velocity := momentum * velocity + updates[param] - param``\n* ``param := param + velocity``\n\nupdates : OrderedDict\n    A dictionary mapping parameters to update expressions\nmomentum : float or symbolic scalar, optional\n",
                kinds={"updates_param": "input", "param": "state", "momentum": "constant"},
                param="d1",
                updates_param="d1",
            ),
            refused("```lua\nloss(x, class) = -x[class]\n```\n", "by a name", at="["),
            refused("```lua\ny = x[0] + b\n```\n", "indexing", at="["),
            ok(
                "```lua\nh[t] = tanh(W[c->h]c[t−1] + W[x->h]x[t])\n```\nthe weights from the cell are diagonal `W[c->s]`\n",
                says="diagonal",
                W_c_to_h="d1 x d1",
            ),
            refused(
                "```lua\nh[t] = tanh(W[c->h]c[t−1] + W[x->h]x[t] + I)\n```\nthe weights from the cell are diagonal `W[c->s]`\n",
                "diagonal",
                at="W[c->h]",
            ),
        ),
    ),
    Rule(
        "functions.code-sums",
        "functions",
        (
            r"a sum inside a formula written as code, as LaTeX's `\sum` or typed `sum_i` (Torch7's criterion docs, ```lua blocks): `loss(x, y) = 1/n \sum |x_i - y_i|`, `loss(x, target) = 1/n \sum(target_i * (log(target_i) - x_i))`, `- 1/n sum_i (t[i] * log(o[i]) + ...)`",
            r"a sum over the product after it (up to the next + or -), its index the one written (`\sum_j`, `sum_i`) or, where none is, the one letter its body indexes names with (`x_i`, `t[i]`: over all the entries); right after `1/n` with no range written, from 1 to n (n counts the terms: the mean, a size, no parameter); `|a|` the absolute value; a prose line \"`x` and `y` are ... with a total of `n` elements ... divides by `n`\" declares them vectors of those n entries, and an argument the prose calls \"target `y`\" (or of which it says \"`t[i]` can be either 0 or 1\", or named `target`, Torch's word) is the target, a name it calls \"the weights argument\" an input; a prose span `t[i] = 1` (the value an entry takes) is no definition (`parse/code_sums.py`). Refused at the sum: no index written and none or several in the body",
        ),
        "parse/code_sums.py",
        (
            ok(
                "```lua\nloss(x, y) = 1/n \\sum |x_i - y_i|\n```\nthe difference between input `x` and target `y`\n",
                kinds={"y": "target", "x": "input"},
                x="n",
                y="n",
                loss="",
            ),
            ok(
                "```lua\nloss(x) = log(\\sum_j exp(x[j]))\n```\n",
                loss="",
                x="d1",
            ),
            refused("```lua\nloss = \\sum x_i * y_j\n```\n", "several letters", at="\\sum"),
            refused("```lua\nloss = 1/n \\sum x\n```\n", "no letter", at="\\sum"),
        ),
    ),
    Rule(
        "doubts.letter-conflict",
        "doubts",
        (
            r"`\mu^{(t)} \gets \alpha \mu^{(t-1)} + (1-\alpha) v^{(t)}` (the Deep Learning book's leaky unit, a running average of some value v), nothing declaring mu or v",
            r"**refused** (`shapes/rules_letter_conflict.py`): the update gives mu and v one shape, and their letters' conventions disagree (a Greek letter a scalar, a Latin one a vector); the caret on v, the hint to declare it (`v \in \mathbb{R}` one unit, `v \in \mathbb{R}^{n}` a layer), which reads; letters that agree (`m_t = \beta m_{t-1} + (1-\beta) g_t`) read by their convention",
        ),
        "shapes/rules_letter_conflict.py",
        (
            refused(r"\mu_t = \alpha \mu_{t-1} + (1-\alpha) v_t", "conventions disagree", at="v_t"),
            ok(r"\mu_t = \alpha \mu_{t-1} + (1-\alpha) v_t, v_t \in \mathbb{R}^{n}", mu="n", v="n"),
        ),
    ),
    Rule(
        "doubts.concatenated-blocks",
        "doubts",
        (
            r"\"concatenating the four matrices :math:`W_*` into a single weight matrix :math:`W`\" before `z = W x_t + U h_{t-1} + b` (the Theano LSTM tutorial's implementation note)",
            r"**refused** (`parse/concat_prose.py`): the prose makes W's first axis four times a block's, which the equations alone leave free; the caret on the words, the hint to declare `W \in \mathbb{R}^{4H \times D}`, which reads",
        ),
        "parse/concat_prose.py",
        (
            refused(
                "concatenating the four matrices :math:`W_*` into a single weight matrix :math:`W`.\n\n    z = W x + b",
                "4 matrices or vectors concatenated",
                at="concatenating the four matrices",
            ),
        ),
    ),
    Rule(
        "functions.gradient-call",
        "functions",
        (
            r"`w^{k+1} = w^k-\alpha\nabla f(w^k)`, `z^{k+1}=\beta z^{k}+\nabla f(w^{k})` (Distill's \"Why Momentum Really Works\"); `\nabla f(w)=Aw - b` beside the update",
            r"**the gradient of f at w, of w's shape** (`read/rules_gradient_call.py`): the nabla of a function is its gradient, of a function with one number as its value; where an equation defines `\nabla f(w)`, a function `grad_f` that every `\nabla f(...)` calls; where none does, read for shapes and code refused by name (write the gradient as an equation); `\nabla_\theta L(\theta_t)` (PyTorch's NLP tutorial), the subscript the letter of the one argument, is the same gradient (its argument written without the step beside `\theta^{(t)}`, `L(\theta)`: read, its shape is the argument's at every step and no code is made from the unwritten L, the readings say so and the dependency is drawn from `\theta^{(t)}`; a lowercase Greek argument nothing declares is a vector only where the words call it the parameters, refused otherwise; `functions.gradient-of-loss`); `\nabla_W f(x)` (another letter), a whole right side `g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})` and a gradient of an f the source defines are other rules' (refused or given)",
        ),
        "read/rules_gradient_call.py",
        (
            ok(
                r"w^{k+1} = w^k-\alpha\nabla f(w^k), w^k \in \mathbb{R}^{n}",
                says="gradient of f at w^k",
                w="n",
                alpha="",
            ),
            ok(
                r"\nabla f(w)=Aw - b, w^{k+1}=w^{k}- \alpha \nabla f(w^{k}), w \in \mathbb{R}^{n}",
                w="n",
                A="n x n",
                b="n",
            ),
            ok(
                r"\nabla_\theta L(\theta) = A \theta - b, \theta_{t+1} = \theta_t - \eta \nabla_\theta L(\theta_t), \theta_t \in \mathbb{R}^{d}",
                theta="d",
                A="d x d",
            ),
            refused(
                r"\theta_{t+1} = \theta_t - \eta \nabla_W L(\theta_t), \theta_t \in \mathbb{R}^{d}",
                "derivative",
                at="\\nabla_W",
            ),
            refused(
                r"\theta^{(t+1)} = \theta^{(t)} - \eta \nabla_\theta L(\theta)",
                "nothing says its shape",
                at="\\theta",
            ),
            ok(
                "Let $\\theta$ be our parameters.\n$$\\theta^{(t+1)} = \\theta^{(t)} - \\eta \\nabla_\\theta L(\\theta)$$\n",
                says="without the step",
                theta="?",
                eta="",
            ),
        ),
    ),
    Rule(
        "functions.gradient-of-loss",
        "functions",
        (
            r"`W^\prime_1 = W_1 - \alpha \frac{\partial \ell}{\partial W_1}` (Udacity's PyTorch course), `W^{i+1} = W^i - \epsilon \nabla {Loss}_{W}^{i}` (scikit-learn's guide), `w_{t+1} = w_t - \eta \frac{\partial L}{\partial w}`, `\theta_{t+1} = \theta_t - \eta \nabla_\theta L`, `w \leftarrow w - \eta \frac{\partial L}{\partial w}` (many course notes)",
            r"**the gradient of a loss the source names but does not write, of the point's shape** (`read/rules_gradient_updates.py`): `\frac{\partial F}{\partial x}` (also `\partial F / \partial x`), `\nabla_x F` and `\nabla F_x` (a step superscript `^{i}`: at `x^i`), F a letter (`\ell`, `\mathcal{L}`), a word typed in italics (`Loss`) or a call of x (`R(w)`) that no equation defines, x a symbol the equations use: one value, the gradient of F at x (a gradient is of a function whose value is one number), read for shapes, kinds, explain and diagrams; code and printed gradients refused by name at the derivative (the loss is not written; give the gradient as an input per step for code). x written without the step beside a step: read, the readings say its shape does not depend on the step. Refused by name: a gradient with respect to a symbol no equation uses (`\nabla_V L`), at a step no equation writes x at, with respect to a bare `W` beside `W_{old}` only, and a lowercase Greek x nothing declares unless the words call it the parameters. A derivative of a value the equations define (`L = \|Wx - y\|^2`, then `\partial L / \partial W`) stays refused (`papermath grad` derives it)",
        ),
        "read/rules_gradient_updates.py",
        (
            ok(
                r"W_2 = W_1 - \alpha \frac{\partial \ell}{\partial W_1}, W_1 \in \mathbb{R}^{n \times m}",
                says="gradient of a loss the source does not write",
                W_1="n x m",
                W_2="n x m",
                alpha="",
            ),
            ok(
                r"w_{t+1} = w_t - \eta \frac{\partial L}{\partial w}, w_t \in \mathbb{R}^{n}",
                says="without the step",
                w="n",
                eta="",
            ),
            ok(
                r"W^{i+1} = W^i - \epsilon \nabla {Loss}_{W}^{i}, W^i \in \mathbb{R}^{n \times m}",
                W="n x m",
                epsilon="",
            ),
            refused(
                r"\theta_{t+1} = \theta_t - \eta \nabla_V L, \theta_t \in \mathbb{R}^{d}",
                "no equation uses",
                at="V",
            ),
            refused(
                r"W^{i+1} = W^i - \epsilon \nabla {Loss}_{W}^{k}",
                "no equation writes W at that step",
                at="k",
            ),
            refused(
                r"W_{new} = W_{old} - \eta \frac{\partial L}{\partial W}",
                "no equation writes otherwise",
                at="W",
            ),
            refused(
                r"\theta := \theta - \alpha \nabla_\theta J(\theta)",
                "nothing says its shape",
                at="\\theta",
            ),
        ),
    ),
    Rule(
        "statements.gradient-step-in-place",
        "statements",
        (
            r"`w \leftarrow w - \eta (\alpha \frac{\partial R(w)}{\partial w} + \frac{\partial Loss}{\partial w})` (scikit-learn's SGD), `w := w - \eta \frac{\partial L}{\partial w}`, `\theta := \theta - \alpha \nabla_\theta J(\theta)`",
            r"**one gradient step written over the parameter** (`parse/gradient_step.py`): where the line is the only one that defines or reads the symbol, the symbol carries no step, and its right side is the symbol plus or minus a term with a derivative with respect to it, the new value is named with a breve (`w_breve`, the parameter's shape, read/rules_in_place_ties.py) and the w on the right is the value before the step (an input); said in the readings. Where another line reads w (which value, before or after?) the update in place stays refused (`read/rules_updates.py`)",
        ),
        "parse/gradient_step.py",
        (
            ok(
                r"w \leftarrow w - \eta \frac{\partial L}{\partial w}, w \in \mathbb{R}^{n}",
                says="one gradient step",
                w="n",
                w_breve="n",
                eta="",
            ),
            ok(
                r"\theta := \theta - \alpha \nabla_\theta J(\theta), \theta \in \mathbb{R}^{P}",
                theta="P",
                theta_breve="P",
                alpha="",
            ),
            refused(
                r"w \leftarrow w - \eta \frac{\partial L}{\partial w} \\ y = w x",
                "update in place",
                at="w",
            ),
        ),
    ),
    Rule(
        "doubts.preamble-macros",
        "doubts",
        (
            r"`\Va^{(t)} = \Vb + \MW \Vh^{(t-1)} + \MU \Vx^{(t)}` (the Deep Learning book and its Chinese edition: `\Vx` a bold vector, `\MW` a bold matrix, defined in its preamble)",
            r"**refused** (`parse/preamble_macros.py`): an unknown command named by one capital letter and one letter or Greek name is a macro the source defines elsewhere; papermath does not guess it; the hint: `--macros FILE` with the source's `\newcommand` lines (or the lines before the equations), which read, or the book's own set (`% macros: dlbook-zh`, `presentation.dlbook-macros`); with that set chosen, a name its file does not define (`\Vxi`) is refused as not defined there. An unknown `\vx`, `\mW` that the book's public notation file (math_commands.tex) defines is refused saying so, the hint `% macros: dlbook`",
        ),
        "parse/preamble_macros.py",
        (
            refused(
                r"\Vh^{(t)} = \tanh(\MW \Vh^{(t-1)} + \MU \Vx^{(t)})",
                "macro the source defines elsewhere",
                at="\\Vh",
            ),
            refused(r"h = \tanh(\mW \vx)", "math_commands.tex", at="\\mW"),
            ok(
                "\\newcommand{\\Vh}{\\boldsymbol{h}}\n\\newcommand{\\Vx}{\\boldsymbol{x}}\n\\newcommand{\\MW}{\\boldsymbol{W}}\n\\newcommand{\\MU}{\\boldsymbol{U}}\n\\Vh^{(t)} = \\tanh(\\MW \\Vh^{(t-1)} + \\MU \\Vx^{(t)})\n\\Vx^{(t)} \\in \\mathbb{R}^{d}",
                x="d",
            ),
        ),
    ),
    Rule(
        "doubts.book-kinds",
        "doubts",
        (
            r"`\Vtheta_{t+1} = \Vtheta_t + \epsilon^* \Vrho_t` with the Deep Learning book's macros (`% macros: dlbook-zh`; `\vtheta` with `dlbook`), nothing declaring theta or rho",
            r"**refused** (`shapes/rules_book_kinds.py`): the book says the kind of what its macros write (its notation page: `\va` a vector, `\mA` a matrix, `a` a scalar; its files' sections `% Vector`, `% Scala`, ... and the Chinese file's `\V` family); papermath reads a font as the letter, and where nothing shapes the symbol and the letter's convention gives another rank (a bold Greek letter a scalar, `\Sa` a vector), refuses at the symbol, the hint to declare it, which reads; where the equations shape it, or the convention agrees (`\Vx` a vector, `\MW` a matrix), nothing is said",
        ),
        "shapes/rules_book_kinds.py",
        (
            refused(
                "% macros: dlbook-zh\n\\Vtheta_{t+1} = \\Vtheta_t + \\epsilon \\Vrho_t",
                "Deep Learning book's notation",
                at="\\boldsymbol{\\rho}_t",
            ),
            ok(
                "% macros: dlbook-zh\n\\Vtheta_{t+1} = \\Vtheta_t + \\epsilon \\Vrho_t, \\Vrho_t \\in \\mathbb{R}^{n}",
                theta="n",
                rho="n",
            ),
        ),
    ),
    Rule(
        "doubts.map-signature",
        "doubts",
        (
            r"`f: R^D \rightarrow R^L` (the Theano MLP tutorial's `:math:` role, split over two lines), `f: \mathbb{R}^D \to \mathbb{R}^L`",
            r"**refused at the colon** (`parse/map_signature.py`) where it is not the whole of its inline math (inside a display, beside other math): there it is not read (before: a character papermath cannot read); the hint declares the argument instead, `x \in \mathbb{R}^{D}`, which reads. A signature that is its inline math alone is read (functions.function-signature)",
        ),
        "parse/map_signature.py",
        (refused(r"f: \mathbb{R}^D \rightarrow \mathbb{R}^L", "signature of a function", at=":"),),
    ),
    Rule(
        "operators.sum-exclusion",
        "operators",
        (
            r"`L_i = \sum_{j \neq y_i} \max(0, s_j - s_{y_i} + \Delta)` (CS231n's multiclass SVM loss), `\sum_{j=1, j \neq y_i}^{K}` (PyTorch's MultiMarginLoss written out): a sum's subscript that skips one value of its index",
            r"**the sum over all j minus the term at j = y_i** (`read/rules_sum_exclusion.py`, parsed by `parse/sum_exclusions.py`): the same number wherever the skipped term is finite; the skipped term is the body with `y_i` in place of j (`s_{y_i}`: operators.label-pick), so shapes, code, gradients, explain and the report follow from the two terms; the readings say so. `\neq` is read only in the subscript of `\sum`/`\prod`. Refused: a product that skips a factor, a skipped value that is not a label per example (`i \neq y`: `x_y` would read as a label), one written with the sum's own index (`i \neq y_i`), a range of one index and the exclusion of another",
        ),
        "read/rules_sum_exclusion.py",
        (
            ok(
                r"s_i = W x_i, L_i = \sum_{j \neq y_i} \max(0, s_j - s_{y_i} + 1), J = \frac{1}{N} \sum_i L_i, x_i \in \mathbb{R}^{D}, W \in \mathbb{R}^{K \times D}",
                says="the sum over every j but y_i",
                kinds={"y": "target", "W": "parameter"},
                W="K x D",
                s="K",
                L="",
            ),
            ok(
                r"s_i = W x_i, L_i = \sum_{j=1, j \neq y_i}^{K} \max(0, s_j - s_{y_i} + 1), J = \sum_i L_i, x_i \in \mathbb{R}^{D}, W \in \mathbb{R}^{K \times D}",
                says="the sum over every j but y_i",
                W="K x D",
            ),
            refused(r"L = \prod_{j \neq y_i} s_j, s_i = W x_i", "product that skips", at="\\prod"),
            refused(r"L = \sum_{i=1, i \neq y}^{n} x_i", "label per example", at="y"),
            refused(r"L = \sum_{i=1, i \neq y_i}^{n} x_i", "own index", at="y_i"),
        ),
    ),
    Rule(
        "doubts.condition-as-sum-limit",
        "doubts",
        (
            r"`\sum_{j=1}^{\text{y}_j \neq 0}` (Torch7's MultiLabelMarginLoss written out: run j until the first 0 in y)",
            r"**refused at the relation** (`parse/sum_exclusions.py`): a condition where a sum's last value goes; papermath reads a limit as a value and does not guess where the run stops; the hint: the count of the values it runs over as the limit, said in prose",
        ),
        "parse/sum_exclusions.py",
        (refused(r"L = \sum_{j=1}^{y_j \neq 0} x_j", "upper limit of a sum", at="\\neq"),),
    ),
    Rule(
        "presentation.cal",
        "presentation",
        (
            r"`\cal{D}`, `{\cal L}`, `\cal L` (plain TeX's calligraphic font switch; the Theano tutorials)",
            r"`\mathcal{D}`: the same symbol as `\mathcal` writes (`parse/grammar.lark`'s FONT, named `mathcal` by `parse/transform.py`); `\calX` stays an unknown command",
        ),
        "parse/transform.py",
        (
            ok(r"\cal{L} = \sum_i x_i", L=""),
            refused(r"y = \calX x", "unknown command", at="\\calX"),
        ),
    ),
    Rule(
        "presentation.paren-array",
        "presentation",
        (
            r"`Z=\left(\begin{array}{ccccc} 1 & \xi_{1} & ... \end{array}\right)` (Distill's momentum article), `\left[\begin{array}{c} u \\ v \end{array}\right]`: a matrix written as an array inside brackets",
            r"the matrix `\begin{pmatrix}` (`\begin{bmatrix}` in square brackets), rewritten in place (`parse/paren_arrays.py`); the column specification only aligns. Before: the array was taken for an environment of equations (\"unexpected the end of the line\")",
        ),
        "parse/paren_arrays.py",
        (
            ok(
                r"x = \left[\begin{array}{c} u \\ v \end{array}\right], y = W x, u \in \mathbb{R}^{p}, v \in \mathbb{R}^{q}, y \in \mathbb{R}^{m}",
                x="p + q",
                W="m x p + q",
            ),
        ),
    ),
    Rule(
        "operators.sum-upper-limit",
        "operators",
        (
            r"a sum with an upper limit and no lower one: `\ell = \frac{1}{2n}\sum_i^n (y_i - \hat{y}_i)^2` (Udacity's notebooks), `\sum_i^N x_i`",
            r"**i = 1..n, the n terms the limit counts** (`read/reader.py`, `sum_index`): as `\sum_{i=1}^{n}`, said in the readings; the limit was dropped before (the vectors got a free size). A limit that is no size is refused",
        ),
        "read/reader.py",
        (
            ok(
                r"L = \sum_i^n (a_i - b_i)^2",
                says="no lower one",
                a="n",
                b="n",
            ),
        ),
    ),
    Rule(
        "conventions.loss-operands",
        "conventions",
        (
            r"what a loss compares",
            r"`L = \frac{1}{n}\sum_{i=1}^{n} (y_i - \hat{y}_i)^2`: y the target, \hat{y} the prediction (an input), the sides of + or - in an equation for a number, also as entries (`system.py`, `_kinds`); they were learned parameters where written with an index",
            r"`% papermath: y_hat is parameter`",
        ),
        "system.py",
        (
            ok(
                r"L = \frac{1}{n}\sum_{i=1}^n (y_i - \hat{y}_i)^2",
                kinds={"y": "target", "y_hat": "input"},
                y="n",
            ),
        ),
    ),
    Rule(
        "functions.matrix-said",
        "functions",
        (
            r"the prose calls a symbol a matrix and an equation writes it before a value with nothing between: `f(x)=wx+b` (here `w` is the weight matrix, `x` is the vector of input features) (AI-for-Beginners, in markdown italics)",
            r"**a matrix product, the prose quoted** (`read/rules_matrix_prose.py`): a lowercase w is by convention a vector, so `wx` fits four readings and is refused; \"$w$ is the weight matrix\" (`is`/`denotes`, `the`/`a`/`an`, up to three words, `matrix`; not `matrix of`) makes it a matrix where it stands first in an open product and the matrix product fits. Its sizes stay the equations' (free where nothing declares them)",
        ),
        "read/rules_matrix_prose.py",
        (
            ok(
                "$f(x) = wx + b$ (here $w$ is the weight matrix, $x$ is the vector of input features)",
                says="the prose calls it a matrix",
                w="? x ?",
                x="?",
            ),
            refused(
                "$f(x) = wx + b$ (here $w$ is the weight vector)",
                "cannot decide what wx is",
                at="wx",
            ),
        ),
    ),
    Rule(
        "functions.prose-sizes",
        "functions",
        (
            r"a symbol's rank and size said in plain prose, its letters bare (no `$`): `Suppose we have N features ..., in which case the input vector would be a vector of size N. ... for each input vector x` (AI-For-Beginners' perceptron), `z is vector of size M, x is a vector of size D, W is a matrix of size DxM` (a course's notes), `V is a Matrix of size n x k`, `where w is the weight vector and x is the feature vector` (perceptron docstrings)",
            r"**a declaration, the words quoted** (`parse/prose_sizes.py`), one grammar: `SYM is|denotes|represents [the|a|an] [words] vector|matrix [of size|shape|dimension SIZE]`; `the|a|each [words] vector|matrix SYM` (apposition: \"the input vector x\", \"a weights vector w\"); `the [words] vector is|would be a vector of size SIZE` sizes the phrase, and the symbol the prose names by that phrase gets it. A vector of size N declares `R^{N}`, a matrix of size `N x M` `R^{N x M}`; a rank without a size declares nothing, but a matrix so said decides `wx` (matrix-said) and a vector so said before a vector is **refused by name** (dot product or elementwise?). \"z_i represents the i th element of ..., which corresponds to class i, and K is the number of classes\" (scikit-learn) gives z one entry per class, `R^{K}`. Also read: `SYM is the (so-called) learning rate` (a number), `(initial|random) weights|values SYM, SYM` (what they are, no rank), `\\nabla E(w) denotes the gradient of E`; a line is read only where every symbol it mentions is in one of these statements, else it stays refused as prose. Two sentences that size one symbol apart are refused; \"the sum is taken on those points i that ...\" (a sum's terms chosen in words) is refused by name; \"where f is a step activation function\" is the unnamed activation (code asks which)",
        ),
        "parse/prose_sizes.py",
        (
            ok(
                "Suppose we have N features, in which case the input vector would be a vector of size N. For each input vector x the output is computed using the formula:\n\ny(x) = f(w^T x)\n\nwhere f is a step activation function\n",
                x="N",
                w="N",
                y="",
            ),
            ok(
                "z = \\sigma(W^T x + b)\n\nwhere z is vector of size M, x is a vector of size D, W is a matrix of size DxM and b is a vector of size M.\n",
                W="D x M",
                x="D",
                b="M",
            ),
            ok(
                "f(x) = wx + b\n\nwhere w is the weight matrix and x is the input vector of size N.\n",
                w="? x N",
                x="N",
            ),
            refused(
                "f(x) = wx + b\n\nwhere w is the weight vector and x is the feature vector of size n.\n",
                "the prose calls w a vector",
                at="wx",
            ),
            refused(
                "y = W x\n\nwhere x is a vector of size N and W is a matrix of size M x N.\nHere x is a vector of size K.\n",
                "two things of x",
                at="x",
            ),
            ok(  # AI-For-Beginners' gradient descent: what w is, eta a number
                "This criteria is considered as a function of weights w, and we start with some initial weights w<sup>(0)</sup>, and then at each step update the weights according to the formula:\n\nw<sup>(t+1)</sup> = w<sup>(t)</sup> - &eta;&nabla;E(w)\n\nHere &eta; is the so-called **learning rate**, and &nabla;E(w) denotes the **gradient** of E.\n",
                eta="",
                w="?",
            ),
            refused(  # a symbol the grammar does not read in the line: the line stays prose
                "h = \\tanh(W x)\n\nwhere x is a vector of size N and h is the hidden state of the cell\n",
                "prose",
                at="where x is",
            ),
            ok(  # scikit-learn's softmax: one entry of z per class, K classes
                ".. math::\n      \\text{softmax}(z)_i = \\frac{\\exp(z_i)}{\\sum_{l=1}^k\\exp(z_l)}\n\nwhere :math:`z_i` represents the :math:`i` th element of the input to softmax,\nwhich corresponds to class :math:`i`, and :math:`K` is the number of classes.\n",
                z="K",
            ),
            refused(
                "E(w) = -\\sum_i w^T x_i t_i\n\nwhere:\n\n* the sum is taken on those training data points i that result in the wrong classification\n",
                "which terms the sum takes",
                at="the sum is taken",
            ),
        ),
    ),
    Rule(
        "doubts.node-by-number",
        "doubts",
        (
            r"a node's value picked by its number beside the family of every node's values: `h_G = h_1^{(L)} + h_2^{(L)}` beside `h_v^{(l+1)} = \sigma(W \sum_{u \in N(v)} h_u^{(l)})`, GG-NN's `[h_1^{(t-1)\top} \dots h_{|V|}^{(t-1)\top}]`",
            r"**refused at the numbered symbol, naming the family** (`read/rules_node_numbers.py`): node 1's h, or a value of its own named h_1? papermath reads the family h_v (every node at once) and does not pick a node by its number (the data's order); read as a name, h_1 was another input of a free size, silently. Only where the family's index is a node index: `W_1` beside `W_j` (j no node) reads as before",
        ),
        "read/rules_node_numbers.py",
        (
            refused(
                "h_v^{(l+1)} = \\sigma(W \\sum_{u \\in N(v)} h_u^{(l)})\nh_G = h_1^{(L)} + h_2^{(L)}",
                "node 1's h",
                at="h_1^{(L)}",
            ),
            ok(
                "y = W_1 x + W_2 h",
                W_1="? x ?",
            ),
        ),
    ),
    Rule(
        "doubts.direction-previous-state",
        "doubts",
        (
            r"a bidirectional layer with the directions as labels (chainer's `n_step_bigru`, `n_step_bilstm`, `n_step_birnn` docstrings: `h^{f}_t = f(W^{f}_0 x_t + W^{f}_1 h_{t-1} + ...)`, `h^{b}_t = f(W^{b}_0 x_t + W^{b}_1 h_{t-1} + ...)`, `h_t = [h^{f}_t; h^{b}_t]`, the prose saying forward and backward)",
            r"**refused at the backward equation's `h_{t-1}`, naming h** (`parse/direction_labels.py`): h_t is the labelled states side by side, so h_{t-1} is that joint state one step back, read by both directions; a backward direction runs from the end and reads its own state at t+1. The equations contradict the word, and which state each direction reads is not guessed; the hint writes each direction's own previous state (`h^{f}_{t-1}`, `h^{b}_{t+1}`). Only with the words forward and backward in the prose and labels f/fw/fwd, b/bw/bwd; arrows over the letter are not looked at",
        ),
        "parse/direction_labels.py",
        (
            refused(
                "The forward and the backward RNN.\n$$h^{f}_t = \\tanh(W^{f} x_t + U^{f} h_{t-1})$$\n$$h^{b}_t = \\tanh(W^{b} x_t + U^{b} h_{t-1})$$\n$$h_t = [h^{f}_t; h^{b}_t]$$",
                "backward direction",
                "h_{t-1}",
                at="h_{t-1}",
            ),
        ),
    ),
    Rule(
        "sizes.entry-pattern-vector",
        "sizes",
        (
            r"a vector written by its entries, the middle ones left out with dots (Udacity's notebooks: `h = \begin{bmatrix} x_1 \, x_2 \cdots x_n \end{bmatrix} \cdot \begin{bmatrix} w_1 \\ w_2 \\ \vdots \\ w_n \end{bmatrix}`, \"the dot/inner product of two vectors\"; `\mathbf{v} = \begin{bmatrix} v_1 \\ v_2 \\ \vdots \\ v_n \end{bmatrix}`)",
            r"**the vector of n entries** (`parse/entry_vectors.py`): where the entries follow one pattern by index, forced by those written (the first numbered 1, the next 2, 3, ... in order, one run of dots, the last with a letter n), the matrix is the vector w (a row: `x^\top`), declared `w \in \mathbb{R}^{n}` on the entries written. Not read so: entries of two indices (a matrix written in part, refused as before), an entry other than one letter with one index (`\xi_1^2`, `\phi_0(x)`), a first index other than 1, numbers out of order, a last index that is no letter (`x_{n-1}`), and a family the text defines (`h_i = ...`: the family stacked, `vdots-family-column`); a matrix with no name written by entries of two indices (`[w_{11} & w_{12} \\ \vdots & \vdots \\ w_{n1} & w_{n2}]`) is refused at the dots, the hint naming it and declaring its size from the indices (`W \in \mathbb{R}^{n \times 2}`)",
        ),
        "parse/entry_vectors.py",
        (
            ok(
                r"h = \begin{bmatrix} x_1 \, x_2 \cdots  x_n \end{bmatrix} \cdot \begin{bmatrix} w_1 \\ w_2 \\ \vdots \\ w_n \end{bmatrix}",
                says="entry-pattern-vector",
                h="",
                x="n",
                w="n",
            ),
            ok(
                r"y = W \begin{pmatrix} v_1 \\ v_2 \\ v_3 \\ \vdots \\ v_m \end{pmatrix}",
                y="?",
                v="m",
                W="? x m",
            ),
            refused(
                r"Z = \begin{bmatrix} w_{11} & w_{12} \\ \vdots & \vdots \\ w_{n1} & w_{n2} \end{bmatrix}",
                "Z is a matrix written in part",
                at="\\vdots",
            ),
            refused(
                r"y = \begin{bmatrix} x_1 \\ x_3 \\ \vdots \\ x_n \end{bmatrix}",
                "written in part",
                at="\\vdots",
            ),
            refused(
                r"h = x \begin{bmatrix} w_{11} & w_{12} \\ w_{21} & w_{22} \\ \vdots & \vdots \\ w_{n1} & w_{n2} \end{bmatrix}",
                "a matrix written by its entries w_{ij}",
                at="\\vdots",
            ),
        ),
    ),
    Rule(
        "doubts.matrix-dots",
        "doubts",
        (
            r"`Z=\left(\begin{array}{ccccc} 1 & \xi_{1} & \xi_{1}^{2} & \ldots & \xi_{1}^{n-1}\\ \vdots & \vdots & \vdots & \ddots & \vdots\\ 1 & \xi_{m} & ... \end{array}\right)` (the Vandermonde matrix of Distill's momentum article): a named matrix written in part",
            r"**refused at the first `\vdots`, naming the matrix** (`parse/matrix_dots.py`): the dots stand for entries a reader fills in by their pattern; papermath reads matrices written in full and does not guess the entries or the size; the hint declares the size instead (`Z \in \mathbb{R}^{m \times n}`), Z an input. A matrix that is a factor (`y = [..] x`) keeps the general refusal",
        ),
        "parse/matrix_dots.py",
        (
            refused(
                r"Z = \begin{pmatrix} 1 & \xi_1 \\ \vdots & \vdots \\ 1 & \xi_m \end{pmatrix}",
                "Z is a matrix written in part",
                at="\\vdots",
            ),
        ),
    ),
    Rule(
        "doubts.optimisation-problem",
        "doubts",
        (
            r"`\text{minimize}_w \qquad \tfrac{1}{2}\|Zw - d\|^2` (Distill's momentum article), `\operatorname{arg\,min}_w`: an optimisation problem written before its objective",
            r"**refused at the word** (`parse/unexpected.py`): the objective has no name to read it into; the hint: name it (`L = ...`) and say in prose what is optimised",
        ),
        "parse/unexpected.py",
        (
            refused(
                r"$$\text{minimize}_w \qquad \tfrac{1}{2}\|Z w - d\|^2$$",
                "optimisation problem",
                at="\\text{minimize}_w",
            ),
        ),
    ),
    Rule(
        "doubts.equals-in-arguments",
        "doubts",
        (
            r"`P(Y=i|x, W,b) = softmax_i(W x + b)`, `\mathcal{L}(\theta=\{W,b\}, \mathcal{D}) = ...` (the Theano tutorials): an `=` inside a call's arguments",
            r"**refused at the `=`** (`parse/unexpected.py`): an event (the probability that Y is i) or an argument given a name is not read; the hint: the value under a name of its own, its arguments as values (`p = softmax(W x + b)`)",
        ),
        "parse/unexpected.py",
        (
            refused(
                r"P(Y=i|x, W,b) = \mathrm{softmax}_i(W x + b)",
                "inside the arguments of P(...)",
                at="=",
            ),
        ),
    ),
    Rule(
        "functions.map-definition",
        "functions",
        (
            r"`p_{i}=\xi\mapsto\xi^{i-1}` (Distill's momentum article: the monomials of polynomial regression), `g = x \mapsto x^{2}`: a function defined by where it sends its argument",
            r"the definition `g(x) = x^{2}` (`parse/map_definitions.py`): a statement of its own, `name = argument \mapsto body`, the argument one symbol; its calls are its body with the argument in place (read/functions.py). A `\mapsto` anywhere else stays refused where it stands",
        ),
        "parse/map_definitions.py",
        (
            ok(r"g = x \mapsto x^{2}, y = g(z)", kinds={"g": "function", "z": "input"}, y="d1"),
            refused(r"y = W (x \mapsto x^2)", "right side of a definition", at="\\mapsto"),
        ),
    ),
    Rule(
        "functions.function-signature",
        "functions",
        (
            r"`a function :math:\`f: R^D \rightarrow R^L\`` beside `f(x) = G(b^{(2)} + W^{(2)} s(b^{(1)} + W^{(1)} x))` (the Theano MLP tutorial), `$f: \mathbb{R}^D \to \mathbb{R}^L$`: a function's signature, the whole of its inline math",
            r"**the declarations it says** (`read/rules_signatures.py`; found and blanked by `parse/signatures.py`): `x \in R^D` for the argument the definition `f(x) = ...` writes, and `f(x) \in R^L`, a claim on its value (statements.expression-claim: a size the claim would solve is refused at the signature); the readings say so. Refused at the signature: no definition `f(x) = ...` with one argument, or two",
        ),
        "read/rules_signatures.py",
        (
            ok(
                "a function $f: \\mathbb{R}^D \\to \\mathbb{R}^L$ such that\n$$f(x) = \\tanh(W x + b)$$",
                says="the signature of a function",
                x="D",
                W="L x D",
            ),
            refused(
                "a function $g: R^D \\to R^L$ such that $$y = W x$$",
                "no equation g(x)",
                at="g: R^D",
            ),
        ),
    ),
    Rule(
        "functions.known-function-definition",
        "functions",
        (
            r"`tanh(a)=(e^a-e^{-a})/(e^a+e^{-a})`, `sigmoid(a)=1/(1+e^{-a})` (the Theano MLP tutorial, inline beside the model): the source's formula for a function papermath knows",
            r"**left out, said in the readings** (`read/rules_known_definitions.py`) where the formula, compiled alone, equals papermath's function (tanh, the logistic, exp, relu, softplus) at nine points from -2 to 2: a definition of the function, not an equation of the model. Refused at the left side, naming the function: a formula that differs (`1/(1+e^{-2a})`) or cannot be computed alone",
        ),
        "read/rules_known_definitions.py",
        (
            ok(
                r"tanh(a) = (e^a - e^{-a})/(e^a + e^{-a}), y = tanh(W x)",
                says="the source's definition of tanh, left out",
                W="? x ?",
            ),
            refused(
                r"sigmoid(a) = 1/(1+e^{-2a}), y = sigmoid(W x)",
                "own formula for sigmoid",
                at="sigmoid(a)",
            ),
        ),
    ),
    Rule(
        "doubts.range-chain",
        "doubts",
        (
            r"`0 \leq y \leq N -1` (a Jianshu post on MultiMarginLoss: the label's values), `1 \le i \le n`: a value between two bounds",
            r"**refused at the first relation** (`parse/range_chains.py`): the values a symbol takes, not an equation, and no size is read from it (before: \"an inequality is not an equation\", hint: write `=`); the hint: declare the size it counts",
        ),
        "parse/range_chains.py",
        (refused(r"0 \leq y \leq N - 1", "range of values between two bounds", at="\\leq"),),
    ),
)

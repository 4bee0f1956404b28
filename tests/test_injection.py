"""Nothing a user types is ever executed (docs/security.md).

A table of hostile inputs (quotes that would close a docstring, line breaks of every kind,
NUL, comment markers, look-alike letters, very long names) in every carrier that reaches
generated code (``\\label{}``, ``%`` comments inside a multi-line equation, ``\\newcommand``,
``align`` rows, ``\\text{}`` names, dims and values keys), through every stage: the Python
API, the generated files run as scripts, the command line, and the workbench's analysis.
Each must end in a harmless reading or a PapermathError, and never run the payload: every
payload would create a file in the working directory, and the test asserts none appears.

Then the check that guards execution (backends/verify.py): every generated module of the
corpus and the catalog passes it, and hand-written hostile modules are each refused.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import papermath
from conftest import ROOT, corpus_cases
from papermath import catalog
from papermath.backends.emit import safe_comment
from papermath.backends.load import load_module
from papermath.backends.verify import UnsafeModule, problems
from papermath.check import check
from papermath.explain import explain
from papermath.serve.work import analyse

MARK = "PWNED"  # every payload creates a file of this name in the working directory

PAYLOADS = {
    "docstring": f'"""; open("{MARK}", "w").write("x"); """',
    "single docstring": f"'''; open('{MARK}', 'w'); '''",
    "newline": f'\n__import__("os").system("touch {MARK}")\n',
    "carriage return": f'\r__import__("os").system("touch {MARK}")\r',
    "crlf": f'\r\nopen("{MARK}", "w")\r\n',
    "NUL": f'\x00\nopen("{MARK}", "w")',
    "U+2028": f'\u2028open("{MARK}", "w")\u2029',
    "U+0085": f'\x85open("{MARK}", "w")',
    "vertical tab": f'\x0bopen("{MARK}", "w")\x0c',
    "C comment": f'*/ system("touch {MARK}"); /*',
    "hash": f'# \n open("{MARK}","w") #',
    "backslashes": f'\\\\"""\\\\; open("{MARK}","w")',
    "bidi override": f'\u202e; open("{MARK}", "w") \u2066',
    "html": f'</script><img src=x onerror="fetch(`{MARK}`)">',
}

CARRIERS = {
    "label": "h = W \\label{{{p}}} x",
    "comment in align": "\\begin{{align}}\nh &= W x % {p}\n\\\\ y &= V h\n\\end{{align}}",
    "macro": "\\newcommand{{\\evil}}{{\\label{{{p}}}}}\nh = W \\evil x",
    "macro comment": "\\newcommand{{\\evil}}{{% {p}\n}}\nh = W \\evil x",
    "align label": "\\begin{{align}}\nh &= W x \\label{{{p}}} \\\\\ny &= V h\n\\end{{align}}",
    "text name": "h = W \\text{{{p}}}",
    "prose": "where $x \\in \\mathbb{{R}}^m$ {p} and\n$$h = W x$$",
}

# names no generated code may carry: refused where they are written, never mangled
NAMES = {
    "digit first": "\\text{1x}",
    "accent": "\\text{é}",
    "ligature": "\\text{ﬁ}",  # NFKC would alias it with \text{fi}
    "cyrillic a": "\\text{а}",
    "dunder": "\\text{__class__}",
    "long": "\\text{" + "a" * 5000 + "}",
    "keyword": "\\text{lambda}",
    "builtin": "\\text{open}",
}

HOSTILE = [
    pytest.param(c.format(p=p), id=f"{cn}-{pn}")
    for cn, c in CARRIERS.items()
    for pn, p in PAYLOADS.items()
] + [pytest.param(f"y = {n} x", id=f"name-{k}") for k, n in NAMES.items()]


@pytest.fixture
def jail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory that must stay empty."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def assert_nothing_ran(jail: Path) -> None:
    made = sorted(p.name for p in jail.iterdir())
    assert MARK not in made and not any(MARK in m for m in made), made


def sizes_of(system: papermath.System) -> dict[str, int]:
    return {n: 2 + k % 3 for k, n in enumerate(sorted(system.size_names()))}


def every_stage(text: str) -> None:
    """The API end to end: read, generate both backends in both layouts, load and run them,
    check the gradients, explain with a worked example."""
    system = papermath.compile(text)
    dims = sizes_of(system)
    system = papermath.compile(text, dims)
    for layout in ("sample-first", "dim-first"):
        for src in (system.numpy_source(dims, layout), system.torch_source(dims, layout)):
            assert problems(src) == [], problems(src)
            ast.parse(src)
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(0)
    gen.init_params(rng)
    system.to_torch(dims)
    check(system, dims)
    values: dict[str, Any] = {}
    for key, shape in system.numeric_shapes(dims).items():
        if system.kinds.get(key) in ("parameter", "input", "state", "constant"):
            values[key] = rng.normal(size=shape).tolist()
    explain(system, values)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_through_the_api(text: str, jail: Path) -> None:
    try:
        every_stage(text)
    except papermath.PapermathError as exc:
        assert not isinstance(exc, UnsafeModule), exc.render()  # refused by the reader
        exc.render()
    assert_nothing_ran(jail)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_through_the_workbench(text: str, jail: Path) -> None:
    """The workbench's analysis (what its worker runs for a request), worked example on."""
    got = analyse({"src": text, "dims": "", "values": ""})
    assert got["ok"] or got["error"]["kind"] not in ("internal error",), got["error"]
    if got["ok"]:
        assert "values_error" not in got or got["values_error"]["kind"] != "internal error"
    assert_nothing_ran(jail)


def test_the_label_carrier_reads_harmlessly(jail: Path) -> None:
    """The issue's own example reads as `h = W x` (a label is not math) and every stage runs."""
    text = CARRIERS["label"].format(p=PAYLOADS["docstring"])
    every_stage(text)
    system = papermath.compile(text)
    assert system.shapes["h"] == ("d1",) or len(system.shapes["h"]) == 1
    src = system.numpy_source(sizes_of(system))
    # the text is there, as a comment, for the reader of the module
    assert any(line.startswith("#") and "label" in line for line in src.splitlines())
    assert_nothing_ran(jail)


@pytest.mark.parametrize("key", list(NAMES))
def test_names_that_cannot_be_python_are_located_errors(key: str) -> None:
    name = NAMES[key]
    text = f"y = {name} x"
    if key in ("keyword", "builtin", "long"):  # fine names: renamed in the code if need be
        every_stage(f"y = W {name}")
        return
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(text)
    err = info.value
    assert err.line == 1 and err.column == 5, err.render()
    assert "name" in err.message


def test_look_alike_names_never_alias() -> None:
    """\\text{ﬁ} is refused, so it can never become the same variable as \\text{fi}."""
    with pytest.raises(papermath.PapermathError):
        papermath.compile("y = \\text{fi} + \\text{ﬁ}")


def test_huge_constants_are_located_errors() -> None:
    digits = "9" * 400
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(f"y = {digits} x")
    assert "too large" in info.value.message and info.value.column == 5
    with pytest.raises(papermath.PapermathError):
        papermath.compile(f"y = x^{{{digits}}}")


def test_folded_overflow_is_computed_not_emitted() -> None:
    """Numbers whose product overflows are not folded into a bare `inf` in the code."""
    text = "y = " + "9" * 300 + " \\cdot " + "9" * 300 + " x"
    system = papermath.compile(text)
    dims = sizes_of(system)
    src = system.numpy_source(dims)
    assert "inf" not in src.replace("info", "")
    assert problems(src) == []


@pytest.mark.parametrize(
    "carrier", ["label", "comment in align", "macro", "align label", "text name"]
)
def test_hostile_input_through_the_cli_and_the_written_files(carrier: str, jail: Path) -> None:
    """`papermath code` writes modules; running them (as users do) runs no payload; `check`,
    `explain` and `report` on a case file with values run none either."""
    text = CARRIERS[carrier].format(
        p=PAYLOADS["docstring"] + PAYLOADS["newline"] + PAYLOADS["html"]
    )
    (jail / "case.tex").write_text(text)
    env = {**os.environ, "PAPERMATH_KERNELS": "off"}
    cli = [sys.executable, "-m", "papermath.cli"]
    shapes = subprocess.run([*cli, "shapes", "case.tex"], capture_output=True, text=True, env=env)
    assert "Traceback" not in shapes.stderr, shapes.stderr
    if shapes.returncode != 0:
        assert shapes.returncode == 2 and "error" in shapes.stderr
        assert_nothing_ran(jail)
        return
    system = papermath.compile(text)
    dims = ",".join(f"{k}={v}" for k, v in sizes_of(system).items())
    for backend in ("numpy", "torch"):
        out = subprocess.run(
            [*cli, "code", "case.tex", "--target", backend, "-o", f"gen_{backend}.py"]
            + (["--dims", dims] if dims else []),
            capture_output=True,
            text=True,
            env=env,
        )
        assert out.returncode == 0, out.stderr
        ran = subprocess.run(
            [sys.executable, f"gen_{backend}.py"], capture_output=True, text=True, env=env
        )
        assert ran.returncode == 0, ran.stderr
    # a case file with [values]: explain and report run the worked example
    rng = np.random.default_rng(0)
    values = {
        key: rng.normal(size=shape).round(2).tolist()
        for key, shape in system.numeric_shapes(sizes_of(system)).items()
        if system.kinds.get(key) in ("parameter", "input", "state")
    }
    (jail / "case.toml").write_text(
        f"latex = {toml_string(text)}\n[values]\n"
        + "".join(f"{k} = {v}\n" for k, v in values.items())
    )
    for cmd in (
        ["shapes", "case.toml", "--readings"],
        ["check", "case.toml"],
        ["explain", "case.toml"],
        ["grad", "case.toml"],
        ["diagram", "case.toml"],
        ["report", "case.toml", "-o", "r.html"],
        ["report", "case.tex", "-o", "r2.html"],
    ):
        got = subprocess.run([*cli, *cmd], capture_output=True, text=True, env=env)
        assert "Traceback" not in got.stderr and got.returncode in (0, 2), (cmd, got.stderr)
    made = {p.name for p in jail.iterdir()}
    assert MARK not in made, made
    assert "r.html" in made and "r2.html" in made
    for page in ("r.html", "r2.html"):  # the text is escaped in the page: no tag from the user
        assert "<img src=x" not in (jail / page).read_text()


def toml_string(text: str) -> str:
    """A TOML basic string of any text (TOML's escapes are JSON's, for these characters)."""
    import json

    return json.dumps(text)


@pytest.mark.parametrize("dims", ['"""=3', "x'=2", "a\nb=2", "é=3", "__class__=2"])
def test_hostile_dims_names(dims: str, jail: Path) -> None:
    got = analyse({"src": "h = W x", "dims": dims})
    assert not got["ok"] and got["error"]["kind"] != "internal error", got
    assert_nothing_ran(jail)


def test_hostile_values_keys(jail: Path) -> None:
    values = '[values]\n"""" = 1\n"a\\nb" = [1, 2]\nW = [[1, 2], [3, 4]]\nx = [1, 2]\n'
    got = analyse({"src": "h = W x", "dims": "", "values": values})
    assert got["ok"], got
    assert got.get("values_error", {}).get("kind") != "internal error"
    assert_nothing_ran(jail)


# ---- the check before anything runs --------------------------------------------------


def generated_modules() -> list[tuple[str, str]]:
    out = []
    texts = [(n, c["latex"]) for n, c in corpus_cases() if "latex" in c]
    papers = ROOT.parent / "shared" / "corpus_papers"
    for path in sorted(papers.glob("*.toml")):
        texts.append((f"papers/{path.stem}", tomllib.loads(path.read_text()).get("latex", "")))
    texts += [(f"catalog/{n}", catalog.latex(n)) for n in catalog.names()]
    for name, text in texts:
        try:
            system = papermath.compile(text)
            dims = {**sizes_of(system), **system.dims}
            system = papermath.compile(text, dims)
            out.append((f"{name} numpy", system.numpy_source(dims)))
            out.append((f"{name} numpy dim-first", system.numpy_source(dims, "dim-first")))
            out.append((f"{name} torch", system.torch_source(dims)))
            out.append((f"{name} torch loop", system.torch_source(dims, steps=False)))
        except papermath.PapermathError:
            continue
    return out


def test_every_generated_module_passes_the_check() -> None:
    modules = generated_modules()
    assert len(modules) >= 100
    failed = {name: problems(src) for name, src in modules if problems(src)}
    assert not failed, failed


HOSTILE_MODULES = {
    "exec": "def forward(params, inputs, state=None):\n    exec('1')\n",
    "eval": "def forward(params, inputs, state=None):\n    return eval('1')\n",
    "open": "def forward(params, inputs, state=None):\n    open('x', 'w')\n",
    "__import__": "def forward(params, inputs, state=None):\n    __import__('os')\n",
    "getattr": "def forward(params, inputs, state=None):\n    getattr(params, 'x')\n",
    "dunder attribute": "def forward(params, inputs, state=None):\n"
    "    return ().__class__.__base__.__subclasses__()\n",
    "import os": "import os as np\n",
    "import subprocess": "import subprocess\n",
    "from import": "from os import system\n",
    "import in a function": "def forward(params, inputs, state=None):\n    import os\n",
    "top-level call": "import numpy as np\nnp.save('x', 1)\n",
    "np.load": "import numpy as np\ndef forward(params, inputs, state=None):\n"
    "    return np.load('x.npy', allow_pickle=True)\n",
    "torch.load": "import torch\ndef forward(params, inputs, state=None):\n"
    "    return torch.load('x.pt')\n",
    "tofile": "def forward(params, inputs, state=None):\n    inputs['x'].tofile('x')\n",
    "os.system": "import os\ndef forward(params, inputs, state=None):\n    os.system('x')\n",
    "globals": "def forward(params, inputs, state=None):\n    globals()['x'] = 1\n",
    "global statement": "def forward(params, inputs, state=None):\n    global np\n",
    "lambda default": "def forward(params, inputs, state=None, f=breakpoint):\n    f()\n",
    "decorator": "import torch\n@torch.jit.script\ndef forward(x):\n    return x\n",
    "class base": "import os\nclass Model(os.PathLike):\n    pass\n",
    "class statement": "import torch\nclass M(torch.autograd.Function):\n    open('x')\n",
    "assigned call": "import numpy as np\nX = np.load('x')\n",
    "NUL": "x = 1\x00\n",
    "syntax": 'x = """\n',
    "kernel include": "_KERNEL_SOURCE = '#include <cstdlib>\\nint f() { return system(\"x\"); }'\n",
    "kernel fopen": '_KERNEL_SOURCE = \'void f() { fopen("x", "w"); }\'\n',
    "async": "async def forward():\n    pass\n",
    "builtin type": "def forward(params, inputs, state=None):\n    return type(params)\n",
}


@pytest.mark.parametrize("name", list(HOSTILE_MODULES))
def test_hostile_modules_are_refused_before_they_run(name: str, jail: Path) -> None:
    source = HOSTILE_MODULES[name]
    assert problems(source), name
    with pytest.raises(UnsafeModule) as info:
        load_module(source, "hostile")
    assert "not run" in info.value.message
    assert_nothing_ran(jail)


def test_the_fixed_code_is_trusted_only_where_it_stands() -> None:
    """A statement from inside a template (the kernel build's import of load_inline) is not
    trusted at the top level of a module."""
    source = "from torch.utils.cpp_extension import load_inline\n"
    assert problems(source)


def test_every_library_function_the_generators_name_is_allowed() -> None:
    """The allowlist is complete for what the generators emit (so no user's module is refused
    for a name the generators use): every `np.` / `torch.` / `F.` path in a generated
    module of the corpus, in both layouts and backends, is on it (checked above), and so is
    every one written in the emitters' own tables."""
    from papermath.backends.verify import LIBRARY
    from papermath.ops import ELEMENTWISE

    written = {row.numpy for row in ELEMENTWISE.values()} | {
        row.torch for row in ELEMENTWISE.values()
    }
    import re

    paths = {
        m for w in written for m in re.findall(r"\b(?:np|torch|F|math)\.[A-Za-z_][A-Za-z0-9_.]*", w)
    }
    missing = sorted(p for p in paths if p not in LIBRARY)
    assert not missing, missing


# ---- fuzzing ------------------------------------------------------------------------------

DANGEROUS = st.sampled_from(
    ['"""', "'''", "\n", "\r", "\x00", "\u2028", "\u2029", "\x85", "\\", "#", "*/", "'", '"',
     "\u202e", "\x0b", "\x0c", "open(", "__import__", ";", ")", "{", "}", "%"]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(DANGEROUS, st.text(max_size=4)), max_size=12))
def test_a_comment_stays_one_comment(pieces: list[str]) -> None:
    text = "".join(pieces)
    source = f"# {safe_comment(text)}\nx = 1\n"
    tree = ast.parse(source)
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign)
    assert "\n" not in safe_comment(text) and "\r" not in safe_comment(text)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(list(CARRIERS.values())),
    st.lists(st.one_of(DANGEROUS, st.text(max_size=3)), max_size=8),
)
def test_fuzzed_carriers_generate_only_safe_modules(carrier: str, pieces: list[str]) -> None:
    text = carrier.format(p="".join(pieces))
    cwd = os.getcwd()
    try:
        system = papermath.compile(text)
        dims = sizes_of(system)
        system = papermath.compile(text, dims)
        for src in (system.numpy_source(dims), system.torch_source(dims)):
            assert problems(src) == [], (text, problems(src))
        system.to_numpy(dims)
    except papermath.PapermathError as exc:
        assert not isinstance(exc, UnsafeModule), (text, exc.render())
    assert os.getcwd() == cwd and not (Path(cwd) / MARK).exists()


def test_readme_says_where_security_is_documented() -> None:
    assert (ROOT / "docs" / "security.md").is_file()


def test_hostile_input_through_the_workbench_server(jail: Path) -> None:
    """The server itself: a same-origin JSON POST of each carrier is analysed harmlessly (the
    worked example on), a cross-origin or text/plain POST of the same is refused unread."""
    from starlette.testclient import TestClient

    from papermath.serve.app import create_app

    base = "http://127.0.0.1:8765"
    with TestClient(create_app(nice_after=None), base_url=base) as client:
        for carrier in ("label", "comment in align", "macro"):
            src = CARRIERS[carrier].format(p=PAYLOADS["docstring"] + PAYLOADS["newline"])
            got = client.post("/api/analyse", json={"src": src, "values": ""})
            assert got.status_code == 200, got.text
            body = got.json()
            assert body["ok"] or body["error"]["kind"] != "internal error", body
            cross = client.post(
                "/api/analyse", json={"src": src}, headers={"Origin": "http://evil.example"}
            )
            assert cross.status_code == 403
            plain = client.post(
                "/api/analyse", content=src.encode(), headers={"Content-Type": "text/plain"}
            )
            assert plain.status_code == 415
    assert_nothing_ran(jail)

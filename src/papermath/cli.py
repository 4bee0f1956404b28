"""The command line: ``papermath shapes FILE``, ``papermath demo``, ``papermath catalog``.

Errors in the user's input print as located messages (no traceback) and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import catalog
from .casefile import Case, load, parse_dims
from .errors import CaseFileError, PapermathError
from .shapes.sizes import display
from .source import Source
from .system import System, compile

EXIT_INPUT_ERROR = 2
EXIT_CHECK_FAILED = 1


def add_dims(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dims",
        action="append",
        default=[],
        metavar="NAME=N[,NAME=N]",
        help="numbers for sizes (adds to a case file's [dims])",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="two declared sizes that the equations force equal (k = n) are an error, "
        "not a solved size (a case file's [options] strict = true does the same)",
    )
    parser.add_argument(
        "--macros",
        metavar="NAME|FILE",
        help="the macros of the site the text comes from (spektral), or a file of "
        "\\newcommand lines or the site's MathJax macros (as a line `%% macros: NAME`)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="papermath",
        description="Read the math of a paper as an expert would: say what was read, infer "
        "the shape of every symbol, generate and check code and gradients, explain, draw. "
        "FILE is LaTeX or a .toml case file (latex, [dims], [values]); '-' reads stdin.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"papermath {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    shapes = sub.add_parser(
        "shapes",
        help="print the shape and kind of every symbol",
        description="Read FILE (LaTeX, or a .toml case file with latex, [dims], [values]; "
        "'-' for standard input) and print each symbol's kind and shape.",
    )
    shapes.add_argument("file", metavar="FILE")
    shapes.add_argument(
        "--json",
        action="store_true",
        help='print {"shapes": ..., "solved": ..., "kinds": ...} as JSON',
    )
    add_dims(shapes)
    shapes.add_argument(
        "--readings", action="store_true", help="also print every reading decision and its reason"
    )

    code = sub.add_parser(
        "code",
        help="generate a NumPy module or a PyTorch nn.Module",
        description="Generate readable, vectorized code for FILE: a standalone NumPy module "
        "(init_params, forward) or a PyTorch module (class Model). Every size needs a "
        "number: from the file's [dims], its [values], or --dims.",
    )
    code.add_argument("file", metavar="FILE")
    code.add_argument("--target", choices=["numpy", "torch"], default="numpy")
    code.add_argument(
        "--layout",
        choices=["sample-first", "dim-first"],
        default="sample-first",
        help="batch axis first (N x D, default) or last (D x N)",
    )
    code.add_argument(
        "--readable",
        action="store_true",
        help="torch: the plain loop over the steps, autograd differentiating it (for reading; "
        "the default adds the speed passes and a generated autograd.Function with fused "
        "kernels)",
    )
    add_dims(code)
    code.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")

    exp = sub.add_parser(
        "explain",
        help="explain each equation inside out: operators, sums, indices, sizes and why",
        description="For each equation, inside out: what each operator is and why, what a sum "
        "ranges over, what indices mean, what each symbol is, each size and which equation "
        "forces it. With values (a case file's [values], or --values FILE.toml), evaluate "
        "every subexpression.",
    )
    exp.add_argument("file", metavar="FILE")
    exp.add_argument(
        "--values",
        metavar="VALUES.toml",
        help="a TOML table of numbers by symbol key (as a case file's [values])",
    )
    add_dims(exp)

    dia = sub.add_parser(
        "diagram",
        help="draw the dataflow of one step (Graphviz)",
        description="Draw one step of FILE: inputs and incoming state on the left, outgoing "
        "state on the right, one node per operation, the size of each value on its arrow, and "
        "a legend of every symbol used. OUT ends in .svg, .png (200 dpi; both need "
        "Graphviz's dot) or .dot.",
    )
    dia.add_argument("file", metavar="FILE")
    dia.add_argument("-o", "--output", required=True, metavar="OUT")
    dia.add_argument(
        "--no-sizes",
        action="store_true",
        help="leave the sizes off the arrows (by default each arrow says the size it carries)",
    )
    add_dims(dia)

    rep = sub.add_parser(
        "report",
        help="write a one-page, self-contained HTML report",
        description="Write one HTML file (it works offline): the equations typeset with "
        "KaTeX, the reading notes, the shapes, the diagram, the explanation, the gradient "
        "equations and the generated NumPy code.",
    )
    rep.add_argument("file", metavar="FILE")
    rep.add_argument("-o", "--output", required=True, metavar="OUT.html")
    add_dims(rep)

    grd = sub.add_parser(
        "grad",
        help="print the gradient equations (matrix calculus, in the source's symbols)",
        description="Print the chain of derivative equations from --of (default: the scalar "
        "loss, else the last equation) back to --wrt, in the source's own symbols, with the "
        "shape of each gradient. --layout: denominator (a gradient has the shape of its "
        "variable) or numerator (the transposed shape). --batch: samples as columns "
        "(dim-first) or as rows (sample-first); by default as the source writes them. Every "
        "printed equation has passed a shape check.",
    )
    grd.add_argument("file", metavar="FILE")
    grd.add_argument("--wrt", required=True, metavar="KEY", help="the variable, by symbol key")
    grd.add_argument("--of", metavar="KEY", help="the value differentiated (default: the loss)")
    grd.add_argument("--layout", choices=["denominator", "numerator"], default="denominator")
    grd.add_argument(
        "--batch",
        choices=["dim-first", "sample-first"],
        default=None,
        help="samples as columns (dim-first) or rows (sample-first); default: as the source "
        "writes them (columns for a source written for one example)",
    )
    add_dims(grd)

    flo = sub.add_parser(
        "flow",
        help="show how a gradient shrinks or grows going back through the steps",
        description="For a recurrence: the largest singular value of ds_T/ds_(T-k) for each "
        "state s and k = 0..steps-1, computed with the generated NumPy backward pass at random "
        "parameters (drawn as PyTorch draws a layer's) and random inputs; the terms of the "
        "printed gradient equation that carry dL/ds back from step t+1; and the largest "
        "value of each activation's derivative.",
    )
    flo.add_argument("file", metavar="FILE")
    flo.add_argument("--steps", type=int, default=20, help="the number of steps (default 20)")
    flo.add_argument("--seed", type=int, default=0)
    add_dims(flo)

    chk = sub.add_parser(
        "check",
        help="check the generated backward pass (finite differences, torch autograd)",
        description="Generate NumPy forward and backward code for FILE, draw random "
        "parameters, inputs and initial states, and compare the backward pass with float64 "
        "central finite differences and (where torch is installed) torch autograd. Prints the "
        "worst relative error per symbol; exits with status 1 above 1e-6. Sizes without a "
        "number get small ones. Gradient equations the source writes (rows whose left side "
        "is dL/dz, a derivation) are claims: each is judged right, wrong (exit 1) or not "
        "comparable, by its shape and its value at random values. An activation the source "
        "does not name (\\sigma_y) is checked with sigmoid, tanh and relu standing in, each "
        "in turn, an aggregator over the neighbours it does not name (\\mathrm{AGGREGATE}_k) "
        "with mean, sum and max, and the report says so (it passes only if every one passes).",
    )
    chk.add_argument("file", metavar="FILE")
    chk.add_argument("--layout", choices=["sample-first", "dim-first"], default="sample-first")
    add_dims(chk)
    chk.add_argument("--seed", type=int, default=0)
    chk.add_argument("--no-torch", action="store_true", help="finite differences only")

    ker = sub.add_parser(
        "kernels",
        help="build, list or remove the fused C++ step kernels of compiled recurrences",
        description="A compiled recurrence's torch module runs its steps as torch ops at "
        "once and builds its fused C++ step kernel in the background on first use (a minute "
        "or two), using it from the next call on. 'build' builds them now and waits; "
        "'status' lists the cache (PAPERMATH_KERNEL_CACHE, else ~/.cache/papermath/kernels); "
        "'clean' empties it, but for builds under way.",
    )
    ker_sub = ker.add_subparsers(dest="action", required=True, metavar="ACTION")
    kbuild = ker_sub.add_parser(
        "build",
        help="build the kernels of FILEs and catalog entries now, and wait for them",
        description="Build the fused step kernel of each FILE and --catalog entry (with "
        "neither: of every catalog entry that has one) and wait for it; one build serves "
        "every size. After a failed build, try again. Exits with status 1 where one fails.",
    )
    kbuild.add_argument("files", nargs="*", metavar="FILE")
    kbuild.add_argument(
        "--catalog", action="append", default=[], metavar="NAME", help="a catalog entry"
    )
    ker_sub.add_parser("status", help="list the kernels in the cache: built, building, failed")
    ker_sub.add_parser("clean", help="remove the cached kernels (but for builds under way)")

    sub.add_parser(
        "demo",
        help="read the built-in LSTM: its shapes and readings, and write its report",
    )

    cat = sub.add_parser("catalog", help="list the catalog, or print one entry's LaTeX")
    cat.add_argument("name", nargs="?", metavar="NAME")

    srv = sub.add_parser(
        "serve",
        help="the workbench: paste LaTeX in a web page, see everything live",
        description="Serve the workbench page: paste LaTeX and see the typeset equations, "
        "readings, shapes, explanation, worked example, diagram, code and gradients update "
        "as you type. A link /?src=<LaTeX>&dims=... opens that exact state. Needs the serve "
        "extra: pip install 'papermath[serve]'.",
    )
    srv.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default: 127.0.0.1, this machine only); any other address "
        "lets anyone who can reach it use the workbench (a warning says so)",
    )
    srv.add_argument("--port", type=int, default=8765)
    srv.add_argument("--open", action="store_true", help="open the page in a browser")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "shapes":
            case, system, _ = read_case(args)
            if args.json:
                print(json.dumps(system.to_json(), indent=2))
            else:
                print(shapes_table(system))
                if args.readings:
                    print()
                    print(readings_text(system))
        elif args.command == "code":
            case, system, dims = read_case(args)
            if args.target == "numpy":
                text = system.numpy_source(dims, args.layout)
            else:
                text = (
                    system.torch_source(dims, args.layout, fast=False, steps=False)
                    if args.readable
                    else system.torch_source(dims, args.layout)
                )
            if args.output:
                write_text(args.output, text)
                print(f"wrote {args.output}", file=sys.stderr)
            else:
                print(text, end="")
        elif args.command == "explain":
            from .explain import explain
            from .explain import render as render_explanation
            from .values import from_tables, read_file

            case, system, _ = read_case(args)
            values = from_tables(case.raw, case.text, case.name)
            if args.values:
                values = values.merged(read_file(args.values))
            explanation = explain(system, values or None)
            print(render_explanation(explanation), end="")
            if any(not c.ok for c in explanation.claims):
                return EXIT_CHECK_FAILED
        elif args.command == "diagram":
            from .diagram import render as render_diagram
            from .diagram import to_dot

            case, system, _ = read_case(args)
            dot = to_dot(system, sizes=not args.no_sizes)
            fmt = args.output.rsplit(".", 1)[-1].lower()
            if fmt == "dot":
                write_text(args.output, dot)
            elif fmt in ("svg", "png"):
                data = render_diagram(dot, fmt)
                try:
                    with open(args.output, "wb") as f:
                        f.write(data)
                except OSError as exc:
                    raise PapermathError(f"cannot write {args.output}: {exc.strerror}") from None
            else:
                raise PapermathError(f"cannot draw to .{fmt}: use .svg, .png or .dot")
            print(f"wrote {args.output}", file=sys.stderr)
        elif args.command == "report":
            from .report import report_html
            from .values import from_tables

            case, system, dims = read_case(args)
            values = from_tables(case.raw, case.text, case.name)
            page = report_html(system, f"papermath: {case.name}", dims, values or None)
            write_text(args.output, page)
            print(f"wrote {args.output}", file=sys.stderr)
        elif args.command == "grad":
            from .report.gradients import derive
            from .report.gradients import render as render_gradients

            case, system, dims = read_case(args)
            d = derive(system, args.wrt, args.of, args.layout, args.batch, dims)
            print(render_gradients(d))
        elif args.command == "flow":
            from .flow import gradient_flow
            from .flow import render as render_flow

            case, system, dims = read_case(args)
            print(render_flow(gradient_flow(system, dims, args.steps, args.seed)), end="")
        elif args.command == "check":
            from .check import report
            from .standin import check_or_stand_in

            case, system, dims = read_case(args)
            results, stand_in = check_or_stand_in(
                system, dims, args.layout, args.seed, use_torch=not args.no_torch
            )
            if stand_in is not None:  # an activation the source does not name (standin.py)
                for name, run in stand_in.runs:
                    print(f"with {name} standing in:\n{report(list(run))}\n")
                print(stand_in.statement())
                results = [r for _, run in stand_in.runs for r in run]
            else:
                print(report(results))
            claimed = []
            if system.claims:
                from .derivation import check as check_claims
                from .derivation import render as render_claims

                claimed = check_claims(system, dims, args.seed)
                print()
                print(render_claims(claimed))
            wrong = any(c.verdict == "wrong" for c in claimed)
            return 0 if all(r.ok for r in results) and not wrong else EXIT_CHECK_FAILED
        elif args.command == "kernels":
            return kernels_command(args)
        elif args.command == "demo":
            demo()
        elif args.command == "serve":
            try:
                from .serve.app import exposure_warning, serve
            except ImportError as exc:
                raise PapermathError(
                    f"the workbench needs Starlette and uvicorn ({exc.name} is missing)",
                    hint="pip install 'papermath[serve]'",
                ) from None
            warning = exposure_warning(args.host, args.port)
            if warning:
                print(warning, file=sys.stderr, flush=True)
            serve(args.host, args.port, args.open)
        elif args.command == "catalog":
            if args.name is None:
                for name in catalog.names():
                    print(f"{name:<14} {catalog.describe(name)}")
            else:
                print(catalog.latex(args.name), end="")
    except PapermathError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_INPUT_ERROR
    except BrokenPipeError:  # pragma: no cover - `papermath ... | head`
        return 0
    return 0


def read_case(args: argparse.Namespace) -> tuple[Case, System, dict[str, int]]:
    """The case FILE names, compiled with its [dims] and --dims; and numbers for its sizes
    (those, plus what its [values] show)."""
    case = load(args.file)
    if getattr(args, "macros", None):  # --macros spektral | FILE (parse/sitemacros.py)
        from .parse.sitemacros import for_flag

        case.latex = for_flag(case.latex, args.macros)
    given = {**case.dims, **parse_dims(getattr(args, "dims", []))}
    strict = case.strict or bool(getattr(args, "strict", False))
    system = compile(Source(case.latex, case.name), given, strict=strict)
    flagged = parse_dims(getattr(args, "dims", []))
    known = system.size_names()
    for name in flagged:
        if name not in known:
            raise CaseFileError(
                f"--dims names {name!r}, which is not a size of these equations",
                hint="sizes: " + ", ".join(sorted(known)) if known else "there are no sizes",
            )
    from .values import from_tables, validate

    values = from_tables(case.raw, case.text, case.name)
    shown = validate(system, values) if values.numbers else {}
    return case, system, {**case.dims, **shown, **given}


def kernels_command(args: argparse.Namespace) -> int:
    """``papermath kernels build | status | clean``."""
    from .backends import kernel_cache as kernels

    if args.action == "status":
        print("\n".join(kernels.status_lines()))
        return 0
    if args.action == "clean":
        removed, kept = kernels.clean()
        print(f"removed {removed} kernel(s) from {kernels.cache_dir()}")
        for entry in kept:
            print(f"kept {entry.stem}: a build under way")
        return 0
    from .check import default_dims

    systems: list[tuple[str, System, dict[str, int]]] = []
    systems += [(name, catalog.load(name), {}) for name in args.catalog]
    for file in args.files:
        _, system, dims = read_case(argparse.Namespace(file=file))
        systems.append((file, system, dims))
    if not args.files and not args.catalog:
        every = [(name, catalog.load(name)) for name in catalog.names()]
        systems = [(name, s, {}) for name, s in every if s.recurrence is not None]
    failed = False
    for name, system, dims in systems:
        result = kernels.build_now(system.to_torch(default_dims(system, dims)))
        if result is None:
            print(f"{name}: no fused step kernel (its steps run as torch ops or a plain loop)")
        else:
            failed = failed or not result[1]
            print(f"{name}: {'ready' if result[1] else 'FAILED'}: {result[0]}")
    return EXIT_CHECK_FAILED if failed else 0


def write_text(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        raise PapermathError(f"cannot write {path}: {exc.strerror}") from None


def demo() -> None:
    name = "lstm"
    system = catalog.load(name)
    print(f"papermath demo: the built-in {name!r} ({catalog.describe(name)})\n")
    print(catalog.latex(name))
    print(shapes_table(system))
    print()
    print(readings_text(system))
    from .report import report_html

    out = f"papermath-demo-{name}.html"
    write_text(out, report_html(system, f"papermath demo: the catalog's {name}"))
    print(f"\nthe full report (typeset equations, diagram, code, gradients): {out}")


def shapes_table(system: System) -> str:
    rows = [("symbol", "kind", "shape")]
    for key, shape in system.shapes.items():
        rows.append((key, system.kinds.get(key, ""), display(shape)))
    for key, (n_in, n_out) in system.functions.items():
        rows.append((f"{key}(.)", "function", f"R^({n_in}) -> R^({n_out})"))
    read = system._read  # f(x; \theta): theta names f's weights (read/rules_param_sets.py)
    for param, func in (read.param_sets if read else {}).items():
        rows.append((param, "parameter", f"{func}.weight, {func}.bias"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if system.solved:
        lines.append("")
        for size, value in system.solved.items():
            lines.append(f"solved: {size} = {value}{forced_by(system, size)}")
    families = (
        (system.per_head_params, "one per head (i = 1..{count}, stacked {count} x shape)"),
        (system.per_relation_params, "one per edge type ({count} types, stacked {count} x shape)"),
        (system.per_order_params, "one per order ({count} orders, stacked {count} x shape)"),
        (system.per_table_params, "one per row of a table ({count} rows, stacked {count} x shape)"),
        (
            system.per_basis_params,
            "one per member of a basis ({count}, stacked next: {count} x shape)",
        ),
    )
    for family, words in families:
        if family:
            count = next(iter(family.values()))
            lines += ["", words.format(count=count) + ": " + ", ".join(family)]
    if system.recurrence:
        rec = system.recurrence
        lines.append("")
        if rec.states:
            lines.append(
                f"recurrence over {rec.index}: state carried from step {rec.index}-1 to "
                f"{rec.index}: " + ", ".join(rec.states)
            )
        if rec.backward:  # read/rules_reverse.py
            lines.append(
                f"recurrence over {rec.index}, backwards: state carried from step "
                f"{rec.index}+1 to {rec.index}: " + ", ".join(rec.backward)
            )
    return "\n".join(lines)


def forced_by(system: System, size: str) -> str:
    r"""``  (forced by line 1: o_t \odot \tanh(C_t))`` for a solved size; "" if nothing is
    recorded."""
    span = system.solved_by.get(size)
    if span is None:
        return ""
    line = system.source.line_col(span.start)[0]
    text = " ".join(system.source.snippet(span).split())
    return f"  (forced by line {line}: {text})"


def readings_text(system: System) -> str:
    lines = ["readings:"]
    for r in sorted(system.readings, key=lambda r: r.span.start):
        line, col = system.source.line_col(r.span.start)
        subject = " ".join(r.subject.split())
        if len(subject) > 40:
            subject = subject[:37] + "..."
        lines.append(f"  {line}:{col:<3} {subject}: {r.reading} ({r.reason})")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

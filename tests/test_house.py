"""Rules of the house, checked: Streamlit only at the edges, short functions, a test file per module."""

import ast
import re

from tests.conftest import ROOT

PACKAGE = ROOT / "force_posture"
STREAMLIT_ALLOWED = {"dashboard.py", "serve.py"}  # and pages/ and force_posture/ui/
UI = PACKAGE / "ui"


def _python_files():
    for path in [*ROOT.glob("*.py"), *ROOT.glob("pages/*.py"), *PACKAGE.rglob("*.py")]:
        yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def test_streamlit_is_imported_only_by_the_pages_the_server_and_ui():
    importers = set()
    for name, tree in _python_files():
        for node in ast.walk(tree):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            mods += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(m == "streamlit" or m.startswith("streamlit.") for m in mods):
                importers.add(name)
    edges = {n for n in importers if n.startswith(("pages/", "force_posture/ui/"))}
    assert importers - STREAMLIT_ALLOWED - edges == set()
    assert "force_posture/ui/__init__.py" not in importers  # importing the package imports none of it


def test_the_streamlit_layer_is_one_short_module_per_concern_each_saying_what_it_owns():
    modules = sorted(UI.glob("*.py"))
    assert len(modules) >= 10
    long, undocumented = [], []
    for path in modules:
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 200:
            long.append(f"{path.name} ({len(text.splitlines())} lines)")
        lines = (ast.get_docstring(ast.parse(text)) or "").splitlines()
        if not lines or not lines[0].endswith(".") or (len(lines) > 1 and lines[1] != ""):
            undocumented.append(path.name)  # the first line, alone, says what the module owns
    assert long == [] and undocumented == []


def test_pages_import_only_the_ui_modules_they_use():
    unused = []
    for path in [ROOT / "dashboard.py", *ROOT.glob("pages/*.py"), *UI.glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            a.asname or a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom)
            if (n.module or "").startswith("force_posture")
            for a in n.names
        }
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        unused += [f"{path.name}: {name}" for name in sorted(imported - used)]
    assert unused == []


def test_no_function_in_the_package_is_longer_than_80_lines():
    long = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > 80:
                    long.append(f"{path.name}:{node.name} ({n} lines)")
    assert long == []


def test_the_chart_builder_reads_as_a_table_of_contents_and_its_builders_are_short():
    tree = ast.parse((PACKAGE / "plot" / "charts.py").read_text(encoding="utf-8"))
    sizes = {n.name: n.end_lineno - n.lineno + 1 for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert sizes["chart_parts"] <= 60 and sizes["build_chart"] <= 5  # build_chart makes chart_parts a Figure
    builders = ["_bands", "_record_line", "_caps", "_basis_markers", "_targets", "_scenario_lines", "_milestone_rug"]
    assert {b: sizes[b] for b in builders if sizes[b] >= 40} == {}


def test_every_module_has_its_test_file():
    tested_through_the_server = [UI, PACKAGE / "web"]
    modules = {p.stem for p in PACKAGE.rglob("*.py") if p.stem != "__init__"}
    modules -= {p.stem for d in tested_through_the_server for p in d.glob("*.py")}
    modules -= {p.stem for p in (PACKAGE / "store" / "migrations").rglob("*.py")}
    missing = [m for m in modules if not (ROOT / "tests" / f"test_{m}.py").is_file()]
    # the Streamlit layer, force_posture/ui/, is tested through its pages (test_pages.py, every page through
    # AppTest; test_browser.py, the served app), and web/ through the server (test_api.py, test_public.py)
    assert missing == []


def test_no_date_literal_filters_the_record_outside_data_files():
    """Targets, labels and 'the peak' come from data/ and view.py, not from dates written into code."""
    found = []
    for name, _ in _python_files():
        text = (ROOT / name).read_text(encoding="utf-8")
        found += [
            f"{name}: {m}" for m in re.findall(r"dt\.date\(2025, 4, 18\)|2025-04-18|dt\.date\(2025, 9, 30\)", text)
        ]
    assert found == []


def test_the_import_rules_hold_as_import_linter_reads_them():
    """.importlinter: each folder of the package is a layer that imports only the layers below it, and every
    folder is named in that list (exhaustive); no circles inside a layer; Streamlit only in ui, Starlette only
    in web, the database drivers only in store, a pure core, the watched sources read only by the watch's run
    (ops, the CLI). The checker's verdict is the test's."""
    import subprocess
    import sys
    from pathlib import Path

    run = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "Contracts: 7 kept, 0 broken." in run.stdout


def test_the_javascript_is_in_files_of_its_own_that_parse():
    """The scripts the pages and the embed run are files a checker can read (node, as Playwright ships it,
    checks their syntax), never strings inside Python."""
    import subprocess
    from pathlib import Path

    import playwright

    node = Path(playwright.__file__).parent / "driver" / "node"
    scripts = sorted(PACKAGE.rglob("*.js")) + sorted(PACKAGE.rglob("*.mjs"))
    assert {p.name for p in scripts} == {"continuity.mjs", "embed.js", "exports.mjs", "screen.mjs"}
    for path in scripts:
        run = subprocess.run([str(node), "--check", str(path)], capture_output=True, text=True)
        assert run.returncode == 0, f"{path.name}: {run.stderr}"
    inline = [p.name for p in PACKAGE.rglob("*.py") if "export default function" in p.read_text(encoding="utf-8")]
    assert inline == []


def test_every_public_function_of_the_package_says_what_it_takes_and_gives():
    """Type hints on every public function and method (a module's own, not those nested in a function)."""
    missing = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        methods = [m for c in tree.body if isinstance(c, ast.ClassDef) for m in c.body]
        for node in [*tree.body, *methods]:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name.startswith("_"):
                continue
            a = node.args
            params = [*a.posonlyargs, *a.args, *a.kwonlyargs, *filter(None, (a.vararg, a.kwarg))]
            if node.returns is None or any(p.annotation is None for p in params if p.arg not in ("self", "cls")):
                missing.append(f"{path.relative_to(PACKAGE)}:{node.name}")
    assert missing == []

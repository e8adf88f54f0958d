"""The README and docs/ are a tested contract: their commands, options, example link and example CSV are true."""

import re

import click

from force_posture.core import data, scenarios, view
from force_posture.ops import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
GUIDES = ("using.md", "data-and-api.md", "operating.md", "architecture.md")
DOCS = README + "".join((ROOT / "docs" / name).read_text(encoding="utf-8") for name in GUIDES)


def _options(command: click.Command) -> set[str]:
    """Every option of a command and of the commands under it, but help."""
    own = {opt for param in command.params for opt in param.opts if opt.startswith("-")}
    under = getattr(command, "commands", {}).values()
    return (own | {opt for sub in under for opt in _options(sub)}) - {"-h", "--help"}


def test_every_command_line_option_is_in_the_docs():
    subcommands = cli.program.commands
    options = {opt for sub in subcommands.values() for opt in _options(sub)}
    assert len(options) > 15
    assert sorted(o for o in options if o not in DOCS) == []
    assert all(f"force-posture {name}" in DOCS for name in subcommands)


def test_the_readme_opens_with_the_two_commands():
    head = README.split("## ", 1)[0]
    assert "    make run\n" in head and "    make test\n" in head


def test_the_readme_example_link_parses_with_no_notes():
    (query,) = re.findall(r"`\?(window=[^`]+)`", DOCS)
    params = dict(part.split("=") for part in query.split("&"))
    chosen, notes = view.parse(params)
    assert notes == [] and chosen.to_query() == params


def test_the_readme_example_scenario_csv_parses():
    block = DOCS.split("    scenario,date,country,troops", 1)[1].split("\n\n", 1)[0]
    text = "scenario,date,country,troops" + "\n".join(line.removeprefix("    ") for line in block.split("\n"))
    result = scenarios.parse(text.encode(), "example.csv")
    assert list(result.frame["troops"]) == [1000, 0] and set(result.frame["scenario"]) == {"Fast exit"}


def test_every_data_file_and_basis_is_documented():
    for name in data.DATA_FILES:
        assert f"data/{name}" in DOCS, name
    method = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    for basis in data.BASES:
        assert f"**{basis.capitalize()}**" in method, basis


def test_every_command_line_in_the_readme_runs_as_written_from_the_project_folder():
    """Each command line shown (an indented line) starts with the path that exists after either of the two
    commands (`force-posture` alone is not on PATH) and names a real subcommand and its real options."""
    subcommands = cli.program.commands
    lines = re.findall(r"(?m)^\s{4,}([\w/.-]*force-posture) (\w+)(.*)$", DOCS)
    assert len(lines) >= 8
    for program, name, rest in lines:
        assert program in (".venv/bin/force-posture", "/opt/force-posture/.venv/bin/force-posture"), program
        known = _options(subcommands[name])
        named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", rest))
        assert named <= known, (name, sorted(named - known))
    assert (ROOT / ".venv" / "bin" / "force-posture").exists()


def test_the_readme_is_short_and_sends_each_reader_to_their_guide():
    """About 150 lines at most: what it is, the two commands, the pages, and where each reader goes next."""
    assert len(README.splitlines()) <= 150
    for name in (*GUIDES, "method.md"):
        assert f"](docs/{name})" in README, name
    for name in GUIDES:
        assert "](../README.md)" in (ROOT / "docs" / name).read_text(encoding="utf-8"), name


def test_every_relative_link_in_the_docs_points_at_a_file_that_exists():
    broken = []
    for path in [ROOT / "README.md", *(ROOT / "docs" / name for name in GUIDES)]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
            if not (path.parent / target).exists():
                broken.append(f"{path.name}: {target}")
    assert broken == []

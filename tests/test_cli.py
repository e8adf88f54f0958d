import re
import shutil
import subprocess
import sys

from force_posture import cli
from tests.conftest import ROOT


def test_check_passes_on_the_shipped_data(capsys):
    assert cli.main(["check", str(ROOT / "data")]) == 0
    assert capsys.readouterr().out.startswith("OK: 70 troop-level rows and 70 milestones in ")


def test_check_lists_problems_in_plain_words(tmp_path, capsys):
    for f in ("troop_levels.csv", "milestones.csv", "corrections.csv", "disagreements.csv", "editorial.csv"):
        shutil.copy(ROOT / "data" / f, tmp_path / f)
    p = tmp_path / "troop_levels.csv"
    p.write_text(p.read_text().replace(",about,reported,", ",about,rumour,", 1))
    assert cli.main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"1 problem in {tmp_path}:\n- troop_levels.csv row 2, column 'basis': 'rumour'")


def test_check_on_a_missing_folder_is_a_one_line_error(capsys):
    assert cli.main(["check", "no/such/folder"]) == 2
    assert capsys.readouterr().out == (
        "error: no/such/folder is not a folder; give the data folder, e.g. 'force-posture check data/'.\n"
    )


def test_console_script_help_lists_every_command():
    out = subprocess.run([sys.executable, "-m", "force_posture.cli", "--help"], capture_output=True, text=True).stdout
    assert "check" in out


def test_readme_opens_with_the_two_commands_and_documents_the_cli():
    readme = (ROOT / "README.md").read_text()
    first_commands = re.findall(r"^    (make \w+)$|^(make \w+)$", readme, flags=re.M)[:2]
    assert [a or b for a, b in first_commands] == ["make run", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    for command in cli.build_parser()._subparsers._group_actions[0].choices:
        assert f"force-posture {command}" in readme


def test_library_purge_removes_only_deletions_older_than_the_days_given(tmp_path, capsys):
    import datetime as dt

    from force_posture import library, scenarios

    url = f"sqlite:///{tmp_path}/library.sqlite3"
    lib = library.Library(url)
    frame = scenarios.parse(b"date,country,troops\n2026-03-01,Syria,800\n", "p.csv").frame
    now = dt.datetime.now(dt.UTC)
    old, recent, kept = (lib.save("me", n, frame, now) for n in ("Old", "Recent", "Kept"))
    lib.delete("me", old.id, now - dt.timedelta(days=40))
    lib.delete("me", recent.id, now - dt.timedelta(days=2))
    assert cli.main(["library", "purge", "--database", url]) == 0
    assert capsys.readouterr().out.startswith("purged 1 saved scenario version(s) deleted more than 30 days ago")
    assert [s.name for s in lib.list("me", deleted=True, now=now)] == ["Recent"]
    assert [s.name for s in lib.list("me")] == ["Kept"] and kept.version == 1
    assert cli.main(["library", "purge", "--database", "postgresql+psycopg://x@127.0.0.1:9/none"]) == 1
    assert capsys.readouterr().err.startswith("error: The scenario library's database could not be reached")

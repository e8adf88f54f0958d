import csv
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from force_posture.core import data
from force_posture.ops import cli
from tests import rows
from tests.conftest import ROOT


def test_check_passes_on_the_shipped_data(capsys):
    assert cli.main(["check", str(ROOT / "data")]) == 0
    assert capsys.readouterr().out.startswith("OK: 70 troop-level rows and 74 milestones in ")


def test_check_lists_problems_in_plain_words(tmp_path, capsys):
    for f in data.DATA_FILES:
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
    out = subprocess.run(
        [sys.executable, "-m", "force_posture.ops.cli", "--help"], capture_output=True, text=True
    ).stdout
    assert "check" in out


def test_readme_opens_with_the_two_commands_and_documents_the_cli():
    readme = (ROOT / "README.md").read_text()
    guide = (ROOT / "docs" / "using.md").read_text() + (ROOT / "docs" / "data-and-api.md").read_text()
    first_commands = re.findall(r"^    (make \w+)$|^(make \w+)$", readme, flags=re.M)[:2]
    assert [a or b for a, b in first_commands] == ["make run", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    for command in cli.program.commands:
        assert f"force-posture {command}" in readme + guide + (ROOT / "docs" / "operating.md").read_text()


def test_library_purge_removes_only_deletions_older_than_the_days_given(tmp_path, capsys):
    import datetime as dt

    from force_posture.core import scenarios
    from force_posture.store import library

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


def test_export_known_on_a_day_draws_the_record_as_it_stood(tmp_path, capsys):
    out = tmp_path / "syria-2024-06.svg"
    assert cli.main(["export", "--chart", "syria", "--known-on", "2024-06-01", "--out", str(out)]) == 0
    assert "as of 2024-06-01" in capsys.readouterr().out
    svg = out.read_text()
    assert "Record as known on 1 Jun 2024" in svg and "disclosed, Dec 2024" not in svg
    later = tmp_path / "syria-2024-12.svg"
    assert cli.main(["export", "--chart", "syria", "--known-on", "2024-12-19", "--out", str(later)]) == 0
    assert "Peak about 2,000 disclosed, Dec 2024" in later.read_text()
    assert cli.main(["export", "--known-on", "2026-01-01", "--as-of", "2025-01-01", "--out", str(out)]) == 1
    assert "is after the as-of day 2025-01-01" in capsys.readouterr().err


def test_exports_are_light_unless_dark_is_asked_for_and_then_slide_and_chart_are_dark(tmp_path, capsys):
    from pptx import Presentation

    light, dark = tmp_path / "light.svg", tmp_path / "dark.svg"
    assert cli.main(["export", "--chart", "iraq", "--as-of", "2026-12-01", "--out", str(light)]) == 0
    assert cli.main(["export", "--chart", "iraq", "--as-of", "2026-12-01", "--theme", "dark", "--out", str(dark)]) == 0
    background = re.compile(r'<rect x="0" y="0" width="\d+" height="\d+" style="fill: (rgb\([\d, ]+\))')
    assert background.search(light.read_text()).group(1) == "rgb(255, 255, 255)"
    assert background.search(dark.read_text()).group(1) == "rgb(23, 22, 20)"  # style.DARK's background
    assert "fill: rgb(86, 180, 233)" in dark.read_text() and "rgb(86, 180, 233)" not in light.read_text()  # Iraq
    slide = tmp_path / "dark.pptx"
    assert cli.main(["export", "--as-of", "2026-12-01", "--theme", "dark", "--out", str(slide)]) == 0
    page = Presentation(str(slide)).slides[0]
    assert str(page.background.fill.fore_color.rgb) == "171614"
    title = next(s for s in page.shapes if s.has_text_frame and s.text_frame.text.startswith("US troops"))
    assert str(title.text_frame.paragraphs[0].runs[0].font.color.rgb) == "EDEBE8"
    with pytest.raises(SystemExit):
        cli.main(["export", "--theme", "sepia", "--out", str(slide)])
    assert "Invalid value for '--theme': 'sepia' is not one of 'light', 'dark'." in capsys.readouterr().err


def test_a_slide_with_since_says_what_changed_in_its_notes(tmp_path):
    from pptx import Presentation

    out = tmp_path / "slide.pptx"
    args = ["export", "--chart", "syria", "--as-of", "2026-11-27", "--since", "2026-03-01", "--out", str(out)]
    assert cli.main(args) == 0
    notes = Presentation(str(out)).slides[0].notes_slide.notes_text_frame.text
    assert "What changed since 1 Mar 2026 (to 27 Nov 2026): " in notes
    assert "correction, Syria, dated 23 Feb 2026: milestones.csv, label: 'US pullout from Qasrak base begins'" in notes


def test_changes_prints_text_csv_and_json(capsys):
    import json

    assert cli.main(["changes", "--since", "2026-03-01", "--until", "2026-11-27"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("What changed since 1 Mar 2026 (to 27 Nov 2026): ")
    assert cli.main(["changes", "--since", "2026-03-01", "--until", "2026-11-27", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["since"] == "2026-03-01" and doc["changes"][0]["change"] == "correction"
    assert cli.main(["changes", "--since", "2026-03-01", "--until", "2026-11-27", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == ["published", "change", "country", "date", "what", "source", "url", "approved_at"]
    assert {r["approved_at"] for r in rows} == {""}  # the shipped files: nothing was approved in the app
    assert [r["what"] for r in rows] == [c["what"] for c in doc["changes"]]
    assert cli.main(["changes", "--since", "2026-12-01", "--until", "2026-11-27"]) == 1
    assert capsys.readouterr().err == "error: --since 2026-12-01 is after --until 2026-11-27.\n"


@pytest.mark.parametrize(
    ("args", "env", "start"),
    [
        (["--database", "mysql://x"], {}, "error: The database address 'mysql://x' (from --database) names a mysql"),
        (["--database", "not a url"], {}, "error: The database address 'not a url' (from --database) is not a"),
        ([], {"FORCE_POSTURE_DATABASE_URL": "nonsense"}, "error: The database address 'nonsense' (from FORCE_POSTURE"),
        (
            ["--database", "sqlite:////nonexistent/x.db"],
            {},
            "error: The database address 'sqlite:////nonexistent/x.db'",
        ),
        # postgres:// is accepted as PostgreSQL: the error is the server's, naming where the address came from
        ([], {"FORCE_POSTURE_DATABASE_URL": "postgres://fp:pw@127.0.0.1:9/db"}, "error: The scenario library's"),
    ],
)
@pytest.mark.parametrize("action", ["purge", "migrate"])
def test_every_bad_database_address_is_one_plain_line(action, args, env, start, monkeypatch, capsys):
    monkeypatch.delenv("FORCE_POSTURE_DATABASE_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["library", action, *args]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(start) and err.count("\n") == 1 and "Traceback" not in err
    assert ("--database" if args else "FORCE_POSTURE_DATABASE_URL") in err
    assert not Path("/nonexistent").exists()


def test_library_migrate_says_whether_it_created_the_schema_or_found_it_current(tmp_path, capsys):
    url = f"sqlite:///{tmp_path}/new.sqlite3"
    assert cli.main(["library", "migrate", "--database", url]) == 0
    where = f"a SQLite file on this server ({tmp_path}/new.sqlite3)"
    assert capsys.readouterr().out == f"created the library's schema in {where}\n"
    assert cli.main(["library", "migrate", "--database", url]) == 0
    assert capsys.readouterr().out.endswith("is already current\n")


def test_the_readme_runs_as_written_on_a_root_shell_and_says_where_to_open_the_app():
    readme = (ROOT / "README.md").read_text()
    opening = readme[: readme.index("    make test")]
    assert "http://127.0.0.1:8501" in opening  # said before `make test`, since `make run` holds the terminal
    team = (ROOT / "docs" / "operating.md").read_text()
    assert "sudo -u" not in team and "\n    sudo " not in team  # a minimal Debian server's root shell has no sudo
    for setting in ("FORCE_POSTURE_SSO_HEADER", "FORCE_POSTURE_USER_HEADER", "FORCE_POSTURE_HAPROXY_SOCKET"):
        assert f"`{setting}`" in team and setting in (ROOT / "deploy" / "team.env.example").read_text()
    for step in ("journalctl", "pg_dump", "team restart --systemd", "scripts/serve-team restart"):
        assert step in team


def test_propose_from_a_file_then_export_reproduces_an_earlier_record_version(tmp_path, capsys):
    import datetime as dt

    from force_posture.store import database, record

    url = f"sqlite:///{tmp_path}/record.sqlite3"
    columns = ",".join(data.LEVEL_COLUMNS) + ",quote,reason\n"
    row = (
        "{day},Iraq,250,,,about,reported,Reuters,https://www.reuters.com/world/iraq,About 250 advisers remain.,"
        "{day},single,1,about 250 advisers,New figure\n"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(columns + row.format(day="2026-11-20").replace(",250,", ",many,"))
    assert cli.main(["propose", str(bad), "--database", url]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"error: {bad} was not proposed (1 problem(s)); fix them and run it again:",
        "- row 2: troops: 'many' is not a whole number of troops (write 2000, not 2,000 or ~2000).",
    ]
    rec = record.Record(database.Database(url))
    now, today, bob = dt.datetime.now(dt.UTC), dt.date.today(), record.Analyst("bob", editor=True)
    svgs = []
    for day in ("2026-11-20", "2026-11-21"):
        good = tmp_path / f"{day}.csv"
        good.write_text(columns + row.format(day=day))
        capsys.readouterr()
        assert cli.main(["propose", str(good), "--database", url]) == 0
        said = capsys.readouterr().out
        assert re.fullmatch(
            r"proposed 1 row\(s\) as operator \(.+\): #\d+; an editor reviews them on the Review page\n", said
        )
        (p,) = rec.proposals()
        rec.decide(bob, p.thread, p.latest.id, record.APPROVED, "", now, today)
        out = tmp_path / f"{day}.svg"
        assert (
            cli.main(["export", "--chart", "iraq", "--out", str(out), "--as-of", "2026-12-02", "--database", url]) == 0
        )
        svgs.append((rec.current()[1], out.read_text()))
    (first, first_svg), (second, second_svg) = svgs
    assert first != second and f"record version {first}" in first_svg and first_svg != second_svg
    again = tmp_path / "again.svg"
    args = ["export", "--chart", "iraq", "--out", str(again), "--as-of", "2026-12-02", "--record-version", first]
    assert cli.main([*args, "--database", url]) == 0
    # the same points (every path drawn) and the same words (every text) as the earlier export
    drawn = lambda svg: (re.findall(r' d="([^"]+)"', svg), re.findall(r">([^<>]+)</text>", svg))  # noqa: E731
    assert drawn(again.read_text()) == drawn(first_svg) != drawn(second_svg)
    capsys.readouterr()
    assert cli.main(["record", "status", "--database", url]) == 0
    assert f"record version {second}: the shipped files (version " in capsys.readouterr().out
    assert cli.main(["record", "export", "--out", str(tmp_path / "out"), "--database", url]) == 0
    assert data.check_dir(tmp_path / "out") == [] and len(data.load(tmp_path / "out").levels) == 72


def test_as_shown_on_reproduces_an_export_made_before_a_back_dated_approval(tmp_path, capsys):
    """On 1 Dec an analyst exports the Iraq chart. On 2 Dec an editor approves a figure its source published
    on 28 Nov. 'As known on' 1 Dec now holds that figure (the source was public); 'as shown on' 1 Dec is what
    the app showed that day, and reproduces the 1 Dec export."""
    import datetime as dt
    import xml.etree.ElementTree as ET

    from force_posture.core import amend
    from force_posture.store import database, record

    url = f"sqlite:///{tmp_path}/record.sqlite3"
    before = tmp_path / "made-on-1-dec.svg"
    common = ["export", "--chart", "iraq", "--format", "svg", "--database", url]
    assert cli.main([*common, "--out", str(before), "--as-of", "2026-12-01"]) == 0
    rec = record.Record(database.Database(url))
    figure = dict(rows.erbil("2026-11-28"), troops="900", note="Report.")
    change = amend.Change(amend.NEW, data.LEVELS_FILE, "about 900", "New figure", row=figure)
    alice, bob = record.Analyst("alice", editor=False), record.Analyst("bob", editor=True)
    p = rec.propose(alice, change, dt.datetime(2026, 12, 2, 8, tzinfo=dt.UTC), dt.date(2026, 12, 2))
    rec.decide(
        bob,
        p.thread,
        p.latest.id,
        record.APPROVED,
        "",
        dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC),
        dt.date(2026, 12, 2),
    )
    shown, known = tmp_path / "shown.svg", tmp_path / "known.svg"
    assert cli.main([*common, "--out", str(shown), "--as-shown-on", "2026-12-01"]) == 0
    assert cli.main([*common, "--out", str(known), "--as-of", "2026-12-01", "--known-on", "2026-12-01"]) == 0

    # the same drawing: its canonical XML is the same, but for the random ids plotly gives a drawing and its
    # traces (the export writes one rectangle's attributes in an order that varies from run to run)
    def same(svg: str) -> str:
        return ET.canonicalize(re.sub(r"(defs-|topdefs-|trace|legend|clip)[0-9a-f]{6}", r"\1UID", svg))

    assert same(shown.read_text()) == same(before.read_text())
    approved = rec.proposal(p.thread).latest.version
    assert f"record version {approved}" in known.read_text() and same(known.read_text()) != same(shown.read_text())
    assert f"record version {rec.shipped_version}" in shown.read_text()
    assert rec.version_on(dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC)) == approved
    assert rec.version_on(dt.datetime(2026, 12, 2, 8, 59, tzinfo=dt.UTC)) == rec.shipped_version
    capsys.readouterr()
    assert cli.main([*common, "--out", str(shown), "--as-shown-on", "1 Dec"]) == 1
    assert capsys.readouterr().err == (
        "error: --as-shown-on '1 Dec' is not a day or a time; write YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC).\n"
    )
    rec.db.engine.dispose()


def test_the_footers_link_back_is_built_on_the_base_url_given_and_a_bad_one_is_refused(tmp_path, capsys):
    """The command line cannot know where the app is served: --base-url says so (make run PORT=8611)."""
    out = tmp_path / "syria.svg"
    args = ["export", "--chart", "syria", "--as-of", "2026-12-01", "--out", str(out)]
    assert cli.main([*args, "--base-url", "http://127.0.0.1:8611/"]) == 0
    svg = out.read_text(encoding="utf-8")
    assert 'Reopen this view: <a xlink:show="new" target="_blank" xlink:href="http://127.0.0.1:8611/syria"' in svg
    assert "localhost:8501" not in svg
    capsys.readouterr()
    assert cli.main([*args, "--base-url", "127.0.0.1:8611"]) == 1
    assert capsys.readouterr().err == (
        "error: --base-url '127.0.0.1:8611' is not a web address; give one like http://127.0.0.1:8611.\n"
    )

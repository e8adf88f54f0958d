"""The `force-posture` command line: check the data, export briefings, look after the record, library and team."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import click

from force_posture.core import data, style
from force_posture.core.view import RECORD_START, WINDOW_NAMES
from force_posture.exports import renderer

DATABASE = click.option("--database", metavar="URL", help="a database URL instead of FORCE_POSTURE_DATABASE_URL")


class CliError(Exception):
    """A one-line, plain-language error for the command line."""


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
    help="Sourced US troop levels in Syria and Iraq: check the data, export briefing charts.",
)
def program() -> None:
    """The `force-posture` commands; each below is one of them."""


def main(argv: list[str] | None = None) -> int:
    """Run one command: its exit code, or SystemExit(2) with click's words for a command line it cannot read."""
    try:
        return program.main(args=argv, prog_name="force-posture", standalone_mode=False)
    except click.ClickException as err:
        err.show()
        raise SystemExit(err.exit_code) from None
    except click.Abort:
        raise SystemExit(1) from None


def _one_line(message: str) -> str:
    return " ".join(line.strip() for line in message.splitlines() if line.strip())


@contextlib.contextmanager
def _plain(*kinds: type[Exception]) -> Iterator[None]:
    """On a CliError or one of these errors: say it on one line and exit 1, never a traceback."""
    try:
        yield
    except (CliError, *kinds) as err:
        print(f"error: {_one_line(str(err))}", file=sys.stderr)
        raise click.exceptions.Exit(1) from None


@contextlib.contextmanager
def _record_in(address: str | None) -> Iterator:
    """The living record in this database (or the default one), its connections closed after the command."""
    from force_posture.store import database, record

    with _plain(database.DatabaseError):
        rec = record.Record(database.Database(address or None))
    try:
        yield rec
    except record.RecordError:
        raise
    except database.DatabaseError as err:
        print(f"error: {_one_line(str(err))}", file=sys.stderr)
        raise click.exceptions.Exit(1) from None
    finally:
        rec.db.engine.dispose()


@program.command(
    "check",
    help="Validate the data folder's troop_levels.csv and milestones.csv and list every problem (file, row, column, "
    "value, fix). Exits 0 when all is well, 1 when there are problems.",
    short_help="validate troop_levels.csv and milestones.csv in a folder",
)
@click.argument("folder", default=str(data.DATA_DIR), metavar="[FOLDER]")
def _check(folder: str) -> int:
    where = Path(folder)
    if not where.is_dir():
        print(f"error: {where} is not a folder; give the data folder, e.g. 'force-posture check data/'.")
        return 2
    problems = data.check_dir(where)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {where}:")
        for p in problems:
            print(f"- {p}")
        return 1
    ds = data.load(where)
    print(f"OK: {len(ds.levels)} troop-level rows and {len(ds.milestones)} milestones in {where}, all sourced.")
    return 0


@program.command(
    "export",
    help="Write a chart with its title, source line and as-of date, ready for a briefing: PNG (at 2x), SVG, PDF, "
    "or a 16:9 PowerPoint slide whose notes list every source. Exits 0 and writes the file, or exits 1 with a "
    "one-line error.",
    short_help="write a briefing chart as PNG, SVG, PDF or a PowerPoint slide",
    epilog="Example: force-posture export --chart syria --format pptx --out syria.pptx "
    "--scenario data/scenarios/slower_drawdown.csv --as-of 2026-11-24. The footer's link uses the "
    "FORCE_POSTURE_BASE_URL setting (default http://localhost:8501).",
)
@click.option("--chart", default="overview", help="overview, syria or iraq (default: overview)")
@click.option("--format", "fmt", help="png, svg, pdf or pptx (default: from the --out file's extension)")
@click.option("--out", required=True, metavar="FILE", help="the file to write")
@click.option("--scenario", multiple=True, metavar="FILE.csv", help="a scenario CSV to draw (repeatable)")
@click.option("--as-of", metavar="YYYY-MM-DD", help="fix 'today', so that exports are reproducible")
@click.option(
    "--known-on",
    metavar="YYYY-MM-DD",
    help="draw the record as it was known on that day (only what was published by then); "
    "'today' is that day unless --as-of says otherwise",
)
@click.option(
    "--since", metavar="YYYY-MM-DD", help="the previous briefing's as-of day: a slide's notes say what changed since"
)
@click.option("--width", type=int, default=1600, metavar="PX", help="width in pixels (default 1600)")
@click.option("--height", type=int, default=900, metavar="PX", help="height in pixels (default 900)")
@click.option(
    "--start",
    metavar="YYYY[-MM[-DD]]",
    help="first year, month or day shown, as the link's from= (default: the window's)",
)
@click.option(
    "--end", metavar="YYYY[-MM[-DD]]", help="last year, month or day shown, as the link's to= (default: the window's)"
)
@click.option(
    "--window",
    default="counter-is",
    type=click.Choice(list(WINDOW_NAMES)),
    help="the app's time window, as the link's window= (default counter-is)",
)
@click.option("--scale", default="linear", type=click.Choice(["linear", "log"]), help="vertical scale (default linear)")
@click.option(
    "--theme",
    default="light",
    type=click.Choice(list(style.THEMES)),
    help="light or dark (default light: briefings go onto white slides and pages)",
)
@click.option(
    "--record-version",
    metavar="V",
    help="draw the record as that version held it (the version is in every export's footer)",
)
@click.option(
    "--as-shown-on",
    metavar="YYYY-MM-DD[THH:MM]",
    help="draw the record as the app showed it then (the version in force at the end of that day, or at that "
    "minute, UTC), as of that day: reproduces an export made then, even after a back-dated approval",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="the address the footer's link back to the view is built on, as the app is served (default: "
    "FORCE_POSTURE_BASE_URL, else http://localhost:8501, where make run serves unless told PORT=)",
)
@click.option("--database", metavar="URL", help="the record's database instead of FORCE_POSTURE_DATABASE_URL")
def _export_command(**given: object) -> int:
    args = SimpleNamespace(**given)
    with _plain(renderer.ExportError):
        fmt, today, content = _export(args)
    print(f"wrote {args.out} ({fmt.upper()}, {len(content) / 1024:.0f} KB, as of {today:%Y-%m-%d})")
    return 0


def _export(args: SimpleNamespace) -> tuple[str, dt.date, bytes]:
    """The file's format, its as-of day and its bytes, written to --out; raises CliError in plain words."""
    import pandas as pd

    from force_posture.core import view
    from force_posture.exports import export

    fmt = args.fmt or Path(args.out).suffix.lstrip(".").lower()
    if fmt not in export.FORMATS:
        raise CliError(f"unknown format '{fmt}'; choose one of {', '.join(export.FORMATS)} (--format).")
    if args.chart not in export.CHARTS:
        raise CliError(f"unknown chart '{args.chart}'; choose one of {', '.join(export.CHARTS)} (--chart).")
    since = _day("--since", args.since)
    try:  # the API's rule too: from the record's start to today (a day to come is not known yet)
        known = view.known_day("--known-on", args.known_on, dt.date.today()) if args.known_on else None
    except ValueError as err:
        raise CliError(str(err)) from None
    shown = _moment("--as-shown-on", args.as_shown_on)
    if shown and args.record_version:
        raise CliError("give --as-shown-on or --record-version, not both: the day names its version.")
    today = _day("--as-of", args.as_of) or known or (shown.date() if shown else None) or dt.date.today()
    if known and known > today:
        raise CliError(f"--known-on {known} is after the as-of day {today}; the record cannot be known later.")
    for name, value in (("--width", args.width), ("--height", args.height)):
        if not 300 <= value <= 4000:
            raise CliError(f"{name} {value} is outside 300 to 4000 pixels.")
    try:  # the link's from/to rule: a year, a month or a day
        first = view.period("--start", args.start) if args.start else None
        after = view.period("--end", args.end, end=True) if args.end else None
    except ValueError as err:
        raise CliError(str(err)) from None
    if first and after and first >= after:
        raise CliError(f"--start {args.start} and --end {args.end}: the range must start before it ends.")
    frames = [_scenario_frame(path) for path in args.scenario]
    scen = pd.concat(frames, ignore_index=True) if frames else None
    if scen is not None and scen.duplicated(["scenario", "country", "date"]).any():
        raise CliError("two scenario files use the same scenario name; give each scenario its own name.")
    chosen = view.View(window=args.window, from_=args.start or "", to=args.end or "")
    chosen = chosen.with_(scale=args.scale, known=known.isoformat() if known else "")
    briefing = export.Briefing(
        chart=args.chart,
        today=today,
        view=chosen,
        scenarios=scen,
        width=args.width,
        height=args.height,
        since=since,
        theme=args.theme,
    )
    out = Path(args.out)
    if not out.parent.is_dir():
        raise CliError(f"cannot write {out}: the folder {out.parent} does not exist.")
    content = export.export(_the_record(args.database, args.record_version, shown), briefing, fmt, _base(args.base_url))
    try:
        out.write_bytes(content)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror}.") from None
    return fmt, today, content


def _scenario_frame(path: str) -> object:
    """One --scenario file's rows; raises CliError with the app's message in the command line's words."""
    from force_posture.core import scenarios

    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read scenario file {path}: {exc.strerror}.") from None
    try:
        return scenarios.parse(content, path).frame
    except scenarios.ScenarioError as err:
        raise CliError(_one_line(str(err)).replace(scenarios.AGAIN, "Fix them and run it again.")) from None


def _base(value: str | None) -> str | None:
    """--base-url as the footer's link back is built on it (None: FORCE_POSTURE_BASE_URL, else the default)."""
    if value is None:
        return None
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value.strip()):
        raise CliError(f"--base-url {value!r} is not a web address; give one like http://127.0.0.1:8611.")
    return value.strip().rstrip("/")


def _moment(flag: str, value: str | None) -> dt.datetime | None:
    """A day (the end of it) or a minute, in UTC: YYYY-MM-DD or YYYY-MM-DDTHH:MM; raises CliError."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time.max, tzinfo=dt.UTC)
        return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M").replace(tzinfo=dt.UTC)
    except ValueError:
        raise CliError(
            f"{flag} '{value[:30]}' is not a day or a time; write YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)."
        ) from None


def _day(flag: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CliError(f"{flag} '{value}' is not a date; write it as YYYY-MM-DD.") from None
    if day < RECORD_START:
        raise CliError(f"{flag} {day} is before the record starts ({RECORD_START}).")
    return day


def _the_record(address: str | None, version: str | None = None, shown: dt.datetime | None = None) -> data.Dataset:
    """The record the app shows (the shipped files plus the changes approved in the app), the version named,
    or the one in force at the moment `shown`."""
    with _record_in(address) as rec:
        version = rec.version_on(shown) if shown else version
        return data.from_frames(rec.at_version(version)) if version else rec.dataset()


@program.command(
    "changes",
    help="What changed since a day: new figures, new milestones and corrections published after --since, up to "
    "--until (default today), newest first, each with its source.",
    short_help="list new figures, milestones and corrections published after a day",
    epilog="Example: force-posture changes --since 2026-02-01 --format csv > changes.csv",
)
@click.option("--since", required=True, metavar="YYYY-MM-DD", help="list what was published after this day")
@click.option("--until", metavar="YYYY-MM-DD", help="up to and including this day (default: today)")
@click.option(
    "--format", "fmt", default="text", type=click.Choice(["text", "csv", "json"]), help="output (default text)"
)
def _changes(since: str, until: str | None, fmt: str) -> int:
    import json

    from force_posture.core import history, tables
    from force_posture.publish import api

    with _plain():
        first = _day("--since", since)
        last = _day("--until", until) or dt.date.today()
        if first > last:
            raise CliError(f"--since {first} is after --until {last}.")
        frame = history.changes(_the_record(None), first, last)
    if fmt == "csv":
        sys.stdout.write(tables.to_safe_csv(frame).decode("utf-8-sig"))
    elif fmt == "json":
        changes = api.records(frame)
        print(json.dumps({"since": first.isoformat(), "until": last.isoformat(), "changes": changes}, indent=2))
    else:
        print(history.changes_text(frame, first, last))
    return 0


@program.command(
    "propose",
    help="Propose every row of FILE.csv (a troop-level, milestone or range file's columns, plus quote and reason) "
    "as new rows of the record, checked by the same rules as 'force-posture check'. All rows are proposed, or "
    "none (every problem is listed by row). An editor reviews them on the Review page.",
    short_help="propose new rows for the record from a CSV file, as the server's operator",
)
@click.argument("file", metavar="FILE.csv")
@DATABASE
def _propose(file: str, database: str | None) -> int:
    from force_posture.core import amend
    from force_posture.store import record

    with _plain():
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"cannot read {file}: {getattr(exc, 'strerror', None) or 'not UTF-8 text'}.") from None
    today = dt.date.today()
    changes, problems = amend.from_csv(text, today)
    try:
        if problems:
            raise record.RecordError(problems)
        with _record_in(database) as rec:
            who = record.operator()
            numbers = rec.propose_many(who, changes, dt.datetime.now(dt.UTC), today)
    except record.RecordError as err:
        print(
            f"error: {file} was not proposed ({len(err.problems)} problem(s)); fix them and run it again:",
            file=sys.stderr,
        )
        for problem in err.problems:
            print(f"- {problem}", file=sys.stderr)
        return 1
    print(
        f"proposed {len(numbers)} row(s) as {who.name}: {', '.join(f'#{n}' for n in numbers)}; an editor reviews "
        "them on the Review page"
    )
    return 0


@program.group(
    "record",
    help="status: the record's version and what waits for review. log: every decision on a proposal, oldest "
    "first (when, which proposal and round, the decision, who decided, who proposed, the version an approval "
    "made, the reason; also /api/decisions.csv). export --out DIR: write the record (the shipped files plus "
    "every approved change) in the data files' format, so that a maintainer commits it as data/ and ships it; "
    "the approved changes are then recognised, never made twice.",
    short_help="the record with the changes approved in the app: its status, its log of decisions, or export it "
    "as data files",
)
def _record() -> None:
    """The living record at the command line."""


@_record.command("status", help="The record's version, what it holds and what waits for review.")
@DATABASE
def _record_status(database: str | None) -> int:
    with _record_in(database) as rec:
        version, approved, waiting = rec.current()[1], len(rec.approved()), len(rec.proposals())
        print(
            f"record version {version}: the shipped files (version {rec.shipped_version}) and {approved} "
            f"approved change(s); {waiting} proposal(s) wait for review; in {rec.db.where}"
        )
    return 0


@_record.command("log", help="Every decision on a proposal, oldest first.")
@DATABASE
def _record_log(database: str | None) -> int:
    with _record_in(database) as rec:
        print(rec.log_text())
    return 0


@_record.command("export", help="Write the record in the data files' format, to commit as data/.")
@click.option("--out", required=True, metavar="DIR", help="the folder to write the data files into")
@DATABASE
def _record_export(out: str, database: str | None) -> int:
    from force_posture.store import record

    with _record_in(database) as rec, _plain(OSError):
        raws, version = rec.current()
        approved = len(rec.approved())
        record.write_files(raws, out)
    print(
        f"wrote the record, version {version} (the shipped files and {approved} approved change(s)), to {out}: "
        f"check it with 'force-posture check {out}', then commit it as data/"
    )
    return 0


@program.group(
    "library",
    help="purge: remove for good the saved scenario versions deleted more than --days days ago (until then the "
    "Scenarios page can restore them); run it daily, e.g. from cron. migrate: create or upgrade the library's "
    "schema (the app also does this on first use). The database is FORCE_POSTURE_DATABASE_URL, or the SQLite "
    "file in this user's data folder.",
    short_help="look after the saved scenario library: purge old deletions, run migrations",
)
def _library() -> None:
    """The saved scenario library's upkeep."""


@contextlib.contextmanager
def _library_in(address: str | None) -> Iterator:
    """The scenario library in this database; an error names where its address came from."""
    from force_posture.store import database, library

    lib = None
    try:
        lib = library.Library(address or None)
        yield lib
    except library.LibraryError as err:
        message = _one_line(str(err))
        source = lib.source if lib is not None else database.address(address or None)[1]
        if f"from {source}" not in message:
            message += f" (The database address came from {source}.)"
        print(f"error: {message}", file=sys.stderr)
        raise click.exceptions.Exit(1) from None
    finally:
        if lib is not None:
            lib.engine.dispose()


@_library.command("purge", help="Remove for good the saved versions deleted more than --days days ago.")
@click.option("--days", type=int, default=30, help="purge what was deleted more than this many days ago")
@DATABASE
def _library_purge(days: int, database: str | None) -> int:
    from force_posture.store import library

    with _library_in(database) as lib:
        if days < 0:
            raise library.LibraryError("--days must be 0 or more.")
        gone = lib.purge(dt.datetime.now(dt.UTC), days=days)
        print(f"purged {gone} saved scenario version(s) deleted more than {days} days ago from {lib.where}")
    return 0


@_library.command("migrate", help="Create or upgrade the library's schema, and say which.")
@DATABASE
def _library_migrate(database: str | None) -> int:
    with _library_in(database) as lib:
        done = lib.migrate()
        if done == "created":
            print(f"created the library's schema in {lib.where}")
        elif done == "already current":
            print(f"the library's schema in {lib.where} is already current")
        else:
            print(f"the library's schema in {lib.where}: {done} to the latest")
    return 0


@program.group(
    "watch",
    help="run: read every watched source that is due (data/watched_sources.csv or FORCE_POSTURE_WATCH_FILE), "
    "keep each read and turn new items into leads for analysts; --source NAME reads one now. extract: print, one "
    "JSON object a line, every sentence of a text (a file, or - for standard input) that "
    "states a US troop level in Syria or Iraq: country, troops, low, high, qualifier (the record's words), the whole "
    "sentence and the words that matched. The same reading the watcher gives what it fetches.",
    short_help="find the sentences that state a US troop level in a text",
)
def _watch() -> None:
    """Watched sources: reading what publishes troop figures."""


@_watch.command("run", help="Read every watched source that is due (or --source NAME now) and keep its leads.")
@click.option("--source", "name", metavar="NAME", help="read this watched source now, due or not")
@click.option("--now", is_flag=True, help="read every watched source now, due or not (an editor's Check now)")
@DATABASE
def _watch_run(name: str | None, now: bool, database: str | None) -> int:
    import datetime as dt

    from force_posture.store import database as db
    from force_posture.store import watched
    from force_posture.watch import fetch, run, sources

    with _plain(sources.SourcesError, db.DatabaseError):
        listed = sources.load()
        chosen = [s for s in listed if s.name == name] if name else listed
        if name and not chosen:
            raise CliError(f"no watched source is named '{name}'; the list has: {', '.join(s.name for s in listed)}.")
        reader = fetch.Reader()
        try:
            done = run.run(
                watched.Watched(db.Database(database) if database else None),
                reader,
                chosen,
                lambda: dt.datetime.now(dt.UTC),
                force=bool(name) or now,
            )
        finally:
            reader.close()
        for outcome in done:
            print(outcome.words())
        if not done:
            print("no watched source is due; nothing was read")
    return 0


@_watch.command("extract", help="Print each US troop level a text states, one JSON object a line.")
@click.argument("file", default="-")
def _watch_extract(file: str) -> int:
    import json

    from force_posture.watch import extract

    with _plain():
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            why = err.strerror if isinstance(err, OSError) else "it is not UTF-8 text"
            raise CliError(f"cannot read {file}: {why}.") from None
    for found in extract.extract(text):
        print(json.dumps(found.as_dict(), ensure_ascii=False))
    return 0


@program.group(
    "team",
    help="check: refuse settings that cannot work (the identity header the replicas read must be the one the "
    "balancer sets). wait: until every replica answers its health check (HAProxy's unit runs it first). serve: "
    "what scripts/serve-team runs: the replicas, HAProxy once they answer, a replica that dies started again "
    "alone. restart: a rolling restart, one replica drained and restarted at a time (--systemd: the systemd "
    "units). Settings come from the environment (deploy/team.env.example).",
    short_help="serve a team: check the settings, run the replicas and HAProxy, restart them one at a time",
)
def _team() -> None:
    """Serving a team's replicas behind HAProxy."""


def _say(line: str) -> None:
    print(f"force-posture team: {line}", flush=True)


@contextlib.contextmanager
def _team_errors() -> Iterator:
    import subprocess

    from force_posture.ops import team

    with _plain(team.TeamError, subprocess.CalledProcessError):
        yield team


@_team.command("check", help="Refuse settings that cannot work; say what will be served.")
def _team_check() -> int:
    import os

    with _team_errors() as team:
        reps = team.check()
        who = os.environ.get(team.USER_HEADER_ENV) or "one local analyst for everyone"
        ports = ", ".join(f":{r.port}" for r in team.serving(reps))
        spare = f" and a spare slot (:{s.port}) for rolling restarts" if (s := team.spare_of(reps)) else ""
        _say(f"ok: {len(team.serving(reps))} replicas ({ports}){spare}; identities: {who}")
    return 0


@_team.command("wait", help="Wait until every replica answers its health check (HAProxy's unit starts after).")
def _team_wait() -> int:
    with _team_errors() as team:
        reps = team.check()
        for r in team.serving(reps):
            if not team.wait_healthy(r.url, team.START_TIMEOUT):
                raise team.TeamError(f"replica {r.name} on :{r.port} does not answer its health check")
        _say(f"every replica answers its health check ({len(reps)})")
    return 0


@_team.command("serve", help="Run the replicas and HAProxy, starting again a replica that dies.")
def _team_serve() -> int:
    with _team_errors() as team:
        team.Supervisor().run()
    return 0


@_team.command("restart", help="A rolling restart, one replica at a time, followed to the end.")
@click.option("--systemd", is_flag=True, help="restart: the systemd units, not serve-team's replicas")
def _team_restart(systemd: bool) -> int:
    with _team_errors() as team:
        reps = team.check()
        if systemd:
            _restart_units(team, reps)
        else:
            _restart_serve_team(team, reps)
    return 0


def _restart_units(team: object, reps: list) -> None:
    """The systemd units, one at a time, through HAProxy's socket (the spare slot rotates: HAProxy says where)."""
    import os
    import subprocess

    socket_path = os.environ.get(team.SOCKET_ENV) or ""
    if not socket_path:
        raise team.TeamError(f"set {team.SOCKET_ENV} (the team's settings file) to HAProxy's runtime socket")

    def systemctl(verb: str):
        return lambda r: subprocess.run(["systemctl", verb, f"force-posture@{r.port}.service"], check=True)

    running, spare = team.live_slots(socket_path, reps)
    if spare is None:
        team.rolling_restart(socket_path, running, systemctl("restart"), team.drain_seconds(), _say)
    else:
        team.handover(socket_path, running, spare, systemctl("start"), systemctl("stop"), team.drain_seconds(), _say)


def _restart_serve_team(team: object, reps: list) -> None:
    """Ask the running scripts/serve-team, and follow it to the end."""
    import os
    import signal

    pid_file, log = team.run_dir() / "serve-team.pid", team.run_dir() / team.RESTART_LOG
    try:
        pid = int(pid_file.read_text())
        log.unlink(missing_ok=True)
        os.kill(pid, signal.SIGHUP)
    except (OSError, ValueError):
        raise team.TeamError(f"no running serve-team found ({pid_file}); under systemd use --systemd") from None
    _say(f"asked serve-team (pid {pid}) for a rolling restart; each step as it happens:")
    steps = len(reps) * (team.drain_seconds() + 3 * team.START_TIMEOUT)
    if not team.follow_restart(log, lambda: team.alive(pid), steps, _say):
        raise team.TeamError(f"the rolling restart did not finish; serve-team's output (pid {pid}) says why")


if __name__ == "__main__":
    sys.exit(main())

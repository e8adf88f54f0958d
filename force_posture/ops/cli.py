"""The `force-posture` command line: `check` validates the data folder."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from force_posture.core import data, style
from force_posture.core.view import RECORD_START, WINDOW_NAMES
from force_posture.exports import renderer


def _check(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"error: {folder} is not a folder; give the data folder, e.g. 'force-posture check data/'.")
        return 2
    problems = data.check_dir(folder)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {folder}:")
        for p in problems:
            print(f"- {p}")
        return 1
    ds = data.load(folder)
    print(f"OK: {len(ds.levels)} troop-level rows and {len(ds.milestones)} milestones in {folder}, all sourced.")
    return 0


class CliError(Exception):
    """A one-line, plain-language error for the command line."""


def _one_line(message: str) -> str:
    return " ".join(line.strip() for line in message.splitlines() if line.strip())


def _export(args: argparse.Namespace) -> int:
    import datetime as dt

    import pandas as pd

    from force_posture.core import scenarios, view
    from force_posture.exports import export

    try:
        fmt = args.format or Path(args.out).suffix.lstrip(".").lower()
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
        chosen = view.View(window=args.window, from_=args.start or "", to=args.end or "")
        frames = []
        for path in args.scenario or []:
            try:
                content = Path(path).read_bytes()
            except OSError as exc:
                raise CliError(f"cannot read scenario file {path}: {exc.strerror}.") from None
            try:
                frames.append(scenarios.parse(content, path).frame)
            except scenarios.ScenarioError as err:  # the app's message, on one line, in the command line's words
                raise CliError(_one_line(str(err)).replace(scenarios.AGAIN, "Fix them and run it again.")) from None
        scen = pd.concat(frames, ignore_index=True) if frames else None
        if scen is not None and scen.duplicated(["scenario", "country", "date"]).any():
            raise CliError("two scenario files use the same scenario name; give each scenario its own name.")
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
        try:
            content = export.export(_the_record(args, shown), briefing, fmt, _base_url(args.base_url))
        except renderer.ExportError as err:
            raise CliError(str(err)) from None
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CliError(f"cannot write {out}: {exc.strerror}.") from None
    except CliError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({fmt.upper()}, {len(content) / 1024:.0f} KB, as of {today:%Y-%m-%d})")
    return 0


def _base_url(value: str | None) -> str | None:
    """--base-url as the footer's link back is built on it (None: FORCE_POSTURE_BASE_URL, else the default)."""
    if value is None:
        return None
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value.strip()):
        raise CliError(f"--base-url {value!r} is not a web address; give one like http://127.0.0.1:8611.")
    return value.strip().rstrip("/")


def _moment(flag: str, value: str | None):
    """A day (the end of it) or a minute, in UTC: YYYY-MM-DD or YYYY-MM-DDTHH:MM; raises CliError."""
    import datetime as dt

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


def _the_record(args: argparse.Namespace, shown=None) -> data.Dataset:
    """The record the app shows (the shipped files plus the changes approved in the app), the version
    --record-version names, or the one in force at the moment --as-shown-on names; raises CliError."""
    from force_posture.store import database, record

    try:
        rec = record.Record(database.Database(getattr(args, "database", None) or None))
        try:
            version = rec.version_on(shown) if shown else getattr(args, "record_version", None)
            return data.from_frames(rec.at_version(version)) if version else rec.dataset()
        finally:
            rec.db.engine.dispose()
    except database.DatabaseError as err:
        raise CliError(_one_line(str(err))) from None


def _propose(args: argparse.Namespace) -> int:
    from force_posture.core import amend
    from force_posture.store import database, record

    rec = None
    try:
        try:
            text = Path(args.file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"cannot read {args.file}: {getattr(exc, 'strerror', None) or 'not UTF-8 text'}.") from None
        today = dt.date.today()
        changes, problems = amend.from_csv(text, today)
        if problems:
            raise record.RecordError(problems)
        rec = record.Record(database.Database(args.database or None))
        who = record.operator()
        numbers = rec.propose_many(who, changes, dt.datetime.now(dt.UTC), today)
    except record.RecordError as err:
        print(
            f"error: {args.file} was not proposed ({len(err.problems)} problem(s)); fix them and run it again:",
            file=sys.stderr,
        )
        for problem in err.problems:
            print(f"- {problem}", file=sys.stderr)
        return 1
    except (CliError, database.DatabaseError) as err:
        print(f"error: {_one_line(str(err))}", file=sys.stderr)
        return 1
    finally:
        if rec is not None:
            rec.db.engine.dispose()
    print(
        f"proposed {len(numbers)} row(s) as {who.name}: {', '.join(f'#{n}' for n in numbers)}; an editor reviews "
        "them on the Review page"
    )
    return 0


def _record(args: argparse.Namespace) -> int:
    from force_posture.store import database, record

    rec = None
    try:
        rec = record.Record(database.Database(args.database or None))
        raws, version = rec.current()
        approved = len(rec.approved())
        if args.action == "export":
            if not args.out:
                raise CliError("record export needs --out DIR, the folder to write the data files into.")
            record.write_files(raws, args.out)
            print(
                f"wrote the record, version {version} (the shipped files and {approved} approved change(s)), to "
                f"{args.out}: check it with 'force-posture check {args.out}', then commit it as data/"
            )
        elif args.action == "log":
            print(rec.log_text())
        else:
            waiting = len(rec.proposals())
            print(
                f"record version {version}: the shipped files (version {rec.shipped_version}) and {approved} "
                f"approved change(s); {waiting} proposal(s) wait for review; in {rec.db.where}"
            )
    except (CliError, database.DatabaseError, OSError) as err:
        print(f"error: {_one_line(str(err))}", file=sys.stderr)
        return 1
    finally:
        if rec is not None:
            rec.db.engine.dispose()
    return 0


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


def _changes(args: argparse.Namespace) -> int:
    import json

    from force_posture.core import history, tables
    from force_posture.publish import api

    try:
        since = _day("--since", args.since)
        until = _day("--until", args.until) or dt.date.today()
        if since > until:
            raise CliError(f"--since {since} is after --until {until}.")
        frame = history.changes(_the_record(args), since, until)
    except CliError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if args.format == "csv":
        sys.stdout.write(tables.to_safe_csv(frame).decode("utf-8-sig"))
    elif args.format == "json":
        changes = api.records(frame)
        print(json.dumps({"since": since.isoformat(), "until": until.isoformat(), "changes": changes}, indent=2))
    else:
        print(history.changes_text(frame, since, until))
    return 0


def _library(args: argparse.Namespace) -> int:
    from force_posture.store import database, library  # only this command needs the database drivers

    lib = None
    now = dt.datetime.now(dt.UTC)
    try:
        lib = library.Library(args.database or None)
        if args.action == "migrate":
            done = lib.migrate()
            if done == "created":
                print(f"created the library's schema in {lib.where}")
            elif done == "already current":
                print(f"the library's schema in {lib.where} is already current")
            else:
                print(f"the library's schema in {lib.where}: {done} to the latest")
        else:
            if args.days < 0:
                raise library.LibraryError("--days must be 0 or more.")
            gone = lib.purge(now, days=args.days)
            print(f"purged {gone} saved scenario version(s) deleted more than {args.days} days ago from {lib.where}")
    except library.LibraryError as err:
        message = _one_line(str(err))
        source = lib.source if lib is not None else database.address(args.database or None)[1]
        if f"from {source}" not in message:
            message += f" (The database address came from {source}.)"
        print(f"error: {message}", file=sys.stderr)
        return 1
    finally:
        if lib is not None:
            lib.engine.dispose()
    return 0


def _team(args: argparse.Namespace) -> int:
    import os
    import signal
    import subprocess

    from force_posture.ops import team  # only this command needs it

    def say(line: str) -> None:
        print(f"force-posture team: {line}", flush=True)

    try:
        if args.action == "serve":
            team.Supervisor().run()
            return 0
        reps = team.check()
        if args.action == "check":
            who = os.environ.get(team.USER_HEADER_ENV) or "one local analyst for everyone"
            ports = ", ".join(f":{r.port}" for r in team.serving(reps))
            spare = f" and a spare slot (:{s.port}) for rolling restarts" if (s := team.spare_of(reps)) else ""
            say(f"ok: {len(team.serving(reps))} replicas ({ports}){spare}; identities: {who}")
        elif args.action == "wait":  # HAProxy's unit: start only once every replica answers
            for r in team.serving(reps):
                if not team.wait_healthy(r.url, team.START_TIMEOUT):
                    raise team.TeamError(f"replica {r.name} on :{r.port} does not answer its health check")
            say(f"every replica answers its health check ({len(reps)})")
        elif args.systemd:  # restart: the units, one at a time, through HAProxy's socket
            socket_path = os.environ.get(team.SOCKET_ENV) or ""
            if not socket_path:
                raise team.TeamError(f"set {team.SOCKET_ENV} (the team's settings file) to HAProxy's runtime socket")

            def systemctl(verb: str):
                return lambda r: subprocess.run(["systemctl", verb, f"force-posture@{r.port}.service"], check=True)

            running, spare = team.live_slots(socket_path, reps)  # the spare slot rotates: HAProxy says where
            if spare is None:
                team.rolling_restart(socket_path, running, systemctl("restart"), team.drain_seconds(), say)
            else:
                team.handover(
                    socket_path, running, spare, systemctl("start"), systemctl("stop"), team.drain_seconds(), say
                )
        else:  # restart: ask the running scripts/serve-team, and follow it to the end
            pid_file, log = team.run_dir() / "serve-team.pid", team.run_dir() / team.RESTART_LOG
            try:
                pid = int(pid_file.read_text())
                log.unlink(missing_ok=True)
                os.kill(pid, signal.SIGHUP)
            except (OSError, ValueError):
                raise team.TeamError(f"no running serve-team found ({pid_file}); under systemd use --systemd") from None
            say(f"asked serve-team (pid {pid}) for a rolling restart; each step as it happens:")
            steps = len(reps) * (team.drain_seconds() + 3 * team.START_TIMEOUT)
            if not team.follow_restart(log, lambda: team.alive(pid), steps, say):
                raise team.TeamError(f"the rolling restart did not finish; serve-team's output (pid {pid}) says why")
    except (team.TeamError, subprocess.CalledProcessError) as err:
        print(f"error: {_one_line(str(err))}", file=sys.stderr)
        return 1
    return 0


def _record_commands(sub) -> None:
    """`propose` and `record`: the living record at the command line."""
    pr = sub.add_parser(
        "propose",
        help="propose new rows for the record from a CSV file, as the server's operator",
        description="Propose every row of FILE.csv (a troop-level, milestone or range file's columns, plus quote "
        "and reason) as new rows of the record, checked by the same rules as 'force-posture check'. All rows "
        "are proposed, or none (every problem is listed by row). An editor reviews them on the Review page.",
    )
    pr.add_argument("file", metavar="FILE.csv")
    pr.add_argument("--database", metavar="URL", help="a database URL instead of FORCE_POSTURE_DATABASE_URL")
    pr.set_defaults(func=_propose)
    rc = sub.add_parser(
        "record",
        help="the record with the changes approved in the app: its status, its log of decisions, or export it as "
        "data files",
        description="status: the record's version and what waits for review. log: every decision on a proposal, "
        "oldest first (when, which proposal and round, the decision, who decided, who proposed, the version an "
        "approval made, the reason; also /api/decisions.csv). export --out DIR: write the record "
        "(the shipped files plus every approved change) in the data files' format, so that a maintainer "
        "commits it as data/ and ships it; the approved changes are then recognised, never made twice.",
    )
    rc.add_argument("action", choices=["status", "log", "export"])
    rc.add_argument("--out", metavar="DIR", help="export: the folder to write into")
    rc.add_argument("--database", metavar="URL", help="a database URL instead of FORCE_POSTURE_DATABASE_URL")
    rc.set_defaults(func=_record)


def _team_command(sub) -> None:
    """`team`: serving a team's replicas behind HAProxy."""
    tm = sub.add_parser(
        "team",
        help="serve a team: check the settings, run the replicas and HAProxy, restart them one at a time",
        description="check: refuse settings that cannot work (the identity header the replicas read must be "
        "the one the balancer sets). wait: until every replica answers its health check (HAProxy's unit runs "
        "it first). serve: what scripts/serve-team runs: the replicas, HAProxy once they answer, a replica that "
        "dies started again alone. restart: a rolling restart, one replica drained and restarted at a time "
        "(--systemd: the systemd units). Settings come from the environment (deploy/team.env.example).",
    )
    tm.add_argument("action", choices=["check", "wait", "serve", "restart"])
    tm.add_argument("--systemd", action="store_true", help="restart: the systemd units, not serve-team's replicas")
    tm.set_defaults(func=_team)


def _export_command(sub) -> None:
    """`export`: a briefing chart as a file, with every option of the app's view."""
    ex = sub.add_parser(
        "export",
        help="write a briefing chart as PNG, SVG, PDF or a PowerPoint slide",
        description="Write a chart with its title, source line and as-of date, ready for a briefing: PNG (at "
        "2x), SVG, PDF, or a 16:9 PowerPoint slide whose notes list every source. Exits 0 and writes the "
        "file, or exits 1 with a one-line error.",
        epilog="Example: force-posture export --chart syria --format pptx --out syria.pptx "
        "--scenario data/scenarios/slower_drawdown.csv --as-of 2026-11-24. The footer's link uses the "
        "FORCE_POSTURE_BASE_URL setting (default http://localhost:8501).",
    )
    ex.add_argument("--chart", default="overview", help="overview, syria or iraq (default: overview)")
    ex.add_argument("--format", help="png, svg, pdf or pptx (default: from the --out file's extension)")
    ex.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    ex.add_argument("--scenario", action="append", metavar="FILE.csv", help="a scenario CSV to draw (repeatable)")
    ex.add_argument("--as-of", metavar="YYYY-MM-DD", help="fix 'today', so that exports are reproducible")
    ex.add_argument(
        "--known-on",
        metavar="YYYY-MM-DD",
        help="draw the record as it was known on that day (only what was published by then); "
        "'today' is that day unless --as-of says otherwise",
    )
    ex.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        help="the previous briefing's as-of day: a slide's notes say what changed since",
    )
    ex.add_argument("--width", type=int, default=1600, metavar="PX", help="width in pixels (default 1600)")
    ex.add_argument("--height", type=int, default=900, metavar="PX", help="height in pixels (default 900)")
    ex.add_argument(
        "--start",
        metavar="YYYY[-MM[-DD]]",
        help="first year, month or day shown, as the link's from= (default: the window's)",
    )
    ex.add_argument(
        "--end",
        metavar="YYYY[-MM[-DD]]",
        help="last year, month or day shown, as the link's to= (default: the window's)",
    )
    ex.add_argument(
        "--window",
        default="counter-is",
        choices=list(WINDOW_NAMES),
        help="the app's time window, as the link's window= (default counter-is)",
    )
    ex.add_argument("--scale", default="linear", choices=["linear", "log"], help="vertical scale (default linear)")
    ex.add_argument(
        "--theme",
        default="light",
        choices=list(style.THEMES),
        help="light or dark (default light: briefings go onto white slides and pages)",
    )
    ex.add_argument(
        "--record-version",
        metavar="V",
        help="draw the record as that version held it (the version is in every export's footer)",
    )
    ex.add_argument(
        "--as-shown-on",
        metavar="YYYY-MM-DD[THH:MM]",
        help="draw the record as the app showed it then (the version in force at the end of that day, or at that "
        "minute, UTC), as of that day: reproduces an export made then, even after a back-dated approval",
    )
    ex.add_argument(
        "--base-url",
        metavar="URL",
        help="the address the footer's link back to the view is built on, as the app is served (default: "
        "FORCE_POSTURE_BASE_URL, else http://localhost:8501, where make run serves unless told PORT=)",
    )
    ex.add_argument("--database", metavar="URL", help="the record's database instead of FORCE_POSTURE_DATABASE_URL")
    ex.set_defaults(func=_export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="force-posture",
        description="Sourced US troop levels in Syria and Iraq: check the data, export briefing charts.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser(
        "check",
        help="validate troop_levels.csv and milestones.csv in a folder",
        description="Validate the data folder's troop_levels.csv and milestones.csv and list every problem "
        "(file, row, column, value, fix). Exits 0 when all is well, 1 when there are problems.",
    )
    check.add_argument("folder", nargs="?", default=str(data.DATA_DIR), help="the data folder (default: data/)")
    check.set_defaults(func=_check)
    _export_command(sub)
    ch = sub.add_parser(
        "changes",
        help="list new figures, milestones and corrections published after a day",
        description="What changed since a day: new figures, new milestones and corrections published after "
        "--since, up to --until (default today), newest first, each with its source.",
        epilog="Example: force-posture changes --since 2026-02-01 --format csv > changes.csv",
    )
    ch.add_argument("--since", required=True, metavar="YYYY-MM-DD", help="list what was published after this day")
    ch.add_argument("--until", metavar="YYYY-MM-DD", help="up to and including this day (default: today)")
    ch.add_argument("--format", default="text", choices=["text", "csv", "json"], help="output (default text)")
    ch.set_defaults(func=_changes)
    lib = sub.add_parser(
        "library",
        help="look after the saved scenario library: purge old deletions, run migrations",
        description="purge: remove for good the saved scenario versions deleted more than --days days ago "
        "(until then the Scenarios page can restore them); run it daily, e.g. from cron. migrate: create or "
        "upgrade the library's schema (the app also does this on first use). The database is "
        "FORCE_POSTURE_DATABASE_URL, or the SQLite file in this user's data folder.",
    )
    lib.add_argument("action", choices=["purge", "migrate"])
    lib.add_argument("--days", type=int, default=30, help="purge what was deleted more than this many days ago")
    lib.add_argument("--database", metavar="URL", help="a database URL instead of FORCE_POSTURE_DATABASE_URL")
    lib.set_defaults(func=_library)
    _record_commands(sub)
    _team_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

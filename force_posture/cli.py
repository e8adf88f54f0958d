"""The `force-posture` command line: `check` validates the data folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from force_posture import data


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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

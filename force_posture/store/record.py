"""The living record: analysts propose changes (amend.py), an editor reviews them, and the record is the
shipped files (data/) with every approved change made, in the order approved.

Pure (no Streamlit); callers pass who the analyst is, "now" and "today". It stands on the team's database
(database.py: the same engine, identity rule and migrations as the scenario library). Everything written is
append-only: a proposal's edit is a new round, a decision is a new row, a retraction keeps its row. Every
write is one transaction; an approval takes the record's lock (PostgreSQL's advisory lock, SQLite's write
lock), so two editors approving conflicting proposals at the same moment: exactly one wins.
"""

from __future__ import annotations

import datetime as dt
import getpass
import io
import json
import os
import re
import threading
import zlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    exc,
    func,
    insert,
    select,
    text,
)
from sqlalchemy import Column as C

from force_posture import settings
from force_posture.core import amend, data
from force_posture.store import database, notify
from force_posture.store.database import LOCAL_USER, MAX_AUTHOR, USER_HEADER_ENV, Database, DatabaseError, short_error
from force_posture.store.database import user_from_headers as _user

EDITORS_ENV = "FORCE_POSTURE_EDITORS"  # names, comma-separated: who reviews in a team
GROUPS_HEADER_ENV = "FORCE_POSTURE_GROUPS_HEADER"  # a header the proxy sets with the analyst's groups
EDITOR_GROUP_ENV = "FORCE_POSTURE_EDITOR_GROUP"  # the group in that header that reviews (default: editors)
LOCK_WAIT_ENV = "FORCE_POSTURE_RECORD_LOCK_WAIT"  # seconds an approval waits for another one in flight (10)
MAX_OPEN = 50  # open proposals per analyst
APPROVED, REJECTED, CHANGES = "approved", "rejected", "changes requested"
DECISIONS = (APPROVED, REJECTED, CHANGES)
OPEN = "open"
_WORDS = {CHANGES: "sent back for changes"}
_LOCK_KEY = 7_318_204_552  # the record's advisory lock on PostgreSQL (the migrations use ...551)
UNREACHABLE = (
    "The record's database could not be reached ({what}). {kept} Try again in a moment; if it keeps failing, "
    "tell whoever runs the team's server."
)

threads = Table(
    "record_threads", database.metadata,
    C("id", Integer, primary_key=True, autoincrement=True), C("created_at", DateTime(timezone=True), nullable=False),
)  # fmt: skip
proposals = Table(
    "record_proposals", database.metadata,
    C("id", Integer, primary_key=True, autoincrement=True),
    C("thread", Integer, ForeignKey("record_threads.id"), nullable=False),
    C("round", Integer, nullable=False), C("kind", String(20), nullable=False), C("file", String(40), nullable=False),
    C("country", String(10), nullable=False), C("change", Text, nullable=False),
    C("proposer", String(MAX_AUTHOR), nullable=False), C("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("thread", "round", name="one_row_per_round"),
    CheckConstraint("kind IN ('new', 'correction', 'retraction')", name="known_kind"),
    Index("record_proposals_proposer", "proposer"),
)  # fmt: skip
decisions = Table(
    "record_decisions", database.metadata,
    C("id", Integer, primary_key=True, autoincrement=True),
    C("proposal", Integer, ForeignKey("record_proposals.id"), nullable=False, unique=True),
    C("thread", Integer, nullable=False), C("decision", String(20), nullable=False),
    C("reviewer", String(MAX_AUTHOR), nullable=False), C("reason", Text, nullable=False),
    C("self_reviewed", Boolean, nullable=False), C("version", String(16)),
    C("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("decision IN ('approved', 'rejected', 'changes requested')", name="known_decision"),
)  # fmt: skip
versions = Table(
    "record_versions", database.metadata,
    C("version", String(16), primary_key=True), C("made_by", Integer), C("snapshot", LargeBinary, nullable=False),
    C("created_at", DateTime(timezone=True), nullable=False),
)  # fmt: skip


def in_words(state: str) -> str:
    """A proposal's state as a sentence says it: "Proposal #2 is sent back for changes"."""
    return _WORDS.get(state, state)


class RecordError(DatabaseError):
    """A refused or failed action on the record: `problems` lists each reason in plain words."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class UnknownVersion(RecordError, LookupError):
    """No record version by that name (as against a database that cannot be read)."""


@dataclass(frozen=True)
class Analyst:
    """Who acts: their name, whether they review, and whether they are the one analyst of a server with
    no identity header (a laptop), who may approve their own proposals (marked self-reviewed)."""

    name: str
    editor: bool
    local: bool = False


def analyst(headers: Mapping[str, str], env: Mapping[str, str] = os.environ) -> Analyst:
    """Who this request is, from the trusted proxy header (database.user_from_headers), and whether they
    are an editor: named in FORCE_POSTURE_EDITORS, or in FORCE_POSTURE_EDITOR_GROUP (default "editors")
    in the groups header the proxy sets (FORCE_POSTURE_GROUPS_HEADER). Raises DatabaseError."""
    header = env.get(USER_HEADER_ENV)
    name = _user(headers, header)
    if not header:
        return Analyst(LOCAL_USER, editor=True, local=True)
    editors = {e.strip().casefold() for e in env.get(EDITORS_ENV, "").split(",") if e.strip()}
    groups: set[str] = set()
    if groups_header := env.get(GROUPS_HEADER_ENV):
        value = next((v for k, v in headers.items() if k.lower() == groups_header.lower()), "")
        groups = {g.casefold() for g in re.split(r"[,;\s]+", value or "") if g}
    group = env.get(EDITOR_GROUP_ENV, "editors").casefold()
    return Analyst(name, editor=name.casefold() in editors or group in groups)


def operator() -> Analyst:
    """The server's operator at the command line: named in the record as such."""
    return Analyst(f"operator ({getpass.getuser()})"[:MAX_AUTHOR], editor=True, local=True)


@dataclass(frozen=True)
class Pulse:
    """The record's activity at one moment: the newest approval, the proposals waiting, and the newest
    round and decision written (0 for none)."""

    approval: int
    waiting: int
    last_round: int
    last_decision: int

    @property
    def activity(self) -> tuple[int, int]:
        return (self.last_round, self.last_decision)


@dataclass(frozen=True)
class Round:
    """One round of a proposal (its first writing or a resubmission) and the decision on it, if any."""

    id: int
    thread: int
    round: int
    change: amend.Change
    proposer: str
    created_at: dt.datetime
    decision: str | None = None
    reviewer: str = ""
    reason: str = ""
    self_reviewed: bool = False
    version: str | None = None
    decided_at: dt.datetime | None = None


@dataclass(frozen=True)
class Proposal:
    """A proposal with every round, oldest first; its state is the last round's."""

    rounds: tuple[Round, ...]

    @property
    def latest(self) -> Round:
        return self.rounds[-1]

    @property
    def thread(self) -> int:
        return self.rounds[0].thread

    @property
    def proposer(self) -> str:
        return self.rounds[0].proposer

    @property
    def state(self) -> str:
        return self.latest.decision or OPEN


def _to_json(change: amend.Change) -> str:
    return json.dumps(asdict(change), sort_keys=True, ensure_ascii=False)


def _from_json(value: str) -> amend.Change:
    return amend.Change(**json.loads(value))


def _pack(raws: dict[str, pd.DataFrame]) -> bytes:
    return zlib.compress(json.dumps({n: raws[n].to_csv(index=False) for n in data.DATA_FILES}).encode(), 6)


def _unpack(blob: bytes) -> dict[str, pd.DataFrame]:

    texts = json.loads(zlib.decompress(blob))
    return {n: pd.read_csv(io.StringIO(t), dtype=str, keep_default_na=False) for n, t in texts.items()}


_utc = database.utc


_ROUNDS = select(
    proposals,
    decisions.c.decision,
    decisions.c.reviewer,
    decisions.c.reason,
    decisions.c.self_reviewed,
    decisions.c.version,
    decisions.c.created_at.label("decided_at"),
    decisions.c.id.label("decision_id"),
).select_from(proposals.outerjoin(decisions, decisions.c.proposal == proposals.c.id))


def _round(r) -> Round:
    return Round(
        id=r.id,
        thread=r.thread,
        round=r.round,
        change=_from_json(r.change),
        proposer=r.proposer,
        created_at=_utc(r.created_at),
        decision=r.decision,
        reviewer=r.reviewer or "",
        reason=r.reason or "",
        self_reviewed=bool(r.self_reviewed),
        version=r.version,
        decided_at=_utc(r.decided_at),
    )


def _lock_wait_ms() -> int:
    """How long an approval waits for one in flight (FORCE_POSTURE_RECORD_LOCK_WAIT seconds, default 10)."""
    try:
        seconds = settings.value(LOCK_WAIT_ENV)
    except ValueError:
        seconds = 10.0
    return max(1, int(seconds * 1000))


def _country(change: amend.Change) -> str:
    return (change.target or change.row).get("country", "")[:10]


class Record:
    """The record on one database: the shipped files plus the approved changes. Safe to share between
    threads: the database pools its connections, and the one thing kept (the record as last built) is
    replaced whole under a lock, never changed in place."""

    def __init__(self, db: Database, shipped: dict[str, pd.DataFrame] | None = None):
        self.db = db
        if shipped is None:
            shipped, problems = data.read_dir()
            if problems := problems + data.check_frames(shipped, dt.date.today()):
                raise data.DataError(problems)
        self.shipped = shipped
        self.shipped_version = data.record_version(shipped)
        self._built: tuple[int, dict[str, pd.DataFrame], str] = (0, shipped, self.shipped_version)
        self._lock = threading.Lock()

    # ---- reading ------------------------------------------------------------------------------------

    def last_approval(self) -> int:
        """The id of the newest approval (0 for none): what a replica asks to know whether it is current."""
        return self.pulse().approval

    def waiting(self) -> int:
        """How many proposals wait for review (their newest round has no decision)."""
        return self.pulse().waiting

    def pulse(self) -> Pulse:
        """What a replica looks at each second, in one query: the newest approval, how many proposals
        wait, and the newest round and decision (they move whenever anyone proposes, resubmits or decides)."""
        latest = proposals.alias("latest")
        newest = select(func.max(latest.c.round)).where(latest.c.thread == proposals.c.thread).scalar_subquery()
        waiting = (
            select(func.count())
            .select_from(proposals.outerjoin(decisions, decisions.c.proposal == proposals.c.id))
            .where(decisions.c.id.is_(None), proposals.c.round == newest)
            .scalar_subquery()
        )
        approval = select(func.coalesce(func.max(decisions.c.id), 0)).where(decisions.c.decision == APPROVED)
        last_round = select(func.coalesce(func.max(proposals.c.id), 0))
        last_decision = select(func.coalesce(func.max(decisions.c.id), 0))
        query = select(
            approval.scalar_subquery(), waiting, last_round.scalar_subquery(), last_decision.scalar_subquery()
        )
        return Pulse(*self._read(lambda conn: conn.execute(query).one()))

    def current(self) -> tuple[dict[str, pd.DataFrame], str]:
        """The record's raw files and its version: the shipped files with every approved change made."""
        return self._read(lambda conn: self._build(conn)[1:])

    def dataset(self) -> data.Dataset:
        """The typed record, with who proposed and approved each new row and why (for the feed)."""
        raws, _ = self.current()
        approved = self.approved()
        rows = [
            (
                r.change.file,
                data.fingerprint(amend.new_row(r.change), amend.COLUMNS[r.change.file]),
                r.change.reason,
                r.proposer,
                r.reviewer,
                r.self_reviewed,
                r.decided_at,
            )
            for r in approved
            if r.change.kind == amend.NEW and r.change.file in amend.CORRECTABLE
        ]
        for r in approved:  # each corrected column, named as the corrections log will say it
            if r.change.kind != amend.CORRECTION or r.change.target is None:
                continue
            day, country = r.change.target.get("date", ""), r.change.target.get("country", "")
            for column, new in r.change.row.items():
                key = data.correction_key(r.change.file, day, country, column, str(new))
                rows.append(
                    (r.change.file, key, r.change.reason, r.proposer, r.reviewer, r.self_reviewed, r.decided_at)
                )
        approvals = pd.DataFrame(rows, columns=list(data.APPROVAL_COLUMNS))
        return replace(data.from_frames(raws), approvals=approvals, decisions=self.decisions())

    def decisions(self) -> pd.DataFrame:
        """Every decision on the record, oldest first: thread, round, kind, country, the date of the row,
        the decision, proposer, reviewer, when (UTC), whether self-reviewed, the record version an
        approval made, and the reason (data.DECISION_COLUMNS)."""
        rows = self._read(
            lambda conn: conn.execute(_ROUNDS.where(decisions.c.id.is_not(None)).order_by(decisions.c.id)).all()
        )
        out = []
        for r in map(_round, rows):
            about = r.change.target or r.change.row
            out.append(
                (
                    r.thread,
                    r.round,
                    r.change.kind,
                    about.get("country", ""),
                    about.get("date", ""),
                    r.decision,
                    r.proposer,
                    r.reviewer,
                    f"{r.decided_at:%Y-%m-%dT%H:%M:%SZ}",
                    r.self_reviewed,
                    r.version or "",
                    r.reason,
                )
            )
        return pd.DataFrame(out, columns=list(data.DECISION_COLUMNS))

    def log_text(self) -> str:
        """Every decision as plain lines, oldest first: what `force-posture record log` prints."""
        frame = self.decisions()
        if frame.empty:
            return "No decision has been made on any proposal."
        lines = []
        for d in frame.to_dict("records"):
            mark = " (self-reviewed)" if d["self_reviewed"] else ""
            made = f"; record version {d['record_version']}" if d["record_version"] else ""
            said = f": {d['reason']}" if d["reason"] else ""
            lines.append(
                f"{d['decided_at']} #{d['thread']} round {d['round']} ({d['kind']}, {d['country']}, "
                f"{d['date']}) {in_words(d['decision'])} by {d['reviewer']}{mark}, proposed by "
                f"{d['proposer']}{made}{said}"
            )
        return "\n".join(lines)

    def _build(self, conn) -> tuple[int, dict[str, pd.DataFrame], str]:
        """(last approval id, raws, version), made from the last build and the approvals since."""
        last, raws, version = self._built
        rows = conn.execute(
            _ROUNDS.where(decisions.c.decision == APPROVED, decisions.c.id > last).order_by(decisions.c.id)
        ).all()
        for r in rows:
            change = _from_json(r.change)
            if not amend.already_in(raws, change) and amend.conflict(raws, change) is None:
                raws = amend.apply(raws, change)
            last = r.decision_id
        if rows:
            version = data.record_version(raws)
            with self._lock:
                if self._built[0] < last:
                    self._built = (last, raws, version)
        return last, raws, version

    def proposal(self, thread: int) -> Proposal:
        rows = self._read(
            lambda conn: conn.execute(
                _ROUNDS.where(proposals.c.thread == int(thread)).order_by(proposals.c.round)
            ).all()
        )
        if not rows:
            raise RecordError(f"There is no proposal #{thread}.")
        return Proposal(tuple(_round(r) for r in rows))

    def proposals(self, state: str = OPEN, country: str = "", kind: str = "", proposer: str = "") -> list[Proposal]:
        """Proposals in a state (open, approved, ...; "" for all), newest first, filtered by country,
        kind and proposer."""
        query = _ROUNDS
        if country:
            query = query.where(proposals.c.country.in_([country, "Both"] if country in data.COUNTRIES else [country]))
        if kind:
            query = query.where(proposals.c.kind == kind)
        if proposer:
            query = query.where(proposals.c.proposer == proposer)
        rows = self._read(lambda conn: conn.execute(query.order_by(proposals.c.thread, proposals.c.round)).all())
        threads: dict[int, list[Round]] = {}
        for r in rows:
            threads.setdefault(r.thread, []).append(_round(r))
        found = [Proposal(tuple(rounds)) for rounds in threads.values()]
        return sorted((p for p in found if not state or p.state == state), key=lambda p: -p.latest.id)

    def approved(self) -> list[Round]:
        """Every approved round, in the order approved."""
        rows = self._read(
            lambda conn: conn.execute(_ROUNDS.where(decisions.c.decision == APPROVED).order_by(decisions.c.id)).all()
        )
        return [_round(r) for r in rows]

    def version_on(self, moment: dt.datetime) -> str:
        """The record version in force at a moment (UTC): the one the last approval made by then, or the
        shipped files' if none was. What the app showed then, whatever day each source was published
        (the record "as known on" a day follows the sources' days instead)."""
        return (
            self._read(
                lambda conn: conn.execute(
                    select(decisions.c.version)
                    .where(decisions.c.decision == APPROVED, decisions.c.created_at <= moment.astimezone(dt.UTC))
                    .order_by(decisions.c.id.desc())
                    .limit(1)
                ).scalar()
            )
            or self.shipped_version
        )

    def at_version(self, version: str) -> dict[str, pd.DataFrame]:
        """The record's raw files as a version held them (the shipped files', or one an approval made)."""
        if version == self.shipped_version:
            return self.shipped
        blob = self._read(
            lambda conn: conn.execute(select(versions.c.snapshot).where(versions.c.version == version)).scalar()
        )
        if blob is None:
            raise UnknownVersion(
                f"No record version '{version[:20]}' is known here; the versions are on the Sources page, in every "
                "export's footer and in the API's answers."
            )
        return _unpack(blob)

    def _read(self, work):
        self.db.migrate()
        try:
            with self.db.engine.connect() as conn:
                return work(conn)
        except exc.DBAPIError as err:
            raise RecordError(UNREACHABLE.format(what=short_error(err), kept="Nothing was changed.")) from err

    # ---- writing ------------------------------------------------------------------------------------

    def propose(self, who: Analyst, change: amend.Change, now: dt.datetime, today: dt.date) -> Proposal:
        """A new proposal, checked at once by the record's rules (refused with every problem)."""
        raws, _ = self.current()
        if problems := amend.problems(raws, change, today):
            raise RecordError(problems)
        if same := [p.thread for p in self.proposals() if p.latest.change == change]:
            raise RecordError(f"The same change is already proposed (#{same[0]}) and waits for review.")
        if len(self.proposals(proposer=who.name)) >= MAX_OPEN:
            raise RecordError(
                f"You have {MAX_OPEN} open proposals, the most one analyst may have; wait for the editors to review "
                "some of them."
            )
        return self._write(who, change, now, thread=None)

    def propose_many(self, who: Analyst, changes: list[amend.Change], now: dt.datetime, today: dt.date) -> list[int]:
        """A researcher's file of new rows: all proposed, or none (with every problem by row)."""
        raws, _ = self.current()
        if not changes:
            raise RecordError("The file has no rows under its header: nothing was proposed.")
        if problems := amend.batch_problems(raws, changes, today):
            raise RecordError(problems)
        if len(self.proposals(proposer=who.name)) + len(changes) > MAX_OPEN:
            raise RecordError(f"That would make more than {MAX_OPEN} open proposals of yours; propose fewer rows.")
        return [self._write(who, c, now, thread=None).thread for c in changes]

    def resubmit(self, who: Analyst, thread: int, change: amend.Change, now: dt.datetime, today: dt.date) -> Proposal:
        """The proposer's edit of an open proposal or one sent back for changes: a new round (the old ones
        and their decisions are kept), to be reviewed again."""
        before = self.proposal(thread)
        if who.name != before.proposer:
            raise RecordError(f"Only {before.proposer}, who wrote proposal #{thread}, can change it.")
        if before.state not in (OPEN, CHANGES):
            raise RecordError(f"Proposal #{thread} is {in_words(before.state)}; propose again instead.")
        raws, _ = self.current()
        if problems := amend.problems(raws, change, today):
            raise RecordError(problems)
        return self._write(who, change, now, thread=before)

    def _write(self, who: Analyst, change: amend.Change, now: dt.datetime, thread: Proposal | None) -> Proposal:
        row = {
            "kind": change.kind,
            "file": change.file,
            "country": _country(change),
            "change": _to_json(change),
            "proposer": who.name[:MAX_AUTHOR],
            "created_at": now.astimezone(dt.UTC),
        }
        kept = "The proposal was not saved; what you wrote is still in the form."
        try:
            with self.db.engine.begin() as conn:
                if thread is None:
                    made = conn.execute(insert(threads).values(created_at=row["created_at"]).returning(threads.c.id))
                    number = made.scalar_one()
                    conn.execute(insert(proposals).values(thread=number, round=1, **row))
                else:
                    number = thread.thread
                    conn.execute(insert(proposals).values(thread=number, round=thread.latest.round + 1, **row))
                notify.announce(conn)
        except exc.IntegrityError as err:
            raise RecordError("Someone changed this proposal at the same moment; open it again.") from err
        except exc.DBAPIError as err:
            raise RecordError(UNREACHABLE.format(what=short_error(err), kept=kept)) from err
        return self.proposal(number)

    def decide(
        self, who: Analyst, thread: int, round_id: int, decision: str, reason: str, now: dt.datetime, today: dt.date
    ) -> Proposal:
        """An editor's decision on the round they reviewed (`round_id`): approve it (the record changes),
        reject it or send it back for changes (both need a reason). Refused if the proposal has changed
        since, was decided already, is the reviewer's own in a team, or no longer fits the record."""
        reason = _decision_reason(who, decision, reason)
        kept = "Nothing was changed: the proposal is as it was."
        try:
            with self.db.engine.begin() as conn:
                if conn.dialect.name == "postgresql":  # a bounded wait: PostgreSQL's lock_timeout covers this lock
                    conn.execute(text(f"SET LOCAL lock_timeout = '{_lock_wait_ms()}ms'"))
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
                latest = _round_to_decide(conn, who, thread, round_id)
                self_reviewed = who.name == latest.proposer
                version = None
                if decision == APPROVED:
                    _, raws, _ = self._build(conn)
                    if problems := amend.problems(raws, latest.change, today):
                        raise RecordError(problems)
                    after = amend.apply(raws, latest.change)
                    version = data.record_version(after)
                conn.execute(
                    insert(decisions).values(
                        proposal=latest.id,
                        thread=latest.thread,
                        decision=decision,
                        reviewer=who.name[:MAX_AUTHOR],
                        reason=reason,
                        self_reviewed=self_reviewed,
                        version=version,
                        created_at=now.astimezone(dt.UTC),
                    )
                )
                if version is not None:
                    made_by = conn.execute(select(decisions.c.id).where(decisions.c.proposal == latest.id)).scalar()
                    self._keep_version(conn, self.shipped_version, self.shipped, None, now)
                    self._keep_version(conn, version, after, made_by, now)
                notify.announce(conn)
        except RecordError:
            raise
        except exc.IntegrityError as err:
            raise RecordError(f"Proposal #{thread} was decided by another editor at the same moment.") from err
        except exc.DBAPIError as err:
            if getattr(err.orig, "sqlstate", "") == "55P03":  # lock_not_available: the wait above ran out
                raise RecordError(
                    f"Another decision was being recorded and did not finish within {_lock_wait_ms() / 1000:g} s. "
                    f"{kept} Try again in a moment."
                ) from err
            raise RecordError(UNREACHABLE.format(what=short_error(err), kept=kept)) from err
        return self.proposal(thread)

    @staticmethod
    def _keep_version(conn, version: str, raws, made_by: int | None, now: dt.datetime) -> None:
        if conn.execute(select(versions.c.version).where(versions.c.version == version)).first() is None:
            conn.execute(
                insert(versions).values(
                    version=version, made_by=made_by, snapshot=_pack(raws), created_at=now.astimezone(dt.UTC)
                )
            )


def _decision_reason(who: Analyst, decision: str, reason: str) -> str:
    """The decision's reason as kept, once the decision, the editor and the reason pass the rules."""
    if decision not in DECISIONS:
        raise RecordError(f"'{decision[:30]}' is not a decision; choose one of {', '.join(DECISIONS)}.")
    if not who.editor:
        raise RecordError(
            f"{who.name} is not an editor on this server, so cannot review proposals. Editors are named by "
            f"{EDITORS_ENV} or by the proxy's groups header; tell whoever runs the team's server."
        )
    reason = data.CONTROL.sub(" ", reason or "").strip()
    if decision != APPROVED and not reason:
        raise RecordError(f"Say why: a decision of '{decision}' needs a reason the proposer can act on.")
    if len(reason) > amend.MAX_TEXT:
        raise RecordError(f"The reason is {len(reason):,} characters; at most {amend.MAX_TEXT:,}.")
    return reason


def _round_to_decide(conn, who: Analyst, thread: int, round_id: int) -> Round:
    """The proposal's newest round, if it is the one the editor saw, undecided, and not theirs in a team."""
    query = _ROUNDS.where(proposals.c.thread == int(thread)).order_by(proposals.c.round)
    rounds = [_round(r) for r in conn.execute(query).all()]
    if not rounds:
        raise RecordError(f"There is no proposal #{thread}.")
    latest = rounds[-1]
    if latest.id != round_id:
        raise RecordError(
            f"Proposal #{thread} has changed since you opened it (round {latest.round} is the newest); review it again."
        )
    if latest.decision is not None:
        raise RecordError(f"Proposal #{thread} is already {in_words(latest.decision)} (by {latest.reviewer}).")
    if who.name == latest.proposer and not who.local:
        raise RecordError("You cannot review your own proposal: in a team, a second analyst reviews every change.")
    return latest


def open_on_row(waiting: list[Proposal], file: str, row: dict) -> list[Proposal]:
    """The open corrections and retractions, of those given, that are about this row (as it reads)."""
    columns = amend.COLUMNS[file]
    mark = data.fingerprint(row, columns)
    return [
        p
        for p in waiting
        if p.latest.change.file == file
        and p.latest.change.target is not None
        and set(columns) <= set(p.latest.change.target)
        and data.fingerprint(p.latest.change.target, columns) == mark
    ]


def write_files(raws: dict[str, pd.DataFrame], directory: str | Path) -> list[str]:
    """The record in the data files' own format, one CSV per file, into `directory` (made if missing):
    what a maintainer commits so that git holds the reviewed record. Returns the files written."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    for name in data.DATA_FILES:
        raws[name].to_csv(folder / name, index=False, lineterminator="\n")
    return list(data.DATA_FILES)


_shared: dict[str, Record] = {}
_shared_lock = threading.Lock()


def shared(url: str | None = None) -> Record:
    """One Record per database URL per process (on the process's one Database), shared by every session."""
    db = database.shared(url)
    with _shared_lock:
        if db.url not in _shared:
            _shared[db.url] = Record(db)
        return _shared[db.url]

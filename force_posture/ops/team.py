"""Serving a team: the replicas the balancer's config names, started and watched, a replica that dies
restarted on its own while the others keep serving, a rolling restart that drains one replica at a
time, the source watch run on its schedule, and the identity wiring checked before anything starts. No
Streamlit.

`scripts/serve-team` runs `Supervisor` on one machine; under systemd (deploy/systemd/) the units do the
supervising and `force-posture team check|wait|restart` are their start-up checks and rolling restart.
"""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from force_posture import settings
from force_posture.store.database import USER_HEADER_ENV

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "haproxy.cfg"
CONFIG_ENV = "FORCE_POSTURE_HAPROXY_CONFIG"
SSO_HEADER_ENV = "FORCE_POSTURE_SSO_HEADER"  # the header the single sign-on sets, which HAProxy passes on
RESTART_LOG = "rolling-restart.log"  # in the run folder: each step of the rolling restart under way
RESTART_DONE = "rolling restart: done"
REPLICA_ENV = "FORCE_POSTURE_REPLICA"  # the replica's name, shown in the sidebar's footer (set per replica)
SOCKET_ENV = "FORCE_POSTURE_HAPROXY_SOCKET"  # HAProxy's runtime socket: drain and ready, one replica at a time
DRAIN_ENV = "FORCE_POSTURE_DRAIN_SECONDS"
RUN_DIR_ENV = "FORCE_POSTURE_RUN_DIR"  # serve-team's pid file (and, by default, HAProxy's socket)
DEFAULT_DRAIN = 20.0  # seconds a drained replica keeps its sessions (exports in flight finish) before it stops
START_TIMEOUT = 180.0  # seconds a replica may take to answer its health check
BACKEND = "replicas"


class TeamError(Exception):
    """A setting or a start that cannot work, in one sentence that says what to change."""


@dataclass(frozen=True)
class Replica:
    name: str  # HAProxy's server name (also the FP_REPLICA cookie value)
    host: str
    port: int
    spare: bool = False  # `disabled` in the config: started only by a rolling restart, to take over a replica

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


# ---- the balancer's config, as HAProxy reads it -------------------------------------------------


def effective(config: str, env: Mapping[str, str]) -> list[str]:
    """The config's lines as HAProxy applies them with this environment: `.if defined(VAR)` / `.else` /
    `.endif` blocks resolved and "${VAR}" replaced (HAProxy expands variables inside double quotes)."""
    lines, keep = [], [True]
    for raw in config.splitlines():
        line = raw.split("#", 1)[0].strip()
        cond = re.fullmatch(r"\.if\s+defined\((\w+)\)", line)
        if cond:
            keep.append(keep[-1] and bool(env.get(cond.group(1))))
        elif line == ".else":
            keep[-1] = not keep[-1] and keep[-2]
        elif line == ".endif":
            keep.pop()
        elif line and keep[-1]:
            lines.append(re.sub(r"\$\{(\w+)\}", lambda m: env.get(m.group(1), ""), line).replace('"', ""))
    return lines


def replicas(config: str, env: Mapping[str, str] = os.environ) -> list[Replica]:
    """The replicas the balancer names: its `server NAME HOST:PORT` lines, a `disabled` one the spare slot
    a rolling restart starts the new code in."""
    found = []
    for line in effective(config, env):
        m = re.match(r"server\s+(\S+)\s+([^\s:]+):(\d+)\b", line)
        if m:
            found.append(Replica(m.group(1), m.group(2), int(m.group(3)), spare="disabled" in line.split()[3:]))
    return found


def serving(reps: list[Replica]) -> list[Replica]:
    """The replicas that serve from the start (every one but the spare)."""
    return [r for r in reps if not r.spare]


def spare_of(reps: list[Replica]) -> Replica | None:
    return next((r for r in reps if r.spare), None)


def live_slots(path: str, reps: list[Replica]) -> tuple[list[Replica], Replica | None]:
    """The replicas serving now and the spare slot, as HAProxy holds them (in maintenance: the spare),
    after any number of rolling restarts; the config's own when the config names no spare."""
    if spare_of(reps) is None:
        return reps, None
    status = {name: row.get("status", "").split(" ")[0] for name, row in server_stats(path).items()}
    idle = [r for r in reps if status.get(r.name) == "MAINT"]
    if len(idle) != 1:
        raise TeamError(f"HAProxy holds {len(idle)} replicas in maintenance, not one spare: set them as they should be")
    return [r for r in reps if r != idle[0]], idle[0]


def front(config: str, env: Mapping[str, str] = os.environ) -> str:
    """The team's address: the frontend's first `bind HOST:PORT`."""
    for line in effective(config, env):
        m = re.match(r"bind\s+([^\s:]+):(\d+)\b", line)
        if m:
            return f"http://{m.group(1)}:{m.group(2)}"
    raise TeamError("The balancer's config has no `bind HOST:PORT` line for the team's address.")


def identity_problem(config: str, env: Mapping[str, str]) -> str | None:
    """Why the identity wiring cannot work, in one sentence, or None. The replicas believe the header
    FORCE_POSTURE_USER_HEADER names; the balancer must set exactly that header (from the single sign-on's
    FORCE_POSTURE_SSO_HEADER), or every analyst would find the library closed; and a header the balancer
    sets that the replicas do not read would make everyone one local analyst without a word."""
    sets = {
        m.group(1).lower()
        for line in effective(config, env)
        if (m := re.match(r"http-request\s+set-header\s+(\S+)", line))
    }
    header = env.get(USER_HEADER_ENV, "").strip()
    groups = env.get("FORCE_POSTURE_GROUPS_HEADER", "").strip()
    if groups and groups.lower() not in sets:
        return (
            f"FORCE_POSTURE_GROUPS_HEADER={groups} is set, but the balancer sets no {groups} header, so the editors "
            "named by it could not review (and a header a browser sent must never be believed). Set "
            "FORCE_POSTURE_SSO_GROUPS_HEADER to your single sign-on's groups header, or name the editors in "
            "FORCE_POSTURE_EDITORS instead."
        )
    sets -= {groups.lower(), "x-forwarded-groups"}
    if header and header.lower() not in sets:
        return (
            f"{USER_HEADER_ENV}={header} is set, but the balancer sets no {header} header, so every analyst would "
            f"find the library closed. Set {SSO_HEADER_ENV} to the header your single sign-on puts on each request "
            f"(in the team's settings file), or unset {USER_HEADER_ENV} to serve everyone as one local analyst."
        )
    if not header and sets:
        shown = ", ".join(sorted(sets))
        return (
            f"The balancer sets {shown} from your single sign-on, but the replicas do not read it, so everyone "
            f"would be the one local analyst. Set {USER_HEADER_ENV}=X-Forwarded-User (in the team's settings file)."
        )
    return None


def config_path(env: Mapping[str, str] = os.environ) -> Path:
    return Path(env.get(CONFIG_ENV) or CONFIG)


def check(env: Mapping[str, str] = os.environ) -> list[Replica]:
    """What every start checks first: the config names replicas and the identity wiring can work."""
    path = config_path(env)
    try:
        config = path.read_text()
    except OSError as err:
        raise TeamError(f"The balancer's config {path} cannot be read ({err.strerror}); set {CONFIG_ENV}.") from None
    found = replicas(config, env)
    if not serving(found):
        raise TeamError(f"The balancer's config {path} names no replica: add a `server NAME 127.0.0.1:PORT` line.")
    problem = identity_problem(config, env) or socket_problem(env)
    if problem:
        raise TeamError(problem)
    return found


def socket_problem(env: Mapping[str, str] = os.environ) -> str | None:
    """Why HAProxy could not make its runtime socket (None when it can): its folder is missing and cannot
    be made by this user, or is not writable. serve-team makes a missing folder; systemd's
    RuntimeDirectory= makes /run/force-posture for the units."""
    path = Path(env.get(SOCKET_ENV) or run_dir(env) / "haproxy.sock")
    folder = path.parent
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        missing = "" if existing == folder else f" (it does not exist, and {existing} is not writable to make it)"
        return (
            f"HAProxy's runtime socket {path} cannot be made: its folder {folder} is not writable by this user"
            f"{missing}. Make the folder for the user that runs the team (systemd: RuntimeDirectory=force-posture "
            f"makes /run/force-posture), or set {SOCKET_ENV} to a path in a folder it can write."
        )
    return None


# ---- health and HAProxy's runtime socket ----------------------------------------------------------


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=5) as reply:  # noqa: S310 (the team's own)
            return reply.status == 200
    except OSError:
        return False


def wait_healthy(url: str, timeout: float, alive: Callable[[], bool] = lambda: True) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        if healthy(url):
            return True
        time.sleep(0.25)
    return False


def haproxy_command(path: str, command: str) -> str:
    """One command on HAProxy's runtime socket (`stats socket ... level admin` in the config)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(path)
        sock.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def server_stats(path: str) -> dict[str, dict[str, str]]:
    """HAProxy's view of each replica (status UP/DOWN/DRAIN/MAINT, scur = its current sessions)."""
    text = haproxy_command(path, "show stat").lstrip("# ")
    return {row["svname"]: row for row in csv.DictReader(io.StringIO(text)) if row["pxname"] == BACKEND}


def set_state(path: str, replica: Replica, state: str) -> None:
    answer = haproxy_command(path, f"set server {BACKEND}/{replica.name} state {state}").strip()
    if answer:
        raise TeamError(f"HAProxy refused to set {replica.name} to {state}: {answer}")


def drain(path: str, replica: Replica, seconds: float, say: Callable[[str], None]) -> None:
    """No new sessions to `replica`; its open ones finish or, after `seconds`, move to the others. Said
    once HAProxy holds it drained, so that whoever reads the line finds it so."""
    set_state(path, replica, "drain")
    say(f"rolling restart: draining {replica.name} (:{replica.port}); the others take its new sessions")
    deadline = time.monotonic() + seconds
    sessions = int(server_stats(path).get(replica.name, {}).get("scur") or 0)
    while sessions and time.monotonic() < deadline:
        time.sleep(0.5)
        sessions = int(server_stats(path).get(replica.name, {}).get("scur") or 0)
    if sessions:
        say(
            f"{replica.name} (:{replica.port}) still holds {sessions} session(s) after {seconds:g} s: "
            "they move to the others"
        )
    set_state(path, replica, "maint")


def rolling_restart(
    path: str, reps: list[Replica], restart: Callable[[Replica], None], seconds: float, say: Callable[[str], None]
) -> None:
    """One replica at a time: drain it, restart it, wait for its health check, put it back; the others
    serve meanwhile, so a deploy never drops every analyst at once. (Without a spare slot: the first
    replica's analysts move twice. `handover` moves each once.)"""
    for replica in reps:
        drain(path, replica, seconds, say)
        restart(replica)
        _ready(path, replica)
        say(f"rolling restart: {replica.name} (:{replica.port}) is back in service")
    say(f"{RESTART_DONE}, every replica restarted")


def _ready(path: str, replica: Replica) -> None:
    """Put a replica that answers its health check in service, once HAProxy counts it up."""
    if not wait_healthy(replica.url, START_TIMEOUT):
        raise TeamError(f"{replica.name} (:{replica.port}) did not come up healthy; the others still serve")
    set_state(path, replica, "ready")
    deadline = time.monotonic() + START_TIMEOUT
    while server_stats(path).get(replica.name, {}).get("status", "").split(" ")[0] != "UP":
        if time.monotonic() > deadline:
            raise TeamError(f"HAProxy does not count {replica.name} (:{replica.port}) as up; the others serve")
        time.sleep(0.25)


def handover(
    path: str,
    running: list[Replica],
    spare: Replica,
    start: Callable[[Replica], None],
    stop: Callable[[Replica], None],
    seconds: float,
    say: Callable[[str], None],
) -> tuple[list[Replica], Replica]:
    """A rolling restart that moves each analyst at most once: the new code starts in the spare slot,
    every old replica stops taking new analysts (drain: its own keep their place), and one old replica at
    a time hands its analysts to the new ones and stops, its slot the next spare. (Restarting in place
    moves the first replica's analysts twice: to the second replica, then back when that one restarts.)
    Returns the replicas now serving and the new spare slot."""
    old, new = list(running), []
    for leaving in running:
        start(spare)
        _ready(path, spare)
        new.append(spare)
        say(f"rolling restart: {spare.name} (:{spare.port}) is in service with the new code")
        for r in old:
            set_state(path, r, "drain")  # new analysts go to the new code only; each keeps its own place
        drain(path, leaving, seconds, say)
        stop(leaving)
        old.remove(leaving)
        say(f"rolling restart: {leaving.name} (:{leaving.port}) stopped; its analysts moved once, to the new code")
        spare = leaving
    say(f"{RESTART_DONE}, every replica restarted (now {', '.join(r.name for r in new)}; {spare.name} is the spare)")
    return new, spare


def drain_seconds(env: Mapping[str, str] = os.environ) -> float:
    raw = env.get(DRAIN_ENV, "").strip()
    try:
        return float(raw) if raw else DEFAULT_DRAIN
    except ValueError:
        raise TeamError(f"{DRAIN_ENV}={raw!r} is not a number of seconds.") from None


# ---- one machine: serve-team's supervisor ---------------------------------------------------------


def run_dir(env: Mapping[str, str] = os.environ) -> Path:
    return Path(env.get(RUN_DIR_ENV) or ROOT / ".run")


def alive(pid: int) -> bool:
    """True while a process of that id runs (serve-team, for `team restart` to follow)."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def follow_restart(log: Path, alive: Callable[[], bool], timeout: float, say: Callable[[str], None]) -> bool:
    """Say each line serve-team writes to its rolling-restart log until it says it is done (True), stopped
    or could not start (False), serve-team ends, or `timeout` seconds pass (False)."""
    deadline, seen = time.monotonic() + timeout, 0
    while time.monotonic() < deadline and alive():
        lines = log.read_text().splitlines() if log.exists() else []
        for line in lines[seen:]:
            say(line)
            if line.startswith(RESTART_DONE):
                return True
            if line.startswith(("rolling restart stopped", "no rolling restart")):
                return False
        seen = len(lines)
        time.sleep(0.25)
    return False


def replica_command(replica: Replica) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "serve.py"),
        "--server.address",
        replica.host,
        "--server.port",
        str(replica.port),
        "--server.headless",
        "true",
    ]


def _how(code: int) -> str:
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with status {code}"


class Supervisor:
    """The replicas, then HAProxy once they answer; each process watched. A replica that exits is
    started again on its own (the others keep serving; HAProxy sends its analysts to them meanwhile),
    and every such event is said in one line. The source watch runs once they serve and then every
    FORCE_POSTURE_WATCH_EVERY minutes, never two at once, its lines said here. SIGHUP: a rolling restart.
    SIGTERM or Ctrl-C: stop."""

    def __init__(self, env: Mapping[str, str] | None = None, say: Callable[[str], None] | None = None):
        self.env = dict(os.environ if env is None else env)
        self.say = say or (lambda line: print(f"serve-team: {line}", flush=True))
        self.reps = check(self.env)
        self.running, self.spare = serving(self.reps), spare_of(self.reps)  # the spare slot rotates
        self.config = config_path(self.env)
        self.front = front(self.config.read_text(), self.env)
        self.run_dir = run_dir(self.env)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.socket = self.env.setdefault(SOCKET_ENV, str(self.run_dir / "haproxy.sock"))
        Path(self.socket).parent.mkdir(parents=True, exist_ok=True)  # a /run folder is gone after a reboot
        self.drain = drain_seconds(self.env)
        self.procs: dict[str, subprocess.Popen] = {}
        self.haproxy: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.watch_every = 60 * float(settings.value("FORCE_POSTURE_WATCH_EVERY", self.env))
        self.watcher: subprocess.Popen | None = None
        self.next_watch = 0.0  # monotonic: the first run as soon as the team is served

    def _start(self, replica: Replica) -> None:
        env = {**self.env, REPLICA_ENV: replica.name}
        proc = self.procs[replica.name] = subprocess.Popen(replica_command(replica), cwd=ROOT, env=env)
        self.say(f"replica {replica.name} on :{replica.port} started (pid {proc.pid})")

    def start(self) -> None:
        for replica in self.running:
            self._start(replica)
        for replica in self.running:
            proc = self.procs[replica.name]
            if not wait_healthy(replica.url, START_TIMEOUT, lambda p=proc: p.poll() is None):
                self.stop()
                raise TeamError(f"replica {replica.name} on :{replica.port} did not start; its output above says why")
        self.say(f"{len(self.running)} replicas answer their health check; starting HAProxy")
        self._start_haproxy()
        if not wait_healthy(self.front, START_TIMEOUT, lambda: self.haproxy.poll() is None):
            self.stop()
            raise TeamError(f"HAProxy did not start on {self.front}; its output above says why")

    def _start_haproxy(self) -> None:
        self.haproxy = subprocess.Popen(["haproxy", "-f", str(self.config), "-db"], env=self.env)

    def stop_one(self, replica: Replica) -> None:
        """Stop a replica on purpose (a rolling restart's step): no longer watched, so not a crash."""
        with self.lock:
            proc = self.procs.pop(replica.name)
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def start_one(self, replica: Replica) -> None:
        with self.lock:
            self._start(replica)

    def restart_one(self, replica: Replica) -> None:
        """Stop a replica on purpose and start it again (the rolling restart's step without a spare)."""
        self.stop_one(replica)
        self.start_one(replica)

    def rolling_restart(self) -> None:
        """Each step said, and written to the run folder's rolling-restart.log, which `team restart` follows."""
        log = self.run_dir / RESTART_LOG
        log.write_text("")

        def say(line: str) -> None:
            self.say(line)
            with log.open("a") as f:
                f.write(line + "\n")

        if not self.socket:
            say(f"no rolling restart: set {SOCKET_ENV} so that HAProxy's runtime socket can drain replicas")
            return
        try:
            if self.spare is None:
                rolling_restart(self.socket, self.running, self.restart_one, self.drain, say)
            else:
                running, spare = handover(
                    self.socket, self.running, self.spare, self.start_one, self.stop_one, self.drain, say
                )
                with self.lock:
                    self.running, self.spare = running, spare
        except (TeamError, OSError) as err:
            say(f"rolling restart stopped: {err}")

    def watch_once(self) -> None:
        with self.lock:
            for replica in [r for r in self.reps if r.name in self.procs]:  # every replica started, spare or not
                proc = self.procs[replica.name]
                if proc.poll() is None:
                    continue
                self.say(
                    f"replica {replica.name} on :{replica.port} {_how(proc.returncode)}; the others keep "
                    "serving and take its analysts; starting it again"
                )
                self._start(replica)
                threading.Thread(target=self._back, args=(replica,), daemon=True).start()
        if self.haproxy is not None and self.haproxy.poll() is not None:
            self.say(f"HAProxy {_how(self.haproxy.returncode)}; starting it again")
            self._start_haproxy()
            threading.Thread(target=self.restore_slots, daemon=True).start()

    def watch_sources(self) -> None:
        """Start a run of the source watch when one is due and the last has finished (a run that outlasts
        the interval is not doubled); what it says is said here, line by line."""
        now = time.monotonic()
        if now < self.next_watch or (self.watcher is not None and self.watcher.poll() is None):
            return
        self.next_watch = now + self.watch_every
        command = [sys.executable, "-m", "force_posture.ops.cli", "watch", "run"]
        watcher = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.watcher = watcher
        threading.Thread(target=self._relay, args=(watcher,), daemon=True).start()

    def _relay(self, watcher: subprocess.Popen) -> None:
        for line in watcher.stdout:
            if line.strip():
                self.say(f"source watch: {line.rstrip()}")
        code = watcher.wait()
        if code and not self.stopping.is_set():
            self.say(f"source watch {_how(code)}; the replicas serve on, and it runs again on its schedule")

    def restore_slots(self) -> None:
        """After HAProxy starts again: a rolling restart may have moved the spare slot, while HAProxy takes
        its states from the config (the config's spare in maintenance, the rest ready); set them as they are."""
        with self.lock:
            running, spare = list(self.running), self.spare
        if spare is None or spare == spare_of(self.reps):
            return
        deadline = time.monotonic() + START_TIMEOUT
        while not self.stopping.is_set():
            try:
                for replica in running:
                    set_state(self.socket, replica, "ready")
                set_state(self.socket, spare, "maint")
                self.say(f"HAProxy serves {', '.join(r.name for r in running)} again; {spare.name} is the spare")
                return
            except (OSError, TeamError):
                if time.monotonic() > deadline:
                    self.say("HAProxy's states could not be set again; run `scripts/serve-team restart`")
                    return
                time.sleep(0.25)

    def _back(self, replica: Replica) -> None:
        started = time.monotonic()
        if wait_healthy(replica.url, START_TIMEOUT, lambda: not self.stopping.is_set()):
            self.say(
                f"replica {replica.name} on :{replica.port} is back (healthy after {time.monotonic() - started:.1f} s)"
            )

    def run(self) -> None:
        signal.signal(signal.SIGHUP, lambda *_: threading.Thread(target=self.rolling_restart, daemon=True).start())
        signal.signal(signal.SIGTERM, lambda *_: self.stopping.set())
        signal.signal(signal.SIGINT, lambda *_: self.stopping.set())
        self.start()
        (self.run_dir / "serve-team.pid").write_text(str(os.getpid()))
        self.say(
            f"serving the team on {self.front}; `scripts/serve-team restart` restarts the replicas one at a "
            "time, Ctrl-C stops all"
        )
        while not self.stopping.wait(0.5):
            self.watch_once()
            self.watch_sources()
        self.say("stopping HAProxy and the replicas")
        self.stop()
        (self.run_dir / "serve-team.pid").unlink(missing_ok=True)

    def stop(self) -> None:
        self.stopping.set()
        procs = [p for p in (self.haproxy, self.watcher) if p is not None] + list(self.procs.values())
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()

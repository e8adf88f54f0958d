"""What the engineer who runs the team's server relies on: the units, the balancer's settings, the
identity wiring checked before a start, and safe defaults for one analyst's `make run`."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from force_posture.ops import team
from tests.browser import ROOT, START_TIMEOUT_S, TIMEOUT_S, free_port, streamlit_command, wait_healthy

UNITS = ROOT / "deploy" / "systemd"
CHECK = [sys.executable, "-m", "force_posture.ops.cli", "team", "check"]
CONFIG = (ROOT / "deploy" / "haproxy.cfg").read_text()
SSO = {"FORCE_POSTURE_SSO_HEADER": "X-Auth-Request-User"}
USER = {"FORCE_POSTURE_USER_HEADER": "X-Forwarded-User"}


def _unit(name: str) -> dict[str, dict[str, str]]:
    """A unit file's sections and settings; a setting given more than once (ExecStartPre) keeps every value."""
    sections: dict[str, dict[str, str]] = {}
    for line in (UNITS / name).read_text().splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        elif line and not line.startswith("#"):
            key, _, value = line.partition("=")
            current[key] = f"{current[key]}\n{value}" if key in current else value
    return sections


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="Debian's systemd is not on this machine")
def test_systemd_accepts_every_checked_in_unit(tmp_path):
    for unit in UNITS.iterdir():  # installed under /opt/force-posture: verified here against this checkout
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/force-posture", str(ROOT)))
    names = [
        "force-posture@8511.service",
        "force-posture-haproxy.service",
        "force-posture-purge.service",
        "force-posture-purge.timer",
        "force-posture-watch.service",
        "force-posture-watch.timer",
        "force-posture.target",
    ]
    verified = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *names], cwd=tmp_path, capture_output=True, text=True
    )
    assert verified.returncode == 0 and verified.stdout + verified.stderr == ""


def test_the_units_supervise_every_replica_the_balancer_names_and_purge_daily():
    ports = [str(r.port) for r in team.serving(team.replicas(CONFIG, {}))]
    assert ports == ["8511", "8512"]
    assert team.spare_of(team.replicas(CONFIG, {})) == team.Replica("app3", "127.0.0.1", 8513, spare=True)
    replica = _unit("force-posture@.service")
    service = replica["Service"]
    assert service["Restart"] == "always" and service["EnvironmentFile"] == "/etc/force-posture/team.env"
    assert "--server.address 127.0.0.1 --server.port %i" in service["ExecStart"]
    assert "force-posture team check" in service["ExecStartPre"]
    balancer = _unit("force-posture-haproxy.service")
    after = balancer["Unit"]["After"].split()
    assert all(f"force-posture@{p}.service" in after for p in ports)  # HAProxy after the replicas ...
    assert "force-posture team wait" in balancer["Service"]["ExecStartPre"]  # ... once they answer
    assert balancer["Service"]["Restart"] == "always"
    wants = _unit("force-posture.target")["Unit"]["Wants"].split()
    assert {f"force-posture@{p}.service" for p in ports} | {"force-posture-purge.timer"} <= set(wants)
    assert _unit("force-posture-purge.timer")["Timer"]["OnCalendar"] == "daily"
    assert "library purge" in _unit("force-posture-purge.service")["Service"]["ExecStart"]
    assert (
        "force-posture-watch.timer" in wants and _unit("force-posture-watch.timer")["Timer"]["OnCalendar"] == "hourly"
    )
    assert _unit("force-posture-watch.service")["Service"]["ExecStart"].endswith("force-posture watch run")


def test_the_readme_block_that_closed_the_library_is_refused_before_anything_starts():
    # FORCE_POSTURE_USER_HEADER alone (the README's old block): the balancer sets no such header
    problem = team.identity_problem(CONFIG, USER)
    assert problem.startswith(
        "FORCE_POSTURE_USER_HEADER=X-Forwarded-User is set, but the balancer sets no X-Forwarded-User header"
    )
    assert "Set FORCE_POSTURE_SSO_HEADER" in problem
    # the single sign-on's header alone: the balancer sets one that nobody reads
    assert "but the replicas do not read it" in team.identity_problem(CONFIG, SSO)
    assert team.identity_problem(CONFIG, {**SSO, **USER}) is None
    assert team.identity_problem(CONFIG, {}) is None
    # a replica reading another header than the balancer sets
    assert team.identity_problem(CONFIG, {**SSO, "FORCE_POSTURE_USER_HEADER": "X-User"}).startswith(
        "FORCE_POSTURE_USER_HEADER=X-User is set, but the balancer sets no X-User header"
    )


def test_editors_by_group_need_the_balancer_to_set_the_groups_header_from_the_single_sign_on():
    groups = {**SSO, **USER, "FORCE_POSTURE_GROUPS_HEADER": "X-Forwarded-Groups"}
    assert team.identity_problem(CONFIG, groups).startswith(
        "FORCE_POSTURE_GROUPS_HEADER=X-Forwarded-Groups is set, but the balancer sets no X-Forwarded-Groups header"
    )
    assert team.identity_problem(CONFIG, {**groups, "FORCE_POSTURE_SSO_GROUPS_HEADER": "X-Auth-Request-Groups"}) is None
    lines = team.effective(CONFIG, {**groups, "FORCE_POSTURE_SSO_GROUPS_HEADER": "X-Auth-Request-Groups"})
    deleted = lines.index("http-request del-header X-Forwarded-Groups")  # what a browser sends is never believed
    assert lines[deleted + 1].startswith("http-request set-header X-Forwarded-Groups")


def test_team_check_refuses_in_one_line_and_accepts_working_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_POSTURE_SSO_HEADER", "FORCE_POSTURE_USER_HEADER")}
    refused = subprocess.run(CHECK, env={**env, **USER}, capture_output=True, text=True)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and refused.stderr.startswith("error: ")
    accepted = subprocess.run(CHECK, env={**env, **USER, **SSO}, capture_output=True, text=True)
    assert accepted.returncode == 0
    assert accepted.stdout == (
        "force-posture team: ok: 2 replicas (:8511, :8512) and a spare slot (:8513) for rolling restarts; "
        "identities: X-Forwarded-User\n"
    )
    missing = subprocess.run(
        CHECK, capture_output=True, text=True, env={**env, "FORCE_POSTURE_HAPROXY_CONFIG": str(tmp_path / "none.cfg")}
    )
    assert missing.returncode == 1 and "cannot be read" in missing.stderr


@pytest.mark.parametrize("env", [{}, {**SSO, "FORCE_POSTURE_HAPROXY_SOCKET": "/tmp/fp-check.sock"}])
def test_haproxy_accepts_the_config_with_and_without_the_team_settings(env):
    checked = subprocess.run(
        ["haproxy", "-c", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert checked.returncode == 0, checked.stderr


def test_the_settings_lines_haproxy_applies_follow_the_environment():
    lines = team.effective(CONFIG, SSO)
    assert "http-request set-var(txn.fp_user) req.hdr(X-Auth-Request-User)" in lines
    assert lines.index("http-request del-header X-Forwarded-User") < next(
        i for i, line in enumerate(lines) if line.startswith("http-request set-header X-Forwarded-User")
    )  # the browser's own header is gone before the single sign-on's is passed on
    assert not any("set-header" in line for line in team.effective(CONFIG, {}))
    assert team.front(CONFIG, {}) == "http://127.0.0.1:8500"


def _listening(port: int) -> set[str]:
    """The local addresses a TCP port is listened on (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_the_plain_streamlit_way_listens_on_this_machine_only():
    port = free_port()
    cmd = streamlit_command("dashboard.py", port)
    i = cmd.index("--server.address")
    del cmd[i : i + 2]  # as an analyst types it: no address given
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_healthy(f"http://127.0.0.1:{port}", proc, START_TIMEOUT_S)
        assert _listening(port) == {"0100007F"}  # 127.0.0.1, and nothing else
        outside = socket.gethostbyname(socket.gethostname())
        if not outside.startswith("127."):
            with pytest.raises(OSError):
                socket.create_connection((outside, port), timeout=TIMEOUT_S).close()
    finally:
        proc.terminate()
        proc.wait(TIMEOUT_S)


def test_make_run_serves_127_0_0_1_unless_asked():
    default = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "streamlit run serve.py --server.address 127.0.0.1 --server.port 8501" in default
    asked = subprocess.run(["make", "-n", "run", "ADDRESS=0.0.0.0"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "--server.address 0.0.0.0" in asked


def test_team_check_fails_on_a_socket_folder_haproxy_could_not_use_and_passes_on_one_it_can_make(tmp_path):
    """A fresh machine: /run/force-posture did not exist, `team check` said ok and HAProxy failed to bind.
    A folder that can be made is fine (serve-team makes it; systemd's RuntimeDirectory= does for the units);
    one that cannot (here: a path under a file) is refused before anything starts, naming the setting."""
    makeable = {team.SOCKET_ENV: str(tmp_path / "not-yet" / "run" / "haproxy.sock")}
    assert team.socket_problem(makeable) is None
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    problem = team.socket_problem({team.SOCKET_ENV: str(blocked / "run" / "haproxy.sock")})
    assert problem == (
        f"HAProxy's runtime socket {blocked}/run/haproxy.sock cannot be made: its folder {blocked}/run is not "
        f"writable by this user (it does not exist, and {blocked} is not writable to make it). Make the folder for "
        "the user that runs the team (systemd: RuntimeDirectory=force-posture makes /run/force-posture), or set "
        "FORCE_POSTURE_HAPROXY_SOCKET to a path in a folder it can write."
    )
    units = _unit("force-posture@.service")
    assert units["Service"]["Environment"] == "FORCE_POSTURE_REPLICA=%i"


def test_under_systemd_the_rolling_restart_finds_the_spare_slot_where_haproxy_holds_it(monkeypatch):
    """After a rolling restart the spare slot has moved (app3 and app1 serve, app2 waits): the next one
    asks HAProxy which slot is in maintenance rather than trusting the config's `disabled`."""
    reps = team.replicas(CONFIG, {})
    stats = {"app1": "UP", "app2": "MAINT", "app3": "UP 2/3"}
    monkeypatch.setattr(team, "server_stats", lambda path: {n: {"status": s} for n, s in stats.items()})
    running, spare = team.live_slots("/run/haproxy.sock", reps)
    assert ([r.name for r in running], spare.name) == (["app1", "app3"], "app2")
    stats["app1"] = "MAINT"
    with pytest.raises(team.TeamError, match="HAProxy holds 2 replicas in maintenance, not one spare"):
        team.live_slots("/run/haproxy.sock", reps)

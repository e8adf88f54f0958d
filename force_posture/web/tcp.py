"""No 40 ms wait on a kept-alive connection: TCP_NODELAY on the server's listening sockets.

Streamlit's server binds its socket itself without naming the TCP protocol, so asyncio leaves Nagle's
algorithm on for the connections it accepts (it turns it off only for sockets whose protocol is TCP by
name). Every answer after the first on a kept-alive connection (HAProxy's to a replica, a browser's, an
API client's session) then waits for the client's delayed acknowledgement: about 40 ms each. On Linux
an accepted connection takes the option from its listening socket, so setting it there is enough."""

from __future__ import annotations

import os
import socket
from pathlib import Path

FDS = Path("/proc/self/fd")


def no_delay(fds: Path = FDS) -> int:
    """Turn Nagle's algorithm off on every listening TCP socket of this process; returns how many (0
    where the process's open files cannot be listed)."""
    if not fds.is_dir():
        return 0
    count = 0
    for name in os.listdir(fds):
        try:
            copy = os.dup(int(name))
        except (OSError, ValueError):
            continue
        try:
            sock = socket.socket(fileno=copy)
        except OSError:  # not a socket
            os.close(copy)
            continue
        with sock:
            if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM:
                continue
            if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                count += 1
    return count

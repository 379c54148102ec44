#!/usr/bin/env python3
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A hostile HTTP client for the soak benchmark (bench/soak.sh).

Usage: hostile.py SECONDS PORT [PORT...]

For SECONDS, against 127.0.0.1:PORT only (never another address), it mixes:
  garbage     random bytes instead of a request, then close
  headers     a request whose header block is 80 KiB
  expect      Content-Length of 1 TB with Expect: 100-continue
  body        a 16 MiB body to /getOrchestrator (a path that takes none)
  unknown     a 4 MiB body to a path that does not exist
  slowloris   connections that send a header byte every 2 s, up to 40 open
  churn       connect and close at once, 20 in a row
and prints one line per kind: attempts, then how the server answered
(HTTP status codes, "reset", "closed" without an answer, "timeout").
Every request loop is bounded in count and time; it stops by itself.
"""
import collections
import os
import random
import socket
import sys
import time

HOST = "127.0.0.1"
answers = collections.defaultdict(collections.Counter)


def status_of(sock, timeout=5.0):
    """The status code of the first response line, or how it ended."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data and len(data) < 4096:
            chunk = sock.recv(4096)
            if not chunk:
                return "closed"
            data += chunk
    except socket.timeout:
        return "timeout"
    except (ConnectionResetError, BrokenPipeError):
        return "reset"
    parts = data.split(b" ", 2)
    return parts[1].decode(errors="replace") if len(parts) > 1 else "garbled"


def connect(port):
    return socket.create_connection((HOST, port), timeout=5.0)


def send_then_status(port, payload, chunk=65536):
    try:
        with connect(port) as s:
            try:
                for i in range(0, len(payload), chunk):
                    s.sendall(payload[i:i + chunk])
            except (ConnectionResetError, BrokenPipeError):
                pass
            return status_of(s)
    except (ConnectionResetError, BrokenPipeError):
        return "reset"
    except OSError as e:
        return f"connect:{e.errno}"


def garbage(port):
    return send_then_status(port, os.urandom(random.randint(1, 8192)))


def headers(port):
    filler = b"".join(b"X-Filler-%d: %s\r\n" % (i, b"a" * 1000)
                      for i in range(80))
    return send_then_status(port, b"GET /getOrchestrator HTTP/1.1\r\nHost: x\r\n"
                            + filler + b"\r\n")


def expect(port):
    return send_then_status(port, b"POST /segment HTTP/1.1\r\nHost: x\r\n"
                            b"Content-Length: 1000000000000\r\n"
                            b"Expect: 100-continue\r\n\r\n")


def body(port, path=b"/getOrchestrator", size=16 << 20):
    head = (b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
            % (path, size))
    return send_then_status(port, head + bytes(size))


def unknown(port):
    return body(port, b"/no/such/path", 4 << 20)


def churn(port):
    for _ in range(20):
        try:
            connect(port).close()
        except OSError as e:
            return f"connect:{e.errno}"
    return "done"


class Slowloris:
    """Connections that never finish their request line and headers."""

    def __init__(self, ports, limit=40):
        self.ports, self.limit, self.open = ports, limit, []

    def tick(self):
        now = time.monotonic()
        while len(self.open) < self.limit:
            port = random.choice(self.ports)
            try:
                s = connect(port)
                s.sendall(b"GET /getOrchestrator HTTP/1.1\r\nHost: x\r\n")
            except OSError as e:
                answers["slowloris"][f"connect:{e.errno}"] += 1
                break
            answers["slowloris"]["opened"] += 1
            self.open.append([s, now])
        for entry in list(self.open):
            s, last = entry
            if now - last < 2.0:
                continue
            try:
                s.sendall(b"X")
                entry[1] = now
            except OSError:
                # the server closed it: what an idle timeout should do
                answers["slowloris"]["closed by server"] += 1
                s.close()
                self.open.remove(entry)

    def close(self):
        for s, _ in self.open:
            s.close()
        answers["slowloris"]["still open at the end"] += len(self.open)


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    seconds = float(sys.argv[1])
    ports = [int(p) for p in sys.argv[2:]]
    kinds = {"garbage": garbage, "headers": headers, "expect": expect,
             "body": body, "unknown": unknown, "churn": churn}
    slow = Slowloris(ports)
    deadline = time.monotonic() + seconds
    count = 0
    while time.monotonic() < deadline and count < 200000:
        slow.tick()
        name = random.choice(list(kinds))
        answers[name][kinds[name](random.choice(ports))] += 1
        count += 1
        time.sleep(0.05)
    slow.close()
    for name in sorted(answers):
        total = sum(answers[name].values())
        detail = ", ".join(f"{k} {v}" for k, v in answers[name].most_common())
        print(f"hostile {name}: {total} ({detail})")


if __name__ == "__main__":
    main()

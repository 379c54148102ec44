#!/usr/bin/env python3
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A hostile HTTP client for the soak benchmark (bench/soak.sh).

Usage: hostile.py SECONDS PORT [PORT...]

For SECONDS, against 127.0.0.1:PORT only (never another address), it mixes,
in go-livepeer's dialect (gRPC discovery over HTTP/2, POST /segment with
base64-of-protobuf headers):
  garbage     random bytes instead of a request, then close
  headers     a POST /segment whose header block is 80 KiB
  expect      Content-Length of 1 TB with Expect: 100-continue
  body        a 16 MiB segment whose Livepeer-Segment value is random
              base64 (no SegData)
  unknown     a 4 MiB body to a path that does not exist
  h2garbage   the HTTP/2 preface and SETTINGS, then random frames
  grpc        a GetOrchestrator call whose gRPC message claims 16 MiB and
              holds random bytes
  slowloris   connections that send a header byte every 2 s, up to 40 open
  churn       connect and close at once, 20 in a row
and prints one line per kind: attempts, then how the server answered
(HTTP status codes; for HTTP/2 the frame types that came back, GOAWAY or
RST_STREAM for a refusal; "reset", "closed" without an answer, "timeout").
Every request loop is bounded in count and time; it stops by itself.
Standard library only: the HTTP/2 frames and their HPACK header blocks
(literal fields, no Huffman coding) are written here by hand.
"""
import base64
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


def send_then_read(port, payload, read_answer, chunk=65536):
    """sends @payload (what of it the server takes before it hangs up),
    then what read_answer(socket) makes of the answer"""
    try:
        with connect(port) as s:
            try:
                for i in range(0, len(payload), chunk):
                    s.sendall(payload[i:i + chunk])
            except (ConnectionResetError, BrokenPipeError):
                pass
            return read_answer(s)
    except (ConnectionResetError, BrokenPipeError):
        return "reset"
    except OSError as e:
        return f"connect:{e.errno}"


def send_then_status(port, payload):
    return send_then_read(port, payload, status_of)


def garbage(port):
    return send_then_status(port, os.urandom(random.randint(1, 8192)))


def headers(port):
    filler = b"".join(b"X-Filler-%d: %s\r\n" % (i, b"a" * 1000)
                      for i in range(80))
    return send_then_status(port, b"POST /segment HTTP/1.1\r\nHost: x\r\n"
                            + filler + b"\r\n")


def expect(port):
    return send_then_status(port, b"POST /segment HTTP/1.1\r\nHost: x\r\n"
                            b"Content-Length: 1000000000000\r\n"
                            b"Expect: 100-continue\r\n\r\n")


def post(port, path, size, extra=b""):
    head = (b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n%s\r\n"
            % (path, size, extra))
    return send_then_status(port, head + bytes(size))


def body(port):
    credentials = base64.b64encode(os.urandom(random.randint(1, 600)))
    return post(port, b"/segment", 16 << 20,
                b"Content-Type: video/MP2T\r\nLivepeer-Segment: %s\r\n"
                % credentials)


def unknown(port):
    return post(port, b"/no/such/path", 4 << 20)


# HTTP/2 (RFC 9113) by hand
H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
H2_FRAME_TYPES = {0: "DATA", 1: "HEADERS", 3: "RST_STREAM", 4: "SETTINGS",
                  6: "PING", 7: "GOAWAY", 8: "WINDOW_UPDATE"}


def h2_frame(kind, flags, stream, payload):
    return (len(payload).to_bytes(3, "big") + bytes([kind, flags])
            + stream.to_bytes(4, "big") + payload)


def hpack_literal(name, value):
    """a literal header field without indexing, new name (RFC 7541 6.2.2);
    names and values here are shorter than 127 bytes"""
    return bytes([0, len(name)]) + name + bytes([len(value)]) + value


def h2_answer(sock, timeout=5.0):
    """the types of the frames the server sent until it closed, refused
    (GOAWAY, RST_STREAM) or answered (HEADERS), or how it ended"""
    sock.settimeout(timeout)
    data, seen = b"", []
    try:
        while True:
            while len(data) >= 9 and len(data) >= 9 + int.from_bytes(
                    data[:3], "big"):
                kind = H2_FRAME_TYPES.get(data[3], "type-%d" % data[3])
                data = data[9 + int.from_bytes(data[:3], "big"):]
                if kind not in ("SETTINGS", "WINDOW_UPDATE", "PING"):
                    seen.append(kind)
                if kind in ("GOAWAY", "RST_STREAM", "HEADERS"):
                    return " ".join(seen)
            chunk = sock.recv(65536)
            if not chunk:
                return " ".join(seen + ["closed"])
            data += chunk
    except socket.timeout:
        return " ".join(seen + ["timeout"])
    except (ConnectionResetError, BrokenPipeError):
        return " ".join(seen + ["reset"])


def h2_exchange(port, frames):
    return send_then_read(port, H2_PREFACE + h2_frame(4, 0, 0, b"") + frames,
                          h2_answer)


def h2garbage(port):
    return h2_exchange(port, os.urandom(random.randint(9, 8192)))


def grpc(port):
    fields = b"".join(hpack_literal(n, v) for n, v in (
        (b":method", b"POST"), (b":scheme", b"http"),
        (b":path", b"/net.Orchestrator/GetOrchestrator"),
        (b":authority", b"127.0.0.1:%d" % port),
        (b"content-type", b"application/grpc"), (b"te", b"trailers")))
    # a message prefix (not compressed, 16 MiB) then random bytes
    message = b"\x00" + (16 << 20).to_bytes(4, "big") + os.urandom(8192)
    return h2_exchange(port, h2_frame(1, 0x4, 1, fields)
                       + h2_frame(0, 0, 1, message[:16384]))


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
                s.sendall(b"POST /segment HTTP/1.1\r\nHost: x\r\n")
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
             "body": body, "unknown": unknown, "h2garbage": h2garbage,
             "grpc": grpc, "churn": churn}
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

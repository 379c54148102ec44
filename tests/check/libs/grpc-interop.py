# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The independent side of the gRPC interop test: Debian's python3-grpcio
# against our HTTP/2 transport, messages built with python3-protobuf from
# proto/lp_rpc.proto (compiled by protoc into --pb-dir).
#   a. a grpcio client calls our server (grpc-interop-helper serve): Ping
#      over h2c and over TLS (our self-signed certificate as the only root,
#      so its names and signature are checked by grpcio), many calls at once
#      on one channel, an unknown method, an undecodable message, an
#      oversize one;
#   b. our client (grpc-interop-helper call) calls a grpcio server with an
#      insecure port and a TLS port (a certificate made by openssl): Ping,
#      a status error whose message needs percent-encoding, an unknown
#      method, a deadline, certificate checking on request, and each
#      scheme on the other's port.
# Exits 0 when every check holds, 1 with the list of failures.
#
#   grpc-interop.py --helper PATH --pb-dir DIR --work-dir DIR

import concurrent.futures
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "lib"))
import python_peer  # noqa: E402  (tests/lib)
from python_peer import check, expect_rpc_error  # noqa: E402

args = python_peer.parse_args("--helper")

import grpc  # noqa: E402
import lp_rpc_pb2 as pb  # noqa: E402

PING = "/net.Orchestrator/Ping"


def ping_bytes(value):
    return pb.PingPong(value=value).SerializeToString()


# ---------------------------------------------------------------------------
# a. grpcio's client, our server

def client_against_our_server():
    state = os.path.join(args.work_dir, "server-state")
    server = subprocess.Popen([args.helper, "serve", state, "65536"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        ready = server.stdout.readline().split()
        if not ready or ready[0] != "ready":
            check(False, "our server did not start: %r" % ready)
            return
        h2c, tls, cert_path = int(ready[1]), int(ready[2]), ready[3]
        with open(cert_path, "rb") as f:
            cert = f.read()
        channels = {
            "h2c": grpc.insecure_channel("127.0.0.1:%d" % h2c),
            "tls": grpc.secure_channel(
                "127.0.0.1:%d" % tls,
                grpc.ssl_channel_credentials(root_certificates=cert)),
        }
        for name, channel in channels.items():
            ping = channel.unary_unary(PING)
            answer, call = ping.with_call(ping_bytes(b"hello " + name.encode()),
                                          timeout=10)
            check(pb.PingPong.FromString(answer).value
                  == b"pong:hello " + name.encode(),
                  "%s: Ping answered with pong:hello %s" % (name, name))
            check(call.code() == grpc.StatusCode.OK, "%s: status OK" % name)
            # many calls at once: streams multiplexed on one connection
            values = [b"v%03d" % i for i in range(40)]
            futures = [ping.future(ping_bytes(v), timeout=10) for v in values]
            answers = [pb.PingPong.FromString(f.result()).value
                       for f in futures]
            check(answers == [b"pong:" + v for v in values],
                  "%s: 40 concurrent calls each got its own answer" % name)
            expect_rpc_error(
                lambda: channel.unary_unary("/net.Orchestrator/Nope")(
                    ping_bytes(b"x"), timeout=10),
                grpc.StatusCode.UNIMPLEMENTED,
                "unknown method /net.Orchestrator/Nope",
                "%s: unknown method" % name)
            expect_rpc_error(
                lambda: ping(b"\x0a\x05hi", timeout=10),
                grpc.StatusCode.INVALID_ARGUMENT,
                "value: length 5 runs past the end of the message",
                "%s: undecodable PingPong" % name)
            expect_rpc_error(
                lambda: ping(ping_bytes(b"z" * 70000), timeout=10),
                grpc.StatusCode.RESOURCE_EXHAUSTED,
                "larger than the limit of 65536",
                "%s: oversize message" % name)
            # the server still serves this channel
            check(pb.PingPong.FromString(ping(ping_bytes(b"again"),
                                              timeout=10)).value
                  == b"pong:again", "%s: served after the errors" % name)
            channel.close()
        # a grpcio client that wants TLS, on the h2c port: refused, quickly
        wrong = grpc.secure_channel(
            "127.0.0.1:%d" % h2c,
            grpc.ssl_channel_credentials(root_certificates=cert))
        start = time.monotonic()
        expect_rpc_error(lambda: wrong.unary_unary(PING)(ping_bytes(b"x"),
                                                         timeout=5),
                         grpc.StatusCode.UNAVAILABLE, "",
                         "TLS client on the h2c port")
        check(time.monotonic() - start < 4.5, "TLS on h2c failed fast")
        wrong.close()
        server.stdin.write("errors\n")
        server.stdin.flush()
        reported = []
        for line in server.stdout:
            if line.strip() == "end":
                break
            reported.append(line.strip())
        check(any("sent a TLS ClientHello to a cleartext HTTP/2 (h2c) port"
                  in line for line in reported),
              "our server named the TLS ClientHello on its h2c port: %r"
              % reported)
    finally:
        server.stdin.close()
        code = server.wait(timeout=30)
        check(code == 0, "our server stopped cleanly (exit %s)" % code)


# ---------------------------------------------------------------------------
# b. our client, grpcio's server

def make_certificate():
    key = os.path.join(args.work_dir, "py-key.pem")
    cert = os.path.join(args.work_dir, "py-cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    with open(key, "rb") as k, open(cert, "rb") as c:
        return k.read(), c.read()


def reverse_ping(request, context):
    ping = pb.PingPong.FromString(request)
    return pb.PingPong(value=ping.value[::-1]).SerializeToString()


def refuse(request, context):
    context.abort(grpc.StatusCode.PERMISSION_DENIED,
                  "auth token expired: 50% über")


def sleep(request, context):
    time.sleep(3)
    return b""


class Handlers(grpc.GenericRpcHandler):
    methods = {PING: reverse_ping,
               "/net.Orchestrator/EndTranscodingSession": refuse,
               "/test.Slow/Sleep": sleep}

    def service(self, details):
        method = self.methods.get(details.method)
        return grpc.unary_unary_rpc_method_handler(method) if method else None


def helper_port():
    return int(subprocess.run([args.helper, "port"], check=True,
                              capture_output=True, text=True).stdout)


def our_call(url, method, message, timeout_ms=5000, verify=False):
    command = [args.helper, "call", url, method, message.hex() or "",
               str(timeout_ms)] + (["verify"] if verify else [])
    start = time.monotonic()
    out = subprocess.run(command, capture_output=True, text=True,
                         timeout=30).stdout.strip()
    return out, time.monotonic() - start


def our_client_against_grpcio():
    key, cert = make_certificate()
    insecure, secure = helper_port(), helper_port()
    server = grpc.server(concurrent.futures.ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers((Handlers(),))
    server.add_insecure_port("127.0.0.1:%d" % insecure)
    server.add_secure_port("127.0.0.1:%d" % secure,
                           grpc.ssl_server_credentials([(key, cert)]))
    server.start()
    try:
        urls = {"h2c": "http://127.0.0.1:%d" % insecure,
                "tls": "https://127.0.0.1:%d" % secure}
        for name, url in urls.items():
            out, _ = our_call(url, PING, ping_bytes(b"abc"))
            ok = out.startswith("ok ") and pb.PingPong.FromString(
                bytes.fromhex(out[3:])).value == b"cba"
            check(ok, "%s: our Ping answered by grpcio: %s" % (name, out))
            out, _ = our_call(url, PING, b"")
            ok = out.startswith("ok ") and out[3:] in ("-", "") or (
                out.startswith("ok ")
                and pb.PingPong.FromString(bytes.fromhex(out[3:])).value
                == b"")
            check(ok, "%s: an empty message both ways: %s" % (name, out))
            out, _ = our_call(url, "/net.Orchestrator/EndTranscodingSession",
                              b"")
            check(out == "error lp-grpc-error-quark 7 "
                  "/net.Orchestrator/EndTranscodingSession at %s: "
                  "PERMISSION_DENIED: auth token expired: 50%% über" % url,
                  "%s: status error with its message: %s" % (name, out))
            out, _ = our_call(url, "/net.Orchestrator/Nope", b"")
            check(out.startswith("error lp-grpc-error-quark 12 "),
                  "%s: unknown method is UNIMPLEMENTED: %s" % (name, out))
            out, took = our_call(url, "/test.Slow/Sleep", b"", 500)
            check(out.startswith("error lp-grpc-error-quark 4 ")
                  and took < 2.5,
                  "%s: deadline of 500 ms exceeded in %.2f s: %s"
                  % (name, took, out))
        # certificate checking on request: openssl's self-signed one fails
        out, _ = our_call(urls["tls"], PING, ping_bytes(b"x"), verify=True)
        check(out.startswith("error lp-h2-error-quark 1 "),
              "a checked self-signed certificate is refused: %s" % out)
        # each scheme on the other's port: an error, no hang
        out, took = our_call("http://127.0.0.1:%d" % secure, PING,
                             ping_bytes(b"x"))
        check(out.startswith("error lp-h2-error-quark 8 ") and "https://"
              in out and took < 4.5,
              "h2c to grpcio's TLS port fails in %.2f s: %s" % (took, out))
        out, took = our_call("https://127.0.0.1:%d" % insecure, PING,
                             ping_bytes(b"x"))
        check(out.startswith("error lp-h2-error-quark 1 ") and took < 4.5,
              "TLS to grpcio's h2c port fails in %.2f s: %s" % (took, out))
    finally:
        server.stop(0)


client_against_our_server()
our_client_against_grpcio()
python_peer.finish("all gRPC interop checks passed", "%d failures")

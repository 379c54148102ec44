# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A Python gateway against lporchestrator's gRPC service (net.Orchestrator),
# built only on Debian's packages: python3-grpcio for gRPC, python3-protobuf
# for the messages (proto/lp_rpc.proto, compiled by protoc into --pb-dir),
# python3-ecdsa and python3-pycryptodome for secp256k1 signatures and
# keccak-256, so the signatures it sends and checks are not made by our code.
# It runs gst-launch-1.0 lporchestrator on a devnet ledger made by lpctl and:
#   a. over h2c (tls off): GetOrchestrator with the broadcaster's signature
#      of its EIP-55 address, the answer's fields (ticket recipient =
#      orchestrator address, price, transcoder URI, auth token,
#      capabilities); a wrong signature and a short one refused as
#      go-livepeer refuses them; Ping answered with the orchestrator's
#      signature of the value; EndTranscodingSession with the token and with
#      a forged one; an undecodable and an oversize message; JSON discovery
#      over HTTP/1.1 on the same port; a TLS ClientHello (raw, and a gRPC TLS
#      channel) refused at once with a log line;
#   b. over TLS (tls on, the certificate written to state-dir as the only
#      root, so grpcio checks its name and signature): GetOrchestrator with
#      an https:// transcoder URI, JSON discovery over TLS with ALPN
#      http/1.1 and in cleartext, h2c still served; a bogus ClientHello
#      (a TLS record header, then plain HTTP) and a stalled handshake closed
#      with a log line, neither hanging;
#   c. restarted on the same state-dir: the same certificate, and the
#      connection cap (max-connections) holding HTTP/2 connections too: a
#      newcomer waits until the idle HTTP/2 ones time out.
# Exits 0 when every check holds, 1 with the list of failures.
#
#   lporchestrator-grpc.py --lpctl PATH --pb-dir DIR --work-dir DIR

import argparse
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--lpctl", required=True)
parser.add_argument("--pb-dir", required=True)
parser.add_argument("--work-dir", required=True)
args = parser.parse_args()
sys.path.insert(0, args.pb_dir)

import grpc  # noqa: E402
import lp_rpc_pb2 as pb  # noqa: E402
from Cryptodome.Hash import keccak  # noqa: E402
from ecdsa import SECP256k1, SigningKey, VerifyingKey  # noqa: E402
from ecdsa.util import sigdecode_string, sigencode_string_canonize  # noqa: E402

SERVICE = "/net.Orchestrator/"
PRICE_PER_UNIT = 1000
PIXELS_PER_UNIT = 3
IDLE_TIMEOUT_MS = 1500
# go-livepeer's capability ids (core/capabilities.go)
CAP_H264, CAP_MPEGTS, CAP_AUTH_TOKEN, CAP_HEVC_ENCODE = 0, 1, 12, 16
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


# ---------------------------------------------------------------------------
# Ethereum signatures, from python3-ecdsa and pycryptodome's keccak

def keccak256(data):
    h = keccak.new(digest_bits=256)
    h.update(data)
    return h.digest()


def personal_digest(message):
    """what go-livepeer signs for a message: the personal-sign digest of
    its keccak (docs/design/protocol.md §2)"""
    return keccak256(b"\x19Ethereum Signed Message:\n32" + keccak256(message))


def address_of(verifying_key):
    return keccak256(verifying_key.to_string())[12:]


def eip55(address):
    text = address.hex()
    digest = keccak256(text.encode()).hex()
    return "0x" + "".join(c.upper() if int(digest[i], 16) >= 8 else c
                          for i, c in enumerate(text))


def recover_all(message, sig):
    """the addresses that may have signed @message (r, s of @sig)"""
    return [address_of(k) for k in VerifyingKey.from_public_key_recovery_with_digest(
        sig[:64], personal_digest(message), SECP256k1,
        sigdecode=sigdecode_string)]


def personal_sign(private_key, message):
    """r ‖ s (low s) ‖ v, v = 27 + recovery id, as go-livepeer signs"""
    key = SigningKey.from_string(private_key, curve=SECP256k1)
    rs = key.sign_digest_deterministic(personal_digest(message),
                                       sigencode=sigencode_string_canonize)
    # python3-ecdsa lists the candidates by recovery id (even R.y first)
    candidates = recover_all(message, rs)
    return rs + bytes([27 + candidates.index(address_of(key.get_verifying_key()))])


def recover(message, sig):
    if len(sig) != 65 or sig[64] not in (27, 28):
        return None
    return recover_all(message, sig)[sig[64] - 27]


# ---------------------------------------------------------------------------
# the devnet and the orchestrator

def lpctl(*argv):
    out = subprocess.run([args.lpctl, "--ledger", ledger] + list(argv),
                         cwd=args.work_dir, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("lpctl %s failed: %s" % (" ".join(argv), out.stderr))
    return out.stdout


def new_account(name):
    path = os.path.join(args.work_dir, name + ".key")
    subprocess.run([args.lpctl, "account", "new", "--out", path], check=True,
                   capture_output=True)
    with open(path) as f:
        private = bytes.fromhex(f.read().strip().removeprefix("0x"))
    # the address from the key, by python3-ecdsa and keccak, not by lpctl
    public = SigningKey.from_string(private, curve=SECP256k1).get_verifying_key()
    return path, address_of(public), private


ledger = os.path.join(args.work_dir, "devnet.db")
orch_key, orch_address, _ = new_account("orch")
_, bcast_address, bcast_private = new_account("broadcaster")
_, stranger_address, stranger_private = new_account("stranger")
lpctl("init", "--block-time", "1000", "--round-length", "100",
      "--fund", "0x%s=1000e18:1e18" % orch_address.hex(),
      "--fund", "0x%s=0:10e18" % bcast_address.hex())
lpctl("bond", "--from", orch_key, "--to", "0x" + orch_address.hex(),
      "--amount", "1000e18")
lpctl("register", "--from", orch_key, "--reward-cut", "10%",
      "--fee-share", "50%", "--service-uri", "http://127.0.0.1:1")
lpctl("deposit", "--from", os.path.join(args.work_dir, "broadcaster.key"),
      "--deposit", "1e18", "--reserve", "1e18")
lpctl("advance", "--rounds", "1", "--init")


class Orchestrator:
    """gst-launch-1.0 lporchestrator, its port read from -v's notify"""

    def __init__(self, name, *properties):
        self.log_path = os.path.join(args.work_dir, name + ".log")
        self.log = open(self.log_path, "w+")
        env = dict(os.environ, GST_DEBUG="*:1,lporchestrator:4",
                   GST_DEBUG_NO_COLOR="1")
        env.pop("GST_TRACERS", None)
        self.process = subprocess.Popen(
            ["gst-launch-1.0", "-v", "lporchestrator", "port=0",
             "key-file=" + orch_key, "ledger=" + ledger,
             "price-per-unit=%d" % PRICE_PER_UNIT,
             "pixels-per-unit=%d" % PIXELS_PER_UNIT,
             "idle-timeout=%d" % IDLE_TIMEOUT_MS] + list(properties),
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
        self.port = None
        found = threading.Event()

        def read():
            for line in self.process.stdout:
                self.log.write(line)
                match = re.search(r"current-port = (\d+)", line)
                if match and int(match.group(1)) != 0:
                    self.port = int(match.group(1))
                    found.set()
            found.set()
        threading.Thread(target=read, daemon=True).start()
        if not found.wait(30) or self.port is None:
            self.stop()
            raise SystemExit("lporchestrator did not start; log:\n" +
                             self.text())

    def text(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def logged(self, pattern, within=5.0):
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if re.search(pattern, self.text()):
                return True
            time.sleep(0.1)
        return False

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# ---------------------------------------------------------------------------
# the gateway's calls

def call(channel, method, request, response_type, timeout=10):
    stub = channel.unary_unary(SERVICE + method,
                               request_serializer=lambda m: m if isinstance(m, bytes) else m.SerializeToString(),
                               response_deserializer=response_type.FromString)
    return stub(request, timeout=timeout)


def rpc_error(function):
    try:
        function()
    except grpc.RpcError as error:
        return error
    return None


def expect_rpc_error(function, code, text, what):
    error = rpc_error(function)
    check(error is not None and error.code() == code
          and text in (error.details() or ""),
          "%s: %s" % (what, "no error" if error is None else
                      "%s %r" % (error.code(), error.details())))


def signed_request(private=bcast_private, address=bcast_address):
    return pb.OrchestratorRequest(
        address=address, sig=personal_sign(private, eip55(address).encode()))


def check_info(info, scheme, port, what):
    check(info.transcoder == "%s://127.0.0.1:%d" % (scheme, port),
          "%s: transcoder %s" % (what, info.transcoder))
    check(info.address == orch_address, what + ": address is the orchestrator's")
    params = info.ticket_params
    check(info.HasField("ticket_params") and params.recipient == orch_address,
          what + ": ticket recipient is the orchestrator")
    check(len(params.face_value) > 0 and params.face_value[0] != 0
          and len(params.win_prob) > 0 and params.win_prob[0] != 0,
          what + ": face value and win probability, minimal big-endian")
    check(len(params.recipient_rand_hash) == 32 and len(params.seed) > 0
          and len(params.expiration_block) > 0,
          what + ": recipient rand hash, seed and expiration block")
    check(params.expiration_params.creation_round >= 1
          and len(params.expiration_params.creation_round_block_hash) == 32,
          what + ": expiration params (round %d)"
          % params.expiration_params.creation_round)
    check(info.price_info.pricePerUnit == PRICE_PER_UNIT
          and info.price_info.pixelsPerUnit == PIXELS_PER_UNIT,
          what + ": price %d/%d" % (info.price_info.pricePerUnit,
                                    info.price_info.pixelsPerUnit))
    check(len(info.auth_token.token) == 32 and info.auth_token.session_id != ""
          and info.auth_token.expiration > time.time(),
          what + ": auth token for session %r" % info.auth_token.session_id)
    bits = info.capabilities.bitstring[0] if info.capabilities.bitstring else 0
    check(all(bits >> c & 1 for c in (CAP_H264, CAP_MPEGTS, CAP_AUTH_TOKEN))
          and not bits >> CAP_HEVC_ENCODE & 1,
          what + ": capabilities H.264, MPEG-TS, AuthToken, not HEVC (%#x)"
          % bits)


def gateway_calls(channel, scheme, port, what):
    info = call(channel, "GetOrchestrator", signed_request(),
                pb.OrchestratorInfo)
    check_info(info, scheme, port, what + " GetOrchestrator")

    # signed by another key, or nothing like a signature
    wrong = signed_request(stranger_private)
    wrong.address = bcast_address
    expect_rpc_error(lambda: call(channel, "GetOrchestrator", wrong,
                                  pb.OrchestratorInfo),
                     grpc.StatusCode.UNKNOWN,
                     "Invalid orchestrator request (orchestrator req sig "
                     "check failed", what + " wrong signature refused")
    short = pb.OrchestratorRequest(address=bcast_address, sig=b"\x01" * 10)
    expect_rpc_error(lambda: call(channel, "GetOrchestrator", short,
                                  pb.OrchestratorInfo),
                     grpc.StatusCode.UNKNOWN, "sig check failed",
                     what + " short signature refused")

    value = os.urandom(32)
    pong = call(channel, "Ping", pb.PingPong(value=value), pb.PingPong)
    check(recover(value, pong.value) == orch_address,
          what + " Ping: the orchestrator's signature of the value")

    end = pb.EndTranscodingSessionRequest(auth_token=info.auth_token)
    call(channel, "EndTranscodingSession", end,
         pb.EndTranscodingSessionResponse)
    check(True, what + " EndTranscodingSession with the session's token")
    forged = pb.EndTranscodingSessionRequest()
    forged.auth_token.CopyFrom(info.auth_token)
    forged.auth_token.token = bytes(32)
    expect_rpc_error(lambda: call(channel, "EndTranscodingSession", forged,
                                  pb.EndTranscodingSessionResponse),
                     grpc.StatusCode.UNKNOWN, "Invalid auth token",
                     what + " EndTranscodingSession with a forged token")


def json_discovery(port, context=None):
    request = signed_request()
    body = json.dumps({"address": eip55(request.address),
                       "sig": "0x" + request.sig.hex()}).encode()
    scheme = "https" if context else "http"
    answer = urllib.request.urlopen(urllib.request.Request(
        "%s://127.0.0.1:%d/getOrchestrator" % (scheme, port), data=body,
        method="POST"), timeout=10, context=context)
    return answer.status, json.loads(answer.read())


def closed_within(port, first_bytes, seconds):
    """sends @first_bytes; the time until the server closes, or None"""
    with socket.create_connection(("127.0.0.1", port), timeout=seconds) as s:
        start = time.monotonic()
        s.sendall(first_bytes)
        try:
            while s.recv(4096):
                pass
        except (ConnectionResetError, socket.timeout):
            if time.monotonic() - start >= seconds:
                return None
        return time.monotonic() - start


# a TLS ClientHello, as Python's ssl module writes one
def client_hello():
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    context = ssl.create_default_context()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="127.0.0.1")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


# ---------------------------------------------------------------------------
# a. h2c, tls off

plain = Orchestrator("h2c")
try:
    channel = grpc.insecure_channel("127.0.0.1:%d" % plain.port)
    gateway_calls(channel, "http", plain.port, "h2c")
    expect_rpc_error(lambda: call(channel, "Ping", b"\xff\xff\xff",
                                  pb.PingPong),
                     grpc.StatusCode.INTERNAL, "error unmarshalling request",
                     "h2c undecodable PingPong")
    expect_rpc_error(lambda: call(channel, "Ping",
                                  pb.PingPong(value=bytes(300 * 1024)),
                                  pb.PingPong),
                     grpc.StatusCode.RESOURCE_EXHAUSTED, "",
                     "h2c oversize PingPong")
    channel.close()
    status, info = json_discovery(plain.port)
    check(status == 200 and "ticket_params" in info,
          "JSON discovery over HTTP/1.1 on the gRPC port: %d" % status)

    elapsed = closed_within(plain.port, client_hello(), 5)
    check(elapsed is not None and elapsed < 3,
          "TLS ClientHello on a cleartext port: closed (%s s)" % elapsed)
    check(plain.logged("sent a TLS ClientHello, but this port serves "
                       "cleartext only"),
          "TLS ClientHello on a cleartext port: a log line says so")
    check(plain.logged(r"gRPC discovery by 127\.0\.0\.1:\d+ refused: "
                       r"invalid signature"),
          "a refused discovery: a log line names the peer and the reason")
    tls_channel = grpc.secure_channel("127.0.0.1:%d" % plain.port,
                                      grpc.ssl_channel_credentials())
    start = time.monotonic()
    error = rpc_error(lambda: call(tls_channel, "GetOrchestrator",
                                   signed_request(), pb.OrchestratorInfo,
                                   timeout=8))
    check(error is not None and error.code() == grpc.StatusCode.UNAVAILABLE
          and time.monotonic() - start < 6,
          "gRPC over TLS to a cleartext port: UNAVAILABLE, no hang (%s)"
          % (error and error.code()))
    tls_channel.close()
finally:
    plain.stop()

# ---------------------------------------------------------------------------
# b. TLS

state_dir = os.path.join(args.work_dir, "state")
secure = Orchestrator("tls", "tls=true", "state-dir=" + state_dir)
cert_path = os.path.join(state_dir, "cert.pem")
try:
    with open(cert_path, "rb") as f:
        cert = f.read()
    channel = grpc.secure_channel("127.0.0.1:%d" % secure.port,
                                  grpc.ssl_channel_credentials(root_certificates=cert))
    gateway_calls(channel, "https", secure.port, "TLS")
    channel.close()
    context = ssl.create_default_context(cafile=cert_path)
    context.set_alpn_protocols(["http/1.1"])
    status, info = json_discovery(secure.port, context)
    check(status == 200 and info.get("transcoder", "").startswith("https://"),
          "JSON discovery over TLS (ALPN http/1.1): %d" % status)
    status, info = json_discovery(secure.port)
    check(status == 200, "JSON discovery in cleartext on the TLS port: %d"
          % status)
    channel = grpc.insecure_channel("127.0.0.1:%d" % secure.port)
    info = call(channel, "GetOrchestrator", signed_request(),
                pb.OrchestratorInfo)
    check(info.transcoder.startswith("https://"), "h2c on the TLS port")
    channel.close()

    elapsed = closed_within(secure.port, b"\x16\x03\x01\x00\x20GET / "
                            b"HTTP/1.1\r\nHost: x\r\n\r\n" + bytes(64), 5)
    check(elapsed is not None and elapsed < 3,
          "a TLS record header, then plain HTTP: closed (%s s)" % elapsed)
    check(secure.logged("TLS handshake failed, closing"),
          "a broken TLS handshake: a log line says so")
    elapsed = closed_within(secure.port, client_hello()[:20], 8)
    check(elapsed is not None and IDLE_TIMEOUT_MS / 2000 <= elapsed < 6,
          "a stalled TLS handshake: closed after the idle timeout (%s s)"
          % elapsed)
    check(secure.logged("no TLS handshake within %d ms" % IDLE_TIMEOUT_MS),
          "a stalled TLS handshake: a log line says so")
finally:
    secure.stop()

# ---------------------------------------------------------------------------
# c. the same state-dir again, and the connection cap on HTTP/2

capped = Orchestrator("capped", "tls=true", "state-dir=" + state_dir,
                      "max-connections=2")
try:
    with open(cert_path, "rb") as f:
        check(f.read() == cert, "restart: the certificate in state-dir kept")
    # two idle HTTP/2 connections (preface and SETTINGS) fill the cap
    idle = []
    for _ in range(2):
        s = socket.create_connection(("127.0.0.1", capped.port))
        s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00"
                  b"\x00\x00\x00\x00")
        idle.append(s)
    time.sleep(0.3)
    start = time.monotonic()
    status, _ = json_discovery(capped.port)
    waited = time.monotonic() - start
    check(status == 200 and waited >= IDLE_TIMEOUT_MS / 2000,
          "max-connections holds HTTP/2 connections: a newcomer waited "
          "%.2f s for the idle ones to time out" % waited)
    for s in idle:
        s.settimeout(5)
        try:
            while s.recv(4096):
                pass
            closed = True
        except ConnectionResetError:
            closed = True
        except socket.timeout:
            closed = False
        s.close()
        check(closed, "an idle HTTP/2 connection is closed by the server")
finally:
    capped.stop()

if failures:
    print("%d check(s) failed:\n  %s" % (len(failures), "\n  ".join(failures)))
    sys.exit(1)
print("all checks passed")

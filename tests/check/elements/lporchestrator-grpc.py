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
#      a forged one; an undecodable and an oversize message; our former
#      JSON dialect's discovery over HTTP/1.1 on the same port answered as
#      Go's mux answers a path it does not serve (404); a TLS ClientHello
#      (raw, and a gRPC TLS channel) refused at once with a log line;
#   b. over TLS (tls on, the certificate written to state-dir as the only
#      root, so grpcio checks its name and signature): GetOrchestrator with
#      an https:// transcoder URI, HTTP/1.1 over TLS with ALPN http/1.1
#      and in cleartext (the former JSON discovery: 404), h2c still
#      served; a bogus ClientHello
#      (a TLS record header, then plain HTTP) and a stalled handshake closed
#      with a log line, neither hanging;
#   c. restarted on the same state-dir: the same certificate, and the
#      connection cap (max-connections) holding HTTP/2 connections too: a
#      newcomer waits until the idle HTTP/2 ones time out;
#   d. go-livepeer's segment path: discovery over gRPC, then POST /segment
#      with base64 protobuf SegData and Payment (tickets signed here) and a
#      real MPEG-TS segment made by gst-launch-1.0; the TranscodeResult
#      decoded, each rendition fetched from its URL and probed by ffprobe
#      (the asked size, w*h*frames = the reported pixels), the
#      orchestrator's signature over the renditions' hashes recovered to
#      its address, one fetched over HTTP/2 too (curl), the URLs gone
#      after rendition-lifetime; more segments
#      paid with the refreshed ticket parameters; POST /payment top-ups (a
#      replayed or forged one refused); bad inputs answered with
#      go-livepeer's status codes (402 for the payment, 403 for the
#      segment's encoding, signature, capabilities, auth token and hash),
#      our former JSON dialect's headers among them (402, saying so);
#      then segments paid from the credit on one session, timed (printed);
#      lpctl decoding protobuf header values and making a protobuf Payment;
#   e. the same segment path over HTTP/2 (python3-h2, lph2peer.py), as
#      go-livepeer's broadcaster speaks it to an https:// orchestrator:
#      discovery over gRPC with TLS, POST /segment over TLS with ALPN h2
#      (200 before the TranscodeResult, the renditions fetched over HTTP/2
#      TLS and checked as in d.), POST /payment, a forged auth token (403),
#      a segment over h2c; a content-length over max-segment-size refused
#      (413) before any body is sent, a body growing past it without one
#      refused (413); one segment request more than the per-connection cap
#      reset with REFUSED_STREAM, the others kept, the connection taking
#      segments again once they are cancelled; a half-sent segment let go
#      after the idle timeout.
# Exits 0 when every check holds, 1 with the list of failures.
#
#   lporchestrator-grpc.py --lpctl PATH --pb-dir DIR --work-dir DIR

import base64
import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request

# python_peer.py in tests/lib; lpgateway.py and lph2peer.py are beside
# this script
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "lib"))
import python_peer  # noqa: E402
from python_peer import check, expect_rpc_error, rpc_error  # noqa: E402

args = python_peer.parse_args("--lpctl")

import grpc  # noqa: E402
import lpgateway  # noqa: E402
import lph2peer  # noqa: E402  (python3-h2)
import lp_rpc_pb2 as pb  # noqa: E402
from lpgateway import (CAP_AUTH_TOKEN, CAP_H264, CAP_HEVC_ENCODE,  # noqa: E402
                       CAP_MPEGTS, MAX_UINT256, b64, call, eip55, keccak256,
                       minbe, post, probe, recover, recover_hash,
                       segment_headers, sign_segment, ticket_hash)

PRICE_PER_UNIT = 1000
PIXELS_PER_UNIT = 3
IDLE_TIMEOUT_MS = 1500

devnet = lpgateway.Devnet(args.lpctl, args.work_dir).setup()
orch_address = devnet.orch.address
broadcaster = devnet.broadcaster
bcast_address = broadcaster.address
stranger = devnet.new_account("stranger")


def start_orchestrator(name, *properties):
    """lporchestrator at this test's price and idle timeout"""
    return lpgateway.Orchestrator(
        devnet, name, "price-per-unit=%d" % PRICE_PER_UNIT,
        "pixels-per-unit=%d" % PIXELS_PER_UNIT,
        "idle-timeout=%d" % IDLE_TIMEOUT_MS, *properties)


# ---------------------------------------------------------------------------
# the gateway's calls

def signed_request(account=broadcaster):
    return lpgateway.signed_request(account)


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
    wrong = lpgateway.signed_request(stranger, bcast_address)
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


def legacy_discovery(port, context=None):
    """our former JSON dialect's discovery over HTTP/1.1: the status and
    the body (go-livepeer's 404 now)"""
    request = signed_request()
    body = json.dumps({"address": eip55(request.address),
                       "sig": "0x" + request.sig.hex()}).encode()
    scheme = "https" if context else "http"
    try:
        with urllib.request.urlopen(urllib.request.Request(
                "%s://127.0.0.1:%d/getOrchestrator" % (scheme, port),
                data=body, method="POST"), timeout=10,
                context=context) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


NOT_FOUND = b"404 page not found\n"


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

plain = start_orchestrator("h2c")
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
    status, answer = legacy_discovery(plain.port)
    check(status == 404 and answer == NOT_FOUND,
          "the former JSON discovery over HTTP/1.1 on the gRPC port: "
          "go-livepeer's 404 (%d %r)" % (status, answer))

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
secure = start_orchestrator("tls", "tls=true", "state-dir=" + state_dir)
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
    status, answer = legacy_discovery(secure.port, context)
    check(status == 404 and answer == NOT_FOUND,
          "HTTP/1.1 over TLS (ALPN http/1.1): the former JSON discovery "
          "answered 404 (%d %r)" % (status, answer))
    status, answer = legacy_discovery(secure.port)
    check(status == 404 and answer == NOT_FOUND,
          "HTTP/1.1 in cleartext on the TLS port: the former JSON discovery "
          "answered 404 (%d %r)" % (status, answer))
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

capped = start_orchestrator("capped", "tls=true", "state-dir=" + state_dir,
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
    status, _ = legacy_discovery(capped.port)
    waited = time.monotonic() - start
    check(status == 404 and waited >= IDLE_TIMEOUT_MS / 2000,
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

# ---------------------------------------------------------------------------
# d. go-livepeer's segment path: POST /segment, GET /stream, POST /payment

RENDITION_LIFETIME_MS = 1500
SEGMENT_DURATION_MS = 1000
SOURCE_SIZE = (320, 240)
# go-livepeer's presets (common/videoprofile_ids.go): name, width, height,
# bitrate, fps
PROFILES = [("P144p30fps16x9", 256, 144, 400000, 30),
            ("P240p30fps16x9", 426, 240, 600000, 30)]


def make_segment():
    return lpgateway.make_segment(args.work_dir, SOURCE_SIZE, 30)[1]


class Gateway:
    """a go-livepeer broadcaster's side of one session: its
    OrchestratorInfo, the ticket parameters in force and their nonce"""

    def __init__(self, port, channel=None):
        self.port = port
        own = channel is None
        channel = channel or grpc.insecure_channel("127.0.0.1:%d" % port)
        self.info = call(channel, "GetOrchestrator", signed_request(),
                         pb.OrchestratorInfo)
        if own:
            channel.close()
        self.nonce = 0

    def adopt(self, info):
        """new ticket parameters restart the nonce (go-livepeer's sender)"""
        if info.HasField("ticket_params"):
            if info.ticket_params.recipient_rand_hash != \
                    self.info.ticket_params.recipient_rand_hash:
                self.nonce = 0
            self.info.ticket_params.CopyFrom(info.ticket_params)

    def ticket_ev(self):
        params = self.info.ticket_params
        return minbe(params.face_value) * minbe(params.win_prob) // MAX_UINT256

    def payment(self, n_tickets, account=broadcaster):
        nonces = range(self.nonce + 1, self.nonce + 1 + n_tickets)
        self.nonce += n_tickets
        return lpgateway.payment(self.info, account, nonces)

    def seg_data(self, seq, body, profiles=PROFILES,
                 private=broadcaster.private,
                 capabilities=(CAP_H264, CAP_MPEGTS, CAP_AUTH_TOKEN)):
        seg = lpgateway.seg_data(self.info.auth_token, b"gateway-stream", seq,
                                 body, SEGMENT_DURATION_MS, profiles, private)
        if capabilities is not None:
            seg.capabilities.bitstring.append(
                sum(1 << c for c in capabilities))
        return seg

    def tickets_for(self, profiles):
        """go-livepeer's estimate: w*h*fps*ceil(duration) * 1.02 * price,
        in tickets of the parameters' EV"""
        price = self.info.price_info
        pixels = sum(w * h * fps for _, w, h, _, fps in profiles) * \
            -(-SEGMENT_DURATION_MS // 1000)
        fee = pixels * 102 * price.pricePerUnit // (100 * price.pixelsPerUnit)
        return max(1, -(-fee // self.ticket_ev()))


def post_timed(port, path, headers, body):
    """(status, body, seconds to the headers, seconds to the whole answer)
    of a plain HTTP/1.1 POST"""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.monotonic()
    connection.request("POST", path, body=body, headers=headers)
    answer = connection.getresponse()
    headers_at = time.monotonic() - start
    data = answer.read()
    connection.close()
    return answer.status, data, headers_at, time.monotonic() - start


def fetch(url):
    status, _, body = lpgateway.fetch(url, 4)
    return status, body


def fetch_h2(url):
    """(status, HTTP version, body) of a GET over h2c with prior knowledge,
    by curl: how an https:// go-livepeer broadcaster fetches (over TLS)"""
    path = os.path.join(args.work_dir, "h2-fetch.ts")
    out = subprocess.run(["curl", "-s", "--http2-prior-knowledge", "-o", path,
                          "-w", "%{http_code} %{http_version}", url],
                         capture_output=True, text=True, timeout=10)
    status, version = (out.stdout.split() + ["0", "?"])[:2]
    with open(path, "rb") as f:
        return int(status), version, f.read()


def check_result(gateway, seq, status, body, what, fetcher=None,
                 scheme="http"):
    check(status == 200, "%s: 200 (%d%s)" % (
        what, status, "" if status == 200 else " " + repr(body[:200])))
    if status != 200:
        return None
    result = pb.TranscodeResult.FromString(body)
    check(result.seq == seq and result.WhichOneof("result") == "data",
          "%s: a TranscodeResult with data for seq %d (%s)"
          % (what, seq, result.error))
    if result.WhichOneof("result") != "data":
        return None
    segments = result.data.segments
    check(len(segments) == len(PROFILES), "%s: %d renditions"
          % (what, len(segments)))
    renditions = []
    for (name, width, height, _, _), segment in zip(PROFILES, segments):
        expected = "%s://127.0.0.1:%d/stream/%s/%s/%d.ts" % (
            scheme, gateway.port, gateway.info.auth_token.session_id, name,
            seq)
        check(segment.url == expected, "%s: URL %s" % (what, segment.url))
        code, data = (fetcher or fetch)(segment.url)
        check(code == 200 and len(data) > 0,
              "%s: %s fetched (%d, %d bytes)" % (what, name, code, len(data)))
        renditions.append(data)
        path = os.path.join(args.work_dir, "%s-%d.ts" % (name, seq))
        with open(path, "wb") as f:
            f.write(data)
        info = probe(path)
        frames = int(info.get("nb_read_frames", 0))
        w, h = info.get("width", 0), info.get("height", 0)
        # the source's aspect is kept, fitted into the profile's box (as
        # go-livepeer's transcoder fits it)
        check(info.get("codec_name") == "h264" and frames > 0
              and w <= width and h <= height and (w == width or h == height)
              and abs(w * SOURCE_SIZE[1] - h * SOURCE_SIZE[0])
              <= 0.02 * h * SOURCE_SIZE[0],
              "%s: %s decodes as H.264 fitted into %dx%d (ffprobe: %s)"
              % (what, name, width, height, info))
        check(segment.pixels == w * h * frames,
              "%s: %s pixels %d = %d x %d x %d frames (ffprobe)"
              % (what, name, segment.pixels, w, h, frames))
    combined = keccak256(b"".join(keccak256(r) for r in renditions))
    check(recover_hash(combined, result.data.sig) == orch_address,
          "%s: the orchestrator's signature over the renditions' hashes"
          % what)
    check(result.info.HasField("ticket_params")
          and result.info.auth_token == gateway.info.auth_token
          and result.info.address == orch_address,
          "%s: refreshed ticket parameters, the session's auth token" % what)
    gateway.adopt(result.info)
    return result


def expect_refusal(port, headers, body, status, text, what):
    code, answer, _ = post(port, "/segment", headers, body)
    answer = answer.decode(errors="replace")
    check(code == status and text in answer,
          "%s: %d %r" % (what, code, answer.strip()[:160]))


def bad_inputs(gateway, port, body):
    good_seg = gateway.seg_data(90, body)
    no_tickets = gateway.payment(0)
    expect_refusal(port, {"Livepeer-Segment": b64(good_seg),
                          "Livepeer-Payment": "*** not base64 ***",
                          "Content-Type": "video/MP2T"}, body, 402,
                   "base64 decode error", "bad base64 payment")
    expect_refusal(port, {"Livepeer-Segment": b64(good_seg),
                          "Livepeer-Payment": b64(b"\xff\xff\xff"),
                          "Content-Type": "video/MP2T"}, body, 402,
                   "protobuf unmarshal error", "bad protobuf payment")
    expect_refusal(port, {"Livepeer-Segment": "*** not base64 ***",
                          "Livepeer-Payment": b64(no_tickets),
                          "Content-Type": "video/MP2T"}, body, 403,
                   "ErrorSegEncoding", "bad base64 segment")
    expect_refusal(port, segment_headers(b"\xff\xff\xff", no_tickets), body,
                   403, "", "bad protobuf segment")
    expect_refusal(port, segment_headers(
        gateway.seg_data(91, body, private=stranger.private), no_tickets),
        body, 403, "ErrSegSig", "a segment signed by another key")
    expect_refusal(port, segment_headers(good_seg, None), body, 403,
                   "ErrSegSig", "no Livepeer-Payment (no sender)")
    expect_refusal(port, segment_headers(
        gateway.seg_data(92, body, capabilities=None), no_tickets), body,
        403, "incompatible capabilities",
        "a legacy broadcaster (no capabilities)")
    expect_refusal(port, segment_headers(
        gateway.seg_data(93, body, capabilities=(
            CAP_H264, CAP_MPEGTS, CAP_AUTH_TOKEN, CAP_HEVC_ENCODE)),
        no_tickets), body, 403, "incompatible capabilities",
        "a job asking for HEVC")
    forged = gateway.seg_data(94, body)
    forged.auth_token.token = bytes(32)
    sign_segment(broadcaster.private, forged)
    expect_refusal(port, segment_headers(forged, no_tickets), body, 403,
                   "invalid auth token", "a forged auth token")
    expect_refusal(port, segment_headers(good_seg, no_tickets),
                   body[:-188], 403, "Forbidden",
                   "a body that is not the signed segment")


def json_headers(gateway, seq, body):
    """the same segment in the JSON dialect (livepeersink's), paid from the
    credit the protobuf tickets left"""
    seg = gateway.seg_data(seq, body)
    token = gateway.info.auth_token
    seg_json = {
        "manifest_id": seg.manifestId.decode(), "seq": seq,
        "hash": "0x" + seg.hash.hex(), "sig": "0x" + seg.sig.hex(),
        "duration": SEGMENT_DURATION_MS,
        "profiles": [{"name": name, "width": w, "height": h, "bitrate": b,
                      "fps": fps, "fps_den": 1, "profile": 0, "gop": 0}
                     for name, w, h, b, fps in PROFILES],
        "auth_token": {"token": "0x" + token.token.hex(),
                       "session_id": token.session_id,
                       "expiration": token.expiration}}
    price = gateway.info.price_info
    payment_json = {"sender": eip55(bcast_address), "ticket_sender_params": [],
                    "expected_price": {"price_per_unit": price.pricePerUnit,
                                       "pixels_per_unit": price.pixelsPerUnit}}
    return {"Content-Type": "video/MP2T",
            "Livepeer-Segment": b64(json.dumps(seg_json).encode()),
            "Livepeer-Payment": b64(json.dumps(payment_json).encode())}


def legacy_refused(gateway, port, body):
    """our former JSON dialect's segment (livepeersink's until issue 18):
    refused as go-livepeer refuses a payment that is not protobuf (402),
    the reason saying the JSON dialect is gone"""
    status, answer, _ = post(port, "/segment", json_headers(gateway, 10, body),
                             body)
    check(status == 402 and b"protobuf unmarshal error" in answer
          and b"the JSON dialect is gone" in answer,
          "the former JSON dialect's segment: 402 saying so (%d %r)"
          % (status, answer[:200]))


def credit_segments(gateway, port, body):
    """segments of one session paid from the credit the tickets left, each
    with its rendition downloads, timed"""
    times = []
    for seq in range(11, 16, 2):
        start = time.monotonic()
        status, answer, _ = post(port, "/segment", segment_headers(
            gateway.seg_data(seq, body), gateway.payment(0)), body)
        result = pb.TranscodeResult.FromString(answer) if status == 200 \
            else pb.TranscodeResult()
        fetched = [fetch(s.url)[0] for s in result.data.segments]
        times.append(time.monotonic() - start)
        check(status == 200 and fetched == [200] * len(PROFILES),
              "protobuf segment %d paid from credit, renditions fetched: "
              "%d %s" % (seq, status, fetched))
        gateway.adopt(result.info)
    print("per segment, loopback, same session, with downloads: %s s"
          % ", ".join("%.3f" % t for t in times), flush=True)


def run_lpctl(*argv):
    out = subprocess.run([args.lpctl] + list(argv), cwd=args.work_dir,
                         capture_output=True, text=True)
    check(out.returncode == 0, "lpctl %s %s runs%s" % (
        argv[0], argv[1], out.stderr.strip() and ": " + out.stderr.strip()))
    return out.stdout


def ticket_params_json(params):
    """go-livepeer's TicketParams as lpctl's --params reads them
    (docs/design/protocol.md: byte strings 0x hex, 256-bit values decimal
    strings, addresses EIP-55)"""
    expiration = params.expiration_params
    return {
        "recipient": eip55(params.recipient),
        "face_value": str(minbe(params.face_value)),
        "win_prob": str(minbe(params.win_prob)),
        "recipient_rand_hash": "0x" + params.recipient_rand_hash.hex(),
        "seed": "0x" + params.seed.hex(),
        "expiration_block": minbe(params.expiration_block),
        "expiration_params": {
            "creation_round": expiration.creation_round,
            "creation_round_block_hash":
                "0x" + expiration.creation_round_block_hash.hex()}}


def lpctl_dialect(gateway, port):
    """lpctl reads go-livepeer's header values and writes its Payment"""
    payment = gateway.payment(2)
    decoded = json.loads(run_lpctl("payment", "decode", b64(payment)))
    tickets = decoded.get("tickets", [])
    check(decoded.get("sender", "").lower() == "0x" + bcast_address.hex()
          and len(tickets) == 2
          and all(t.get("signature_valid") for t in tickets),
          "lpctl payment decode of a protobuf value: the sender, 2 tickets "
          "with valid signatures")
    seg = gateway.seg_data(5, b"segment")
    decoded = json.loads(run_lpctl("segment", "decode", b64(seg)))
    check(decoded.get("signer", "").lower() == "0x" + bcast_address.hex()
          and decoded.get("seq") == 5
          and [p["name"] for p in decoded.get("profiles", [])]
          == [p[0] for p in PROFILES],
          "lpctl segment decode of a protobuf value: seq, profiles, signer")

    # fresh parameters (a new seed), whose nonces 1 and 2 are unspent
    channel = grpc.insecure_channel("127.0.0.1:%d" % port)
    try:
        fresh = call(channel, "GetOrchestrator", signed_request(),
                     pb.OrchestratorInfo)
    finally:
        channel.close()
    params_json = ticket_params_json(fresh.ticket_params)
    params_path = os.path.join(args.work_dir, "params.json")
    with open(params_path, "w") as f:
        json.dump(params_json, f)
    price = fresh.price_info
    value = run_lpctl("payment", "make", "--key-file",
                      broadcaster.key_file,
                      "--params", params_path, "--nonces", "1-2",
                      "--expected-price", "%d/%d" % (price.pricePerUnit,
                                                     price.pixelsPerUnit),
                      "--format", "protobuf").strip()
    made = pb.Payment.FromString(base64.b64decode(value, validate=True))
    params = made.ticket_params
    valid = [recover_hash(ticket_hash(params, made.expiration_params,
                                      made.sender, t.sender_nonce), t.sig)
             == bcast_address for t in made.ticket_sender_params]
    check(made.sender == bcast_address and params.recipient == orch_address
          and "0x" + params.recipient_rand_hash.hex()
          == params_json["recipient_rand_hash"]
          and minbe(params.face_value) == int(params_json["face_value"])
          and not params.HasField("expiration_params")
          and valid == [True, True],
          "lpctl payment make --format protobuf: python3-protobuf reads "
          "go-livepeer's Payment, its tickets signed by the sender")
    status, body, _ = post(port, "/payment", segment_headers(
        gateway.seg_data(0, b"", profiles=[]), made))
    check(status == 200, "lpctl's protobuf payment credited by /payment: %d"
          % status)


def top_up(gateway, port, n_tickets, what, payment=None):
    """POST /payment: a dummy segment (seq 0, keccak of nothing, no
    profiles) carrying the session's auth token"""
    seg = gateway.seg_data(0, b"", profiles=[])
    payment = payment or gateway.payment(n_tickets)
    status, body, _ = post(port, "/payment", segment_headers(seg, payment))
    if status == 200:
        result = pb.PaymentResult.FromString(body)
        check(result.info.HasField("ticket_params")
              and result.info.auth_token == gateway.info.auth_token,
              what + ": a PaymentResult with fresh ticket parameters")
        gateway.adopt(result.info)
    return status, body, payment


segment = make_segment()
check(len(segment) > 0 and segment[0] == 0x47,
      "a 1 s MPEG-TS segment made by gst-launch-1.0 (%d bytes)" % len(segment))
priced = start_orchestrator("segment", "rendition-lifetime=%d"
                            % RENDITION_LIFETIME_MS)
try:
    gateway = Gateway(priced.port)
    n = gateway.tickets_for(PROFILES)
    status, body, seconds = post(priced.port, "/segment", segment_headers(
        gateway.seg_data(1, segment), gateway.payment(n)), segment)
    first = check_result(gateway, 1, status, body,
                         "segment 1 (%d ticket(s), %.2f s)" % (n, seconds))
    if first:
        url = first.data.segments[0].url
        status, version, data = fetch_h2(url)
        check(status == 200 and version == "2" and data == fetch(url)[1],
              "the rendition over HTTP/2 too: %d, HTTP/%s, the same %d bytes"
              % (status, version, len(data)))
    # the renditions are deleted after rendition-lifetime (and the sweep)
    time.sleep(RENDITION_LIFETIME_MS / 1000 + 1.2)
    for segment_data in (first.data.segments if first else []):
        code, _ = fetch(segment_data.url)
        check(code == 404, "%s gone after %d ms: %d"
              % (segment_data.url, RENDITION_LIFETIME_MS, code))
    if first:
        status, version, _ = fetch_h2(first.data.segments[0].url)
        check(status == 404, "gone over HTTP/2 too: %d" % status)
    times = []
    for seq in (2, 3, 4):
        status, body, headers_at, seconds = post_timed(
            priced.port, "/segment", segment_headers(
                gateway.seg_data(seq, segment), gateway.payment(n)), segment)
        check_result(gateway, seq, status, body,
                     "segment %d, refreshed ticket parameters" % seq)
        # go-livepeer's orchestrator answers 200 before transcoding: its
        # broadcaster waits at most max (2 s, duration / 2) for headers
        check(headers_at < seconds / 2,
              "segment %d: 200 before transcoding (headers at %.3f s, "
              "result at %.3f s)" % (seq, headers_at, seconds))
        times.append(seconds)
    print("protobuf /segment round trips (1 s segment, 2 renditions): %s s"
          % ", ".join("%.3f" % t for t in times), flush=True)

    status, body, payment = top_up(gateway, priced.port, 3, "top-up")
    check(status == 200, "POST /payment with 3 tickets: %d%s"
          % (status, "" if status == 200 else " " + repr(body[:100])))
    status, body, _ = top_up(gateway, priced.port, 0, "replay", payment)
    check(status == 400 and b"nonce" in body,
          "the same tickets again: %d %r" % (status, body.strip()[:120]))
    # the broadcaster's address as sender, the stranger's key signing
    bad = gateway.payment(1, account=broadcaster._replace(
        private=stranger.private))
    status, body, _ = top_up(gateway, priced.port, 0, "forged", bad)
    check(status == 400, "a ticket signed by another key: %d %r"
          % (status, body.strip()[:120]))
    status, body, _ = post(priced.port, "/payment", {
        "Livepeer-Payment": "*** not base64 ***",
        "Livepeer-Segment": b64(gateway.seg_data(0, b"", profiles=[]))})
    check(status == 402, "POST /payment with a bad payment: %d" % status)

    bad_inputs(gateway, priced.port, segment)
    legacy_refused(gateway, priced.port, segment)
    credit_segments(gateway, priced.port, segment)
    lpctl_dialect(gateway, priced.port)
finally:
    priced.stop()

# ---------------------------------------------------------------------------
# e. the same segment path over HTTP/2, as go-livepeer's broadcaster speaks
#    it to an https:// orchestrator (TLS, ALPN h2), and over h2c

MAX_SEGMENT_SIZE = 1024 * 1024
# segment requests one HTTP/2 connection may have in flight
# (docs/design/transport.md)
H2_SEGMENTS_IN_FLIGHT = 4
REFUSED_STREAM = 7      # HTTP/2 error codes (RFC 9113, section 7)


def h2_segment(peer, gateway, seq, what, n_tickets):
    stream = peer.request("POST", "/segment", segment_headers(
        gateway.seg_data(seq, segment), gateway.payment(n_tickets)), segment)
    result = check_result(gateway, seq, stream.status or 0,
                          bytes(stream.data), what, fetcher=lph2peer.fetch,
                          scheme="https")
    if result:
        check(stream.headers_at < stream.ended_at / 2,
              "%s: 200 before transcoding (headers at %.3f s, result at "
              "%.3f s)" % (what, stream.headers_at, stream.ended_at))
    return stream


def h2_held_segment(peer, gateway, seq, length):
    """a segment request whose body is held back: in flight until sent"""
    return peer.start("POST", "/segment", segment_headers(
        gateway.seg_data(seq, segment), gateway.payment(0)), length=length,
        send_body=False)


def h2_oversize(peer, gateway):
    """413 from the content-length, before any body is sent; then from
    the bytes, with no content-length"""
    stream = h2_held_segment(peer, gateway, 40, MAX_SEGMENT_SIZE + 1)
    peer.pump(lambda: stream.done, 5)
    check(stream.status == 413 and stream.done
          and b"larger than the %d bytes" % MAX_SEGMENT_SIZE in stream.data,
          "HTTP/2: a content-length over max-segment-size: 413 before any "
          "of the body is sent (%s %r)" % (stream.status,
                                           bytes(stream.data[:80])))
    stream = h2_held_segment(peer, gateway, 41, False)
    peer.send_more(stream, bytes(MAX_SEGMENT_SIZE + 64 * 1024), end=True)
    peer.pump(lambda: stream.done, 10)
    check(stream.status == 413 and stream.done,
          "HTTP/2: a body growing past max-segment-size, no content-length: "
          "413 (%s, reset %s)" % (stream.status, stream.reset))


def h2_in_flight_cap(port, gateway):
    """one more segment request than the cap, on one connection: refused
    with REFUSED_STREAM (retryable), the others kept; once they are gone
    the connection takes segments again"""
    peer = lph2peer.H2Peer(port)
    try:
        held = [h2_held_segment(peer, gateway, 50 + i, len(segment))
                for i in range(H2_SEGMENTS_IN_FLIGHT + 1)]
        peer.pump(lambda: held[-1].done, 3)
        check(held[-1].reset == REFUSED_STREAM
              and not any(s.done for s in held[:-1]),
              "HTTP/2: segment request %d on one connection refused with "
              "REFUSED_STREAM (reset %s), the %d before it kept"
              % (len(held), held[-1].reset, len(held) - 1))
        for stream in held[:-1]:
            peer.cancel(stream)
        h2_segment(peer, gateway, 60, "HTTP/2: a segment on the same "
                   "connection once the held ones are cancelled",
                   gateway.tickets_for(PROFILES))
    finally:
        peer.close()


def h2_deadline(port, gateway):
    """a segment whose body stops coming is let go after idle-timeout"""
    peer = lph2peer.H2Peer(port)
    try:
        stream = h2_held_segment(peer, gateway, 70, len(segment))
        peer.send_more(stream, segment[:1000])
        start = time.monotonic()
        peer.pump(lambda: stream.done or peer.closed, 8)
        elapsed = time.monotonic() - start
        check((stream.done or peer.closed)
              and IDLE_TIMEOUT_MS / 2000 <= elapsed < 6,
              "HTTP/2: a half-sent segment is let go after the idle timeout "
              "(%.2f s; stream reset %s, connection closed %s)"
              % (elapsed, stream.reset, peer.closed))
    finally:
        peer.close()


secure = start_orchestrator("h2-segment", "tls=true",
                            "state-dir=" + state_dir,
                            "rendition-lifetime=%d" % RENDITION_LIFETIME_MS,
                            "max-segment-size=%d" % MAX_SEGMENT_SIZE)
try:
    channel = grpc.secure_channel(
        "127.0.0.1:%d" % secure.port,
        grpc.ssl_channel_credentials(root_certificates=cert))
    gateway = Gateway(secure.port, channel)
    channel.close()
    peer = lph2peer.H2Peer(secure.port)
    check(peer.alpn == "h2" and gateway.info.transcoder.startswith("https:"),
          "HTTP/2 over TLS: ALPN %s, transcoder %s"
          % (peer.alpn, gateway.info.transcoder))
    n = gateway.tickets_for(PROFILES)
    times = []
    for seq in (1, 2, 3):
        stream = h2_segment(peer, gateway, seq, "HTTP/2 TLS segment %d, "
                            "renditions fetched over HTTP/2 TLS" % seq, n)
        times.append(stream.ended_at or 0)
    print("protobuf /segment round trips over HTTP/2 TLS (1 s segment, 2 "
          "renditions): %s s" % ", ".join("%.3f" % t for t in times),
          flush=True)
    stream = peer.request("POST", "/payment", segment_headers(
        gateway.seg_data(0, b"", profiles=[]), gateway.payment(2)))
    result = pb.PaymentResult.FromString(bytes(stream.data)) \
        if stream.status == 200 else pb.PaymentResult()
    check(stream.status == 200 and result.info.HasField("ticket_params")
          and result.info.auth_token == gateway.info.auth_token,
          "POST /payment over HTTP/2 TLS: a PaymentResult (%s)"
          % stream.status)
    gateway.adopt(result.info)
    forged = gateway.seg_data(30, segment)
    forged.auth_token.token = bytes(32)
    sign_segment(broadcaster.private, forged)
    stream = peer.request("POST", "/segment", segment_headers(
        forged, gateway.payment(0)), segment)
    check(stream.status == 403 and b"invalid auth token" in stream.data,
          "HTTP/2: a forged auth token refused in go-livepeer's words: %s %r"
          % (stream.status, bytes(stream.data[:80])))
    h2_oversize(peer, gateway)
    h2_segment(peer, gateway, 4, "HTTP/2: the connection still serves "
               "segments after the refusals", n)
    peer.close()

    cleartext = lph2peer.H2Peer(secure.port, tls=False)
    h2_segment(cleartext, gateway, 5, "h2c segment on the TLS port", n)
    cleartext.close()
    h2_in_flight_cap(secure.port, gateway)
    check(secure.logged(r"refusing stream \d+ of 127\.0\.0\.1:\d+: %d "
                        r"request\(s\) to /segment in flight"
                        % H2_SEGMENTS_IN_FLIGHT),
          "HTTP/2: the refused stream has a log line")
    h2_deadline(secure.port, gateway)
finally:
    secure.stop()

# ---------------------------------------------------------------------------
# f. after the 200 the wait is the orchestrator's: its idle timeout (here
#    the least, 100 ms) must not cut a result that takes longer to make

slow = lpgateway.Orchestrator(
    devnet, "slow-answer", "price-per-unit=%d" % PRICE_PER_UNIT,
    "pixels-per-unit=%d" % PIXELS_PER_UNIT, "idle-timeout=100")
try:
    gateway = Gateway(slow.port)
    # 4:3 as SOURCE_SIZE (check_result fits the renditions to it), larger
    large = lpgateway.make_segment(args.work_dir, (960, 720), 30)[1]
    n = gateway.tickets_for(PROFILES)
    try:
        status, body, headers_at, seconds = post_timed(
            slow.port, "/segment", segment_headers(
                gateway.seg_data(1, large), gateway.payment(n)), large)
    except (http.client.HTTPException, OSError) as error:
        status, body, headers_at, seconds = 0, repr(error).encode(), 0, 0
    check(seconds - headers_at > 0.1,
          "a 960x720 segment's result came %.3f s after its 200, past the "
          "100 ms idle timeout" % (seconds - headers_at))
    check_result(gateway, 1, status, body, "the result after a wait longer "
                 "than idle-timeout comes whole")
    # the same over h2c
    peer = lph2peer.H2Peer(slow.port, tls=False)
    stream = peer.request("POST", "/segment", segment_headers(
        gateway.seg_data(2, large), gateway.payment(n)), large)
    check((stream.ended_at or 0) - (stream.headers_at or 0) > 0.1,
          "HTTP/2: the result came %.3f s after its 200, past the 100 ms "
          "idle timeout" % ((stream.ended_at or 0) - (stream.headers_at or 0)))
    check_result(gateway, 2, stream.status or 0, bytes(stream.data),
                 "HTTP/2: the result after a wait longer than idle-timeout "
                 "comes whole")
    peer.close()
finally:
    slow.stop()

python_peer.finish()

# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# An independent orchestrator for livepeersink: go-livepeer's side of the
# wire written in Python on Debian's packages only, so that what
# livepeersink sends is read, and what it checks is made, by code that is
# not ours. python3-grpcio serves net.Orchestrator (GetOrchestrator,
# EndTranscodingSession) over h2c; python3-protobuf reads and writes the
# messages (proto/lp_rpc.proto compiled by protoc into --pb-dir);
# python3-ecdsa and python3-pycryptodome (keccak) recover and make the
# signatures (lpgateway.py's helpers); http.server serves POST /segment
# and the renditions over HTTP/1.1; ffmpeg transcodes each segment into
# the profiles asked for and ffprobe counts their pixels.
#
# It runs gst-launch-1.0 ... ! livepeersink orchestrators=http://...
# against it, paying with tickets on a devnet ledger made by lpctl, and
# checks:
#   a. discovery: the OrchestratorRequest signed by the broadcaster (the
#      EIP-55 text of its address, recovered here);
#   b. each POST /segment: the body is the segment SegData.hash names, the
#      segment's signature recovers to Payment.sender (go-livepeer's
#      rule), the auth token is one issued here, the expected price is
#      ours, every ticket verifies (recipient, recipientRandHash of a rand
#      issued here, a fresh nonce, the sender's signature over the ticket
#      hash) and the credit covers go-livepeer's fee estimate; the
#      profiles (fullProfiles3) are transcoded with ffmpeg, served by URL,
#      and answered with a TranscodeResult (pixels by ffprobe, the
#      orchestrator's signature over the renditions' hashes);
#   c. livepeersink: every segment it cut reached us and was written, none
#      lost, the HLS renditions it wrote byte for byte the ones served,
#      the credit covered the pixels billed, the tickets and fees its
#      messages report the ones verified and billed here,
#      EndTranscodingSession for every session at the end;
#   d. the same orchestrator signing its results with another key:
#      livepeersink refuses every result ("PM Check Failed"), reports the
#      segments lost and writes none of them.
# Exits 0 when every check holds, 1 with the list of failures.
#
#   livepeersink-grpc.py --lpctl PATH --pb-dir DIR --work-dir DIR

import base64
import concurrent.futures
import http.server
import json
import math
import os
import re
import subprocess
import sys
import threading
import time

# python_peer.py in tests/lib; lpgateway.py is beside this script
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "lib"))
import python_peer  # noqa: E402
from python_peer import check  # noqa: E402

args = python_peer.parse_args("--lpctl")

import grpc  # noqa: E402
import lpgateway  # noqa: E402
import lp_rpc_pb2 as pb  # noqa: E402
from lpgateway import (CAP_AUTH_TOKEN, CAP_H264, CAP_MPEGTS,  # noqa: E402
                       MAX_UINT256, eip55, keccak256, minbe, pad32, probe,
                       recover, recover_hash, sign_hash, ticket_hash)

PRICE_PER_UNIT = 1
PIXELS_PER_UNIT = 1
FACE_VALUE = 10 ** 15
TICKET_EV = 10 ** 6
# go-livepeer: parameters expire 40 blocks after they are issued
TICKET_VALIDITY_BLOCKS = 40
MAX_NONCES = 600
SOURCE = (320, 240)
FRAMES = 90                     # 3 s at 30 fps: 3 segments of 1 s
PROFILES = "P144p30fps16x9,P240p30fps16x9"

devnet = lpgateway.Devnet(args.lpctl, args.work_dir).setup()
orch = devnet.orch
broadcaster = devnet.broadcaster
stranger = devnet.new_account("stranger")


def to_minbe(number):
    return number.to_bytes((number.bit_length() + 7) // 8, "big")


def win_prob(face_value, ev):
    """go-livepeer's winProb for a wanted EV: EV x ceil((2^256-1) / face)"""
    return ev * -(-MAX_UINT256 // face_value)


def ledger_block():
    status = json.loads(devnet.lpctl("status", "--json"))
    return int(status["block"]), int(status["round"])


class Orchestrator:
    """go-livepeer's orchestrator side of discovery and the segment path;
    what it saw kept for the checks. With @signer, results are signed by
    that key instead of the advertised address's."""

    def __init__(self, name, signer=None):
        self.name = name
        self.signer = signer or orch
        self.lock = threading.Lock()
        self.sessions = {}          # session id -> AuthToken
        self.ended = []             # session ids, in order
        self.rands = {}             # recipientRandHash -> recipientRand
        self.nonces = set()         # (recipientRandHash, nonce)
        self.segments = {}          # seq -> what was checked
        self.renditions = {}        # URL path -> bytes
        self.problems = []          # requests refused, and why
        self.discoveries = []       # recovered signer of each request
        self.credit = 0             # EV credited to the sender, wei
        self.billed = 0             # fees of the pixels transcoded, wei
        self.tickets = 0
        self.grpc = grpc.server(concurrent.futures.ThreadPoolExecutor(4))
        self.grpc.add_generic_rpc_handlers((self.grpc_service(),))
        self.grpc_port = self.grpc.add_insecure_port("127.0.0.1:0")
        self.http = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), self.handler_class())
        self.http.daemon_threads = True
        self.http_port = self.http.server_address[1]
        self.grpc.start()
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def grpc_service(self):
        """net.Orchestrator: the two calls livepeersink makes"""
        def unary(function, request_type, response_type):
            return grpc.unary_unary_rpc_method_handler(
                function, request_deserializer=request_type.FromString,
                response_serializer=response_type.SerializeToString)
        return grpc.method_handlers_generic_handler("net.Orchestrator", {
            "GetOrchestrator": unary(self.get_orchestrator,
                                     pb.OrchestratorRequest,
                                     pb.OrchestratorInfo),
            "EndTranscodingSession": unary(self.end_session,
                                           pb.EndTranscodingSessionRequest,
                                           pb.EndTranscodingSessionResponse)})

    def stop(self):
        self.http.shutdown()
        self.http.server_close()
        self.grpc.stop(0)

    # -- terms ---------------------------------------------------------------

    def ticket_params(self):
        """fresh parameters: a new seed, so a new recipientRand"""
        block, round_ = ledger_block()
        rand = int.from_bytes(os.urandom(32), "big")
        rand_hash = keccak256(pad32(rand))
        with self.lock:
            self.rands[rand_hash] = rand
        params = pb.TicketParams(
            recipient=orch.address, face_value=to_minbe(FACE_VALUE),
            win_prob=to_minbe(win_prob(FACE_VALUE, TICKET_EV)),
            recipient_rand_hash=rand_hash, seed=os.urandom(16),
            expiration_block=to_minbe(block + TICKET_VALIDITY_BLOCKS))
        params.expiration_params.creation_round = round_
        params.expiration_params.creation_round_block_hash = \
            keccak256(b"round %d" % round_)
        return params

    def info(self, auth_token):
        info = pb.OrchestratorInfo(
            transcoder="http://127.0.0.1:%d" % self.http_port,
            address=orch.address)
        info.ticket_params.CopyFrom(self.ticket_params())
        info.price_info.pricePerUnit = PRICE_PER_UNIT
        info.price_info.pixelsPerUnit = PIXELS_PER_UNIT
        info.capabilities.bitstring.append(
            sum(1 << c for c in (CAP_H264, CAP_MPEGTS, CAP_AUTH_TOKEN)))
        info.capabilities.mandatories.append(1 << CAP_AUTH_TOKEN)
        info.auth_token.CopyFrom(auth_token)
        return info

    # -- gRPC ----------------------------------------------------------------

    def get_orchestrator(self, request, context):
        signer = recover(eip55(request.address).encode(), request.sig)
        with self.lock:
            self.discoveries.append(signer)
        if signer != request.address:
            context.abort(grpc.StatusCode.UNKNOWN, "Invalid orchestrator "
                          "request (orchestrator req sig check failed)")
        token = pb.AuthToken(token=os.urandom(32),
                             session_id=os.urandom(8).hex(),
                             expiration=int(time.time()) + 600)
        with self.lock:
            self.sessions[token.session_id] = token
        return self.info(token)

    def end_session(self, request, context):
        token = request.auth_token
        with self.lock:
            known = self.sessions.get(token.session_id) == token
            if known:
                self.ended.append(token.session_id)
        if not known:
            context.abort(grpc.StatusCode.UNKNOWN, "Invalid auth token")
        return pb.EndTranscodingSessionResponse()

    # -- the segment path ----------------------------------------------------

    def check_tickets(self, pay):
        """(credited EV, None) or (0, why the payment is refused), as
        go-livepeer's recipient checks each ticket"""
        params = pay.ticket_params
        if pay.ticket_sender_params and params.recipient != orch.address:
            return 0, "invalid recipient"
        if pay.sender == bytes(20):
            return 0, "invalid sender"
        ev = minbe(params.face_value) * minbe(params.win_prob) // MAX_UINT256
        credited = 0
        for t in pay.ticket_sender_params:
            with self.lock:
                known = params.recipient_rand_hash in self.rands
            if not known:
                return 0, "invalid recipientRand for recipientRandHash"
            signer = recover_hash(ticket_hash(params, pay.expiration_params,
                                              pay.sender, t.sender_nonce),
                                  t.sig)
            if signer != pay.sender:
                return 0, "invalid signature over ticket hash"
            key = (params.recipient_rand_hash, t.sender_nonce)
            with self.lock:
                if key in self.nonces or t.sender_nonce > MAX_NONCES:
                    return 0, "invalid ticket senderNonce %d" % t.sender_nonce
                self.nonces.add(key)
                self.tickets += 1
            credited += ev
        return credited, None

    def transcode(self, seq, session, source_path, profile):
        """(URL path, bytes, pixels) of @profile made by ffmpeg, the
        source's aspect fitted into the profile's box"""
        out = os.path.join(args.work_dir, "%s-%s-%d.ts"
                           % (self.name, profile.name, seq))
        scale = ("scale=%d:%d:force_original_aspect_ratio=decrease,"
                 "scale=trunc(iw/2)*2:trunc(ih/2)*2"
                 % (profile.width, profile.height))
        if profile.fps:
            scale = "fps=%d/%d," % (profile.fps, profile.fpsDen or 1) + scale
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-copyts", "-i",
                        source_path, "-an", "-vf", scale, "-c:v", "libx264",
                        "-preset", "ultrafast", "-b:v", str(profile.bitrate),
                        "-bf", "0", "-muxdelay", "0", "-f", "mpegts", out],
                       check=True, capture_output=True)
        info = probe(out)
        pixels = info.get("width", 0) * info.get("height", 0) * \
            int(info.get("nb_read_frames", 0))
        with open(out, "rb") as f:
            data = f.read()
        return "/stream/%s/%s/%d.ts" % (session, profile.name, seq), data, \
            pixels

    def segment(self, headers, body):
        """(status, answer bytes) of POST /segment"""
        try:
            seg = pb.SegData.FromString(
                base64.b64decode(headers.get("Livepeer-Segment", "")))
            pay = pb.Payment.FromString(
                base64.b64decode(headers.get("Livepeer-Payment", "")))
        except Exception as error:  # noqa: BLE001  any decoding error
            return 403, ("ErrorSegEncoding: %s" % error).encode()
        profiles = seg.fullProfiles3 or seg.fullProfiles2 or seg.fullProfiles
        names = "".join(keccak256(p.name.encode())[:4].hex()
                        for p in profiles)
        signer = recover(seg.manifestId + pad32(seg.seq) + seg.hash +
                         names.encode(), seg.sig)
        token = seg.auth_token
        with self.lock:
            known = self.sessions.get(token.session_id) == token
        if signer is None or signer != pay.sender:
            return 403, b"ErrSegSig"
        if not known:
            return 403, b"invalid auth token"
        if keccak256(body) != seg.hash:
            return 403, b"Forbidden"
        if pay.expected_price.pricePerUnit != PRICE_PER_UNIT or \
                pay.expected_price.pixelsPerUnit != PIXELS_PER_UNIT:
            return 400, b"invalid expected price"
        credited, why = self.check_tickets(pay)
        if why:
            return 400, why.encode()
        # go-livepeer's estimate, without the broadcaster's 2 % margin
        estimate = sum(p.width * p.height * math.ceil(p.fps / (p.fpsDen or 1))
                       for p in profiles) * \
            math.ceil(seg.duration / 1000) * PRICE_PER_UNIT // PIXELS_PER_UNIT
        with self.lock:
            self.credit += credited
            if self.credit - self.billed < estimate:
                return 400, b"insufficient balance"
        source_path = os.path.join(args.work_dir, "%s-source-%d.ts"
                                   % (self.name, seg.seq))
        with open(source_path, "wb") as f:
            f.write(body)
        made = [self.transcode(seg.seq, token.session_id, source_path, p)
                for p in profiles]
        result = pb.TranscodeResult(seq=seg.seq)
        for path, data, pixels in made:
            result.data.segments.add(
                url="http://127.0.0.1:%d%s" % (self.http_port, path),
                pixels=pixels)
        result.data.sig = sign_hash(self.signer.private, keccak256(
            b"".join(keccak256(data) for _, data, _ in made)))
        result.info.CopyFrom(self.info(token))
        with self.lock:
            self.billed += sum(pixels for _, _, pixels in made) * \
                PRICE_PER_UNIT // PIXELS_PER_UNIT
            for path, data, _ in made:
                self.renditions[path] = data
            self.segments.setdefault(seg.seq, []).append(dict(
                signed_by_sender=signer == broadcaster.address,
                tickets=len(pay.ticket_sender_params),
                profiles=[(p.name, p.width, p.height, p.bitrate, p.fps)
                          for p in profiles],
                renditions=[data for _, data, _ in made]))
        return 200, result.SerializeToString()

    def handler_class(self):
        orchestrator = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self, status, body, content_type):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get(
                    "Content-Length", "0")))
                if self.path != "/segment":
                    orchestrator.note("POST %s" % self.path)
                    return self.answer(404, b"404 page not found\n",
                                       "text/plain")
                status, answer = orchestrator.segment(self.headers, body)
                if status != 200:
                    orchestrator.note("POST /segment: %d %s"
                                      % (status, answer.decode()))
                    return self.answer(status, answer, "text/plain")
                self.answer(200, answer, "application/octet-stream")

            def do_GET(self):
                with orchestrator.lock:
                    data = orchestrator.renditions.get(self.path)
                if data is None:
                    orchestrator.note("GET %s" % self.path)
                    return self.answer(404, b"404 page not found\n",
                                       "text/plain")
                self.answer(200, data, "video/MP2T")

            def log_message(self, *_):
                pass

        return Handler

    def note(self, problem):
        with self.lock:
            self.problems.append(problem)


# ---------------------------------------------------------------------------
# livepeersink

def run_sink(orchestrator, location, frames):
    """gst-launch-1.0 -m ... ! livepeersink against @orchestrator: its exit
    status and output (the element messages)"""
    pipeline = [
        "gst-launch-1.0", "-m", "-e", "videotestsrc",
        "num-buffers=%d" % frames, "!",
        "video/x-raw,width=%d,height=%d,framerate=30/1" % SOURCE, "!",
        "x264enc", "speed-preset=ultrafast", "key-int-max=30",
        "bframes=0", "!", "h264parse", "!", "livepeersink",
        "orchestrators=http://127.0.0.1:%d" % orchestrator.grpc_port,
        "key-file=" + broadcaster.key_file, "ledger=" + devnet.ledger,
        "profiles=" + PROFILES, "segment-duration=1000", "verify=pixels",
        "location=" + location, "playlist-length=0", "max-files=0"]
    env = dict(os.environ, GST_DEBUG="*:1", GST_DEBUG_NO_COLOR="1")
    env.pop("GST_TRACERS", None)
    out = subprocess.run(pipeline, capture_output=True, text=True, env=env,
                         timeout=90)
    with open(os.path.join(args.work_dir, orchestrator.name + "-sink.log"),
              "w") as f:
        f.write(out.stdout + out.stderr)
    return out.returncode, out.stdout + out.stderr


def messages(output, name):
    """the fields of each @name element message gst-launch -m printed"""
    found = []
    for line in output.splitlines():
        match = re.search(r"\(element\): %s, (.*)$" % re.escape(name), line)
        if match:
            fields = re.findall(r"([a-z-]+)=\([a-z0-9]+\)"
                                r"(\"(?:[^\"\\]|\\.)*\"|[^,;]*)",
                                match.group(1))
            # a string is quoted, its spaces and commas escaped
            found.append({k: re.sub(r"\\(.)", r"\1", v.strip('"'))
                          for k, v in fields})
    return found


def variant_dirs(location):
    """the rendition directories master.m3u8 lists, in its order"""
    with open(os.path.join(location, "master.m3u8")) as f:
        uris = [line.strip() for line in f
                if line.strip() and not line.startswith("#")]
    return [os.path.dirname(u) for u in uris]


def playlist_files(location, variant):
    with open(os.path.join(location, variant, "index.m3u8")) as f:
        return [line.strip() for line in f
                if line.strip() and not line.startswith("#")]


def profile_dir(location, name):
    """the variant directory of profile @name (its name in the path)"""
    for variant in variant_dirs(location):
        if name in variant:
            return variant
    return None


# ---------------------------------------------------------------------------
# a.-c. livepeersink against the Python orchestrator

good = Orchestrator("good")
location = os.path.join(args.work_dir, "hls")
try:
    start = time.monotonic()
    status, output = run_sink(good, location, FRAMES)
    elapsed = time.monotonic() - start
finally:
    # gst-launch-1.0 exits once the sessions are ended (PAUSED to READY)
    good.stop()

written = messages(output, "livepeersink-segment")
lost = messages(output, "livepeersink-segment-lost")
failovers = messages(output, "livepeersink-failover")
check(status == 0, "livepeersink ran to EOS in %.1f s (exit %d%s)"
      % (elapsed, status, "" if status == 0 else ": " + output[-600:]))
check(good.discoveries and all(a == broadcaster.address
                               for a in good.discoveries),
      "%d discovery request(s), each signed by the broadcaster (the EIP-55 "
      "text of its address)" % len(good.discoveries))
seqs = sorted(int(m.get("seq", -1)) for m in written)
check(seqs == list(range(FRAMES // 30)),
      "livepeersink wrote segments %s" % seqs)
check(not lost and not failovers,
      "no segment lost, no failover (%d lost, %d failovers)"
      % (len(lost), len(failovers)))
check(sorted(good.segments) == seqs and all(
    len(v) == 1 for v in good.segments.values()),
      "every segment written reached the orchestrator once (%s)"
      % sorted(good.segments))
check(all(s["signed_by_sender"] for v in good.segments.values() for s in v),
      "every segment signed by Payment.sender, the broadcaster, and its "
      "body the one SegData.hash names")
check(not good.problems, "no request refused or unknown (%s)"
      % good.problems)
wanted = [("P144p30fps16x9", 256, 144, 400000, 30),
          ("P240p30fps16x9", 426, 240, 600000, 30)]
check(all(s["profiles"] == wanted for v in good.segments.values()
          for s in v),
      "fullProfiles3: go-livepeer's presets, name, size, bitrate and fps")
check(good.tickets > 0 and good.credit >= good.billed,
      "tickets: %d verified (recipient, rand hash, fresh nonce, the "
      "sender's signature), %d wei credited cover %d wei billed"
      % (good.tickets, good.credit, good.billed))
sent = sum(int(m.get("tickets", 0)) for m in written)
fees = [m.get("fee", "") for m in written]
check(sent == good.tickets,
      "the tickets livepeersink reports sending (%d) are the ones verified "
      "here (%d)" % (sent, good.tickets))
check(all(f.isdigit() for f in fees) and sum(map(int, fees)) == good.billed,
      "the fees livepeersink reports (%s wei) are the pixels billed here at "
      "%d/%d wei (%d wei)" % ("+".join(fees), PRICE_PER_UNIT,
                              PIXELS_PER_UNIT, good.billed))
check(all(m.get("verified") == "pixels" for m in written),
      "livepeersink verified the signature and the pixels (%s)"
      % [m.get("verified") for m in written])
for name, *_ in wanted:
    variant = profile_dir(location, name) if os.path.exists(
        os.path.join(location, "master.m3u8")) else None
    files = playlist_files(location, variant) if variant else []
    check(files == ["%d.ts" % s for s in seqs],
          "HLS %s playlist lists %s" % (name, files))
    for seq in seqs:
        path = os.path.join(location, variant or name, "%d.ts" % seq)
        served = good.segments.get(seq, [{}])[0].get("renditions", [])
        index = [w[0] for w in wanted].index(name)
        data = open(path, "rb").read() if os.path.exists(path) else b""
        check(len(served) > index and data == served[index],
              "%s/%d.ts written is the rendition served (%d bytes)"
              % (name, seq, len(data)))
        info = probe(path) if data else {}
        check(info.get("codec_name") == "h264" and info.get("height", 0) <=
              wanted[index][2] and int(info.get("nb_read_frames", 0)) > 0,
              "%s/%d.ts: ffprobe %s" % (name, seq, info))
sessions = set(good.sessions)
check(sessions and set(good.ended) == sessions
      and len(good.ended) == len(sessions),
      "EndTranscodingSession for each of the %d session(s) at the end "
      "(%d ended)" % (len(sessions), len(good.ended)))

# ---------------------------------------------------------------------------
# d. results signed by another key than the orchestrator's address

forger = Orchestrator("forger", signer=stranger)
forged_location = os.path.join(args.work_dir, "hls-forged")
try:
    status, output = run_sink(forger, forged_location, 60)
finally:
    forger.stop()
written = messages(output, "livepeersink-segment")
lost = messages(output, "livepeersink-segment-lost")
failovers = messages(output, "livepeersink-failover")
check(forger.segments, "results signed by another key: the orchestrator "
      "transcoded %d segment(s)" % len(forger.segments))
check(not written and len(lost) == 2,
      "results signed by another key: no segment written, %d lost"
      % len(lost))
check(failovers and all("PM Check Failed" in m.get("reason", "")
                        and eip55(stranger.address) in m.get("reason", "")
                        for m in failovers + lost),
      "results signed by another key: refused as go-livepeer refuses them "
      "(%d failover(s): %s)" % (len(failovers), [m.get("reason", "")[:120]
                                 for m in (failovers + lost)[:2]]))
check(not any(f.endswith(".ts") for root, _, files
              in os.walk(forged_location) for f in files
              if "source" not in root),
      "results signed by another key: no rendition written")

python_peer.finish()

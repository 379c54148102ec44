# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A Python gateway asking lporchestrator for capability jobs in go-livepeer's
# protobuf dialect, on Debian's python3-grpcio, python3-protobuf (the
# messages of proto/lp_rpc.proto, compiled by protoc into --pb-dir),
# python3-ecdsa and python3-pycryptodome (signatures and keccak not made by
# our code), ffprobe for the video. It runs gst-launch-1.0 -m lporchestrator
# on a devnet ledger with a capabilities file of two cheap jobs, `edges`
# (edgetv, video out, billed by pixels; the shipped name, so id 1027) and
# `luma` (videoanalyse, metadata out, billed by frames; capability-id=1040),
# and checks, as a go-livepeer gateway would read them:
#   - GetOrchestrator: each job's bit in the bit string, its capacity, its
#     model in constraints.PerCapability[id].models (capacity, warm), its
#     price in capabilities_prices (capability id, model id constraint);
#   - GetOrchestrator asking for a job (its bit and model): ticket params
#     and price_info priced for it; an unknown id or model refused (gRPC
#     UNKNOWN, "incompatible capabilities");
#   - POST /segment asking for a job (no profiles), paid with tickets signed
#     here: a TranscodeResult whose segment URLs serve the job's outputs
#     (.ts video that ffprobe decodes, .json metadata), the billed units in
#     `pixels` (input frames x width x height by ffprobe for pixels, frames
#     for frames), the fee the orchestrator posts = units x price, its
#     signature over the outputs' hashes; an unknown id, an unknown model,
#     and a job with profiles refused with go-livepeer's 403.
# Exits 0 when every check holds, 1 with the list of failures.
#
#   lporchestrator-grpc-jobs.py --lpctl PATH --pb-dir DIR --work-dir DIR

import argparse
import base64
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
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
# go-livepeer's capability ids (core/capabilities.go)
CAP_H264, CAP_MPEGTS, CAP_AUTH_TOKEN = 0, 1, 12
# ours (docs/design/transport.md): edges is a shipped name, luma gets one
EDGES, LUMA, UNKNOWN_ID = 1027, 1040, 1050
JOBS = {EDGES: ("edges", "effectv-edgetv", 3, 2, 2),
        LUMA: ("luma", "videoanalyse", 1000, 1, 1)}
CAPABILITIES_FILE = """
[edges]
model-id=effectv-edgetv
pipeline=videoconvert ! edgetv ! videoconvert
outputs=video
output-profile=P144p30fps16x9
unit=pixels
price-per-unit=3
units-per-price=2
capacity=2

[luma]
capability-id=1040
model-id=videoanalyse
pipeline=videoconvert ! videoanalyse
outputs=metadata
unit=frames
price-per-unit=1000
capacity=1

[json-only]
model-id=identity
pipeline=identity
"""
SOURCE_SIZE, FRAMES, DURATION_MS = (320, 240), 30, 1000
MAX_UINT256 = 2 ** 256 - 1
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


def address_of(verifying_key):
    return keccak256(verifying_key.to_string())[12:]


def eip55(address):
    text = address.hex()
    digest = keccak256(text.encode()).hex()
    return "0x" + "".join(c.upper() if int(digest[i], 16) >= 8 else c
                          for i, c in enumerate(text))


def sign_digest(private_key, digest):
    """r ‖ s (low s) ‖ v, v = 27 + recovery id, as go-livepeer signs"""
    key = SigningKey.from_string(private_key, curve=SECP256k1)
    rs = key.sign_digest_deterministic(digest,
                                       sigencode=sigencode_string_canonize)
    candidates = [address_of(k) for k in
                  VerifyingKey.from_public_key_recovery_with_digest(
                      rs, digest, SECP256k1, sigdecode=sigdecode_string)]
    return rs + bytes([27 + candidates.index(
        address_of(key.get_verifying_key()))])


def hash_digest(hash32):
    return keccak256(b"\x19Ethereum Signed Message:\n32" + hash32)


def personal_sign(private_key, message):
    return sign_digest(private_key, hash_digest(keccak256(message)))


def recover_hash(hash32, sig):
    if len(sig) != 65 or sig[64] not in (27, 28):
        return None
    return address_of(VerifyingKey.from_public_key_recovery_with_digest(
        sig[:64], hash_digest(hash32), SECP256k1,
        sigdecode=sigdecode_string)[sig[64] - 27])


def pad32(number):
    return number.to_bytes(32, "big")


def minbe(data):
    return int.from_bytes(data, "big")


# ---------------------------------------------------------------------------
# the devnet and the orchestrator

def new_account(name):
    path = os.path.join(args.work_dir, name + ".key")
    subprocess.run([args.lpctl, "account", "new", "--out", path], check=True,
                   capture_output=True)
    with open(path) as f:
        private = bytes.fromhex(f.read().strip().removeprefix("0x"))
    public = SigningKey.from_string(private, curve=SECP256k1).get_verifying_key()
    return path, address_of(public), private


def lpctl(*argv):
    out = subprocess.run([args.lpctl, "--ledger", ledger] + list(argv),
                         cwd=args.work_dir, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("lpctl %s failed: %s" % (" ".join(argv), out.stderr))


ledger = os.path.join(args.work_dir, "devnet.db")
if os.path.exists(ledger):
    os.remove(ledger)
orch_key, orch_address, _ = new_account("orch")
bcast_key, bcast_address, bcast_private = new_account("broadcaster")
lpctl("init", "--block-time", "1000", "--round-length", "100",
      "--fund", "0x%s=1000e18:1e18" % orch_address.hex(),
      "--fund", "0x%s=0:10e18" % bcast_address.hex())
lpctl("bond", "--from", orch_key, "--to", "0x" + orch_address.hex(),
      "--amount", "1000e18")
lpctl("register", "--from", orch_key, "--reward-cut", "10%",
      "--fee-share", "50%", "--service-uri", "http://127.0.0.1:1")
lpctl("deposit", "--from", bcast_key, "--deposit", "1e18", "--reserve", "1e18")
lpctl("advance", "--rounds", "1", "--init")


class Orchestrator:
    """gst-launch-1.0 -m lporchestrator: its port read from -v's notify,
    its element messages (lporchestrator-job: units, fee) from -m"""

    def __init__(self, capabilities_path):
        self.lines = []
        self.log = open(os.path.join(args.work_dir, "orchestrator.log"), "w")
        env = dict(os.environ, GST_DEBUG="*:1,lporchestrator:4",
                   GST_DEBUG_NO_COLOR="1")
        env.pop("GST_TRACERS", None)
        self.process = subprocess.Popen(
            ["gst-launch-1.0", "-v", "-m", "lporchestrator", "port=0",
             "key-file=" + orch_key, "ledger=" + ledger,
             "price-per-unit=1000", "pixels-per-unit=1",
             "capabilities=" + capabilities_path],
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
        self.port = None
        found = threading.Event()

        def read():
            for line in self.process.stdout:
                self.log.write(line)
                self.lines.append(line)
                match = re.search(r"current-port = (\d+)", line)
                if match and int(match.group(1)) != 0:
                    self.port = int(match.group(1))
                    found.set()
            found.set()
        threading.Thread(target=read, daemon=True).start()
        if not found.wait(30) or self.port is None:
            self.stop()
            raise SystemExit("lporchestrator did not start")

    def job_message(self, seq, capability, within=10.0):
        """the fields of the lporchestrator-job message of @seq"""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if "lporchestrator-job" in line and \
                        "seq=(guint64)%d," % seq in line and \
                        "capability=(string)%s," % capability in line:
                    return dict(re.findall(r"([a-z-]+)=\([a-z0-9]+\)"
                                           r"\"?([^,;\"]*)", line))
            time.sleep(0.1)
        return {}

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# ---------------------------------------------------------------------------
# the gateway

def get_orchestrator(port, job=None, model=None):
    """GetOrchestrator as a go-livepeer AI gateway asks for a pipeline: the
    capability's bit, its model in constraints.PerCapability"""
    request = pb.OrchestratorRequest(
        address=bcast_address,
        sig=personal_sign(bcast_private, eip55(bcast_address).encode()))
    if job is not None:
        ask_for(request.capabilities, job, model)
    channel = grpc.insecure_channel("127.0.0.1:%d" % port)
    try:
        stub = channel.unary_unary(
            SERVICE + "GetOrchestrator",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=pb.OrchestratorInfo.FromString)
        return stub(request, timeout=10)
    finally:
        channel.close()


def ask_for(capabilities, job, model, extra=()):
    words = [0] * (job // 64 + 1)
    for c in (job,) + tuple(extra):
        words[c // 64] |= 1 << (c % 64)
    capabilities.bitstring.extend(words)
    if model == "":
        # an entry for the capability that names no model
        capabilities.constraints.PerCapability[job].SetInParent()
    elif model is not None:
        capabilities.constraints.PerCapability[job].models[model].warm = True


def bit(words, c):
    return len(words) > c // 64 and words[c // 64] >> (c % 64) & 1


def make_segment():
    path = os.path.join(args.work_dir, "segment.ts")
    subprocess.run(["gst-launch-1.0", "-q", "videotestsrc",
                    "num-buffers=%d" % FRAMES, "!",
                    "video/x-raw,width=%d,height=%d,framerate=30/1"
                    % SOURCE_SIZE, "!", "x264enc", "speed-preset=ultrafast",
                    "key-int-max=30", "bframes=0", "!", "h264parse", "!",
                    "mpegtsmux", "!", "filesink", "location=" + path],
                   check=True, capture_output=True)
    with open(path, "rb") as f:
        return path, f.read()


def probe(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0",
                          "-count_frames", "-show_entries",
                          "stream=codec_name,width,height,nb_read_frames",
                          "-of", "json", path], capture_output=True, text=True)
    streams = json.loads(out.stdout or "{}").get("streams", [])
    return streams[0] if streams else {}


nonces = {}


def payment(info, n_tickets):
    """@n_tickets signed here; the nonce goes on while the ticket
    parameters' recipient rand hash stays (go-livepeer's sender)"""
    params = info.ticket_params
    nonce = nonces.get(params.recipient_rand_hash, 0)
    nonces[params.recipient_rand_hash] = nonce + n_tickets
    pay = pb.Payment(sender=bcast_address)
    pay.expected_price.CopyFrom(info.price_info)
    pay.ticket_params.CopyFrom(params)
    pay.ticket_params.ClearField("expiration_params")
    pay.expiration_params.CopyFrom(params.expiration_params)
    aux = pad32(params.expiration_params.creation_round) + \
        params.expiration_params.creation_round_block_hash
    for n in range(nonce + 1, nonce + 1 + n_tickets):
        ticket_hash = keccak256(
            params.recipient + bcast_address + pad32(minbe(params.face_value))
            + pad32(minbe(params.win_prob)) + pad32(n) +
            params.recipient_rand_hash + aux)
        pay.ticket_sender_params.add(
            sender_nonce=n, sig=sign_digest(bcast_private,
                                            hash_digest(ticket_hash)))
    return pay


def seg_data(info, seq, body, job, model, profiles=()):
    manifest = b"job-stream"
    seg = pb.SegData(manifestId=manifest, seq=seq, hash=keccak256(body),
                     profiles=b"invalid", duration=DURATION_MS)
    seg.auth_token.CopyFrom(info.auth_token)
    ask_for(seg.capabilities, job, model, extra=(CAP_AUTH_TOKEN,))
    for name, width, height, bitrate, fps in profiles:
        seg.fullProfiles.add(name=name, width=width, height=height,
                             bitrate=bitrate, fps=fps)
    names = "".join(keccak256(p[0].encode())[:4].hex() for p in profiles)
    seg.sig = personal_sign(bcast_private, manifest + pad32(seq) + seg.hash +
                            names.encode())
    return seg


def post_segment(port, seg, pay, body):
    b64 = lambda m: base64.b64encode(m.SerializeToString()).decode()
    request = urllib.request.Request(
        "http://127.0.0.1:%d/segment" % port, data=body, method="POST",
        headers={"Content-Type": "video/MP2T", "Livepeer-Segment": b64(seg),
                 "Livepeer-Payment": b64(pay)})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.headers.get("Content-Type"), \
                answer.read()
    except urllib.error.HTTPError as error:
        return error.code, None, error.read()


# ---------------------------------------------------------------------------
# discovery

def check_advertisement(info):
    caps = info.capabilities
    for job, (name, model, price, per, capacity) in JOBS.items():
        check(bit(caps.bitstring, job),
              "%s: bit %d in the bit string" % (name, job))
        check(caps.capacities.get(job) == capacity,
              "%s: capacity %s" % (name, caps.capacities.get(job)))
        models = caps.constraints.PerCapability[job].models
        check(list(models) == [model] and models[model].capacity == capacity
              and models[model].warm,
              "%s: constraints.PerCapability[%d].models = %s"
              % (name, job, dict((k, (v.capacity, v.warm))
                                 for k, v in models.items())))
        prices = [p for p in info.capabilities_prices if p.capability == job]
        check(len(prices) == 1 and prices[0].constraint == model
              and prices[0].pricePerUnit == price
              and prices[0].pixelsPerUnit == per,
              "%s: capabilities_prices %s" % (name, [
                  (p.pricePerUnit, p.pixelsPerUnit, p.constraint)
                  for p in prices]))
    # go-livepeer's ids stay go-livepeer's: nothing of ours from 13 to 63
    check(bit(caps.bitstring, CAP_H264) and bit(caps.bitstring, CAP_AUTH_TOKEN)
          and all(not bit(caps.bitstring, c) for c in range(13, 64))
          and len(info.capabilities_prices) == 2,
          "transcoding bits as before, the job without an id not advertised")


def expect_discovery_refused(port, job, model, text, what):
    try:
        get_orchestrator(port, job, model)
        check(False, what + ": answered")
    except grpc.RpcError as error:
        check(error.code() == grpc.StatusCode.UNKNOWN
              and (error.details() or "").startswith(
                  "incompatible capabilities") and text in error.details(),
              "%s: %s %r" % (what, error.code(), error.details()))


def paid_job(orch, job, seq, body):
    """discovery for @job, then a segment asking for it, paid; returns
    (info, status, TranscodeResult or body)"""
    name, model, price, per, _ = JOBS[job]
    info = get_orchestrator(orch.port, job, model)
    check(info.price_info.pricePerUnit == price
          and info.price_info.pixelsPerUnit == per
          and info.HasField("ticket_params"),
          "%s: GetOrchestrator asking for it prices the session %d/%d"
          % (name, info.price_info.pricePerUnit, info.price_info.pixelsPerUnit))
    ev = minbe(info.ticket_params.face_value) * \
        minbe(info.ticket_params.win_prob) // MAX_UINT256
    units = FRAMES * SOURCE_SIZE[0] * SOURCE_SIZE[1] if job == EDGES \
        else FRAMES
    n = max(1, -(-units * price // per // ev)) + 1
    status, answer = post_segment(orch.port, seg_data(info, seq, body, job,
                                                      model),
                                  payment(info, n), body)
    if status != 200:
        return info, status, answer
    return info, status, pb.TranscodeResult.FromString(answer)


segment_path, segment = make_segment()
source = probe(segment_path)
check(int(source.get("nb_read_frames", 0)) == FRAMES
      and (source.get("width"), source.get("height")) == SOURCE_SIZE,
      "a %dx%d segment of %d frames (ffprobe: %s)"
      % (SOURCE_SIZE + (FRAMES, source)))
capabilities_path = os.path.join(args.work_dir, "capabilities.ini")
with open(capabilities_path, "w") as f:
    f.write(CAPABILITIES_FILE)

orch = Orchestrator(capabilities_path)
try:
    check_advertisement(get_orchestrator(orch.port))
    expect_discovery_refused(orch.port, UNKNOWN_ID, None,
                             "capability %d is not offered" % UNKNOWN_ID,
                             "GetOrchestrator for an unknown capability id")
    expect_discovery_refused(orch.port, EDGES, "other-model",
                             "runs model effectv-edgetv",
                             "GetOrchestrator for an unknown model")

    # edges: video out, billed by input pixels
    info, status, result = paid_job(orch, EDGES, 1, segment)
    check(status == 200 and result.WhichOneof("result") == "data",
          "edges: a TranscodeResult with data (%d %s)" % (status, result if
                                                          status != 200 else
                                                          result.error))
    if status == 200 and result.WhichOneof("result") == "data":
        segments = result.data.segments
        expected = "http://127.0.0.1:%d/stream/%s/edges/1.ts" % (
            orch.port, info.auth_token.session_id)
        check(len(segments) == 1 and segments[0].url == expected,
              "edges: one output at %s" % [s.url for s in segments])
        code, kind, video = fetch(segments[0].url)
        path = os.path.join(args.work_dir, "edges-1.ts")
        with open(path, "wb") as f:
            f.write(video)
        out = probe(path)
        check(code == 200 and kind == "video/MP2T"
              and out.get("codec_name") == "h264"
              and int(out.get("nb_read_frames", 0)) > 0,
              "edges: the video fetched (%d, %s) decodes as H.264 (%s)"
              % (code, kind, out))
        units = int(source["nb_read_frames"]) * source["width"] * \
            source["height"]
        check(segments[0].pixels == units,
              "edges: billed %d pixels = %d frames x %dx%d of the input "
              "(ffprobe)" % (segments[0].pixels, int(source["nb_read_frames"]),
                             source["width"], source["height"]))
        check(recover_hash(keccak256(keccak256(video)), result.data.sig)
              == orch_address,
              "edges: the orchestrator's signature over the output's hash")
        message = orch.job_message(1, "edges")
        check(message.get("units") == str(units)
              and message.get("fee") == str(units * 3 // 2),
              "edges: fee %s wei = %d pixels x 3/2 (%s)"
              % (message.get("fee"), units, message))

    # luma: metadata out, billed by frames
    info, status, result = paid_job(orch, LUMA, 1, segment)
    check(status == 200 and result.WhichOneof("result") == "data",
          "luma: a TranscodeResult with data (%d)" % status)
    if status == 200 and result.WhichOneof("result") == "data":
        segments = result.data.segments
        expected = "http://127.0.0.1:%d/stream/%s/luma/1.json" % (
            orch.port, info.auth_token.session_id)
        check(len(segments) == 1 and segments[0].url == expected,
              "luma: one output at %s" % [s.url for s in segments])
        code, kind, data = fetch(segments[0].url)
        doc = json.loads(data) if code == 200 else {}
        check(code == 200 and kind == "application/json"
              and doc.get("capability") == "luma" and doc.get("seq") == 1
              and doc.get("frames") == FRAMES
              and len(doc.get("messages", [])) > 0,
              "luma: the metadata fetched (%d, %s): %d frames, %d messages"
              % (code, kind, doc.get("frames", 0),
                 len(doc.get("messages", []))))
        check(segments[0].pixels == FRAMES,
              "luma: billed %d frames" % segments[0].pixels)
        check(recover_hash(keccak256(keccak256(data)), result.data.sig)
              == orch_address,
              "luma: the orchestrator's signature over the metadata's hash")
        message = orch.job_message(1, "luma")
        check(message.get("fee") == str(FRAMES * 1000),
              "luma: fee %s wei = %d frames x 1000" % (message.get("fee"),
                                                      FRAMES))

    # refusals of the segment path: go-livepeer's 403
    info = get_orchestrator(orch.port, EDGES, "effectv-edgetv")
    for job, model, what in ((UNKNOWN_ID, None, "an unknown capability id"),
                             (UNKNOWN_ID, "", "an unknown capability id, "
                              "with constraints naming no model"),
                             (EDGES, "other-model", "an unknown model")):
        status, answer = post_segment(orch.port, seg_data(
            info, 7, segment, job, model), payment(info, 0), segment)
        check(status == 403 and answer.strip() == b"incompatible capabilities",
              "a segment asking for %s: %d %r" % (what, status, answer[:80]))
    status, answer = post_segment(orch.port, seg_data(
        info, 8, segment, EDGES, None,
        profiles=[("P144p30fps16x9", 256, 144, 400000, 30)]),
        payment(info, 0), segment)
    check(status == 403 and b"not both" in answer,
          "a segment asking for a job and renditions: %d %r"
          % (status, answer[:80]))
finally:
    orch.stop()

if failures:
    print("%d check(s) failed:\n  %s" % (len(failures), "\n  ".join(failures)))
    sys.exit(1)
print("all checks passed")

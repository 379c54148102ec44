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
#     a job without a capability-id not advertised, and a warning says so;
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

import json
import os
import sys

# python_peer.py in tests/lib; lpgateway.py is beside this script
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "lib"))
import python_peer  # noqa: E402
from python_peer import check  # noqa: E402

args = python_peer.parse_args("--lpctl")

import grpc  # noqa: E402
import lp_rpc_pb2 as pb  # noqa: E402
from lpgateway import (CAP_AUTH_TOKEN, CAP_H264, MAX_UINT256,  # noqa: E402
                       Devnet, Orchestrator, call, fetch, keccak256,
                       make_segment, minbe, payment as make_payment, post,
                       probe, recover_hash, segment_headers, seg_data as
                       make_seg_data, signed_request)

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

[no-id]
model-id=identity
pipeline=identity
"""
SOURCE_SIZE, FRAMES, DURATION_MS = (320, 240), 30, 1000
devnet = Devnet(args.lpctl, args.work_dir).setup()
broadcaster = devnet.broadcaster
orch_address = devnet.orch.address


# ---------------------------------------------------------------------------
# the gateway

def get_orchestrator(port, job=None, model=None):
    """GetOrchestrator as a go-livepeer AI gateway asks for a pipeline: the
    capability's bit, its model in constraints.PerCapability"""
    request = signed_request(broadcaster)
    if job is not None:
        ask_for(request.capabilities, job, model)
    channel = grpc.insecure_channel("127.0.0.1:%d" % port)
    try:
        return call(channel, "GetOrchestrator", request, pb.OrchestratorInfo)
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


nonces = {}


def payment(info, n_tickets):
    """@n_tickets signed here; the nonce goes on while the ticket
    parameters' recipient rand hash stays (go-livepeer's sender)"""
    params = info.ticket_params
    nonce = nonces.get(params.recipient_rand_hash, 0)
    nonces[params.recipient_rand_hash] = nonce + n_tickets
    return make_payment(info, broadcaster,
                        range(nonce + 1, nonce + 1 + n_tickets))


def seg_data(info, seq, body, job, model, profiles=()):
    seg = make_seg_data(info.auth_token, b"job-stream", seq, body,
                        DURATION_MS, profiles, broadcaster.private)
    ask_for(seg.capabilities, job, model, extra=(CAP_AUTH_TOKEN,))
    return seg


def post_segment(port, seg, pay, body):
    return post(port, "/segment", segment_headers(seg, pay), body)[:2]


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
    check(orch.logged("capability no-id has no capability-id: no "
                      "broadcaster can ask for it"),
          "the job without an id: a warning says no one can ask for it")


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


segment_path, segment = make_segment(args.work_dir, SOURCE_SIZE, FRAMES)
source = probe(segment_path)
check(int(source.get("nb_read_frames", 0)) == FRAMES
      and (source.get("width"), source.get("height")) == SOURCE_SIZE,
      "a %dx%d segment of %d frames (ffprobe: %s)"
      % (SOURCE_SIZE + (FRAMES, source)))
capabilities_path = os.path.join(args.work_dir, "capabilities.ini")
with open(capabilities_path, "w") as f:
    f.write(CAPABILITIES_FILE)

orch = Orchestrator(devnet, "orchestrator", "price-per-unit=1000",
                    "pixels-per-unit=1", "capabilities=" + capabilities_path,
                    messages=True)
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
        code, kind, video = fetch(segments[0].url, 5)
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
        code, kind, data = fetch(segments[0].url, 5)
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

python_peer.finish()

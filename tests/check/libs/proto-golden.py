# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The independent side of the golden-bytes test of the protobuf codec:
# builds every fixture of proto-golden-helper.c with python3-protobuf (from
# proto/lp_rpc.proto, compiled by protoc into --pb-dir) and checks, for
# each one:
#   1. our encoding equals protobuf's deterministic serialization, byte for
#      byte;
#   2. protobuf parses our bytes into a message equal to its own;
#   3. we decode protobuf's bytes, and encode them again unchanged;
#   4. with unknown fields of every wire type appended (which protobuf
#      parses and ignores), we decode to the same message;
#   5. for every prefix of the bytes, we reject it exactly when protobuf
#      does, and otherwise agree with protobuf on what it holds.
# Exits 0 when all agree, 1 with a list of disagreements.
#
#   proto-golden.py --helper PATH --pb-dir DIR

import argparse
import subprocess
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--helper", required=True)
parser.add_argument("--pb-dir", required=True)
args = parser.parse_args()
sys.path.insert(0, args.pb_dir)

from google.protobuf.internal import api_implementation  # noqa: E402
import google.protobuf  # noqa: E402
import lp_rpc_pb2 as pb  # noqa: E402

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
INT32_MIN, INT32_MAX = -(2 ** 31), 2 ** 31 - 1
UINT32_MAX, UINT64_MAX = 2 ** 32 - 1, 2 ** 64 - 1


def pattern(n, first):
    return bytes((first + i) % 256 for i in range(n))


def auth_token():
    return pb.AuthToken(token=pattern(32, 1), session_id="a1b2c3d4",
                        expiration=1790000000)


def auth_token_odd():
    return pb.AuthToken(session_id="s\u00e9ssion-\u20ac", expiration=-1)


def price_info():
    return pb.PriceInfo(pricePerUnit=1200, pixelsPerUnit=3, capability=27,
                        constraint="stabilityai/sd-turbo")


def price_info_extremes():
    return pb.PriceInfo(pricePerUnit=INT64_MIN, pixelsPerUnit=INT64_MAX,
                        capability=UINT32_MAX)


ModelConstraint = pb.Capabilities.CapabilityConstraints.ModelConstraint


def model_constraint():
    return ModelConstraint(warm=True, capacity=2, runnerVersion="0.14.1",
                           capacityInUse=1)


def capability_constraints():
    m = pb.Capabilities.CapabilityConstraints()
    m.models["stabilityai/sd-turbo"].CopyFrom(model_constraint())
    m.models[""].SetInParent()
    m.models["\u00fc-model"].capacity = UINT32_MAX
    m.models["Zeta"].CopyFrom(model_constraint())
    return m


def constraints():
    m = pb.Capabilities.Constraints(minVersion="0.8.0")
    m.PerCapability[27].CopyFrom(capability_constraints())
    m.PerCapability[0].SetInParent()
    m.PerCapability[300].CopyFrom(capability_constraints())
    return m


def capabilities():
    m = pb.Capabilities(
        bitstring=[0x4000000417ff, 0, UINT64_MAX, 0x8000000000000001],
        mandatories=[4096], version="0.8.4")
    for key, value in ((12, 1), (0, 0), (UINT32_MAX, 7), (27, 4), (200, 0)):
        m.capacities[key] = value
    m.constraints.CopyFrom(constraints())
    return m


def capabilities_small():
    m = pb.Capabilities(bitstring=[0x4000000417ff])
    m.constraints.SetInParent()
    return m


def expiration_params():
    return pb.TicketExpirationParams(
        creation_round=3521, creation_round_block_hash=pattern(32, 0xa0))


def ticket_params():
    return pb.TicketParams(
        recipient=pattern(20, 0x10),
        face_value=bytes.fromhex("0de0b6b3a7640000"),
        win_prob=pattern(32, 0xe0),
        recipient_rand_hash=pattern(32, 0x40),
        seed=pattern(32, 0x60),
        expiration_block=bytes.fromhex("01312d00"),
        expiration_params=expiration_params())


def sender_params(nonce, first):
    return pb.TicketSenderParams(sender_nonce=nonce, sig=pattern(65, first))


def payment():
    m = pb.Payment(ticket_params=ticket_params(), sender=pattern(20, 0x30),
                   expiration_params=expiration_params(),
                   expected_price=price_info())
    m.ticket_sender_params.append(sender_params(1, 0x80))
    m.ticket_sender_params.add()
    m.ticket_sender_params.append(sender_params(UINT32_MAX, 0x90))
    return m


def payment_sender_only():
    return pb.Payment(sender=pattern(20, 0x30),
                      expected_price=pb.PriceInfo(pricePerUnit=1,
                                                  pixelsPerUnit=1))


def orchestrator_request():
    return pb.OrchestratorRequest(address=pattern(20, 0x30),
                                  sig=pattern(65, 0xb0),
                                  capabilities=capabilities_small(),
                                  ignoreCapacityCheck=True)


def orchestrator_info():
    m = pb.OrchestratorInfo(
        transcoder="https://127.0.0.1:8935", ticket_params=ticket_params(),
        price_info=price_info(), address=pattern(20, 0x10),
        capabilities=capabilities(), auth_token=auth_token())
    m.capabilities_prices.append(price_info())
    m.capabilities_prices.add()
    m.capabilities_prices.append(price_info_extremes())
    m.nodes.extend(["https://node-b.example:8935", "",
                    "https://\u00fc.example"])
    return m


VP = pb.VideoProfile


def video_profile():
    return VP(name="P720p30fps16x9", width=1280, height=720,
              bitrate=6000000, fps=30000, format=VP.MP4, fpsDen=1001,
              profile=VP.H264_HIGH, gop=-1, encoder=VP.H265, colorDepth=10,
              chromaFormat=VP.CHROMA_444, quality=23)


def video_profile_odd():
    return VP(width=-5, height=INT32_MAX, bitrate=INT32_MIN, fps=UINT32_MAX,
              format=7, profile=-2, encoder=99, chromaFormat=INT32_MAX)


def video_profile_plain(name, width, height):
    return VP(name=name, width=width, height=height, bitrate=600000, fps=30)


def seg_parameters():
    return pb.SegParameters(**{"from": 1000, "to": UINT64_MAX})


def seg_data():
    m = pb.SegData(manifestId="stream-\u00e9".encode(), seq=INT64_MAX,
                   hash=pattern(32, 0xc0), profiles=b"invalid",
                   sig=pattern(65, 0xd0), duration=2000,
                   capabilities=capabilities(), auth_token=auth_token(),
                   calc_perceptual_hash=True,
                   segment_parameters=seg_parameters(),
                   ForceSessionReinit=True)
    m.fullProfiles.append(video_profile_plain("P360p30fps16x9", 640, 360))
    m.fullProfiles.add()
    m.fullProfiles2.append(video_profile_plain("P240p30fps16x9", 426, 240))
    m.fullProfiles3.append(video_profile())
    m.fullProfiles3.append(video_profile_odd())
    return m


def seg_data_plain():
    m = pb.SegData(manifestId=b"m", seq=-3, hash=pattern(32, 0),
                   profiles=b"invalid", auth_token=auth_token_odd())
    m.segment_parameters.SetInParent()
    m.fullProfiles.append(video_profile_plain("P144p30fps16x9", 256, 144))
    return m


def segment(url, pixels, phash):
    return pb.TranscodedSegmentData(url=url, pixels=pixels,
                                    perceptual_hash_url=phash)


def transcode_data():
    m = pb.TranscodeData(sig=pattern(65, 0x20))
    base = "https://127.0.0.1:8935/stream/a1b2c3d4/"
    m.segments.append(segment(base + "P360p/7.ts", 1099511627776, ""))
    m.segments.add()
    m.segments.append(segment(base + "P240p/7.ts", -1,
                              base + "P240p/7.phash"))
    return m


def transcode_result_data():
    return pb.TranscodeResult(seq=7, data=transcode_data(),
                              info=orchestrator_info())


def transcode_result_empty_data():
    m = pb.TranscodeResult()
    m.data.SetInParent()
    return m


FIXTURES = {
    "ping_pong": lambda: pb.PingPong(value=pattern(3, 0xfe)),
    "auth_token": auth_token,
    "auth_token_odd": auth_token_odd,
    "end_session": lambda: pb.EndTranscodingSessionRequest(
        auth_token=auth_token()),
    "end_session_empty_token": lambda: pb.EndTranscodingSessionRequest(
        auth_token=pb.AuthToken()),
    "price_info": price_info,
    "price_info_extremes": price_info_extremes,
    "model_constraint": model_constraint,
    "capability_constraints": capability_constraints,
    "constraints": constraints,
    "capabilities": capabilities,
    "capabilities_small": capabilities_small,
    "ticket_expiration_params": expiration_params,
    "ticket_params": ticket_params,
    "ticket_sender_params": lambda: sender_params(UINT32_MAX, 0x70),
    "payment": payment,
    "payment_sender_only": payment_sender_only,
    "orchestrator_request": orchestrator_request,
    "orchestrator_info": orchestrator_info,
    "video_profile": video_profile,
    "video_profile_odd": video_profile_odd,
    "seg_parameters": seg_parameters,
    "seg_data": seg_data,
    "seg_data_plain": seg_data_plain,
    "transcoded_segment_data": lambda: segment(
        "https://o/stream/s/P/1.ts", 921600, "https://o/p"),
    "transcode_data": transcode_data,
    "transcode_result_data": transcode_result_data,
    "transcode_result_error": lambda: pb.TranscodeResult(
        seq=8, error="OrchestratorBusy"),
    "transcode_result_empty_error": lambda: pb.TranscodeResult(seq=8,
                                                               error=""),
    "transcode_result_empty_data": transcode_result_empty_data,
    "payment_result": lambda: pb.PaymentResult(info=orchestrator_info()),
}

# Fields no message declares, one of each wire type (a group holding a
# varint, too), hand-encoded: tag = number << 3 | wire type
UNKNOWN_FIELDS = bytes.fromhex(
    "c03e05"                      # 1000 varint 5
    "c93e0102030405060708"        # 1001 fixed64
    "d23e03616263"                # 1002 length-delimited "abc"
    "dd3e01020304"                # 1003 fixed32
    "e33e08" "01" "e43e")         # 1004 group { 1: 1 } end 1004


def message_class(type_name):
    cls = pb
    for part in type_name.split("."):
        cls = getattr(cls, part)
    return cls


def helper(*argv, stdin=None):
    done = subprocess.run([args.helper, *argv], input=stdin,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"helper {' '.join(argv)} failed "
                           f"({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def from_hex(text):
    return b"" if text == "-" else bytes.fromhex(text)


def to_hex(data):
    return data.hex() if data else "-"


def c_decode(type_name, inputs):
    """Our decoder on each input: (bytes encoded again, None) or
    (None, error text)"""
    out = helper("decode", type_name,
                 stdin="".join(to_hex(data) + "\n" for data in inputs))
    answers = []
    for line in out.splitlines():
        verdict, _, rest = line.partition(" ")
        answers.append((from_hex(rest), None) if verdict == "ok"
                       else (None, rest))
    if len(answers) != len(inputs):
        raise RuntimeError(f"helper answered {len(answers)} of "
                           f"{len(inputs)} lines")
    return answers


def python_parse(cls, data):
    message = cls()
    try:
        message.ParseFromString(data)
    except Exception:  # DecodeError, or a RuntimeWarning turned error
        return None
    return message


def check_fixture(name, type_name, failures):
    cls = message_class(type_name)
    expected = FIXTURES[name]()
    python_bytes = expected.SerializeToString(deterministic=True)

    ours = from_hex(helper("encode", name).strip())
    if ours != python_bytes:
        failures.append(f"{name}: our encoding differs\n"
                        f"  ours:     {ours.hex()}\n"
                        f"  protobuf: {python_bytes.hex()}")
    parsed = python_parse(cls, ours)
    if parsed is None or parsed != expected:
        failures.append(f"{name}: protobuf reads our bytes as "
                        f"{parsed!r}, not as its own message")

    with_unknown = python_bytes + UNKNOWN_FIELDS
    parsed = python_parse(cls, with_unknown)
    if parsed is None:
        failures.append(f"{name}: protobuf refuses the unknown fields")
        return
    parsed.DiscardUnknownFields()
    if parsed.SerializeToString(deterministic=True) != python_bytes:
        failures.append(f"{name}: protobuf does not ignore unknown fields")

    prefixes = [python_bytes[:n] for n in range(len(python_bytes))]
    inputs = [python_bytes, with_unknown] + prefixes
    answers = c_decode(type_name, inputs)
    for label, data, (again, error) in zip(
            ["protobuf's bytes", "with unknown fields"]
            + [f"its first {n} bytes" for n in range(len(python_bytes))],
            inputs, answers):
        reference = python_parse(cls, data)
        if reference is None:
            if error is None:
                failures.append(f"{name}, {label}: protobuf refuses "
                                f"{to_hex(data)}, we accept it")
            continue
        if error is not None:
            failures.append(f"{name}, {label}: protobuf accepts, we "
                            f"refuse: {error}")
            continue
        reference.DiscardUnknownFields()
        wanted = reference.SerializeToString(deterministic=True)
        if again != wanted:
            failures.append(f"{name}, {label}: decoded and encoded again "
                            f"as {to_hex(again)}, protobuf has "
                            f"{to_hex(wanted)}")
    return len(inputs)


def check_empty_messages(types, failures):
    """every message at its defaults is zero bytes, both ways"""
    for type_name in sorted(types):
        python_bytes = message_class(type_name)().SerializeToString()
        (again, error), = c_decode(type_name, [python_bytes])
        if python_bytes != b"" or again != b"" or error is not None:
            failures.append(f"empty {type_name}: protobuf "
                            f"{to_hex(python_bytes)}, ours {again!r} "
                            f"{error or ''}")


def main():
    print(f"python3-protobuf {google.protobuf.__version__}, "
          f"{api_implementation.Type()} implementation")
    listed = [line.split() for line in helper("list").splitlines()]
    failures = []
    names = {name for name, _ in listed}
    missing = (set(FIXTURES) - names) | (names - set(FIXTURES))
    if missing:
        failures.append(f"fixtures on one side only: {sorted(missing)}")
    types = {type_name for _, type_name in listed}
    declared = set()
    for message in pb.DESCRIPTOR.message_types_by_name.values():
        stack = [message]
        while stack:
            descriptor = stack.pop()
            if not descriptor.GetOptions().map_entry:
                declared.add(descriptor.full_name.removeprefix("net."))
            stack.extend(descriptor.nested_types)
    uncovered = declared - types - {"EndTranscodingSessionResponse"}
    if uncovered:
        failures.append(f"messages of lp_rpc.proto with no fixture: "
                        f"{sorted(uncovered)}")

    decodes = 0
    for name, type_name in listed:
        if name in FIXTURES:
            decodes += check_fixture(name, type_name, failures) or 0
    check_empty_messages(types, failures)

    if failures:
        print(f"FAIL: {len(failures)} disagreements with python3-protobuf")
        for failure in failures:
            print(failure)
        return 1
    print(f"OK: {len(listed)} fixtures of {len(types)} message types encode "
          f"byte for byte as protobuf does; {decodes} inputs decoded as "
          f"protobuf reads them")
    return 0


sys.exit(main())

# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What the Python gateways of lporchestrator-grpc.py and
# lporchestrator-grpc-jobs.py share: Ethereum signatures made and checked
# by Debian's python3-ecdsa and python3-pycryptodome (keccak), not by our
# code; a devnet ledger made by lpctl; lporchestrator run by gst-launch-1.0
# (its port, log and element messages); and go-livepeer's messages of the
# segment path (OrchestratorRequest, SegData, Payment with tickets signed
# here) and the HTTP calls that carry them. The caller puts --pb-dir on
# sys.path first (python_peer.parse_args), for lp_rpc_pb2.

import base64
import collections
import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

import lp_rpc_pb2 as pb
from Cryptodome.Hash import keccak
from ecdsa import SECP256k1, SigningKey, VerifyingKey
from ecdsa.util import sigdecode_string, sigencode_string_canonize

SERVICE = "/net.Orchestrator/"
# go-livepeer's capability ids (core/capabilities.go)
CAP_H264, CAP_MPEGTS, CAP_AUTH_TOKEN, CAP_HEVC_ENCODE = 0, 1, 12, 16
MAX_UINT256 = 2 ** 256 - 1


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


def hash_digest(hash32):
    """what go-livepeer signs for a 32-byte hash (tickets, results): the
    personal-sign digest of the hash itself"""
    return keccak256(b"\x19Ethereum Signed Message:\n32" + hash32)


def sign_digest(private_key, digest):
    """r ‖ s (low s) ‖ v, v = 27 + recovery id, as go-livepeer signs"""
    key = SigningKey.from_string(private_key, curve=SECP256k1)
    rs = key.sign_digest_deterministic(digest,
                                       sigencode=sigencode_string_canonize)
    # python3-ecdsa lists the candidates by recovery id (even R.y first)
    candidates = [address_of(k) for k in
                  VerifyingKey.from_public_key_recovery_with_digest(
                      rs, digest, SECP256k1, sigdecode=sigdecode_string)]
    return rs + bytes([27 + candidates.index(
        address_of(key.get_verifying_key()))])


def sign_hash(private_key, hash32):
    return sign_digest(private_key, hash_digest(hash32))


def personal_sign(private_key, message):
    """what go-livepeer signs for a message: the personal-sign digest of
    its keccak (docs/design/protocol.md §2)"""
    return sign_hash(private_key, keccak256(message))


def recover_hash(hash32, sig):
    """the address whose signature over @hash32 @sig is, or None"""
    if len(sig) != 65 or sig[64] not in (27, 28):
        return None
    return address_of(VerifyingKey.from_public_key_recovery_with_digest(
        sig[:64], hash_digest(hash32), SECP256k1,
        sigdecode=sigdecode_string)[sig[64] - 27])


def recover(message, sig):
    return recover_hash(keccak256(message), sig)


def pad32(number):
    return number.to_bytes(32, "big")


def minbe(data):
    return int.from_bytes(data, "big")


# ---------------------------------------------------------------------------
# the devnet and the orchestrator

Account = collections.namedtuple("Account", "key_file address private")


class Devnet:
    """a devnet ledger in @work_dir made by lpctl (@lpctl_path): after
    setup(), an orchestrator registered and bonded, and a broadcaster with
    a deposit and a reserve"""

    def __init__(self, lpctl_path, work_dir, ledger_name="devnet.db"):
        self.lpctl_path = lpctl_path
        self.work_dir = work_dir
        self.ledger = os.path.join(work_dir, ledger_name)
        self.orch = self.broadcaster = None

    def new_account(self, name):
        path = os.path.join(self.work_dir, name + ".key")
        subprocess.run([self.lpctl_path, "account", "new", "--out", path],
                       check=True, capture_output=True)
        with open(path) as f:
            private = bytes.fromhex(f.read().strip().removeprefix("0x"))
        # the address from the key, by python3-ecdsa and keccak, not by lpctl
        public = SigningKey.from_string(private,
                                        curve=SECP256k1).get_verifying_key()
        return Account(path, address_of(public), private)

    def lpctl(self, *argv):
        """lpctl's output on this ledger; exits the test when it fails"""
        out = subprocess.run([self.lpctl_path, "--ledger", self.ledger] +
                             list(argv), cwd=self.work_dir,
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit("lpctl %s failed: %s" % (" ".join(argv),
                                                      out.stderr))
        return out.stdout

    def setup(self):
        if os.path.exists(self.ledger):
            os.remove(self.ledger)
        self.orch = orch = self.new_account("orch")
        self.broadcaster = self.new_account("broadcaster")
        self.lpctl("init", "--block-time", "1000", "--round-length", "100",
                   "--fund", "0x%s=1000e18:1e18" % orch.address.hex(),
                   "--fund", "0x%s=0:10e18" % self.broadcaster.address.hex())
        self.lpctl("bond", "--from", orch.key_file, "--to",
                   "0x" + orch.address.hex(), "--amount", "1000e18")
        self.lpctl("register", "--from", orch.key_file, "--reward-cut", "10%",
                   "--fee-share", "50%", "--service-uri", "http://127.0.0.1:1")
        self.lpctl("deposit", "--from", self.broadcaster.key_file,
                   "--deposit", "1e18", "--reserve", "1e18")
        self.lpctl("advance", "--rounds", "1", "--init")
        return self


class Orchestrator:
    """gst-launch-1.0 lporchestrator on @devnet's ledger with its
    orchestrator's key and @properties: its port read from -v's notify,
    its log in NAME.log; with @messages (-m), its element messages
    (lporchestrator-job: units, fee) too"""

    def __init__(self, devnet, name, *properties, messages=False):
        self.lines = []
        self.log_path = os.path.join(devnet.work_dir, name + ".log")
        self.log = open(self.log_path, "w+")
        env = dict(os.environ, GST_DEBUG="*:1,lporchestrator:4",
                   GST_DEBUG_NO_COLOR="1")
        env.pop("GST_TRACERS", None)
        self.process = subprocess.Popen(
            ["gst-launch-1.0", "-v"] + (["-m"] if messages else []) +
            ["lporchestrator", "port=0", "key-file=" + devnet.orch.key_file,
             "ledger=" + devnet.ledger] + list(properties),
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
# go-livepeer's messages, signed here

def call(channel, method, request, response_type, timeout=10):
    """a unary call of net.Orchestrator; @request may be raw bytes"""
    stub = channel.unary_unary(
        SERVICE + method,
        request_serializer=lambda m: m if isinstance(m, bytes)
        else m.SerializeToString(),
        response_deserializer=response_type.FromString)
    return stub(request, timeout=timeout)


def signed_request(account, address=None):
    """an OrchestratorRequest for @address (@account's own by default):
    @account's signature of its EIP-55 form"""
    address = address or account.address
    return pb.OrchestratorRequest(
        address=address,
        sig=personal_sign(account.private, eip55(address).encode()))


def ticket_hash(params, expiration, sender, nonce):
    """the hash a ticket's sender signs, of TicketParams @params and
    TicketExpirationParams @expiration"""
    aux = pad32(expiration.creation_round) + \
        expiration.creation_round_block_hash
    return keccak256(
        params.recipient + sender + pad32(minbe(params.face_value)) +
        pad32(minbe(params.win_prob)) + pad32(nonce) +
        params.recipient_rand_hash + aux)


def payment(info, account, nonces):
    """a Payment at @info's price from @account, one ticket of @info's
    parameters per nonce in @nonces; none, no ticket parameters either"""
    pay = pb.Payment(sender=account.address)
    pay.expected_price.CopyFrom(info.price_info)
    if not nonces:
        return pay
    params = info.ticket_params
    pay.ticket_params.CopyFrom(params)
    pay.ticket_params.ClearField("expiration_params")
    pay.expiration_params.CopyFrom(params.expiration_params)
    for nonce in nonces:
        pay.ticket_sender_params.add(
            sender_nonce=nonce, sig=sign_hash(account.private, ticket_hash(
                params, params.expiration_params, account.address, nonce)))
    return pay


def sign_segment(private_key, seg):
    """SegData's signature: manifest, seq, hash and the profiles' ids"""
    names = "".join(keccak256(p.name.encode())[:4].hex()
                    for p in seg.fullProfiles)
    seg.sig = personal_sign(private_key, seg.manifestId + pad32(seg.seq) +
                            seg.hash + names.encode())


def seg_data(auth_token, manifest, seq, body, duration_ms, profiles,
             private_key):
    """a SegData for @body with @profiles (name, width, height, bitrate,
    fps), signed by @private_key; the caller adds its capabilities"""
    seg = pb.SegData(manifestId=manifest, seq=seq, hash=keccak256(body),
                     profiles=b"invalid", duration=duration_ms)
    seg.auth_token.CopyFrom(auth_token)
    for name, width, height, bitrate, fps in profiles:
        seg.fullProfiles.add(name=name, width=width, height=height,
                             bitrate=bitrate, fps=fps)
    sign_segment(private_key, seg)
    return seg


def b64(message):
    data = message if isinstance(message, bytes) else \
        message.SerializeToString()
    return base64.b64encode(data).decode()


def segment_headers(seg, pay):
    headers = {"Content-Type": "video/MP2T"}
    if seg is not None:
        headers["Livepeer-Segment"] = b64(seg)
    if pay is not None:
        headers["Livepeer-Payment"] = b64(pay)
    return headers


# ---------------------------------------------------------------------------
# HTTP/1.1, the segment and its renditions

def post(port, path, headers, body=b""):
    """(status, body, seconds) of a plain HTTP/1.1 POST"""
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path),
                                     data=body, method="POST",
                                     headers=headers)
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read(), time.monotonic() - start
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - start


def fetch(url, timeout):
    """(status, Content-Type, body) of a GET"""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, answer.headers.get("Content-Type"), \
                answer.read()
    except urllib.error.HTTPError as error:
        return error.code, None, error.read()


def make_segment(work_dir, size, frames):
    """(path, bytes) of an H.264 MPEG-TS segment of @frames at 30 fps made
    by gst-launch-1.0"""
    path = os.path.join(work_dir, "segment.ts")
    subprocess.run(["gst-launch-1.0", "-q", "videotestsrc",
                    "num-buffers=%d" % frames, "!",
                    "video/x-raw,width=%d,height=%d,framerate=30/1" % size,
                    "!", "x264enc", "speed-preset=ultrafast", "key-int-max=30",
                    "bframes=0", "!", "h264parse", "!", "mpegtsmux", "!",
                    "filesink", "location=" + path], check=True,
                   capture_output=True)
    with open(path, "rb") as f:
        return path, f.read()


def probe(path):
    """codec, width, height and frame count of a video, by ffprobe"""
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0",
                          "-count_frames", "-show_entries",
                          "stream=codec_name,width,height,nb_read_frames",
                          "-of", "json", path], capture_output=True, text=True)
    streams = json.loads(out.stdout or "{}").get("streams", [])
    return streams[0] if streams else {}

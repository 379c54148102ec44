# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The Python side of tests/lib/python-peer.sh, shared by the scripts it
# runs (tests/check/elements/lporchestrator-grpc*.py,
# tests/check/libs/grpc-interop.py): their arguments (the program under
# test, the --pb-dir of the generated lp_rpc_pb2 put on sys.path, the
# --work-dir), the ok/FAIL lines of their checks and the exit status that
# sums them up. Standard library and python3-grpcio only, so that a peer
# needing nothing else can import it.

import argparse
import sys

import grpc

failures = []


def parse_args(program_option):
    """--PROGRAM PATH --pb-dir DIR --work-dir DIR, as lp_python_peer_run
    passes them; the generated lp_rpc_pb2 becomes importable"""
    parser = argparse.ArgumentParser()
    parser.add_argument(program_option, required=True)
    parser.add_argument("--pb-dir", required=True)
    parser.add_argument("--work-dir", required=True)
    args = parser.parse_args()
    sys.path.insert(0, args.pb_dir)
    return args


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def rpc_error(function):
    """the grpc.RpcError @function raises, or None"""
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


def finish(passed="all checks passed", failed="%d check(s) failed"):
    """exits 0 with @passed when every check held, else 1 with the list"""
    if failures:
        print((failed + ":\n  %s") % (len(failures), "\n  ".join(failures)))
        sys.exit(1)
    print(passed)

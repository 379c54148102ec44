#!/usr/bin/python3
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A one-stream RTSP server for the pipelines/scripts test (gst-rtsp-server
through PyGObject): serves rtsp://127.0.0.1:PORT/test from a gst-launch
description whose payloader is named pay0, until killed.

  rtsp-server.py PORT 'videotestsrc ... ! rtph264pay name=pay0 pt=96'

Exit status 77 (skip) when GstRtspServer is not installed (Debian:
python3-gi, gir1.2-gst-rtsp-server-1.0).
"""
import sys

try:
    import gi
    gi.require_version('Gst', '1.0')
    gi.require_version('GstRtspServer', '1.0')
    from gi.repository import GLib, Gst, GstRtspServer
except (ImportError, ValueError) as e:
    print(f'rtsp-server: GstRtspServer is not available: {e}', file=sys.stderr)
    sys.exit(77)


def main():
    port, launch = sys.argv[1], sys.argv[2]
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address('127.0.0.1')
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(f'( {launch} )')
    factory.set_shared(True)
    server.get_mount_points().add_factory('/test', factory)
    if server.attach(None) == 0:
        print(f'rtsp-server: cannot listen on port {port}', file=sys.stderr)
        return 1
    print(f'rtsp-server: serving rtsp://127.0.0.1:{port}/test', flush=True)
    GLib.MainLoop().run()
    return 0


if __name__ == '__main__':
    sys.exit(main())

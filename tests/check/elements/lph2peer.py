# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# An HTTP/2 client for the tests, on Debian's python3-h2 (hyper-h2: the
# framing, HPACK and flow control are its, not ours) over a socket of
# Python's ssl module: TLS with ALPN "h2" and no certificate check, as
# go-livepeer's broadcaster connects to an https:// orchestrator, or
# cleartext h2c with prior knowledge. One connection, any number of
# streams driven by hand, so a test can hold a request half-sent, open
# several at once, and see resets and their error codes.

import socket
import ssl
import time

import h2.config
import h2.connection
import h2.events
import h2.exceptions


class Stream:
    """what came back on one stream"""

    def __init__(self, stream_id):
        self.id = stream_id
        self.status = None
        self.headers = {}
        self.data = bytearray()
        self.ended = False
        self.reset = None          # the error code of an RST_STREAM
        self.started = time.monotonic()
        self.headers_at = None     # seconds from the request to the headers
        self.ended_at = None
        self.unsent = b""          # body still to send (flow control)
        self.end_after = True      # END_STREAM once unsent is out

    @property
    def done(self):
        return self.ended or self.reset is not None


class H2Peer:
    def __init__(self, port, tls=True, timeout=10):
        self.authority = "127.0.0.1:%d" % port
        self.scheme = "https" if tls else "http"
        sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        # as Go's net package (go-livepeer's broadcaster) does
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.alpn = None
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            context.set_alpn_protocols(["h2"])
            sock = context.wrap_socket(sock, server_hostname="127.0.0.1")
            self.alpn = sock.selected_alpn_protocol()
        self.sock = sock
        self.h2 = h2.connection.H2Connection(config=h2.config.H2Configuration(
            client_side=True, header_encoding="utf-8"))
        self.h2.initiate_connection()
        self.streams = {}
        self.closed = False            # GOAWAY received or the socket ended
        self.flush()

    def close(self):
        try:
            self.h2.close_connection()
            self.flush()
        except (OSError, h2.exceptions.ProtocolError):
            pass
        self.sock.close()

    def flush(self):
        data = self.h2.data_to_send()
        if data:
            self.sock.sendall(data)

    def start(self, method, path, headers=None, body=b"", length=None,
              send_body=True):
        """opens a stream; @length: the content-length to declare (None:
        the body's, False: none); @send_body False holds the body back
        (the stream stays open)"""
        stream_id = self.h2.get_next_available_stream_id()
        fields = [(":method", method), (":path", path),
                  (":scheme", self.scheme), (":authority", self.authority)]
        fields += [(k.lower(), v) for k, v in (headers or {}).items()]
        if length is None and body:
            length = len(body)
        if length is not False and length is not None:
            fields.append(("content-length", str(length)))
        stream = Stream(stream_id)
        self.streams[stream_id] = stream
        self.h2.send_headers(stream_id, fields,
                             end_stream=send_body and not body)
        if send_body and body:
            stream.unsent = bytes(body)
        self._send_bodies()
        self.flush()
        return stream

    def send_more(self, stream, data, end=False):
        stream.unsent += data
        stream.end_after = end
        self._send_bodies()
        self.flush()

    def cancel(self, stream):
        self.h2.reset_stream(stream.id, error_code=8)      # CANCEL
        self.flush()

    def _send_bodies(self):
        for stream in self.streams.values():
            while stream.unsent and not stream.done:
                window = min(self.h2.local_flow_control_window(stream.id),
                             self.h2.max_outbound_frame_size)
                if window <= 0:
                    break
                chunk, stream.unsent = stream.unsent[:window], \
                    stream.unsent[window:]
                self.h2.send_data(stream.id, chunk, end_stream=(
                    not stream.unsent and stream.end_after))

    def pump(self, until, timeout=10.0):
        """reads and answers frames until @until() or @timeout; True when
        @until() holds"""
        deadline = time.monotonic() + timeout
        while not until():
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                return until()
            self.sock.settimeout(min(left, 0.5))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except (ConnectionResetError, ssl.SSLError, OSError):
                data = b""
            if not data:
                self.closed = True
                continue
            for event in self.h2.receive_data(data):
                self._on_event(event)
            self._send_bodies()
            self.flush()
        return True

    def _on_event(self, event):
        stream = self.streams.get(getattr(event, "stream_id", None))
        now = time.monotonic()
        if isinstance(event, h2.events.ResponseReceived) and stream:
            stream.headers = dict(event.headers)
            stream.status = int(stream.headers.get(":status", 0))
            stream.headers_at = now - stream.started
        elif isinstance(event, h2.events.DataReceived):
            if stream:
                stream.data += event.data
            self.h2.acknowledge_received_data(event.flow_controlled_length,
                                              event.stream_id)
        elif isinstance(event, h2.events.StreamEnded) and stream:
            stream.ended = True
            stream.ended_at = now - stream.started
        elif isinstance(event, h2.events.StreamReset) and stream:
            stream.reset = event.error_code
            stream.ended_at = now - stream.started
        elif isinstance(event, h2.events.ConnectionTerminated):
            self.closed = True

    def request(self, method, path, headers=None, body=b"", timeout=30.0):
        """a whole request: its Stream once the answer ended (or was
        reset, or the time ran out)"""
        stream = self.start(method, path, headers, body)
        self.pump(lambda: stream.done, timeout)
        return stream


def fetch(url, timeout=10.0):
    """(status, body) of GET @url over HTTP/2 on a fresh connection (TLS
    for https://, h2c for http://)"""
    scheme, rest = url.split("://", 1)
    hostport, _, path = rest.partition("/")
    peer = H2Peer(int(hostport.rsplit(":", 1)[1]), tls=scheme == "https")
    try:
        stream = peer.request("GET", "/" + path, timeout=timeout)
        return stream.status or 0, bytes(stream.data)
    finally:
        peer.close()

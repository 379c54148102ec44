/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:lpmpegts
 * @title: MPEG-TS timestamps
 * @short_description: a segment's video span, and moving its time line
 *
 * The orchestrator's transcode pipeline times each segment from zero, so a
 * muxer restarts every rendition at the same PTS. A player that switches
 * variants by timestamp needs segment N of every variant to start where
 * the source's segment N starts. lp_mpegts_align() moves a rendition's
 * time line there after muxing: every PTS and DTS of every PES header and
 * every PCR and OPCR of every adaptation field is moved by the same
 * number of 90 kHz ticks, modulo 2^33, so audio stays in sync with video
 * and the PCR stays ahead of the DTS as the muxer set it.
 *
 * Packet sizes 188, 192 (M2TS, a 4-byte prefix), 204 and 208 (parity
 * after the packet) are found from the sync bytes. Fields that do not fit
 * in their packet are left as they are.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpmpegts.h"

#include <string.h>

#define TS_PACKET 188
#define TS_SYNC_BYTE 0x47
/* packets that must start with the sync byte, in a row, for bytes to be
 * taken for MPEG-TS at some offset and packet size (fewer when short) */
#define TS_SYNC_PACKETS 4

static const gsize packet_sizes[] = { 188, 192, 204, 208 };

/**
 * lp_mpegts_probe:
 * @data: bytes
 * @size: their length
 * @offset: (out) (optional): where the first packet's sync byte is
 * @packet_size: (out) (optional): the distance between sync bytes
 *
 * Whether @data looks like MPEG-TS: for one of the packet sizes, at some
 * offset within the first packet, 4 packets in a row (or all that fit)
 * start with the sync byte 0x47.
 *
 * Returns: %TRUE when it does
 */
gboolean
lp_mpegts_probe (const guint8 * data, gsize size, gsize * offset,
    gsize * packet_size)
{
  guint i;
  gsize at;

  for (i = 0; i < G_N_ELEMENTS (packet_sizes); i++) {
    gsize packet = packet_sizes[i];

    for (at = 0; at < packet && at + TS_PACKET <= size; at++) {
      gsize n, fit = MIN (TS_SYNC_PACKETS, (size - at + packet - TS_PACKET) /
          packet);

      for (n = 0; n < fit && data[at + n * packet] == TS_SYNC_BYTE; n++);
      if (fit > 0 && n == fit) {
        if (offset)
          *offset = at;
        if (packet_size)
          *packet_size = packet;
        return TRUE;
      }
    }
  }
  return FALSE;
}

/**
 * lp_mpegts_diff:
 * @a: a 33-bit timestamp
 * @b: another
 *
 * Returns: @a - @b in ticks, taking the shorter way round the 33-bit
 *     circle (so a wrap between them does not count)
 */
gint64
lp_mpegts_diff (guint64 a, guint64 b)
{
  guint64 d = (a - b) & LP_MPEGTS_TIMESTAMP_MASK;

  return d > (LP_MPEGTS_TIMESTAMP_MASK >> 1) ?
      (gint64) d - (gint64) (LP_MPEGTS_TIMESTAMP_MASK + 1) : (gint64) d;
}

/* A PES timestamp: 4 bits of prefix, then 33 bits in 3 parts, each
 * followed by a marker bit. */
static guint64
read_timestamp (const guint8 * p)
{
  return ((guint64) (p[0] >> 1) & 0x07) << 30 | (guint64) p[1] << 22 |
      (guint64) (p[2] >> 1) << 15 | (guint64) p[3] << 7 | p[4] >> 1;
}

static void
write_timestamp (guint8 * p, guint64 t)
{
  p[0] = (p[0] & 0xf1) | ((t >> 29) & 0x0e);
  p[1] = (t >> 22) & 0xff;
  p[2] = ((t >> 14) & 0xfe) | 0x01;
  p[3] = (t >> 7) & 0xff;
  p[4] = ((t << 1) & 0xfe) | 0x01;
}

/* A program clock reference: a 33-bit base at 90 kHz, 6 reserved bits and
 * a 9-bit 27 MHz extension. Only the base moves. */
static void
shift_clock_reference (guint8 * p, gint64 ticks)
{
  guint64 base = (guint64) p[0] << 25 | (guint64) p[1] << 17 |
      (guint64) p[2] << 9 | (guint64) p[3] << 1 | p[4] >> 7;

  base = (base + ticks) & LP_MPEGTS_TIMESTAMP_MASK;
  p[0] = base >> 25;
  p[1] = (base >> 17) & 0xff;
  p[2] = (base >> 9) & 0xff;
  p[3] = (base >> 1) & 0xff;
  p[4] = (p[4] & 0x7f) | ((base & 1) << 7);
}

/* What one 188-byte packet holds, as far as timestamps go. */
typedef struct
{
  guint pid;
  guint8 *clock_refs[2];        /* PCR, OPCR: NULL when absent */
  guint8 *pes;                  /* a PES header start, or NULL */
  gsize pes_room;               /* bytes of the packet from @pes on */
} Packet;

static gboolean
parse_packet (guint8 * p, Packet * packet)
{
  guint control = (p[3] >> 4) & 0x03;
  gsize pos = 4;

  memset (packet, 0, sizeof (*packet));
  if (p[0] != TS_SYNC_BYTE)
    return FALSE;
  packet->pid = ((p[1] & 0x1f) << 8) | p[2];
  if (control & 0x02) {
    gsize length = p[pos];

    if (pos + 1 + length > TS_PACKET)
      return FALSE;
    if (length >= 7 && (p[pos + 1] & 0x10))
      packet->clock_refs[0] = p + pos + 2;
    if (length >= ((p[pos + 1] & 0x10) ? 13 : 7) && (p[pos + 1] & 0x08))
      packet->clock_refs[1] = p + pos + 2 + ((p[pos + 1] & 0x10) ? 6 : 0);
    pos += 1 + length;
  }
  /* a PES packet starts here: payload_unit_start and the start code
   * (a PSI section starts with a pointer field and a table id instead) */
  if ((control & 0x01) && (p[1] & 0x40) && pos + 9 <= TS_PACKET
      && p[pos] == 0 && p[pos + 1] == 0 && p[pos + 2] == 1) {
    packet->pes = p + pos;
    packet->pes_room = TS_PACKET - pos;
  }
  return TRUE;
}

/* Stream ids whose PES packets have no optional header (and so no
 * timestamps): program stream map, padding, private 2, ECM, EMM,
 * directory, DSMCC, H.222.1 type E. */
static gboolean
pes_has_header (guint8 stream_id)
{
  switch (stream_id) {
    case 0xbc:
    case 0xbe:
    case 0xbf:
    case 0xf0:
    case 0xf1:
    case 0xf2:
    case 0xf8:
    case 0xff:
      return FALSE;
    default:
      return TRUE;
  }
}

/* Where the PTS and DTS of a PES header are (NULL when absent). */
static void
pes_timestamps (const Packet * packet, guint8 ** pts, guint8 ** dts)
{
  guint8 *pes = packet->pes;
  guint flags;

  *pts = *dts = NULL;
  if (pes == NULL || !pes_has_header (pes[3]) || (pes[6] & 0xc0) != 0x80)
    return;
  flags = pes[7] >> 6;
  if ((flags & 0x02) && packet->pes_room >= 9 + 5)
    *pts = pes + 9;
  if (flags == 0x03 && packet->pes_room >= 9 + 10)
    *dts = pes + 14;
}

static gboolean
is_video_stream (guint8 stream_id)
{
  return (stream_id & 0xf0) == 0xe0;
}

/**
 * lp_mpegts_video_span:
 * @data: MPEG-TS bytes
 * @size: their length
 * @span: (out caller-allocates): the first video stream's span
 *
 * The presentation span of the first video stream (the first PID whose
 * PES packets carry stream id 0xE0-0xEF), read from its PES headers.
 *
 * Returns: %TRUE when @data is MPEG-TS with at least one video PTS
 */
static gint
compare_ticks (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The PTS of the first video stream, relative to the first one met (so
 * that a wrap inside the segment changes nothing), in a sorted array. */
static GArray *
video_timestamps (const guint8 * data, gsize size, guint64 * first)
{
  GArray *stamps = g_array_new (FALSE, FALSE, sizeof (gint64));
  gsize offset, stride, at;
  gint video_pid = -1;

  if (data == NULL || !lp_mpegts_probe (data, size, &offset, &stride))
    return stamps;
  for (at = offset; at + TS_PACKET <= size; at += stride) {
    Packet packet;
    guint8 *pts, *dts;
    gint64 rel;

    /* parsing only reads; the cast lets one parser serve both uses */
    if (!parse_packet ((guint8 *) data + at, &packet) || packet.pes == NULL
        || (video_pid >= 0 && (gint) packet.pid != video_pid)
        || (video_pid < 0 && !is_video_stream (packet.pes[3])))
      continue;
    pes_timestamps (&packet, &pts, &dts);
    if (pts == NULL)
      continue;
    video_pid = packet.pid;
    if (stamps->len == 0)
      *first = read_timestamp (pts);
    rel = lp_mpegts_diff (read_timestamp (pts), *first);
    g_array_append_val (stamps, rel);
  }
  g_array_sort (stamps, compare_ticks);
  return stamps;
}

/**
 * lp_mpegts_video_span:
 * @data: MPEG-TS bytes
 * @size: their length
 * @span: (out caller-allocates): the first video stream's span
 *
 * The presentation span of the first video stream (the first PID whose
 * PES packets carry stream id 0xE0-0xEF), read from its PES headers.
 *
 * Returns: %TRUE when @data is MPEG-TS with at least one video PTS
 */
gboolean
lp_mpegts_video_span (const guint8 * data, gsize size, LpMpegtsSpan * span)
{
  guint64 first = 0;
  GArray *stamps;
  gint64 low, high, step = 0;
  guint i;

  g_return_val_if_fail (span != NULL, FALSE);
  memset (span, 0, sizeof (*span));
  stamps = video_timestamps (data, size, &first);
  if (stamps->len == 0) {
    g_array_unref (stamps);
    return FALSE;
  }
  low = g_array_index (stamps, gint64, 0);
  high = g_array_index (stamps, gint64, stamps->len - 1);
  /* one frame: the smallest step between two presentation times */
  for (i = 1; i < stamps->len; i++) {
    gint64 d = g_array_index (stamps, gint64, i) -
        g_array_index (stamps, gint64, i - 1);

    if (d > 0 && (step == 0 || d < step))
      step = d;
  }
  span->start = (first + low) & LP_MPEGTS_TIMESTAMP_MASK;
  span->end = (first + high + step) & LP_MPEGTS_TIMESTAMP_MASK;
  span->frames = stamps->len;
  g_array_unref (stamps);
  return TRUE;
}

/**
 * lp_mpegts_shift:
 * @data: MPEG-TS bytes, changed in place
 * @size: their length
 * @ticks: how far to move them, 90 kHz ticks (negative: earlier)
 *
 * Moves every PTS, DTS, PCR base and OPCR base by @ticks, modulo 2^33.
 *
 * Returns: how many timestamps were moved
 */
guint
lp_mpegts_shift (guint8 * data, gsize size, gint64 ticks)
{
  gsize offset, stride, at;
  guint moved = 0, i;

  if (data == NULL || !lp_mpegts_probe (data, size, &offset, &stride))
    return 0;
  for (at = offset; at + TS_PACKET <= size; at += stride) {
    Packet packet;
    guint8 *stamps[2];

    if (!parse_packet (data + at, &packet))
      continue;
    for (i = 0; i < 2; i++) {
      if (packet.clock_refs[i] != NULL) {
        shift_clock_reference (packet.clock_refs[i], ticks);
        moved++;
      }
    }
    pes_timestamps (&packet, &stamps[0], &stamps[1]);
    for (i = 0; i < 2; i++) {
      if (stamps[i] != NULL) {
        write_timestamp (stamps[i], (read_timestamp (stamps[i]) + ticks) &
            LP_MPEGTS_TIMESTAMP_MASK);
        moved++;
      }
    }
  }
  return moved;
}

/**
 * lp_mpegts_align:
 * @segment: (transfer none): an MPEG-TS segment with video
 * @start: where its video should start, 90 kHz ticks (33 bits)
 *
 * A copy of @segment whose time line is moved so that its video starts at
 * @start, every stream by the same amount.
 *
 * Returns: (transfer full): the moved copy; @segment itself (a new
 *     reference) when it starts there already or has no video PTS
 */
GBytes *
lp_mpegts_align (GBytes * segment, guint64 start)
{
  LpMpegtsSpan span;
  gsize size;
  const guint8 *data = g_bytes_get_data (segment, &size);
  guint8 *copy;
  gint64 ticks;

  g_return_val_if_fail (segment != NULL, NULL);

  if (!lp_mpegts_video_span (data, size, &span))
    return g_bytes_ref (segment);
  ticks = lp_mpegts_diff (start & LP_MPEGTS_TIMESTAMP_MASK, span.start);
  if (ticks == 0)
    return g_bytes_ref (segment);
  copy = g_memdup2 (data, size);
  lp_mpegts_shift (copy, size, ticks);
  return g_bytes_new_take (copy, size);
}

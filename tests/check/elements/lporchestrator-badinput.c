/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lporchestrator against bad input: one test per kind of bad request (the
 * status and reason of the element's SECTION doc), each checking that
 * nothing was credited or changed (the `stats` counters, the redemption
 * queue, the broadcaster's deposit and reserve, a ledger audit, the
 * session's credit and unspent nonces) and that the server still serves
 * a good segment afterwards; and a storm of garbage requests. The
 * requests are go-livepeer's (gRPC discovery, base64-of-protobuf headers);
 * our former JSON dialect's are refused as go-livepeer refuses them.
 *
 * Every test runs the orchestrator at a price of 1 wei per pixel with
 * max-face-value = ticket-ev: a ticket's face value is then its EV and
 * its winning probability 1, so every ticket that gets through the
 * recipient is queued for redemption, and the queue shows exactly what
 * was accepted.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

#include <gst/livepeer/lph2client.h>
#include <gst/livepeer/lpwire-proto.h>

#define PROFILE "P144p30fps16x9"
#define PROFILE_WIDTH 256
#define PROFILE_HEIGHT 144
#define OTHER_PROFILE "P240p30fps16x9"
/* a ticket pays for one good segment (1 s of PROFILE: 1 105 920 pixels
 * at 1 wei) and a half: the credit it leaves does not pay for another */
#define TICKET_EV G_GUINT64_CONSTANT (1658880)
#define MESSAGE_TIMEOUT (20 * GST_SECOND)

/* the properties every test runs with, then the test's own (NULL-ended) */
#define start_orchestrator(net, ...) \
  lp_test_net_start ((net), "price-per-unit", (guint64) 1, \
      "ticket-ev", (guint64) TICKET_EV, \
      "max-face-value", (guint64) TICKET_EV, \
      "max-pixel-rate", (guint64) 4000000, \
      "max-segment-duration", 1000, \
      "profiles-allowed", PROFILE, __VA_ARGS__)

typedef struct
{
  LpTestNet *net;
  GBytes *segment;              /* a good segment: 320x180, 30 frames */
} Fixture;

/* A good segment, then (when @max_segment_size_is_segment) an orchestrator
 * whose max-segment-size is that segment's size (at least the 1024 the
 * property allows). */
static Fixture *
fixture_new (gboolean max_segment_size_is_segment)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->segment = lp_test_make_segment (320, 180, 30, 30);
  f->net = lp_test_net_new ("1000000000000000000", "1000000000000000000");
  if (max_segment_size_is_segment)
    start_orchestrator (f->net, "max-segment-size",
        (guint64) MAX (g_bytes_get_size (f->segment), 1024), NULL);
  else
    start_orchestrator (f->net, NULL);
  return f;
}

static void
fixture_free (Fixture * f)
{
  lp_test_net_free (f->net);
  g_bytes_unref (f->segment);
  g_free (f);
}

/* ------------------------------------------------------------------------ */
/* requests                                                                 */
/* ------------------------------------------------------------------------ */

/* @status is @expected and @reason contains @what (case-insensitively). */
#define assert_refused(status, expected, reason, what) G_STMT_START { \
  gchar *_r = g_ascii_strdown ((reason), -1); \
  gchar *_w = g_ascii_strdown ((what), -1); \
  fail_unless ((guint) (status) == (guint) (expected), \
      "status %u, expected %u: %s", (guint) (status), (guint) (expected), \
      (reason)); \
  fail_unless (strstr (_r, _w) != NULL, \
      "status %u: reason '%s' does not name '%s'", (guint) (status), \
      (reason), (what)); \
  g_free (_r); \
  g_free (_w); \
} G_STMT_END

/* Any request: @method on @path with @body (chunked when asked: no
 * Content-Length) and the Livepeer headers that are not NULL. Returns the
 * status, or 0 when @may_fail and the exchange failed (the connection
 * closed); sets @reason to the body as text, and @headers and @response
 * when asked. */
static guint
request_full (Fixture * f, const gchar * method, const gchar * path,
    const gchar * content_type, GBytes * body, gboolean chunked,
    const gchar * segment_header, const gchar * payment_header,
    gboolean may_fail, gchar ** reason, SoupMessageHeaders ** headers,
    GBytes ** response)
{
  gchar *uri = g_strdup_printf ("http://127.0.0.1:%u%s", f->net->port, path);
  SoupMessage *msg = soup_message_new (method, uri);
  SoupMessageHeaders *req;
  GError *error = NULL;
  GBytes *out;
  guint status;

  fail_unless (msg != NULL, "%s", uri);
  req = soup_message_get_request_headers (msg);
  if (body != NULL && chunked) {
    GInputStream *stream = g_memory_input_stream_new_from_bytes (body);

    soup_message_set_request_body (msg, content_type, stream, -1);
    g_object_unref (stream);
  } else if (body != NULL) {
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  }
  if (segment_header != NULL)
    soup_message_headers_replace (req, "Livepeer-Segment", segment_header);
  if (payment_header != NULL)
    soup_message_headers_replace (req, "Livepeer-Payment", payment_header);
  out = soup_session_send_and_read (f->net->http, msg, NULL, &error);
  if (out == NULL && may_fail) {
    GST_INFO ("%s %s: %s", method, uri, error->message);
    if (reason != NULL)
      *reason = g_strdup (error->message);
    g_error_free (error);
    g_object_unref (msg);
    g_free (uri);
    return 0;
  }
  fail_unless (out != NULL, "%s %s: %s", method, uri,
      error ? error->message : "");
  status = soup_message_get_status (msg);
  if (chunked && body != NULL)
    fail_unless_equals_int (soup_message_headers_get_encoding (req),
        SOUP_ENCODING_CHUNKED);
  if (reason != NULL)
    *reason = lp_test_text (out);
  if (headers != NULL)
    *headers = soup_message_headers_ref (soup_message_get_response_headers
        (msg));
  if (response != NULL)
    *response = out;
  else
    g_bytes_unref (out);
  g_object_unref (msg);
  g_free (uri);
  return status;
}

static guint
request (Fixture * f, const gchar * method, const gchar * path,
    const gchar * content_type, GBytes * body, gboolean chunked,
    const gchar * segment_header, const gchar * payment_header,
    gchar ** reason, SoupMessageHeaders ** headers, GBytes ** response)
{
  return request_full (f, method, path, content_type, body, chunked,
      segment_header, payment_header, FALSE, reason, headers, response);
}

/* A header over LP_WIRE_MAX_HEADER_SIZE (valid base64 all the same) makes
 * a header block over the server's limit (LP_SERVER_MAX_HEADER_SIZE,
 * under libsoup 3.2's 64 KiB): 431 naming it, before libsoup or the
 * element sees the rest. The oversized header is Livepeer-Segment with
 * @segment_oversized, else Livepeer-Payment; @other is the other one. */
static void
assert_oversized_header_refused (Fixture * f, gboolean segment_oversized,
    const gchar * other)
{
  gchar *reason = NULL;
  gchar *big = g_strnfill (LP_WIRE_MAX_HEADER_SIZE + 4, 'A');
  guint status = request_full (f, SOUP_METHOD_POST, "/segment", "video/MP2T",
      f->segment, FALSE, segment_oversized ? big : other,
      segment_oversized ? other : big, TRUE, &reason, NULL, NULL);

  assert_refused (status, 431, reason, "header block is over");
  g_free (reason);
  g_free (big);
}

/* POST /segment as a broadcaster does (video/MP2T, Content-Length). */
static guint
post_segment (Fixture * f, GBytes * body, const gchar * segment_header,
    const gchar * payment_header, gchar ** reason)
{
  return request (f, SOUP_METHOD_POST, "/segment", "video/MP2T", body, FALSE,
      segment_header, payment_header, reason, NULL, NULL);
}


/* ------------------------------------------------------------------------ */
/* credentials and payments, with room to spoil them                       */
/* ------------------------------------------------------------------------ */

/* Signed segment credentials for @body under @info's auth token, asking
 * for @profile (NULL: nothing). */
static LpSegData *
seg_new (const LpOrchestratorInfo * info, LpPrivateKey * key, guint64 seq,
    GBytes * body, const gchar * profile)
{
  LpSegData *seg = lp_seg_data_new ();
  gsize size;
  const guint8 *data = g_bytes_get_data (body, &size);

  seg->manifest_id = g_strdup ("lp-test-stream");
  seg->seq = seq;
  lp_keccak256 (data, size, seg->hash);
  seg->duration_ms = 1000;
  if (profile != NULL) {
    const LpProfile *preset = lp_profile_get_preset (profile);

    fail_unless (preset != NULL, "%s", profile);
    g_ptr_array_add (seg->profiles, lp_profile_copy (preset));
  }
  seg->auth_token = info->auth_token;
  fail_unless (lp_seg_data_sign (seg, key, NULL));
  return seg;
}

static gchar *
seg_header (const LpOrchestratorInfo * info, LpPrivateKey * key, guint64 seq,
    GBytes * body)
{
  LpSegData *seg = seg_new (info, key, seq, body, PROFILE);
  gchar *header = lp_test_seg_data_to_header (seg, 0, NULL);

  lp_seg_data_free (seg);
  return header;
}

/* An unsigned payment of the tickets @first .. @first + @n - 1 under
 * @info's parameters, from @sender. */
static LpPayment *
payment_new (const LpOrchestratorInfo * info, const LpAddress * sender,
    guint32 first, guint n)
{
  LpPayment *payment = lp_payment_new ();
  guint i;

  fail_unless (info->has_ticket_params);
  payment->has_ticket_params = TRUE;
  payment->ticket_params = info->ticket_params;
  payment->expiration_params = info->ticket_params.expiration_params;
  memset (&payment->ticket_params.expiration_params, 0,
      sizeof (LpExpirationParams));
  payment->sender = *sender;
  payment->expected_price = info->price_info;
  for (i = 0; i < n; i++) {
    LpTicketSenderParams tsp = { 0, };

    tsp.sender_nonce = first + i;
    g_array_append_val (payment->tickets, tsp);
  }
  return payment;
}

/* Signs every ticket of @payment with @key; the Livepeer-Payment value
 * (base64 of go-livepeer's Payment). */
static gchar *
payment_sign (LpPayment * payment, LpPrivateKey * key)
{
  guint i;

  for (i = 0; i < payment->tickets->len; i++) {
    LpTicket ticket;

    lp_payment_get_ticket (payment, i, &ticket);
    fail_unless (lp_ticket_sign (&ticket, key, g_array_index
            (payment->tickets, LpTicketSenderParams, i).sig, NULL));
  }
  return lp_wire_payment_to_proto_header (payment);
}

static gchar *
base64 (const gchar * text)
{
  return g_base64_encode ((const guchar *) text, strlen (text));
}

/* base64 of protobuf that ends inside a field: field 1, 64 bytes long,
 * with 3 of them */
static gchar *
truncated_protobuf (void)
{
  static const guchar bytes[] = { 0x0a, 0x40, 'a', 'b', 'c' };

  return g_base64_encode (bytes, sizeof (bytes));
}

/* A text of @n copies of @c. */
static gchar *
repeated (gchar c, gsize n)
{
  gchar *text = g_malloc (n + 1);

  memset (text, c, n);
  text[n] = '\0';
  return text;
}


/* ------------------------------------------------------------------------ */
/* what must not change                                                     */
/* ------------------------------------------------------------------------ */

typedef struct
{
  GstStructure *stats;
  guint queued;                 /* tickets in the redemption queue */
  LpSenderInfo sender;          /* the broadcaster's */
} Snapshot;

static Snapshot *
snapshot_new (Fixture * f)
{
  Snapshot *s = g_new0 (Snapshot, 1);
  GError *error = NULL;
  GArray *queued;

  g_object_get (f->net->orchestrator, "stats", &s->stats, NULL);
  fail_unless (s->stats != NULL);
  queued = lp_ledger_list_queued_tickets (f->net->ledger,
      lp_private_key_get_address (f->net->orch), &error);
  fail_unless (queued != NULL, "%s", error ? error->message : "");
  s->queued = queued->len;
  g_array_unref (queued);
  fail_unless (lp_ledger_get_sender_info (f->net->ledger,
          lp_private_key_get_address (f->net->bcast), &s->sender, &error),
      "%s", error ? error->message : "");
  return s;
}

static void
snapshot_free (Snapshot * s)
{
  gst_structure_free (s->stats);
  g_free (s);
}

static guint64
stat_of (const Snapshot * s, const gchar * name)
{
  const GValue *v = gst_structure_get_value (s->stats, name);

  fail_unless (v != NULL, "no %s in %" GST_PTR_FORMAT, name, s->stats);
  if (G_VALUE_HOLDS_UINT (v))
    return g_value_get_uint (v);
  fail_unless (G_VALUE_HOLDS_UINT64 (v), "%s", name);
  return g_value_get_uint64 (v);
}

static guint64
current_stat (Fixture * f, const gchar * name)
{
  Snapshot *s = snapshot_new (f);
  guint64 value = stat_of (s, name);

  snapshot_free (s);
  return value;
}

typedef struct
{
  const Snapshot *other;
  const gchar *const *except;
  const gchar *what;
} CompareData;

static gboolean
compare_field (GQuark field, const GValue * value, gpointer user_data)
{
  CompareData *d = user_data;
  const gchar *name = g_quark_to_string (field);
  const GValue *other = gst_structure_id_get_value (d->other->stats, field);
  gchar *a, *b;

  /* the ledger worker's own business, whatever the requests */
  if (g_str_has_prefix (name, "rewards"))
    return TRUE;
  if (d->except != NULL && g_strv_contains (d->except, name))
    return TRUE;
  fail_unless (other != NULL, "%s: %s missing", d->what, name);
  a = gst_value_serialize (value);
  b = gst_value_serialize (other);
  fail_unless (g_strcmp0 (a, b) == 0, "%s: stats %s changed from %s to %s",
      d->what, name, a, b);
  g_free (a);
  g_free (b);
  return TRUE;
}

/* The stats of @a and @b are the same but those named in @except. */
static void
assert_same_stats (const Snapshot * a, const Snapshot * b,
    const gchar * const *except, const gchar * what)
{
  CompareData d = { b, except, what };

  gst_structure_foreach (a->stats, compare_field, &d);
}

static void
assert_audit (Fixture * f)
{
  GString *report = g_string_new (NULL);
  GError *error = NULL;
  gboolean ok = lp_ledger_audit (f->net->ledger, report, &error);

  fail_unless (ok, "ledger audit: %s%s", report->str,
      error ? error->message : "");
  g_string_free (report, TRUE);
}

/* Nothing changed since @before but the stats named in @except (NULL or a
 * NULL-terminated list) and @queued more tickets in the redemption queue:
 * the other counters, the broadcaster's deposit and reserve; and the
 * ledger audit passes. */
static void
assert_changes (Fixture * f, const Snapshot * before,
    const gchar * const *except, guint queued, const gchar * what)
{
  Snapshot *now = snapshot_new (f);

  assert_same_stats (before, now, except, what);
  fail_unless (now->queued == before->queued + queued,
      "%s: %u tickets queued, expected %u", what, now->queued,
      before->queued + queued);
  fail_unless (lp_uint256_equal (&now->sender.deposit, &before->sender.deposit),
      "%s: the deposit changed", what);
  fail_unless (lp_uint256_equal (&now->sender.reserve, &before->sender.reserve),
      "%s: the reserve changed", what);
  assert_audit (f);
  snapshot_free (now);
}

#define assert_unchanged(f, before, except, what) \
  assert_changes ((f), (before), (except), 0, (what))

static const gchar *const received[] = { "tickets-received", NULL };

/* POST /segment of @body with the two headers is refused with @status
 * and a reason that names @what, and nothing but @except changed
 * (assert_unchanged, for @label). */
static void
assert_post_refused (Fixture * f, const Snapshot * before,
    const gchar * const *except, GBytes * body, const gchar * segment_header,
    const gchar * payment_header, guint status, const gchar * what,
    const gchar * label)
{
  gchar *reason = NULL;
  guint got = post_segment (f, body, segment_header, payment_header, &reason);

  GST_INFO ("%s: %u %s", label, got, reason);
  assert_refused (got, status, reason, what);
  assert_unchanged (f, before, except, label);
  g_free (reason);
}

/* The same for a body sent @chunked or with a Content-Length */
static void
assert_body_refused (Fixture * f, const Snapshot * before, GBytes * body,
    gboolean chunked, const gchar * segment_header,
    const gchar * payment_header, guint status, const gchar * what,
    const gchar * label)
{
  gchar *reason = NULL;
  guint got = request (f, SOUP_METHOD_POST, "/segment", "video/MP2T", body,
      chunked, segment_header, payment_header, &reason, NULL, NULL);

  assert_refused (got, status, reason, what);
  assert_unchanged (f, before, NULL, label);
  g_free (reason);
}

/* assert_post_refused() of @f's segment under @seg's header, refused 403 */
static void
assert_seg_data_refused (Fixture * f, const Snapshot * before,
    const LpSegData * seg, const gchar * payment_header, const gchar * what,
    const gchar * label)
{
  gchar *header = lp_test_seg_data_to_header (seg, 0, NULL);

  assert_post_refused (f, before, NULL, f->segment, header, payment_header,
      403, what, label);
  g_free (header);
}

/* ------------------------------------------------------------------------ */
/* good segments                                                            */
/* ------------------------------------------------------------------------ */

/* @f's good segment in @info's session with @payment_header: 200 with one
 * rendition of PROFILE that decodes. */
static void
assert_accepted (Fixture * f, const LpOrchestratorInfo * info, guint64 seq,
    const gchar * payment_header)
{
  SoupMessageHeaders *headers = NULL;
  GBytes *response = NULL;
  gchar *segment_header = seg_header (info, f->net->bcast, seq, f->segment);
  gchar *reason;
  LpTestResult *r;
  guint status, frames;
  gint width, height;

  status = request (f, SOUP_METHOD_POST, "/segment", "video/MP2T", f->segment,
      FALSE, segment_header, payment_header, &reason, &headers, &response);
  fail_unless_equals_int_with_reason (status, 200, reason);
  r = lp_test_parse_result (headers, response);
  fail_unless (r->result->error == NULL, "%s", r->result->error);
  fail_unless_equals_int (r->result->seq, seq);
  fail_unless_equals_int (r->renditions->len, 1);
  fail_unless_equals_int (r->result->segments->len, 1);
  fail_unless_equals_string (g_ptr_array_index (r->names, 0), PROFILE);
  lp_test_decode (g_ptr_array_index (r->renditions, 0), &frames, &width,
      &height);
  fail_unless (frames > 0);
  fail_unless_equals_int (width, PROFILE_WIDTH);
  fail_unless_equals_int (height, PROFILE_HEIGHT);
  lp_test_result_free (r);
  soup_message_headers_unref (headers);
  g_bytes_unref (response);
  g_free (reason);
  g_free (segment_header);
}

/* A fresh discovery and a good segment paid by one ticket: 200 with a
 * rendition, and the counters move as they should (one more segment,
 * session and ticket won, one more ticket queued). */
static void
assert_good_segment (Fixture * f)
{
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *payment = lp_test_payment_header (info, f->net->bcast, 1, 1);
  Snapshot *before = snapshot_new (f), *after;

  assert_accepted (f, info, 0, payment);
  after = snapshot_new (f);
  fail_unless_equals_int (stat_of (after, "segments-ok"),
      stat_of (before, "segments-ok") + 1);
  fail_unless_equals_int (stat_of (after, "sessions-started"),
      stat_of (before, "sessions-started") + 1);
  fail_unless_equals_int (stat_of (after, "tickets-received"),
      stat_of (before, "tickets-received") + 1);
  fail_unless_equals_int (stat_of (after, "tickets-won"),
      stat_of (before, "tickets-won") + 1);
  fail_unless_equals_int (after->queued, before->queued + 1);
  assert_audit (f);
  snapshot_free (before);
  snapshot_free (after);
  g_free (payment);
  lp_orchestrator_info_free (info);
}

/* @info's session has no credit: the good segment with a payment without
 * tickets (the sender alone) is refused for its balance. */
static void
assert_no_credit (Fixture * f, const LpOrchestratorInfo * info, guint64 seq)
{
  gchar *segment_header = seg_header (info, f->net->bcast, seq, f->segment);
  gchar *sender = lp_test_sender_header (f->net->bcast);
  gchar *reason = NULL;
  guint status;

  status = post_segment (f, f->segment, segment_header, sender, &reason);
  assert_refused (status, 400, reason, "insufficient");
  g_free (reason);
  g_free (sender);
  g_free (segment_header);
}

/* After refusals in @info's session: it was credited nothing, @payment
 * (still unspent) pays its segment 0 all the same, and a fresh session is
 * served as ever. */
static void
assert_nothing_taken (Fixture * f, const LpOrchestratorInfo * info,
    const gchar * payment)
{
  assert_no_credit (f, info, 0);
  assert_accepted (f, info, 0, payment);
  assert_good_segment (f);
}

/* A malformed header value, and what the refusal's reason must name */
typedef struct
{
  gchar *header;
  const gchar *what;
} HeaderCase;

/* large (base64 of 45000 zero bytes: field 0, which no message has),
 * under what libsoup lets in */
static HeaderCase
long_zeros_case (const gchar * what)
{
  HeaderCase c = { repeated ('A', 60000), what };

  return c;
}

/* our former JSON dialect's header: refused as go-livepeer refuses what
 * is not base64 of protobuf, saying so */
static HeaderCase
json_dialect_case (gchar * json)
{
  HeaderCase c = { base64 (json), "the JSON dialect is gone" };

  g_free (json);
  return c;
}

/* The end of a test of refusals in @info's session: they took nothing
 * (assert_nothing_taken, @payment still unspent). Frees all four. */
static void
finish_refusals (Fixture * f, LpOrchestratorInfo * info, gchar * payment,
    Snapshot * before)
{
  assert_nothing_taken (f, info, payment);
  snapshot_free (before);
  g_free (payment);
  lp_orchestrator_info_free (info);
  fixture_free (f);
}

/* ------------------------------------------------------------------------ */
/* 1. Livepeer-Payment unparsable: 402                                      */
/* ------------------------------------------------------------------------ */

/* go-livepeer's getPayment() refusals: not base64, not a Payment */
GST_START_TEST (test_payment_unparsable_is_402)
{
  Fixture *f = fixture_new (FALSE);
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *segment_header = seg_header (info, f->net->bcast, 0, f->segment);
  LpPayment *payment = payment_new (info,
      lp_private_key_get_address (f->net->bcast), 1, 1);
  gchar *good = payment_sign (payment, f->net->bcast);
  Snapshot *before = snapshot_new (f);
  HeaderCase cases[5];
  guint i;

  cases[0].header = g_strdup ("this is not base64!");
  cases[0].what = "base64 decode error";
  cases[1].header = truncated_protobuf ();
  cases[1].what = "protobuf unmarshal error";
  /* a sender that is no address */
  {
    LpProtoPayment *p = lp_wire_payment_to_proto (payment);
    GBytes *bytes;

    g_bytes_unref (p->sender);
    p->sender = g_bytes_new_static ("\\x12\\x34", 2);
    bytes = lp_proto_payment_encode (p);
    cases[2].header = g_base64_encode (g_bytes_get_data (bytes, NULL),
        g_bytes_get_size (bytes));
    cases[2].what = "sender";
    g_bytes_unref (bytes);
    lp_proto_payment_free (p);
  }
  cases[3] = long_zeros_case ("protobuf unmarshal error: field number 0");
  /* the same good payment, signed, in the former JSON dialect */
  cases[4] = json_dialect_case (lp_wire_payment_to_json (payment));

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    assert_post_refused (f, before, NULL, f->segment, segment_header,
        cases[i].header, 402, cases[i].what, "unparsable payment");
    g_free (cases[i].header);
  }
  /* over the 64 KiB a header may have */
  assert_oversized_header_refused (f, FALSE, segment_header);
  assert_unchanged (f, before, NULL, "oversized payment");
  lp_payment_free (payment);
  g_free (segment_header);
  /* nothing was credited and the payment's nonce is still unspent */
  finish_refusals (f, info, good, before);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 2. Livepeer-Segment missing or malformed: 403                            */
/* ------------------------------------------------------------------------ */

/* go-livepeer's verifySegCreds() refusals of the header itself: not
 * base64 (ErrorSegEncoding), not a SegData; an absent or empty one is an
 * empty SegData, whose missing signature fails */
GST_START_TEST (test_segment_header_malformed_is_403)
{
  Fixture *f = fixture_new (FALSE);
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *payment = lp_test_payment_header (info, f->net->bcast, 1, 1);
  LpSegData *seg = seg_new (info, f->net->bcast, 0, f->segment, PROFILE);
  Snapshot *before = snapshot_new (f);
  HeaderCase cases[6];
  guint i;

  cases[0].header = NULL;       /* no Livepeer-Segment at all */
  cases[0].what = "manifestId";
  cases[1].header = g_strdup ("*** not base64 ***");
  cases[1].what = "ErrorSegEncoding";
  cases[2].header = truncated_protobuf ();
  cases[2].what = "runs past the end";
  cases[3] = long_zeros_case ("field number 0");
  cases[4].header = g_strdup ("");
  cases[4].what = "manifestId";
  /* the same good segment, signed, in the former JSON dialect */
  cases[5] = json_dialect_case (lp_wire_seg_data_to_json (seg));

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *reason = NULL;
    guint status = post_segment (f, f->segment, cases[i].header, payment,
        &reason);

    GST_INFO ("case %u: %u %s", i, status, reason);
    assert_refused (status, 403, reason, cases[i].what);
    assert_unchanged (f, before, NULL, "malformed segment header");
    g_free (reason);
    g_free (cases[i].header);
  }
  assert_oversized_header_refused (f, TRUE, payment);
  assert_unchanged (f, before, NULL, "oversized segment header");
  lp_seg_data_free (seg);
  finish_refusals (f, info, payment, before);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 3. segment signatures: 403 ErrSegSig                                     */
/* ------------------------------------------------------------------------ */

GST_START_TEST (test_segment_signature_is_403)
{
  Fixture *f = fixture_new (FALSE);
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *payment = lp_test_payment_header (info, f->net->bcast, 1, 1);
  LpPrivateKey *other = lp_private_key_generate (NULL);
  Snapshot *before = snapshot_new (f);
  LpSegData *seg;
  gchar *header;

  /* signed by somebody else than the payment's sender */
  header = lp_test_segment_header (info, other, 0, f->segment, PROFILE);
  assert_post_refused (f, before, NULL, f->segment, header, payment, 403,
      "ErrSegSig", "segment of another signer");
  g_free (header);

  /* a flipped bit in the signature: it recovers to another address */
  seg = seg_new (info, f->net->bcast, 0, f->segment, PROFILE);
  seg->sig[7] ^= 0x10;
  assert_seg_data_refused (f, before, seg, payment, "ErrSegSig",
      "corrupted signature");

  /* a recovery id that recovers nothing */
  seg->sig[64] = 0x42;
  assert_seg_data_refused (f, before, seg, payment, "ErrSegSig",
      "unrecoverable signature");

  /* a signed field changed after signing */
  lp_seg_data_free (seg);
  seg = seg_new (info, f->net->bcast, 0, f->segment, PROFILE);
  seg->seq = 77;
  assert_seg_data_refused (f, before, seg, payment, "ErrSegSig",
      "seq changed after signing");
  lp_seg_data_free (seg);

  lp_private_key_unref (other);
  finish_refusals (f, info, payment, before);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 4. auth tokens: 403                                                      */
/* ------------------------------------------------------------------------ */

GST_START_TEST (test_auth_token_is_403)
{
  Fixture *f = fixture_new (FALSE);
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *payment = lp_test_payment_header (info, f->net->bcast, 1, 1);
  Snapshot *before = snapshot_new (f);
  guint i;

  for (i = 0; i < 5; i++) {
    LpSegData *seg = seg_new (info, f->net->bcast, 0, f->segment, PROFILE);

    switch (i) {
      case 0:                  /* tampered token bytes */
        seg->auth_token.token[0] ^= 0x01;
        break;
      case 1:                  /* all zeros */
        memset (seg->auth_token.token, 0, LP_AUTH_TOKEN_SIZE);
        break;
      case 2:                  /* expired an hour ago */
        seg->auth_token.expiration = g_get_real_time () / G_USEC_PER_SEC -
            3600;
        break;
      case 3:                  /* a session id we never issued */
        g_strlcpy (seg->auth_token.session_id, "deadbeef",
            sizeof (seg->auth_token.session_id));
        break;
      case 4:                  /* valid for a century */
        seg->auth_token.expiration += G_GINT64_CONSTANT (3153600000);
        break;
    }
    assert_seg_data_refused (f, before, seg, payment, "auth_token",
        "bad auth token");
    lp_seg_data_free (seg);
  }
  finish_refusals (f, info, payment, before);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 5. profiles not offered: 403 naming them                                 */
/* ------------------------------------------------------------------------ */

/* Segment 0's credentials asking for @profile (taken) alone, signed by
 * the broadcaster */
static LpSegData *
seg_with_profile (Fixture * f, const LpOrchestratorInfo * info,
    LpProfile * profile)
{
  LpSegData *seg = seg_new (info, f->net->bcast, 0, f->segment, NULL);

  g_ptr_array_add (seg->profiles, profile);
  fail_unless (lp_seg_data_sign (seg, f->net->bcast, NULL));
  return seg;
}

GST_START_TEST (test_profile_not_allowed_is_403)
{
  Fixture *f = fixture_new (FALSE);
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *payment = lp_test_payment_header (info, f->net->bcast, 1, 1);
  Snapshot *before = snapshot_new (f);
  LpSegData *seg;
  LpProfile *custom;
  gchar *header;

  /* a preset that profiles-allowed leaves out */
  header = lp_test_segment_header (info, f->net->bcast, 0, f->segment,
      OTHER_PROFILE);
  assert_post_refused (f, before, NULL, f->segment, header, payment, 403,
      OTHER_PROFILE, "profile not allowed");
  g_free (header);

  /* the allowed one, then one not allowed: the second is named */
  header = lp_test_segment_header (info, f->net->bcast, 0, f->segment,
      PROFILE "," OTHER_PROFILE);
  assert_post_refused (f, before, NULL, f->segment, header, payment, 403,
      OTHER_PROFILE, "second profile not allowed");
  g_free (header);

  /* a custom rendition */
  custom = lp_profile_copy (lp_profile_get_preset (PROFILE));
  g_free (custom->name);
  custom->name = g_strdup ("my_custom_rendition");
  seg = seg_with_profile (f, info, custom);
  assert_seg_data_refused (f, before, seg, payment, "my_custom_rendition",
      "custom profile");
  lp_seg_data_free (seg);

  /* an allowed preset's name with a bigger size and bitrate: only names
   * are signed, so the orchestrator checks the rest against the preset */
  custom = lp_profile_copy (lp_profile_get_preset (PROFILE));
  custom->width = 1280;
  custom->height = 720;
  custom->bitrate = 6000000;
  seg = seg_with_profile (f, info, custom);
  assert_seg_data_refused (f, before, seg, payment, "1280x720",
      "preset name with another geometry");
  lp_seg_data_free (seg);

  /* no rendition at all */
  seg = seg_new (info, f->net->bcast, 0, f->segment, NULL);
  assert_seg_data_refused (f, before, seg, payment, "profiles", "no profiles");
  lp_seg_data_free (seg);

  finish_refusals (f, info, payment, before);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 6. bodies over max-segment-size: 413                                     */
/* ------------------------------------------------------------------------ */

/* @body and one MPEG-TS null packet more (still valid MPEG-TS). */
static GBytes *
one_packet_more (GBytes * body)
{
  GByteArray *out = g_byte_array_new ();
  guint8 null_packet[188];
  gsize size;
  const guint8 *data = g_bytes_get_data (body, &size);

  memset (null_packet, 0xff, sizeof (null_packet));
  null_packet[0] = 0x47;
  null_packet[1] = 0x1f;
  null_packet[2] = 0xff;
  null_packet[3] = 0x10;
  g_byte_array_append (out, data, size);
  g_byte_array_append (out, null_packet, sizeof (null_packet));
  return g_byte_array_free_to_bytes (out);
}

GST_START_TEST (test_body_too_large_is_413)
{
  /* max-segment-size is exactly the good segment's size */
  Fixture *f = fixture_new (TRUE);
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *payment = lp_test_payment_header (info, f->net->bcast, 1, 1);
  GBytes *large = one_packet_more (f->segment);
  GBytes *huge;
  gchar *header = seg_header (info, f->net->bcast, 0, large);
  gchar *reason, *huge_header;
  Snapshot *before = snapshot_new (f);
  guint status, round;

  fail_unless (g_bytes_get_size (f->segment) >= 1024);
  for (round = 0; round < 2; round++) {
    /* Content-Length: refused before the body is read (early handler) */
    assert_body_refused (f, before, large, FALSE, header, payment, 413,
        "larger than", "too large (Content-Length)");

    /* chunked: no length announced, so refused before it is gathered
     * (411), whatever its size */
    assert_body_refused (f, before, large, TRUE, header, payment, 411,
        "Content-Length", "too large (chunked)");

    /* the server still answers */
    lp_orchestrator_info_free (lp_test_discover (f->net, f->net->bcast));
  }

  /* 4 MiB announced: refused without the server taking it all in */
  {
    gsize n = 4 * 1024 * 1024, i;
    guint8 *data = g_malloc (n);

    for (i = 0; i < n; i += 188) {
      memset (data + i, 0xff, MIN (188, n - i));
      data[i] = 0x47;
    }
    huge = g_bytes_new_take (data, n);
  }
  huge_header = seg_header (info, f->net->bcast, 0, huge);
  assert_body_refused (f, before, huge, FALSE, huge_header, payment, 413,
      "larger than", "huge (Content-Length)");

  /* the early refusals come before any other check: a Content-Length
   * body over the limit is 413 and a chunked one 411, whatever their
   * headers */
  status = request (f, SOUP_METHOD_POST, "/segment", "video/MP2T", large,
      FALSE, NULL, "not a payment", &reason, NULL, NULL);
  assert_refused (status, 413, reason, "larger than");
  g_free (reason);
  status = request (f, SOUP_METHOD_POST, "/segment", "video/MP2T", f->segment,
      TRUE, NULL, payment, &reason, NULL, NULL);
  assert_refused (status, 411, reason, "chunked");
  g_free (reason);
  assert_unchanged (f, before, NULL, "too large and bad headers");

  /* exactly max-segment-size is fine, in the same session */
  g_free (huge_header);
  g_bytes_unref (huge);
  g_free (header);
  g_bytes_unref (large);
  finish_refusals (f, info, payment, before);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 7. body hash differs from the signed one: 403                            */
/* ------------------------------------------------------------------------ */

GST_START_TEST (test_body_hash_mismatch_is_403)
{
  Fixture *f = fixture_new (FALSE);
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *payment = lp_test_payment_header (info, f->net->bcast, 1, 1);
  gchar *header = seg_header (info, f->net->bcast, 0, f->segment);
  Snapshot *before = snapshot_new (f);
  GBytes *bodies[3];
  gsize size;
  guint8 *copy;
  guint i;

  /* one flipped byte in the middle */
  copy = g_bytes_unref_to_data (g_bytes_ref (f->segment), &size);
  copy[size / 2] ^= 0x01;
  bodies[0] = g_bytes_new_take (copy, size);
  /* one packet less */
  bodies[1] = g_bytes_new_from_bytes (f->segment, 0, size - 188);
  /* another segment altogether */
  bodies[2] = one_packet_more (f->segment);

  for (i = 0; i < G_N_ELEMENTS (bodies); i++) {
    assert_post_refused (f, before, NULL, bodies[i], header, payment, 403,
        "keccak", "body hash mismatch");
    g_bytes_unref (bodies[i]);
  }
  g_free (header);
  finish_refusals (f, info, payment, before);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 8. content type and bytes that are not MPEG-TS: 415, 400                 */
/* ------------------------------------------------------------------------ */

GST_START_TEST (test_not_mpegts_is_415_or_400)
{
  Fixture *f = fixture_new (FALSE);
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *payment = lp_test_payment_header (info, f->net->bcast, 1, 1);
  gchar *header = seg_header (info, f->net->bcast, 0, f->segment);
  Snapshot *before = snapshot_new (f);
  const gchar *types[] = { "application/octet-stream", "video/mp4",
    "text/plain", NULL
  };
  GBytes *bodies[3];
  gchar *reason;
  guint status, i;

  /* the right bytes under another content type, or none */
  for (i = 0; i < G_N_ELEMENTS (types); i++) {
    status = request (f, SOUP_METHOD_POST, "/segment", types[i], f->segment,
        FALSE, header, payment, &reason, NULL, NULL);
    GST_INFO ("type %s: %u %s", types[i], status, reason);
    assert_refused (status, 415, reason, "video/MP2T");
    g_free (reason);
    assert_unchanged (f, before, NULL, "wrong content type");
  }
  /* signed, the right hash, video/MP2T, and not MPEG-TS */
  {
    guint8 *data = g_malloc (4000);

    for (i = 0; i < 4000; i++)
      data[i] = (guint8) (i * 7 + 1);
    data[0] = 0x00;
    bodies[0] = g_bytes_new_take (data, 4000);
    /* a sync byte first and none 188 bytes later */
    data = g_memdup2 (g_bytes_get_data (bodies[0], NULL), 4000);
    data[0] = 0x47;
    data[188] = 0x00;
    bodies[1] = g_bytes_new_take (data, 4000);
    /* shorter than a packet */
    bodies[2] = g_bytes_new_static ("\x47\x40\x00\x10", 4);
  }
  for (i = 0; i < G_N_ELEMENTS (bodies); i++) {
    gchar *h = seg_header (info, f->net->bcast, 0, bodies[i]);

    assert_post_refused (f, before, NULL, bodies[i], h, payment, 400,
        "MPEG-TS", "not MPEG-TS");
    g_free (h);
    g_bytes_unref (bodies[i]);
  }
  g_free (header);
  finish_refusals (f, info, payment, before);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 9., 10. MPEG-TS that does not transcode: 200 with an error               */
/* ------------------------------------------------------------------------ */

/* The bytes @desc (a launch line ending in "! mpegtsmux") makes. */
static GBytes *
make_ts (const gchar * desc)
{
  GBytes *ts = lp_test_run_to_bytes (desc);

  fail_unless (g_bytes_get_size (ts) % 188 == 0);
  return ts;
}

/* Sends @body (a payment of one ticket, a fresh session) and expects a 200
 * whose result is an error, the session ended with an "error" reason and
 * one more failed segment; then a fresh session works. */
static void
assert_transcode_fails (Fixture * f, GBytes * body)
{
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *payment = lp_test_payment_header (info, f->net->bcast, 1, 1);
  gchar *header = seg_header (info, f->net->bcast, 5, body);
  Snapshot *before = snapshot_new (f), *after;
  static const gchar *const moved[] = { "tickets-received", "tickets-won",
    "segments-failed", "sessions-started", "sessions", NULL
  };
  SoupMessageHeaders *headers = NULL;
  GBytes *response = NULL;
  const gchar *type, *reason_text, *session;
  GstMessage *msg;
  LpTestResult *r;
  gchar *reason;
  guint status;

  status = request (f, SOUP_METHOD_POST, "/segment", "video/MP2T", body,
      FALSE, header, payment, &reason, &headers, &response);
  fail_unless_equals_int_with_reason (status, 200, reason);
  type = soup_message_headers_get_content_type (headers, NULL);
  fail_unless_equals_string (type, "application/octet-stream");
  r = lp_test_parse_result (headers, response);
  fail_unless (r->result->error != NULL, "no error in %s", reason);
  GST_INFO ("transcode error: %s", r->result->error);
  fail_unless_equals_int (r->result->seq, 5);
  fail_unless_equals_int (r->renditions->len, 0);
  fail_unless_equals_int (r->result->segments->len, 0);
  lp_test_result_free (r);
  soup_message_headers_unref (headers);
  g_bytes_unref (response);
  g_free (reason);

  msg = lp_test_wait_message (f->net, "lporchestrator-session-ended",
      MESSAGE_TIMEOUT);
  fail_unless (msg != NULL, "no lporchestrator-session-ended");
  reason_text = gst_structure_get_string (gst_message_get_structure (msg),
      "reason");
  session = gst_structure_get_string (gst_message_get_structure (msg),
      "session");
  fail_unless (reason_text != NULL && g_str_has_prefix (reason_text,
          "error"), "%s", reason_text);
  fail_unless_equals_string (session, info->auth_token.session_id);
  gst_message_unref (msg);

  /* the ticket was taken (it paid for the attempt), the failure counted,
   * nothing else moved: no segment, no pixels */
  after = snapshot_new (f);
  fail_unless_equals_int (stat_of (after, "segments-failed"),
      stat_of (before, "segments-failed") + 1);
  fail_unless_equals_int (stat_of (after, "sessions-started"),
      stat_of (before, "sessions-started") + 1);
  fail_unless_equals_int (stat_of (after, "sessions"), stat_of (before,
          "sessions"));
  fail_unless_equals_int (stat_of (after, "tickets-won"),
      stat_of (before, "tickets-won") + 1);
  snapshot_free (after);
  assert_changes (f, before, moved, 1, "failed transcode");
  snapshot_free (before);

  assert_good_segment (f);
  g_free (header);
  g_free (payment);
  lp_orchestrator_info_free (info);
}

GST_START_TEST (test_no_video_is_200_with_error)
{
  Fixture *f = fixture_new (FALSE);
  GBytes *audio;

  if (gst_registry_check_feature_version (gst_registry_get (), "avenc_aac",
          1, 0, 0))
    audio = make_ts ("audiotestsrc num-buffers=20 ! avenc_aac ! aacparse ! "
        "mpegtsmux");
  else
    audio = make_ts ("audiotestsrc num-buffers=20 ! lamemp3enc ! "
        "mpegaudioparse ! mpegtsmux");
  fail_unless_equals_int (current_stat (f, "segments-failed"), 0);
  assert_transcode_fails (f, audio);
  fail_unless_equals_int (current_stat (f, "segments-failed"), 1);
  fail_unless_equals_int (current_stat (f, "segments-ok"), 1);
  g_bytes_unref (audio);
  fixture_free (f);
}

GST_END_TEST;

/* Whether @data has an H.264 IDR slice or SPS start code. */
static gboolean
has_keyframe_nal (const guint8 * data, gsize size)
{
  gsize i;

  for (i = 0; i + 3 < size; i++) {
    if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
      guint type = data[i + 3] & 0x1f;

      if (type == 5 || type == 7)
        return TRUE;
    }
  }
  return FALSE;
}

GST_START_TEST (test_no_keyframe_is_200_with_error)
{
  Fixture *f = fixture_new (FALSE);
  GBytes *stream, *middle;
  gsize size, packets, first, n;
  const guint8 *data;

  /* one IDR at the start, then 119 P frames */
  stream = make_ts ("videotestsrc pattern=ball num-buffers=120 ! "
      "video/x-raw,format=I420,width=320,height=180,framerate=30/1 ! "
      "x264enc speed-preset=ultrafast key-int-max=1000 bframes=0 "
      "option-string=scenecut=0 ! h264parse ! mpegtsmux");
  data = g_bytes_get_data (stream, &size);
  fail_unless (has_keyframe_nal (data, size));
  packets = size / 188;
  /* 30 frames of 120, well after the keyframe: 1 s as seg_new() says */
  first = packets / 3;
  n = packets / 4;
  middle = g_bytes_new_from_bytes (stream, first * 188, n * 188);
  data = g_bytes_get_data (middle, &size);
  fail_unless (data[0] == 0x47);
  fail_if (has_keyframe_nal (data, size), "the cut has a keyframe");
  assert_transcode_fails (f, middle);
  fail_unless_equals_int (current_stat (f, "segments-failed"), 1);
  g_bytes_unref (middle);
  g_bytes_unref (stream);
  fixture_free (f);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 11.-14. payments refused: 400                                            */
/* ------------------------------------------------------------------------ */

GST_START_TEST (test_replayed_nonce_is_400)
{
  Fixture *f = fixture_new (FALSE);
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *payment = lp_test_payment_header (info, f->net->bcast, 1, 1);
  gchar *header, *reason, *next;
  Snapshot *before;
  guint status;

  /* spent once: the credit is one ticket's EV less the fee */
  assert_accepted (f, info, 0, payment);
  before = snapshot_new (f);
  fail_unless_equals_int (before->queued, 1);

  header = seg_header (info, f->net->bcast, 1, f->segment);
  status = post_segment (f, f->segment, header, payment, &reason);
  assert_refused (status, 400, reason, "senderNonce");
  assert_refused (status, 400, reason, "already seen");
  g_free (reason);
  /* the replayed winner is already queued: the queue keeps one copy, and
   * it is not counted (or announced) as won a second time */
  {
    static const gchar *const moved[] = { "tickets-received", NULL };

    assert_unchanged (f, before, moved, "replayed nonce");
  }
  fail_unless_equals_int (current_stat (f, "tickets-received"),
      stat_of (before, "tickets-received") + 1);

  /* the replay credited nothing */
  assert_no_credit (f, info, 1);
  /* the next nonce is fine */
  next = lp_test_payment_header (info, f->net->bcast, 2, 1);
  assert_accepted (f, info, 1, next);
  assert_good_segment (f);

  snapshot_free (before);
  g_free (next);
  g_free (header);
  g_free (payment);
  lp_orchestrator_info_free (info);
  fixture_free (f);
}

GST_END_TEST;

GST_START_TEST (test_tampered_ticket_params_is_400)
{
  Fixture *f = fixture_new (FALSE);
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  LpPrivateKey *other = lp_private_key_generate (NULL);
  gchar *header = seg_header (info, f->net->bcast, 0, f->segment);
  gchar *good = lp_test_payment_header (info, f->net->bcast, 1, 1);
  Snapshot *before = snapshot_new (f);
  guint i;

  for (i = 0; i < 5; i++) {
    LpPayment *payment = payment_new (info,
        lp_private_key_get_address (f->net->bcast), 1, 1);
    const gchar *what = NULL;
    gchar *value, *reason = NULL;
    guint status;

    switch (i) {
      case 0:                  /* tickets for another recipient */
        payment->ticket_params.recipient =
            *lp_private_key_get_address (other);
        what = "recipient";
        break;
      case 1:                  /* a better face value */
        payment->ticket_params.face_value.be[LP_UINT256_SIZE - 1] ^= 1;
        what = "recipientRand";
        break;
      case 2:                  /* a lower expected price */
        payment->expected_price.pixels_per_unit = 2;
        what = "recipientRand";
        break;
      case 3:                  /* a later expiration */
        payment->ticket_params.expiration_block += 1000;
        what = "recipientRand";
        break;
      case 4:                  /* the zero sender */
        memset (&payment->sender, 0, sizeof (payment->sender));
        what = "sender";
        break;
    }
    value = payment_sign (payment, f->net->bcast);
    status = post_segment (f, f->segment, header, value, &reason);
    GST_INFO ("case %u: %u %s", i, status, reason);
    if (i == 4) {
      /* the segment is then not signed by the payment's sender */
      assert_refused (status, 403, reason, "ErrSegSig");
    } else {
      assert_refused (status, 400, reason, what);
    }
    assert_unchanged (f, before, received, "tampered ticket params");
    g_free (reason);
    g_free (value);
    lp_payment_free (payment);
  }

  /* a ticket signed by somebody else than the payment's sender */
  {
    LpPayment *payment = payment_new (info,
        lp_private_key_get_address (f->net->bcast), 1, 1);
    gchar *value = payment_sign (payment, other);
    assert_post_refused (f, before, received, f->segment, header, value, 400,
        "signature", "ticket of another signer");
    g_free (value);
    lp_payment_free (payment);
  }

  g_free (header);
  lp_private_key_unref (other);
  /* nonce 1 is still unspent after all that */
  finish_refusals (f, info, good, before);
}

GST_END_TEST;

GST_START_TEST (test_expired_ticket_params_is_400)
{
  Fixture *f = fixture_new (FALSE);
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *payment = lp_test_payment_header (info, f->net->bcast, 1, 2);
  gchar *header = seg_header (info, f->net->bcast, 0, f->segment);
  static const gchar *const moved[] = { "tickets-received", "tickets-won",
    "tickets-redeemed", "fees-earned", NULL
  };
  LpLedgerStatus status_before, status_after;
  Snapshot *before, *after;
  LpUint256 paid, sum;
  guint64 redeemed;
  gchar *reason;
  guint status;

  fail_unless (lp_ledger_get_status (f->net->ledger, &status_before, NULL));
  fail_unless (info->ticket_params.expiration_block ==
      status_before.block + LP_TICKET_PARAMS_VALIDITY_BLOCKS);
  /* past the parameters' expiration block, within the round */
  fail_unless (lp_ledger_advance (f->net->ledger,
          LP_TICKET_PARAMS_VALIDITY_BLOCKS + 1, NULL));
  fail_unless (lp_ledger_get_status (f->net->ledger, &status_after, NULL));
  fail_unless_equals_int (status_after.round, status_before.round);
  fail_unless (status_after.block > info->ticket_params.expiration_block);
  /* let the ledger worker see the new block before anything is queued */
  g_usleep (600 * G_TIME_SPAN_MILLISECOND);

  before = snapshot_new (f);
  status = post_segment (f, f->segment, header, payment, &reason);
  assert_refused (status, 400, reason, "expired");
  g_free (reason);
  /* winners are kept after a non-fatal failure (docs/design/protocol.md §3), but no EV is
   * credited and no segment transcoded. Their parameters being expired,
   * they are redeemable at once: they stay queued when the ledger worker
   * saw the new block before (the sleep above), else it redeems them on
   * its next look; either way every one is accounted for. */
  g_usleep (500 * G_TIME_SPAN_MILLISECOND);
  after = snapshot_new (f);
  redeemed = stat_of (after, "tickets-redeemed") -
      stat_of (before, "tickets-redeemed");
  fail_unless_equals_int (after->queued + redeemed, before->queued + 2);
  lp_uint256_from_uint64 (redeemed * TICKET_EV, &paid);
  fail_unless (lp_uint256_add (&after->sender.deposit, &paid, &sum, NULL));
  fail_unless (lp_uint256_equal (&sum, &before->sender.deposit));
  fail_unless (lp_uint256_equal (&after->sender.reserve,
          &before->sender.reserve));
  fail_unless_equals_int (stat_of (after, "tickets-won"),
      stat_of (before, "tickets-won") + 2);
  fail_unless_equals_int (stat_of (after, "tickets-received"),
      stat_of (before, "tickets-received") + 2);
  assert_same_stats (before, after, moved, "expired ticket params");
  assert_audit (f);
  snapshot_free (after);
  assert_no_credit (f, info, 1);
  assert_good_segment (f);

  snapshot_free (before);
  g_free (header);
  g_free (payment);
  lp_orchestrator_info_free (info);
  fixture_free (f);
}

GST_END_TEST;

/* Without tickets: a payment of the sender alone (go-livepeer's to a free
 * orchestrator), or with ticket parameters and no ticket, is refused for
 * the balance; without any payment the segment has no signer (the zero
 * sender of an empty Payment), as in go-livepeer */
GST_START_TEST (test_no_payment_is_insufficient_balance)
{
  Fixture *f = fixture_new (FALSE);
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *header = seg_header (info, f->net->bcast, 0, f->segment);
  gchar *sender = lp_test_sender_header (f->net->bcast);
  Snapshot *before = snapshot_new (f);
  const gchar *payments[] = { NULL, "" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (payments); i++) {
    assert_post_refused (f, before, NULL, f->segment, header, payments[i], 403,
        "ErrSegSig", "no payment");
  }
  assert_post_refused (f, before, NULL, f->segment, header, sender, 400,
      "insufficient", "the sender alone");
  /* a payment without tickets */
  {
    LpPayment *payment = payment_new (info,
        lp_private_key_get_address (f->net->bcast), 1, 0);
    gchar *value = payment_sign (payment, f->net->bcast);
    assert_post_refused (f, before, NULL, f->segment, header, value, 400,
        "insufficient", "payment without tickets");
    g_free (value);
    lp_payment_free (payment);
  }
  assert_good_segment (f);

  snapshot_free (before);
  g_free (sender);
  g_free (header);
  lp_orchestrator_info_free (info);
  fixture_free (f);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 15. discovery                                                            */
/* ------------------------------------------------------------------------ */

/* gRPC GetOrchestrator with @message (serialized); its gRPC status, and
 * @reason its message */
static guint
grpc_discovery (Fixture * f, GBytes * message, gchar ** reason)
{
  gchar *uri = g_strdup_printf ("http://127.0.0.1:%u", f->net->port);
  GError *error = NULL;
  GBytes *answer;
  guint status = LP_GRPC_STATUS_OK;

  answer = lp_grpc_call (uri, "/net.Orchestrator/GetOrchestrator", message,
      NULL, NULL, &error);
  *reason = g_strdup (answer != NULL ? "" : error->message);
  if (answer != NULL) {
    g_bytes_unref (answer);
  } else {
    fail_unless (error->domain == LP_GRPC_ERROR, "%s", error->message);
    status = error->code;
    g_error_free (error);
  }
  g_free (uri);
  return status;
}

/* gRPC discovery refused as go-livepeer refuses it (grpc-go's INTERNAL for
 * a request it cannot decode, UNKNOWN for the handler's refusals), and
 * our former JSON dialect's paths answered as Go's mux answers a path it
 * does not serve (404) */
GST_START_TEST (test_bad_discovery)
{
  Fixture *f = fixture_new (FALSE);
  LpPrivateKey *other = lp_private_key_generate (NULL);
  Snapshot *before = snapshot_new (f);
  static const guchar undecodable[][5] = {
    {0x0a, 0x40, 'a', 'b', 'c'},        /* ends inside field 1 */
    {0x00, 0x00, 0x00, 0x00, 0x00},     /* field 0 */
    {0x0b, 0x00, 0x00, 0x00, 0x00},     /* a group, which proto3 lacks */
  };
  /* address 2 bytes long; nothing at all (no address, no sig) */
  static const guchar short_address[] = { 0x0a, 0x02, 0x12, 0x34 };
  const gchar *json = "{\"address\": \"0x1234\", \"sig\": \"0x00\"}";
  const gchar *paths[] = { "/getOrchestrator", "/endSession" };
  GBytes *body;
  gchar *reason;
  guint status, i;

  for (i = 0; i < G_N_ELEMENTS (undecodable); i++) {
    body = g_bytes_new_static (undecodable[i], sizeof (undecodable[i]));
    status = grpc_discovery (f, body, &reason);
    GST_INFO ("undecodable %u: %u %s", i, status, reason);
    assert_refused (status, LP_GRPC_STATUS_INTERNAL, reason,
        "error unmarshalling request");
    g_free (reason);
    g_bytes_unref (body);
  }
  body = g_bytes_new_static (short_address, sizeof (short_address));
  status = grpc_discovery (f, body, &reason);
  assert_refused (status, LP_GRPC_STATUS_UNKNOWN, reason, "sig check failed");
  g_free (reason);
  g_bytes_unref (body);
  body = g_bytes_new_static (NULL, 0);
  status = grpc_discovery (f, body, &reason);
  assert_refused (status, LP_GRPC_STATUS_UNKNOWN, reason, "sig check failed");
  g_free (reason);
  g_bytes_unref (body);

  /* the broadcaster's address signed by another key */
  body = lp_test_discovery_body (lp_private_key_get_address (f->net->bcast),
      other);
  status = grpc_discovery (f, body, &reason);
  assert_refused (status, LP_GRPC_STATUS_UNKNOWN, reason, "sig check failed");
  g_free (reason);
  g_bytes_unref (body);

  /* the former JSON dialect's discovery and end of a session, whatever
   * the method */
  body = g_bytes_new_static (json, strlen (json));
  for (i = 0; i < G_N_ELEMENTS (paths); i++) {
    status = request (f, SOUP_METHOD_POST, paths[i], "application/json", body,
        FALSE, NULL, NULL, &reason, NULL, NULL);
    assert_refused (status, 404, reason, "404 page not found");
    g_free (reason);
    status = request (f, SOUP_METHOD_GET, paths[i], NULL, NULL, FALSE, NULL,
        NULL, &reason, NULL, NULL);
    assert_refused (status, 404, reason, "404 page not found");
    g_free (reason);
  }
  g_bytes_unref (body);
  /* the wrong method on a path that is served */
  status = request (f, SOUP_METHOD_GET, "/segment", NULL, NULL, FALSE, NULL,
      NULL, &reason, NULL, NULL);
  assert_refused (status, 405, reason, "POST");
  g_free (reason);
  status = request (f, SOUP_METHOD_GET, "/payment", NULL, NULL, FALSE, NULL,
      NULL, &reason, NULL, NULL);
  assert_refused (status, 405, reason, "POST");
  g_free (reason);

  assert_unchanged (f, before, NULL, "bad discovery");
  assert_good_segment (f);

  snapshot_free (before);
  lp_private_key_unref (other);
  fixture_free (f);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* garbage                                                                  */
/* ------------------------------------------------------------------------ */

static gchar *
random_text (GRand * rand, guint max)
{
  guint n = g_rand_int_range (rand, 0, max + 1), i;
  gchar *text = g_malloc (n + 1);

  for (i = 0; i < n; i++)
    text[i] = (gchar) g_rand_int_range (rand, 0x20, 0x7f);
  text[n] = '\0';
  return text;
}

static GBytes *
random_bytes (GRand * rand, guint max)
{
  guint n = g_rand_int_range (rand, 0, max + 1), i;
  guint8 *data = g_malloc (MAX (n, 1));

  for (i = 0; i < n; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  if (n > 0 && g_rand_boolean (rand))
    data[0] = 0x47;
  return g_bytes_new_take (data, n);
}

/* @text with @n of its characters replaced by other base64 characters. */
static gchar *
mutate (GRand * rand, const gchar * text, guint n)
{
  static const gchar alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  gchar *out = g_strdup (text);
  gsize len = strlen (out);
  guint i;

  for (i = 0; i < n && len > 0; i++) {
    gsize at = g_rand_int_range (rand, 0, (gint32) len);
    gchar c;

    do
      c = alphabet[g_rand_int_range (rand, 0, 64)];
    while (c == out[at]);
    out[at] = c;
  }
  return out;
}

/* The protobuf inside the header @header with one of its bytes changed
 * to another, base64 again: often still a valid message, with a wrong
 * value (a signature, a hash, a number), sometimes not one. */
static gchar *
mutate_message (GRand * rand, const gchar * header)
{
  gsize n, at;
  guchar *message = g_base64_decode (header, &n), c;
  gchar *out;

  fail_unless (n > 0);
  at = g_rand_int_range (rand, 0, (gint32) n);
  do
    c = (guchar) g_rand_int_range (rand, 0, 256);
  while (c == message[at]);
  message[at] = c;
  out = g_base64_encode (message, n);
  g_free (message);
  return out;
}

/* Raw bytes on a fresh connection, then the write side closed: the server
 * must answer with a 4xx or close the connection within seconds (libsoup
 * keeps a connection open after its answer even when the client closed
 * its side, so an answer is enough). */
static void
raw_exchange (Fixture * f, const gchar * data, gsize size)
{
  GSocketClient *client = g_socket_client_new ();
  GSocketConnection *conn;
  GSocket *socket;
  GOutputStream *out;
  GInputStream *in;
  GError *error = NULL;
  GString *answer = g_string_new (NULL);
  gchar buffer[4096];
  gssize n;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", f->net->port,
      NULL, &error);
  fail_unless (conn != NULL, "%s", error ? error->message : "");
  socket = g_socket_connection_get_socket (conn);
  g_socket_set_timeout (socket, 10);
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  /* the server may close first: a failed write is no failure */
  g_output_stream_write_all (out, data, size, NULL, NULL, NULL);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
  while ((n = g_input_stream_read (in, buffer, sizeof (buffer), NULL,
              &error)) > 0) {
    g_string_append_len (answer, buffer, n);
    /* the rest of an answer comes at once */
    g_socket_set_timeout (socket, 1);
  }
  fail_if (n < 0 && answer->len == 0 && g_error_matches (error, G_IO_ERROR,
          G_IO_ERROR_TIMED_OUT), "the server hung on %" G_GSIZE_FORMAT
      " raw bytes", size);
  GST_INFO ("%" G_GSIZE_FORMAT " raw bytes: %.40s", size, answer->str);
  if (answer->len > 0)
    /* a 4xx, or libsoup's 505 for an unknown HTTP version */
    fail_unless (g_regex_match_simple ("^HTTP/1\\.[01] (4[0-9][0-9]|505) ",
            answer->str, 0, 0), "%.200s", answer->str);
  g_clear_error (&error);
  g_string_free (answer, TRUE);
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  g_object_unref (conn);
  g_object_unref (client);
}

GST_START_TEST (test_garbage_never_crashes_or_hangs)
{
  Fixture *f = fixture_new (FALSE);
  LpOrchestratorInfo *info = lp_test_discover (f->net, f->net->bcast);
  gchar *good_seg = seg_header (info, f->net->bcast, 0, f->segment);
  gchar *good_pay = lp_test_payment_header (info, f->net->bcast, 1, 1);
  GRand *rand = g_rand_new_with_seed (20260101);
  const gchar *paths[] = { "/segment", "/segment", "/segment", "/segment",
    "/segment/x", "/getOrchestrator", "/payment", "/", "/metrics"
  };
  const gchar *methods[] = { SOUP_METHOD_POST, SOUP_METHOD_POST,
    SOUP_METHOD_POST, SOUP_METHOD_POST, SOUP_METHOD_POST, SOUP_METHOD_GET,
    SOUP_METHOD_PUT, SOUP_METHOD_DELETE
  };
  const gchar *types[] = { "video/MP2T", "application/json",
    "application/octet-stream", "video/MP2T; charset=\"x\"", NULL
  };
  Snapshot *before = snapshot_new (f);
  guint i;

  for (i = 0; i < 80; i++) {
    const gchar *path = paths[g_rand_int_range (rand, 0,
            G_N_ELEMENTS (paths))];
    const gchar *method = methods[g_rand_int_range (rand, 0,
            G_N_ELEMENTS (methods))];
    const gchar *type = types[g_rand_int_range (rand, 0,
            G_N_ELEMENTS (types))];
    gboolean chunked = g_rand_boolean (rand);
    GBytes *body;
    gchar *seg = NULL, *pay = NULL, *reason = NULL;
    guint status;

    if (i % 3 == 0) {
      /* nearly right: a broadcaster's request with one wrong digit in a
       * header (payments are never the good one: it stays unspent) */
      path = "/segment";
      method = SOUP_METHOD_POST;
      type = "video/MP2T";
      body = g_bytes_ref (f->segment);
      seg = g_rand_boolean (rand) ? g_strdup (good_seg) :
          mutate_message (rand, good_seg);
      pay = g_rand_int_range (rand, 0, 4) == 0 ? NULL :
          mutate_message (rand, good_pay);
    } else {
      /* a body: random bytes, or the good segment */
      if (g_rand_int_range (rand, 0, 3) == 0)
        body = g_bytes_ref (f->segment);
      else
        body = random_bytes (rand, 3000);
      /* Livepeer-Segment: absent, random text, the good one mutated, or
       * the good one */
      switch (g_rand_int_range (rand, 0, 5)) {
        case 0:
          break;
        case 1:
          seg = random_text (rand, 300);
          break;
        case 2:
          seg = mutate (rand, good_seg, g_rand_int_range (rand, 1, 4));
          break;
        case 3:
          seg = g_strdup (good_seg);
          break;
        case 4:
          seg = mutate_message (rand, good_seg);
          break;
      }
      /* Livepeer-Payment: absent, random text, the good one mutated */
      switch (g_rand_int_range (rand, 0, 4)) {
        case 0:
          break;
        case 1:
          pay = random_text (rand, 300);
          break;
        case 2:
          pay = mutate (rand, good_pay, g_rand_int_range (rand, 1, 4));
          break;
        case 3:
          pay = mutate_message (rand, good_pay);
          break;
      }
    }
    if (strcmp (method, SOUP_METHOD_GET) == 0
        || strcmp (method, SOUP_METHOD_DELETE) == 0)
      g_clear_pointer (&body, g_bytes_unref);
    status = request (f, method, path, type, body, body != NULL && chunked,
        seg, pay, &reason, NULL, NULL);
    GST_INFO ("garbage %u: %s %s: %u %s", i, method, path, status, reason);
    fail_unless (status >= 400 && status < 500,
        "garbage %u (%s %s): status %u: %s", i, method, path, status,
        reason);
    g_free (reason);
    g_free (seg);
    g_free (pay);
    if (body != NULL)
      g_bytes_unref (body);
  }

  /* raw bytes: not HTTP, a truncated request, a body shorter than its
   * Content-Length, a header line with no end */
  {
    GBytes *noise = random_bytes (rand, 2000);
    gsize size;
    const gchar *data = g_bytes_get_data (noise, &size);
    const gchar *raw[] = {
      "GARBAGE\r\n\r\n",
      "POST /segment HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
          "Content-Type: video/MP2T\r\n\r\n\x47\x00\x00",
      "POST /segment HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
          "\r\nZZZ\r\n",
      /* not "Content-Length: -5": libsoup 3.2 itself warns
       * (GLib-GObject, "value -5 ... out of range for property
       * 'content-length'") before any handler runs */
      "POST /getOrchestrator HTTP/1.1\r\nHost: x\r\nContent-Length: 5x\r\n"
          "\r\n{}",
      "POST /segment HTTP/1.1\r\nHost: x\r\nLivepeer-Segment: ",
      "POST /segment HTTP/9.9\r\n\r\n",
    };

    raw_exchange (f, data, size);
    for (i = 0; i < G_N_ELEMENTS (raw); i++)
      raw_exchange (f, raw[i], strlen (raw[i]));
    g_bytes_unref (noise);
  }

  assert_unchanged (f, before, received, "garbage");
  /* the good credentials were never used up */
  assert_accepted (f, info, 0, good_pay);
  assert_good_segment (f);

  snapshot_free (before);
  g_rand_free (rand);
  g_free (good_pay);
  g_free (good_seg);
  lp_orchestrator_info_free (info);
  fixture_free (f);
}

GST_END_TEST;

static Suite *
lporchestrator_badinput_suite (void)
{
  Suite *s = suite_create ("lporchestrator-badinput");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_payment_unparsable_is_402);
  tcase_add_test (tc, test_segment_header_malformed_is_403);
  tcase_add_test (tc, test_segment_signature_is_403);
  tcase_add_test (tc, test_auth_token_is_403);
  tcase_add_test (tc, test_profile_not_allowed_is_403);
  tcase_add_test (tc, test_body_too_large_is_413);
  tcase_add_test (tc, test_body_hash_mismatch_is_403);
  tcase_add_test (tc, test_not_mpegts_is_415_or_400);
  tcase_add_test (tc, test_no_video_is_200_with_error);
  tcase_add_test (tc, test_no_keyframe_is_200_with_error);
  tcase_add_test (tc, test_replayed_nonce_is_400);
  tcase_add_test (tc, test_tampered_ticket_params_is_400);
  tcase_add_test (tc, test_expired_ticket_params_is_400);
  tcase_add_test (tc, test_no_payment_is_insufficient_balance);
  tcase_add_test (tc, test_bad_discovery);
  tcase_add_test (tc, test_garbage_never_crashes_or_hangs);
  return s;
}

GST_CHECK_MAIN (lporchestrator_badinput);

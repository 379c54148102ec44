/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * go-livepeer's messages over the protobuf codec (see lpproto-messages.h
 * and proto/lp_rpc.proto). Each message has a MessageClass: how to make,
 * free, write and read it. Writing goes field by field in field-number
 * order; reading hands each field to the class, which reads the fields it
 * declares and leaves the rest to be skipped. A field that arrives twice
 * behaves as in protobuf: a scalar keeps the last value, a repeated field
 * or map adds to what it has (a map key keeps its last value), a
 * sub-message merges.
 *
 * This file holds the messages: each one's constructor, destructor, field
 * writer, field reader and codec. The field-level helpers they are built
 * from are in lpproto-fields.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "lpproto-messages-private.h"

/* ------------------------------------------------------------------------ */
/* Messages, leaves first */

#define MESSAGE_CLASS(prefix) \
  { (gpointer (*) (void)) prefix##_new, \
    (void (*) (gpointer)) prefix##_free, \
    write_##prefix, read_##prefix##_field }

#define DEFINE_CODEC(Type, prefix, klass)                                   \
  GBytes *                                                                  \
  prefix##_encode (const Type * message)                                    \
  {                                                                         \
    g_return_val_if_fail (message != NULL, NULL);                           \
    return encode_message (&klass, message);                                \
  }                                                                         \
                                                                            \
  Type *                                                                    \
  prefix##_decode (const guint8 * data, gsize length, GError ** error)      \
  {                                                                         \
    g_return_val_if_fail (data != NULL || length == 0, NULL);               \
    return decode_message (&klass, data, length, error);                    \
  }

/* PingPong */

LpProtoPingPong *
lp_proto_ping_pong_new (void)
{
  return g_new0 (LpProtoPingPong, 1);
}

void
lp_proto_ping_pong_free (LpProtoPingPong * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->value, g_bytes_unref);
  g_free (message);
}

static void
write_lp_proto_ping_pong (GByteArray * out, gconstpointer message)
{
  const LpProtoPingPong *m = message;

  write_gbytes_field (out, 1, m->value);
}

static gboolean
read_lp_proto_ping_pong_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoPingPong *m = message;

  if (field == 1)
    return read_bytes (r, wt, "value", &m->value, error);
  *known = FALSE;
  return TRUE;
}

static const MessageClass ping_pong_class = MESSAGE_CLASS (lp_proto_ping_pong);
DEFINE_CODEC (LpProtoPingPong, lp_proto_ping_pong, ping_pong_class);

/* AuthToken */

LpProtoAuthToken *
lp_proto_auth_token_new (void)
{
  return g_new0 (LpProtoAuthToken, 1);
}

void
lp_proto_auth_token_free (LpProtoAuthToken * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->token, g_bytes_unref);
  g_free (message->session_id);
  g_free (message);
}

static void
write_lp_proto_auth_token (GByteArray * out, gconstpointer message)
{
  const LpProtoAuthToken *m = message;

  write_gbytes_field (out, 1, m->token);
  lp_proto_write_string_field (out, 2, m->session_id);
  lp_proto_write_int64_field (out, 3, m->expiration);
}

static gboolean
read_lp_proto_auth_token_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoAuthToken *m = message;

  switch (field) {
    case 1:
      return read_bytes (r, wt, "token", &m->token, error);
    case 2:
      return read_string (r, wt, "session_id", &m->session_id, error);
    case 3:
      return read_int64 (r, wt, "expiration", &m->expiration, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass auth_token_class =
MESSAGE_CLASS (lp_proto_auth_token);
DEFINE_CODEC (LpProtoAuthToken, lp_proto_auth_token, auth_token_class);

/* EndTranscodingSessionRequest */

LpProtoEndTranscodingSessionRequest *
lp_proto_end_transcoding_session_request_new (void)
{
  return g_new0 (LpProtoEndTranscodingSessionRequest, 1);
}

void lp_proto_end_transcoding_session_request_free
    (LpProtoEndTranscodingSessionRequest * message)
{
  if (message == NULL)
    return;
  lp_proto_auth_token_free (message->auth_token);
  g_free (message);
}

static void
write_lp_proto_end_transcoding_session_request (GByteArray * out,
    gconstpointer message)
{
  const LpProtoEndTranscodingSessionRequest *m = message;

  write_message_field (out, 1, &auth_token_class, m->auth_token);
}

static gboolean
read_lp_proto_end_transcoding_session_request_field (LpProtoReader * r,
    guint32 field, LpProtoWireType wt, gpointer message, gboolean * known,
    GError ** error)
{
  LpProtoEndTranscodingSessionRequest *m = message;

  if (field == 1)
    return read_message (r, wt, "auth_token", &auth_token_class,
        (gpointer *) & m->auth_token, error);
  *known = FALSE;
  return TRUE;
}

static const MessageClass end_transcoding_session_request_class =
MESSAGE_CLASS (lp_proto_end_transcoding_session_request);
DEFINE_CODEC (LpProtoEndTranscodingSessionRequest,
    lp_proto_end_transcoding_session_request,
    end_transcoding_session_request_class);

/* PriceInfo */

LpProtoPriceInfo *
lp_proto_price_info_new (void)
{
  return g_new0 (LpProtoPriceInfo, 1);
}

void
lp_proto_price_info_free (LpProtoPriceInfo * message)
{
  if (message == NULL)
    return;
  g_free (message->constraint);
  g_free (message);
}

static void
write_lp_proto_price_info (GByteArray * out, gconstpointer message)
{
  const LpProtoPriceInfo *m = message;

  lp_proto_write_int64_field (out, 1, m->price_per_unit);
  lp_proto_write_int64_field (out, 2, m->pixels_per_unit);
  lp_proto_write_uint64_field (out, 3, m->capability);
  lp_proto_write_string_field (out, 4, m->constraint);
}

static gboolean
read_lp_proto_price_info_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoPriceInfo *m = message;

  switch (field) {
    case 1:
      return read_int64 (r, wt, "pricePerUnit", &m->price_per_unit, error);
    case 2:
      return read_int64 (r, wt, "pixelsPerUnit", &m->pixels_per_unit, error);
    case 3:
      return read_uint32 (r, wt, "capability", &m->capability, error);
    case 4:
      return read_string (r, wt, "constraint", &m->constraint, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass price_info_class =
MESSAGE_CLASS (lp_proto_price_info);
DEFINE_CODEC (LpProtoPriceInfo, lp_proto_price_info, price_info_class);

/* Capabilities.CapabilityConstraints.ModelConstraint */

LpProtoModelConstraint *
lp_proto_model_constraint_new (void)
{
  return g_new0 (LpProtoModelConstraint, 1);
}

void
lp_proto_model_constraint_free (LpProtoModelConstraint * message)
{
  if (message == NULL)
    return;
  g_free (message->runner_version);
  g_free (message);
}

static void
write_lp_proto_model_constraint (GByteArray * out, gconstpointer message)
{
  const LpProtoModelConstraint *m = message;

  lp_proto_write_bool_field (out, 1, m->warm);
  lp_proto_write_uint64_field (out, 2, m->capacity);
  lp_proto_write_string_field (out, 3, m->runner_version);
  lp_proto_write_uint64_field (out, 4, m->capacity_in_use);
}

static gboolean
read_lp_proto_model_constraint_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoModelConstraint *m = message;

  switch (field) {
    case 1:
      return read_bool (r, wt, "warm", &m->warm, error);
    case 2:
      return read_uint32 (r, wt, "capacity", &m->capacity, error);
    case 3:
      return read_string (r, wt, "runnerVersion", &m->runner_version, error);
    case 4:
      return read_uint32 (r, wt, "capacityInUse", &m->capacity_in_use, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass model_constraint_class =
MESSAGE_CLASS (lp_proto_model_constraint);
DEFINE_CODEC (LpProtoModelConstraint, lp_proto_model_constraint,
    model_constraint_class);

/* Capabilities.CapabilityConstraints */

LpProtoCapabilityConstraints *
lp_proto_capability_constraints_new (void)
{
  LpProtoCapabilityConstraints *message =
      g_new0 (LpProtoCapabilityConstraints, 1);

  message->models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) lp_proto_model_constraint_free);
  return message;
}

void
lp_proto_capability_constraints_free (LpProtoCapabilityConstraints * message)
{
  if (message == NULL)
    return;
  g_hash_table_unref (message->models);
  g_free (message);
}

/**
 * lp_proto_capability_constraints_take_model:
 * @constraints: a capability's constraints
 * @model_id: the model's id
 * @model: (transfer full): its constraint
 *
 * Sets the constraint of @model_id, replacing any it had.
 */
void
lp_proto_capability_constraints_take_model (LpProtoCapabilityConstraints *
    constraints, const gchar * model_id, LpProtoModelConstraint * model)
{
  g_return_if_fail (constraints != NULL && model_id != NULL && model != NULL);
  g_hash_table_replace (constraints->models, g_strdup (model_id), model);
}

static void
write_lp_proto_capability_constraints (GByteArray * out, gconstpointer message)
{
  const LpProtoCapabilityConstraints *m = message;

  write_string_message_map (out, 1, m->models, &model_constraint_class);
}

typedef struct
{
  gchar *key;
  LpProtoModelConstraint *value;
} ModelEntry;

static gboolean
read_model_entry_key (LpProtoReader * r, LpProtoWireType wt, gpointer entry,
    GError ** error)
{
  return read_string (r, wt, "key", &((ModelEntry *) entry)->key, error);
}

static gboolean
read_model_entry_value (LpProtoReader * r, LpProtoWireType wt,
    gpointer entry, GError ** error)
{
  return read_message (r, wt, "value", &model_constraint_class,
      (gpointer *) & ((ModelEntry *) entry)->value, error);
}

static gboolean
read_lp_proto_capability_constraints_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoCapabilityConstraints *m = message;
  ModelEntry entry = { NULL, NULL };

  if (field != 1) {
    *known = FALSE;
    return TRUE;
  }
  if (!check_room (g_hash_table_size (m->models), "models", error)
      || !read_entry (r, wt, "models", read_model_entry_key,
          read_model_entry_value, &entry, error)) {
    g_free (entry.key);
    lp_proto_model_constraint_free (entry.value);
    return FALSE;
  }
  if (entry.value == NULL)
    entry.value = lp_proto_model_constraint_new ();
  g_hash_table_replace (m->models, entry.key ? entry.key : g_strdup (""),
      entry.value);
  return TRUE;
}

static const MessageClass capability_constraints_class =
MESSAGE_CLASS (lp_proto_capability_constraints);
DEFINE_CODEC (LpProtoCapabilityConstraints, lp_proto_capability_constraints,
    capability_constraints_class);

/* Capabilities.Constraints */

LpProtoConstraints *
lp_proto_constraints_new (void)
{
  LpProtoConstraints *message = g_new0 (LpProtoConstraints, 1);

  message->per_capability = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) lp_proto_capability_constraints_free);
  return message;
}

void
lp_proto_constraints_free (LpProtoConstraints * message)
{
  if (message == NULL)
    return;
  g_free (message->min_version);
  g_hash_table_unref (message->per_capability);
  g_free (message);
}

/**
 * lp_proto_constraints_take_capability:
 * @constraints: a node's constraints
 * @capability: a capability id
 * @per_capability: (transfer full): its constraints
 *
 * Sets the constraints of @capability, replacing any it had.
 */
void
lp_proto_constraints_take_capability (LpProtoConstraints * constraints,
    guint32 capability, LpProtoCapabilityConstraints * per_capability)
{
  g_return_if_fail (constraints != NULL && per_capability != NULL);
  g_hash_table_replace (constraints->per_capability,
      GUINT_TO_POINTER (capability), per_capability);
}

static void
write_lp_proto_constraints (GByteArray * out, gconstpointer message)
{
  const LpProtoConstraints *m = message;

  lp_proto_write_string_field (out, 1, m->min_version);
  write_uint_message_map (out, 2, m->per_capability,
      &capability_constraints_class);
}

typedef struct
{
  guint32 key;
  LpProtoCapabilityConstraints *value;
} CapabilityEntry;

static gboolean
read_capability_entry_key (LpProtoReader * r, LpProtoWireType wt,
    gpointer entry, GError ** error)
{
  return read_uint32 (r, wt, "key", &((CapabilityEntry *) entry)->key, error);
}

static gboolean
read_capability_entry_value (LpProtoReader * r, LpProtoWireType wt,
    gpointer entry, GError ** error)
{
  return read_message (r, wt, "value", &capability_constraints_class,
      (gpointer *) & ((CapabilityEntry *) entry)->value, error);
}

static gboolean
read_lp_proto_constraints_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoConstraints *m = message;
  CapabilityEntry entry = { 0, NULL };

  switch (field) {
    case 1:
      return read_string (r, wt, "minVersion", &m->min_version, error);
    case 2:
      if (!check_room (g_hash_table_size (m->per_capability),
              "PerCapability", error)
          || !read_entry (r, wt, "PerCapability", read_capability_entry_key,
              read_capability_entry_value, &entry, error)) {
        lp_proto_capability_constraints_free (entry.value);
        return FALSE;
      }
      if (entry.value == NULL)
        entry.value = lp_proto_capability_constraints_new ();
      lp_proto_constraints_take_capability (m, entry.key, entry.value);
      return TRUE;
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass constraints_class =
MESSAGE_CLASS (lp_proto_constraints);
DEFINE_CODEC (LpProtoConstraints, lp_proto_constraints, constraints_class);

/* Capabilities */

LpProtoCapabilities *
lp_proto_capabilities_new (void)
{
  LpProtoCapabilities *message = g_new0 (LpProtoCapabilities, 1);

  message->bitstring = g_array_new (FALSE, FALSE, sizeof (guint64));
  message->mandatories = g_array_new (FALSE, FALSE, sizeof (guint64));
  message->capacities = g_hash_table_new (NULL, NULL);
  return message;
}

void
lp_proto_capabilities_free (LpProtoCapabilities * message)
{
  if (message == NULL)
    return;
  g_array_unref (message->bitstring);
  g_array_unref (message->mandatories);
  g_hash_table_unref (message->capacities);
  g_free (message->version);
  lp_proto_constraints_free (message->constraints);
  g_free (message);
}

/**
 * lp_proto_capabilities_set_capacity:
 * @caps: capabilities
 * @capability: a capability id
 * @capacity: how many sessions of it the node takes
 *
 * Sets the capacity of @capability, replacing any it had.
 */
void
lp_proto_capabilities_set_capacity (LpProtoCapabilities * caps,
    guint32 capability, guint32 capacity)
{
  g_return_if_fail (caps != NULL);
  g_hash_table_replace (caps->capacities, GUINT_TO_POINTER (capability),
      GUINT_TO_POINTER (capacity));
}

/**
 * lp_proto_capabilities_get_capacity:
 * @caps: capabilities
 * @capability: a capability id
 * @capacity: (out) (optional): its capacity
 *
 * Returns: whether @caps has a capacity for @capability
 */
gboolean
lp_proto_capabilities_get_capacity (const LpProtoCapabilities * caps,
    guint32 capability, guint32 * capacity)
{
  gpointer value;

  g_return_val_if_fail (caps != NULL, FALSE);
  if (!g_hash_table_lookup_extended (caps->capacities,
          GUINT_TO_POINTER (capability), NULL, &value))
    return FALSE;
  if (capacity)
    *capacity = GPOINTER_TO_UINT (value);
  return TRUE;
}

static void
write_lp_proto_capabilities (GByteArray * out, gconstpointer message)
{
  const LpProtoCapabilities *m = message;

  write_packed_array (out, 1, m->bitstring);
  write_packed_array (out, 2, m->mandatories);
  write_uint_uint_map (out, 3, m->capacities);
  lp_proto_write_string_field (out, 4, m->version);
  write_message_field (out, 5, &constraints_class, m->constraints);
}

typedef struct
{
  guint32 key;
  guint32 value;
} CapacityEntry;

static gboolean
read_capacity_entry_key (LpProtoReader * r, LpProtoWireType wt,
    gpointer entry, GError ** error)
{
  return read_uint32 (r, wt, "key", &((CapacityEntry *) entry)->key, error);
}

static gboolean
read_capacity_entry_value (LpProtoReader * r, LpProtoWireType wt,
    gpointer entry, GError ** error)
{
  return read_uint32 (r, wt, "value", &((CapacityEntry *) entry)->value, error);
}

static gboolean
read_lp_proto_capabilities_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoCapabilities *m = message;
  CapacityEntry entry = { 0, 0 };

  switch (field) {
    case 1:
      return read_repeated_uint64 (r, wt, "bitstring", m->bitstring, error);
    case 2:
      return read_repeated_uint64 (r, wt, "mandatories", m->mandatories, error);
    case 3:
      if (!check_room (g_hash_table_size (m->capacities), "capacities", error)
          || !read_entry (r, wt, "capacities", read_capacity_entry_key,
              read_capacity_entry_value, &entry, error))
        return FALSE;
      lp_proto_capabilities_set_capacity (m, entry.key, entry.value);
      return TRUE;
    case 4:
      return read_string (r, wt, "version", &m->version, error);
    case 5:
      return read_message (r, wt, "constraints", &constraints_class,
          (gpointer *) & m->constraints, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass capabilities_class =
MESSAGE_CLASS (lp_proto_capabilities);
DEFINE_CODEC (LpProtoCapabilities, lp_proto_capabilities, capabilities_class);

/* TicketExpirationParams */

LpProtoTicketExpirationParams *
lp_proto_ticket_expiration_params_new (void)
{
  return g_new0 (LpProtoTicketExpirationParams, 1);
}

void
lp_proto_ticket_expiration_params_free (LpProtoTicketExpirationParams * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->creation_round_block_hash, g_bytes_unref);
  g_free (message);
}

static void
write_lp_proto_ticket_expiration_params (GByteArray * out,
    gconstpointer message)
{
  const LpProtoTicketExpirationParams *m = message;

  lp_proto_write_int64_field (out, 1, m->creation_round);
  write_gbytes_field (out, 2, m->creation_round_block_hash);
}

static gboolean
read_lp_proto_ticket_expiration_params_field (LpProtoReader * r,
    guint32 field, LpProtoWireType wt, gpointer message, gboolean * known,
    GError ** error)
{
  LpProtoTicketExpirationParams *m = message;

  switch (field) {
    case 1:
      return read_int64 (r, wt, "creation_round", &m->creation_round, error);
    case 2:
      return read_bytes (r, wt, "creation_round_block_hash",
          &m->creation_round_block_hash, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass ticket_expiration_params_class =
MESSAGE_CLASS (lp_proto_ticket_expiration_params);
DEFINE_CODEC (LpProtoTicketExpirationParams,
    lp_proto_ticket_expiration_params, ticket_expiration_params_class);

/* TicketParams */

LpProtoTicketParams *
lp_proto_ticket_params_new (void)
{
  return g_new0 (LpProtoTicketParams, 1);
}

void
lp_proto_ticket_params_free (LpProtoTicketParams * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->recipient, g_bytes_unref);
  g_clear_pointer (&message->face_value, g_bytes_unref);
  g_clear_pointer (&message->win_prob, g_bytes_unref);
  g_clear_pointer (&message->recipient_rand_hash, g_bytes_unref);
  g_clear_pointer (&message->seed, g_bytes_unref);
  g_clear_pointer (&message->expiration_block, g_bytes_unref);
  lp_proto_ticket_expiration_params_free (message->expiration_params);
  g_free (message);
}

static void
write_lp_proto_ticket_params (GByteArray * out, gconstpointer message)
{
  const LpProtoTicketParams *m = message;

  write_gbytes_field (out, 1, m->recipient);
  write_gbytes_field (out, 2, m->face_value);
  write_gbytes_field (out, 3, m->win_prob);
  write_gbytes_field (out, 4, m->recipient_rand_hash);
  write_gbytes_field (out, 5, m->seed);
  write_gbytes_field (out, 6, m->expiration_block);
  write_message_field (out, 7, &ticket_expiration_params_class,
      m->expiration_params);
}

static gboolean
read_lp_proto_ticket_params_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoTicketParams *m = message;

  switch (field) {
    case 1:
      return read_bytes (r, wt, "recipient", &m->recipient, error);
    case 2:
      return read_bytes (r, wt, "face_value", &m->face_value, error);
    case 3:
      return read_bytes (r, wt, "win_prob", &m->win_prob, error);
    case 4:
      return read_bytes (r, wt, "recipient_rand_hash",
          &m->recipient_rand_hash, error);
    case 5:
      return read_bytes (r, wt, "seed", &m->seed, error);
    case 6:
      return read_bytes (r, wt, "expiration_block", &m->expiration_block,
          error);
    case 7:
      return read_message (r, wt, "expiration_params",
          &ticket_expiration_params_class,
          (gpointer *) & m->expiration_params, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass ticket_params_class =
MESSAGE_CLASS (lp_proto_ticket_params);
DEFINE_CODEC (LpProtoTicketParams, lp_proto_ticket_params, ticket_params_class);

/* TicketSenderParams */

LpProtoTicketSenderParams *
lp_proto_ticket_sender_params_new (void)
{
  return g_new0 (LpProtoTicketSenderParams, 1);
}

void
lp_proto_ticket_sender_params_free (LpProtoTicketSenderParams * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->sig, g_bytes_unref);
  g_free (message);
}

static void
write_lp_proto_ticket_sender_params (GByteArray * out, gconstpointer message)
{
  const LpProtoTicketSenderParams *m = message;

  lp_proto_write_uint64_field (out, 1, m->sender_nonce);
  write_gbytes_field (out, 2, m->sig);
}

static gboolean
read_lp_proto_ticket_sender_params_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoTicketSenderParams *m = message;

  switch (field) {
    case 1:
      return read_uint32 (r, wt, "sender_nonce", &m->sender_nonce, error);
    case 2:
      return read_bytes (r, wt, "sig", &m->sig, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass ticket_sender_params_class =
MESSAGE_CLASS (lp_proto_ticket_sender_params);
DEFINE_CODEC (LpProtoTicketSenderParams, lp_proto_ticket_sender_params,
    ticket_sender_params_class);

/* Payment */

LpProtoPayment *
lp_proto_payment_new (void)
{
  LpProtoPayment *message = g_new0 (LpProtoPayment, 1);

  message->ticket_sender_params = g_ptr_array_new_with_free_func
      ((GDestroyNotify) lp_proto_ticket_sender_params_free);
  return message;
}

void
lp_proto_payment_free (LpProtoPayment * message)
{
  if (message == NULL)
    return;
  lp_proto_ticket_params_free (message->ticket_params);
  g_clear_pointer (&message->sender, g_bytes_unref);
  lp_proto_ticket_expiration_params_free (message->expiration_params);
  g_ptr_array_unref (message->ticket_sender_params);
  lp_proto_price_info_free (message->expected_price);
  g_free (message);
}

static void
write_lp_proto_payment (GByteArray * out, gconstpointer message)
{
  const LpProtoPayment *m = message;

  write_message_field (out, 1, &ticket_params_class, m->ticket_params);
  write_gbytes_field (out, 2, m->sender);
  write_message_field (out, 3, &ticket_expiration_params_class,
      m->expiration_params);
  write_repeated_messages (out, 4, &ticket_sender_params_class,
      m->ticket_sender_params);
  write_message_field (out, 5, &price_info_class, m->expected_price);
}

static gboolean
read_lp_proto_payment_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoPayment *m = message;

  switch (field) {
    case 1:
      return read_message (r, wt, "ticket_params", &ticket_params_class,
          (gpointer *) & m->ticket_params, error);
    case 2:
      return read_bytes (r, wt, "sender", &m->sender, error);
    case 3:
      return read_message (r, wt, "expiration_params",
          &ticket_expiration_params_class,
          (gpointer *) & m->expiration_params, error);
    case 4:
      return read_repeated_message (r, wt, "ticket_sender_params",
          &ticket_sender_params_class, m->ticket_sender_params, error);
    case 5:
      return read_message (r, wt, "expected_price", &price_info_class,
          (gpointer *) & m->expected_price, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass payment_class = MESSAGE_CLASS (lp_proto_payment);
DEFINE_CODEC (LpProtoPayment, lp_proto_payment, payment_class);

/* OrchestratorRequest */

LpProtoOrchestratorRequest *
lp_proto_orchestrator_request_new (void)
{
  return g_new0 (LpProtoOrchestratorRequest, 1);
}

void
lp_proto_orchestrator_request_free (LpProtoOrchestratorRequest * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->address, g_bytes_unref);
  g_clear_pointer (&message->sig, g_bytes_unref);
  lp_proto_capabilities_free (message->capabilities);
  g_free (message);
}

static void
write_lp_proto_orchestrator_request (GByteArray * out, gconstpointer message)
{
  const LpProtoOrchestratorRequest *m = message;

  write_gbytes_field (out, 1, m->address);
  write_gbytes_field (out, 2, m->sig);
  write_message_field (out, 3, &capabilities_class, m->capabilities);
  lp_proto_write_bool_field (out, 4, m->ignore_capacity_check);
}

static gboolean
read_lp_proto_orchestrator_request_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoOrchestratorRequest *m = message;

  switch (field) {
    case 1:
      return read_bytes (r, wt, "address", &m->address, error);
    case 2:
      return read_bytes (r, wt, "sig", &m->sig, error);
    case 3:
      return read_message (r, wt, "capabilities", &capabilities_class,
          (gpointer *) & m->capabilities, error);
    case 4:
      return read_bool (r, wt, "ignoreCapacityCheck",
          &m->ignore_capacity_check, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass orchestrator_request_class =
MESSAGE_CLASS (lp_proto_orchestrator_request);
DEFINE_CODEC (LpProtoOrchestratorRequest, lp_proto_orchestrator_request,
    orchestrator_request_class);

/* OrchestratorInfo */

LpProtoOrchestratorInfo *
lp_proto_orchestrator_info_new (void)
{
  LpProtoOrchestratorInfo *message = g_new0 (LpProtoOrchestratorInfo, 1);

  message->capabilities_prices = g_ptr_array_new_with_free_func
      ((GDestroyNotify) lp_proto_price_info_free);
  message->nodes = g_ptr_array_new_with_free_func (g_free);
  return message;
}

void
lp_proto_orchestrator_info_free (LpProtoOrchestratorInfo * message)
{
  if (message == NULL)
    return;
  g_free (message->transcoder);
  lp_proto_ticket_params_free (message->ticket_params);
  lp_proto_price_info_free (message->price_info);
  g_clear_pointer (&message->address, g_bytes_unref);
  lp_proto_capabilities_free (message->capabilities);
  lp_proto_auth_token_free (message->auth_token);
  g_ptr_array_unref (message->capabilities_prices);
  g_ptr_array_unref (message->nodes);
  g_free (message);
}

static void
write_lp_proto_orchestrator_info (GByteArray * out, gconstpointer message)
{
  const LpProtoOrchestratorInfo *m = message;

  lp_proto_write_string_field (out, 1, m->transcoder);
  write_message_field (out, 2, &ticket_params_class, m->ticket_params);
  write_message_field (out, 3, &price_info_class, m->price_info);
  write_gbytes_field (out, 4, m->address);
  write_message_field (out, 5, &capabilities_class, m->capabilities);
  write_message_field (out, 6, &auth_token_class, m->auth_token);
  write_repeated_messages (out, 33, &price_info_class, m->capabilities_prices);
  write_repeated_strings (out, 34, m->nodes);
}

static gboolean
read_lp_proto_orchestrator_info_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoOrchestratorInfo *m = message;

  switch (field) {
    case 1:
      return read_string (r, wt, "transcoder", &m->transcoder, error);
    case 2:
      return read_message (r, wt, "ticket_params", &ticket_params_class,
          (gpointer *) & m->ticket_params, error);
    case 3:
      return read_message (r, wt, "price_info", &price_info_class,
          (gpointer *) & m->price_info, error);
    case 4:
      return read_bytes (r, wt, "address", &m->address, error);
    case 5:
      return read_message (r, wt, "capabilities", &capabilities_class,
          (gpointer *) & m->capabilities, error);
    case 6:
      return read_message (r, wt, "auth_token", &auth_token_class,
          (gpointer *) & m->auth_token, error);
    case 33:
      return read_repeated_message (r, wt, "capabilities_prices",
          &price_info_class, m->capabilities_prices, error);
    case 34:
      return read_repeated_string (r, wt, "nodes", m->nodes, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass orchestrator_info_class =
MESSAGE_CLASS (lp_proto_orchestrator_info);
DEFINE_CODEC (LpProtoOrchestratorInfo, lp_proto_orchestrator_info,
    orchestrator_info_class);

/* VideoProfile */

LpProtoVideoProfile *
lp_proto_video_profile_new (void)
{
  return g_new0 (LpProtoVideoProfile, 1);
}

void
lp_proto_video_profile_free (LpProtoVideoProfile * message)
{
  if (message == NULL)
    return;
  g_free (message->name);
  g_free (message);
}

static void
write_lp_proto_video_profile (GByteArray * out, gconstpointer message)
{
  const LpProtoVideoProfile *m = message;

  lp_proto_write_string_field (out, 16, m->name);
  lp_proto_write_int32_field (out, 17, m->width);
  lp_proto_write_int32_field (out, 18, m->height);
  lp_proto_write_int32_field (out, 19, m->bitrate);
  lp_proto_write_uint64_field (out, 20, m->fps);
  lp_proto_write_int32_field (out, 21, m->format);
  lp_proto_write_uint64_field (out, 22, m->fps_den);
  lp_proto_write_int32_field (out, 23, m->profile);
  lp_proto_write_int32_field (out, 24, m->gop);
  lp_proto_write_int32_field (out, 25, m->encoder);
  lp_proto_write_int32_field (out, 26, m->color_depth);
  lp_proto_write_int32_field (out, 27, m->chroma_format);
  lp_proto_write_uint64_field (out, 28, m->quality);
}

static gboolean
read_lp_proto_video_profile_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoVideoProfile *m = message;

  switch (field) {
    case 16:
      return read_string (r, wt, "name", &m->name, error);
    case 17:
      return read_int32 (r, wt, "width", &m->width, error);
    case 18:
      return read_int32 (r, wt, "height", &m->height, error);
    case 19:
      return read_int32 (r, wt, "bitrate", &m->bitrate, error);
    case 20:
      return read_uint32 (r, wt, "fps", &m->fps, error);
    case 21:
      return read_int32 (r, wt, "format", &m->format, error);
    case 22:
      return read_uint32 (r, wt, "fpsDen", &m->fps_den, error);
    case 23:
      return read_int32 (r, wt, "profile", &m->profile, error);
    case 24:
      return read_int32 (r, wt, "gop", &m->gop, error);
    case 25:
      return read_int32 (r, wt, "encoder", &m->encoder, error);
    case 26:
      return read_int32 (r, wt, "colorDepth", &m->color_depth, error);
    case 27:
      return read_int32 (r, wt, "chromaFormat", &m->chroma_format, error);
    case 28:
      return read_uint32 (r, wt, "quality", &m->quality, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass video_profile_class =
MESSAGE_CLASS (lp_proto_video_profile);
DEFINE_CODEC (LpProtoVideoProfile, lp_proto_video_profile, video_profile_class);

/* SegParameters */

LpProtoSegParameters *
lp_proto_seg_parameters_new (void)
{
  return g_new0 (LpProtoSegParameters, 1);
}

void
lp_proto_seg_parameters_free (LpProtoSegParameters * message)
{
  g_free (message);
}

static void
write_lp_proto_seg_parameters (GByteArray * out, gconstpointer message)
{
  const LpProtoSegParameters *m = message;

  lp_proto_write_uint64_field (out, 1, m->from);
  lp_proto_write_uint64_field (out, 2, m->to);
}

static gboolean
read_lp_proto_seg_parameters_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoSegParameters *m = message;

  switch (field) {
    case 1:
      return read_uint64 (r, wt, "from", &m->from, error);
    case 2:
      return read_uint64 (r, wt, "to", &m->to, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass seg_parameters_class =
MESSAGE_CLASS (lp_proto_seg_parameters);
DEFINE_CODEC (LpProtoSegParameters, lp_proto_seg_parameters,
    seg_parameters_class);

/* SegData */

static GPtrArray *
new_profile_list (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)
      lp_proto_video_profile_free);
}

LpProtoSegData *
lp_proto_seg_data_new (void)
{
  LpProtoSegData *message = g_new0 (LpProtoSegData, 1);

  message->full_profiles = new_profile_list ();
  message->full_profiles2 = new_profile_list ();
  message->full_profiles3 = new_profile_list ();
  return message;
}

void
lp_proto_seg_data_free (LpProtoSegData * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->manifest_id, g_bytes_unref);
  g_clear_pointer (&message->hash, g_bytes_unref);
  g_clear_pointer (&message->profiles, g_bytes_unref);
  g_clear_pointer (&message->sig, g_bytes_unref);
  lp_proto_capabilities_free (message->capabilities);
  lp_proto_auth_token_free (message->auth_token);
  g_ptr_array_unref (message->full_profiles);
  g_ptr_array_unref (message->full_profiles2);
  g_ptr_array_unref (message->full_profiles3);
  lp_proto_seg_parameters_free (message->segment_parameters);
  g_free (message);
}

static void
write_lp_proto_seg_data (GByteArray * out, gconstpointer message)
{
  const LpProtoSegData *m = message;

  write_gbytes_field (out, 1, m->manifest_id);
  lp_proto_write_int64_field (out, 2, m->seq);
  write_gbytes_field (out, 3, m->hash);
  write_gbytes_field (out, 4, m->profiles);
  write_gbytes_field (out, 5, m->sig);
  lp_proto_write_int32_field (out, 6, m->duration);
  write_message_field (out, 7, &capabilities_class, m->capabilities);
  write_message_field (out, 8, &auth_token_class, m->auth_token);
  lp_proto_write_bool_field (out, 10, m->calc_perceptual_hash);
  write_repeated_messages (out, 33, &video_profile_class, m->full_profiles);
  write_repeated_messages (out, 34, &video_profile_class, m->full_profiles2);
  write_repeated_messages (out, 35, &video_profile_class, m->full_profiles3);
  write_message_field (out, 37, &seg_parameters_class, m->segment_parameters);
  lp_proto_write_bool_field (out, 38, m->force_session_reinit);
}

static gboolean
read_lp_proto_seg_data_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoSegData *m = message;

  switch (field) {
    case 1:
      return read_bytes (r, wt, "manifestId", &m->manifest_id, error);
    case 2:
      return read_int64 (r, wt, "seq", &m->seq, error);
    case 3:
      return read_bytes (r, wt, "hash", &m->hash, error);
    case 4:
      return read_bytes (r, wt, "profiles", &m->profiles, error);
    case 5:
      return read_bytes (r, wt, "sig", &m->sig, error);
    case 6:
      return read_int32 (r, wt, "duration", &m->duration, error);
    case 7:
      return read_message (r, wt, "capabilities", &capabilities_class,
          (gpointer *) & m->capabilities, error);
    case 8:
      return read_message (r, wt, "auth_token", &auth_token_class,
          (gpointer *) & m->auth_token, error);
    case 10:
      return read_bool (r, wt, "calc_perceptual_hash",
          &m->calc_perceptual_hash, error);
    case 33:
      return read_repeated_message (r, wt, "fullProfiles",
          &video_profile_class, m->full_profiles, error);
    case 34:
      return read_repeated_message (r, wt, "fullProfiles2",
          &video_profile_class, m->full_profiles2, error);
    case 35:
      return read_repeated_message (r, wt, "fullProfiles3",
          &video_profile_class, m->full_profiles3, error);
    case 37:
      return read_message (r, wt, "segment_parameters",
          &seg_parameters_class, (gpointer *) & m->segment_parameters, error);
    case 38:
      return read_bool (r, wt, "ForceSessionReinit",
          &m->force_session_reinit, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass seg_data_class = MESSAGE_CLASS (lp_proto_seg_data);
DEFINE_CODEC (LpProtoSegData, lp_proto_seg_data, seg_data_class);

/* TranscodedSegmentData */

LpProtoTranscodedSegmentData *
lp_proto_transcoded_segment_data_new (void)
{
  return g_new0 (LpProtoTranscodedSegmentData, 1);
}

void
lp_proto_transcoded_segment_data_free (LpProtoTranscodedSegmentData * message)
{
  if (message == NULL)
    return;
  g_free (message->url);
  g_free (message->perceptual_hash_url);
  g_free (message);
}

static void
write_lp_proto_transcoded_segment_data (GByteArray * out, gconstpointer message)
{
  const LpProtoTranscodedSegmentData *m = message;

  lp_proto_write_string_field (out, 1, m->url);
  lp_proto_write_int64_field (out, 2, m->pixels);
  lp_proto_write_string_field (out, 3, m->perceptual_hash_url);
}

static gboolean
read_lp_proto_transcoded_segment_data_field (LpProtoReader * r,
    guint32 field, LpProtoWireType wt, gpointer message, gboolean * known,
    GError ** error)
{
  LpProtoTranscodedSegmentData *m = message;

  switch (field) {
    case 1:
      return read_string (r, wt, "url", &m->url, error);
    case 2:
      return read_int64 (r, wt, "pixels", &m->pixels, error);
    case 3:
      return read_string (r, wt, "perceptual_hash_url",
          &m->perceptual_hash_url, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass transcoded_segment_data_class =
MESSAGE_CLASS (lp_proto_transcoded_segment_data);
DEFINE_CODEC (LpProtoTranscodedSegmentData, lp_proto_transcoded_segment_data,
    transcoded_segment_data_class);

/* TranscodeData */

LpProtoTranscodeData *
lp_proto_transcode_data_new (void)
{
  LpProtoTranscodeData *message = g_new0 (LpProtoTranscodeData, 1);

  message->segments = g_ptr_array_new_with_free_func ((GDestroyNotify)
      lp_proto_transcoded_segment_data_free);
  return message;
}

void
lp_proto_transcode_data_free (LpProtoTranscodeData * message)
{
  if (message == NULL)
    return;
  g_ptr_array_unref (message->segments);
  g_clear_pointer (&message->sig, g_bytes_unref);
  g_free (message);
}

static void
write_lp_proto_transcode_data (GByteArray * out, gconstpointer message)
{
  const LpProtoTranscodeData *m = message;

  write_repeated_messages (out, 1, &transcoded_segment_data_class, m->segments);
  write_gbytes_field (out, 2, m->sig);
}

static gboolean
read_lp_proto_transcode_data_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoTranscodeData *m = message;

  switch (field) {
    case 1:
      return read_repeated_message (r, wt, "segments",
          &transcoded_segment_data_class, m->segments, error);
    case 2:
      return read_bytes (r, wt, "sig", &m->sig, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass transcode_data_class =
MESSAGE_CLASS (lp_proto_transcode_data);
DEFINE_CODEC (LpProtoTranscodeData, lp_proto_transcode_data,
    transcode_data_class);

/* TranscodeResult */

LpProtoTranscodeResult *
lp_proto_transcode_result_new (void)
{
  return g_new0 (LpProtoTranscodeResult, 1);
}

void
lp_proto_transcode_result_free (LpProtoTranscodeResult * message)
{
  if (message == NULL)
    return;
  g_free (message->error);
  lp_proto_transcode_data_free (message->data);
  lp_proto_orchestrator_info_free (message->info);
  g_free (message);
}

/* A oneof member is written whenever it is the one set, even at its
 * default: an empty error is a tag and a zero length */
static void
write_lp_proto_transcode_result (GByteArray * out, gconstpointer message)
{
  const LpProtoTranscodeResult *m = message;
  const gchar *error = m->error ? m->error : "";

  lp_proto_write_int64_field (out, 1, m->seq);
  if (m->result == LP_PROTO_RESULT_ERROR)
    lp_proto_write_length_delimited (out, 2, (const guint8 *) error,
        strlen (error));
  else if (m->result == LP_PROTO_RESULT_DATA && m->data)
    write_message_field (out, 3, &transcode_data_class, m->data);
  else if (m->result == LP_PROTO_RESULT_DATA)
    lp_proto_write_length_delimited (out, 3, NULL, 0);  /* empty data */
  write_message_field (out, 16, &orchestrator_info_class, m->info);
}

/* Setting one member of the oneof clears the other */
static gboolean
read_lp_proto_transcode_result_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoTranscodeResult *m = message;

  switch (field) {
    case 1:
      return read_int64 (r, wt, "seq", &m->seq, error);
    case 2:
      g_clear_pointer (&m->data, lp_proto_transcode_data_free);
      m->result = LP_PROTO_RESULT_ERROR;
      return read_string (r, wt, "error", &m->error, error);
    case 3:
      g_clear_pointer (&m->error, g_free);
      m->result = LP_PROTO_RESULT_DATA;
      return read_message (r, wt, "data", &transcode_data_class,
          (gpointer *) & m->data, error);
    case 16:
      return read_message (r, wt, "info", &orchestrator_info_class,
          (gpointer *) & m->info, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass transcode_result_class =
MESSAGE_CLASS (lp_proto_transcode_result);
DEFINE_CODEC (LpProtoTranscodeResult, lp_proto_transcode_result,
    transcode_result_class);

/* PaymentResult */

LpProtoPaymentResult *
lp_proto_payment_result_new (void)
{
  return g_new0 (LpProtoPaymentResult, 1);
}

void
lp_proto_payment_result_free (LpProtoPaymentResult * message)
{
  if (message == NULL)
    return;
  lp_proto_orchestrator_info_free (message->info);
  g_free (message);
}

static void
write_lp_proto_payment_result (GByteArray * out, gconstpointer message)
{
  const LpProtoPaymentResult *m = message;

  write_message_field (out, 16, &orchestrator_info_class, m->info);
}

static gboolean
read_lp_proto_payment_result_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoPaymentResult *m = message;

  if (field == 16)
    return read_message (r, wt, "info", &orchestrator_info_class,
        (gpointer *) & m->info, error);
  *known = FALSE;
  return TRUE;
}

static const MessageClass payment_result_class =
MESSAGE_CLASS (lp_proto_payment_result);
DEFINE_CODEC (LpProtoPaymentResult, lp_proto_payment_result,
    payment_result_class);

-- The transactional outbox and the consumer inbox (libs/events). Every
-- service applies these with its own migrations (component "events").

-- Events written in the same transaction as the state change they describe;
-- the relay publishes them in id order and sets published_at once the broker
-- acknowledged them. The envelope is kept exactly as the producer built it.
CREATE TABLE outbox (
  id            bigserial PRIMARY KEY,
  event_id      uuid NOT NULL UNIQUE,
  topic         text NOT NULL,
  key           text NOT NULL,
  ce_type       text NOT NULL,
  ce_source     text NOT NULL,
  ce_subject    text NOT NULL,
  ce_time       text NOT NULL,
  content_type  text NOT NULL,
  dataschema    text NOT NULL,
  traceparent   text,
  payload       bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz
);

-- What the relay reads: unpublished rows in id order. Stays small because
-- published rows leave it.
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
-- Pruning of published rows past their retention.
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

-- One row per event a consumer has dealt with, written in the same
-- transaction as the event's effects (status 'processed') or after the event
-- was sent to the dead-letter topic (status 'dead_lettered'). A redelivered
-- event finds its row and changes nothing.
CREATE TABLE inbox (
  consumer      text NOT NULL,
  event_id      uuid NOT NULL,
  ce_type       text,
  source_topic  text NOT NULL,
  source_partition integer NOT NULL,
  source_offset bigint NOT NULL,
  status        text NOT NULL CHECK (status IN ('processed', 'dead_lettered')),
  reason        text,
  received_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

CREATE INDEX inbox_received_at ON inbox (received_at);

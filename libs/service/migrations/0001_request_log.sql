-- Durable request_id idempotency (architecture §4): one row per mutation a
-- service has completed, written in the mutation's own transaction. A retry
-- with the same request_id finds it and gets the stored response; the same
-- request_id with a different request is refused.
CREATE TABLE request_log (
  scope         text NOT NULL,
  request_id    text NOT NULL,
  request_hash  text NOT NULL,
  response      bytea NOT NULL,
  agency        text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, request_id)
);
CREATE INDEX request_log_created_at ON request_log (created_at);

-- Audit of every mutating call and every query of personal data
-- (architecture §6): who, what, on which aggregate, why, on what legal basis.
CREATE TABLE audit_log (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  agency        text NOT NULL,
  token_id      text NOT NULL,
  method        text NOT NULL,
  region_code   text NOT NULL DEFAULT '',
  subject       text NOT NULL DEFAULT '',
  purpose       text NOT NULL DEFAULT '',
  legal_basis   text NOT NULL DEFAULT '',
  trace_id      text NOT NULL DEFAULT '',
  outcome       text NOT NULL DEFAULT 'ok'
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_agency_at ON audit_log (agency, at);

-- Deadlines counted in working days, with what they were counted from and with which
-- calendar (official arrangement or provisional statutory rule), so that loading an
-- official year recounts every open deadline that depended on the provisional one.
CREATE TABLE deadlines (
  subject          text NOT NULL,        -- 'cases/<id>', 'offers/<id>', …
  name             text NOT NULL,        -- 'due_date', 'notice_end', 'contract_due_date'
  rule             text NOT NULL,        -- '2026-12-20 after:5 after:15' (DeadlineRule)
  due              date NOT NULL,
  calendar         text NOT NULL,        -- 'CN-2026 official, CN-2027 provisional'
  provisional      boolean NOT NULL,
  calendar_digest  text NOT NULL,
  first_year       int NOT NULL,
  last_year        int NOT NULL,
  open             boolean NOT NULL DEFAULT true,
  recounted_at     timestamptz,
  created_at       timestamptz NOT NULL,
  PRIMARY KEY (subject, name)
);
CREATE INDEX deadlines_open ON deadlines (subject, name) WHERE open;

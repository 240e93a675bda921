-- A random id of this database, generated once: it namespaces the Redis keys
-- of cached conflict checks, so services on different databases sharing one
-- Redis (test runs, a restored copy) never read each other's results.
CREATE TABLE planning_instance (
  instance_id text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO planning_instance (instance_id) VALUES (md5(random()::text || clock_timestamp()::text));

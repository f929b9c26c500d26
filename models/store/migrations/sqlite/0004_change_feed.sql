-- Several portal instances on one database: every write to firms or reference data records a
-- change in its own transaction, numbered in commit order (the counter's row is locked until
-- the writer commits), so each instance brings its own search index in step with the others'
-- writes; leases let one instance at a time send mail and run scheduled jobs; failed sign-ins are
-- counted where every instance sees them.
CREATE TABLE change_counter (id integer NOT NULL, value integer NOT NULL, PRIMARY KEY (id));
INSERT INTO change_counter (id, value) VALUES (1, 0);
CREATE TABLE changes (seq integer NOT NULL, kind text NOT NULL, entity_id integer NOT NULL, origin text NOT NULL,
  at datetime NOT NULL, PRIMARY KEY (seq, kind, entity_id));
CREATE INDEX idx_changes_at ON changes(at);
CREATE TABLE leases (name text NOT NULL, holder text NOT NULL, expires_at datetime NOT NULL, PRIMARY KEY (name));
CREATE TABLE throttle (key text NOT NULL, started_at datetime NOT NULL, count integer NOT NULL, PRIMARY KEY (key));
CREATE INDEX idx_throttle_started ON throttle(started_at);

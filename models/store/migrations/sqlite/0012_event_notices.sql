-- Business-matching events: what each registration was told, kept for the portal's pages as well
-- as mailed: the message and its arguments, worded in the reader's language when shown.
CREATE TABLE event_notices (id integer PRIMARY KEY AUTOINCREMENT, event_id integer NOT NULL,
  registration_id integer NOT NULL, message_key text NOT NULL, args text NOT NULL DEFAULT '{}',
  path text NOT NULL DEFAULT '', created_at datetime NOT NULL,
  CONSTRAINT fk_event_notices_event FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE,
  CONSTRAINT fk_event_notices_registration FOREIGN KEY (registration_id) REFERENCES event_registrations(id) ON DELETE CASCADE);
CREATE INDEX idx_event_notices_registration ON event_notices(registration_id, id);

-- The fair day and after: how many days after the event its participants are asked how their
-- meetings went; each participant's badge with the random token its QR code carries and when it
-- checked in; what happened to each meeting on the day (held, or who did not come); the outcome
-- each side records after a meeting; and the follow-up mail sent to each participant.
ALTER TABLE events ADD COLUMN follow_up_days integer NOT NULL DEFAULT 182;
CREATE TABLE event_badges (id integer PRIMARY KEY AUTOINCREMENT, event_id integer NOT NULL,
  registration_id integer NOT NULL, token text NOT NULL, checked_in_at datetime, checked_in_by integer,
  created_at datetime NOT NULL,
  CONSTRAINT fk_event_badges_event FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE,
  CONSTRAINT fk_event_badges_registration FOREIGN KEY (registration_id) REFERENCES event_registrations(id) ON DELETE CASCADE);
CREATE UNIQUE INDEX idx_event_badges_registration ON event_badges(registration_id);
CREATE UNIQUE INDEX idx_event_badges_token ON event_badges(token);
CREATE INDEX idx_event_badges_event ON event_badges(event_id);
CREATE TABLE meeting_attendance (id integer PRIMARY KEY AUTOINCREMENT, meeting_id integer NOT NULL,
  status text NOT NULL, marked_by integer, marked_at datetime NOT NULL,
  CONSTRAINT fk_meeting_attendance_meeting FOREIGN KEY (meeting_id) REFERENCES meetings(id) ON DELETE CASCADE);
CREATE UNIQUE INDEX idx_meeting_attendance_meeting ON meeting_attendance(meeting_id);
CREATE TABLE meeting_outcomes (id integer PRIMARY KEY AUTOINCREMENT, meeting_id integer NOT NULL,
  registration_id integer NOT NULL, outcome text NOT NULL, notes text NOT NULL DEFAULT '',
  recorded_by integer, recorded_at datetime NOT NULL,
  CONSTRAINT fk_meeting_outcomes_meeting FOREIGN KEY (meeting_id) REFERENCES meetings(id) ON DELETE CASCADE,
  CONSTRAINT fk_meeting_outcomes_registration FOREIGN KEY (registration_id) REFERENCES event_registrations(id) ON DELETE CASCADE);
CREATE UNIQUE INDEX idx_meeting_outcomes_side ON meeting_outcomes(meeting_id, registration_id);
CREATE TABLE event_follow_ups (id integer PRIMARY KEY AUTOINCREMENT, event_id integer NOT NULL,
  registration_id integer NOT NULL, sent_at datetime NOT NULL,
  CONSTRAINT fk_event_follow_ups_event FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE,
  CONSTRAINT fk_event_follow_ups_registration FOREIGN KEY (registration_id) REFERENCES event_registrations(id) ON DELETE CASCADE);
CREATE UNIQUE INDEX idx_event_follow_ups_registration ON event_follow_ups(registration_id);

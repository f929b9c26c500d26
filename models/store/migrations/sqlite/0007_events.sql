-- Business-matching events: the events themselves (days, sessions, tables and languages kept as
-- JSON, since they are read and written whole), the firms registered for each, the meeting
-- requests between registrations, the schedule's meetings with where the participants were last
-- told they are, and the runs of the scheduler with their reports.
CREATE TABLE events (id integer PRIMARY KEY AUTOINCREMENT, name_vi text NOT NULL, name_en text NOT NULL,
  venue text NOT NULL, days text NOT NULL DEFAULT '[]', tables text NOT NULL DEFAULT '[]',
  languages text NOT NULL DEFAULT '[]', registration_opens datetime NOT NULL, registration_closes datetime NOT NULL,
  requests_open datetime NOT NULL, requests_close datetime NOT NULL, answer_within_minutes integer NOT NULL DEFAULT 0,
  max_meetings integer NOT NULL DEFAULT 0, max_per_session integer NOT NULL DEFAULT 0, direction text NOT NULL,
  max_buyers integer NOT NULL DEFAULT 0, max_suppliers integer NOT NULL DEFAULT 0, published_at datetime,
  created_at datetime NOT NULL, updated_at datetime NOT NULL);
CREATE TABLE event_registrations (id integer PRIMARY KEY AUTOINCREMENT, event_id integer NOT NULL,
  side text NOT NULL, firm_id integer, user_id integer NOT NULL, company text NOT NULL,
  country text NOT NULL DEFAULT '', requirement text NOT NULL DEFAULT '', languages text NOT NULL DEFAULT '[]',
  attendees text NOT NULL DEFAULT '[]', unavailable text NOT NULL DEFAULT '[]', status text NOT NULL,
  reason text NOT NULL DEFAULT '', decided_at datetime, created_at datetime NOT NULL, updated_at datetime NOT NULL,
  CONSTRAINT fk_event_registrations_event FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE,
  CONSTRAINT fk_event_registrations_firm FOREIGN KEY (firm_id) REFERENCES firms(id) ON DELETE CASCADE,
  CONSTRAINT fk_event_registrations_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE);
CREATE UNIQUE INDEX idx_event_registrations_firm ON event_registrations(event_id, firm_id);
CREATE INDEX idx_event_registrations_event ON event_registrations(event_id, status);
CREATE INDEX idx_event_registrations_user ON event_registrations(user_id);
CREATE TABLE meeting_requests (id integer PRIMARY KEY AUTOINCREMENT, event_id integer NOT NULL,
  from_id integer NOT NULL, to_id integer NOT NULL, priority text NOT NULL, state text NOT NULL,
  no_thanks numeric NOT NULL DEFAULT 0, reason text NOT NULL DEFAULT '', message text NOT NULL DEFAULT '',
  made_by integer, made_at datetime NOT NULL, answered_at datetime,
  CONSTRAINT fk_meeting_requests_event FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE,
  CONSTRAINT fk_meeting_requests_from FOREIGN KEY (from_id) REFERENCES event_registrations(id) ON DELETE CASCADE,
  CONSTRAINT fk_meeting_requests_to FOREIGN KEY (to_id) REFERENCES event_registrations(id) ON DELETE CASCADE);
CREATE INDEX idx_meeting_requests_event ON meeting_requests(event_id, state);
CREATE INDEX idx_meeting_requests_from ON meeting_requests(from_id);
CREATE INDEX idx_meeting_requests_to ON meeting_requests(to_id);
CREATE TABLE meetings (id integer PRIMARY KEY AUTOINCREMENT, event_id integer NOT NULL, request_id integer NOT NULL,
  slot integer NOT NULL, table_number integer NOT NULL, interpreter_id integer,
  locked numeric NOT NULL DEFAULT 0, published_slot integer NOT NULL DEFAULT 0,
  published_table integer NOT NULL DEFAULT 0, updated_at datetime NOT NULL,
  CONSTRAINT fk_meetings_event FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE,
  CONSTRAINT fk_meetings_request FOREIGN KEY (request_id) REFERENCES meeting_requests(id) ON DELETE CASCADE,
  CONSTRAINT fk_meetings_interpreter FOREIGN KEY (interpreter_id) REFERENCES event_registrations(id) ON DELETE SET NULL);
CREATE UNIQUE INDEX idx_meetings_request ON meetings(request_id);
CREATE INDEX idx_meetings_event ON meetings(event_id, slot);
CREATE TABLE schedule_runs (id integer PRIMARY KEY AUTOINCREMENT, event_id integer NOT NULL,
  run_at datetime NOT NULL, run_by text NOT NULL DEFAULT '', placed integer NOT NULL, bound integer NOT NULL,
  unscheduled integer NOT NULL, breaks integer NOT NULL, max_breaks integer NOT NULL, min_breaks integer NOT NULL,
  report text NOT NULL DEFAULT '{}',
  CONSTRAINT fk_schedule_runs_event FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE);
CREATE INDEX idx_schedule_runs_event ON schedule_runs(event_id, id);

-- Accounts and trust: users with roles, their firms, sessions, single-use links, the mail
-- outbox, the append-only audit log, certificate evidence and verification, claims of firms,
-- and what buyers ask about that profiles lacked (equipment, capacity).
CREATE TABLE users (id integer PRIMARY KEY AUTOINCREMENT, email text NOT NULL, name text NOT NULL DEFAULT '',
  role text NOT NULL, lang text NOT NULL DEFAULT 'vi', password_hash text NOT NULL DEFAULT '',
  email_verified_at datetime, disabled_at datetime, created_at datetime NOT NULL, updated_at datetime NOT NULL);
CREATE UNIQUE INDEX idx_users_email ON users(email);
CREATE TABLE memberships (user_id integer NOT NULL, firm_id integer NOT NULL, role text NOT NULL,
  created_at datetime NOT NULL, PRIMARY KEY (user_id, firm_id),
  CONSTRAINT fk_memberships_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT fk_memberships_firm FOREIGN KEY (firm_id) REFERENCES firms(id) ON DELETE CASCADE);
CREATE INDEX idx_memberships_firm ON memberships(firm_id);
CREATE TABLE sessions (id integer PRIMARY KEY AUTOINCREMENT, token_hash text NOT NULL, user_id integer NOT NULL,
  csrf_token text NOT NULL, created_at datetime NOT NULL, last_seen_at datetime NOT NULL, expires_at datetime NOT NULL,
  client_addr text NOT NULL DEFAULT '', user_agent text NOT NULL DEFAULT '',
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE);
CREATE UNIQUE INDEX idx_sessions_token ON sessions(token_hash);
CREATE INDEX idx_sessions_user ON sessions(user_id);
CREATE TABLE tokens (id integer PRIMARY KEY AUTOINCREMENT, hash text NOT NULL, purpose text NOT NULL,
  user_id integer, email text NOT NULL DEFAULT '', data text NOT NULL DEFAULT '', created_at datetime NOT NULL,
  expires_at datetime NOT NULL, used_at datetime,
  CONSTRAINT fk_tokens_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE);
CREATE UNIQUE INDEX idx_tokens_hash ON tokens(hash);
CREATE TABLE outbox (id integer PRIMARY KEY AUTOINCREMENT, recipient text NOT NULL, lang text NOT NULL,
  subject text NOT NULL, body text NOT NULL, created_at datetime NOT NULL, next_attempt_at datetime NOT NULL,
  attempts integer NOT NULL DEFAULT 0, last_error text NOT NULL DEFAULT '', sent_at datetime, failed_at datetime);
CREATE INDEX idx_outbox_due ON outbox(sent_at, failed_at, next_attempt_at);
CREATE TABLE audit_events (id integer PRIMARY KEY AUTOINCREMENT, at datetime NOT NULL, actor_id integer,
  actor_name text NOT NULL, actor_role text NOT NULL, client_addr text NOT NULL DEFAULT '', action text NOT NULL,
  entity_type text NOT NULL, entity_id text NOT NULL, firm_id integer, changes text NOT NULL DEFAULT '[]',
  reason text NOT NULL DEFAULT '', correlation_id text NOT NULL DEFAULT '');
CREATE INDEX idx_audit_firm ON audit_events(firm_id, id);
CREATE INDEX idx_audit_entity ON audit_events(entity_type, entity_id);
CREATE INDEX idx_audit_correlation ON audit_events(correlation_id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
ALTER TABLE certificates ADD COLUMN accreditation_body text NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN state text NOT NULL DEFAULT 'claimed';
ALTER TABLE certificates ADD COLUMN verified_by text NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN verification_method text NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN decision_note text NOT NULL DEFAULT '';
UPDATE certificates SET state = 'verified' WHERE verified_at IS NOT NULL;
CREATE TABLE certificate_scans (id integer PRIMARY KEY AUTOINCREMENT, certificate_id integer NOT NULL,
  firm_id integer NOT NULL, stored_name text NOT NULL, original_name text NOT NULL, content_type text NOT NULL,
  size integer NOT NULL, uploaded_by integer, uploaded_at datetime NOT NULL,
  CONSTRAINT fk_scans_certificate FOREIGN KEY (certificate_id) REFERENCES certificates(id) ON DELETE CASCADE,
  CONSTRAINT fk_scans_firm FOREIGN KEY (firm_id) REFERENCES firms(id) ON DELETE CASCADE);
CREATE INDEX idx_scans_certificate ON certificate_scans(certificate_id);
CREATE TABLE reminders_sent (certificate_id integer NOT NULL, days integer NOT NULL, expires text NOT NULL,
  sent_at datetime NOT NULL, PRIMARY KEY (certificate_id, days, expires),
  CONSTRAINT fk_reminders_certificate FOREIGN KEY (certificate_id) REFERENCES certificates(id) ON DELETE CASCADE);
CREATE TABLE claims (id integer PRIMARY KEY AUTOINCREMENT, user_id integer NOT NULL, firm_id integer,
  proposal text NOT NULL DEFAULT '', method text NOT NULL, evidence text NOT NULL DEFAULT '',
  message text NOT NULL DEFAULT '', status text NOT NULL, reason text NOT NULL DEFAULT '', decided_by integer,
  decided_at datetime, created_at datetime NOT NULL,
  CONSTRAINT fk_claims_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT fk_claims_firm FOREIGN KEY (firm_id) REFERENCES firms(id) ON DELETE CASCADE);
CREATE INDEX idx_claims_status ON claims(status, created_at);
CREATE TABLE equipment (id integer PRIMARY KEY AUTOINCREMENT, firm_id integer NOT NULL, position integer NOT NULL DEFAULT 0,
  machine_type text NOT NULL, count integer NOT NULL DEFAULT 1, spec text NOT NULL DEFAULT '',
  CONSTRAINT fk_equipment_firm FOREIGN KEY (firm_id) REFERENCES firms(id) ON DELETE CASCADE);
CREATE INDEX idx_equipment_firm ON equipment(firm_id);
ALTER TABLE firms ADD COLUMN monthly_capacity text NOT NULL DEFAULT '';
ALTER TABLE firms ADD COLUMN lot_sizes text NOT NULL DEFAULT '';
ALTER TABLE firms ADD COLUMN lead_time_days integer NOT NULL DEFAULT 0;
ALTER TABLE firms ADD COLUMN capacity_notes text NOT NULL DEFAULT '';
ALTER TABLE firms ADD COLUMN verified_by text NOT NULL DEFAULT '';
ALTER TABLE firms ADD COLUMN edited_at datetime;
ALTER TABLE firms ADD COLUMN reviewed_at datetime;

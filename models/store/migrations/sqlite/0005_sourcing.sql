-- Sourcing: a buyer's shortlists of suppliers with notes, requests for quotation with one
-- thread per supplier firm and its messages (questions, quotations, declines), and saved
-- searches with the suppliers each has already listed, so alerts name only new ones.
CREATE TABLE shortlists (id integer PRIMARY KEY AUTOINCREMENT, user_id integer NOT NULL, name text NOT NULL,
  created_at datetime NOT NULL, updated_at datetime NOT NULL,
  CONSTRAINT fk_shortlists_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE);
CREATE INDEX idx_shortlists_user ON shortlists(user_id, name);
CREATE TABLE shortlist_items (shortlist_id integer NOT NULL, firm_id integer NOT NULL, note text NOT NULL DEFAULT '',
  added_at datetime NOT NULL, PRIMARY KEY (shortlist_id, firm_id),
  CONSTRAINT fk_shortlist_items_list FOREIGN KEY (shortlist_id) REFERENCES shortlists(id) ON DELETE CASCADE,
  CONSTRAINT fk_shortlist_items_firm FOREIGN KEY (firm_id) REFERENCES firms(id) ON DELETE CASCADE);
CREATE INDEX idx_shortlist_items_firm ON shortlist_items(firm_id);
CREATE TABLE rfqs (id integer PRIMARY KEY AUTOINCREMENT, buyer_id integer NOT NULL, title text NOT NULL,
  description text NOT NULL, quantity integer NOT NULL DEFAULT 0, annual_volume integer NOT NULL DEFAULT 0,
  target_date date, standards text NOT NULL DEFAULT '', delivery_place text NOT NULL DEFAULT '',
  nda numeric NOT NULL DEFAULT 0, created_at datetime NOT NULL,
  CONSTRAINT fk_rfqs_buyer FOREIGN KEY (buyer_id) REFERENCES users(id) ON DELETE CASCADE);
CREATE INDEX idx_rfqs_buyer ON rfqs(buyer_id, created_at);
CREATE TABLE rfq_threads (id integer PRIMARY KEY AUTOINCREMENT, rfq_id integer NOT NULL, firm_id integer NOT NULL,
  status text NOT NULL, forwarded numeric NOT NULL DEFAULT 0, read_at datetime, reported_at datetime,
  reported_by text NOT NULL DEFAULT '', report_reason text NOT NULL DEFAULT '', created_at datetime NOT NULL,
  updated_at datetime NOT NULL,
  CONSTRAINT fk_rfq_threads_rfq FOREIGN KEY (rfq_id) REFERENCES rfqs(id) ON DELETE CASCADE,
  CONSTRAINT fk_rfq_threads_firm FOREIGN KEY (firm_id) REFERENCES firms(id) ON DELETE CASCADE);
CREATE UNIQUE INDEX idx_rfq_threads_rfq_firm ON rfq_threads(rfq_id, firm_id);
CREATE INDEX idx_rfq_threads_firm ON rfq_threads(firm_id, updated_at);
CREATE TABLE rfq_messages (id integer PRIMARY KEY AUTOINCREMENT, thread_id integer NOT NULL, author_id integer,
  author_name text NOT NULL DEFAULT '', side text NOT NULL, kind text NOT NULL, body text NOT NULL DEFAULT '',
  price text NOT NULL DEFAULT '', currency text NOT NULL DEFAULT '', lead_time_days integer NOT NULL DEFAULT 0,
  valid_until date, created_at datetime NOT NULL,
  CONSTRAINT fk_rfq_messages_thread FOREIGN KEY (thread_id) REFERENCES rfq_threads(id) ON DELETE CASCADE,
  CONSTRAINT fk_rfq_messages_author FOREIGN KEY (author_id) REFERENCES users(id) ON DELETE SET NULL);
CREATE INDEX idx_rfq_messages_thread ON rfq_messages(thread_id, id);
CREATE TABLE saved_searches (id integer PRIMARY KEY AUTOINCREMENT, user_id integer NOT NULL, name text NOT NULL,
  query text NOT NULL, frequency text NOT NULL, unsubscribe_token text NOT NULL, last_run_at datetime,
  created_at datetime NOT NULL,
  CONSTRAINT fk_saved_searches_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE);
CREATE INDEX idx_saved_searches_user ON saved_searches(user_id);
CREATE UNIQUE INDEX idx_saved_searches_token ON saved_searches(unsubscribe_token);
CREATE TABLE saved_search_hits (saved_search_id integer NOT NULL, firm_id integer NOT NULL,
  first_seen_at datetime NOT NULL, PRIMARY KEY (saved_search_id, firm_id),
  CONSTRAINT fk_saved_search_hits_search FOREIGN KEY (saved_search_id) REFERENCES saved_searches(id) ON DELETE CASCADE,
  CONSTRAINT fk_saved_search_hits_firm FOREIGN KEY (firm_id) REFERENCES firms(id) ON DELETE CASCADE);

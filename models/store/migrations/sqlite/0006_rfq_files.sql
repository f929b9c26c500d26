-- Files attached to requests for quotation: the buyer's drawings and specifications on the
-- request (message_id NULL, shared by every thread of the RFQ) and files on one message or
-- quotation. The files live under rfq-files/ in the data directory; a row names one by its
-- random stored name and keeps the name the user sent for showing.
CREATE TABLE rfq_files (id integer PRIMARY KEY AUTOINCREMENT, rfq_id integer NOT NULL, message_id integer,
  stored_name text NOT NULL, original_name text NOT NULL, content_type text NOT NULL, size integer NOT NULL,
  uploaded_by integer, created_at datetime NOT NULL,
  CONSTRAINT fk_rfq_files_rfq FOREIGN KEY (rfq_id) REFERENCES rfqs(id) ON DELETE CASCADE,
  CONSTRAINT fk_rfq_files_message FOREIGN KEY (message_id) REFERENCES rfq_messages(id) ON DELETE CASCADE,
  CONSTRAINT fk_rfq_files_uploader FOREIGN KEY (uploaded_by) REFERENCES users(id) ON DELETE SET NULL);
CREATE INDEX idx_rfq_files_rfq ON rfq_files(rfq_id, id);
CREATE INDEX idx_rfq_files_message ON rfq_files(message_id);
CREATE UNIQUE INDEX idx_rfq_files_stored_name ON rfq_files(stored_name);

-- A firm's taxonomy links go with the firm, like its sites and certificates, and name only
-- taxonomy terms that exist. SQLite cannot add a foreign key to a table, so it is rebuilt.
CREATE TABLE firm_terms_new (firm_id integer NOT NULL, term_code text NOT NULL, position integer,
  PRIMARY KEY (firm_id, term_code),
  CONSTRAINT fk_firm_terms_firm FOREIGN KEY (firm_id) REFERENCES firms(id) ON DELETE CASCADE,
  CONSTRAINT fk_firm_terms_term FOREIGN KEY (term_code) REFERENCES terms(code));
INSERT INTO firm_terms_new (firm_id, term_code, position)
  SELECT firm_id, term_code, position FROM firm_terms
  WHERE firm_id IN (SELECT id FROM firms) AND term_code IN (SELECT code FROM terms);
DROP TABLE firm_terms;
ALTER TABLE firm_terms_new RENAME TO firm_terms;
CREATE INDEX idx_firm_terms_term_code ON firm_terms(term_code);

-- A firm's taxonomy links go with the firm, like its sites and certificates, and name only
-- taxonomy terms that exist.
DELETE FROM firm_terms WHERE firm_id NOT IN (SELECT id FROM firms) OR term_code NOT IN (SELECT code FROM terms);
ALTER TABLE firm_terms ADD CONSTRAINT fk_firm_terms_firm FOREIGN KEY (firm_id) REFERENCES firms(id) ON DELETE CASCADE;
ALTER TABLE firm_terms ADD CONSTRAINT fk_firm_terms_term FOREIGN KEY (term_code) REFERENCES terms(code);

-- Requests for quotation: when the RFQ asks for a non-disclosure agreement, the day a member of
-- the firm accepted it in the thread (its attachments open only then); for a firm without an
-- account, when and by whom the Department forwarded the request.
ALTER TABLE rfq_threads ADD COLUMN nda_accepted_at datetime;
ALTER TABLE rfq_threads ADD COLUMN nda_accepted_by text NOT NULL DEFAULT '';
ALTER TABLE rfq_threads ADD COLUMN forwarded_at datetime;
ALTER TABLE rfq_threads ADD COLUMN forwarded_by text NOT NULL DEFAULT '';

-- The dashboard's worklist of certificates expiring in the next 90 days reads certificates by
-- expiry date, which no index served: at 100,000 firms it read every certificate.
CREATE INDEX idx_certificates_expires ON certificates(expires);

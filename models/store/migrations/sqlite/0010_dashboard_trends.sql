-- The dashboard's trends count audit rows of a few actions by month (firms created and
-- verified) and look up when a firm was last reminded to update its profile: both read the
-- audit log by action and time, which no index served.
CREATE INDEX idx_audit_action_at ON audit_events(action, at);

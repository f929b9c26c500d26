-- The Department's dashboard. Programme targets are edited by staff (audited); the seeded rows
-- are the published targets: about 1,000 supporting-industry firms and 40 % of them meeting
-- international standards by 2025 (Department, October 2024), about 1,200 firms and over 40 %
-- by 2030 (Decision 6126/QĐ-UBND of 10 December 2025). Snapshots keep the headline figures of
-- each day, written by the daily job, for the trends.
CREATE TABLE programme_targets (id integer PRIMARY KEY AUTOINCREMENT, metric text NOT NULL,
  year integer NOT NULL, value integer NOT NULL, source text NOT NULL, updated_at datetime NOT NULL);
CREATE UNIQUE INDEX idx_programme_targets_metric_year ON programme_targets(metric, year);
INSERT INTO programme_targets (metric, year, value, source, updated_at) VALUES
  ('firms', 2025, 1000, 'Sở Công Thương Hà Nội, kế hoạch 2025 (Việt Nam News, 28/10/2024)', CURRENT_TIMESTAMP),
  ('certified_share', 2025, 40, 'Sở Công Thương Hà Nội, kế hoạch 2025 (Việt Nam News, 28/10/2024)', CURRENT_TIMESTAMP),
  ('firms', 2030, 1200, 'Quyết định 6126/QĐ-UBND ngày 10/12/2025', CURRENT_TIMESTAMP),
  ('certified_share', 2030, 40, 'Quyết định 6126/QĐ-UBND ngày 10/12/2025 (trên 40 %)', CURRENT_TIMESTAMP);
CREATE TABLE dashboard_snapshots (id integer PRIMARY KEY AUTOINCREMENT, day text NOT NULL,
  firms integer NOT NULL, certified integer NOT NULL, verified_certified integer NOT NULL,
  verified_firms integer NOT NULL, taken_at datetime NOT NULL);
CREATE UNIQUE INDEX idx_dashboard_snapshots_day ON dashboard_snapshots(day);

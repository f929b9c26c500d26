package store

import "database/sql"

// PoolStats reports the database connection pool: connections open, in use and idle, and how
// often a request waited for one. (The outbox queue's length is OutboxCounts.)
func (s *Store) PoolStats() sql.DBStats {
	sqlDB, err := s.db.DB()
	if err != nil {
		return sql.DBStats{}
	}
	return sqlDB.Stats()
}

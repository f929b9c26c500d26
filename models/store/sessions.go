package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/auth"
)

// SessionLimits are how long a session lives: Idle without a request, Absolute in all.
type SessionLimits struct {
	Idle     time.Duration
	Absolute time.Duration
}

// CreateSession starts a session for the account and returns the token for its cookie; only the
// token's hash is stored. A login always makes a new session, so a session id planted before the
// login is worthless after it.
func (s *Store) CreateSession(ctx context.Context, u *models.User, clientAddr, userAgent string, lim SessionLimits) (string, *models.Session, error) {
	if u.Disabled() {
		return "", nil, models.ErrForbidden
	}
	plain, hash, err := auth.NewToken()
	if err != nil {
		return "", nil, err
	}
	csrf, _, err := auth.NewToken()
	if err != nil {
		return "", nil, err
	}
	now := s.now().UTC()
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	sess := &models.Session{TokenHash: hash, UserID: u.ID, CSRFToken: csrf, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(lim.Absolute), ClientAddr: clientAddr, UserAgent: userAgent}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(sess).Error; err != nil {
			return err
		}
		a := models.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, ClientAddr: clientAddr}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "session.start", EntityType: "user", EntityID: idText(u.ID)})
	})
	return plain, sess, err
}

// touchEvery limits how often a session's last-seen time is written: once a minute is precise
// enough for an idle timeout of minutes and spares a write per request.
const touchEvery = time.Minute

// SessionByToken returns the live session with the token and its account. A session past its
// idle or absolute limit, or of a disabled account, is removed and reported as not found.
func (s *Store) SessionByToken(ctx context.Context, token string, lim SessionLimits) (*models.Session, *models.User, error) {
	if token == "" {
		return nil, nil, models.ErrNotFound
	}
	var sessions []models.Session
	db := s.db.WithContext(ctx)
	if err := db.Where("token_hash = ?", auth.HashToken(token)).Limit(1).Find(&sessions).Error; err != nil {
		return nil, nil, err
	}
	if len(sessions) == 0 {
		return nil, nil, models.ErrNotFound
	}
	sess := &sessions[0]
	now := s.now().UTC()
	u, err := s.UserByID(ctx, sess.UserID)
	if err != nil || u.Disabled() || !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= lim.Idle {
		db.Delete(&models.Session{}, sess.ID)
		return nil, nil, models.ErrNotFound
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		sess.LastSeenAt = now
		db.Model(sess).Update("last_seen_at", now)
	}
	return sess, u, nil
}

// EndSession ends the session with the token (a logout).
func (s *Store) EndSession(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Where("token_hash = ?", auth.HashToken(token)).Delete(&models.Session{}).Error
}

// Sessions lists the account's sessions, newest first.
func (s *Store) Sessions(ctx context.Context, userID uint) ([]models.Session, error) {
	var out []models.Session
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("last_seen_at DESC").Find(&out).Error
	return out, err
}

// EndOtherSessions ends every session of the account except keep.
func (s *Store) EndOtherSessions(ctx context.Context, a models.Actor, userID, keep uint) (int64, error) {
	if a.UserID != userID && !a.IsAdmin() {
		return 0, models.ErrForbidden
	}
	now := s.now().UTC()
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("user_id = ? AND id <> ?", userID, keep).Delete(&models.Session{})
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		return writeAudit(tx, now, a, models.AuditEvent{Action: "session.end_others", EntityType: "user", EntityID: idText(userID),
			Changes: models.FieldChanges{{Field: "sessions", Old: idText(uint(n)), New: "0"}}})
	})
	return n, err
}

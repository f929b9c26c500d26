package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/auth"
)

// issueToken stores a single-use link's hash inside tx and returns the plain token for the link.
func issueToken(tx *gorm.DB, now time.Time, purpose models.TokenPurpose, userID *uint, email, data string, ttl time.Duration) (string, error) {
	plain, hash, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	t := models.Token{Hash: hash, Purpose: purpose, UserID: userID, Email: email, Data: data,
		CreatedAt: now, ExpiresAt: now.Add(ttl)}
	return plain, tx.Create(&t).Error
}

// IssueToken makes a single-use link for purpose, valid for ttl.
func (s *Store) IssueToken(ctx context.Context, purpose models.TokenPurpose, userID *uint, email, data string, ttl time.Duration) (string, error) {
	var plain string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		plain, err = issueToken(tx, s.now().UTC(), purpose, userID, email, data, ttl)
		return err
	})
	return plain, err
}

// UseToken spends a single-use link: it works once, before it expires, for its purpose only.
// Unknown, used and expired links give the same models.ErrTokenInvalid.
func (s *Store) UseToken(ctx context.Context, plain string, purpose models.TokenPurpose) (*models.Token, error) {
	if plain == "" || len(plain) > 100 {
		return nil, models.ErrTokenInvalid
	}
	hash := auth.HashToken(plain)
	now := s.now().UTC()
	var t models.Token
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&models.Token{}).
			Where("hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?", hash, purpose, now).
			Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return models.ErrTokenInvalid
		}
		return tx.Where("hash = ?", hash).First(&t).Error
	})
	return &t, err
}

// PeekToken reports whether a link is still good without spending it, for the page that shows
// the form behind it.
func (s *Store) PeekToken(ctx context.Context, plain string, purpose models.TokenPurpose) (*models.Token, error) {
	var ts []models.Token
	err := s.db.WithContext(ctx).Where("hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?",
		auth.HashToken(plain), purpose, s.now().UTC()).Limit(1).Find(&ts).Error
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, models.ErrTokenInvalid
	}
	return &ts[0], nil
}

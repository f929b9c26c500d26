package store

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// MailText renders a mail in the recipient's language from a message key and its arguments: the
// web layer sets it (from the locales, with the portal's public address for links); the store
// only decides who is told what, in the transaction of the change.
type MailText func(lang, key string, args map[string]any) (subject, body string)

// SetMailText sets how mails are worded.
func (s *Store) SetMailText(fn MailText) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mailText = fn
}

// plainMailText words a mail when no MailText is set (tools and tests): the key and arguments.
func plainMailText(_, key string, args map[string]any) (string, string) {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %v\n", k, args[k])
	}
	return key, b.String()
}

// queueFor queues the mail with key to one recipient, in their language.
func (s *Store) queueFor(tx *gorm.DB, now time.Time, to, lang, key string, args map[string]any) error {
	s.mu.RLock()
	text := s.mailText
	s.mu.RUnlock()
	if text == nil {
		text = plainMailText
	}
	subject, body := text(lang, key, args)
	return queueMail(tx, now, models.Mail{Recipient: to, Lang: lang, Subject: subject, Body: body})
}

// queueForMembers queues the mail with key to every member of the firm who can sign in.
func (s *Store) queueForMembers(tx *gorm.DB, now time.Time, firmID uint, key string, args map[string]any) error {
	var users []models.User
	err := tx.Joins("JOIN memberships ON memberships.user_id = users.id").
		Where("memberships.firm_id = ? AND users.disabled_at IS NULL", firmID).Find(&users).Error
	if err != nil {
		return err
	}
	for _, u := range users {
		if err := s.queueFor(tx, now, u.Email, u.Lang, key, args); err != nil {
			return err
		}
	}
	return nil
}

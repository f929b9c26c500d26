package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

var admin = models.SystemActor("test")

func createUser(t *testing.T, s *Store, email string, role models.Role) *models.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), admin, models.UserInput{Email: email, Name: email, Role: role, PasswordHash: "x", Verified: true})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestCreateUser(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	t.Run("SignUpAsBuyer", func(t *testing.T) {
		u, err := s.CreateUser(ctx, models.Actor{ClientAddr: "127.0.0.1"}, models.UserInput{Email: " Mua@Example.COM ", Role: models.RoleBuyer})
		if err != nil || u.Email != "mua@example.com" || u.EmailVerifiedAt != nil {
			t.Fatalf("%+v, %v", u, err)
		}
	})
	t.Run("ErrForbiddenSignUpAsStaff", func(t *testing.T) {
		_, err := s.CreateUser(ctx, models.Actor{}, models.UserInput{Email: "x@example.com", Role: models.RoleStaff})
		if !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrForbiddenBuyerCreatesAccounts", func(t *testing.T) {
		_, err := s.CreateUser(ctx, models.Actor{UserID: 9, Role: models.RoleBuyer}, models.UserInput{Email: "y@example.com", Role: models.RoleBuyer})
		if !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrConflictSameEmail", func(t *testing.T) {
		_, err := s.CreateUser(ctx, admin, models.UserInput{Email: "MUA@example.com", Role: models.RoleBuyer})
		if !errors.Is(err, models.ErrConflict) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrEmailInvalid", func(t *testing.T) {
		_, err := s.CreateUser(ctx, admin, models.UserInput{Email: "<script>@x", Role: models.RoleBuyer})
		var ve *models.ValidationError
		if !errors.As(err, &ve) || !ve.Has("email") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	u := createUser(t, s, "a@example.com", models.RoleBuyer)
	lim := SessionLimits{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

	token, sess, err := s.CreateSession(ctx, u, "127.0.0.1", "test", lim)
	if err != nil || len(token) < 40 {
		t.Fatalf("token %q, %v", token, err)
	}
	if sess.TokenHash == token || strings.Contains(sess.TokenHash, token) {
		t.Fatal("the session token is stored in the clear")
	}
	t.Run("Found", func(t *testing.T) {
		if _, got, err := s.SessionByToken(ctx, token, lim); err != nil || got.ID != u.ID {
			t.Fatalf("%v, %v", got, err)
		}
	})
	t.Run("ErrNotFoundAfterIdleTimeout", func(t *testing.T) {
		tok, _, _ := s.CreateSession(ctx, u, "", "", lim)
		now = now.Add(31 * time.Minute)
		defer func() { now = now.Add(-31 * time.Minute) }()
		if _, _, err := s.SessionByToken(ctx, tok, lim); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrNotFoundAfterAbsoluteLifetime", func(t *testing.T) {
		tok, _, _ := s.CreateSession(ctx, u, "", "", lim)
		start := now
		for now.Sub(start) <= 12*time.Hour { // active every 20 minutes, never idle
			now = now.Add(20 * time.Minute)
			if _, _, err := s.SessionByToken(ctx, tok, lim); err != nil {
				break
			}
		}
		if _, _, err := s.SessionByToken(ctx, tok, lim); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("session alive after its absolute lifetime: %v", err)
		}
	})
	t.Run("EndedByPasswordChange", func(t *testing.T) {
		tok, _, _ := s.CreateSession(ctx, u, "", "", lim)
		a, _ := s.ActorFor(ctx, u, "")
		if err := s.SetPassword(ctx, a, u.ID, "new-hash"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionByToken(ctx, tok, lim); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("session outlived the password change: %v", err)
		}
	})
	t.Run("EndedByDisable", func(t *testing.T) {
		v := createUser(t, s, "v@example.com", models.RoleSupplier)
		tok, _, _ := s.CreateSession(ctx, v, "", "", lim)
		if err := s.DisableUser(ctx, admin, v.ID, "left the firm"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionByToken(ctx, tok, lim); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("session outlived the disable: %v", err)
		}
		v, _ = s.UserByID(ctx, v.ID)
		if _, _, err := s.CreateSession(ctx, v, "", "", lim); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a disabled account got a session: %v", err)
		}
	})
	t.Run("Logout", func(t *testing.T) {
		tok, _, _ := s.CreateSession(ctx, u, "", "", lim)
		if err := s.EndSession(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionByToken(ctx, tok, lim); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestTokensWorkOnceAndExpire(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	u := createUser(t, s, "r@example.com", models.RoleBuyer)
	tok, err := s.IssueToken(ctx, models.TokenReset, &u.ID, u.Email, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseToken(ctx, tok, models.TokenVerifyEmail); !errors.Is(err, models.ErrTokenInvalid) {
		t.Fatalf("a reset link verified an e-mail: %v", err)
	}
	got, err := s.UseToken(ctx, tok, models.TokenReset)
	if err != nil || got.UserID == nil || *got.UserID != u.ID {
		t.Fatalf("%+v, %v", got, err)
	}
	if _, err := s.UseToken(ctx, tok, models.TokenReset); !errors.Is(err, models.ErrTokenInvalid) {
		t.Fatalf("the link worked twice: %v", err)
	}
	late, _ := s.IssueToken(ctx, models.TokenReset, &u.ID, u.Email, "", time.Hour)
	now = now.Add(61 * time.Minute)
	if _, err := s.UseToken(ctx, late, models.TokenReset); !errors.Is(err, models.ErrTokenInvalid) {
		t.Fatalf("an expired link worked: %v", err)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	createUser(t, s, "audit@example.com", models.RoleBuyer)
	var n int64
	s.db.Model(&models.AuditEvent{}).Count(&n)
	if n == 0 {
		t.Fatal("creating an account wrote no audit row")
	}
	if err := s.db.Exec("UPDATE audit_events SET actor_name = 'someone else'").Error; err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("UPDATE on audit_events: %v", err)
	}
	if err := s.db.Exec("DELETE FROM audit_events").Error; err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("DELETE on audit_events: %v", err)
	}
	events, err := s.AuditEvents(ctx, admin, AuditFilter{EntityType: "user"})
	if err != nil || len(events) == 0 || events[0].Action != "user.create" {
		t.Fatalf("%+v, %v", events, err)
	}
	if _, err := s.AuditEvents(ctx, models.Actor{UserID: 5, Role: models.RoleBuyer}, AuditFilter{}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a buyer read the audit log: %v", err)
	}
}

func TestMembershipsAreCheckedInTheStore(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	f := termFirm(t, s.Reference(), "0101234567", "Công ty TNHH Thành viên", "co-khi")
	if err := s.SaveFirm(ctx, f); err != nil {
		t.Fatal(err)
	}
	owner := createUser(t, s, "owner@example.com", models.RoleSupplier)
	editor := createUser(t, s, "editor@example.com", models.RoleSupplier)
	other := createUser(t, s, "other@example.com", models.RoleSupplier)
	if err := s.AddMember(ctx, admin, f.ID, owner.ID, models.MemberOwner); err != nil {
		t.Fatal(err)
	}
	ownerActor, _ := s.ActorFor(ctx, owner, "")
	otherActor, _ := s.ActorFor(ctx, other, "")
	if err := s.AddMember(ctx, otherActor, f.ID, other.ID, models.MemberEditor); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an outsider joined a firm: %v", err)
	}
	if err := s.AddMember(ctx, ownerActor, f.ID, editor.ID, models.MemberEditor); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMember(ctx, ownerActor, f.ID, other.ID, models.MemberOwner); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an owner made another owner without staff: %v", err)
	}
	editorActor, _ := s.ActorFor(ctx, editor, "")
	if err := s.RemoveMember(ctx, editorActor, f.ID, owner.ID); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an editor removed the owner: %v", err)
	}
	if _, err := s.Members(ctx, otherActor, f.ID); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an outsider read the members: %v", err)
	}
	ms, err := s.Members(ctx, editorActor, f.ID)
	if err != nil || len(ms) != 2 {
		t.Fatalf("%v, %v", ms, err)
	}
}

package auth

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	seen := make(map[string]bool)
	for range 1000 {
		plain, hash, err := NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if seen[plain] {
			t.Fatalf("token %q issued twice", plain)
		}
		seen[plain] = true
		raw, err := base64.RawURLEncoding.DecodeString(plain)
		if err != nil || len(raw) != 32 {
			t.Fatalf("token %q is not 32 bytes of unpadded URL base64 (%v)", plain, err)
		}
		if hash != HashToken(plain) || !SameHash(hash, HashToken(plain)) {
			t.Fatalf("hash %q is not HashToken of the token", hash)
		}
		if len(hash) != 64 || strings.ToLower(hash) != hash {
			t.Fatalf("hash %q is not 64 lower-case hex digits", hash)
		}
	}
}

func TestSameHash(t *testing.T) {
	a, b := HashToken("token a"), HashToken("token b")
	tests := []struct {
		name string
		x, y string
		want bool
	}{
		{"MatchesEqual", a, a, true},
		{"RefusesDifferent", a, b, false},
		{"RefusesOtherCase", a, strings.ToUpper(a), false},
		{"RefusesBothEmpty", "", "", false},
		{"RefusesEmptyStored", a, "", false},
		{"RefusesPrefix", a, a[:32], false},
		{"RefusesPlainToken", "token a", "token a", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SameHash(tt.x, tt.y); got != tt.want {
				t.Errorf("SameHash = %v; want %v", got, tt.want)
			}
		})
	}
}

package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	const password = "Đèn đỏ dừng lại 42"
	encoded, err := Hash(password)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		password string
		ok       bool
	}{
		{"MatchesSamePassword", password, true},
		{"RefusesWrongPassword", "Đèn xanh đi tiếp 42", false},
		{"RefusesOtherCase", strings.ToUpper(password), false},
		{"RefusesPrefix", password[:len(password)-1], false},
		{"RefusesEmpty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := Verify(tt.password, encoded)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.ok || rehash {
				t.Errorf("Verify = %v, rehash %v; want %v, false", ok, rehash, tt.ok)
			}
		})
	}
}

func TestHashFormat(t *testing.T) {
	a, err := Hash("same password")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Hash("same password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not start with the PHC prefix of the current parameters", a)
	}
	if a == b {
		t.Error("two hashes of one password are equal; the salt is not random")
	}
	_, salt, key, err := decodeHash(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(salt) != saltLen || len(key) != keyLen {
		t.Errorf("salt %d bytes, key %d bytes; want %d and %d", len(salt), len(key), saltLen, keyLen)
	}
}

func TestVerifyTampered(t *testing.T) {
	encoded, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(encoded, "$")
	flip := func(s string) string {
		c := byte('A')
		if s[0] == 'A' {
			c = 'B'
		}
		return string(c) + s[1:]
	}
	tests := []struct {
		name    string
		encoded string
	}{
		{"RefusesChangedKey", strings.Join(append(parts[:5:5], flip(parts[5])), "$")},
		{"RefusesChangedSalt", strings.Join(append(parts[:4:4], flip(parts[4]), parts[5]), "$")},
		{"RefusesChangedTimeCost", strings.Replace(encoded, "t=2", "t=3", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, _, err := Verify("correct horse battery", tt.encoded)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				t.Error("Verify accepted a tampered hash")
			}
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	const salt, key = "c2FsdHNhbHRzYWx0c2FsdA", "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
	good := "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key
	if _, _, _, err := decodeHash(good); err != nil {
		t.Fatalf("the well-formed base case is refused: %v", err)
	}
	tests := []struct {
		name    string
		encoded string
	}{
		{"ErrEmpty", ""},
		{"ErrPlainText", "hunter2hunter2"},
		{"ErrBcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"ErrArgon2i", strings.Replace(good, "argon2id", "argon2i", 1)},
		{"ErrVersion16", strings.Replace(good, "v=19", "v=16", 1)},
		{"ErrNoVersion", strings.Replace(good, "$v=19", "", 1)},
		{"ErrMissingKey", strings.TrimSuffix(good, "$"+key)},
		{"ErrExtraField", good + "$extra"},
		{"ErrNoLeadingDollar", good[1:]},
		{"ErrParamsOutOfOrder", strings.Replace(good, "m=19456,t=2,p=1", "t=2,m=19456,p=1", 1)},
		{"ErrParamMissing", strings.Replace(good, ",p=1", "", 1)},
		{"ErrParamNotNumber", strings.Replace(good, "m=19456", "m=lots", 1)},
		{"ErrParamNegative", strings.Replace(good, "t=2", "t=-2", 1)},
		{"ErrParamOverflow", strings.Replace(good, "m=19456", "m=99999999999", 1)},
		{"ErrTimeZero", strings.Replace(good, "t=2", "t=0", 1)},
		{"ErrThreadsZero", strings.Replace(good, "p=1", "p=0", 1)},
		{"ErrThreadsHuge", strings.Replace(good, "p=1", "p=255", 1)},
		{"ErrMemoryBelowLanes", strings.Replace(good, "m=19456", "m=4", 1)},
		{"ErrMemoryHuge", strings.Replace(good, "m=19456", "m=4294967295", 1)},
		{"ErrTimeHuge", strings.Replace(good, "t=2", "t=100000", 1)},
		{"ErrSaltNotBase64", strings.Replace(good, salt, "!!!!!!!!!!!!", 1)},
		{"ErrSaltPadded", strings.Replace(good, salt, salt+"==", 1)},
		{"ErrSaltShort", strings.Replace(good, salt, "c2FsdA", 1)},
		{"ErrSaltEmpty", strings.Replace(good, salt, "", 1)},
		{"ErrKeyShort", strings.Replace(good, key, "a2V5", 1)},
		{"ErrKeyHuge", strings.Replace(good, key, strings.Repeat("AAAA", 100), 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := Verify("password", tt.encoded)
			if !errors.Is(err, ErrMalformedHash) {
				t.Errorf("err = %v; want ErrMalformedHash", err)
			}
			if ok || rehash {
				t.Errorf("Verify = %v, rehash %v for a malformed hash", ok, rehash)
			}
		})
	}
}

func TestVerifyRehash(t *testing.T) {
	const password = "mật khẩu đủ dài"
	tests := []struct {
		name     string
		params   argonParams
		password string
		ok       bool
		rehash   bool
	}{
		{"CurrentNeedsNoRehash", current, password, true, false},
		{"LessMemoryNeedsRehash", argonParams{memory: 8 * 1024, time: 2, threads: 1}, password, true, true},
		{"FewerPassesNeedsRehash", argonParams{memory: 19 * 1024, time: 1, threads: 1}, password, true, true},
		{"MoreMemoryNeedsNoRehash", argonParams{memory: 24 * 1024, time: 2, threads: 1}, password, true, false},
		{"WrongPasswordNeverRehashes", argonParams{memory: 8 * 1024, time: 1, threads: 1}, "wrong", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			encoded, err := hashWith(tt.params, password)
			if err != nil {
				t.Fatal(err)
			}
			ok, rehash, err := Verify(tt.password, encoded)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.ok || rehash != tt.rehash {
				t.Errorf("Verify = %v, rehash %v; want %v, %v", ok, rehash, tt.ok, tt.rehash)
			}
		})
	}
}

// TestVerifyDummy checks the dummy hash costs what a real one does: same parameters and sizes, so
// Argon2 does the same work.
func TestVerifyDummy(t *testing.T) {
	p, salt, key, err := decodeHash(dummyHash)
	if err != nil {
		t.Fatal(err)
	}
	if p != current || len(salt) != saltLen || len(key) != keyLen {
		t.Errorf("dummy hash has %+v, salt %d, key %d; want %+v, %d, %d", p, len(salt), len(key), current, saltLen, keyLen)
	}
	if ok, _, _ := Verify("", dummyHash); ok {
		t.Error("the dummy hash matches the empty password")
	}
	VerifyDummy("any password")
}

func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("benchmark password"); err != nil {
			b.Fatal(err)
		}
	}
}

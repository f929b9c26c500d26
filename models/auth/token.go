package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// tokenBytes gives 256 bits of randomness, beyond any guessing within a token's lifetime.
const tokenBytes = 32

// NewToken returns a fresh random token for a session, an e-mail confirmation or a password reset:
// plain goes to the user (43 URL-safe characters, fit for a link) and hash, HashToken(plain), is
// what gets stored, so a leaked table cannot be replayed.
func NewToken() (plain, hash string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: token: %w", err)
	}
	plain = base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain), nil
}

// HashToken returns the hex SHA-256 of a token as the user presented it. A plain hash suffices,
// unlike for passwords: the token is random and long, so there is nothing to guess from it.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// SameHash reports, in constant time, whether two token hashes are equal. Anything that is not
// the length of a HashToken result never matches, so an empty stored value cannot match an empty
// one.
func SameHash(a, b string) bool {
	const n = 2 * sha256.Size
	if len(a) != n || len(b) != n {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argonParams are the Argon2id costs recorded in a stored hash.
type argonParams struct {
	memory  uint32 // KiB
	time    uint32 // passes over memory
	threads uint8
}

// current follows OWASP's Password Storage Cheat Sheet (m=19 MiB, t=2, p=1): about 30 ms of one
// core (BenchmarkHash) and 19 MiB per sign-in in flight, which a small server can afford and an
// attacker with a stolen table cannot.
var current = argonParams{memory: 19 * 1024, time: 2, threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// Bounds on what a stored hash may ask for. A hash from this package is always inside them; they
// keep a damaged or tampered row from making Verify allocate gigabytes or spin for minutes.
const (
	maxMemory  = 1 << 20 // KiB, 1 GiB
	maxTime    = 64
	maxThreads = 16
	minSalt    = 8
	maxSalt    = 64
	minKey     = 16
	maxKey     = 64
)

// ErrMalformedHash is returned by Verify when the stored string is not an Argon2id hash in PHC
// format with sane parameters. It is an internal fault (a damaged row), not the user's.
var ErrMalformedHash = errors.New("auth: malformed password hash")

var b64 = base64.RawStdEncoding.Strict()

// Hash returns the password's Argon2id hash in PHC string format,
// $argon2id$v=19$m=19456,t=2,p=1$salt$key, with a fresh 16-byte salt and a 32-byte key.
func Hash(password string) (string, error) {
	return hashWith(current, password)
}

func hashWith(p argonParams, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, keyLen)
	return encodeHash(p, salt, key), nil
}

func encodeHash(p argonParams, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Verify reports whether password matches the stored hash encoded, comparing in constant time.
// rehash is true when the password matches and the hash was made with weaker costs than Hash uses
// now (less memory, fewer passes, a shorter salt or key), so the caller should store Hash(password)
// in its place; it is never true for a wrong password, as only the right one can be hashed again.
// A malformed hash returns an error wrapping ErrMalformedHash.
func Verify(password, encoded string) (ok, rehash bool, err error) {
	p, salt, want, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, uint32(len(want)))
	ok = subtle.ConstantTimeCompare(got, want) == 1
	weaker := p.memory < current.memory || p.time < current.time || len(salt) < saltLen || len(want) < keyLen
	return ok, ok && weaker, nil
}

// dummyHash has the current costs, so checking a password against it takes as long as against a
// real account's hash. Its key is all zeros, which no password derives in practice.
var dummyHash = encodeHash(current, make([]byte, saltLen), make([]byte, keyLen))

// VerifyDummy does the work of a Verify and throws the answer away. Call it when no account has
// the given e-mail, so that an unknown address takes as long to refuse as a wrong password and the
// timing does not tell which addresses have accounts.
func VerifyDummy(password string) {
	_, _, _ = Verify(password, dummyHash)
}

func decodeHash(encoded string) (p argonParams, salt, key []byte, err error) {
	bad := func(reason string) (argonParams, []byte, []byte, error) {
		return argonParams{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, reason)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return bad("not six $-separated fields")
	}
	if parts[1] != "argon2id" {
		return bad("algorithm is not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("version is not 19")
	}
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return bad("parameters are not m, t and p")
	}
	var nums [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		v, found := strings.CutPrefix(fields[i], name)
		if !found {
			return bad("parameters are not m, t and p in that order")
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return bad("parameter " + name + " is not a number")
		}
		nums[i] = n
	}
	m, t, threads := nums[0], nums[1], nums[2]
	switch {
	case threads < 1 || threads > maxThreads:
		return bad("parallelism out of range")
	case t < 1 || t > maxTime:
		return bad("time cost out of range")
	case m < 8*threads || m > maxMemory: // Argon2 needs 8 KiB per lane
		return bad("memory cost out of range")
	}
	p = argonParams{memory: uint32(m), time: uint32(t), threads: uint8(threads)}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < minSalt || len(salt) > maxSalt {
		return bad("salt is not 8 to 64 bytes of unpadded base64")
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < minKey || len(key) > maxKey {
		return bad("key is not 16 to 64 bytes of unpadded base64")
	}
	return p, salt, key, nil
}

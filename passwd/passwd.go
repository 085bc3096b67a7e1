// Package passwd hashes operators' passwords with argon2id and checks them.
//
// Hashes are PHC strings,
//
//	$argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash>
//
// with salt and hash in unpadded standard base64, the format of the
// reference implementation (RFC 9106 §3 names the parameters). The hashes
// travel from the hub to every workstation of a comune so that login works
// offline: Verify reads the parameters from the string itself, and refuses
// absurd ones, so that a forged or corrupt hash cannot make a workstation
// allocate gigabytes or spin for minutes.
package passwd

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters and the sizes of salt and hash.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes of the hash
}

// Default follows RFC 9106 §4, second recommended option (for when 2 GiB
// per hash is too much): argon2id, t=3, m=64 MiB, 128-bit salt, 256-bit
// tag, with p=2 lanes instead of 4 because a counter PC has two cores (the
// number of lanes does not change the memory-hardness, only how many cores
// can share the work). BenchmarkHash measures a login on the machine at
// hand.
var Default = Params{Memory: 64 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}

// Bounds on the parameters Verify accepts: a hash from the hub's database
// is outside input for a workstation.
const (
	MaxMemory  = 1 << 20 // KiB: 1 GiB
	MaxTime    = 20
	MaxThreads = 16
	MinSaltLen = 8 // RFC 9106 §3.1: at least 8 bytes, 16 recommended
	MaxSaltLen = 64
	MinKeyLen  = 16
	MaxKeyLen  = 64
)

// ErrBadParams is returned by HashWith for parameters Verify would refuse.
var ErrBadParams = errors.New("passwd: argon2id parameters out of bounds")

// Validate checks p against the bounds Verify enforces.
func (p Params) Validate() error {
	switch {
	case p.Time < 1 || p.Time > MaxTime,
		p.Threads < 1 || p.Threads > MaxThreads,
		p.Memory < 8*uint32(p.Threads) || p.Memory > MaxMemory, // RFC 9106 §3.1: m ≥ 8p
		p.SaltLen < MinSaltLen || p.SaltLen > MaxSaltLen,
		p.KeyLen < MinKeyLen || p.KeyLen > MaxKeyLen:
		return fmt.Errorf("%w: m=%d t=%d p=%d salt=%d key=%d", ErrBadParams, p.Memory, p.Time, p.Threads, p.SaltLen, p.KeyLen)
	}
	return nil
}

// Hash returns the PHC string of password with the Default parameters and
// a fresh random salt.
func Hash(password string) (string, error) { return HashWith(Default, password) }

// HashWith is Hash with other parameters: tests use cheap ones.
func HashWith(p Params, password string) (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	if password == "" {
		return "", errors.New("passwd: empty password")
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("passwd: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return format(p, salt, key), nil
}

var b64 = base64.RawStdEncoding.Strict()

func format(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Verify reports whether password matches the PHC string phc. A malformed
// string, another algorithm or version, or parameters out of bounds give
// false. The comparison of the hashes takes constant time. Verify has the
// signature of app.PasswordVerifier.
func Verify(phc, password string) bool {
	p, salt, key, err := parse(phc)
	if err != nil || key == nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1
}

// parse reads a PHC string of argon2id, version 19, strictly: the fields
// in the order the reference implementation writes them, decimal numbers
// without signs or leading zeros, canonical unpadded base64.
func parse(phc string) (Params, []byte, []byte, error) {
	var p Params
	bad := func(what string) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("passwd: malformed hash: %s", what)
	}
	f := strings.Split(phc, "$")
	if len(f) != 6 || f[0] != "" {
		return bad("fields")
	}
	if f[1] != "argon2id" {
		return bad("algorithm")
	}
	if v, ok := strings.CutPrefix(f[2], "v="); !ok || v != strconv.Itoa(argon2.Version) {
		return bad("version")
	}
	kv := strings.Split(f[3], ",")
	if len(kv) != 3 {
		return bad("parameters")
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		s, ok := strings.CutPrefix(kv[i], name)
		if !ok || s == "" || len(s) > 10 || (s[0] == '0' && len(s) > 1) {
			return bad("parameter " + name)
		}
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			return bad("parameter " + name)
		}
		vals[i] = n
	}
	if vals[2] > MaxThreads {
		return bad("parallelism")
	}
	p.Memory, p.Time, p.Threads = uint32(vals[0]), uint32(vals[1]), uint8(vals[2])
	salt, err := b64.DecodeString(f[4])
	if err != nil || b64.EncodeToString(salt) != f[4] { // the decoder skips \r and \n
		return bad("salt")
	}
	var key []byte
	if f[5] == keyMark {
		key = nil // the parameters of an operator's key (KeyParams): no hash
	} else if key, err = b64.DecodeString(f[5]); err != nil || len(key) == 0 || b64.EncodeToString(key) != f[5] {
		return bad("hash")
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if key == nil {
		p.KeyLen = ed25519.SeedSize
	}
	if err := p.Validate(); err != nil {
		return Params{}, nil, nil, err
	}
	return p, salt, key, nil
}

// keyMark ends the parameters of an operator's key in place of a hash.
const keyMark = "ed25519"

// NewKey makes an operator's signing key from password: its seed is
// argon2id of the password under a fresh salt of its own (not the password
// hash's, which workstations hold: the hash reveals nothing of the key).
// It returns the parameters to derive the key again at login, as a PHC
// string ending in "$ed25519" instead of a hash, and the public key the
// hub checks the operator's signatures with.
func NewKey(password string) (params string, pub ed25519.PublicKey, err error) {
	return NewKeyWith(Default, password)
}

// NewKeyWith is NewKey with other parameters: tests use cheap ones.
func NewKeyWith(p Params, password string) (string, ed25519.PublicKey, error) {
	p.KeyLen = ed25519.SeedSize
	if err := p.Validate(); err != nil {
		return "", nil, err
	}
	if password == "" {
		return "", nil, errors.New("passwd: empty password")
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", nil, fmt.Errorf("passwd: salt: %w", err)
	}
	params := fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), keyMark)
	key, err := DeriveKey(params, password)
	if err != nil {
		return "", nil, err
	}
	return params, key.Public().(ed25519.PublicKey), nil
}

// DeriveKey derives an operator's signing key from password and the
// parameters NewKey made. Like Verify it refuses malformed parameters or
// absurd costs: they come from the hub, outside input for a workstation.
func DeriveKey(params, password string) (ed25519.PrivateKey, error) {
	p, salt, key, err := parse(params)
	if err != nil {
		return nil, err
	}
	if key != nil {
		return nil, errors.New("passwd: a password hash, not the parameters of a key")
	}
	seed := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, ed25519.SeedSize)
	return ed25519.NewKeyFromSeed(seed), nil
}

// NewKeyLike is NewKey with the cost of the password hash phc: the demo
// and the tests make keys as cheap as their hashes.
func NewKeyLike(phc, password string) (string, ed25519.PublicKey, error) {
	p, _, _, err := parse(phc)
	if err != nil {
		return "", nil, err
	}
	return NewKeyWith(p, password)
}

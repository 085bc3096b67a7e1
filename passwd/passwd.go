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
	if err != nil {
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
	key, err := b64.DecodeString(f[5])
	if err != nil || b64.EncodeToString(key) != f[5] {
		return bad("hash")
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.Validate(); err != nil {
		return Params{}, nil, nil, err
	}
	return p, salt, key, nil
}

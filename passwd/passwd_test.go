package passwd

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// cheap are parameters that keep the tests fast; the format and the code
// paths are those of Default.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashVerify(t *testing.T) {
	h, err := HashWith(cheap, "Corretto-Cavallo-42")
	if err != nil {
		t.Fatal(err)
	}
	if want := "$argon2id$v=19$m=64,t=1,p=1$"; !strings.HasPrefix(h, want) {
		t.Fatalf("hash %q does not start with %q", h, want)
	}
	t.Run("RightPassword", func(t *testing.T) {
		if !Verify(h, "Corretto-Cavallo-42") {
			t.Fatal("the right password is refused")
		}
	})
	t.Run("WrongPassword", func(t *testing.T) {
		for _, pw := range []string{"", "corretto-cavallo-42", "Corretto-Cavallo-4", "Corretto-Cavallo-42 "} {
			if Verify(h, pw) {
				t.Errorf("wrong password %q accepted", pw)
			}
		}
	})
	t.Run("FreshSalt", func(t *testing.T) {
		h2, err := HashWith(cheap, "Corretto-Cavallo-42")
		if err != nil {
			t.Fatal(err)
		}
		if h2 == h {
			t.Fatal("two hashes of the same password are equal: the salt is not random")
		}
		if !Verify(h2, "Corretto-Cavallo-42") {
			t.Fatal("second hash refuses its password")
		}
	})
	t.Run("Unicode", func(t *testing.T) {
		h, err := HashWith(cheap, "perché-così")
		if err != nil {
			t.Fatal(err)
		}
		if !Verify(h, "perché-così") || Verify(h, "perche-cosi") {
			t.Fatal("accented password not told apart from its unaccented twin")
		}
	})
}

func TestHashDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB hash")
	}
	start := time.Now()
	h, err := Hash("segreto")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("default hash took %v", time.Since(start))
	if want := "$argon2id$v=19$m=65536,t=3,p=2$"; !strings.HasPrefix(h, want) {
		t.Fatalf("hash %q does not start with %q", h, want)
	}
	if !Verify(h, "segreto") || Verify(h, "Segreto") {
		t.Fatal("default hash does not verify")
	}
}

// TestVerifyKnownVector pins the format against a hash made by the
// reference implementation (P-H-C/phc-winner-argon2: echo -n password |
// argon2 somesalt -id -t 2 -m 16 -p 4 -l 32 -e), so that hashes made by
// other tools verify.
func TestVerifyKnownVector(t *testing.T) {
	const h = "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo"
	if !Verify(h, "password") {
		t.Fatal("reference vector refused")
	}
	if Verify(h, "passwore") {
		t.Fatal("reference vector accepts a wrong password")
	}
}

func TestHashWithBadParams(t *testing.T) {
	for name, p := range map[string]Params{
		"ZeroTime":      {Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32},
		"ZeroThreads":   {Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32},
		"HugeMemory":    {Memory: MaxMemory + 1, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		"ShortSalt":     {Memory: 64, Time: 1, Threads: 1, SaltLen: 7, KeyLen: 32},
		"ShortKey":      {Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8},
		"MemoryBelow8p": {Memory: 15, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := HashWith(p, "x"); !errors.Is(err, ErrBadParams) {
				t.Fatalf("err = %v, want ErrBadParams", err)
			}
		})
	}
	t.Run("EmptyPassword", func(t *testing.T) {
		if _, err := HashWith(cheap, ""); err == nil {
			t.Fatal("empty password hashed")
		}
	})
}

func TestVerifyTampered(t *testing.T) {
	h, err := HashWith(cheap, "segreto")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Split(h, "$") // "", alg, v, params, salt, hash
	join := func(mod func(f []string)) string {
		g := append([]string(nil), f...)
		mod(g)
		return strings.Join(g, "$")
	}
	flip := func(s string) string { // change one base64 digit
		b := []byte(s)
		if b[0] == 'A' {
			b[0] = 'B'
		} else {
			b[0] = 'A'
		}
		return string(b)
	}
	for name, s := range map[string]string{
		"Empty":             "",
		"Garbage":           "not a hash",
		"Argon2i":           join(func(f []string) { f[1] = "argon2i" }),
		"Bcrypt":            "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"Version16":         join(func(f []string) { f[2] = "v=16" }),
		"NoVersion":         "$argon2id$m=64,t=1,p=1$" + f[4] + "$" + f[5],
		"OtherMemory":       join(func(f []string) { f[3] = "m=72,t=1,p=1" }),
		"OtherTime":         join(func(f []string) { f[3] = "m=64,t=2,p=1" }),
		"OtherThreads":      join(func(f []string) { f[3] = "m=64,t=1,p=2" }),
		"ParamsReordered":   join(func(f []string) { f[3] = "t=1,m=64,p=1" }),
		"ParamSign":         join(func(f []string) { f[3] = "m=+64,t=1,p=1" }),
		"ParamLeadingZero":  join(func(f []string) { f[3] = "m=064,t=1,p=1" }),
		"ParamExtra":        join(func(f []string) { f[3] = "m=64,t=1,p=1,k=1" }),
		"SaltChanged":       join(func(f []string) { f[4] = flip(f[4]) }),
		"HashChanged":       join(func(f []string) { f[5] = flip(f[5]) }),
		"HashTruncated":     join(func(f []string) { f[5] = f[5][:len(f[5])-4] }),
		"HashPadded":        join(func(f []string) { f[5] += "=" }),
		"SaltNonCanonical":  join(func(f []string) { f[4] = f[4][:len(f[4])-1] + "B" }), // 16 bytes end in 2 bits: "B" sets a spare bit
		"TrailingField":     h + "$",
		"LeadingText":       "x" + h,
		"ZeroTime":          join(func(f []string) { f[3] = "m=64,t=0,p=1" }),
		"ZeroThreads":       join(func(f []string) { f[3] = "m=64,t=1,p=0" }),
		"MemoryOverOneGiB":  join(func(f []string) { f[3] = "m=1048577,t=1,p=1" }),
		"MemoryOverflow":    join(func(f []string) { f[3] = "m=4294967296,t=1,p=1" }),
		"TimeOver20":        join(func(f []string) { f[3] = "m=64,t=21,p=1" }),
		"ThreadsOver16":     join(func(f []string) { f[3] = "m=256,t=1,p=17" }),
		"ThreadsOverflowU8": join(func(f []string) { f[3] = "m=64,t=1,p=257" }), // would wrap to 1
		"SaltUnder8Bytes":   join(func(f []string) { f[4] = "c2FsdHk" }),        // "salty": 5 bytes
		"EmptySalt":         join(func(f []string) { f[4] = "" }),
		"EmptyHash":         join(func(f []string) { f[5] = "" }),
		"SaltNotBase64":     join(func(f []string) { f[4] = "!!!!!!!!!!!!" }),
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			if Verify(s, "segreto") {
				t.Fatalf("Verify(%q) = true", s)
			}
			// Refusals of absurd parameters happen before any hashing.
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("Verify(%q) took %v", s, d)
			}
		})
	}
}

func TestVerifyRefusesBeforeAllocating(t *testing.T) {
	// 1 GiB + 1 KiB, 20 passes: hashing this would take many seconds and a
	// gigabyte; Verify must refuse it by reading the string alone.
	const h = "$argon2id$v=19$m=1048577,t=20,p=16$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8"
	allocs := testing.AllocsPerRun(1, func() { Verify(h, "password") })
	if allocs > 50 {
		t.Fatalf("Verify allocated %v times for a refused hash", allocs)
	}
}

func FuzzVerify(f *testing.F) {
	h, err := HashWith(cheap, "segreto")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(h, "segreto")
	f.Add("$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo", "password")
	f.Fuzz(func(t *testing.T, phc, password string) {
		p, salt, key, err := parse(phc)
		if err != nil {
			if Verify(phc, password) {
				t.Fatalf("Verify accepts %q, which does not parse: %v", phc, err)
			}
			return
		}
		if p.Validate() != nil {
			t.Fatalf("parse returned params out of bounds: %+v", p)
		}
		// Parameters within bounds may still cost up to 1 GiB: the fuzzer
		// hashes only the cheap ones.
		if uint64(p.Memory)*uint64(p.Time) > 64*1024 {
			return
		}
		// The parser is strict: what it accepts is the one canonical
		// spelling of its parameters, salt and hash.
		if got := format(p, salt, key); got != phc {
			t.Fatalf("parse accepted %q, which formats back as %q", phc, got)
		}
		Verify(phc, password)
	})
}

// BenchmarkHash measures a login on this machine with the Default
// parameters: it should stay well under a second on a counter PC.
func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("segreto"); err != nil {
			b.Fatal(err)
		}
	}
}

/*
 * bcryptprimitives.dll for Wine 8.0 (Debian 12), which lacks it: the Go
 * runtime (1.22 and later) on Windows takes its random bytes from
 * ProcessPrng in this DLL, present on every Windows 10 and 11, and aborts
 * before main without it. The smoke test of ./do test puts this shim in
 * its own Wine prefix only; it is never shipped. ProcessPrng fills the
 * buffer from BCryptGenRandom with the system's preferred generator, which
 * Wine has.
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}

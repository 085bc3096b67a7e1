#!/bin/sh
# cups-setup.sh: a CUPS scheduler with the cups-pdf virtual printer "PDF",
# for the printing tests (go test ./printing runs it; CI may run it first).
# Idempotent. Prints the folder where cups-pdf writes the jobs of this user.
#
# Debian packages: cups printer-driver-cups-pdf (installed here when missing
# and running as root), and poppler-utils zbar-tools for the PDF tests.
set -eu

# CUPS's commands speak the caller's language: read them in English.
export LC_ALL=C LANG=C

CUPSD=/usr/sbin/cupsd
PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd

if [ ! -x "$CUPSD" ] || [ ! -f "$PPD" ]; then
	if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "cups-setup: cupsd or cups-pdf missing: apt-get install cups printer-driver-cups-pdf" >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends cups printer-driver-cups-pdf >/dev/null
fi

# Test processes may run this at the same time: one at a time.
exec 9>"${TMPDIR:-/tmp}/sportello-cups-setup.lock"
flock 9

running() { lpstat -r 2>/dev/null | grep -q 'is running'; }

# waitfor N: wait up to N tenths of a second for the scheduler to answer.
waitfor() {
	i=0
	until running; do
		i=$((i + 1))
		[ "$i" -gt "$1" ] && return 1
		sleep 0.1
	done
}

# No init system in containers: start the scheduler if it does not answer.
# Without -f, cupsd detaches and keeps running after this script. One that
# runs but does not answer (left half-started by the package's install
# script, say) gets a few seconds, then is replaced: two cannot share port
# 631.
if ! running; then
	if ! waitfor 30; then
		# Stop it and wait until it is gone (a zombie does not count:
		# containers may have no init to reap it), so port 631 is free.
		pkill -x cupsd 2>/dev/null || true
		i=0
		while ps -o stat= -C cupsd 2>/dev/null | grep -qv '^Z' && [ "$i" -lt 50 ]; do
			i=$((i + 1))
			sleep 0.1
		done
		"$CUPSD"
		if ! waitfor 200; then
			echo "cups-setup: cupsd did not start" >&2
			exit 1
		fi
	fi
fi

if ! lpstat -e 2>/dev/null | grep -qx PDF; then
	# lpadmin warns that PPD drivers are deprecated: expected, and harmless.
	lpadmin -p PDF -v cups-pdf:/ -P "$PPD" -E 2>/dev/null
fi
cupsenable PDF
cupsaccept PDF

# cups-pdf's default Out is ${HOME}/PDF for the job's user.
echo "${HOME}/PDF"

#!/bin/sh
# cups-setup.sh: a CUPS scheduler with the cups-pdf virtual printer "PDF",
# for the printing tests (go test ./printing runs it; CI may run it first).
# Idempotent. Prints the folder where cups-pdf writes the jobs of this user.
#
# Debian packages: cups printer-driver-cups-pdf (installed here when missing
# and running as root), and poppler-utils zbar-tools for the PDF tests.
set -eu

CUPSD=/usr/sbin/cupsd
PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd

if [ ! -x "$CUPSD" ] || [ ! -f "$PPD" ]; then
	if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "cups-setup: cupsd or cups-pdf missing: apt-get install cups printer-driver-cups-pdf" >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends cups printer-driver-cups-pdf >/dev/null
fi

# No init system in containers: start the scheduler if it does not answer.
# Without -f, cupsd detaches and keeps running after this script.
# A scheduler that does not answer (one the package's install script left
# half-started, say) is stopped first: two cannot share port 631.
if ! lpstat -r 2>/dev/null | grep -q 'is running'; then
	pkill -x cupsd 2>/dev/null && sleep 0.5 || true
	"$CUPSD"
	i=0
	until lpstat -r 2>/dev/null | grep -q 'is running'; do
		i=$((i + 1))
		if [ "$i" -gt 50 ]; then
			echo "cups-setup: cupsd did not start" >&2
			exit 1
		fi
		sleep 0.2
	done
fi

if ! lpstat -e 2>/dev/null | grep -qx PDF; then
	# lpadmin warns that PPD drivers are deprecated: expected, and harmless.
	lpadmin -p PDF -v cups-pdf:/ -P "$PPD" -E 2>/dev/null
fi
cupsenable PDF
cupsaccept PDF

# cups-pdf's default Out is ${HOME}/PDF for the job's user.
echo "${HOME}/PDF"

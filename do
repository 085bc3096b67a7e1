#!/usr/bin/env bash
# The project's two everyday commands, usable on a fresh Debian machine:
#   ./do run    open the counter app on the embedded demo network
#   ./do test   run every test (what CI runs)
# Each first installs the system packages it lacks (apt, as root or sudo).
set -euo pipefail
cd "$(dirname "$0")"

# Packages: cgo + Fyne's X11/GL headers (the measured minimal set),
# Xvfb (and xdotool, to find a window and its size) for screenshots, poppler/zbar and fonts for
# the PDF and QR checks.
BUILD_PKGS="gcc libc6-dev pkg-config ca-certificates libgl-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev"
TEST_PKGS="xvfb xauth xdotool poppler-utils zbar-tools fonts-dejavu-core fonts-liberation2 cups printer-driver-cups-pdf chromium"

install_pkgs() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing: ${missing[*]}" >&2
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Fyne parses the locale when it loads and logs an error for "C" or
# "POSIX" (every command of the binary would print it): name a real one.
case "${LANG:-C}" in C | C.* | POSIX) export LANG=it_IT.UTF-8 ;; esac

need_go() {
	command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
	command -v go >/dev/null || { echo "Go 1.26 or newer is needed: https://go.dev/dl/" >&2; exit 1; }
}

case "${1:-}" in
run)
	shift
	install_pkgs $BUILD_PKGS
	need_go
	exec go run . "$@"
	;;
test)
	shift
	install_pkgs $BUILD_PKGS $TEST_PKGS
	need_go
	echo "== gofmt, go vet" >&2
	unformatted=$(gofmt -l .)
	[ -z "$unformatted" ] || { echo "not gofmt-clean: $unformatted" >&2; exit 1; }
	go vet ./...
	# The race detector rebuilds every cgo package (SQLite, GLFW); the
	# root package, the only one that links GLFW, runs without it.
	echo "== go test -race" >&2
	go test -race -count=1 "$@" $(go list ./... | grep -v '^github.com/sportello/sportello$')
	echo "== go test (desktop binary and CLI across processes)" >&2
	go test -count=1 "$@" .
	# The chaos harness (docs/RELIABILITY.md): seeded fault scenarios
	# against the real binaries; a fixed seed, so that a failure replays.
	echo "== sportello-chaos (20 runs)" >&2
	go run ./cmd/sportello-chaos --runs 20 --seed 1 --parallel 2
	;;
*)
	echo "usage: ./do run [app flags] | ./do test [go test flags]" >&2
	exit 2
	;;
esac

#!/usr/bin/env bash
# The project's two everyday commands, usable on a fresh Debian machine:
#   ./do run    open the counter app on the embedded demo network
#   ./do test   run every test (what CI runs)
# and the release builds:
#   ./do windows  cross-compile sportello.exe and sportello-hub.exe into dist/windows
#   ./do package  the Linux package of the desktop app: dist/linux/Sportello.tar.xz
# Each first installs the system packages it lacks (apt, as root or sudo).
set -euo pipefail
cd "$(dirname "$0")"

# Packages: cgo + Fyne's X11/GL headers (the measured minimal set),
# Xvfb (and xdotool, to find a window and its size) for screenshots, poppler/zbar and fonts for
# the PDF and QR checks.
BUILD_PKGS="gcc libc6-dev pkg-config ca-certificates libgl-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev"
TEST_PKGS="xvfb xauth xdotool poppler-utils zbar-tools fonts-dejavu-core fonts-liberation2 cups printer-driver-cups-pdf chromium"
# The Windows cross compiler (cgo: SQLite, GLFW), and Wine for the smoke
# test of the .exe files; xz for the Linux package.
WIN_PKGS="gcc-mingw-w64-x86-64"
WINE_PKGS="wine wine64"
PACKAGE_PKGS="xz-utils"
# The PostgreSQL server the hub's network backend is tested against (the
# distribution's, started by start_postgres).
PG_PKGS="postgresql"

# Tools run from the Go module proxy at pinned versions: the vulnerability
# scanner, the snapshot of the Go vulnerability database it reads (the
# module's data/osv, built into a local database by internal/tools/vulndb:
# the database's web host is not reachable from CI), and Fyne's packager.
GOVULNCHECK="golang.org/x/vuln/cmd/govulncheck@v1.10.0"
VULNDB="golang.org/x/vulndb@v0.0.0-20261105234957-e22db6528018"
FYNE_TOOL="fyne.io/tools/cmd/fyne@v1.7.4"

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
	# go.mod's toolchain line names the Go release the binaries are built
	# with (the one with the standard library's security fixes): an older
	# go fetches it from the module proxy, even where GOTOOLCHAIN=local.
	export GOTOOLCHAIN=auto
}

# start_postgres starts the distribution's PostgreSQL cluster (made by the
# package) when it is down, and gives the tests a role that may create
# their databases: SPORTELLO_TEST_POSTGRES is its URL.
start_postgres() {
	local as_pg="runuser -u postgres --" v port
	[ "$(id -u)" -eq 0 ] || as_pg="sudo -u postgres"
	v=$(ls /usr/lib/postgresql | sort -n | tail -1)
	if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$v main"; then
		$as_pg pg_createcluster "$v" main >/dev/null
	fi
	if ! pg_lsclusters -h | awk -v v="$v" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
		$as_pg pg_ctlcluster "$v" main start
	fi
	port=$(pg_lsclusters -h | awk -v v="$v" '$1 == v && $2 == "main" {print $3}')
	for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
	pg_isready -q -h 127.0.0.1 -p "$port" || { echo "PostgreSQL $v did not start" >&2; exit 1; }
	$as_pg psql -q -p "$port" -v ON_ERROR_STOP=1 >/dev/null <<-'SQL'
		SET client_min_messages = warning;
		SELECT 'CREATE ROLE sportello_test LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sportello_test') \gexec
		ALTER ROLE sportello_test PASSWORD 'sportello_test';
		GRANT pg_signal_backend TO sportello_test;
	SQL
	export SPORTELLO_TEST_POSTGRES="postgres://sportello_test:sportello_test@127.0.0.1:$port/postgres?sslmode=disable"
}

# build_windows cross-compiles both binaries for 64-bit Windows, cgo on.
build_windows() {
	mkdir -p dist/windows
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		go build -trimpath -o dist/windows/ . ./cmd/sportello-hub
}

# smoke_windows runs the .exe files under Wine, headless: a codice fiscale
# decoded from the built-in tables, then a hub seeded and serving on
# loopback and a workstation enrolled and synced through it (the
# Windows build's SQLite, files and network). The Wine prefix and the data
# live in dist/wine; wineserver -k ends what the run started there. Under
# load each command takes seconds (Wine starts each time): ~1 minute in all.
smoke_windows() (
	export WINEPREFIX="$PWD/dist/wine/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
	unset DISPLAY
	local d=dist/wine/data port out hub code
	rm -rf "$d" && mkdir -p "$d"
	trap 'wineserver -k 2>/dev/null || true' EXIT
	fail() { echo "Windows smoke test: $*" >&2; exit 1; }
	# Wine 8.0 lacks bcryptprimitives.dll, which Go's runtime needs on
	# Windows: the prefix gets the shim of scripts/wine (test only).
	[ -d "$WINEPREFIX/drive_c/windows/system32" ] || { wineboot --init && wineserver -w; } >/dev/null 2>&1
	x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
		scripts/wine/bcryptprimitives.c -lbcrypt
	out=$(wine dist/windows/sportello.exe cf RSSMRA80A01F205X) || fail "sportello.exe cf: $out"
	grep -q "luogo di nascita: F205 MILANO" <<<"$out" || fail "sportello.exe cf said: $out"
	wine dist/windows/sportello-hub.exe --help | grep -q "import-reference" || fail "sportello-hub.exe --help"
	wine dist/windows/sportello-hub.exe demo --data "$d/hub" --comune I690 --residents 40 >/dev/null || fail "sportello-hub.exe demo"
	code=$(wine dist/windows/sportello-hub.exe enroll-code --data "$d/hub" --comune I690 | tail -1 | tr -d '\r')
	port=$((20000 + RANDOM % 20000))
	wine dist/windows/sportello-hub.exe serve --data "$d/hub" --addr "127.0.0.1:$port" 2>"$d/serve.log" &
	hub=$!
	for _ in $(seq 100); do grep -q "hub listening" "$d/serve.log" && break; sleep 0.2; done
	grep -q "hub listening" "$d/serve.log" || fail "sportello-hub.exe serve: $(cat "$d/serve.log")"
	out=$(wine dist/windows/sportello.exe --data "$d/ws" enroll --hub "http://127.0.0.1:$port" --code "$code" 2>&1) || fail "sportello.exe enroll: $out"
	out=$(wine dist/windows/sportello.exe --data "$d/ws" sync 2>&1) || fail "sportello.exe sync: $out"
	kill "$hub" 2>/dev/null || true
	echo "Windows smoke test: cf, hub demo and serve, enroll and sync passed under $(wine --version)"
)

# build_package makes dist/linux/Sportello.tar.xz with Fyne's packager,
# from FyneApp.toml (name, id, version, icon).
build_package() {
	rm -rf dist/linux && mkdir -p dist/linux
	go run "$FYNE_TOOL" package --target linux --release
	mv Sportello.tar.xz dist/linux/
}

# check_package lists the archive: the binary, the icon and a .desktop file
# that names the app, its binary and its icon (under sportello/, with the
# Makefile that installs them: `sudo make install`).
check_package() {
	local list desktop
	list=$(tar -tJf dist/linux/Sportello.tar.xz)
	for f in sportello/Makefile sportello/usr/local/bin/sportello sportello/usr/local/share/pixmaps/it.sportello.counter.png sportello/usr/local/share/applications/it.sportello.counter.desktop; do
		grep -qx "$f" <<<"$list" || { echo "package: $f missing; the archive has:" >&2; echo "$list" >&2; return 1; }
	done
	desktop=$(tar -xJOf dist/linux/Sportello.tar.xz sportello/usr/local/share/applications/it.sportello.counter.desktop)
	for line in "Name=Sportello" "Exec=sportello" "Icon=it.sportello.counter"; do
		grep -qx "$line" <<<"$desktop" || { echo "package: the .desktop file lacks $line:" >&2; echo "$desktop" >&2; return 1; }
	done
	echo "package: dist/linux/Sportello.tar.xz ($(du -h dist/linux/Sportello.tar.xz | cut -f1)): binary, icon, .desktop"
}

# vulncheck runs govulncheck over every package against a local copy of the
# Go vulnerability database, first checking that the copy finds what it
# must (a known fix of net/http in go1.19.1): a database read as empty
# would pass every scan.
vulncheck() {
	local src db known
	src=$(cd / && go mod download -json "$VULNDB" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -d "$src/data/osv" ] || { echo "govulncheck: no data/osv in $VULNDB" >&2; return 1; }
	db="$PWD/dist/vulndb"
	go run ./internal/tools/vulndb -src "$src/data/osv" -version "${VULNDB#*@}" -out "$db"
	known=$(go run "$GOVULNCHECK" -db "file://$db" -mode query -format json stdlib@go1.19.0)
	grep -q '"id": "GO-2022-0969"' <<<"$known" || { echo "govulncheck: the database does not know GO-2022-0969" >&2; return 1; }
	go run "$GOVULNCHECK" -db "file://$db" ./...
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
	install_pkgs $BUILD_PKGS $TEST_PKGS $WIN_PKGS $WINE_PKGS $PACKAGE_PKGS $PG_PKGS
	need_go
	start_postgres
	echo "== gofmt, go vet" >&2
	unformatted=$(gofmt -l .)
	[ -z "$unformatted" ] || { echo "not gofmt-clean: $unformatted" >&2; exit 1; }
	go vet ./...
	# The Windows build (minutes when cold: the GLFW and SQLite C code
	# again, for mingw) runs beside the tests; its failure fails the run.
	echo "== Windows build, in the background (dist/windows/build.log)" >&2
	mkdir -p dist/windows
	build_windows >dist/windows/build.log 2>&1 &
	windows=$!
	trap 'kill $windows 2>/dev/null || true' EXIT
	echo "== govulncheck" >&2
	vulncheck
	# The race detector rebuilds every cgo package (SQLite, GLFW); the
	# root package, the only one that links GLFW, runs without it.
	echo "== go test -race" >&2
	go test -race -count=1 "$@" $(go list ./... | grep -v '^github.com/sportello/sportello$')
	echo "== go test (desktop binary and CLI across processes)" >&2
	go test -count=1 "$@" .
	# The hub's suites once more with the hub on PostgreSQL (the network
	# backend): the same tests, on the other engine. Left out: the tests
	# that back up and restore the SQLite file (a PostgreSQL hub's backups
	# are pg_dump's; the recovery after a restore runs on PostgreSQL in
	# hub/sqlstore) and the public pages' accessibility (HTML, not storage).
	echo "== go test, the hub on PostgreSQL" >&2
	SPORTELLO_TEST_HUB=postgres go test -count=1 "$@" ./hub ./hub/sqlstore ./sync \
		-skip '^(TestHubBackupWhilePushing|TestHubRestoredFromOlderBackup|TestPriorNumberOnlyAfterRestore|TestRestoredHubNeverNumbersTwice|TestRecoveryRelease|TestIUVBlocksAcrossRestore|TestQueueTicketsAcrossRestore|TestPublicPagesAccessible)$'
	# The chaos harness (docs/RELIABILITY.md): seeded fault scenarios
	# against the real binaries; a fixed seed, so that a failure replays.
	echo "== sportello-chaos (20 runs)" >&2
	go run ./cmd/sportello-chaos --runs 20 --seed 1 --parallel 2
	echo "== Windows build" >&2
	wait $windows || { cat dist/windows/build.log >&2; echo "the Windows build failed" >&2; exit 1; }
	trap - EXIT
	ls -l dist/windows/*.exe
	echo "== Windows binaries under Wine" >&2
	smoke_windows
	echo "== Linux package" >&2
	build_package
	check_package
	;;
windows)
	shift
	install_pkgs $WIN_PKGS
	need_go
	build_windows
	ls -l dist/windows/*.exe
	;;
package)
	shift
	install_pkgs $BUILD_PKGS $PACKAGE_PKGS
	need_go
	build_package
	check_package
	;;
*)
	echo "usage: ./do run [app flags] | ./do test [go test flags] | ./do windows | ./do package" >&2
	exit 2
	;;
esac

#!/usr/bin/env bash
# Runs every test of CollabCanvas and ends with one line: "N passed, N failed[, N skipped]".
# Needs the .NET 10 SDK and Node 20 (the build installs the editor's npm packages). Tests start what they need
# themselves (the server as real processes on loopback, real SQLite files in temporary directories, real PostgreSQL
# and Redis servers, a real OpenID Provider from tests/oidc-provider).
# Exit status is 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Services the tests need, from apt when missing: Chromium for the editor's end-to-end tests, nginx for the
# cluster tests, PostgreSQL and Redis for the PostgreSQL backend and the Redis fan-out (the tests start their own
# servers on loopback ports in temporary directories; the packages' own services are not used). Without them those
# tests fail (they never skip).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing from apt: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
        || echo "could not install ${missing[*]}: the tests that need them will fail"
fi
export PATH="$PATH:/usr/sbin"

# The OpenID Provider the sign-in tests run against (node-oidc-provider, a test-only dependency).
(cd tests/oidc-provider && npm ci --no-audit --no-fund --loglevel=error) || echo "npm ci in tests/oidc-provider failed: the sign-in tests will fail"

if ! dotnet build CollabCanvas.slnx -c Release --nologo -v quiet; then
    echo "build failed"
    echo "0 passed, 1 failed"
    exit 1
fi

# One test project at a time: on a 2-core machine, the end-to-end tests' browsers and the server tests' dozens of
# server processes would otherwise fight for the same cores. A test that starts several servers on a loaded machine
# may take minutes (each start has a 2-minute ceiling), so only a test still running after 20 counts as hung.
dotnet test CollabCanvas.slnx -c Release --no-build --nologo -m:1 \
    --logger "trx" --results-directory "$results" \
    --blame-hang-timeout 20m
status=$?

# The editor's unit tests (Vitest), reported as JUnit XML beside the .NET results.
(cd web && npx vitest run --reporter=default --reporter=junit --outputFile.junit="../$results/web.junit.xml")
web_status=$?

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    count() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    passed=$((passed + $(count passed)))
    failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
    skipped=$((skipped + $(count notExecuted)))
done
junit="$results/web.junit.xml"
if [ -e "$junit" ]; then
    suites=$(grep -o '<testsuites [^>]*>' "$junit")
    attr() { echo "$suites" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    web_failed=$(( $(attr failures) + $(attr errors) ))
    web_skipped=$(attr skipped); web_skipped=${web_skipped:-0}
    passed=$((passed + $(attr tests) - web_failed - web_skipped))
    failed=$((failed + web_failed))
    skipped=$((skipped + web_skipped))
elif [ "$web_status" -ne 0 ]; then
    failed=$((failed + 1)) # vitest could not run at all
fi
if [ "$web_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1 # the test run itself failed (a crash or a hang) without a failed test to show for it
fi

# The AI evaluation's score (EvaluationTests writes it to its test output, which the trx keeps).
grep -ho "AI evaluation (built-in path): [^<&]*" "$results"/*.trx 2>/dev/null | head -n 1

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]

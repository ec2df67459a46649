#!/usr/bin/env bash
# The test command: builds once and runs every test project (unit, integration, browser), then prints one
# plain last line "N passed, N failed, N skipped" summed from the .trx results.
# Works on a fresh machine: as root it installs what the tests need from Debian/npm; as non-root it says what is missing.
# Results (trx files, browser failure screenshots) go to TestResults/ at the repo root, wiped at every run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_NOLOGO=1
if ! command -v dotnet >/dev/null; then
  echo "tests/run.sh: dotnet is missing; install the .NET SDK that global.json names." >&2
  exit 1
fi

# Debian packages the tests need: installed when run as root (one apt-get update for all), named otherwise.
missing=()
# Browser tests drive Debian's Chromium; Playwright downloads nothing.
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
# Integration and browser tests start throwaway PostgreSQL clusters with its server programs (or those in PG_BIN).
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || [[ -n ${PG_BIN:-} ]] || missing+=(postgresql)
# The outside-in checks (tests/outside-in/run) scan the running portal with these, and set it up with curl.
command -v wapiti >/dev/null || missing+=(wapiti)
command -v sqlmap >/dev/null || missing+=(sqlmap)
command -v curl >/dev/null || missing+=(curl)
# The antivirus tests start a real clamd with a local EICAR signature (no signature download).
[[ -x /usr/sbin/clamd ]] || missing+=(clamav-daemon)
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "tests/run.sh: installing the Debian packages ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y "${missing[@]}"
  else
    echo "tests/run.sh: the tests need the Debian packages ${missing[*]}:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# Integration tests run Azurite from the repo's npm packages, when the repo has them.
if [[ -f package.json && ! -x node_modules/.bin/azurite-blob ]]; then
  if ! command -v npm >/dev/null; then
    echo "tests/run.sh: npm is missing; it installs Azurite for the integration tests (Debian package 'npm')." >&2
    exit 1
  fi
  npm ci --no-audit --no-fund
fi

results=$PWD/TestResults
rm -rf "$results"
mkdir -p "$results"
export BROWSER_TEST_ARTIFACTS=$results/browser

status=0
# Every test once on the embedded default (SQLite), then the integration and browser tests again on PostgreSQL: the same tests,
# with the provider chosen by RECRUITING_TEST_DATABASE. Tests about one provider's own workings carry the trait
# Provider=Sqlite or Provider=PostgreSql and run only in that provider's pass.
dotnet test Recruiting.sln -c Release --filter "Provider!=PostgreSql" --logger trx --results-directory "$results" || status=$?
for project in IntegrationTests BrowserTests; do
  RECRUITING_TEST_DATABASE=PostgreSql dotnet test "tests/Recruiting.$project" -c Release --no-build --filter "Provider!=Sqlite" \
    --logger "trx;LogFileName=$project-postgresql.trx" --results-directory "$results" || status=$?
done
# The outside-in checks (wapiti, sqlmap, axe-core) against the Release build just made, on a portal of their own; they
# write their result as one more .trx (a test per check), counted below with the others.
outside_in=0
OUTSIDE_IN_TRX=$results/outside-in.trx bash tests/outside-in/run --no-build || outside_in=$?

# Sum the <Counters .../> of every trx. Errors, timeouts and aborts count as failures; skipped is notExecuted.
counter() { # counter NAME COUNTERS_ELEMENT
  local value
  value=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2")
  echo "${value:-0}"
}
passed=0 failed=0 skipped=0
while IFS= read -r -d '' trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" || true)
  [[ -n $counters ]] || { echo "tests/run.sh: no <Counters> in $trx" >&2; status=1; continue; }
  passed=$((passed + $(counter passed "$counters")))
  failed=$((failed + $(counter failed "$counters") + $(counter error "$counters") \
    + $(counter timeout "$counters") + $(counter aborted "$counters")))
  skipped=$((skipped + $(counter notExecuted "$counters")))
done < <(find "$results" -name '*.trx' -print0)

if [[ -d $BROWSER_TEST_ARTIFACTS ]]; then
  echo "Browser failure screenshots: $BROWSER_TEST_ARTIFACTS"
fi
if [[ $outside_in -ne 0 ]]; then
  echo "tests/outside-in/run exited with $outside_in"
fi
if [[ $status -ne 0 ]]; then
  echo "dotnet test exited with $status"
elif [[ $((passed + failed)) -eq 0 ]]; then
  echo "No tests ran."
fi
echo "$passed passed, $failed failed, $skipped skipped"
if [[ $status -ne 0 || $outside_in -ne 0 || $failed -ne 0 || $((passed + failed)) -eq 0 ]]; then
  exit 1
fi

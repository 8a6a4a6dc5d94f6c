#!/usr/bin/env bash
# The composite action's release path, timed: action/install.sh against a
# release served from this machine (one archive of the release binary,
# whose SHA-256 the action's action/digests.txt lists, as at a release
# tag's commit), then `oncall --version`. The local server is plain http,
# allowed by the test-only ONCALL_ACTION_TEST_HTTP_LOOPBACK (the action
# itself downloads over https only). The network of a runner is not here:
# a GitHub release download of the ~3 MB archive adds its own transfer time.
# Prints the median with hyperfine. See BENCHMARKS.md, "The action".
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked --quiet --bin oncall
work=$(mktemp -d)
trap 'kill "${server}" 2>/dev/null || true; rm -rf "${work}"' EXIT
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
release="${work}/site/OWNER/oncall/releases/download/v${version}"
mkdir -p "${release}" "${work}/stage"
cp target/release/oncall "${work}/stage/oncall"
tar -czf "${release}/oncall-x86_64-unknown-linux-musl.tar.gz" -C "${work}/stage" oncall
ls -l "${release}"
# The action's checkout at a release tag: its digests.txt names the archive.
action="${work}/action-checkout"
mkdir -p "${action}/action"
cp Cargo.toml "${action}/"
cp action/install.sh "${action}/action/"
{
  echo "# oncall ${version}: the SHA-256 of each archive of release v${version} (bench)"
  (cd "${release}" && sha256sum oncall-x86_64-unknown-linux-musl.tar.gz)
} > "${action}/action/digests.txt"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "${port}" --bind 127.0.0.1 --directory "${work}/site" >/dev/null 2>&1 &
server=$!
sleep 1

export ACTION_PATH="${action}" ACTION_REF="v${version}" ACTION_REPOSITORY=OWNER/oncall BUILD_FROM_SOURCE=false
export ONCALL_ACTION_TEST_HTTP_LOOPBACK=1
export RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="${work}/tmp"
export GITHUB_OUTPUT="${work}/output" GITHUB_SERVER_URL="http://127.0.0.1:${port}" RELEASE_BASE_URL=""
mkdir -p "${RUNNER_TEMP}"
hyperfine -N --warmup 2 --runs 20 "bash ${action}/action/install.sh"

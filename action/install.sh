#!/usr/bin/env bash
# Gets the oncall binary for the composite action (action.yml).
#
# At a release tag (the action used as OWNER/oncall@vX.Y.Z, or at the
# moving tags vX and vX.Y of that release) it downloads the archive for the
# runner's OS and architecture from the release, checks its SHA-256 against
# the release's SHA256SUMS, and unpacks it: no Rust toolchain, no compile.
# It never runs a binary whose checksum does not match. At the commit SHA a
# release was built from (how `oncall init` pins it) it does the same.
#
# At any other commit, or a branch, it asks for a build from source (the
# next steps), with a cache key made from the action's own source files, so
# that a change of the code always reaches the build.
#
# Reads: ACTION_PATH, ACTION_REF, ACTION_REPOSITORY, RUNNER_OS, RUNNER_ARCH,
# RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_SERVER_URL, and RELEASE_BASE_URL (the
# action's `release-base-url` input: where releases are downloaded from,
# default GITHUB_SERVER_URL).
# Writes to GITHUB_OUTPUT: mode (release or source), bin (the binary's
# path, once it exists), version, and for a source build cache-key.
set -euo pipefail

fail() {
  echo "::error title=oncall action::$1" >&2
  exit 1
}

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}

version=$(sed -n 's/^version = "\([0-9][0-9.]*\)"$/\1/p' "${ACTION_PATH}/Cargo.toml" | head -n 1)
[ -n "${version}" ] || fail "no version in ${ACTION_PATH}/Cargo.toml"
major=${version%%.*}
minor=${version%.*}
install_dir="${RUNNER_TEMP}/oncall-bin"
bin="${install_dir}/bin/oncall"
{
  echo "version=${version}"
  echo "bin=${bin}"
} >> "${GITHUB_OUTPUT}"

# Asks the next steps to build from source, with a cache key that hashes
# every file the build reads, so that a code change makes a new one.
source_build() {
  local key rustc_version
  key=$(cd "${ACTION_PATH}" && find Cargo.toml Cargo.lock build.rs src -type f -print0 | LC_ALL=C sort -z | xargs -0 cat | sha256 - | cut -c1-20)
  rustc_version=$(rustc --version 2>/dev/null | tr -c 'A-Za-z0-9.' '-' || echo none)
  {
    echo "mode=source"
    echo "cache-key=oncall-source-${RUNNER_OS}-${RUNNER_ARCH}-${rustc_version}-${key}"
  } >> "${GITHUB_OUTPUT}"
  echo "oncall: $1: building from source."
  exit 0
}

# At a full commit SHA (how `oncall init` pins the action), the release of
# the version at that commit is used if it was built from that very commit
# (its binary says so); otherwise, and when there is no such release, the
# action builds from source.
pinned=""
case "${ACTION_REF}" in
  "v${version}" | "v${minor}" | "v${major}") ;;
  *)
    if [[ "${ACTION_REF}" =~ ^[0-9a-f]{40}$ ]]; then
      pinned=${ACTION_REF}
    else
      source_build "the action is used at ${ACTION_REF:-a local path}, not at a release"
    fi
    ;;
esac

case "${RUNNER_OS}/${RUNNER_ARCH}" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  *)
    [ -z "${pinned}" ] || source_build "no release binary for ${RUNNER_OS}/${RUNNER_ARCH}"
    fail "oncall ${version} has no release binary for ${RUNNER_OS}/${RUNNER_ARCH} (there are: Linux X64, Linux ARM64, macOS ARM64). Run the job on one of those, or use the action at a commit SHA to build from source."
    ;;
esac

base="${RELEASE_BASE_URL:-${GITHUB_SERVER_URL}}"
release="${base%/}/${ACTION_REPOSITORY}/releases/download/v${version}"
archive="oncall-${target}.tar.gz"
work="${RUNNER_TEMP}/oncall-download"
rm -rf "${work}" "${install_dir}"
mkdir -p "${work}"

# Prints the HTTP status; the body goes to $2.
fetch() {
  curl --silent --show-error --location --retry 3 --connect-timeout 10 --max-time 300 \
    --output "$2" --write-out '%{http_code}' "$1" || echo "000"
}

status=$(fetch "${release}/SHA256SUMS" "${work}/SHA256SUMS")
case "${status}" in
  200) ;;
  404)
    [ -z "${pinned}" ] || source_build "no release v${version} of ${ACTION_REPOSITORY} for commit ${pinned}"
    fail "release v${version} of ${ACTION_REPOSITORY} not found, or it has no SHA256SUMS (HTTP 404): the release is missing or incomplete. Pin the action to a published release, or to a commit SHA to build from source." ;;
  *) fail "could not download SHA256SUMS of release v${version} of ${ACTION_REPOSITORY} (HTTP ${status}). Run the job again; if it persists, pin the action to a commit SHA to build from source." ;;
esac

expected=$(awk -v f="${archive}" '$2 == f || $2 == "*" f { print $1; exit }' "${work}/SHA256SUMS")
[ -n "${expected}" ] || fail "release v${version} of ${ACTION_REPOSITORY} lists no ${archive} in SHA256SUMS: the release is incomplete. Pin the action to another release, or to a commit SHA to build from source."

status=$(fetch "${release}/${archive}" "${work}/${archive}")
case "${status}" in
  200) ;;
  404)
    [ -z "${pinned}" ] || source_build "release v${version} of ${ACTION_REPOSITORY} has no ${archive}"
    fail "release v${version} of ${ACTION_REPOSITORY} has no asset ${archive} (HTTP 404): the release is incomplete. Pin the action to another release, or to a commit SHA to build from source." ;;
  *) fail "could not download ${archive} of release v${version} (HTTP ${status}). Run the job again; if it persists, pin the action to a commit SHA to build from source." ;;
esac

actual=$(sha256 "${work}/${archive}" | cut -d ' ' -f 1)
if [ "${actual}" != "${expected}" ]; then
  rm -rf "${work}"
  fail "checksum mismatch for ${archive} of release v${version}: SHA256SUMS says ${expected}, the download is ${actual}. The binary was not run. Do not use this release until its maintainers have checked it; pin the action to a commit SHA to build from source meanwhile."
fi

mkdir -p "${install_dir}/bin"
tar -xzf "${work}/${archive}" -C "${install_dir}/bin" oncall || fail "${archive} of release v${version} does not hold the oncall binary"
rm -rf "${work}"
chmod 755 "${bin}"
about=$("${bin}" --version)
if [ -n "${pinned}" ]; then
  built=$(sed -n 's/.*(commit \([0-9a-f]*\),.*/\1/p' <<< "${about}")
  if [ "${built}" != "${pinned}" ]; then
    rm -rf "${install_dir}"
    source_build "release v${version} was built from commit ${built:-unknown}, not from ${pinned}"
  fi
fi
echo "mode=release" >> "${GITHUB_OUTPUT}"
echo "oncall: release v${version} for ${target}, SHA-256 ${actual} verified: ${about}"

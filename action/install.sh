#!/usr/bin/env bash
# Gets the oncall binary for the composite action (action.yml).
#
# The trust decision is made from the action's own source, never from the
# release: the action's checkout at the ref a workflow pins
# (ACTION_PATH, the runner's copy of that commit) carries in
# action/digests.txt the SHA-256 of each target's release archive, written
# by the release workflow into the commit it tags vX.Y.Z. This script
# downloads the archive for the runner's OS and architecture, and unpacks
# and runs it only if its SHA-256 is the one action/digests.txt names. The
# release's own SHA256SUMS is not read: whoever can edit a release could
# make it agree with any archive. Nothing downloaded runs before its digest
# matched; `--version` runs after, to print what was installed.
#
# Used at a release tag (vX.Y.Z, or the moving vX and vX.Y) or at a full
# commit SHA, a commit without a digest for this version and target (a
# commit between releases, or the build commit of a release, whose digests
# are in the next commit) is refused: pin the commit a release tag points
# at, or build from source. At a branch, or with `build-from-source: true`,
# the next step builds from the action's source (`cargo install --locked`),
# every time: no binary is restored from a cache, since a cache is not the
# action's source and can be written by other workflows of the repository.
#
# Reads: ACTION_PATH, ACTION_REF, ACTION_REPOSITORY, BUILD_FROM_SOURCE (the
# `build-from-source` input), RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP,
# GITHUB_OUTPUT, GITHUB_SERVER_URL, and RELEASE_BASE_URL (the action's
# `release-base-url` input: where releases are downloaded from, default
# GITHUB_SERVER_URL; https only).
# Test-only: ONCALL_ACTION_TEST_HTTP_LOOPBACK=1 lets the download start at
# plain http://127.0.0.1:PORT/ (the tests' local release server); the
# action never sets it, it allows no other host, and redirects stay
# https-only.
# Writes to GITHUB_OUTPUT: mode (release or source), bin (the binary's
# path, once it exists), version.
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
# Nothing found there before this step is trusted: a source build starts
# empty, a release is unpacked only after its digest matched.
rm -rf "${install_dir}"
{
  echo "version=${version}"
  echo "bin=${bin}"
} >> "${GITHUB_OUTPUT}"

# Asks the next step to build from the action's source.
source_build() {
  echo "mode=source" >> "${GITHUB_OUTPUT}"
  echo "oncall: $1: building from source."
  exit 0
}

case "${BUILD_FROM_SOURCE:-false}" in
  true) source_build "build-from-source is true" ;;
  false | "") ;;
  *) fail "build-from-source is '${BUILD_FROM_SOURCE}': use true or false." ;;
esac

# A release tag of this version, or a full commit SHA (how `oncall init`
# pins the action): the release binary, if action/digests.txt vouches for
# it. A branch: today's source.
at="${ACTION_REF}"
case "${ACTION_REF}" in
  "v${version}" | "v${minor}" | "v${major}") at="tag ${ACTION_REF}" ;;
  *)
    if [[ "${ACTION_REF}" =~ ^[0-9a-f]{40}$ ]]; then
      at="commit ${ACTION_REF}"
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
    fail "oncall ${version} has no release binary for ${RUNNER_OS}/${RUNNER_ARCH} (there are: Linux X64, Linux ARM64, macOS ARM64). Run the job on one of those, or set build-from-source: true."
    ;;
esac
archive="oncall-${target}.tar.gz"

# The digest this commit vouches for: action/digests.txt names the version
# it is for in its first line (`# oncall X.Y.Z: ...`), then one
# `SHA256  oncall-TARGET.tar.gz` line per target.
digests="${ACTION_PATH}/action/digests.txt"
listed=""
expected=""
if [ -f "${digests}" ]; then
  listed=$(sed -n '1s/^# oncall \([0-9][0-9.]*\): .*/\1/p' "${digests}")
  if [ "${listed}" = "${version}" ]; then
    expected=$(awk -v f="${archive}" '$2 == f && $1 ~ /^[0-9a-f]+$/ && length($1) == 64 { print $1; exit }' "${digests}")
  fi
fi
if [ -z "${expected}" ]; then
  if [ -z "${listed}" ]; then
    has="action/digests.txt lists no release digests"
  elif [ "${listed}" != "${version}" ]; then
    has="action/digests.txt lists the digests of oncall ${listed}, not of ${version}"
  else
    has="action/digests.txt has no SHA-256 for ${archive}"
  fi
  fail "the action at ${at} cannot vouch for a release binary: ${has}, so this is not the commit of a release tag. Nothing was downloaded. Pin the action to the commit that the tag v${version} points at (git ls-remote ${GITHUB_SERVER_URL}/${ACTION_REPOSITORY} refs/tags/v${version}), or set build-from-source: true to build this commit from source."
fi

base="${RELEASE_BASE_URL:-${GITHUB_SERVER_URL}}"
base="${base%/}"
proto="=https"
if [[ "${ONCALL_ACTION_TEST_HTTP_LOOPBACK:-}" = 1 && "${base}" =~ ^http://127\.0\.0\.1:[0-9]+(/|$) ]]; then
  proto="=http"
elif [[ "${base}" != https://* ]]; then
  fail "release-base-url '${base}' is not an https:// URL: releases are downloaded over https only."
fi
release="${base}/${ACTION_REPOSITORY}/releases/download/v${version}"
work="${RUNNER_TEMP}/oncall-download"
rm -rf "${work}"
mkdir -p "${work}"

# Prints the HTTP status (and curl's error, if it stopped); the body goes
# to $2. https only, also after a redirect (GitHub redirects a release
# download to its storage).
fetch() {
  local code
  if code=$(curl --proto "${proto}" --proto-redir =https --silent --show-error --location --retry 3 \
    --connect-timeout 10 --max-time 300 --output "$2" --write-out '%{http_code}' "$1" 2> "${work}/curl.err"); then
    echo "${code}"
  else
    echo "${code:-000}; $(tail -n 1 "${work}/curl.err")"
  fi
}

status=$(fetch "${release}/${archive}" "${work}/${archive}")
case "${status}" in
  200) ;;
  404) fail "release v${version} of ${ACTION_REPOSITORY} has no asset ${archive} (HTTP 404): the release is missing or incomplete. Pin the action to another release tag's commit, or set build-from-source: true." ;;
  *) fail "could not download ${archive} of release v${version} of ${ACTION_REPOSITORY} (HTTP ${status}). Run the job again; if it persists, set build-from-source: true." ;;
esac

actual=$(sha256 "${work}/${archive}" | cut -d ' ' -f 1)
if [ "${actual}" != "${expected}" ]; then
  rm -rf "${work}"
  fail "checksum mismatch for ${archive} of release v${version}: the action's action/digests.txt at ${at} says ${expected}, the download is ${actual}. The binary was not run. The release's file is not the one its release workflow built: do not use this release until its maintainers have checked it; set build-from-source: true meanwhile."
fi

mkdir -p "${install_dir}/bin"
tar -xzf "${work}/${archive}" -C "${install_dir}/bin" oncall || fail "${archive} of release v${version} does not hold the oncall binary"
rm -rf "${work}"
chmod 755 "${bin}"
# Verified: now it may run, to say what it is.
about=$("${bin}" --version) || {
  rm -rf "${install_dir}"
  fail "the oncall binary of release v${version} for ${target} does not run on this runner"
}
echo "mode=release" >> "${GITHUB_OUTPUT}"
echo "oncall: release v${version} for ${target}, SHA-256 ${actual} verified against action/digests.txt at ${at}: ${about}"

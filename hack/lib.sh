# shellcheck shell=bash
# What the hack/ scripts share: log and die under the script's TAG, apt_install, with_progress.
# Source it after setting TAG (e.g. TAG=images).

log() { echo "[${TAG}] $*" >&2; }
die() { echo "[${TAG}] ERROR: $*" >&2; exit 1; }

SUDO=""
[[ "$(id -u)" == 0 ]] || SUDO="sudo"
APT_UPDATED=0

# apt_install <package...>: installs the missing ones only, after one apt-get update per run.
apt_install() {
  local missing=() p
  for p in "$@"; do dpkg-query -W -f='${Status}' "${p}" 2>/dev/null | grep -q 'install ok installed' || missing+=("${p}"); done
  ((${#missing[@]} == 0)) && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
  if [[ "${APT_UPDATED}" == 0 ]]; then ${SUDO} apt-get update -qq >&2; APT_UPDATED=1; fi
  log "apt-get install ${missing[*]}"
  # Debian's containerd package would start its service where there is an init system; ours runs on its own.
  DEBIAN_FRONTEND=noninteractive ${SUDO} apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# with_progress <label> <command...>: runs a long step quietly, showing the elapsed time (and, with
# PROGRESS_UNIT set, how many lines the step has written, e.g. go build -v's packages); the step's
# output is shown only when it fails.
with_progress() {
  local label="$1"; shift
  local out rc=0 t0=${SECONDS} last=${SECONDS} count=""
  out="$(mktemp -t gridsearch-progress.XXXXXX)"
  "$@" >"${out}" 2>&1 &
  local pid=$!
  while kill -0 "${pid}" 2>/dev/null; do
    [[ -z "${PROGRESS_UNIT:-}" ]] || count=", $(wc -l <"${out}") ${PROGRESS_UNIT}"
    if [[ -t 2 ]]; then
      printf '\r[%s] %s: %dm%02ds%s' "${TAG}" "${label}" $(((SECONDS - t0) / 60)) $(((SECONDS - t0) % 60)) "${count}" >&2
    elif (( SECONDS - last >= 30 )); then
      echo "[${TAG}] ${label}: $((SECONDS - t0))s${count}" >&2; last=${SECONDS}
    fi
    sleep 1
  done
  wait "${pid}" || rc=$?
  [[ ! -t 2 ]] || printf '\n' >&2
  if (( rc != 0 )); then
    tail -n 40 "${out}" >&2
    rm -f "${out}"
    die "${label} failed (exit ${rc})"
  fi
  rm -f "${out}"
}

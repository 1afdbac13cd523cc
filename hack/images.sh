#!/usr/bin/env bash
# Container images for the real node, built here from Debian packages (no registry is reachable):
#   pause    Debian's static busybox, entrypoint `sleep`: the pod sandbox image
#   busybox  Debian's static busybox and its applets
#   python   Debian with python3-sklearn (and numpy, scipy), built with mmdebstrap
# Each is a docker-archive tar (manifest.json, config, one layer) in the cache, keyed by its recipe, ready for
# `ctr -n k8s.io images import`.
#
# Usage: hack/images.sh <build|list>     list: "<reference> <tar>" per image (after build)
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hack/versions.env
source "${HACK_DIR}/versions.env"
GRIDSEARCH_CACHE="${GRIDSEARCH_CACHE:-${HOME}/.cache/gridsearch-operator}"
IMAGES_DIR="${GRIDSEARCH_CACHE}/images"
MIRROR="${GRIDSEARCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PYTHON_PACKAGES="python3-sklearn,python3-numpy"

TAG=images
# shellcheck source=hack/lib.sh
source "${HACK_DIR}/lib.sh"

# A recipe's key: what the image is built from; a change builds a new tar beside the old one.
key() { printf '%s\n' "$@" "$(sed -n '/^# recipe-start/,/^# recipe-end/p' "${BASH_SOURCE[0]}")" | sha256sum | cut -c1-12; }

image_tar() { # image_tar <reference>
  local ref="$1" name
  name="${ref##*/}"; name="${name/:/-}"
  echo "${IMAGES_DIR}/${name}-$(key "${ref}" "${REALNODE_DEBIAN_SUITE}").tar"
}

# recipe-start
# docker_archive <reference> <layer.tar> <config-json-fragment> <out.tar>: one-layer image archive.
docker_archive() {
  local ref="$1" layer="$2" config="$3" out="$4" dir diff
  dir="$(mktemp -d)"
  cp "${layer}" "${dir}/layer.tar"
  diff="$(sha256sum "${dir}/layer.tar" | cut -d' ' -f1)"
  printf '{"architecture":"amd64","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "${config}" "${diff}" > "${dir}/config.json"
  printf '[{"Config":"config.json","RepoTags":["%s"],"Layers":["layer.tar"]}]' "${ref}" > "${dir}/manifest.json"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "${dir}" -cf "${out}.tmp" manifest.json config.json layer.tar
  mv "${out}.tmp" "${out}"
  rm -rf "${dir}"
}

# A root filesystem of Debian's static busybox: /bin/busybox, its applets as symlinks, /etc/passwd, /tmp.
busybox_rootfs() {
  local root="$1" deb tmp
  tmp="$(mktemp -d)"
  apt_install busybox-static
  mkdir -p "${root}"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev}
  chmod 1777 "${root}/tmp"
  cp /bin/busybox "${root}/bin/busybox"
  local applet
  for applet in $(/bin/busybox --list-full); do
    [[ "${applet}" == bin/busybox ]] || ln -sf /bin/busybox "${root}/${applet}"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "${root}/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "${root}/etc/group"
  rm -rf "${tmp}"
}

build_busybox_layer() { # build_busybox_layer <layer.tar>
  local root
  root="$(mktemp -d)"
  busybox_rootfs "${root}"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "${root}" -cf "$1" .
  rm -rf "${root}"
}

# python3-scipy depends on pythran, which brings a C++ toolchain and headers (500 MB) that trials never use.
PYTHON_PURGE='dpkg-query -W -f="\${Package}\n" | grep -E "(-dev$|^g\+\+|^gcc-12$|^gcc$|^cpp|^binutils|pythran|^lib(asan|tsan|lsan|ubsan|hwasan|itm|cc1|isl|mpc|mpfr)[0-9])" | xargs dpkg --purge --force-depends >/dev/null'
build_python_layer() { # build_python_layer <layer.tar>: Debian essential + python3-sklearn, docs and locales left out
  apt_install mmdebstrap
  mmdebstrap --quiet --variant=essential --include="${PYTHON_PACKAGES}" \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --customize-hook="chroot \"\$1\" sh -c '${PYTHON_PURGE}'" \
    --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
    "${REALNODE_DEBIAN_SUITE}" "$1" "${MIRROR}"
}
# recipe-end

PATH_ENV='"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"'

# build_one <reference> <layer-builder> <config-json-fragment>
build_one() {
  local ref="$1" builder="$2" config="$3" out t0=${SECONDS}
  out="$(image_tar "${ref}")"
  if [[ -s "${out}" ]]; then
    log "${ref}: cached ($(du -h "${out}" | cut -f1))"
    return 0
  fi
  mkdir -p "${IMAGES_DIR}"
  log "${ref}: building"
  local layer
  layer="$(mktemp -t gridsearch-layer.XXXXXX.tar)"
  with_progress "${ref}" "${builder}" "${layer}"
  docker_archive "${ref}" "${layer}" "${config}" "${out}"
  rm -f "${layer}"
  # older recipes of the same image
  find "${IMAGES_DIR}" -maxdepth 1 -name "$(basename "${out%-*}")-*.tar" ! -path "${out}" -delete
  log "${ref}: built in $((SECONDS - t0))s ($(du -h "${out}" | cut -f1), ${out})"
}

cmd_build() {
  build_one "${PAUSE_IMAGE}" build_busybox_layer \
    "{\"Env\":[${PATH_ENV}],\"Entrypoint\":[\"/bin/sleep\",\"2147483647\"],\"WorkingDir\":\"/\"}"
  build_one "${BUSYBOX_IMAGE}" build_busybox_layer "{\"Env\":[${PATH_ENV}],\"Cmd\":[\"sh\"],\"WorkingDir\":\"/\"}"
  build_one "${PYTHON_IMAGE}" build_python_layer \
    "{\"Env\":[${PATH_ENV},\"PYTHONDONTWRITEBYTECODE=1\",\"PYTHONUNBUFFERED=1\"],\"Cmd\":[\"python3\"],\"WorkingDir\":\"/\"}"
}

cmd_list() {
  local ref
  for ref in "${PAUSE_IMAGE}" "${BUSYBOX_IMAGE}" "${PYTHON_IMAGE}"; do
    echo "${ref} $(image_tar "${ref}")"
  done
}

case "${1:-}" in
  build) cmd_build ;;
  list) cmd_list ;;
  *) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

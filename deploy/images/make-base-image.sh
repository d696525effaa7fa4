#!/usr/bin/env bash
# Builds a container base image for the tracemesh images without Docker: a minimal Debian with a Java 17 runtime
# and libpcap (the agent needs libpcap; eclipse-temurin images do not have it), written as an image tarball in the
# format of `docker save`. Jib takes it as a base with -Dimages.agent.base=tar:///path/to/base.tar (or
# -Dimages.base=... for the central image); `docker load -i` and `podman load -i` read it too.
set -euo pipefail

PROG=$(basename "$0")
SUITE=bookworm
MIRROR=http://deb.debian.org/debian
PACKAGES=openjdk-17-jre-headless,libpcap0.8,ca-certificates
TAG=tracemesh/agent-base:17
ROOTFS=
KEEP=0
OUTPUT=

usage() {
    cat <<EOF
usage: $PROG [options] OUTPUT.tar
  Builds a Debian base image with a Java 17 runtime and libpcap as an image tarball (docker save format).
  Needs root and debootstrap (apt-get install debootstrap); takes a few minutes and about 500 MB.
  --suite NAME       Debian suite [$SUITE]
  --mirror URL       Debian mirror [$MIRROR]
  --packages LIST    packages to add, comma-separated [$PACKAGES]
  --tag NAME:TAG     the image's name in the tarball [$TAG]
  --rootfs DIR       pack this already bootstrapped directory instead of running debootstrap
  --keep-rootfs      keep the bootstrapped directory (its path is printed)
  -h, --help         this text
Then: mvn -Pimages -pl agent -am package -DskipTests -Dimages.agent.base=tar://\$(realpath OUTPUT.tar)
EOF
}

die() {
    echo "$PROG: $*" >&2
    exit 1
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --suite) SUITE=${2:?--suite needs a value}; shift 2 ;;
        --mirror) MIRROR=${2:?--mirror needs a value}; shift 2 ;;
        --packages) PACKAGES=${2:?--packages needs a value}; shift 2 ;;
        --tag) TAG=${2:?--tag needs a value}; shift 2 ;;
        --rootfs) ROOTFS=${2:?--rootfs needs a value}; shift 2 ;;
        --keep-rootfs) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) usage >&2; die "unknown option '$1'" ;;
        *) [[ -z $OUTPUT ]] || die "only one OUTPUT.tar"; OUTPUT=$1; shift ;;
    esac
done
[[ -n $OUTPUT ]] || { usage >&2; die "OUTPUT.tar is missing"; }
[[ $TAG == *:* ]] || die "--tag must be NAME:TAG, got '$TAG'"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tracemesh-base.XXXXXX")
cleanup() {
    if [[ $KEEP -eq 1 && -z ${ROOTFS_GIVEN:-} ]]; then
        echo "rootfs kept in $WORK/rootfs" >&2
        rm -rf "$WORK/image"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

if [[ -n $ROOTFS ]]; then
    ROOTFS_GIVEN=1
    [[ -x $ROOTFS/bin/sh || -L $ROOTFS/bin ]] || die "--rootfs: '$ROOTFS' does not look like a root file system"
else
    [[ $(id -u) -eq 0 ]] || die "debootstrap needs root (or give --rootfs DIR)"
    command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
    ROOTFS=$WORK/rootfs
    echo "bootstrapping $SUITE with $PACKAGES into $ROOTFS" >&2
    debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOTFS" "$MIRROR" >&2
    # what an image does not need: package lists and downloaded packages
    chroot "$ROOTFS" apt-get clean
    rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/log/*.log "$ROOTFS"/var/cache/debconf/*-old
fi

ARCH=$(chroot "$ROOTFS" dpkg --print-architecture 2>/dev/null || dpkg --print-architecture)
JAVA_HOME_DIR=$(cd "$ROOTFS" && find usr/lib/jvm -maxdepth 1 -mindepth 1 -type d -name 'java-*' | sort | head -n 1)
[[ -n $JAVA_HOME_DIR ]] || die "no Java runtime under $ROOTFS/usr/lib/jvm"

mkdir -p "$WORK/image"
# one layer: the whole tree, numeric owners, without the contents of /dev, /proc, /sys (the runtime provides them)
tar --numeric-owner --xattrs --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* --exclude=./run/* \
    -C "$ROOTFS" -cf "$WORK/layer.tar" .
LAYER_SHA=$(sha256sum "$WORK/layer.tar" | cut -d' ' -f1)
mkdir -p "$WORK/image/$LAYER_SHA"
mv "$WORK/layer.tar" "$WORK/image/$LAYER_SHA/layer.tar"

CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
printf '{"architecture":"%s","os":"linux","created":"%s","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/%s","LANG=C.UTF-8"],"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created":"%s","created_by":"tracemesh make-base-image.sh: debootstrap %s with %s"}]}' \
    "$ARCH" "$CREATED" "$JAVA_HOME_DIR" "$LAYER_SHA" "$CREATED" "$SUITE" "$PACKAGES" > "$WORK/config.json"
CONFIG_SHA=$(sha256sum "$WORK/config.json" | cut -d' ' -f1)
mv "$WORK/config.json" "$WORK/image/$CONFIG_SHA.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$CONFIG_SHA" "$TAG" "$LAYER_SHA" \
    > "$WORK/image/manifest.json"

mkdir -p "$(dirname "$OUTPUT")"
tar --numeric-owner -C "$WORK/image" -cf "$OUTPUT.partial" manifest.json "$CONFIG_SHA.json" "$LAYER_SHA/layer.tar"
mv "$OUTPUT.partial" "$OUTPUT"
echo "$OUTPUT: $TAG ($ARCH, $(du -h "$OUTPUT" | cut -f1)); use it as tar://$(realpath "$OUTPUT")"

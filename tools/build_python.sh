#!/usr/bin/env bash
# Build CPython 3.13 from Debian's pristine upstream tarball into /opt/python3.13, for `nox -s tests-3.13`.
#
# Why this way: the machines reach PyPI, Debian's archive and npm only (not python.org or GitHub), and Debian 12
# ships Python 3.11 only. Debian trixie's python3.13 source package carries the unmodified upstream tarball
# (its .orig.tar.xz), so we build that one. Debian has no 3.12 source any more (pool/main/p/python3.12/ is gone,
# bookworm-backports has none); for 3.12 use an interpreter that is already on the machine (pyenv's 3.12.1, where
# the image has it: /root/.pyenv/versions/3.12.1/bin/python3.12).
#
# Usage:  bash tools/build_python.sh            (as root; PREFIX=/somewhere to install elsewhere)
# Then:   /opt/python3.13/bin/python3.13 -m venv /tmp/venv313
#         /tmp/venv313/bin/pip install -c constraints.txt -e ".[test]"
# or put /opt/python3.13/bin on PATH and run `nox -s tests-3.13`.
#
# Measured 2026-12-05 on the 2-core project machine (shared with other jobs, niced): about 8 minutes in all
# (configure, make -j2, make install). No --enable-optimizations (PGO would take several times as long).
set -euo pipefail

VERSION=3.13.5
PREFIX=${PREFIX:-/opt/python3.13}
URL=http://deb.debian.org/debian/pool/main/p/python3.13/python3.13_${VERSION}.orig.tar.xz
SHA256=93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640   # 22,856,016 bytes
WORK=${WORK:-/tmp/build-python-${VERSION}}
JOBS=${JOBS:-2}

# Headers for the standard modules that need them (ssl, sqlite3, ctypes, lzma, bz2, readline, curses, uuid).
# All but libgdbm-dev were already on the machine; without it only dbm.gnu/dbm.ndbm are missing, which the course
# does not use. tk-dev is not needed either.
export DEBIAN_FRONTEND=noninteractive
missing=()
for p in build-essential libssl-dev zlib1g-dev libffi-dev libsqlite3-dev libbz2-dev liblzma-dev \
         libreadline-dev libncurses-dev uuid-dev; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
fi

mkdir -p "$WORK"
cd "$WORK"
tarball=python3.13_${VERSION}.orig.tar.xz
[ -f "$tarball" ] || curl -fsSL -o "$tarball" "$URL"
# Refuse anything but the exact upstream tarball.
echo "${SHA256}  ${tarball}" | sha256sum -c -

rm -rf "Python-${VERSION}"
tar xf "$tarball"
cd "Python-${VERSION}"

# nice: the machine has two cores shared with other work.
nice -n 19 ./configure --prefix="$PREFIX" --with-ensurepip=install
nice -n 19 make -j"$JOBS"
nice -n 19 make install   # installs python3.13 and python3, pip3.13 and pip3 (no bare `python`) under $PREFIX/bin

"$PREFIX/bin/python3.13" -c 'import sys, ssl, sqlite3, ctypes, lzma, bz2, zlib, readline, uuid, venv; print(sys.version)'

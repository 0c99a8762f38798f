#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# setup.sh: Gradescope runs this once, as root, to build the autograder's
# image (Ubuntu or Debian): install the packages nncourse needs, then build
# and install nncourse from the tarball in this folder.
set -eu
cd "$(dirname "$0")"
tarball=$(ls nncourse-*.tar.gz | head -n 1)
tar xzf "$tarball"
src=${tarball%.tar.gz}
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y $("$src/bootstrap" --packages)
cd "$src"
./configure --prefix=/usr/local
make -j"$(nproc)"
make install
ldconfig

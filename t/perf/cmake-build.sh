#!/bin/sh
# t/perf/cmake-build.sh: an attempt's build in its slot against a
# one-file incremental build, on a CMake project (cJSON by default).
#
#   PESQ_PERF_CMAKE=/path/to/cJSON t/perf/cmake-build.sh [ROUNDS]
#
# PESQ_PERF_CMAKE names a git repository (or a bare git directory) of a
# CMake project whose CMakeLists.txt is at its top; without it, or when
# it is missing, the script says so and exits 0 (skipped). FILE (default
# cJSON.c) is the file the attempts change.
#
# In a copy of the project's HEAD: the build command
#     cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2
# (the project's tests included: cJSON links 19 test programs), run
#   1. by hand in a plain clone: a full build, then one line appended to
#      FILE and the same command again: the one-file incremental build;
#   2. by pesq-sandbox -w slot-0 -r REV -b BUILD, the way pesq-apply builds
#      an attempt in slot 0 (restored to its commit, in the sandbox):
#      the base once (the slot's first build: full), then ROUNDS
#      (default 3) attempts, each a commit on the base that changes FILE
#      differently (a comment line), one after the other in the same slot.
# Prints each time and the ratio of the median attempt build to the
# incremental one (goal: at most 1.5). Not part of make check.
#
# Measured on the shared 2-core machine on 2026-12-06 (cJSON a29814f,
# load 11 to 15: other sessions' builds and tests), 3 attempts: plain
# full build 349 s, one-file incremental 203 s (cJSON's tests include
# cJSON.c through tests/common.h, so a change to it recompiles every
# test: the incremental build is nearly a full one); slot-0's first
# build 139 s, attempts 111, 107 and 125 s: median 0.55x the incremental
# build. The load moved between the two halves; the attempts are not
# slower than an incremental build, but a quiet machine would give a
# sharper ratio.
set -eu
cd "$(dirname "$0")"
PERF_DIR=$(pwd)
BIN=${PESQ_BIN:-$PERF_DIR/../../bin}
ROUNDS=${1:-3}
FILE=${FILE:-cJSON.c}
SRC=${PESQ_PERF_CMAKE:-}
if [ -z "$SRC" ] || ! git -C "$SRC" rev-parse -q --verify HEAD >/dev/null 2>&1
then
	echo "cmake-build: skipped: set PESQ_PERF_CMAKE to a CMake project's git repository (cJSON)"
	exit 0
fi
command -v cmake >/dev/null || { echo "cmake-build: skipped: no cmake"; exit 0; }
OUT=$PERF_DIR/out/cmake
rm -rf "$OUT"
mkdir -p "$OUT"
export GIT_AUTHOR_NAME=p GIT_AUTHOR_EMAIL=p@p GIT_COMMITTER_NAME=p \
	GIT_COMMITTER_EMAIL=p@p GIT_CONFIG_NOSYSTEM=1
PATH=$BIN:$PATH
BUILD='cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DENABLE_CJSON_TEST=On >/dev/null && cmake --build build -j2 >/dev/null'

ms() {
	date +%s%N | cut -c1-13
}

git clone -q "$SRC" "$OUT/p"
cd "$OUT/p"
git config pesq.sandbox.maxDisk 8g
base=$(git rev-parse HEAD)

# 1. by hand
git clone -q . "$OUT/plain"
(
	cd "$OUT/plain"
	t0=$(ms); sh -c "$BUILD"; t1=$(ms)
	echo "/* one more line */" >>"$FILE"
	t2=$(ms); sh -c "$BUILD"; t3=$(ms)
	echo "plain: full build $((t1 - t0)) ms, one-file incremental $((t3 - t2)) ms"
	echo $((t3 - t2)) >"$OUT/incr"
)

# 2. attempts in slot 0
t0=$(ms)
pesq-sandbox -q -w slot-0 -r "$base" -b "$BUILD" true
t1=$(ms)
echo "slot-0: first build (full) $((t1 - t0)) ms"
: >"$OUT/attempts"
i=1
while [ $i -le "$ROUNDS" ]
do
	git checkout -q --detach "$base"
	echo "/* attempt $i */" >>"$FILE"
	git commit -q -a -m "attempt $i"
	rev=$(git rev-parse HEAD)
	t0=$(ms)
	pesq-sandbox -q -w slot-0 -r "$rev" -b "$BUILD" true
	t1=$(ms)
	echo "slot-0: attempt $i build $((t1 - t0)) ms"
	echo $((t1 - t0)) >>"$OUT/attempts"
	i=$((i + 1))
done
med=$(sort -n "$OUT/attempts" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
awk -v a="$med" -v b="$(cat "$OUT/incr")" 'BEGIN {
	printf "attempt build (median) %s ms / one-file incremental %s ms = %.2fx (goal <= 1.5)\n", a, b, a / b }'

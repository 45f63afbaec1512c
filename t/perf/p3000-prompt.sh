#!/bin/sh
# Throughput of pesq-prompt: records per second on the test fixtures,
# without a budget and with one that forces trimming. Not part of
# `make check`; prints figures only.
#
#   make && sh t/perf/p3000-prompt.sh [records]
set -eu
cd "$(dirname "$0")/../.."
bin=${PESQ_BIN:-$PWD/bin}
fix=t/fixtures/prompt
n=${1:-5000}
out=$(mktemp -d "${TMPDIR:-/tmp}/p3000.XXXXXX")
trap 'rm -rf "$out"' EXIT

i=0
while [ $i -lt "$n" ]; do
	cat $fix/leaf.jsonl $fix/parent.jsonl $fix/build-failed.jsonl \
		$fix/budget.jsonl
	i=$((i + 4))
done >"$out/in.jsonl"
bytes=$(wc -c <"$out/in.jsonl")
lines=$(wc -l <"$out/in.jsonl")

run() {
	label=$1
	shift
	t0=$(date +%s.%N)
	"$bin/pesq-prompt" -q "$@" "$out/in.jsonl" >"$out/out.jsonl"
	t1=$(date +%s.%N)
	awk -v l="$label" -v n="$lines" -v b="$bytes" -v t0="$t0" -v t1="$t1" \
	    -v o="$(wc -c <"$out/out.jsonl")" 'BEGIN {
		s = t1 - t0
		printf "%-22s %6d records %7.3f s %9.0f rec/s  in %5.1f MB/s  out %6.1f MB\n",
		    l, n, s, n / s, b / s / 1e6, o / 1e6
	}'
}

run "no budget"
run "budget 2000 tokens" -m 2000
run "budget 1000 tokens" -m 1000

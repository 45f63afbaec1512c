#!/bin/sh
# t/perf/fold.sh: pesq-fold's speed and memory on >= 100 MB of perf script.
#
#   sh t/perf/fold.sh [MB]
#
# Builds t/perf/out/fold-input.txt (git-ignored) by repeating the corpus
# inputs in ../shared/corpus/perf with cycles samples (or, without it, a recording of a
# fixture program made here with perf), then prints pesq-fold's MB/s,
# its peak RSS and its time relative to `wc -l` on the same file (best of
# 3 runs each, file in the page cache). Not part of make check.
set -e
cd "$(dirname "$0")/../.."
root=$(pwd)
mb=${1:-100}
out=$root/t/perf/out
bin=$root/bin/pesq-fold
input=$out/fold-input.txt
mkdir -p "$out"
make -s bin/pesq-fold >/dev/null

corpus=$root/../shared/corpus/perf
if ! test -f "$input" || test "$(wc -c <"$input")" -lt $((mb * 1000000))
then
	seed=$out/fold-seed.txt
	if test -d "$corpus"
	then
		{
			gzip -dc "$corpus/flamegraph/example-perf-stacks.txt.gz"
			cat "$corpus"/flamegraph/perf-java-stacks-01.txt
		} >"$seed"
	else
		cc -O0 -g -fno-omit-frame-pointer -o "$out/spin" "$root/t/fixtures/spin.c"
		perf record -q -g -o "$out/perf.data" -- "$out/spin" 3 \
			>/dev/null 2>&1
		perf script -i "$out/perf.data" >"$seed" 2>/dev/null
	fi
	: >"$input.tmp"
	while test "$(wc -c <"$input.tmp")" -lt $((mb * 1000000))
	do
		cat "$seed" "$seed" "$seed" "$seed" >>"$input.tmp"
	done
	mv "$input.tmp" "$input"
fi
size=$(wc -c <"$input")

. t/perf/lib-time.sh

cat "$input" >/dev/null
set -- $(best 5 "$bin" -q "$input")
tf=$1 cf=$2
set -- $(best 5 wc -l "$input")
tw=$1 cw=$2
rss=$(/usr/bin/time -f %M "$bin" -q "$input" 2>&1 >/dev/null | tail -n 1)
stacks=$("$bin" -q "$input" | wc -l)
awk -v s="$size" -v tf="$tf" -v cf="$cf" -v tw="$tw" -v cw="$cw" \
    -v rss="$rss" -v n="$stacks" -v load="$(cut -d' ' -f1 /proc/loadavg)" '
function rate(t) { return t > 0 ? sprintf("%.0f MB/s", s / 1e6 / t) : "-" }
BEGIN {
	printf "input:      %.1f MB, %d distinct stacks (load average %s)\n",
		s / 1e6, n, load
	printf "pesq-fold:  wall %.3f s (%s), cpu %.3f s (%s)\n",
		tf, rate(tf), cf, rate(cf)
	printf "wc -l:      wall %.3f s (%s), cpu %.3f s (%s)\n",
		tw, rate(tw), cw, rate(cw)
	printf "ratio:      pesq-fold / wc -l = %.2f (wall), %.2f (cpu)\n",
		tf / tw, (cw > 0 ? cf / cw : 0)
	printf "peak RSS:   %.1f MiB\n", rss / 1024
}'

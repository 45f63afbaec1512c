#!/bin/sh
# t/perf/hot.sh: pesq-hot's throughput and memory on a generated profile.
#
#   sh t/perf/hot.sh [STACKS]      (default 1100000 distinct stacks)
#
# Generates t/perf/out/hot-sorted.folded (sorted, as collapsers write
# it) and t/perf/out/hot-shuffled.folded (the same lines in another
# order), then runs bin/pesq-hot -c on each and prints the load average,
# MB/s (best of 3 by wall time, and by CPU time, which a busy machine
# disturbs less), peak RSS and RSS per prefix-tree node. Not part of
# make check; needs awk, sort and GNU time (/usr/bin/time).
set -e
cd "$(dirname "$0")/../.."
n=${1:-1100000}
out=t/perf/out
bin=${PESQ_BIN:-bin}
mkdir -p "$out"
if ! [ -s "$out/hot-sorted.folded" ] ||
   [ "$(cat "$out/hot.n" 2>/dev/null)" != "$n" ]; then
	echo "generating $n stacks into $out/ ..." >&2
	# Six levels below main pick one of 16 functions each (the hex
	# digits of i, so every stack differs), then 0-3 helpers.
	awk -v n="$n" 'BEGIN {
		pre = "bench;_start;__libc_start_main;main;Engine::run(Config const&)"
		for (i = 0; i < n; i++) {
			s = pre; x = i
			for (l = 0; l < 6; l++) {
				d = x % 16; x = int(x / 16)
				s = s ";ns" l "::Stage" d "::process_" (d * 7 + l) "(Item&, int)"
			}
			for (k = 0; k < i % 4; k++)
				s = s ";util::helper_" ((i + k) % 23) "<std::string>::call()"
			print s " " (i * 7919 % 1000) + 1
		}
	}' >"$out/hot.raw"
	LC_ALL=C sort "$out/hot.raw" >"$out/hot-sorted.folded"
	awk '{ print (NR * 2654435761) % 4294967296 "\t" $0 }' "$out/hot.raw" |
		LC_ALL=C sort -n | cut -f2- >"$out/hot-shuffled.folded"
	rm -f "$out/hot.raw"
	echo "$n" >"$out/hot.n"
fi
. t/perf/lib-time.sh

echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
for f in sorted shuffled
do
	in=$out/hot-$f.folded
	cat "$in" >/dev/null
	bytes=$(wc -c <"$in")
	lines=$(wc -l <"$in")
	"$bin/pesq-hot" -v -c -n 10 "$in" 2>"$out/hot-$f.err" >"$out/hot-$f.jsonl"
	nodes=$(sed -n 's/.* \([0-9]*\) nodes.*/\1/p' "$out/hot-$f.err" | head -n 1)
	set -- $(best 3 "$bin/pesq-hot" -c -n 10 "$in")
	secs=$1 cpu=$2
	rss=$(/usr/bin/time -f %M "$bin/pesq-hot" -c -n 10 "$in" 2>&1 >/dev/null |
		tail -n 1)
	awk -v f="$f" -v b="$bytes" -v l="$lines" -v s="$secs" -v c="$cpu" \
		-v r="$rss" -v n="${nodes:-0}" 'BEGIN {
		mb = b / 1e6
		printf "pesq-hot %s: %d stacks, %d nodes, %.1f MB: %.2f s wall = %.0f MB/s; %.2f s cpu = %.0f MB/s; peak RSS %.1f MiB (%.0f bytes/node)\n", f, l, n, mb, s, (s > 0 ? mb / s : 0), c, (c > 0 ? mb / c : 0), r / 1024, (n > 0 ? r * 1024 / n : 0)
	}'
done

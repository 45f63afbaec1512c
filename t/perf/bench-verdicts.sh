#!/bin/sh
# t/perf/bench-verdicts.sh: how often does pesq-bench accept?
#
#   t/perf/bench-verdicts.sh [-n TRIALS] [-u UNITS] [-t MINUTES] [-j]
#                            [-- PESQ-BENCH-OPTIONS]
#
# Runs TRIALS (default 40) trials of each of three kinds, interleaved so
# that the machine's load falls on all kinds alike:
#   aa   the candidate is the base (identical programs): never accept;
#   5%   the candidate is 1.05 times faster: accept;
#   3%   the candidate is 1.03 times faster.
# The program is `sh -c './spin -f knob'` (t/helper/spin), busy for UNITS
# units (default 40, about 50 ms of CPU). Its start-up (sh, the loader,
# reading the knob: about 1.7 units) does not shrink with the work, so
# the candidates' knobs are set from a measurement of it at the start,
# making the whole run 1.05 (1.03) times faster, not only its loop; the
# summary checks that with the speedup of all samples of each kind
# pooled. -t stops starting trials after MINUTES (default 55). With -j
# a `yes >/dev/null` runs alongside the whole time, so that the machine
# has another job. Prints one line per trial and a summary; the raw
# records go to t/perf/out/. Not part of make check.
#
# Measured on the shared 2-core machine (AMD EPYC, Linux 6.18, HZ=250
# tick accounting) on 2026-11-21, with `-j -- --sandbox off` and
# pesq-bench's defaults (cpu, 99%, min-gain 2%, 5 to 50 rounds): yes(1)
# alongside and other sessions' jobs, load average 4.3 to 9.3, the wall
# time of a run 3.1 times its CPU time. 40 units: 48.7 ms of CPU a run
# (median), start-up 1.74 units; 1824 s in all.
#   aa: 0 of 40 accepted (34 rejected, 6 inconclusive), median 12 rounds;
#       pooled speedup 1.0007
#   5%: 39 of 40 accepted (97.5%; 1 inconclusive), median 9.5 rounds
#       (9 when accepted); pooled speedup 1.0494
#   3%: 19 of 40 accepted (47.5%; 21 inconclusive), median 50 rounds
#       (15 when accepted); pooled speedup 1.0326
# Again on 2026-12-06 (pesq-bench --metric auto, the default: CPU time
# here), -n 12 -t 20 -- --sandbox off, load 10 to 15, start-up measured
# at 11 units (the load): 7 trials of each kind in 1224 s.
#   aa: 0 of 7 accepted (4 rejected, 3 inconclusive); pooled 0.9994
#   5%: 7 of 7 accepted (100%), median 36 rounds; pooled 1.0475
#   3%: 0 of 7 accepted (6 inconclusive, 1 rejected); pooled 1.0303
# With acceptance only at looks (10, 14, 20, 28, 40, 50, each at 0.01/6;
# pesq-bench(1), STATISTICS), 2026-12-06, -n 40 -t 20 -- --sandbox off,
# load 0.8 to 2, start-up 1.96 units: 120 trials in 362 s.
#   aa: 0 of 40 accepted (40 rejected), median 5 rounds; pooled 0.9995
#   5%: 40 of 40 accepted (100%), median 10 rounds; pooled 1.0509
#   3%: 37 of 40 accepted (92.5%; 3 inconclusive), median 14 rounds
#       when accepted; pooled 1.0297
# and -n 12 at load 4 (a helper's builds alongside): aa 0 of 12, 5% 12
# of 12 (median 10 rounds), 3% 7 of 12.
# A first try at 100 units (120 ms) gave the same picture (aa rejected in
# 16 and 18 rounds, 5% accepted in 8 and 14, 3% inconclusive) but ran
# 2.5 minutes a trial of each kind on this loaded machine: too slow for
# 40 of each in an hour.
#
# Earlier (13 ms program: 8 units with the knob scaled, 30 rounds, load
# 7 to 14): aa 0 of 39, 5% 22 of 38, 3% 3 of 38. The 5% candidate of that
# run was really 4.2% faster (its knob scaled only the loop, and the
# start-up is 15% of 13 ms: the median measured speedup was 1.044), and
# 30 rounds of a run that short were too few. CPU time from wait4(2) is
# not the limit: user + system is the scheduler's runtime in
# microseconds (only the split between them goes by 4 ms ticks).
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
n=40 units=40 busy= minutes=55
while getopts n:u:t:j o
do
	case $o in
	n) n=$OPTARG ;;
	u) units=$OPTARG ;;
	t) minutes=$OPTARG ;;
	j) busy=t ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
# PESQ_BIN: programs built elsewhere (so that a long run is not
# disturbed by rebuilding bin/). spin is copied into each directory: the
# sandbox shows the benchmark its own directory, not the build tree.
if [ -z "${PESQ_BIN:-}" ]; then
	make -s all bin/t/helper/spin
	PESQ_BIN=$root/bin
fi
PATH=$PESQ_BIN:$PESQ_BIN/t/helper:$PATH
out=$root/t/perf/out/bench-verdicts.$$
mkdir -p "$out/zero" "$out/base" "$out/aa" "$out/5%" "$out/3%"
for d in zero base aa 5% 3%
do
	cp "$PESQ_BIN/t/helper/spin" "$out/$d/"
done
echo 0 >"$out/zero/knob"
echo "$units" >"$out/base/knob"
echo "$units" >"$out/aa/knob"
if [ -n "$busy" ]; then
	yes >/dev/null &
	busy_pid=$!
	trap 'kill $busy_pid 2>/dev/null' EXIT
	trap 'exit 130' INT TERM
fi
start=$(date +%s)
echo "# pesq-bench $* ; units $units; load: $(cut -d' ' -f1-3 /proc/loadavg)" \
	"${busy:+; with yes(1) running alongside (pid $busy_pid)}"
# the start-up, in units: spin 0 against spin UNITS, 10 rounds
echo '{"attempt":{"id":"startup"}}' |
pesq-bench -q --base-dir "$out/zero" --candidate-dir "$out/base" \
	--bench './spin -f knob' "$@" --min-rounds 10 -n 10 >"$out/startup.jsonl"
o=$(jq -r --argjson u "$units" '
	def med: sort | if length % 2 == 1 then .[length / 2 | floor]
		else (.[length / 2 - 1] + .[length / 2]) / 2 end;
	(.bench.base.cpu | med) as $z | (.bench.cand.cpu | med) as $f
	| $z / (($f - $z) / $u)' "$out/startup.jsonl")
awk -v u="$units" -v o="$o" 'BEGIN { printf "%.4f\n", (u + o) / 1.05 - o }' \
	>"$out/5%/knob"
awk -v u="$units" -v o="$o" 'BEGIN { printf "%.4f\n", (u + o) / 1.03 - o }' \
	>"$out/3%/knob"
echo "# start-up: $o units; knobs: 5% $(cat "$out/5%/knob"), 3% $(cat "$out/3%/knob")"
i=0
while [ $i -lt "$n" ]
do
	if [ $(($(date +%s) - start)) -ge $((minutes * 60)) ]; then
		echo "# stopped after $i trials of each kind: $minutes minutes"
		break
	fi
	i=$((i + 1))
	for kind in aa 5% 3%
	do
		printf '{"attempt":{"id":"%s/%d"}}\n' "$kind" "$i" |
		pesq-bench -q --base-dir "$out/base" \
			--candidate-dir "$out/$kind" --bench './spin -f knob' \
			"$@" >>"$out/$kind.jsonl"
		tail -n 1 "$out/$kind.jsonl" | jq -r --arg k "$kind" \
			--arg load "$(cut -d' ' -f1 /proc/loadavg)" \
			'[$k, .verdict, (.bench.speedup // 0 | . * 10000 | round / 10000),
			  (.bench.ci // [0,0] | map(. * 10000 | round / 10000) | join("-")),
			  .bench.rounds, $load] | @tsv'
	done
done
echo "# summary ($(($(date +%s) - start)) s; load now: $(cut -d' ' -f1-3 /proc/loadavg))"
for kind in aa 5% 3%
do
	[ -s "$out/$kind.jsonl" ] || continue
	jq -s -r --arg k "$kind" '
		def med: sort | if length == 0 then null
			elif length % 2 == 1 then .[length / 2 | floor]
			else (.[length / 2 - 1] + .[length / 2]) / 2 end;
		def r4: . * 10000 | round / 10000;
		(map(select(.verdict == "accepted")) | length) as $acc |
		(.[0].bench.metric) as $m |
		"\($k): accepted \($acc)/\(length) " +
		"(\($acc * 1000 / length | round / 10)%), rejected " +
		"\(map(select(.verdict == "rejected")) | length), inconclusive " +
		"\(map(select(.verdict == "inconclusive")) | length), " +
		"other \(map(select(.verdict | IN("accepted", "rejected", "inconclusive") | not)) | length); " +
		"median rounds \(map(.bench.rounds) | med), " +
		"of accepted \(map(select(.verdict == "accepted") | .bench.rounds) | med // "-"); " +
		"median speedup \(map(.bench.speedup) | med | r4), " +
		"pooled \(([.[].bench.base[$m][]] | med) / ([.[].bench.cand[$m][]] | med) | r4)"
	' "$out/$kind.jsonl"
done

#!/bin/sh
# t/perf/bench-verdicts.sh: how often does pesq-bench accept?
#
#   t/perf/bench-verdicts.sh [-n TRIALS] [-u UNITS] [-j] [-- PESQ-BENCH-OPTIONS]
#
# Runs TRIALS (default 40) trials of each of three kinds, interleaved so
# that the machine's load falls on all kinds alike:
#   aa   the candidate is the base (identical programs): never accept;
#   5%   the candidate does 1/1.05 of the base's work: accept;
#   3%   the candidate does 1/1.03 of the base's work.
# The program is t/helper/spin, busy for UNITS units (default 30, about
# 30 ms). With -j a `yes >/dev/null` runs alongside the whole time, so that
# the machine has another job. Prints one line per trial and a summary;
# the raw records go to t/perf/out/. Not part of make check.
#
# Measured on the shared 2-core machine (AMD EPYC), load average 7 to 14
# from other jobs plus the yes(1) of -j, with
# `-j -u 8 -- --sandbox off -n 30` (8 units: about 13 ms of CPU a run):
#   aa: 0 of 39 accepted (24 rejected, 15 inconclusive), median 18 rounds
#   5%: 22 of 38 accepted (58%; 16 inconclusive, none rejected), median
#       17 rounds when accepted; the median measured speedup was 1.044
#   3%: 3 of 38 accepted (2 rejected, 33 inconclusive)
# Shorter runs of other settings (20 and 15 units, with the sandbox)
# accepted no A/A trial either (12 more), and 4 of 8 at 5%.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
n=40 units=30 busy=
while getopts n:u:j o
do
	case $o in
	n) n=$OPTARG ;;
	u) units=$OPTARG ;;
	j) busy=t ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
# PESQ_BIN: programs built elsewhere (so that a long run is not
# disturbed by rebuilding bin/); not under /tmp, which the sandbox hides
if [ -z "${PESQ_BIN:-}" ]; then
	make -s all bin/t/helper/spin
	PESQ_BIN=$root/bin
fi
PATH=$PESQ_BIN:$PESQ_BIN/t/helper:$PATH
out=$root/t/perf/out/bench-verdicts.$$
mkdir -p "$out/base" "$out/aa" "$out/5%" "$out/3%"
echo "$units" >"$out/base/knob"
echo "$units" >"$out/aa/knob"
awk -v u="$units" 'BEGIN { printf "%.4f\n", u / 1.05 }' >"$out/5%/knob"
awk -v u="$units" 'BEGIN { printf "%.4f\n", u / 1.03 }' >"$out/3%/knob"
if [ -n "$busy" ]; then
	yes >/dev/null &
	busy_pid=$!
	trap 'kill $busy_pid 2>/dev/null' EXIT
	trap 'exit 130' INT TERM
fi
echo "# pesq-bench $* ; units $units; load: $(cut -d' ' -f1-3 /proc/loadavg)" \
	"${busy:+; with yes(1) running alongside}"
i=0
while [ $i -lt "$n" ]
do
	i=$((i + 1))
	for kind in aa 5% 3%
	do
		printf '{"attempt":{"id":"%s/%d"}}\n' "$kind" "$i" |
		pesq-bench -q --base-dir "$out/base" \
			--candidate-dir "$out/$kind" --bench 'spin -f knob' \
			"$@" >>"$out/$kind.jsonl"
		tail -n 1 "$out/$kind.jsonl" | jq -r --arg k "$kind" \
			'[$k, .verdict, (.bench.speedup // 0 | . * 10000 | round / 10000),
			  (.bench.ci // [0,0] | map(. * 10000 | round / 10000) | join("-")),
			  .bench.rounds] | @tsv'
	done
done
echo "# summary ($n trials each; load now: $(cut -d' ' -f1-3 /proc/loadavg))"
for kind in aa 5% 3%
do
	jq -s -r --arg k "$kind" '
		(map(select(.verdict == "accepted")) | length) as $acc |
		(map(.bench.rounds) | sort) as $r |
		"\($k): accepted \($acc)/\(length), rejected " +
		"\(map(select(.verdict == "rejected")) | length), inconclusive " +
		"\(map(select(.verdict == "inconclusive")) | length), " +
		"median rounds \($r[(length / 2 | floor)]), " +
		"median rounds of accepted " +
		"\(map(select(.verdict == "accepted") | .bench.rounds) | sort |
		   if length > 0 then .[(length / 2 | floor)] else "-" end)"
	' "$out/$kind.jsonl"
done

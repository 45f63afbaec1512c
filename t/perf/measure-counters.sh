#!/bin/sh
# t/perf/measure-counters.sh: what pesq-measure's counters cost a run.
#
#   t/perf/measure-counters.sh [-n TRIALS] [-k RUNS] [-u UNITS]
#
# pesq-measure runs 'spin UNITS' (default 0: start-up and exit only)
# RUNS times (default 300) in a shell loop, once in each mode a trial,
# the modes in a rotating order so that none always goes first:
#   off  PESQ_MEASURE_COUNTERS=off: no perf_event_open at all;
#   hw   the default: instructions and cycles (on a machine without
#        hardware counters, one perf_event_open that fails);
#   sw   task-clock and page faults, opened, inherited, enabled on
#        exec and read: the bookkeeping counting costs, with software
#        events in place of the PMU's.
# For each mode: the elapsed time of the loop per run (what a run costs
# pesq-bench: pesq-measure's start, its counters, the command), and the
# medians of the command's own wall and CPU time as pesq-measure reports
# them (what the measurement sees). Prints a line per trial and the
# medians over the trials of each mode's cost above off, in
# microseconds. TRIALS defaults to 5. Not part of make check.
#
# Measured on the shared 2-core machine (Linux 6.18 in a VM without a
# PMU, so hw is one perf_event_open failing with ENOENT) on 2026-12-06
# at load 2.5 to 3, -n 9 -k 300 -u 0 (off: 1.55 ms a run, 0.74 ms of it
# the command's own wall time): hw +1.3 us a run (own wall -5.6 us, cpu
# -3.0 us: nothing, within the noise); sw +242 us a run, own wall +29
# us, own CPU +21 us. A C loop of perf_event_open and close puts about
# 70 us in opening the two events and 60 us in closing them here; the
# rest is the fork copying the inherited events and the exit adding
# them up. Inside the measured times, then, counting adds some 20-30
# us to both sides alike. t/perf/sandbox.sh -n 3 -r 10 with off, sw
# and the default gave 8.62, 8.76 and 9.19 ms a run for the whole
# sandbox: the counters are below that script's noise.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
n=5 k=300 units=0
while getopts n:k:u: o
do
	case $o in
	n) n=$OPTARG ;;
	k) k=$OPTARG ;;
	u) units=$OPTARG ;;
	*) exit 2 ;;
	esac
done
make -s bin/pesq-measure bin/t/helper/spin
measure=$root/bin/pesq-measure
spin=$root/bin/t/helper/spin
out=$root/t/perf/out/measure-counters.$$
mkdir -p "$out"

now_us() {
	echo $(( $(date +%s%N) / 1000 ))
}

# loop MODE TRIAL: RUNS runs; prints "elapsed-us-per-run wall-us cpu-us"
# (the last two medians of the reports).
loop() {
	rep=$out/$1.$2
	: >"$rep"
	t0=$(now_us)
	i=0
	while [ $i -lt "$k" ]
	do
		i=$((i + 1))
		PESQ_MEASURE_COUNTERS=$1 "$measure" -f 7 "$spin" "$units" \
			7>>"$rep" >/dev/null
	done
	t1=$(now_us)
	awk -v el=$(( (t1 - t0) )) -v k="$k" '
		function med(a, n,   i, j, t) {
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && a[j] < a[j - 1]; j--) {
					t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
				}
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		{ w[NR] = $6 / 1000; c[NR] = $4 + $5 }
		END { printf "%.1f %.1f %.1f\n", el / k, med(w, NR), med(c, NR) }' \
		"$rep"
}

echo "# $measure: spin $units, $k runs a mode a trial;" \
	"load $(cut -d' ' -f1-3 /proc/loadavg)"
PESQ_MEASURE_COUNTERS=hw "$measure" -f 7 true 7>"$out/probe"
echo "# hw here: $(cut -d' ' -f8- "$out/probe")"
echo "# trial  per-run us: off hw sw   own wall us: off hw sw   own cpu us: off hw sw"
t=0
while [ $t -lt "$n" ]
do
	t=$((t + 1))
	case $((t % 3)) in
	0) order="off hw sw" ;;
	1) order="hw sw off" ;;
	2) order="sw off hw" ;;
	esac
	for m in $order
	do
		set -- $(loop "$m" "$t")
		eval "el_$m=\$1 wall_$m=\$2 cpu_$m=\$3"
	done
	echo "$t  $el_off $el_hw $el_sw   $wall_off $wall_hw $wall_sw   $cpu_off $cpu_hw $cpu_sw" |
		tee -a "$out/trials"
done
awk 'function med(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j] < a[j - 1]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	{ eh[NR] = $3 - $2; es[NR] = $4 - $2; wh[NR] = $6 - $5
	  ws[NR] = $7 - $5; ch[NR] = $9 - $8; cs[NR] = $10 - $8; b[NR] = $2 }
	END {
		printf "# medians above off (off: %.1f us a run): hw %+.1f us " \
			"a run (own wall %+.1f, cpu %+.1f), sw %+.1f us a run " \
			"(own wall %+.1f, cpu %+.1f)\n", med(b, NR), med(eh, NR),
			med(wh, NR), med(ch, NR), med(es, NR), med(ws, NR),
			med(cs, NR)
	}' "$out/trials"
echo "# reports in $out"

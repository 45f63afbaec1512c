# Timing for the t/perf benchmarks; source it.
#
# best N CMD...: the best of N runs of CMD (output discarded), printed as
# "wall cpu" in seconds. cpu is perf's task-clock when perf works, else
# user + sys from time(1) (10 ms resolution). On a loaded machine wall
# time includes waiting for a core, so both are given.

if perf stat -x, -e task-clock true >/dev/null 2>&1
then
	cputime() {
		perf stat -x, -e task-clock "$@" 2>&1 >/dev/null |
			awk -F, '/task-clock/ { print $1 / 1000 }'
	}
else
	cputime() {
		/usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null |
			tail -n 1 | awk '{ print $1 + $2 }'
	}
fi

best() {
	best_n=$1
	shift
	i=0
	while [ $i -lt "$best_n" ]
	do
		i=$((i + 1))
		t0=$(date +%s.%N)
		"$@" >/dev/null
		t1=$(date +%s.%N)
		echo "$t0 $t1 $(cputime "$@")"
	done | awk '{ w = $2 - $1; c = $3 }
		NR == 1 || w < bw { bw = w } NR == 1 || c < bc { bc = c }
		END { print bw, bc }'
}

#!/bin/sh
# t/perf/check-cost.sh: what the checks of pesq-bench (sanitized runs and
# the differential check, pesq-check(5)) cost per attempt on the bundled
# sample, against the timing they save or precede. Not part of make check.
#
# The sample (t/fixtures/sample, its own benchmark of 250000 words unless
# WORDS says otherwise) in a scratch repository; the differential check
# of table_find (t/fixtures/checks/table_find-check.c) made the model's
# with pesq-bench --validate-check; then RUNS rounds of the three candidates of
# t/fixtures/checks (long: wrong for words over 40 letters; overflow: a
# heap overflow that changes no output; hash: correct), each applied and
# judged by pesq-bench --no-advance. From the records: the sanitized
# runs' time (builds of the sanitized base and candidate, the test
# command and one benchmark run under the sanitizers), the differential
# check's build and run time, all the checks, and the timing (the sum of
# the timed benchmark runs). The first attempt of a base also builds the
# sanitized base and records its reports; it is shown apart.
#
# Usage: sh t/perf/check-cost.sh [RUNS [SECONDS]]  (after make; SECONDS
# is pesq.checkSeconds, default 10)
set -eu
cd "$(dirname "$0")"
PERF_DIR=$(pwd)
SRC=$(cd ../.. && pwd)
BIN=${PESQ_BIN:-$SRC/bin}
RUNS=${1:-3}
SECS=${2:-10}
OUT=$PERF_DIR/out/check
FIX=$SRC/t/fixtures/checks
rm -rf "$OUT"
mkdir -p "$OUT/r"
export GIT_AUTHOR_NAME=p GIT_AUTHOR_EMAIL=p@p GIT_COMMITTER_NAME=p \
	GIT_COMMITTER_EMAIL=p@p GIT_CONFIG_NOSYSTEM=1 HOME=$OUT
PATH=$BIN:$PATH

(cd "$SRC/t/fixtures/sample" && tar cf - --exclude=./pesq --exclude='*.o' \
    --exclude=wordfreq --exclude=gentext --exclude=bench.txt .) |
    (cd "$OUT/r" && tar xf -)
cd "$OUT/r"
git init -q
git add .
git commit -q -m wordfreq
git config pesq.build "make${WORDS:+ BENCH_WORDS=$WORDS}"
git config pesq.test "make test"
git config pesq.bench ./bench.sh
git config pesq.checkSeconds "$SECS"
echo '{"fn":"table_find"}' | pesq-deps -q --rev HEAD >../deps.jsonl
jq -c --rawfile code "$FIX/table_find-check.c" \
    '.prompt = {mode: "check"} | .candidate = {code: $code}' ../deps.jsonl |
    pesq-bench -q --validate-check >../check.jsonl
echo "the check: $(jq -r '.check | "\(.status), \(.ms / 1000) s on the original (\(.runs) runs)"' ../check.jsonl)"

: >../rows
n=0
while [ $n -lt "$RUNS" ]
do
	n=$((n + 1))
	for c in long overflow hash
	do
		jq -c --rawfile code "$FIX/table_find-$c.c" \
		    '.candidate = {code: $code, summary: "perf"}' \
		    ../deps.jsonl | pesq-apply --slot 0 >../att.jsonl
		pesq-bench -q --no-advance <../att.jsonl >../out.jsonl
		jq -r --arg c "$c" '[$c, .verdict,
		    (.checks.sanitize.ms // 0) / 1000,
		    (.checks.differential.build_ms // 0) / 1000,
		    (.checks.differential.run_ms // 0) / 1000,
		    (.checks.ms // 0) / 1000,
		    ([.bench.base.wall[]?, .bench.cand.wall[]?] | add // 0)]
		    | @tsv' ../out.jsonl >>../rows
	done
done

echo "checkSeconds $SECS, $RUNS rounds of 3 candidates; seconds (wall):"
printf '%-9s %-8s %9s %10s %9s %7s %7s\n' candidate verdict sanitize \
    diff-build diff-run checks timing
awk -F'\t' 'NR == 1 {
	printf "%-9s %-8s %9.2f %10.2f %9.2f %7.2f %7.2f  (first at this base)\n",
	    $1, $2, $3, $4, $5, $6, $7; next }
	{ k = $1; n[k]++; v[k] = $2; s[k] += $3; b[k] += $4; r[k] += $5
	  t[k] += $6; m[k] += $7 }
	END { for (k in n) printf "%-9s %-8s %9.2f %10.2f %9.2f %7.2f %7.2f  (mean of %d)\n",
	    k, v[k], s[k] / n[k], b[k] / n[k], r[k] / n[k], t[k] / n[k],
	    m[k] / n[k], n[k] }' ../rows

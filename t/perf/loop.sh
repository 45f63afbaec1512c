#!/bin/sh
# t/perf/loop.sh: the time pesq itself spends per attempt, without the
# model, the builds and the benchmark runs.
#
#	t/perf/loop.sh [attempts]     (after make; default 5 attempts)
#
# The sample project, the stacks given as folded lines, a `command`
# provider that prints a canned reply at once, build and bench commands
# that do nothing (`true`), no test. What is left is pesq: git-pesq's
# glue (jq, git plumbing, the ledger), pesq-hot, pesq-deps (libclang),
# pesq-prompt, pesq-llm, pesq-apply (commit, note, worktree checkout)
# and pesq-bench (worktrees, notes, its minimum rounds of `true`).
# Printed: per attempt, the whole, the filter pipelines, and git-pesq's
# own share outside them.
set -e
n=${1:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${PESQ_BIN:-$root/bin}
out=$root/t/perf/out/loop
PATH=$bin:$root/scripts:$PATH
PESQ_DATADIR=$root/scripts
export PATH PESQ_DATADIR
unset PESQ_BUILD

rm -rf "$out"
mkdir -p "$out/repo"
cd "$root/t/fixtures/sample"
tar cf - --exclude=./pesq --exclude='*.o' --exclude=wordfreq \
    --exclude=gentext --exclude=bench.txt . | (cd "$out/repo" && tar xf -)
cd "$out/repo"
git init -q
git add .
git -c user.name=perf -c user.email=perf@localhost commit -q -m sample
git config user.name perf
git config user.email perf@localhost
git config pesq.build true
git config pesq.bench true
git config pesq.provider command
git config pesq.model canned
git config pesq.command "sh '$root/t/fixtures/sample/pesq/replay.sh'"
printf 'wordfreq;main;count_file;count_word;table_find 9000\n' >../stacks

: >../trace
i=0
while [ $i -lt "$n" ]
do
	PESQ_TRACE=$out/trace git pesq run -q --again --no-chain -n 1 \
	    -S ../stacks 2>>../err
	i=$((i + 1))
done
# Per attempt: the loop over the targets (not the run's setup, profile
# and hot list, nor its final A/B, which happen once a run).
awk -v n="$n" '
	$1 == "loop" { loop += $2; next }
	$3 == "final" { next }
	$3 == "pesq-bench" { bench += $2; next }
	{ pipes += $2; s[$3] += $2; c[$3]++ }
	END {
		printf "loop: %d attempts (build and bench `true`, canned " \
		    "replies)\n", n
		printf "loop: per attempt: %d ms: pesq-bench %d ms (its " \
		    "rounds of `true`), deps | prompt | llm | apply %d ms, " \
		    "git-pesq itself %d ms\n", loop / n, bench / n,
		    pipes / n, (loop - bench - pipes) / n
	}' ../trace

#!/usr/bin/jq -f
# pesq-report.jq: the totals of the ledger: the attempt records of
# pesq-ledger.jq (slurped) and $best (jq --slurpfile: the squashed
# commits of pesq/best, oldest first, from git-pesq's best_steps) into
# one JSON object; $final (jq --slurpfile) the record of the last run's
# final A/B when it measured the pesq/best of today, or nothing; see
# git-pesq(1), "REPORT".
def median: sort | if length == 0 then null
	elif length % 2 == 1 then .[length / 2 | floor]
	else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def rate: if .attempts > 0 then .accepted / .attempts else null end;
def tally(f): group_by(f // "unknown")
	| map({key: (.[0] | f // "unknown" | tostring),
	       value: ({attempts: length,
			accepted: map(select(.verdict == "accepted")) | length}
		       | .rate = rate)})
	| from_entries;
def verdicts: ["accepted", "rejected", "inconclusive", "build-failed",
	"test-failed", "output-differs", "unsafe", "differs", "error"];
. as $all
| [.[] | select(.verdict != null)] as $done
| [$done[] | select(.verdict == "accepted")] as $acc
| [$acc[] | .speedup | select(type == "number")] as $sp
| [$done[] | select((.threads | type) == "number")] as $par
| ($best | reduce .[] as $s ({c: 1, out: []};
	.c *= ($s.speedup // 1)
	| .out += [$s + {cumulative: .c}])) as $steps
| {
	attempts: ($done | length),
	unfinished: (($all | length) - ($done | length)),
	accepted: ($acc | length),
	rate: (if ($done | length) > 0 then ($acc | length) / ($done | length)
	       else null end),
	verdicts: (reduce verdicts[] as $v ({}; .[$v] = 0)
		   | reduce $done[] as $a (.; .[$a.verdict] += 1)),
	roles: ($done | tally(.role)),
	models: ($done | tally(.model)),
	corrections: {
		total: ($done | map(.corrections // 0) | add // 0),
		attempts: ($done | map(select((.corrections // 0) > 0))
			   | length),
		built: ($done | map(select((.corrections // 0) > 0
			and .verdict != "build-failed")) | length)
	},
	speedup: {
		median: ($sp | median),
		best: ($sp | max),
		cumulative: ($steps.out | last | .cumulative // null)
	},
	parallel: (if ($par | length) == 0 then null else {
		attempts: ($par | length),
		accepted: ($par | map(select(.verdict == "accepted")) | length),
		unsafe: ($par | map(select(.verdict == "unsafe")) | length),
		threads: ($par | map(.threads) | max),
		speedup: ($par | map(select(.verdict == "accepted") | .speedup
				     | numbers) | median),
		efficiency: ($par | map(select(.verdict == "accepted")
			     | select(.speedup | type == "number")
			     | .speedup / .threads) | median)
	} end),
	final: ($final | first // null | if . == null then null
		else {start: .final.start, best: .final.best,
		      steps: .final.steps, verdict,
		      speedup: .bench.speedup?, ci: .bench.ci?,
		      rounds: .bench.rounds?, metric: .bench.metric?} end),
	best: {
		commit: ($best | last | .commit // null),
		steps: ($steps.out | map({commit, attempt, subject, speedup,
					   ci, cumulative}))
	},
	tokens: {
		in: ($all | map(.in_tokens) | add // 0),
		out: ($all | map(.out_tokens) | add // 0),
		total: ($all | map(.tokens) | add // 0),
		cost: ($all | map(.cost | numbers)
		       | if length > 0 then add else null end),
		cached: ($all | map(.cached // 0) | add // 0)
	},
	seconds: (reduce ("llm", "build", "test", "check", "bench") as $k ({};
		.[$k] = ($all | map(.ms[$k] // 0) | add // 0) / 1000))
}

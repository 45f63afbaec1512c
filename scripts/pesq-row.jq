#!/usr/bin/jq -f
# pesq-row.jq: one row of the run's table from a record that has been
# through pesq-bench; `loop` (pesq-tally.jq) has its tries and tokens.
def verdict:
	if (.verdict | type) == "object" then .verdict.verdict
	elif (.verdict | type) == "string" then .verdict
	elif .error != null then "error"
	else "unknown" end;
{
	fn: .fn,
	role: (.role // "leaf"),
	child: .child,
	attempt: .attempt.id,
	base: .attempt.base,
	commit: .attempt.commit,
	tries: (.loop.tries // 0),
	verdict: verdict,
	speedup: ((if (.bench | type) == "object" then .bench.speedup else null end)
	    // (if (.verdict | type) == "object" then .verdict.speedup else null end)),
	tokens: (.loop.tokens // 0),
	error: (.error.msg // null)
}

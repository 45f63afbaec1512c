# pesq-row.jq: one row of the run's table from a record that has been
# through pesq-bench. --argjson tokens N (model tokens spent on all its
# tries), --argjson tries N (1 + corrections).
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
	tries: $tries,
	verdict: verdict,
	speedup: (.bench.speedup // .verdict.speedup // null),
	tokens: $tokens,
	error: (.error.msg // null)
}

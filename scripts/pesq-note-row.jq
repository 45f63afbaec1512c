#!/usr/bin/jq -f
# pesq-note-row.jq: a table row (as pesq-row.jq makes) from the note of an
# attempt's last commit (slurped), for attempts whose run was killed
# before it wrote their row. --arg tip COMMIT --arg role ROLE. The tokens
# are not in the note: null.
(map(select(.event == "apply")) | last) as $a
| (map(select(.event == "verdict")) | last) as $v
| {
	fn: $a.fn,
	role: $role,
	attempt: $a.attempt,
	base: null,
	commit: $tip,
	tries: (1 + ($a.n_corrections // 0)),
	verdict: ($v.verdict // "unknown"),
	speedup: $v.speedup,
	tokens: null,
	error: null
}

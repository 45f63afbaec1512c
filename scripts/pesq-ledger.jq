#!/usr/bin/jq -f
# pesq-ledger.jq: the attempts of the ledger, from its events.
#
# Input (jq -s): the lines of every note in refs/notes/pesq, each with
# the member `commit` (the commit the note is on) added. $branches (jq
# --slurpfile): objects {commit, branch} for the attempt branches there
# are; $parents: {commit, parent} (first parent) of the noted commits
# that are here, for notes whose apply line does not say. Output: one record per attempt, newest first (see git-pesq(1),
# "THE LEDGER").
#
# An attempt is a chain of commits: the first try on its base, then one
# commit per correction, each the parent of the next (the apply line's
# `parent`). Its record is read off the notes of the whole chain; the
# test, bench and verdict lines are on the last commit. Notes merged with
# cat_sort_uniq come back with their lines sorted, so nothing here
# depends on the order of lines, only on `time` and the kind of event.

def order: {apply: 0, llm: 1, build: 2, test: 3, checks: 4, bench: 5,
	verdict: 6}[.event] // 7;
def num: if type == "number" then . else null end;
def sum(f): reduce (.[] | f | num // 0) as $x (0; . + $x);
def median: map(num | select(. != null)) | sort
	| if length == 0 then null
	  elif length % 2 == 1 then .[length / 2 | floor]
	  else (.[length / 2 - 1] + .[length / 2]) / 2 end;

($branches | map({key: .commit, value: .branch}) | from_entries) as $br
| ($parents | map({key: .commit, value: .parent}) | from_entries) as $par
# "accepted" lines are on pesq/best's commits, not on attempts (the
# attempt's verdict line says the same, with `best`): not read here
| [.[] | select(type == "object" and (.event | type) == "string"
    and .event != "accepted" and (.commit | type) == "string")]
| group_by(.commit)
| map({key: .[0].commit,
	value: sort_by([(.time | num // 0), order])})
| from_entries as $ev
# the apply line of a commit: its place in a chain
| def apply($c): [$ev[$c][]? | select(.event == "apply")] | last;
  def id($c): [$ev[$c][]? | .attempt | select(type == "string")] | last;
  def prev($c): apply($c) as $a
	| if $a.parent != null then
		(if $a.parent == $a.base or $ev[$a.parent] == null then null
		 else $a.parent end)
	  else ($par[$c] // null) as $p
		| if $p != null and $ev[$p] != null and id($p) == id($c)
		  then $p else null end
	  end;
  def chain($c): [limit(1000; $c | recurse(prev(.); . != null))] | reverse;
  ([$ev | keys[] | prev(.) | select(. != null)]
   | map({key: ., value: true}) | from_entries) as $inner
| [$ev | keys[] | select($inner[.] | not)]
| map(. as $tip
	| chain($tip) as $chain
	| [$chain[] as $c | $ev[$c][]] as $all
	| $ev[$tip] as $last
	| apply($tip) as $a
	| apply($chain[0]) as $a0
	| ([$last[] | select(.event == "verdict")] | last) as $v
	| ([$last[] | select(.event == "bench")] | last | .bench) as $b
	| ([$last[] | select(.event == "test")] | last | .test) as $t
	| ([$last[] | select(.event == "checks")] | last | .checks) as $ck
	| [$all[] | select(.event == "build")] as $builds
	| [$all[] | select(.event == "llm")] as $llm
	| ([$all[] | .attempt | select(type == "string")] | last) as $id
	| {
		id: $id,
		fn: ($a.fn // ($llm | last | .fn)
		     // ($id // "" | sub("/[^/]*$"; ""))),
		role: ([$llm[] | .role | select(. != null)] | last),
		child: ([$llm[] | .child | select(. != null)] | last),
		commit: $tip,
		branch: $br[$tip],
		base: ($a0.base // null),
		chain: $chain,
		verdict: ($v.verdict
		    // (if ($builds | last | .ok) == false
			then "build-failed" else null end)),
		stage: ($v.stage // null),
		reason: (if $v.stage != null and $v.reason != null
			 then "\($v.stage): \($v.reason)" else null end
		    // $v.reason
		    // (if ($builds | last | .ok) == false
			then ($builds | last | .log // "" | split("\n")[0])
			else null end)),
		speedup: ((if ($b | type) == "object" then $b.speedup
			   else null end) // $v.speedup | num),
		ci: (if ($b | type) == "object" and ($b.ci | type) == "array"
		     then $b.ci else null end),
		p: (if ($b | type) == "object" then $b.p | num else null end),
		rounds: (if ($b | type) == "object" then $b.rounds | num
			 else null end),
		metric: (if ($b | type) == "object" then $b.metric
			 else null end),
		threads: ([$llm[] | .threads | num | select(. != null)] | last),
		cpu_median: (if ($b | type) == "object" and $b.metric == "wall"
		    and ($b.base | type) == "object"
		    and ($b.cand | type) == "object" then
			{base: ($b.base.cpu // [] | median),
			 cand: ($b.cand.cpu // [] | median)}
			| if .base == null or .cand == null then null else . end
		    else null end),
		bench_median: (if ($b | type) == "object"
		    and ($b.base | type) == "object"
		    and ($b.cand | type) == "object" then
			($b.metric // "cpu") as $m
			| {base: ($b.base[$m] // [] | median),
			   cand: ($b.cand[$m] // [] | median)}
			| if .base == null or .cand == null then null else . end
		    else null end),
		output: (if ($b | type) == "object" and ($b.output | type) == "object"
			 and $b.output.line != null then $b.output else null end),
		machine: (if ($b | type) == "object" then $b.machine
			  else null end),
		counters: (if ($b | type) == "object"
			   and ($b.counters | type) == "object"
			   then $b.counters else null end),
		best: ($v.best // null),
		finished: ($v != null),
		corrections: ($a.n_corrections // (($chain | length) - 1)),
		tries: ($chain | length),
		model: ($a.model // ([$llm[] | .model | select(. != null)]
				     | last)),
		provider: ([$llm[] | .provider | select(. != null)] | last),
		prompt: ($a.prompt // ([$llm[] | .prompt | select(. != null)]
				       | last)),
		mode: ([$llm[] | .mode | select(. != null)] | last),
		summary: ([$llm[] | .summary | select(. != null)] | last),
		file: ($a.file // $a0.file // null),
		def: ([$llm[] | .def | select(type == "object")] | first),
		in_tokens: ([$all[] | select(.event == "llm" or .event == "apply")]
			    | sum(.in_tokens)),
		out_tokens: ([$all[] | select(.event == "llm" or .event == "apply")]
			     | sum(.out_tokens)),
		cost: ([$all[] | .cost | num] | if length > 0 then add
		       else null end),
		cached: ([$llm[] | select(.cached == true)] | length),
		ms: {
			llm: ($llm | sum(.ms)),
			build: ($builds | sum(.ms)),
			test: ([$t] | sum(.ms?)),
			check: ([$ck] | sum(.ms?)),
			bench: (if ($b | type) == "object" then
				(([$b.base.wall[]?, $b.cand.wall[]?]
				  | map(num // 0) | add // 0) * 1000 | round)
				else 0 end)
		},
		test: $t,
		checks: $ck,
		builds: [$chain[] as $c
		    | ([$ev[$c][] | select(.event == "build")] | last) as $bl
		    | ([$ev[$c][] | select(.event == "verdict")] | last) as $vl
		    | if $bl != null then $bl | {ok, ms, log}
		      elif $vl.verdict == "error" and $vl.stage != null then
			{ok: null, error: "\($vl.stage): \($vl.reason)"}
		      else empty end],
		start: ([$all[] | .time | num] | min),
		time: ([$all[] | .time | num] | max)
	}
	| .tokens = .in_tokens + .out_tokens)
| sort_by([.time // 0, (.id // "" | sub("^.*/"; "") | tonumber? // 0),
	   .id // "", .commit])
| reverse
| .[]

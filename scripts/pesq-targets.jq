#!/usr/bin/jq -f
# pesq-targets.jq: pick the targets of a run from pesq-hot's records after
# pesq-deps (slurped, jq -s), in pesq-hot's order; $n is the number of hot
# spots wanted. Records with an error (no definition in the repository,
# an ambiguous one) are left out. A hot spot is a leaf, or a parent whose
# child was left out (it stands in for its child); a parent whose child
# is kept goes with that child. Records are kept, as pesq-hot wrote them
# (def and ctx removed: the loop extracts again at the then best commit),
# up to and including the n-th hot spot; a hot spot closes its group of
# parents, so no parent is cut from its child.
# With --arg what skipped: the names of the functions left out before
# the cut, one a line, instead.
. as $all
| [$all[] | select(.error == null) | .fn] as $ok
| reduce $all[] as $r ({out: [], skip: [], n: 0};
	if .n >= $n then .
	elif $r.error != null then .skip += [$r.fn]
	else .out += [$r | del(.def, .ctx)]
	| if $r.role == "parent" and any($ok[]; . == $r.child) then .
	  else .n += 1 end
	end)
| if $ARGS.named.what == "skipped" then .skip[] else .out[] end

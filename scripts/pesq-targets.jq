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
# the cut, one a line, instead; with --arg what once, the parents left
# out because they call their child once per call (below), each as
# "parent<TAB>child".
#
# A parent that calls its hot child once per call of its own cannot call
# it less. Sampled stacks do not say how often one function calls
# another (only where the time went), so the parent's code stands in: a
# parent whose code (comments and literals aside) names the child in one
# call only, with no loop (for, while, do, goto) around it or anywhere
# else in it, is left out unless --argjson all_parents true.
def once($child):
	(.def.code // "")
	| gsub("/\\*([^*]|\\*+[^*/])*\\*+/"; " ") | gsub("//[^\n]*"; " ")
	| gsub("\"([^\"\\\\\n]|\\\\.)*\""; "\"\"")
	| gsub("'([^'\\\\\n]|\\\\.)*'"; "''")
	| (index("{") // -1) as $b
	| if $b < 0 then false else .[$b:]
	  | ($child | sub("\\..*$"; "")) as $c
	  | ([match("(?<![A-Za-z0-9_])" + $c + "\\s*\\("; "g")] | length) == 1
	    and (test("(?<![A-Za-z0-9_])(for|while|do|goto)(?![A-Za-z0-9_])")
		 | not)
	  end;
. as $all
| ($ARGS.named.all_parents // false) as $allp
| [$all[] | select(.error == null) | .fn] as $ok
| reduce $all[] as $r ({out: [], skip: [], once: [], n: 0};
	if .n >= $n then .
	elif $r.error != null then .skip += [$r.fn]
	elif $r.role == "parent" and ($allp | not) and ($r | once($r.child))
	then .once += ["\($r.fn)\t\($r.child)"]
	else .out += [$r | del(.def, .ctx)]
	| if $r.role == "parent" and any($ok[]; . == $r.child) then .
	  else .n += 1 end
	end)
| if $ARGS.named.what == "skipped" then .skip[]
  elif $ARGS.named.what == "once" then .once[]
  else .out[] end

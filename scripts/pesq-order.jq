#!/usr/bin/jq -f
# pesq-order.jq: the targets of a run in the order the loop tries them.
# Input: the records of pesq-hot, slurped (jq -s). Records keep their
# rank, except that a parent whose hot child is also a target comes
# before that child, and its own parent before it (DESIGN.md 4: parents
# first). Output: the records, one a line, each function once.
. as $all
| def place($x):
	if ($x.fn | type) != "string" or .seen[$x.fn] then .
	else .seen[$x.fn] = true
	| reduce ($all[] | select(.role == "parent" and .child == $x.fn))
	    as $p (.; place($p))
	| .out += [$x] end;
reduce $all[] as $r ({out: [], seen: {}}; place($r))
| .out[]

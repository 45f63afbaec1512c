#!/usr/bin/jq -f
# pesq-targets-say.jq: the progress lines that name a run's targets, in
# the loop's order, from targets.jsonl (pesq-hot records): what each is
# and why it was picked.
def pct: . * 1000 | round / 10 | tostring + "%";
"  " + .fn + ": "
+ (if .role == "parent" then
	"calls \(.child) (\(.hot.total_share // 0 | pct) of the time under it); make it call \(.child) less"
   else
	"\(.hot.self_share // 0 | pct) of the time in it; make it faster"
   end)

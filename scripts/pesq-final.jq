#!/usr/bin/jq -f
# pesq-final.jq: the line under the table: pesq/best against the commit
# the run started from, two figures side by side and labelled: the final
# A/B (pesq-bench --no-advance on two directories, the same sequential
# rule as the attempts) and the product of the accepted steps between
# them (final.steps, from their Pesq-Speedup trailers). When both have
# intervals and these do not overlap, the line says the two disagree and
# calls nothing a real gain. git pesq report prints the same line.
def r3: . * 1000 | round / 1000 | tostring;
def pct: . * 100 | round | tostring + "%";
def plural($n): if $n == 1 then "" else "s" end;
(.final.steps // {}) as $s
| (.bench | if type == "object" then . else {} end) as $b
| ($b.speedup != null and ($b.ci | type) == "array") as $measured
| ($s.speedup != null) as $stepped
| ($measured and ($s.ci | type) == "array"
   and ($s.ci[1] < $b.ci[0] or $b.ci[1] < $s.ci[0])) as $disagree
| "pesq/best \(.final.best[0:7]) against the start \(.final.start[0:7]): "
+ "final A/B "
+ (if $b.speedup != null then
	"\($b.speedup | r3)x"
	+ (if ($b.ci | type) == "array"
	   then " (\($b.confidence // 0.99 | pct) CI \($b.ci[0] | r3)-\($b.ci[1] | r3)"
	     + (if $b.rounds != null then ", \($b.rounds) rounds" else "" end)
	     + (if $b.metric != null then ", \($b.metric) time" else "" end) + ")"
	   else "" end)
  else "not measured" end)
+ (if $stepped then
	"; product of the \($s.n) accepted step\(plural($s.n)) \($s.speedup | r3)x"
	+ (if ($s.ci | type) == "array"
	   then " (CI \($s.ci[0] | r3)-\($s.ci[1] | r3))" else "" end)
   else "" end)
+ (if .error != null then ": \(.error.msg)"
   elif $disagree then
	": the two disagree beyond their intervals, so neither is a sure figure; measure again (a longer A/B: --max-rounds, on a quiet machine)"
   elif .verdict == "accepted" then
	", a real gain" + (if $stepped and ($s.ci | type) == "array"
			   then "; the two agree" else "" end)
   elif .verdict == "rejected" then ", no real gain"
   elif .verdict == "inconclusive" then ", too noisy to say"
   elif (.verdict | type) == "string" then ", \(.verdict)"
   else "" end)

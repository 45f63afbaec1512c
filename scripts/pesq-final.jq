#!/usr/bin/jq -f
# pesq-final.jq: the line under the table: the speedup of pesq/best over
# the commit the run started from, from the record of the final A/B
# (pesq-bench --no-advance on two directories).
def r3: . * 1000 | round / 1000 | tostring;
def pct: . * 100 | round | tostring + "%";
"pesq/best \(.final.best[0:7]) against the start \(.final.start[0:7]): "
+ (if (.bench | type) == "object" and .bench.speedup != null then
	"\(.bench.speedup | r3)x"
	+ (if (.bench.ci | type) == "array"
	   then " (\(.bench.confidence // 0.99 | pct) CI \(.bench.ci[0] | r3)-\(.bench.ci[1] | r3)"
	     + (if .bench.metric != null then ", \(.bench.metric) time" else "" end) + ")"
	   else "" end)
  else "not measured" end)
+ (if .error != null then ": \(.error.msg)"
   elif .verdict == "accepted" then ", a real gain"
   elif .verdict == "rejected" then ", no real gain"
   elif .verdict == "inconclusive" then ", too noisy to say"
   elif (.verdict | type) == "string" then ", \(.verdict)"
   else "" end)

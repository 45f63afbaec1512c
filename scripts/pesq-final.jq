#!/usr/bin/jq -f
# pesq-final.jq: the line under the table: the speedup of pesq/best over
# the commit the run started from, from the record of the final A/B.
def r3: . * 1000 | round / 1000 | tostring;
"pesq/best \(.final.best[0:7]) against the start \(.final.start[0:7]): "
+ (if (.bench | type) == "object" and .bench.speedup != null then
	"\(.bench.speedup | r3)x"
	+ (if (.bench.ci | type) == "array"
	   then " (interval \(.bench.ci[0] | r3)-\(.bench.ci[1] | r3))"
	   else "" end)
  else "not measured" end)
+ ", \(.verdict // .error.msg // "no verdict")"

#!/usr/bin/jq -f
# pesq-tally.jq: between pesq-llm and pesq-apply in git-pesq's loop, count
# a record's tries and the model tokens they cost in the field `loop`
# ({tries, tokens}), which every stage passes through. A request that
# failed (stage llm: the endpoint down, the budget) is a try too, as it
# is an attempt, or a try of one, in the ledger.
if .llm == null and (.error.stage != "llm" or .error.recorded == true)
then . else
	.loop.tries = ((.loop.tries // 0) + 1)
	| .loop.tokens = ((.loop.tokens // 0)
	    + (.llm.in_tokens // 0) + (.llm.out_tokens // 0))
end

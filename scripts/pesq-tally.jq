#!/usr/bin/jq -f
# pesq-tally.jq: between pesq-llm and pesq-apply in git-pesq's loop, count
# a record's tries and the model tokens they cost in the field `loop`
# ({tries, tokens}), which every stage passes through.
if .llm == null then . else
	.loop.tries = ((.loop.tries // 0) + 1)
	| .loop.tokens = ((.loop.tokens // 0)
	    + (.llm.in_tokens // 0) + (.llm.out_tokens // 0))
end

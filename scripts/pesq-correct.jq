#!/usr/bin/jq -f
# pesq-correct.jq: which records of git-pesq's loop go back to the model
# for a correction, as pesq-prompt reads them (correct mode).
#
# --argjson attempts N: the corrections a candidate may get (its tries,
# loop.tries from pesq-tally.jq, are 1 + the corrections so far).
# --arg want need|done: "need" writes the records to correct, each made
# ready for pesq-prompt; "done" writes the others (each record is in
# exactly one of the two).
#
# A candidate is corrected after every failure that is its own: a splice
# pesq-apply refused (an error at stage apply, while the record has the
# candidate's code: written as verdict "refused" with the reason, the
# error removed), a failed build, and the verdicts test-failed,
# output-differs, unsafe, differs, and error when the reason is about
# the candidate's benchmark run (a timeout, a limit of the sandbox). Not
# the model's failures (no reply, no code), nor the base's, nor a
# duplicate (see pesq-sh-samples).
def verdict: if (.verdict | type) == "object" then .verdict.status
	else .verdict end;
def reason: if (.verdict | type) == "object" then
		(.verdict.reason // .verdict.msg)
	else .verdict_reason end;
def failed:
	if .duplicate_of != null then false
	elif .error != null then
		.error.stage == "apply" and (.candidate.code | type) == "string"
		and (.error.msg | test("cannot lock|not a git repository|"
			+ "moved since|does not exist") | not)
	elif (.build | type) == "object" and .build.ok == false then true
	else (verdict) as $v
		| ($v == "build-failed" or $v == "test-failed"
		   or $v == "output-differs" or $v == "unsafe"
		   or $v == "differs"
		   or ($v == "error"
		       and ((reason) // "" | test("^the candidate's"))))
	end;
def ready:
	if .error != null then
		.verdict = "refused" | .verdict_reason = .error.msg
		| del(.error, .build, .test, .bench, .checks)
	else . end;

(failed and ((.loop.tries // 1) <= $attempts)) as $need
| if $want == "need" then (select($need) | ready)
  else select($need | not) end

#!/usr/bin/jq -f
# pesq-correct.jq: which records of git-pesq's loop go back to the model
# for a correction, as pesq-prompt reads them (correct mode).
#
# --argjson attempts N: the corrections a candidate may get (its tries,
# loop.tries from pesq-tally.jq, are 1 + the corrections so far).
# --arg want need|done|say: "need" writes the records to correct, each
# made ready for pesq-prompt; "done" writes the others (each record is in
# exactly one of the two); "say" writes, for each record to correct, its
# attempt's id, a tab, and what failed and which correction comes, for
# people.
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

# What failed, for people, of a record made ready.
def what: (verdict) as $v | (reason // "") as $r
	| if $v == "refused" then "the splice was refused"
	  elif (.build | type) == "object" and .build.ok == false
	      or $v == "build-failed" then "the build failed"
	  elif $v == "test-failed" then
	      if $r | test("timed out") then "the tests timed out"
	      else "the tests failed" end
	  elif $v == "output-differs" then "the output differs"
	  elif $v == "unsafe" then "a sanitizer reported an error"
	  elif $v == "differs" then "the differential check found a difference"
	  elif $r | test("timed out") then "the benchmark timed out"
	  else "the benchmark failed" end;

(failed and ((.loop.tries // 1) <= $attempts)) as $need
| if $want == "need" then (select($need) | ready)
  elif $want == "say" then (select($need) | ready
	| "\(.attempt.id // "")\t\(what): correction \(.loop.tries // 1) of \($attempts)")
  else select($need | not) end

# Helpers for the pesq-llm tests: the fake provider and sample records.
# Source after test-lib.sh.

# Retry without waiting (test-lib.sh already keeps proxies out).
unset ANTHROPIC_BASE_URL PESQ_LLM_BACKOFF_MS
PESQ_LLM_BACKOFF_MS=1
export PESQ_LLM_BACKOFF_MS

# start_fake SCRIPT: run fake-llm in the background on a free port of
# 127.0.0.1 with SCRIPT, logging to fake.log; sets FAKE_PORT and FAKE_URL
# and stops the server when the test ends. The port file exists when
# fake-llm --daemon returns, so there is nothing to wait for.
start_fake() {
	rm -f fake.port fake.pid fake.log &&
	fake-llm --daemon --idle 60 --port-file fake.port --pid-file fake.pid \
		--script "$1" --log fake.log &&
	FAKE_PORT=$(cat fake.port) &&
	FAKE_URL=http://127.0.0.1:$FAKE_PORT &&
	test_when_finished "kill \$(cat '$PWD/fake.pid') 2>/dev/null || :"
}

# llm ARGS: pesq-llm ARGS in repo/ against the fake server, past the
# cache: ../in on its standard input, ../out and ../err for its output.
llm() {
	(cd repo && OPENAI_BASE_URL=$FAKE_URL/v1 pesq-llm --no-cache "$@" \
		<../in >../out 2>../err)
}

# prompt_rec FN: a record as pesq-prompt writes it, for function FN.
prompt_rec() {
	printf '{"fn":"%s","def":{"file":"a.c"},"prompt":{"id":"p-%s","messages":[{"role":"system","content":"You make C faster."},{"role":"user","content":"Make %s faster."}],"est_tokens":12,"mode":"optimize"}}\n' "$1" "$1" "$1"
}

# reply_entry FN [EXTRA]: a script entry answering requests about FN with
# a reply defining FN; EXTRA is more JSON members (with a leading comma).
reply_entry() {
	printf '{"match":"Make %s faster","reply":"Summary: %s without the branch\\n\\n```c\\nint %s(int x)\\n{\\n\\treturn x + 1;\\n}\\n```\\n"%s}\n' "$1" "$1" "$1" "$2"
}

# The code reply_entry gives for FN.
code_of() {
	printf 'int %s(int x)\n{\n\treturn x + 1;\n}\n' "$1"
}

# count_requests: the number of requests the fake server received.
count_requests() {
	if [ -f fake.log ]; then wc -l <fake.log | tr -d ' '; else echo 0; fi
}

# Helpers for the tests of pesq-prompt. Source after test-lib.sh.

# show FILE: the prompt of the record in FILE as text, as the golden files
# under t/fixtures/prompt/expect/ hold it.
show() {
	jq -r '"mode: \(.prompt.mode)", "est_tokens: \(.prompt.est_tokens)",
		"trimmed:\(.prompt.trimmed | map(" " + .) | add // "")",
		"--- system", .prompt.messages[0].content,
		"--- user", .prompt.messages[1].content' "$1"
}

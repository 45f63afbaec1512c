# Helpers for the pesq-deps tests (t2xxx), sourced after test-lib.sh.

# deps_repo NAME: a repository in ./NAME holding t/fixtures/deps/NAME,
# one commit.
deps_repo() {
	rm -rf "$1" &&
	cp -R "$SRC_ROOT/t/fixtures/deps/$1" "$1" &&
	(cd "$1" && git init -q && git add . && git commit -q -m "$1")
}

# splice FILE START END REPLACEMENT: FILE with bytes [START, END) replaced
# by the content of REPLACEMENT, on stdout.
splice() {
	head -c "$2" "$1" &&
	cat "$4" &&
	tail -c +"$(($3 + 1))" "$1"
}

# fields REC_FILE: one line per record, "fn file line end_line" or
# "fn error: msg".
fields() {
	jq -r 'if .error then "\(.fn) error: \(.error.msg)"
		else "\(.fn) \(.def.file) \(.def.line) \(.def.end_line)" end' "$1"
}

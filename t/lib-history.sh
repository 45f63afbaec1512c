# t/lib-history.sh: a ledger made by hand, in the very format the filters
# write it (pesq-apply: apply and build lines; pesq-bench: test, bench
# and verdict lines, the squashed commit on pesq/best; git pesq run: the
# llm line), for the tests of the history verbs. Sourced after
# test-lib.sh; run in a repository.

# The source every attempt changes: one function a line.
hist_source() {
	cat <<-\EOF
	int hash(const char *s) { return *s; }
	int table_find(const char *w) { return hash(w) % 7; }
	int count_word(const char *w) { return table_find(w); }
	int count_file(const char *f) { return count_word(f); }
	int main(void) { return count_file("x"); }
	EOF
}

# def_of FN REV: "START END LINE" of FN's line in count.c at REV.
def_of() {
	git cat-file blob "$2:count.c" | LC_ALL=C awk -v fn="$1" '
	BEGIN { off = 0 }
	index($0, "int " fn "(") == 1 { print off, off + length($0), NR; exit }
	{ off += length($0) + 1 }'
}

# put_note COMMIT: the lines on stdin appended to COMMIT's note.
put_note() {
	{ git notes --ref=pesq show "$1" 2>/dev/null; cat; } >.git/note.tmp &&
	git notes --ref=pesq add -f -F .git/note.tmp "$1" >/dev/null 2>&1 &&
	rm -f .git/note.tmp
}

# try FN N BASE PARENT NCORR OK TIME MODEL ROLE IN OUT CODE: one try of
# attempt FN/N: count.c at BASE with FN's line replaced by CODE, committed
# on PARENT as pesq-apply does, with its apply, llm and build lines. The
# commit's id goes to $c.
try() {
	set -- "$@" $(def_of "$1" "$3")
	git cat-file blob "$3:count.c" |
	LC_ALL=C awk -v n="${15}" -v code="${12}" \
	    'NR == n { print code; next } { print }' >.git/count.new &&
	blob=$(git hash-object -w .git/count.new) &&
	tree=$(git ls-tree "$3" | sed "/	count.c\$/d" |
	    { cat; printf '100644 blob %s\tcount.c\n' "$blob"; } | git mktree) &&
	{
		printf 'pesq: %s: faster %s\n\nPesq-Attempt: %s/%s\n' "$1" "$1" \
		    "$1" "$2" &&
		printf 'Pesq-Model: %s\nPesq-Prompt: p%s%s\n' "$8" "$1" "$5" &&
		if [ "$5" -gt 0 ]; then printf 'Pesq-Correction: %s\n' "$5"; fi
	} >.git/msg &&
	c=$(GIT_COMMITTER_DATE="$7 +0000" GIT_AUTHOR_DATE="$7 +0000" \
	    git commit-tree -p "$4" -F .git/msg "$tree") &&
	if [ "$6" = true ]; then log=; else
		log='build exited with 2\ncount.c:1:5: error: expected ; before }'
	fi &&
	put_note "$c" <<-EOF
	{"event":"apply","attempt":"$1/$2","time":$7,"fn":"$1","file":"count.c","base":"$3","parent":"$4","n_corrections":$5,"model":"$8","prompt":"p$1$5"}
	{"event":"build","attempt":"$1/$2","time":$7,"ok":$6,"ms":1000,"cmd":"make","slot":"slot-0","log":"$log"}
	{"event":"llm","attempt":"$1/$2","time":$7,"fn":"$1","role":"$9","mode":"$(if [ "$5" -gt 0 ]; then echo correct; else echo optimize; fi)","prompt":"p$1$5","provider":"openai","model":"$8","in_tokens":${10},"out_tokens":${11},"ms":100,"cached":false,"summary":"faster $1","def":{"file":"count.c","line":${15},"end_line":${15},"start":${13},"end":${14}}}
	EOF
}

# judge COMMIT ID TIME VERDICT SPEEDUP LO HI BASE-WALL CAND-WALL [BEST]:
# pesq-bench's test, bench and verdict lines (two rounds of samples).
judge() {
	if [ "$4" = output-differs ]; then
		bench='{"machine":{"cpu":"Test CPU","cores":2,"kernel":"Linux 6.1 x86_64","compiler":"cc","load":[0.1,0.1,0.1]},"metric":"cpu","confidence":0.99,"min_gain":0.02,"seed":7,"boot":4000,"min_rounds":5,"max_rounds":50,"warmup":1,"order":"ABBA,BAAB","sandbox":false,"output":{"base_status":0,"cand_status":0,"line":2,"base":"a 2","cand":"a 3"}}'
		extra=
	else
		bench='{"machine":{"cpu":"Test CPU","cores":2,"kernel":"Linux 6.1 x86_64","compiler":"cc","load":[0.1,0.1,0.1]},"metric":"cpu","confidence":0.99,"min_gain":0.02,"seed":7,"boot":4000,"min_rounds":5,"max_rounds":50,"warmup":1,"order":"ABBA,BAAB","sandbox":false,"output":{"base_status":0,"cand_status":0},"rounds":1,"limit":null,"base":{"wall":['"$8,$8"'],"cpu":['"$8,$8"']},"cand":{"wall":['"$9,$9"'],"cpu":['"$9,$9"']},"speedup":'"$5"',"ci":['"$6,$7"'],"p":0.001,"decision":"'"$4"'","reason":"measured"}'
		extra=',"speedup":'"$5"
	fi
	if [ -n "${10}" ]; then extra="$extra"',"best":"'"${10}"'"'; fi
	put_note "$1" <<-EOF
	{"event":"test","attempt":"$2","time":$3,"test":{"ok":true,"ms":300,"log":""}}
	{"event":"bench","attempt":"$2","time":$3,"bench":$bench}
	{"event":"verdict","attempt":"$2","time":$3,"verdict":"$4","reason":"because"$extra}
	EOF
}

# advance COMMIT BASE FN SPEEDUP LO HI ID: pesq-bench's squashed commit of
# an accepted attempt on pesq/best; its id goes to $best.
advance() {
	git show -s --format=%B "$1" | sed -n '/^Pesq-/p' >.git/trailers &&
	{
		printf 'pesq: %s: faster %s (%.2fx)\n\n' "$3" "$3" "$4" &&
		cat .git/trailers &&
		printf 'Pesq-Speedup: %.4f (99%% CI %.4f-%.4f, 1 rounds, cpu)\n' \
		    "$4" "$5" "$6" &&
		printf 'Pesq-Commit: %s\n' "$1"
	} >.git/msg &&
	best=$(git commit-tree -p "$2" -F .git/msg "$(git rev-parse "$1^{tree}")") &&
	git update-ref refs/heads/pesq/best "$best" "$2"
}

# make_ledger: in a new repository at the current directory, five
# finished attempts and one left unfinished (see the numbers in t9500):
#   count_word/1  leaf    fake   accepted 1.25x [1.2-1.3]
#   table_find/1  parent  fake   build failed, corrected once, accepted 1.6x
#   count_file/1  leaf    fake   rejected 0.98x
#   hash/1        leaf    fake   build failed twice (no verdict line)
#   main/1        parent  other  output-differs
#   count_file/2  leaf    fake   built, then cut short (no branch)
make_ledger() {
	git init -q &&
	hist_source >count.c &&
	git add count.c &&
	git commit -q -m base &&
	B0=$(git rev-parse HEAD) &&
	git update-ref refs/heads/pesq/best "$B0" "" &&

	try count_word 1 $B0 $B0 0 true 1700000100 fake leaf 100 50 \
	    'int count_word(const char *w) { return table_find(w) + 0; }' &&
	A1=$c &&
	judge $A1 count_word/1 1700000110 accepted 1.25 1.2 1.3 0.5 0.4 &&
	advance $A1 $B0 count_word 1.25 1.2 1.3 &&
	S1=$best &&
	git update-ref refs/heads/pesq/count_word/1 $A1 "" &&

	try table_find 1 $S1 $S1 0 false 1700000200 fake parent 120 60 \
	    'int table_find(const char *w) { return hash(w) % 7 }' &&
	A2a=$c &&
	try table_find 1 $S1 $A2a 1 true 1700000210 fake parent 130 70 \
	    'int table_find(const char *w) { return hash(w) & 7; }' &&
	A2=$c &&
	judge $A2 table_find/1 1700000220 accepted 1.6 1.5 1.7 0.5 0.3 &&
	advance $A2 $S1 table_find 1.6 1.5 1.7 &&
	S2=$best &&
	git update-ref refs/heads/pesq/table_find/1 $A2 "" &&

	try count_file 1 $S2 $S2 0 true 1700000300 fake leaf 90 40 \
	    'int count_file(const char *f) { return count_word(f) * 1; }' &&
	A3=$c &&
	judge $A3 count_file/1 1700000310 rejected 0.98 0.95 1.01 0.5 0.51 &&
	git update-ref refs/heads/pesq/count_file/1 $A3 "" &&

	try hash 1 $S2 $S2 0 false 1700000400 fake leaf 80 30 \
	    'int hash(const char *s) { return *s }' &&
	A4a=$c &&
	try hash 1 $S2 $A4a 1 false 1700000410 fake leaf 85 35 \
	    'int hash(const char *s) { return *s + }' &&
	A4=$c &&
	git update-ref refs/heads/pesq/hash/1 $A4 "" &&

	try main 1 $S2 $S2 0 true 1700000500 other parent 110 55 \
	    'int main(void) { return count_file("y"); }' &&
	A5=$c &&
	judge $A5 main/1 1700000510 output-differs &&
	git update-ref refs/heads/pesq/main/1 $A5 "" &&

	try count_file 2 $S2 $S2 0 true 1700000600 fake leaf 10 5 \
	    'int count_file(const char *f) { return 0 + count_word(f); }' &&
	A6=$c
}

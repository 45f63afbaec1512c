#!/bin/sh
test_description='lib/notes: the JSON Lines ledger in refs/notes/pesq'
. ./test-lib.sh

test_expect_success 'setup' '
	git init -q r &&
	cd r &&
	test_commit one &&
	test_commit two &&
	cd ..
'

test_expect_success 'no note yet' '
	(cd r && test_must_fail test-git note-read HEAD 2>err) &&
	test_grep "no note" r/err
'

test_expect_success 'append creates the notes ref and the note' '
	(cd r && test-git note-append HEAD "{\"event\":\"apply\"}") &&
	git -C r notes --ref=pesq show HEAD >actual &&
	echo "{\"event\":\"apply\"}" >expect &&
	test_cmp expect actual
'

test_expect_success 'append adds lines in order; notes_read reads them' '
	(cd r && test-git note-append HEAD "{\"event\":\"build\"}" &&
	 test-git note-append HEAD~1 "{\"event\":\"other\"}" &&
	 test-git note-read HEAD) >actual &&
	printf "%s\n" "{\"event\":\"apply\"}" "{\"event\":\"build\"}" >expect &&
	test_cmp expect actual &&
	git -C r notes --ref=pesq show HEAD~1 >actual &&
	echo "{\"event\":\"other\"}" >expect &&
	test_cmp expect actual &&
	git -C r rev-list refs/notes/pesq >commits &&
	test_line_count = 3 commits
'

test_expect_success 'fresh replaces a leftover note' '
	(cd r && test-git note-append HEAD~1 "{\"event\":\"apply\",\"n\":2}" fresh &&
	 test-git note-read HEAD~1) >actual &&
	echo "{\"event\":\"apply\",\"n\":2}" >expect &&
	test_cmp expect actual
'

test_expect_success 'a note git wrote is appended to' '
	git -C r notes --ref=pesq add -f -m "{\"event\":\"x\"}" HEAD &&
	(cd r && test-git note-append HEAD "{\"event\":\"y\"}" &&
	 test-git note-read HEAD) >actual &&
	printf "%s\n" "{\"event\":\"x\"}" "{\"event\":\"y\"}" >expect &&
	test_cmp expect actual
'

test_expect_success 'concurrent appends lose nothing' '
	cd r &&
	git notes --ref=pesq remove HEAD~1 &&
	for p in 1 2 3 4
	do
		(for i in 1 2 3 4 5
		 do
			test-git note-append HEAD~1 "{\"p\":$p,\"i\":$i}" ||
			echo $p >>../fail
		 done) &
	done &&
	wait &&
	test_path_is_missing ../fail &&
	test-git note-read HEAD~1 >actual &&
	sort actual >sorted &&
	for p in 1 2 3 4; do for i in 1 2 3 4 5; do
		echo "{\"p\":$p,\"i\":$i}"; done; done | sort >expect &&
	test_cmp expect sorted &&
	git fsck --no-progress >/dev/null &&
	cd ..
'

test_done

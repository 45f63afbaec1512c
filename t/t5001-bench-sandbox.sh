#!/bin/sh
test_description='pesq-bench --sandbox: no writes outside the worktree, no network'
. ./test-lib.sh

if ! test_have_prereq BWRAP
then
	skip_all='bubblewrap cannot run here'
	test_done
fi

# A place outside the worktree that the sandbox must not write to. The
# sandbox's /tmp is private and writable, so when the scratch directory is
# under /tmp (a clone in /tmp), writing there is no escape: use /var/tmp.
case $HOME in
/tmp/*) OUT=/var/tmp/pesq-t5001.$$ ;;
*) OUT=$HOME/host ;;
esac

bench() {
	pesq-bench --base-dir base --candidate-dir cand --bench ./run \
		--max-rounds 5 --min-rounds 5 "$@" <in
}

# The sandbox shows the system directories, not the build tree: spin is
# made visible (read-only) by pesq.sandbox.readOnly, which pesq-bench
# reads from the global configuration when there is no repository.
test_expect_success 'setup' '
	git config --global pesq.sandbox.readOnly "$PESQ_BIN/t/helper" &&
	mkdir base cand &&
	printf "#!/bin/sh\nexec spin 1\n" >base/run &&
	cp base/run cand/run &&
	chmod +x base/run cand/run &&
	echo "{\"attempt\":{\"id\":\"w/1\"}}" >in &&
	spin --serve port &&
	mkdir -p "$OUT"
'

test_expect_success 'without the sandbox the probes succeed (they mean something)' '
	read port pid <port &&
	bench --sandbox off --test "spin --write \"$OUT/outside\" 0 &&
		spin --connect $port 0" >out 2>err &&
	jq -r ".test.ok, .bench.sandbox" out >actual &&
	printf "true\nfalse\n" >expect &&
	test_cmp expect actual &&
	test_path_is_file "$OUT/outside" &&
	rm "$OUT/outside"
'

test_expect_success 'writing outside the worktree fails under --sandbox on' '
	bench --sandbox on --test "spin --write \"$OUT/outside\" 0" >out 2>err &&
	jq -r ".verdict, .test.ok" out >actual &&
	printf "test-failed\nfalse\n" >expect &&
	test_cmp expect actual &&
	jq -r .test.log out >log &&
	test_grep "cannot write" log &&
	test_path_is_missing "$OUT/outside"
'

test_expect_success 'a connection to the host, even on 127.0.0.1, fails' '
	read port pid <port &&
	bench --sandbox on --test "spin --connect $port 0" >out 2>err &&
	jq -r ".verdict, .test.ok" out >actual &&
	printf "test-failed\nfalse\n" >expect &&
	test_cmp expect actual &&
	jq -r .test.log out >log &&
	test_grep "connect to 127.0.0.1" log
'

test_expect_success 'the worktree is writable and /tmp is private' '
	bench --sandbox on --test "spin --write here 0 &&
		spin --write /tmp/pesq-bench-t5001 0" >out 2>err &&
	jq -r ".test.ok, .bench.sandbox" out >actual &&
	printf "true\ntrue\n" >expect &&
	test_cmp expect actual &&
	test_path_is_file cand/here &&
	test_path_is_missing /tmp/pesq-bench-t5001
'

test_expect_success 'the benchmark runs sandboxed too' '
	printf "#!/bin/sh\nspin --write \"$OUT/bench-outside\" 0 || exit 9\nexec spin 1\n" >cand/run &&
	bench --sandbox on >out 2>err &&
	jq -c "[.verdict, .bench.output.cand_status]" out >actual &&
	echo "[\"output-differs\",9]" >expect &&
	test_cmp expect actual &&
	test_path_is_missing "$OUT/bench-outside"
'

test_expect_success 'stop the server' '
	rm -rf /var/tmp/pesq-t5001.$$ &&
	read port pid <port &&
	kill "$pid"
'

test_done

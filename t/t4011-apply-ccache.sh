#!/bin/sh
test_description='pesq-apply: builds go through ccache, whose cache only builds see'
. ./test-lib.sh
. "$TEST_DIRECTORY"/apply-lib.sh

test_lazy_prereq CCACHE '
	command -v ccache &&
	for d in /usr/lib/ccache /usr/lib64/ccache /usr/lib/ccache/bin
	do
		test -x "$d/cc" && exit 0
	done
	exit 1
'
if ! test_have_prereq CC || ! test_have_prereq CCACHE
then
	skip_all='no C compiler, or no ccache with its masquerade directory'
	test_done
fi

# count WHAT: a statistic of the repository's cache (cache_miss,
# direct_cache_hit ...), 0 when the cache is not there.
count() {
	if [ -d "$cache" ]; then
		CCACHE_DIR=$cache CCACHE_CONFIGPATH=$cache/ccache.conf \
			ccache --print-stats >stats.all &&
		awk -v k="$1" '$1 == k { print $2 }' stats.all
	else
		echo 0
	fi
}

# hits: from the manifest (direct) or after preprocessing
hits() {
	echo $(( $(count direct_cache_hit) + $(count preprocessed_cache_hit) ))
}

test_expect_success 'setup' '
	apply_setup r &&
	cache=$(cd r && pwd)/.git/pesq/ccache &&
	(cd r && test-apply-rec sum sum.c ../good.c "unroll") >good.in &&
	test ! -e "$cache"
'

test_expect_success 'a build compiles through ccache into $GIT_DIR/pesq/ccache' '
	pesq-apply -C r --slot 1 --build "make >make.out" <good.in >out &&
	test_grep "\"build\":{\"ok\":true" out &&
	test -d "$cache" &&
	echo 3 >expect &&
	count cache_miss >actual &&
	test_cmp expect actual &&
	echo 0 >expect &&
	hits >actual &&
	test_cmp expect actual &&
	find "$cache" -type f -name "*R" >results &&
	test -s results
'

test_expect_success 'the same content in a fresh slot: every compile a hit' '
	pesq-apply -C r --slot 2 --build "make >make.out" <good.in >out &&
	test_grep "\"build\":{\"ok\":true" out &&
	printf "CC main.c\nCC sum.c\nCC other.c\nLD prog\n" >expect &&
	test_cmp expect r/.git/pesq/slot-2/make.out &&
	echo 3 >expect &&
	hits >actual &&
	test_cmp expect actual &&
	count cache_miss >actual &&
	test_cmp expect actual
'

test_expect_success 'the build sees the cache and its variables' '
	pesq-apply -C r --slot 3 \
		--build "env | grep ^CCACHE_ | sort >ccache.env; make" \
		<good.in >out &&
	test_grep "\"build\":{\"ok\":true" out &&
	slot=$(cd r/.git/pesq/slot-3 && pwd -P) &&
	cat >expect <<-EOF &&
	CCACHE_BASEDIR=$slot
	CCACHE_CONFIGPATH=$cache/ccache.conf
	CCACHE_DIR=$cache
	CCACHE_TEMPDIR=$cache/tmp
	EOF
	test_cmp expect r/.git/pesq/slot-3/ccache.env
'

test_expect_success 'with debug information: hits in the same slot only' '
	echo 6 >expect &&
	hits >actual &&
	test_cmp expect actual &&
	sed "s/s0 + s1/s1 + s0/" good.c >good2.c &&
	(cd r && test-apply-rec sum sum.c ../good2.c "swap") >good2.in &&
	for k in 5 6
	do
		pesq-apply -C r --slot $k --build "make CFLAGS=\"-O1 -g\"" \
			<good.in >out &&
		test_grep "\"build\":{\"ok\":true" out || return 1
	done &&
	echo 9 >expect &&
	count cache_miss >actual &&
	test_cmp expect actual &&
	pesq-apply -C r --slot 5 --build "make CFLAGS=\"-O1 -g\"" \
		<good2.in >out &&
	pesq-apply -C r --slot 5 --build "make CFLAGS=\"-O1 -g\"" \
		<good.in >out &&
	test_grep "\"build\":{\"ok\":true" out &&
	echo 10 >expect &&
	count cache_miss >actual &&
	test_cmp expect actual &&
	echo 7 >expect &&
	hits >actual &&
	test_cmp expect actual
'

test_expect_success BWRAP 'a command run after the build sees neither' '
	pesq-sandbox -q -C r -w slot-1 -r pesq/sum/1 -b "make >/dev/null" "
		ls -A \"$cache\" 2>/dev/null && echo listed
		echo x 2>/dev/null >\"$cache/planted\" && echo written
		env | grep ^CCACHE_
		echo done" >out &&
	echo done >expect &&
	test_cmp expect out &&
	test ! -e "$cache/planted"
'

test_expect_success 'pesq.ccache false: builds without it' '
	count cache_miss >misses.before &&
	hits >hits.before &&
	git -C r config pesq.ccache false &&
	pesq-apply -C r --slot 4 \
		--build "echo \"dir=\${CCACHE_DIR-}\" >ccache.env; make" \
		<good.in >out &&
	test_grep "\"build\":{\"ok\":true" out &&
	echo "dir=" >expect &&
	test_cmp expect r/.git/pesq/slot-4/ccache.env &&
	count cache_miss >actual &&
	test_cmp misses.before actual &&
	hits >actual &&
	test_cmp hits.before actual
'

test_expect_success 'a pesq.ccache that is not a boolean is a usage error' '
	git -C r config pesq.ccache maybe &&
	test_expect_code 2 pesq-apply -C r <good.in >out 2>err &&
	test_grep "invalid pesq.ccache" err &&
	git -C r config --unset pesq.ccache
'

test_done

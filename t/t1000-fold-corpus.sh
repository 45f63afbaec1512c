#!/bin/sh
test_description='pesq-fold against the conformance corpus (FlameGraph and inferno results)'
. ./test-lib.sh

if ! test_have_prereq CORPUS
then
	skip_all='no corpus in $SHARED_DIR/corpus/perf'
	test_done
fi

corpus=$SHARED_DIR/corpus/perf

test_expect_success 'gunzip the example input' '
	gzip -dc "$corpus/flamegraph/example-perf-stacks.txt.gz" \
		>example-perf-stacks.txt
'

# input_for DIR NAME: the input a result file was made from.
input_for() {
	for d in "$corpus/$1" "$corpus/flamegraph" .
	do
		if test -f "$d/$2.txt"
		then
			echo "$d/$2.txt"
			return 0
		fi
	done
	return 1
}

# Each expected file is <input>-collapsed[-<option>].txt. The Perl
# reference leaves Rust symbols as they are (--no-demangle); the Rust port
# keeps quotes, which the reference deletes.
for dir in flamegraph inferno
do
	for exp in "$corpus/$dir"/results/*-collapsed*.txt
	do
		b=$(basename "$exp" .txt)
		in=${b%-collapsed*}
		opt=${b#"$in"-collapsed}
		opt=${opt#-}
		args=${opt:+--$opt}
		case $dir/$in in
		flamegraph/perf-rust-*) args="$args --no-demangle" ;;
		esac
		test_expect_success "$dir: $b" "
			src=\$(input_for $dir $in) &&
			pesq-fold $args \"\$src\" >actual 2>err &&
			tr -d \"'\\\"\" <'$exp' >expect &&
			test_cmp expect actual
		"
	done
done

for w in empty-line weird-stack-line
do
	test_expect_success "inferno: $w.txt gives exactly one warning" "
		test_expect_code 1 pesq-fold '$corpus/inferno/$w.txt' >out 2>err &&
		test_line_count = 1 err &&
		test_grep '$w.txt:[0-9]*: ' err &&
		test_grep 'inline-counter;main 250000' out
	"
done

test_expect_success 'an input in no known format is an error' '
	test_expect_code 1 pesq-fold "$corpus/inferno/guess/unknown-format.txt" \
		>out 2>err &&
	test_must_be_empty out &&
	test_grep "unknown-format.txt:2: unrecognized input" err
'

test_expect_success 'folded corpus results read back unchanged' '
	exp="$corpus/flamegraph/results/perf-vertx-stacks-01-collapsed.txt" &&
	pesq-fold "$exp" >actual &&
	test_cmp "$exp" actual &&
	pesq-fold --format folded "$exp" "$exp" >twice &&
	awk "{ n = \$NF; sub(/[0-9]+\$/, \"\"); print \$0 (2 * n) }" "$exp" >expect &&
	test_cmp expect twice
'

test_done

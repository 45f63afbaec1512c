#!/bin/sh
test_description='pesq-measure: instructions and cycles beside the times, or why not

Where the machine has hardware counters the report ends in "hw
INSTRUCTIONS CYCLES"; where it has none (a VM, this machine), or may not
use them, in "none ERRNO". PESQ_MEASURE_COUNTERS=sw puts task-clock and
page faults in their place, so that the counts can be followed on any
machine that allows software events.'
. ./test-lib.sh

# measure FILE COMMAND...: run COMMAND under pesq-measure, the report in FILE
measure() {
	f=$1 &&
	shift &&
	pesq-measure -f 7 "$@" 7>"$f" >/dev/null
}

# The report up to the counters, of a command that exited 0 (a regular
# expression for test_grep).
head='^pesq-measure 2 0\( [0-9][0-9]*\)\{4\}'
num='[0-9][0-9]*' pos='[1-9][0-9]*'

# field N FILE: the Nth word of the report
field() {
	awk -v n="$1" '{ print $n }' "$2"
}

test_lazy_prereq DENYPERF 'deny-perf true'
test_lazy_prereq SWCOUNT '
	PESQ_MEASURE_COUNTERS=sw pesq-measure -f 7 true 7>rep &&
	test "$(awk "{ print \$8 }" rep)" = sw
'

test_expect_success 'the report: times, then the counters or why not' '
	measure rep spin 1 &&
	test_grep "$head \(hw $num $num\|none -\{0,1\}$num\)$" rep &&
	if test "$(field 8 rep)" = hw
	then
		test "$(field 9 rep)" -gt 0 && test "$(field 10 rep)" -gt 0
	else
		# unavailable, and why: an errno, not "turned off"
		test "$(field 9 rep)" -ne 0
	fi
'

test_expect_success DENYPERF 'blocked (a seccomp filter): none, and the errno' '
	PESQ_MEASURE_COUNTERS=sw deny-perf -e 1 pesq-measure -f 7 \
		spin 0 7>rep >/dev/null &&
	test_grep "$head none 1$" rep &&
	deny-perf pesq-measure -f 7 spin 0 7>rep >/dev/null &&
	test_grep "$head none 13$" rep
'

test_expect_success 'off: no counters, and the line says so' '
	PESQ_MEASURE_COUNTERS=off measure rep spin 0 &&
	test_grep "$head none 0$" rep
'

test_expect_success 'an invalid PESQ_MEASURE_COUNTERS is a usage error, named' '
	test_expect_code 2 env PESQ_MEASURE_COUNTERS=lots \
		pesq-measure -f 7 true 7>rep 2>err &&
	test_grep "invalid PESQ_MEASURE_COUNTERS '"'"'lots'"'"'" err &&
	test_must_be_empty rep
'

test_expect_success 'the variable is pesq-measure'"'"'s, not the command'"'"'s' '
	PESQ_MEASURE_COUNTERS=sw pesq-measure -f 7 \
		sh -c "echo \"\${PESQ_MEASURE_COUNTERS-unset}\"" 7>rep >out &&
	echo unset >expect &&
	test_cmp expect out
'

test_expect_success SWCOUNT 'sw: positive counts that grow with the work' '
	PESQ_MEASURE_COUNTERS=sw measure small spin 4 &&
	PESQ_MEASURE_COUNTERS=sw measure big spin 40 &&
	test_grep "$head sw $pos $pos$" small &&
	test_grep "$head sw $pos $pos$" big &&
	test "$(field 9 big)" -gt "$(field 9 small)"
'

test_expect_success SWCOUNT 'sw: children and what they start are counted' '
	PESQ_MEASURE_COUNTERS=sw measure one spin 40 &&
	PESQ_MEASURE_COUNTERS=sw measure two \
		sh -c "spin 40 >/dev/null & spin 40 >/dev/null; wait" &&
	test "$(field 9 two)" -gt "$(field 9 one)"
'

test_expect_success SWCOUNT 'the counters are not the command'"'"'s: no descriptor but 0-2' '
	PESQ_MEASURE_COUNTERS=sw pesq-measure -f 7 \
		sh -c "ls /proc/\$\$/fd" 7>rep >out &&
	test_grep " sw $pos $pos$" rep &&
	printf "0\n1\n2\n" >expect &&
	test_cmp expect out
'

test_expect_success SWCOUNT 'sw: a command that cannot be run counts nothing' '
	test_expect_code 127 env PESQ_MEASURE_COUNTERS=sw \
		pesq-measure -f 7 no-such-program 7>rep 2>err &&
	test_grep "^pesq-measure 2 $num\( $num\)\{4\} sw 0 0$" rep
'

test_done

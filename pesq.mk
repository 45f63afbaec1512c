# pesq.mk: the pesq loop as make targets.
#
#	PESQ_BENCH = ./bench.sh
#	PESQ_TEST = make test
#	include /usr/local/share/pesq/pesq.mk
#
#	make pesq          profile, then improve the hot functions
#	make pesq-report   the table of attempts
#
# Targets are real files under $(PESQ_DIR), so make redoes only what
# changed: the profile when pesq/best moved, the hot list when the
# profile changed. `make pesq` runs the steps of `git pesq run` (git pesq
# step), so it continues an interrupted run and never repeats a finished
# attempt. With PESQ_SAMPLES = K, each target's K samples (model call,
# apply, build in slot k, corrections) are make jobs, run side by side
# under `make -j`; their benchmarks then run one at a time, never in
# parallel with each other. Including this file does not change the
# including Makefile's default goal. See git-pesq(1).

PESQ_BUILD ?= $(MAKE)
PESQ_TEST ?=
PESQ_BENCH ?=
PESQ_FUNCTIONS ?= 3
PESQ_ATTEMPTS ?= 2
PESQ_SAMPLES ?= 1
PESQ_PROVIDER ?=
PESQ_MODEL ?=
PESQ_CALL_GRAPH ?=
PESQ_BUDGET ?=
PESQ_PARALLEL ?=
PESQ_THREADS ?=
PESQ_METRIC ?=
PESQ_MAX_ROUNDS ?=
PESQ_MIN_GAIN ?=
PESQ_OUTPUT_CHECK ?=
PESQ_BENCH_BUDGET ?=
PESQ_MAX_RSS_GROWTH ?=
PESQ_DIR ?= .pesq
PESQ_GIT ?= git

pesq_saved_goal := $(.DEFAULT_GOAL)
pesq_mk := $(lastword $(MAKEFILE_LIST))

# Options for git pesq: only those given, so that git config fills in
# the rest. Values go in single quotes: do not put single quotes in them.
pesq_common = $(if $(PESQ_BUILD),--build '$(PESQ_BUILD)') \
	$(if $(PESQ_BENCH),--bench '$(PESQ_BENCH)') \
	$(if $(PESQ_CALL_GRAPH),--call-graph '$(PESQ_CALL_GRAPH)')
pesq_run_opts = $(pesq_common) \
	$(if $(PESQ_TEST),--test '$(PESQ_TEST)') \
	$(if $(PESQ_FUNCTIONS),--functions '$(PESQ_FUNCTIONS)') \
	$(if $(PESQ_ATTEMPTS),--attempts '$(PESQ_ATTEMPTS)') \
	$(if $(PESQ_SAMPLES),--samples '$(PESQ_SAMPLES)') \
	$(if $(PESQ_PROVIDER),--provider '$(PESQ_PROVIDER)') \
	$(if $(PESQ_MODEL),--model '$(PESQ_MODEL)') \
	$(if $(PESQ_BUDGET),--budget '$(PESQ_BUDGET)') \
	$(if $(filter true yes on 1,$(PESQ_PARALLEL)),--parallel) \
	$(if $(filter false no off 0,$(PESQ_PARALLEL)),--no-parallel) \
	$(if $(PESQ_THREADS),--threads '$(PESQ_THREADS)') \
	$(if $(PESQ_METRIC),--metric '$(PESQ_METRIC)') \
	$(if $(PESQ_MAX_ROUNDS),--max-rounds '$(PESQ_MAX_ROUNDS)') \
	$(if $(PESQ_MIN_GAIN),--min-gain '$(PESQ_MIN_GAIN)') \
	$(if $(filter false no off 0,$(PESQ_OUTPUT_CHECK)),--no-output-check,$(if \
	    $(PESQ_OUTPUT_CHECK),--output-check)) \
	$(if $(PESQ_BENCH_BUDGET),--bench-budget '$(PESQ_BENCH_BUDGET)') \
	$(if $(PESQ_MAX_RSS_GROWTH),--max-rss-growth '$(PESQ_MAX_RSS_GROWTH)')

# The commit pesq works from: rewritten only when it changes, so that
# what depends on it is redone only then.
$(PESQ_DIR)/base: pesq-FORCE
	@mkdir -p $(PESQ_DIR)
	@r=$$($(PESQ_GIT) rev-parse -q --verify refs/heads/pesq/best || \
	    $(PESQ_GIT) rev-parse HEAD) && \
	if [ "$$(cat $@ 2>/dev/null)" != "$$r" ]; then \
		echo "$$r" >$@.tmp && mv $@.tmp $@; fi

$(PESQ_DIR)/stacks.folded: $(PESQ_DIR)/base
	$(PESQ_GIT) pesq profile $(pesq_common) -o $@.tmp "$$(cat $<)" && \
	mv $@.tmp $@

$(PESQ_DIR)/hot.jsonl: $(PESQ_DIR)/stacks.folded
	pesq-hot --chain -n $(PESQ_FUNCTIONS) <$< >$@.tmp && mv $@.tmp $@

# The run: plan it (git pesq step plan prints the number of targets and
# of samples), then each target in turn by a sub-make (pesq-target, below)
# that shares this make's job slots, then the final A/B and the report.
$(PESQ_DIR)/report.txt: $(PESQ_DIR)/hot.jsonl
	+@set -e; set -- $$($(PESQ_GIT) pesq step plan -q \
	    --stacks $(PESQ_DIR)/stacks.folded $(pesq_run_opts)); \
	t=1; while [ $$t -le $$1 ]; do \
		$(MAKE) --no-print-directory -f $(pesq_mk) \
		    PESQ_GIT='$(PESQ_GIT)' PESQ_T=$$t PESQ_K=$$2 pesq-target; \
		t=$$((t + 1)); \
	done
	$(PESQ_GIT) pesq step finish
	$(PESQ_GIT) pesq report --last >$@.tmp && mv $@.tmp $@

# One target (PESQ_T, with PESQ_K samples): prepare, the samples as jobs
# of their own, then the bench step, which waits for all of them.
ifdef PESQ_T
pesq_k_all := $(shell k=0; while [ $$k -lt $(PESQ_K) ]; do \
	echo pesq-sample-$$k; k=$$((k + 1)); done)
pesq-target: $(pesq_k_all)
	$(PESQ_GIT) pesq step bench $(PESQ_T)
$(pesq_k_all): pesq-sample-%: pesq-prepare
	$(PESQ_GIT) pesq step sample $(PESQ_T) $*
pesq-prepare:
	$(PESQ_GIT) pesq step prepare $(PESQ_T)
.PHONY: pesq-target pesq-prepare $(pesq_k_all)
endif

pesq-profile: $(PESQ_DIR)/stacks.folded
pesq-hot: $(PESQ_DIR)/hot.jsonl
pesq: $(PESQ_DIR)/report.txt
	@cat $<
pesq-report:
	@$(PESQ_GIT) pesq report --last
pesq-clean:
	rm -rf $(PESQ_DIR)
pesq-FORCE:

.PHONY: pesq-profile pesq-hot pesq pesq-report pesq-clean pesq-FORCE

.DEFAULT_GOAL := $(pesq_saved_goal)

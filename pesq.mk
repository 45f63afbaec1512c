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
# profile changed. `make pesq` runs `git pesq run`, which continues an
# interrupted run and never repeats a finished attempt. Including this
# file does not change the including Makefile's default goal. See
# git-pesq(1).

PESQ_BUILD ?= $(MAKE)
PESQ_TEST ?=
PESQ_BENCH ?=
PESQ_FUNCTIONS ?= 3
PESQ_ATTEMPTS ?= 2
PESQ_SAMPLES ?= 1
PESQ_PROVIDER ?=
PESQ_MODEL ?=
PESQ_DIR ?= .pesq
PESQ_GIT ?= git

pesq_saved_goal := $(.DEFAULT_GOAL)

# Options for git pesq: only those given, so that git config fills in
# the rest. Values go in single quotes: do not put single quotes in them.
pesq_common = $(if $(PESQ_BUILD),--build '$(PESQ_BUILD)') \
	$(if $(PESQ_BENCH),--bench '$(PESQ_BENCH)')
pesq_run_opts = $(pesq_common) \
	$(if $(PESQ_TEST),--test '$(PESQ_TEST)') \
	$(if $(PESQ_FUNCTIONS),--functions '$(PESQ_FUNCTIONS)') \
	$(if $(PESQ_ATTEMPTS),--attempts '$(PESQ_ATTEMPTS)') \
	$(if $(PESQ_SAMPLES),--samples '$(PESQ_SAMPLES)') \
	$(if $(PESQ_PROVIDER),--provider '$(PESQ_PROVIDER)') \
	$(if $(PESQ_MODEL),--model '$(PESQ_MODEL)')

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

$(PESQ_DIR)/report.txt: $(PESQ_DIR)/hot.jsonl
	$(PESQ_GIT) pesq run -q --stacks $(PESQ_DIR)/stacks.folded \
		$(pesq_run_opts)
	$(PESQ_GIT) pesq report --last >$@.tmp && mv $@.tmp $@

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

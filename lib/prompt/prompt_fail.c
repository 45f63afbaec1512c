/*
 * What failed, for a correct mode prompt: the kind of failure, the reason
 * the verdict gives, and the output that shows it (the build's or the
 * test's own output, the first differing line of the benchmark's output,
 * the signal that killed the candidate). See pesq-prompt(1), "correct".
 */
#include <stdio.h>
#include <string.h>

#include "prompt/prompt_int.h"

/* A log shown is its last LOG_MAX bytes (less under a small budget). */
#define LOG_MAX 3000

/* " (killed by SIGABRT: status 134)" for a status of 128 + a signal. */
static void
add_signal(struct sbuf *f, const char *who, long long status)
{
	/* libc's abbreviation ("ABRT"), NULL for no signal it knows */
	const char *s = status > 128 && status < 128 + 65 ?
		sigabbrev_np((int)(status - 128)) : NULL;

	if (s)
		sbuf_addf(f, "\n\n%s was killed by SIG%s (exit status %lld).",
			  who, s, status);
}

/* The test's exit status: test.status, else the one the reason says. */
static long long
test_status(struct prompt_job *j, const struct sbuf *r)
{
	long long st = jsonl_path_int(j->rec, "test.status", -1);
	const char *p = strstr(r->buf ? r->buf : "", "with status ");

	if (st < 0 && p && sscanf(p, "with status %lld", &st) != 1)
		st = -1;
	return st;
}

/* The verdict as a string (a string, or an object's `status`). */
static void
verdict(struct prompt_job *j, struct sbuf *v)
{
	int t = jsonl_get(j->rec, 0, "verdict");

	if (jsonl_is_object(j->rec, t))
		t = jsonl_get(j->rec, t, "status");
	sbuf_reset(v);
	jsonl_str(j->rec, t, v);
}

/*
 * Why, in one line: the verdict object's reason (or msg), else
 * verdict_reason (as pesq-bench writes it), else error.msg.
 */
static void
reason(struct prompt_job *j, struct sbuf *r)
{
	static const char *const path[] = {
		"verdict.reason", "verdict.msg", "verdict_reason", "error.msg",
		NULL,
	};

	for (int i = 0; path[i]; i++)
		if (prompt_get_str(j->rec, path[i], r) == 0 && r->len)
			return;
	sbuf_reset(r);
}

/* The tail of the log at path, fenced under a heading; 1 when shown. */
static int
add_log(struct prompt_job *j, const char *path, const char *head)
{
	size_t max = LOG_MAX, skip = 0;
	struct sbuf log = SBUF_INIT;

	if (prompt_get_str(j->rec, path, &log) < 0 || !log.len) {
		sbuf_release(&log);
		return 0;
	}
	if (j->opt->max_tokens > 0 && (size_t)j->opt->max_tokens < max)
		max = (size_t)j->opt->max_tokens;	/* a quarter of it */
	if (log.len > max) {
		const char *nl = memchr(log.buf + log.len - max, '\n', max);

		skip = nl ? (size_t)(nl + 1 - log.buf) : log.len - max;
	}
	sbuf_addf(&j->failure, "\n\n%s\n\n```\n", head);
	if (skip)
		sbuf_addf(&j->failure, "[... %zu bytes before this left out]\n",
			  skip);
	sbuf_addf(&j->failure, "%s\n```", log.buf + skip);
	sbuf_release(&log);
	return 1;
}

/* output-differs: the statuses, a signal, and the first differing line. */
static void
output_failure(struct prompt_job *j, struct sbuf *f)
{
	long long bs = jsonl_path_int(j->rec, "bench.output.base_status", -1);
	long long cs = jsonl_path_int(j->rec, "bench.output.cand_status", -1);
	long long line = jsonl_path_int(j->rec, "bench.output.line", 0);
	struct sbuf b = SBUF_INIT, c = SBUF_INIT;

	if (bs >= 0 && cs >= 0 && bs != cs) {
		sbuf_addf(f, "\n\nThe benchmark exited with status %lld with "
			  "the original, %lld with your version.", bs, cs);
		add_signal(f, "With your version, the program", cs);
	}
	if (line > 0) {
		prompt_get_str(j->rec, "bench.output.base", &b);
		prompt_get_str(j->rec, "bench.output.cand", &c);
		sbuf_addf(f, "\n\nThe first line of the output that differs "
			  "is line %lld.\nThe original printed:\n\n```\n%s\n```"
			  "\n\nYour version printed:\n\n```\n%s\n```", line,
			  b.buf, c.buf);
	}
	sbuf_release(&b);
	sbuf_release(&c);
	if (!add_log(j, "bench.diff", "The difference:"))
		add_log(j, "bench.log", "The difference:");
}

void
prompt_setup_failure(struct prompt_job *j)
{
	struct sbuf v = SBUF_INIT, r = SBUF_INIT, *f = &j->failure;

	verdict(j, &v);
	reason(j, &r);
	if (!jsonl_path_bool(j->rec, "build.ok", 1) ||
	    !strcmp(v.buf, "build-failed")) {
		j->fail = FAIL_BUILD;
		sbuf_adds(f, "it does not compile.");
	} else if (!strcmp(v.buf, "refused")) {
		j->fail = FAIL_REFUSED;
		sbuf_adds(f, "it was refused before the build: it could not "
			  "be put in place of the original, as it breaks the "
			  "rules for the code block; nothing was built.");
	} else if (!strcmp(v.buf, "test-failed")) {
		j->fail = FAIL_TEST;
		sbuf_adds(f, strstr(r.buf, "timed out") ? "it compiles, but "
			  "the tests ran past the time limit and were killed "
			  "(an endless loop, or far slower than the original)." :
			  "it compiles, but the tests fail.");
	} else if (!strcmp(v.buf, "output-differs")) {
		j->fail = FAIL_OUTPUT;
		sbuf_adds(f, "it compiles and the tests pass, but the program's "
			  "output changed; it must print exactly what the "
			  "original prints.");
	} else if (!strcmp(v.buf, "error") && r.len) {
		j->fail = FAIL_OTHER;
		sbuf_adds(f, strstr(r.buf, "timed out") ? "the benchmark ran "
			  "past the time limit with it and was killed (an "
			  "endless loop, or far slower than the original)." :
			  "the benchmark failed with it.");
	} else {
		prompt_check_failure(j, v.buf);
		goto out;
	}
	if (r.len)
		sbuf_addf(f, "\n\nThe verdict says: %s", r.buf);
	switch (j->fail) {
	case FAIL_BUILD:
		add_log(j, "build.log", "The build reported:");
		break;
	case FAIL_TEST:
		add_signal(f, "The test command", test_status(j, &r));
		add_log(j, "test.log", "The tests' own output (its end):");
		break;
	case FAIL_OUTPUT:
		output_failure(j, f);
		break;
	}
out:
	sbuf_release(&v);
	sbuf_release(&r);
}

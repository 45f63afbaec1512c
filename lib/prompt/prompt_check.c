/*
 * The prompt's parts about the checks (pesq-check(5)): what a check
 * mode prompt needs, and why the checks refused a candidate.
 */
#include <string.h>

#include "prompt/prompt_int.h"

/* The member at path as a fenced block under a heading, when present. */
static void
fenced(struct prompt_job *j, const char *path, const char *head,
       const char *fence, struct sbuf *out)
{
	if (prompt_get_str(j->rec, path, &j->tmp) < 0 || !j->tmp.len)
		return;
	sbuf_addf(out, "\n\n%s\n\n```%s\n%s\n```", head, fence, j->tmp.buf);
}

/* The input a check found, in hex, with its length. */
static void
input(struct prompt_job *j, const char *obj, struct sbuf *out)
{
	struct sbuf path = SBUF_INIT, head = SBUF_INIT;
	long long n;

	sbuf_addf(&path, "%s.input_len", obj);
	n = jsonl_path_int(j->rec, path.buf, -1);
	sbuf_reset(&path);
	sbuf_addf(&path, "%s.input", obj);
	sbuf_addf(&head, "The input (%lld byte%s, in hex%s):", n, n == 1 ?
		  "" : "s", n > 256 ? ", the first 256" : "");
	if (n >= 0)
		fenced(j, path.buf, head.buf, "", out);
	sbuf_release(&path);
	sbuf_release(&head);
}

void
prompt_setup_check(struct prompt_job *j)
{
	struct sbuf *f = &j->check_fail;

	sbuf_addf(&j->orig, "pesq_orig_%s", j->fn.buf);
	if (prompt_get_str(j->rec, "check.status", &j->tmp) < 0 ||
	    (strcmp(j->tmp.buf, "invalid") && strcmp(j->tmp.buf, "dropped")))
		return;
	sbuf_adds(f, "## Your previous check\n\nIt was built and run with ");
	sbuf_addf(f, "`%s` being the original itself, and it failed, so it "
		  "was not used", j->fn.buf);
	if (prompt_get_str(j->rec, "check.reason", &j->tmp) == 0 && j->tmp.len)
		sbuf_addf(f, ": %s", j->tmp.buf);
	else
		sbuf_addc(f, '.');
	fenced(j, "check.report", "What was reported:", "", f);
	input(j, "check", f);
	fenced(j, "check.code", "The check:", j->fence, f);
	sbuf_adds(f, "\n\nWrite a corrected check. Keep what it compares, but "
		  "it must hold for the original on every input: build only "
		  "inputs the function accepts (as its callers make them), "
		  "free what you allocate, and compare only what the "
		  "function promises.");
}

int
prompt_check_failure(struct prompt_job *j, const char *verdict)
{
	struct sbuf *f = &j->failure;

	if (!strcmp(verdict, "unsafe")) {
		j->fail = FAIL_UNSAFE;
		sbuf_adds(f, "it compiles, the tests pass and the output is "
			  "unchanged, but a sanitizer (AddressSanitizer, "
			  "UndefinedBehaviorSanitizer or ThreadSanitizer) "
			  "caught a memory error or undefined behaviour in "
			  "it: an access out of bounds, a use after free, a "
			  "leak, an overflow or a data race. It must be free "
			  "of them for every input, not only for the ones the "
			  "tests use.");
	} else if (!strcmp(verdict, "differs")) {
		j->fail = FAIL_DIFFERS;
		sbuf_adds(f, "it compiles, the tests pass and the output is "
			  "unchanged, but the differential check found an "
			  "input on which it and the original behave "
			  "differently. It must behave exactly like the "
			  "original for every input, including inputs the "
			  "tests and the benchmark never use.");
	} else {
		return -1;
	}
	if (prompt_get_str(j->rec, "verdict_reason", &j->tmp) == 0 &&
	    j->tmp.len)
		sbuf_addf(f, "\n\nThe verdict says: %s", j->tmp.buf);
	if (jsonl_streq(j->rec, jsonl_path(j->rec, "checks.sanitize.outcome"),
			"unsafe")) {
		fenced(j, "checks.sanitize.report", "The sanitizer's first "
		       "report, from a sanitized build of the program running "
		       "its tests and benchmark:", "", f);
		return 0;
	}
	/* the differential check's: what it found, and the check itself */
	fenced(j, "checks.differential.report", "What was reported:", "", f);
	fenced(j, "checks.differential.said", "The check printed:", "", f);
	input(j, "checks.differential", f);
	if (prompt_get_str(j->rec, "checks.differential.code", &j->tmp) == 0 &&
	    j->tmp.len) {
		sbuf_addf(f, "\n\nThe check calls your version as `%s` and the "
			  "original as `pesq_orig_%s`, on inputs it makes from "
			  "the bytes above:", j->fn.buf, j->fn.buf);
		sbuf_addf(f, "\n\n```%s\n%s\n```", j->fence, j->tmp.buf);
	}
	return 0;
}

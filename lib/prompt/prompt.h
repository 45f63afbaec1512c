#ifndef PESQ_PROMPT_H
#define PESQ_PROMPT_H

#include <stddef.h>

#include "base/jsonl.h"
#include "base/sbuf.h"

/*
 * Prompts for pesq-prompt(1): from a record with `def` (and `ctx`, `hot`,
 * and for corrections `candidate`, `build`, `test`, `bench`, `verdict`)
 * to the chat messages that ask a model for a faster, or a fixed,
 * version of one function. Everything here is deterministic: the same
 * record, templates, examples and budget give the same bytes.
 */

/* The templates, by index; the file in a template directory is NAME.txt. */
enum {
	PROMPT_TPL_SYSTEM,	/* "system": the system message */
	PROMPT_TPL_LEAF,	/* "optimize-leaf" */
	PROMPT_TPL_PARENT,	/* "optimize-parent" */
	PROMPT_TPL_CORRECT,	/* "correct" */
	PROMPT_TPL_CHECK_SYSTEM,	/* "check-system": check mode's system */
	PROMPT_TPL_CHECK,	/* "check": write a differential check */
	PROMPT_TPL_PARALLEL,	/* "optimize-parallel": the loop on threads */
	PROMPT_NTPL
};

extern const char *const prompt_tpl_names[PROMPT_NTPL];

/* The built-in text of template i (static storage). */
const char *prompt_tpl_builtin(int i);

/*
 * A set of templates. text[i] is owned (malloc'd) when owned[i] is set,
 * else it points at the built-in text.
 */
struct prompt_tpl {
	const char *text[PROMPT_NTPL];
	char *owned[PROMPT_NTPL];
};

/* All built-in templates. */
void prompt_tpl_init(struct prompt_tpl *t);

/*
 * Replace templates with DIR/NAME.txt for each file present in dir (a
 * missing file keeps the current one). Each file read is checked with
 * prompt_tpl_check. Returns 0; -1 when dir is not a directory or a file
 * cannot be read (errno set, err holds the path); -2 when a file has an
 * unknown placeholder (err holds "PATH:LINE: ..."). err is reset first.
 */
int prompt_tpl_load(struct prompt_tpl *t, const char *dir, struct sbuf *err);

void prompt_tpl_release(struct prompt_tpl *t);

/*
 * Check that every placeholder in tpl ({{name}}: "{{", lowercase letters
 * and '_', "}}") is one prompt_render knows. Returns 0, or -1 with
 * "LINE: unknown placeholder '{{x}}'" appended to err.
 */
int prompt_tpl_check(const char *tpl, struct sbuf *err);

/* A placeholder's value; a NULL val renders as empty. */
struct prompt_var {
	const char *name;
	const char *val;
};

/*
 * Expand tpl into out (appending). Each {{name}} is replaced by the value
 * of the variable of that name (values are not scanned again); a name
 * with no variable expands to nothing. A placeholder that is alone on its
 * line and expands to nothing removes its line, and one empty line right
 * after it, so optional sections leave no gaps. Other text, including
 * "{{" not followed by a name and "}}", is copied as is.
 */
void prompt_render(struct sbuf *out, const char *tpl,
		   const struct prompt_var *vars, size_t nvars);

/*
 * Earlier accepted attempts, shown to the model as examples. The caller
 * owns the set; prompt_examples_release frees it.
 */
struct prompt_example {
	char *fn;		/* may be NULL */
	char *original;
	char *accepted;
	char *summary;		/* may be NULL */
	double speedup;		/* 0 when unknown */
};

struct prompt_examples {
	struct prompt_example *v;
	size_t n, cap;
};

#define PROMPT_EXAMPLES_INIT { NULL, 0, 0 }

/*
 * Add the example in rec: `original` and `accepted` (strings), optional
 * `fn`, `summary`, `speedup`; or, for a whole pesq record, `def.code` and
 * `candidate.code`, with `fn`, `candidate.summary` and `speedup` or
 * `bench.speedup`. Returns 0; 1 when rec is not an accepted attempt (it
 * has `error`, or a `verdict` other than "accepted", as a string or an
 * object's `status`) and was skipped; -1 with a message in err (reset
 * first) when the code is missing.
 */
int prompt_examples_add(struct prompt_examples *ex,
			const struct jsonl_rec *rec, struct sbuf *err);

void prompt_examples_release(struct prompt_examples *ex);

struct prompt_opt {
	const struct prompt_tpl *tpl;
	const struct prompt_examples *ex;	/* may be NULL */
	long max_tokens;			/* <= 0: no budget */
	int check;	/* ask for a differential check (pesq-check(5)) */
	int parallel;	/* ask for a parallel version (on threads) */
	long threads;	/* parallel: threads in all, >= 1 */
};

/* The token estimate of n bytes of text: ceil(n / 4). */
long prompt_est_tokens(size_t n);

/*
 * Make the prompt for rec and append the output line (rec with `prompt`
 * replaced, every other member copied byte for byte, and a newline) to
 * out. A record that carries `error` is appended unchanged. Returns 0;
 * or 1 when the record failed (no `def.code`, an unknown role, a
 * correction without `candidate.code`, over the budget): then the line
 * appended is rec with `error` {"stage":"prompt","msg":...} and msg (if
 * not NULL) holds the message. On success msg (if not NULL) holds a
 * one-line summary for -v. Cannot fail otherwise.
 */
int prompt_record(const struct jsonl_rec *rec, const struct prompt_opt *opt,
		  struct sbuf *out, struct sbuf *msg);

#endif

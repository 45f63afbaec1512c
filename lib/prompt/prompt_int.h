#ifndef PESQ_PROMPT_INT_H
#define PESQ_PROMPT_INT_H

/*
 * Private to lib/prompt/prompt.c and lib/prompt/prompt_sect.c: the state of one
 * record's prompt while it is built.
 */
#include "prompt/prompt.h"

/* Context kinds, in the order their sections appear in the prompt. */
enum { K_TYPE, K_MACRO, K_GLOBAL, K_CALLEE, K_CALLER, NKIND };

/* How much of an item is shown. */
enum { FULL, BRIEF, GONE };

struct prompt_item {
	char *name, *file, *code;	/* file, code may be NULL */
	char *decl;		/* a callee's declaration (its body cut) */
	long line;		/* 0: unknown */
	int level;
	int pinned;		/* a type the signature names: kept */
};

enum { FAIL_NONE, FAIL_BUILD, FAIL_TEST, FAIL_OUTPUT, FAIL_UNSAFE,
	FAIL_DIFFERS, FAIL_REFUSED, FAIL_OTHER };

struct prompt_job {
	const struct jsonl_rec *rec;
	const struct prompt_opt *opt;
	int fail;		/* FAIL_NONE: optimize mode */
	int check;		/* check mode: write a differential check */
	int parent;
	struct sbuf fn, file, sig, code, child, cand, summary, tmp;
	struct sbuf profile, failure, flags, parallel, task, where;
	struct sbuf orig, check_fail;	/* check mode: pesq_orig_F, a retry */
	struct sbuf threading;	/* parallel: what the build offers */
	int par;		/* optimize-parallel (not in check mode) */
	char line[32], threads[32];
	const char *lang, *fence;
	struct prompt_item *items[NKIND];
	size_t n[NKIND];
	long child_i;		/* the child among the callees, or -1 */
	size_t nex;		/* examples shown */
	char **trim;		/* "kind:name", in the order trimmed */
	size_t ntrim, trimcap;
};

/*
 * The string at path into sb (reset first), trailing blanks cut; 0/-1.
 * Inline so that prompt_sect.c, which prompt.c calls, never calls back
 * into prompt.c.
 */
static inline int
prompt_get_str(const struct jsonl_rec *rec, const char *path,
	       struct sbuf *sb)
{
	int t = jsonl_path(rec, path);

	sbuf_reset(sb);
	if (t < 0 || jsonl_str(rec, t, sb) < 0)
		return -1;
	sbuf_rtrim(sb);
	return 0;
}

/*
 * Sections (prompt_sect.c; prompt_setup_failure in prompt_fail.c). The
 * setup_ functions fill j->profile, j->failure (and j->fail), j->flags
 * and j->parallel from the record;
 * the sect_ functions append a section as it stands now (after any
 * trimming) to sb, nothing when there is nothing to say.
 */
void prompt_setup_profile(struct prompt_job *j);
void prompt_setup_failure(struct prompt_job *j);
void prompt_setup_flags(struct prompt_job *j);
void prompt_sect_context(const struct prompt_job *j, struct sbuf *sb);
void prompt_sect_callee(const struct prompt_job *j, struct sbuf *sb);
void prompt_sect_examples(const struct prompt_job *j, struct sbuf *sb);
void prompt_sect_trimmed(const struct prompt_job *j, struct sbuf *sb);

/*
 * The checks (prompt_check.c): prompt_setup_check fills j->orig and, when
 * the record's check failed on the original, j->check_fail; and
 * prompt_check_failure fills j->failure and j->fail for a candidate the
 * checks refused (verdict "unsafe" or "differs"), returning 0, or -1 for
 * another verdict.
 */
void prompt_setup_check(struct prompt_job *j);
int prompt_check_failure(struct prompt_job *j, const char *verdict);

/*
 * Hot lines and inlining (prompt_hot.c): in optimize mode, mark the lines
 * of def.hot_lines with at least 5% of the samples (8 at most) in
 * j->code with a trailing comment "/\* hot: N% *\/", where a comment may
 * end the line; append to profile the sentences that explain the marks
 * and name the callers of hot.inlined_into.
 */
void prompt_setup_hot(struct prompt_job *j, struct sbuf *profile);

/*
 * Parallel versions (prompt_par.c): with opt->parallel, set j->par (not
 * in check mode), j->threads, the task, and j->threading: which threads
 * the build allows (OpenMP only when ctx.flags has -fopenmp; POSIX
 * threads, linked with -pthread or else said to need it).
 */
void prompt_setup_parallel(struct prompt_job *j);

#endif

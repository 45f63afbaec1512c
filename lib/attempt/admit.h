#ifndef PESQ_ADMIT_H
#define PESQ_ADMIT_H

#include <git2.h>

#include "base/sbuf.h"

/*
 * Whether a candidate may be built at all: its code may pull in only
 * <system> headers and headers tracked in the base commit, and never
 * the assembler's .incbin or .include (source/includes.h). Checked by
 * pesq-apply before the build; a refusal is the attempt's failure, with
 * a reason that names the line, for the correction prompt.
 */

/*
 * Check the candidate code[0..len) made on commit base. Returns 0, or -1
 * with "candidate refused: line N: ..." appended to err (a repository
 * failure while listing the base's files is also a refusal, said so).
 */
int admit_candidate(git_repository *repo, const git_oid *base,
		    const char *code, size_t len, struct sbuf *err);

#endif

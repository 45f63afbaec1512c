#ifndef PESQ_REDACT_H
#define PESQ_REDACT_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * Known secrets kept out of what pesq stores. A secret is the value of a
 * variable whose name looks like one (redact_secret_name) in the
 * environment or in a .env file (the same files pesq-llm reads keys
 * from: ./.env and the work tree's .env). Values shorter than
 * REDACT_MIN bytes are not taken: they would match ordinary text.
 * Every log pesq keeps of a build, a test or a benchmark (in records,
 * notes and files) goes through redact_apply first, so that a candidate
 * that prints a key leaves "[redacted]" in git and in the next prompt.
 */
#define REDACT_MIN 6
#define REDACT_MARK "[redacted]"

struct redact {
	char **val;		/* longest first */
	size_t n, cap;
};

#define REDACT_INIT { NULL, 0, 0 }

/*
 * Does the variable name[0..len) look like it holds a secret: a name
 * ending in _KEY (OPENAI_API_KEY) or containing TOKEN, SECRET, PASSWORD,
 * PASSWD or CREDENTIAL, in any case?
 */
int redact_secret_name(const char *name, size_t len);

/*
 * Collect the secrets of the environment and of the .env files named in
 * files (NULL-terminated; a missing or unreadable file adds nothing).
 */
void redact_load(struct redact *r, const char *const *files);

/* Add one value (copied; ignored when shorter than REDACT_MIN). */
void redact_add(struct redact *r, const char *val, size_t len);

/*
 * Replace every occurrence of a secret in sb by REDACT_MARK. Returns how
 * many were replaced.
 */
size_t redact_apply(const struct redact *r, struct sbuf *sb);

void redact_release(struct redact *r);

#endif

#ifndef PESQ_CANDIDATE_H
#define PESQ_CANDIDATE_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * A candidate as models write it, checked and spliced into its file
 * before anything is built. The code is read as file-scope items
 * (canditems.h: a lexer, not a parser) and judged by the rules of
 * candrules.c: the target's definition last, before it new static
 * helpers, static variables and tables, types, macros #undef'd again
 * and #include <system header> lines; nothing that would change other
 * code (a new non-static symbol, a name the file already has, a macro
 * left defined). Each refusal names the item and its line in the code.
 *
 * The signature is the head with comments removed and blanks normalized:
 * runs of blanks become one space where they separate two identifier
 * characters and are dropped elsewhere ("static int *f ( int a )" and
 * "static int* f(int a)" both give "static int*f(int a)").
 */

struct cand_splice {
	const char *fn;		/* the target as profiles name it: a suffix
				   from the first '.' ("f.cold") and a
				   qualification to the last "::" ignored */
	const char *file;	/* its path, for messages */
	const char *orig;	/* the file's content */
	size_t orig_len;
	size_t start, end;	/* the definition's bytes in orig */
	int cxx;		/* C++: anonymous namespaces */
};

/*
 * Check code[0..len) against the rules and append the file's new
 * content to out: orig with [start, end) replaced by the candidate (its
 * surrounding blanks and #include lines removed), and the new #include
 * lines after the last #include line before start (or before the
 * candidate when there is none). The target's normalized signature is
 * appended to sig (when not NULL). Returns 0, or -1 with the reason
 * (lowercase, no full stop, naming the item and its line of code)
 * appended to err; out is then unchanged.
 */
int candidate_splice(const struct cand_splice *cs, const char *code,
		     size_t len, struct sbuf *out, struct sbuf *sig,
		     struct sbuf *err);

/*
 * Append the normalized signature of the definition in code[0..len) (the
 * text before its first '{' outside comments and literals) to sig.
 */
void candidate_signature(const char *code, size_t len, struct sbuf *sig);

#endif

#ifndef PESQ_CANDIDATE_H
#define PESQ_CANDIDATE_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * Cheap checks of a candidate function before it is spliced into a file.
 * This is a lexer, not a parser: comments, string and character literals
 * are skipped, and braces and parentheses counted.
 *
 * A candidate is accepted when, after trimming surrounding blanks, it is
 * exactly one function definition: a head (optionally after comments)
 * holding the function's name followed by '(' outside any parentheses,
 * and no ';', '#', '`', '}' nor '=' outside parentheses; then a body in
 * balanced braces; then nothing but blanks and comments. So an empty
 * reply, a file pasted back (includes, declarations, other functions), a
 * reply still in a Markdown fence, and a cut-off body are refused.
 *
 * The signature is the head with comments removed and blanks normalized:
 * runs of blanks become one space where they separate two identifier
 * characters and are dropped elsewhere ("static int *f ( int a )" and
 * "static int* f(int a)" both give "static int*f(int a)").
 */

/*
 * Check code[0..len) as a definition of fn. fn may be a name as seen in
 * profiles: a suffix from the first '.' ("f.cold") and a qualification up
 * to the last "::" are ignored for the search. On success returns 0, with
 * *off and *n (when not NULL) delimiting the trimmed candidate in code
 * and the normalized signature appended to sig (when not NULL). On
 * failure returns -1 with a message (lowercase, no full stop) appended to
 * err.
 */
int candidate_check(const char *fn, const char *code, size_t len, size_t *off,
	       size_t *n, struct sbuf *sig, struct sbuf *err);

/*
 * Append the normalized signature of the definition in code[0..len) (the
 * text before its first '{' outside comments and literals) to sig.
 */
void candidate_signature(const char *code, size_t len, struct sbuf *sig);

#endif

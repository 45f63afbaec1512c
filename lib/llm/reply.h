#ifndef PESQ_REPLY_H
#define PESQ_REPLY_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * Reading a model's reply: the fenced code block that holds the new
 * function, and the one-line summary. Pure functions on text; no I/O.
 */

/*
 * The bare name of a function as profilers print it: argument lists,
 * compiler clone suffixes (".constprop.0", ".isra.0", ".cold") and template
 * arguments dropped, and only the last component of a C++ qualified name
 * ("ns::Vec<int>::push(int) const" gives "push"). Appended to out.
 */
void reply_fn_name(const char *fn, struct sbuf *out);

/*
 * Does code[0..len) define the function name (a bare name)? True when the
 * name, as a whole identifier, is followed by a parenthesized parameter
 * list and then, past qualifiers, by '{' before any ';', ',', '=', '}' or
 * unbalanced ')'. A heuristic, not a parser: comments and strings are not
 * skipped.
 */
int reply_defines(const char *code, size_t len, const char *name);

/*
 * Find the code in a reply: among the fenced blocks (``` or ~~~, with an
 * optional info string; an unterminated block does not count), the last
 * one that defines fn (any spelling reply_fn_name accepts). Its content,
 * without the fences, goes to out (reset first). Returns the number of
 * fenced blocks seen when one defines fn, 0 when none does, with out
 * empty; the caller words the error.
 */
int reply_code(const char *text, size_t len, const char *fn,
	       struct sbuf *out);

/*
 * The summary of a reply, appended to out: the rest of the first line
 * outside code blocks that starts with "Summary:" (any case, markdown
 * emphasis, heading and list marks ignored); failing that the first
 * sentence of the first non-blank line outside code blocks that is not
 * a preamble ("Here's a faster version of `f`."), cut after a word with
 * "..." when longer than 72 bytes; failing that nothing.
 */
void reply_summary(const char *text, size_t len, struct sbuf *out);

#endif

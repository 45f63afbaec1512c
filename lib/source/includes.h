#ifndef PESQ_INCLUDES_H
#define PESQ_INCLUDES_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * What a candidate's code may pull into the build from files. A model's
 * code is hostile: `#include "/root/secret"` or
 * `__asm__(".incbin \"../../.env\"")` would copy a file of the machine
 * into the build's output, and from there into the ledger and the next
 * prompt. So before it is built a candidate may include only
 *
 *   <name>   a system header: no absolute path, no ".." component;
 *   "name"   a header of the repository: no absolute path, no ".."
 *            component, and a header file of that name (or ending in
 *            "/name") tracked in the commit the candidate is made on;
 *
 * and may not name the assembler's .incbin or .include directives, in
 * a string literal (escapes decoded, adjacent literals joined) or as
 * tokens (which a macro could turn into one), nor give asm a template
 * that is not a string literal. #include_next, #import and #embed are
 * refused, as is an #include whose operand a macro makes. The text is
 * read as the compiler's first phases do: trigraphs, digraphs (%:) and
 * backslash-newlines are understood.
 */

/*
 * Check code[0..len). is_header(arg, name) says whether the repository
 * has a header for the quoted name. Returns 0, or -1 with a sentence
 * naming the line (1-based, of code) and what is wrong appended to err.
 */
int includes_check(const char *code, size_t len,
		   int (*is_header)(void *arg, const char *name), void *arg,
		   struct sbuf *err);

#endif

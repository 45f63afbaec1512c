#ifndef PESQ_FOLDSYM_H
#define PESQ_FOLDSYM_H

#include <stdint.h>
#include <stddef.h>

#include "base/sbuf.h"

/*
 * The pieces of `perf script` text and the renaming rules of the folded
 * format, used by fold.c. Everything works on (pointer, length) spans of
 * the caller's line, without copying, unless it writes into an sbuf it
 * is given. Nothing here allocates except through those sbufs; nothing
 * fails except the parsers, which return -1 on a line they do not know.
 */

/* A frame line "  pc func (module)": spans into the line. */
struct foldsym_line {
	const char *pc, *fn, *mod;
	size_t pcn, fnn, modn;
};

/*
 * Split a frame line (trailing whitespace already removed). The pc is a
 * word (hex digits only when hexpc); the module is the last
 * " (...)" group, or, when the last space is inside the module's path,
 * the group whose '(' matches the last ')'; the function is what lies
 * between, possibly " ". 0, or -1 when the line is not a frame line.
 * A module with parentheses in its path ("/a (copy)/prog") comes out
 * cut ("copy)/prog"): foldsym_fix_module, which costs more, mends it.
 */
int foldsym_parse_frame(const char *p, size_t n, int hexpc,
			struct foldsym_line *fl);

/*
 * Mend the module of a parsed frame line whose path has parentheses in
 * it: the group whose '(' matches the last ')'. Only the function's end
 * and the module move.
 */
void foldsym_fix_module(struct foldsym_line *fl);

/*
 * The offset of the '(' that matches the ')' ending p[0, n), preceded
 * by a space (at 1 or later), or 0 when there is none.
 */
size_t foldsym_paren_module(const char *p, size_t n);

/* A sample header "comm pid[/tid] [cpu] time: [period] event: [rest]". */
struct foldsym_event {
	const char *comm, *pid, *tid, *ev, *rest;
	size_t commn, pidn, tidn, evn, restn;	/* evn 0: no event name */
	uint64_t period;			/* 1 when absent */
};

/* Split a sample header; 0, or -1 when it is not one. */
int foldsym_parse_event(const char *p, size_t n, struct foldsym_event *ev);

/* Length of s without a trailing "+0x<hex>" symbol offset. */
size_t foldsym_strip_offset(const char *s, size_t n);

/*
 * The name of an "[unknown]" symbol, into out (replacing it): "[dso]"
 * with the module's base name, "[unknown]" when the module is unknown
 * too, and with addrs "[dso <pc>]". Control characters of the name (a
 * newline in a path) become '?'.
 */
void foldsym_unknown(struct sbuf *out, const struct foldsym_line *fl,
		     int addrs);

/* Whether foldsym_tidy would change s (it holds ; ( ' or "). */
int foldsym_needs_tidy(const char *s, size_t n);

/*
 * The tidy rules, into out (replacing it): ';' becomes ':', the argument
 * list from the first top-level '(' on is cut (parentheses inside <>, {}
 * and [], Go's ".(", C++ "(anonymous namespace)" and the "<" and ">" of
 * C++ operator names are not argument lists), quotes are deleted.
 */
void foldsym_tidy(struct sbuf *out, const char *s, size_t n);

/* Whether s ends in a legacy Rust hash ("h" and 16 hex digits). */
int foldsym_is_rust_hashed(const char *s, size_t n);

/*
 * A legacy Rust symbol made readable, into out (replacing it): the hash
 * dropped, ".." -> "::", "$LT$" -> "<" and the other $...$ escapes.
 */
void foldsym_rust(struct sbuf *out, const char *s, size_t n);

/* Module tests for --kernel and --jit. */
int foldsym_is_kernel(const char *mod, size_t n);
int foldsym_is_jit(const char *mod, size_t n);

/*
 * Is the module a file of the program that its symbols and lines can be
 * read from: an absolute path, not the kernel's, a JIT's, an anonymous
 * mapping ("//anon") or a memfd?
 */
int foldsym_is_file(const char *mod, size_t n);

#endif

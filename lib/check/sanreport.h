#ifndef PESQ_SANREPORT_H
#define PESQ_SANREPORT_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * Reading what the sanitizers and libFuzzer print: where a report starts
 * and ends, what kind it is, a signature that stays the same when the
 * code around it moves (for "nothing new against the base"), and a
 * trimmed copy for the ledger and the correction prompt. Pure functions
 * on text; no I/O.
 */

enum sanreport_kind {
	SANREPORT_NONE,
	SANREPORT_ASAN,		/* AddressSanitizer (memory errors, SEGV) */
	SANREPORT_UBSAN,	/* UndefinedBehaviorSanitizer: runtime error */
	SANREPORT_LSAN,		/* LeakSanitizer: detected memory leaks */
	SANREPORT_TSAN,		/* ThreadSanitizer: data race and friends */
	SANREPORT_SIGNAL,	/* libFuzzer: deadly signal (abort(), ...) */
	SANREPORT_TIMEOUT,	/* libFuzzer: timeout after N seconds */
	SANREPORT_OOM,		/* libFuzzer: out-of-memory */
	SANREPORT_EXIT,		/* libFuzzer: fuzz target exited */
	SANREPORT_OTHER		/* another "ERROR:" of a sanitizer runtime */
};

struct sanreport {
	enum sanreport_kind kind;
	struct sbuf sig;	/* "AddressSanitizer: heap-buffer-overflow in f" */
	struct sbuf text;	/* the report, trimmed */
	struct sbuf where;	/* "table.c:31:2": the culprit frame's place */
	size_t start;		/* offset of the report in the text read */
};

#define SANREPORT_INIT { SANREPORT_NONE, SBUF_INIT, SBUF_INIT, SBUF_INIT, 0 }

void sanreport_release(struct sanreport *r);

/* Is the kind a sanitizer's (not libFuzzer's own crash, timeout, ...)? */
int sanreport_is_sanitizer(enum sanreport_kind k);

/*
 * Find the first report in s[0..n) at or after offset from and fill r
 * (released and set anew). The trimmed text runs from the report's first
 * line to its SUMMARY line (or at most max_lines lines and max_bytes
 * bytes), without the shadow-byte legend and BuildId noise, and with
 * every "prefix/" (a worktree's path, when prefix is not NULL) cut, so
 * that paths read as in the repository. Returns the offset just past
 * the report, or 0 when there is none (r->kind is SANREPORT_NONE).
 */
size_t sanreport_next(const char *s, size_t n, size_t from,
		      const char *prefix, size_t max_lines, size_t max_bytes,
		      struct sanreport *r);

/*
 * The last line the program printed itself before the report at
 * r->start in s (not a libFuzzer status line, not a sanitizer's): what a
 * check says with fprintf before abort(). Appended to out, at most 300
 * bytes; nothing when there is none.
 */
void sanreport_said(const char *s, const struct sanreport *r,
		    struct sbuf *out);

/* The one-line summary: the signature, and where ("table.c:31:2"). */
void sanreport_line(const struct sanreport *r, struct sbuf *out);

#endif

#ifndef PESQ_FOLD_H
#define PESQ_FOLD_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

#include "fold/stackmap.h"

/*
 * Collapse profiler text into folded stacks ("root;caller;callee count").
 * Input is `perf script` text (any perf version: event line then one
 * frame per line, leaf first, samples separated by blank lines, or the
 * frame on the event line itself) or folded stacks. Each input is read
 * with read(2) in large blocks and parsed in place; memory grows with the
 * number of distinct stacks and the longest line, not with the input.
 *
 *	struct fold *f = fold_new(&opts);
 *	fold_fd(f, 0, "-");		(for each input)
 *	fold_write(f, stdout);		(sorted bytewise)
 *	fold_free(f);
 */

enum fold_format { FOLD_AUTO, FOLD_PERF, FOLD_FOLDED };

#define FOLD_PID	0x01	/* root frame "comm-PID" */
#define FOLD_TID	0x02	/* root frame "comm-PID/TID" */
#define FOLD_KERNEL	0x04	/* "_[k]" on kernel frames */
#define FOLD_JIT	0x08	/* "_[j]" on JIT frames */
#define FOLD_ADDRS	0x10	/* "[dso <pc>]" for unknown symbols */
#define FOLD_SAMPLES	0x20	/* count samples, not periods */
#define FOLD_NO_DEMANGLE 0x40	/* leave legacy Rust symbols alone */
#define FOLD_RESOLVE	0x80	/* name [unknown] frames from the binary */
#define FOLD_INLINE	0x100	/* inlined functions as frames "f_[i]" */
#define FOLD_LINES	0x200	/* count the source lines of leaf frames */

/* What a warning is about; each kind is reported once per fold. */
enum fold_warn {
	FOLD_W_EVENT,		/* a line where a sample header was expected */
	FOLD_W_STACK,		/* a frame line that does not parse */
	FOLD_W_FOLDED,		/* a folded line without a count */
	FOLD_W_FILTER,		/* samples of another event type dropped */
	FOLD_W_OVERFLOW,	/* a count passed 2^64 - 1 (saturated) */
	FOLD_W_NKINDS
};

struct fold_opts {
	enum fold_format format;
	unsigned flags;
	const char *event_filter;	/* NULL: the first event type seen */
	const char *const *skip_after;	/* function names; NULL-terminated */
	/*
	 * Called once per kind, at its first occurrence, with the input's
	 * name, the line number and a message; NULL: no calls.
	 */
	void (*warn)(void *ctx, enum fold_warn kind, const char *name,
		     uintmax_t line, const char *msg);
	void *warn_ctx;
};

struct fold;

/* A new folder. The options are copied (strings are not: keep them). */
struct fold *fold_new(const struct fold_opts *opts);

/*
 * Read fd to its end and add its samples; name is used in messages.
 * Returns 0; FOLD_EINPUT when the input is binary or not in a known format
 * (fold_error() says where and why; what came before is kept); -1 on a
 * read error (errno set). Does not close fd.
 */
#define FOLD_EINPUT (-2)
int fold_fd(struct fold *f, int fd, const char *name);

/* Add len bytes of input text, as if read from a file called name. */
int fold_mem(struct fold *f, const char *buf, size_t len, const char *name);

/* The last FOLD_EINPUT message: "name:line: what". Owned by f. */
const char *fold_error(const struct fold *f);

/* How many lines of each kind were skipped or dropped so far. */
uintmax_t fold_count(const struct fold *f, enum fold_warn kind);

/* The stacks collected so far (for callers that want them directly). */
struct stackmap *fold_stacks(struct fold *f);

/*
 * Whether the call chains of the program's own code were whole, for the
 * warning about missing frame pointers: of the samples with a call graph
 * and frames outside the kernel, how many (n) and their count (user:
 * periods, or samples with FOLD_SAMPLES), and the count of those whose
 * chain there does not start at main, the C library's or a thread's
 * start (cut): perf lost the callers. example is the leaf function of
 * most of those, when one is (owned by f).
 */
struct fold_depth {
	uint64_t n, user, cut;
	const char *example;
};

void fold_depth(const struct fold *f, struct fold_depth *d);

/*
 * What stayed without a name in the binaries read for FOLD_RESOLVE and
 * FOLD_INLINE: for the i-th binary (from 0), its path, the distinct
 * addresses left without a name and the reason for most of them (an
 * enum elfaddr_why, see elfaddr.h), whether it has DWARF (-1: it could
 * not be read), and the count of the samples whose leaf frame is one of
 * them (of all, the sum of every stack's count). Returns 0, or -1 past
 * the last binary. Strings belong to f.
 */
struct fold_unnamed {
	const char *path;
	uint64_t addrs;
	int why;
	const char *why_str;	/* what it means and what to do */
	int dwarf;
	uint64_t leaf, all;
};

int fold_unnamed(struct fold *f, size_t i, struct fold_unnamed *u);

/*
 * Write the folded stacks sorted bytewise, one "stack count" a line.
 * Returns 0, or -1 on a write error (errno set).
 */
int fold_write(struct fold *f, FILE *out);

/*
 * With FOLD_LINES: write the source lines of the samples' leaf frames as
 * JSON lines, {"fn": F, "file": PATH, "line": N, "count": C}, F the leaf
 * frame as written in the stacks less a "_[i]"-style mark, by function
 * (bytewise), then heaviest first. PATH is what perf's srcline said
 * (perf script -F +srcline) or, without it, the binary's DWARF (the
 * compile-time path, absolute when the compile directory is known).
 * Returns 0, or -1 on a write error (errno set).
 */
int fold_write_lines(struct fold *f, FILE *out);

void fold_free(struct fold *f);

#endif

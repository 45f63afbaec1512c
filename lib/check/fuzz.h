#ifndef PESQ_FUZZ_H
#define PESQ_FUZZ_H

#include "base/hmap.h"
#include "base/sbuf.h"
#include "check/checkrun.h"
#include "check/harness.h"

/*
 * A differential check's program built and run with libFuzzer (clang's
 * -fsanitize=fuzzer,address,undefined), everything through checkrun: the
 * objects of a built tree it may link, the build, a run bounded in time,
 * and the replay of one input.
 */

/* The objects of a built tree, the symbols they define and need. */
struct fuzz_objs {
	char *dir;		/* the tree */
	char **path;		/* objects, relative to dir */
	char ***undef;		/* per object: undefined symbols, NULL-ended */
	unsigned char *has_main;	/* per object: it defines main */
	size_t n, cap;
	struct hmap def;	/* symbol -> (index + 1) of its first definer */
	struct harness_argv libs;	/* "-l:libz.so.1": what its programs load */
};

#define FUZZ_OBJS_INIT { NULL, NULL, NULL, NULL, 0, 0, HMAP_INIT, \
	{ NULL, 0, 0 } }

/*
 * List the object files (*.o) under dir and their global symbols with
 * nm, and the shared libraries its executables need (readelf), running
 * in work. Returns 0, or -1 with err set.
 */
int fuzz_objs_scan(const struct checkrun *c, const char *work,
		   const char *dir, struct fuzz_objs *o, struct sbuf *err);
void fuzz_objs_release(struct fuzz_objs *o);

struct fuzz_prog {
	const char *work;	/* writable directory of the build and runs */
	const char *name;	/* "cand", "orig": work/NAME.c and work/NAME */
	int cxx;		/* C++: clang++, NAME.cc */
	const struct harness_argv *flags;	/* for compiling the unit */
	const struct fuzz_objs *objs;		/* may be linked */
};

/*
 * Build the program from src[0..len): compile it, then link it with the
 * objects of p->objs it needs, transitively (an object that defines a
 * symbol the program defines itself, the unit's own object, is never
 * taken; `main` of an object taken is renamed away with objcopy).
 * Returns 0 when built; 1 when the build failed, with the compiler's or
 * linker's words in log; -1 when it could not run (log says why).
 */
int fuzz_build(const struct checkrun *c, const struct fuzz_prog *p,
	       const char *src, size_t len, struct sbuf *log);

struct fuzz_result {
	int found;		/* libFuzzer stopped on an input */
	struct sbuf log;	/* the end of libFuzzer's output */
	struct sbuf artifact;	/* path of the input it wrote */
	struct sbuf input;	/* its bytes */
	long runs;		/* inputs executed */
	double secs;
};

#define FUZZ_RESULT_INIT { 0, SBUF_INIT, SBUF_INIT, SBUF_INIT, 0, 0 }

void fuzz_result_release(struct fuzz_result *r);

/*
 * Run work/NAME under libFuzzer for `seconds` (seed as given), on the
 * corpus directory corpus (made when missing; libFuzzer adds what it
 * finds) and the read-only seed directory seeds (may be NULL). Returns 0
 * (r says what happened), -1 when it could not run (r->log says why).
 */
int fuzz_run(const struct checkrun *c, const char *work, const char *name,
	     const char *corpus, const char *seeds, double seconds,
	     unsigned long seed, struct fuzz_result *r);

/*
 * Run work/NAME on the one input in the file input; res holds its
 * output (the caller releases it). Returns 0, or -1 (errno).
 */
int fuzz_replay(const struct checkrun *c, const char *work, const char *name,
		const char *input, struct proc_res *res);

#endif

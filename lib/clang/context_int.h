#ifndef PESQ_CONTEXT_INT_H
#define PESQ_CONTEXT_INT_H

/*
 * Internal to the context module: what the AST walk (context.c) collects and
 * the writers (context_write.c) turn into JSON.
 */
#include "clang/context.h"
#include "base/hmap.h"

struct jw;

/* One entry of a ctx array. */
struct item {
	char *name;
	struct gitsrc_file *f;	/* NULL: outside the repository */
	char *path;		/* f's repository path, or libclang's name */
	unsigned start, end, line;
	unsigned decl_end;	/* where the declaration part ends */
	int full;		/* callees: code is the definition */
	int anon;		/* types: an anonymous struct, union, enum */
	const char *how;	/* callees: "call", "ref", "indirect" */
	char *decl;		/* callees outside the project: prototype */
};

struct list {
	struct item *v;
	size_t n, cap;
	struct hmap seen;
};

struct walk {
	const struct gitsrc *gs;
	const struct cparse_opts *opts;
	const struct context_def *def;
	struct list types, callees, globals, macros;
};

/*
 * Write l (types, or macros with prefix "#define ") as a JSON array to j:
 * each item of the repository as {name, file, line, code}, code being its
 * text between prefix and suffix; items nested in another, or shown
 * already (inside the function, or an anonymous type of a global), are
 * left out.
 */
void context_write_types(struct jw *j, const struct walk *w,
		      const struct list *l, const char *suffix,
		      const char *prefix);

/*
 * Write the callees array: each with how, body and code (definition,
 * declaration, prototype or null), the hot child ch (may be NULL) in full,
 * the function itself left out. Items of the child are updated in place.
 */
void context_write_callees(struct jw *j, struct walk *w,
			const struct context_child *ch);

/*
 * Write the globals array: each definition of the repository, without an
 * initialiser when it is larger than limit bytes.
 */
void context_write_globals(struct jw *j, const struct list *l, size_t limit);

#endif

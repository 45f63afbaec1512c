#ifndef PESQ_CANDITEMS_H
#define PESQ_CANDITEMS_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * A candidate's code read as a list of file-scope items, with the cscan
 * lexer (comments and literals skipped, braces and parentheses counted):
 * not a parse, so every answer is what the text says, not what a macro
 * could make of it. candidate.c judges the items (the rules are in
 * candrules.c).
 */
enum cand_kind {
	CI_FUNC,	/* a function definition: a head with a parameter
			   list, then a body in braces */
	CI_DECL,	/* a declaration up to its ';' */
	CI_DIRECTIVE,	/* a directive line */
	CI_NS_OPEN,	/* "namespace [name] {" */
	CI_NS_CLOSE,	/* the '}' that closes it */
};

/* A name an item declares: an identifier in the code. */
enum { CN_VAR, CN_FN, CN_TYPE };
struct cand_name {
	size_t off, len;
	int kind;	/* CN_VAR: a declarator's (a variable, or a typedef
			   name); CN_FN: a function's (declared or
			   defined); CN_TYPE: a tag or an enum constant */
};

struct cand_item {
	int kind;
	size_t start, end;	/* its bytes in the code */
	int is_static, is_extern, is_typedef, is_using, is_type;
	int anon;		/* inside an anonymous namespace */
	size_t name, nname;	/* names[name .. name + nname) */
	size_t ns_name, ns_len;	/* CI_NS_OPEN: the namespace's name */
};

struct cand_items {
	struct cand_item *v;
	size_t n, cap;
	struct cand_name *names;
	size_t nnames, capn;
};

#define CAND_ITEMS_INIT { NULL, 0, 0, NULL, 0, 0 }

/*
 * Read s[0..n) into items. For a CI_FUNC the name is the identifier (or
 * qualified name) before its parameter list; a CI_DECL has the names of
 * its declarators (the function of a prototype, variables, typedef
 * names), the tag of a struct, union, enum or class it defines, and the
 * constants of an enum. Returns 0, or -1 with a message naming the line
 * (unbalanced braces, a Markdown fence, text that does not end) appended
 * to err; fn (the target's name) is used for messages only.
 */
int cand_items_read(const char *s, size_t n, const char *fn,
		    struct cand_items *out, struct sbuf *err);

void cand_items_release(struct cand_items *it);

#endif

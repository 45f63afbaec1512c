#ifndef PESQ_CSCAN_H
#define PESQ_CSCAN_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * Cheap textual scanning of C and C++ source, without a compiler: the
 * prefilter that decides which translation units are worth parsing, the
 * finder of call sites across a repository, and the reading of function
 * names as profilers print them. Comments, string and character literals
 * and preprocessor directive lines are skipped; no macro is expanded, so
 * every answer is a good guess, not a proof.
 */

/*
 * The lexer underneath, for other scanners (candidate.c): tokens are
 * identifiers (keywords too), literals (numbers, strings, characters),
 * single punctuation characters ("::" and "->" whole) and directive
 * lines (from '#' at the start of a line to its unescaped end). Comments
 * and blanks are skipped. After cscan_lex_next, the token is s[tok..tok+len).
 */
enum { CSCAN_EOF, CSCAN_IDENT, CSCAN_PUNCT, CSCAN_LIT, CSCAN_DIRECTIVE };

struct cscan_lex {
	const char *s;
	size_t n, i;
	int bol;		/* only blanks since the last newline */
	size_t tok, len;	/* the last token */
};

void cscan_lex_init(struct cscan_lex *l, const char *s, size_t n);

/* The next token's type (CSCAN_EOF at the end). */
int cscan_lex_next(struct cscan_lex *l);

/* Is there a whole-word (identifier) occurrence of w in s[0..n)? */
int cscan_has_word(const char *s, size_t n, const char *w);

/*
 * A function definition found in text: the declaration starts at start
 * (its first token after the previous declaration, a directive line or a
 * comment), name is the identifier (or qualified name, A::b) before its
 * parameter list, body the offset of '{' and end one past the matching
 * '}'.
 */
struct cscan_fn {
	size_t start;
	size_t name_off, name_len;
	size_t body, end;
};

/*
 * Every function definition in s[0..n), in order, into *out (the caller
 * frees it). Returns their number.
 */
size_t cscan_functions(const char *s, size_t n, struct cscan_fn **out);

/*
 * Offsets of the call sites of w in s[0..n): the identifier w followed by
 * '(', or by template arguments and '(' ("w<int>(x)"), in code (not
 * after '.' or '->' when members is 0). Into *out (the caller frees it);
 * returns their number.
 */
size_t cscan_calls(const char *s, size_t n, const char *w, int members,
		   size_t **out);

/*
 * Does the text of the function name name_off..name_len in s name w, that
 * is, is its last '::' component w?
 */
int cscan_name_is(const char *s, const struct cscan_fn *fn, const char *w);

/*
 * Read a function name as perf prints it ("ns::Box<int>::get(int) const",
 * "foo.isra.0", "(anonymous namespace)::f") into the qualified name
 * without template arguments, parameters, clone suffixes and anonymous
 * namespaces ("ns::Box::get"), written to qual (reset first). Returns the
 * number of parameters when a parameter list was given, -1 when not.
 */
int cscan_fn_name(const char *fn, struct sbuf *qual);

/* The last '::' component of a qualified name (a pointer into it). */
const char *cscan_last_component(const char *qual);

/*
 * Where the declaration whose first token (as a compiler reports it) is
 * at off really starts: off moved back over the attribute groups
 * (__attribute__((...)), [[...]], __declspec(...), alignas(...)) and bare
 * identifiers (storage classes, macros such as HOT or API) that come
 * after the previous declaration, directive line or comment. A preceding
 * comment is never included; a macro call with arguments stops the walk.
 */
size_t cscan_decl_prefix(const char *s, size_t n, size_t off);

/*
 * Append the #define directives of s[0..n) to out, one a line (with
 * their continuations), when s has one that pastes tokens ("##") or when
 * all is set. Returns 1 when s pastes tokens in a directive, else 0.
 */
int cscan_defines(const char *s, size_t n, int all, struct sbuf *out);

/*
 * Could a macro that pastes tokens make the identifier w in s[0..n)?
 * That is, is w a piece that s has as a whole word (a macro argument,
 * "update" of NS(update)) with the rest of w before and after it (the
 * pasted text, "lz_" of lz_##x) found in defs, the #define lines of the
 * sources? Pieces are cut next to '_' and where lower case turns upper.
 */
int cscan_paste_could_make(const char *w, const char *defs, size_t ndefs,
			   const char *s, size_t n);

/* 1-based line number of offset off in s. */
unsigned long cscan_line(const char *s, size_t off);

#endif

/*
 * A candidate's file-scope items, read with the cscan lexer.
 */
#include <stdlib.h>
#include <string.h>

#include "source/canditems.h"
#include "source/cscan.h"
#include "base/xalloc.h"

#define NS_MAX 32

static int
tok_is(const struct cscan_lex *l, const char *w)
{
	return strlen(w) == l->len && !memcmp(l->s + l->tok, w, l->len);
}

static int
in_list(const char *s, size_t len, const char *const *kw)
{
	for (size_t i = 0; kw[i]; i++)
		if (strlen(kw[i]) == len && !memcmp(kw[i], s, len))
			return 1;
	return 0;
}

/* Words before '(' that do not name what is declared. */
static int
not_a_name(const char *s, size_t len)
{
	static const char *const kw[] = {
		"__attribute__", "__attribute", "alignas", "_Alignas",
		"__declspec", "decltype", "typeof", "__typeof__", "__typeof",
		"_Static_assert", "static_assert", "noexcept", "throw",
		"__asm__", "asm", "__asm", "sizeof", "_Alignof", "alignof",
		"_Atomic", "__extension__", NULL,
	};

	return in_list(s, len, kw);
}

/* Keywords that are never the name of what is declared. */
static int
is_keyword(const char *s, size_t len)
{
	static const char *const kw[] = {
		"static", "extern", "const", "volatile", "inline", "__inline",
		"__inline__", "restrict", "__restrict", "__restrict__",
		"unsigned", "signed", "int", "long", "short", "char", "float",
		"double", "void", "_Bool", "bool", "_Complex", "struct",
		"union", "enum", "class", "typedef", "register", "auto",
		"_Thread_local", "thread_local", "__thread", "constexpr",
		"typename", "mutable", "virtual", "explicit", "friend",
		"_Noreturn", "template", "using", "namespace", "operator",
		NULL,
	};

	return in_list(s, len, kw) || not_a_name(s, len);
}

static unsigned long
line_of(const char *s, size_t off)
{
	return cscan_line(s, off);
}

static void
add_name(struct cand_items *it, size_t off, size_t len, int kind)
{
	XGROW(it->names, it->nnames + 1, it->capn);
	it->names[it->nnames].off = off;
	it->names[it->nnames].len = len;
	it->names[it->nnames].kind = kind;
	it->nnames++;
}

/*
 * The names of a declaration s[b..e): split at top-level commas, each
 * declarator's name is the last identifier before '=', '[', ':' or its
 * end, or the one before a parameter list, or the one inside a
 * parenthesized declarator "(*name)"; struct, union, enum and class
 * bodies give their tag and an enum's constants. Angle brackets after an
 * identifier (template arguments) are skipped.
 */
static void
decl_names(const char *s, size_t b, size_t e, struct cand_item *item,
	   struct cand_items *it)
{
	struct cscan_lex l;
	size_t last = 0, lastlen = 0, prev = 0, prevlen = 0;
	int t, init = 0, done = 0, paren = 0, angle = 0, brace = 0;
	int grp = 0, tag = 0, is_enum = 0, enum_item = 0, prev_ident = 0;

	item->name = it->nnames;
	cscan_lex_init(&l, s, e);
	l.i = b;
	while ((t = cscan_lex_next(&l)) != CSCAN_EOF) {
		char c = t == CSCAN_PUNCT && l.len == 1 ? s[l.tok] : 0;

		if (t == CSCAN_DIRECTIVE)
			continue;
		if (brace) {
			/* inside a struct, union or enum body */
			if (c == '{' || c == '(')
				brace++;
			else if (c == '}' || c == ')')
				brace--;
			if (brace == 0) {
				is_enum = 0;
				continue;
			}
			if (is_enum && brace == 1) {
				if (c == ',')
					enum_item = 1;
				else if (t == CSCAN_IDENT && enum_item) {
					add_name(it, l.tok, l.len, CN_TYPE);
					enum_item = 0;
				} else {
					enum_item = 0;
				}
			}
			continue;
		}
		if (angle) {
			if (c == '<')
				angle++;
			else if (c == '>')
				angle--;
			continue;
		}
		if (init) {
			/* an initializer: skip to the next top-level ',' */
			if (c == '(' || c == '{' || c == '[')
				paren++;
			else if ((c == ')' || c == '}' || c == ']') && paren)
				paren--;
			else if (c == ',' && !paren)
				init = done = 0, last = lastlen = 0;
			continue;
		}
		if (grp) {
			/* inside "(": a declarator "(*name...)" or skipped */
			if (c == '(')
				grp++;
			else if (c == ')')
				grp--;
			else if (t == CSCAN_IDENT && grp == 1 && !done &&
				 !is_keyword(s + l.tok, l.len))
				last = l.tok, lastlen = l.len;
			else if ((c == '[' || c == '(') && lastlen)
				done = 1;
			if (grp == 0 && lastlen && !done) {
				add_name(it, last, lastlen, CN_VAR);
				done = 1;
			}
			continue;
		}
		if (t == CSCAN_IDENT && (tok_is(&l, "struct") ||
		    tok_is(&l, "union") || tok_is(&l, "enum") ||
		    tok_is(&l, "class"))) {
			tag = 1;
			is_enum = tok_is(&l, "enum");
			prev_ident = 0;
			continue;
		}
		if (tag && t == CSCAN_IDENT && !is_keyword(s + l.tok, l.len)) {
			prev = l.tok, prevlen = l.len;
			tag = 2;
			continue;
		}
		if (tag && c == '{') {
			if (tag == 2) {
				add_name(it, prev, prevlen, CN_TYPE);
			}
			item->is_type = 1;
			brace = 1;
			enum_item = 1;
			tag = 0;
			continue;
		}
		if (tag && c == ':' && is_enum)
			continue;	/* enum e : int { */
		tag = 0;
		if (done && c != ',')
			continue;
		if (t == CSCAN_IDENT) {
			prev = l.tok, prevlen = l.len;
			prev_ident = !is_keyword(s + l.tok, l.len);
			if (prev_ident)
				last = l.tok, lastlen = l.len;
			continue;
		}
		if (c == '<' && t == CSCAN_PUNCT && prev_ident) {
			angle = 1;
			continue;
		}
		if (c == '(') {
			if (prev_ident && lastlen) {
				add_name(it, last, lastlen, CN_FN);
				done = 1;
				paren = 0;
				init = 0;
				/* skip the parameters */
				grp = 1;
				lastlen = 1;
				continue;
			}
			if (prevlen && not_a_name(s + prev, prevlen)) {
				/* an attribute: skipped, naming goes on */
				int k = 1;

				while (k && (t = cscan_lex_next(&l)) !=
				       CSCAN_EOF) {
					c = t == CSCAN_PUNCT ? s[l.tok] : 0;
					k += (c == '(') - (c == ')');
				}
				prev_ident = 0;
				prevlen = 0;
				continue;
			}
			grp = 1;
			lastlen = 0;
			continue;
		}
		prev_ident = 0;
		if (c == '[' || c == '=' || c == ':' || c == ',' || c == ';') {
			if (lastlen && !done)
				add_name(it, last, lastlen, CN_VAR);
			done = 1;
			if (c == '=' || c == '[' || c == ':')
				init = 1, paren = c == '[';
			if (c == ',')
				done = 0, last = lastlen = 0;
		}
	}
	item->nname = it->nnames - item->name;
}

/*
 * The name before a function's parameter list at s[b..e): the
 * identifier before the first top-level '(' that is not an attribute,
 * with a qualification ("A::B::~c").
 */
static void
fn_name(const char *s, size_t b, size_t e, struct cand_item *item,
	struct cand_items *it)
{
	struct cscan_lex l;
	size_t last = 0, lastlen = 0, q = 0;
	int t, prev_ident = 0, skip = 0, angle = 0;

	item->name = it->nnames;
	cscan_lex_init(&l, s, e);
	l.i = b;
	while ((t = cscan_lex_next(&l)) != CSCAN_EOF && l.tok < e) {
		char c = t == CSCAN_PUNCT && l.len == 1 ? s[l.tok] : 0;

		if (skip) {
			if (c == '(')
				skip++;
			else if (c == ')')
				skip--;
			continue;
		}
		if (angle) {
			if (c == '<')
				angle++;
			else if (c == '>')
				angle--;
			continue;
		}
		if (t == CSCAN_IDENT) {
			if (prev_ident != 2)
				q = l.tok;
			last = l.tok, lastlen = l.len;
			prev_ident = 1;
			continue;
		}
		if (t == CSCAN_PUNCT && l.len == 2 && s[l.tok] == ':') {
			prev_ident = 2;	/* "::": the name goes on */
			continue;
		}
		if (c == '~' && prev_ident == 2)
			continue;
		if (c == '<' && lastlen == 8 &&
		    !memcmp(s + last, "template", 8)) {
			angle = 1;
			lastlen = 0;
			continue;
		}
		if (c == '(') {
			if (prev_ident == 1 && !not_a_name(s + last, lastlen)) {
				add_name(it, q, last + lastlen - q, CN_FN);
				break;
			}
			skip = 1;
		}
		prev_ident = 0;
	}
	item->nname = it->nnames - item->name;
}

static void
push(struct cand_items *it, const struct cand_item *item)
{
	XGROW(it->v, it->n + 1, it->cap);
	it->v[it->n++] = *item;
}

/* Storage classes and the like, at the top level of an item. */
static void
flags(const char *s, size_t b, size_t e, struct cand_item *item)
{
	struct cscan_lex l;
	int t, depth = 0;

	cscan_lex_init(&l, s, e);
	l.i = b;
	while ((t = cscan_lex_next(&l)) != CSCAN_EOF && l.tok < e) {
		char c = t == CSCAN_PUNCT && l.len == 1 ? s[l.tok] : 0;

		if (c == '(' || c == '{' || c == '[')
			depth++;
		else if ((c == ')' || c == '}' || c == ']') && depth)
			depth--;
		if (depth || t != CSCAN_IDENT)
			continue;
		if (tok_is(&l, "static"))
			item->is_static = 1;
		else if (tok_is(&l, "extern"))
			item->is_extern = 1;
		else if (tok_is(&l, "typedef"))
			item->is_typedef = 1;
		else if (tok_is(&l, "using") && l.tok == b)
			item->is_using = 1;
	}
}

int
cand_items_read(const char *s, size_t n, const char *fn,
		struct cand_items *out, struct sbuf *err)
{
	struct cscan_lex l;
	struct cand_item cur;
	int ns[NS_MAX], nns = 0, anon = 0;
	int t, started = 0, depth = 0, paren = 0, body = 0, eq = 0;
	int fnparen = 0, is_ns = 0, ntok = 0, tpl = 0, angle = 0;
	size_t prev = 0, prevlen = 0, ns_name = 0, ns_len = 0;
	int prev_ident = 0;

	cscan_lex_init(&l, s, n);
	while ((t = cscan_lex_next(&l)) != CSCAN_EOF) {
		char c = t == CSCAN_PUNCT && l.len == 1 ? s[l.tok] : 0;

		if (t == CSCAN_DIRECTIVE && !started) {
			memset(&cur, 0, sizeof(cur));
			cur.kind = CI_DIRECTIVE;
			cur.start = l.tok;
			cur.end = l.tok + l.len;
			cur.anon = anon;
			push(out, &cur);
			continue;
		}
		if (t == CSCAN_DIRECTIVE)
			continue;
		if (c == '`') {
			sbuf_addf(err, "candidate has '`' (line %lu of the "
				  "reply): a Markdown fence is not code",
				  line_of(s, l.tok));
			return -1;
		}
		if (!started) {
			if (c == '}' && nns) {
				memset(&cur, 0, sizeof(cur));
				cur.kind = CI_NS_CLOSE;
				cur.start = l.tok;
				cur.end = l.i;
				push(out, &cur);
				anon -= ns[--nns];
				continue;
			}
			if (c == '}' || c == ';') {
				if (c == ';')
					continue;	/* a stray ';' */
				sbuf_addf(err, "candidate has unbalanced "
					  "braces (line %lu of the reply)",
					  line_of(s, l.tok));
				return -1;
			}
			memset(&cur, 0, sizeof(cur));
			cur.start = l.tok;
			cur.anon = anon;
			started = 1;
			depth = paren = body = eq = fnparen = ntok = 0;
			tpl = angle = is_ns = prev_ident = 0;
			prevlen = 0;
		}
		ntok++;
		if (depth == 0 && paren == 0) {
			if (t == CSCAN_IDENT && ntok == 1 &&
			    tok_is(&l, "namespace"))
				is_ns = 1, ns_len = 0;
			else if (t == CSCAN_IDENT && ntok == 1 &&
				 tok_is(&l, "template"))
				tpl = 1;
			else if (is_ns && t == CSCAN_IDENT && !ns_len)
				ns_name = l.tok, ns_len = l.len;
			if (tpl == 1 && c == '<') {
				angle++;
				tpl = 2;
			} else if (angle && c == '<') {
				angle++;
			} else if (angle && c == '>') {
				angle--;
			}
		}
		if (c == '(') {
			if (depth == 0 && paren == 0 && !angle && prev_ident &&
			    !not_a_name(s + prev, prevlen))
				fnparen = 1;
			paren++;
		} else if (c == ')') {
			if (paren)
				paren--;
		} else if (c == '=' && depth == 0 && paren == 0 && !angle) {
			eq = 1;
		} else if (c == ';' && depth == 0 && paren == 0) {
			if (is_ns) {
				/* namespace alias: a declaration */
				is_ns = 0;
			}
			cur.kind = CI_DECL;
			cur.end = l.i;
			flags(s, cur.start, cur.end, &cur);
			decl_names(s, cur.start, cur.end, &cur, out);
			push(out, &cur);
			started = 0;
			continue;
		} else if (c == '{') {
			if (depth == 0 && paren == 0 && is_ns) {
				if (nns == NS_MAX) {
					sbuf_addf(err, "candidate nests "
						  "namespaces too deep (line "
						  "%lu of the reply)",
						  line_of(s, l.tok));
					return -1;
				}
				cur.kind = CI_NS_OPEN;
				cur.end = l.i;
				cur.ns_name = ns_name;
				cur.ns_len = ns_len;
				push(out, &cur);
				ns[nns++] = !ns_len;
				anon += !ns_len;
				started = 0;
				continue;
			}
			if (depth == 0 && paren == 0 && fnparen && !eq)
				body = 1;
			depth++;
		} else if (c == '}') {
			if (depth == 0) {
				sbuf_addf(err, "candidate has unbalanced "
					  "braces (line %lu of the reply)",
					  line_of(s, l.tok));
				return -1;
			}
			if (--depth == 0 && paren == 0 && body) {
				cur.kind = CI_FUNC;
				cur.end = l.i;
				flags(s, cur.start, cur.end, &cur);
				fn_name(s, cur.start, cur.end, &cur, out);
				push(out, &cur);
				started = 0;
				continue;
			}
		}
		prev_ident = t == CSCAN_IDENT;
		if (prev_ident)
			prev = l.tok, prevlen = l.len;
	}
	if (started) {
		struct cand_items tmp = CAND_ITEMS_INIT;

		if (body) {
			fn_name(s, cur.start, n, &cur, &tmp);
			sbuf_addf(err, "candidate body of '%.*s' has "
				  "unbalanced braces",
				  (int)(tmp.nnames ? tmp.names[0].len :
					strlen(fn)),
				  tmp.nnames ? s + tmp.names[0].off : fn);
		} else if (fnparen) {
			fn_name(s, cur.start, n, &cur, &tmp);
			sbuf_addf(err, "candidate has no body for '%.*s'",
				  (int)(tmp.nnames ? tmp.names[0].len :
					strlen(fn)),
				  tmp.nnames ? s + tmp.names[0].off : fn);
		} else {
			sbuf_addf(err, "candidate has text that does not end "
				  "with ';' or a body (line %lu of the "
				  "reply)", line_of(s, cur.start));
		}
		cand_items_release(&tmp);
		return -1;
	}
	if (nns) {
		sbuf_adds(err, "candidate does not close its namespace");
		return -1;
	}
	return 0;
}

void
cand_items_release(struct cand_items *it)
{
	free(it->v);
	free(it->names);
	it->v = NULL;
	it->names = NULL;
	it->n = it->cap = it->nnames = it->capn = 0;
}

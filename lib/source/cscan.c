/*
 * Textual scanning of C and C++: a small lexer that skips comments,
 * literals and directive lines, and what can be read off its tokens.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "source/cscan.h"
#include "base/xalloc.h"

enum {
	T_EOF = CSCAN_EOF, T_IDENT = CSCAN_IDENT, T_PUNCT = CSCAN_PUNCT,
	T_LIT = CSCAN_LIT, T_DIRECTIVE = CSCAN_DIRECTIVE
};

static int
is_ident(int c)
{
	return isalnum(c) || c == '_' || c == '$' || (c & 0x80);
}

/* Skip to the end of a line, honouring backslash continuations. */
static void
skip_line(struct cscan_lex *l)
{
	while (l->i < l->n && l->s[l->i] != '\n') {
		if (l->s[l->i] == '\\' && l->i + 1 < l->n &&
		    l->s[l->i + 1] == '\n')
			l->i++;
		else if (l->s[l->i] == '/' && l->i + 1 < l->n &&
			 l->s[l->i + 1] == '*') {
			/* a block comment may span lines of a directive */
			const char *e = NULL;

			if (l->i + 2 < l->n)
				e = memmem(l->s + l->i + 2, l->n - l->i - 2,
					   "*/", 2);
			l->i = e ? (size_t)(e - l->s) + 1 : l->n;
		}
		l->i++;
	}
}

static int
next(struct cscan_lex *l)
{
	const char *s = l->s;

	for (;;) {
		if (l->i >= l->n)
			return T_EOF;
		if (s[l->i] == '\n') {
			l->bol = 1;
			l->i++;
		} else if (isspace((unsigned char)s[l->i])) {
			l->i++;
		} else if (s[l->i] == '/' && l->i + 1 < l->n &&
			   s[l->i + 1] == '/') {
			skip_line(l);
		} else if (s[l->i] == '/' && l->i + 1 < l->n &&
			   s[l->i + 1] == '*') {
			const char *e = NULL;

			if (l->i + 2 < l->n)
				e = memmem(s + l->i + 2, l->n - l->i - 2,
					   "*/", 2);
			l->i = e ? (size_t)(e - s) + 2 : l->n;
		} else if (s[l->i] == '\\' && l->i + 1 < l->n &&
			   s[l->i + 1] == '\n') {
			l->i += 2;
		} else {
			break;
		}
	}
	l->tok = l->i;
	if (s[l->i] == '#' && l->bol) {
		skip_line(l);
		l->len = l->i - l->tok;
		return T_DIRECTIVE;
	}
	l->bol = 0;
	if (s[l->i] == '"' || s[l->i] == '\'') {
		char q = s[l->i++];

		while (l->i < l->n && s[l->i] != q && s[l->i] != '\n') {
			if (s[l->i] == '\\' && l->i + 1 < l->n)
				l->i++;
			l->i++;
		}
		if (l->i < l->n && s[l->i] == q)
			l->i++;
		l->len = l->i - l->tok;
		return T_LIT;
	}
	if (is_ident((unsigned char)s[l->i])) {
		int num = isdigit((unsigned char)s[l->i]);

		while (l->i < l->n && is_ident((unsigned char)s[l->i]))
			l->i++;
		l->len = l->i - l->tok;
		return num ? T_LIT : T_IDENT;
	}
	if (s[l->i] == ':' && l->i + 1 < l->n && s[l->i + 1] == ':') {
		l->i += 2;
		l->len = 2;
		return T_PUNCT;
	}
	if (s[l->i] == '-' && l->i + 1 < l->n && s[l->i + 1] == '>') {
		l->i += 2;
		l->len = 2;
		return T_PUNCT;
	}
	l->i++;
	l->len = 1;
	return T_PUNCT;
}

static void
lex_init(struct cscan_lex *l, const char *s, size_t n)
{
	l->s = s;
	l->n = n;
	l->i = 0;
	l->bol = 1;
	l->tok = l->len = 0;
}

void
cscan_lex_init(struct cscan_lex *l, const char *s, size_t n)
{
	lex_init(l, s, n);
}

int
cscan_lex_next(struct cscan_lex *l)
{
	return next(l);
}

static int
word_at(const char *s, size_t n, size_t at, size_t wlen)
{
	return (at == 0 || !is_ident((unsigned char)s[at - 1])) &&
		(at + wlen >= n || !is_ident((unsigned char)s[at + wlen]));
}

int
cscan_has_word(const char *s, size_t n, const char *w)
{
	size_t wlen = strlen(w), i = 0;
	const char *p;

	if (!wlen)
		return 0;
	while (i < n && (p = memmem(s + i, n - i, w, wlen))) {
		size_t at = (size_t)(p - s);

		if (word_at(s, n, at, wlen))
			return 1;
		i = at + 1;
	}
	return 0;
}

static int
is_tok(const struct cscan_lex *l, const char *t)
{
	return strlen(t) == l->len && !memcmp(l->s + l->tok, t, l->len);
}

/* Words that take a parenthesised operand but do not name a function. */
static int
not_a_name(const char *s, size_t len)
{
	static const char *const kw[] = {
		"if", "for", "while", "switch", "catch", "sizeof", "return",
		"__attribute__", "__attribute", "alignas", "_Alignas",
		"__declspec", "decltype", "typeof", "__typeof__", "defined",
		"_Static_assert", "static_assert", "noexcept", "throw",
		"__asm__", "asm", "__asm", NULL,
	};
	size_t i;

	for (i = 0; kw[i]; i++)
		if (strlen(kw[i]) == len && !memcmp(kw[i], s, len))
			return 1;
	return 0;
}

size_t
cscan_functions(const char *s, size_t n, struct cscan_fn **out)
{
	struct cscan_lex l;
	struct cscan_fn *fns = NULL, cur;
	size_t nfns = 0, cap = 0;
	size_t prev_ident = 0, prev_len = 0;	/* identifier before '(' */
	size_t decl_start = (size_t)-1;
	int t, depth = 0, pdepth = 0, body_depth = -1;
	int have = 0, frozen = 0, prev_was_ident = 0;

	memset(&cur, 0, sizeof(cur));
	lex_init(&l, s, n);
	while ((t = next(&l)) != T_EOF) {
		if (body_depth >= 0) {
			/* inside a function body: only braces matter */
			if (t == T_PUNCT && s[l.tok] == '{')
				depth++;
			else if (t == T_PUNCT && s[l.tok] == '}' &&
				 --depth == body_depth) {
				cur.end = l.i;
				XGROW(fns, nfns + 1, cap);
				fns[nfns++] = cur;
				body_depth = -1;
				decl_start = (size_t)-1;
				have = frozen = 0;
			}
			continue;
		}
		if (t == T_DIRECTIVE) {
			if (!pdepth) {
				decl_start = (size_t)-1;
				have = frozen = 0;
			}
			continue;
		}
		if (decl_start == (size_t)-1)
			decl_start = l.tok;
		if (t == T_PUNCT && s[l.tok] == '(') {
			if (pdepth++ == 0 && !frozen && prev_was_ident &&
			    !not_a_name(s + prev_ident, prev_len)) {
				size_t b = prev_ident;

				/* take in a qualified name: A::B::~c */
				for (;;) {
					size_t j = b;

					while (j > 0 && (s[j - 1] == '~' ||
					       isspace((unsigned char)s[j - 1])))
						j--;
					if (j < 2 || s[j - 1] != ':' ||
					    s[j - 2] != ':')
						break;
					j -= 2;
					while (j > 0 && isspace(
					       (unsigned char)s[j - 1]))
						j--;
					if (!j || !is_ident((unsigned char)
							    s[j - 1]))
						break;
					while (j > 0 && is_ident(
					       (unsigned char)s[j - 1]))
						j--;
					b = j;
				}
				cur.start = decl_start;
				cur.name_off = b;
				cur.name_len = prev_ident + prev_len - b;
				have = 1;
			}
		} else if (t == T_PUNCT && s[l.tok] == ')') {
			if (pdepth > 0)
				pdepth--;
		} else if (t == T_PUNCT && !pdepth && s[l.tok] == '{') {
			if (have) {
				cur.body = l.tok;
				body_depth = depth;
			} else {
				decl_start = (size_t)-1;
			}
			depth++;
			frozen = 0;
		} else if (t == T_PUNCT && !pdepth &&
			   (s[l.tok] == ';' || s[l.tok] == '}' ||
			    s[l.tok] == '=' || s[l.tok] == ',')) {
			if (s[l.tok] == '}' && depth > 0)
				depth--;
			if (s[l.tok] != ',' || !frozen) {
				have = frozen = 0;
				if (s[l.tok] != '=' && s[l.tok] != ',')
					decl_start = (size_t)-1;
			}
		} else if (t == T_PUNCT && !pdepth && s[l.tok] == ':' &&
			   have) {
			frozen = 1;	/* a constructor's initialisers */
		} else if (t == T_PUNCT && !pdepth && s[l.tok] == ':') {
			/* "public:" and the like end a declaration */
			decl_start = (size_t)-1;
		}
		prev_was_ident = t == T_IDENT;
		if (t == T_IDENT) {
			prev_ident = l.tok;
			prev_len = l.len;
		}
	}
	*out = fns;
	return nfns;
}

size_t
cscan_calls(const char *s, size_t n, const char *w, int members,
	    size_t **out)
{
	struct cscan_lex l;
	size_t *offs = NULL, noffs = 0, cap = 0, cand = 0;
	int t, after_member = 0, angle = 0, ntok = 0;
	/* 1: saw w; 2: in its template arguments; 3: after them */
	int state = 0;

	*out = NULL;
	if (!cscan_has_word(s, n, w))
		return 0;
	lex_init(&l, s, n);
	while ((t = next(&l)) != T_EOF) {
		char c = t == T_PUNCT && l.len == 1 ? s[l.tok] : 0;

		if (state == 2) {
			/* w<...>( : a call of a template */
			if (c == '<')
				angle++;
			else if (c == '>' && --angle == 0)
				state = 3;
			else if (c == ';' || c == '{' || c == '}' ||
				 ++ntok > 64)
				state = 0;
			continue;
		}
		if ((state == 1 || state == 3) && c == '(') {
			XGROW(offs, noffs + 1, cap);
			offs[noffs++] = cand;
		}
		if (state == 1 && c == '<') {
			state = 2;
			angle = 1;
			ntok = 0;
			continue;
		}
		state = 0;
		if (t == T_IDENT && is_tok(&l, w) && (members || !after_member)) {
			state = 1;
			cand = l.tok;
		}
		after_member = t == T_PUNCT && (is_tok(&l, ".") ||
						is_tok(&l, "->"));
	}
	*out = offs;
	return noffs;
}

int
cscan_name_is(const char *s, const struct cscan_fn *fn, const char *w)
{
	size_t wlen = strlen(w), nl = fn->name_len;

	if (nl < wlen || memcmp(s + fn->name_off + nl - wlen, w, wlen))
		return 0;
	return nl == wlen || s[fn->name_off + nl - wlen - 1] == ':';
}

/* Skip a balanced group opening at s[i] (one of "(<["); index after it. */
static size_t
skip_group(const char *s, size_t i)
{
	int depth = 0;

	for (; s[i]; i++) {
		if (s[i] == '(' || s[i] == '<' || s[i] == '[')
			depth++;
		else if ((s[i] == ')' || s[i] == '>' || s[i] == ']') &&
			 --depth == 0)
			return i + 1;
	}
	return i;
}

int
cscan_fn_name(const char *fn, struct sbuf *qual)
{
	static const char anon[] = "(anonymous namespace)::";
	const char *p;
	size_t i, len;
	int nparams = -1;

	sbuf_reset(qual);
	p = strstr(fn, " [clone");
	len = p ? (size_t)(p - fn) : strlen(fn);
	for (i = 0; i < len; ) {
		if (!strncmp(fn + i, anon, sizeof(anon) - 1)) {
			i += sizeof(anon) - 1;
		} else if (!strncmp(fn + i, "operator", 8) &&
			   !is_ident((unsigned char)fn[i + 8]) &&
			   (!i || !is_ident((unsigned char)fn[i - 1]))) {
			/* copy the operator's own symbol, then go on */
			size_t j = i + 8;

			if (fn[j] == '(' && fn[j + 1] == ')')
				j += 2;
			while (j < len && fn[j] != '(' &&
			       (j == i + 8 || fn[j] != '<' ||
				strchr("<=", fn[j - 1])))
				j++;
			sbuf_add(qual, fn + i, j - i);
			i = j;
		} else if (fn[i] == '<') {
			i = skip_group(fn, i);
		} else if (fn[i] == '(') {
			size_t e = skip_group(fn, i);
			size_t k;
			int depth = 0;

			nparams = 0;
			for (k = i + 1; k + 1 < e; k++) {
				if (!isspace((unsigned char)fn[k]) && !nparams)
					nparams = 1;
				if (strchr("(<[", fn[k]))
					depth++;
				else if (strchr(")>]", fn[k]))
					depth--;
				else if (fn[k] == ',' && !depth)
					nparams++;
			}
			if (!strncmp(fn + i + 1, "void)", 5))
				nparams = 0;
			break;	/* qualifiers after the parameters go too */
		} else if (fn[i] == ' ' && !strstr(qual->buf, "operator")) {
			sbuf_reset(qual);	/* a return type before it */
			i++;
		} else {
			sbuf_addc(qual, fn[i++]);
		}
	}
	/* GCC's clones: foo.isra.0, foo.constprop.1, foo.part.2, foo.cold */
	p = strchr(qual->buf, '.');
	if (p && !strstr(qual->buf, "operator"))
		sbuf_setlen(qual, (size_t)(p - qual->buf));
	return nparams;
}

const char *
cscan_last_component(const char *qual)
{
	const char *p = qual, *q;

	if (!strncmp(qual, "operator", 8))
		return qual;
	while ((q = strstr(p, "::")))
		p = q + 2;
	return p;
}

int
cscan_defines(const char *s, size_t n, int all, struct sbuf *out)
{
	struct cscan_lex l;
	size_t mark = out->len;
	int t, paste = 0;

	lex_init(&l, s, n);
	while ((t = next(&l)) != T_EOF) {
		const char *d = s + l.tok + 1;
		size_t len = l.len - 1;

		if (t != T_DIRECTIVE)
			continue;
		while (len && (*d == ' ' || *d == '\t'))
			d++, len--;
		if (len < 6 || strncmp(d, "define", 6))
			continue;
		if (memmem(d, len, "##", 2))
			paste = 1;
		sbuf_add(out, s + l.tok, l.len);
		sbuf_addc(out, '\n');
	}
	if (!paste && !all)
		sbuf_setlen(out, mark);
	return paste;
}

/* May a piece of a pasted name start or end at w[i]? */
static int
cut_at(const char *w, size_t i)
{
	size_t n = strlen(w);

	if (i == 0 || i == n)
		return 1;
	return w[i] == '_' || w[i - 1] == '_' ||
		(islower((unsigned char)w[i - 1]) &&
		 isupper((unsigned char)w[i]));
}

int
cscan_paste_could_make(const char *w, const char *defs, size_t ndefs,
		       const char *s, size_t n)
{
	size_t a, b, len = strlen(w);
	char piece[256];

	if (len >= sizeof(piece))
		return 0;
	for (a = 0; a < len; a++) {
		if (!cut_at(w, a))
			continue;
		for (b = len - (a == 0); b > a; b--) {
			if (!cut_at(w, b) || !is_ident((unsigned char)w[a]))
				continue;
			if (a && !memmem(defs, ndefs, w, a))
				continue;
			if (b < len && !memmem(defs, ndefs, w + b, len - b))
				continue;
			memcpy(piece, w + a, b - a);
			piece[b - a] = '\0';
			if (cscan_has_word(s, n, piece))
				return 1;
		}
	}
	return 0;
}

unsigned long
cscan_line(const char *s, size_t off)
{
	unsigned long line = 1;
	const char *p = s, *e = s + off;

	while ((p = memchr(p, '\n', (size_t)(e - p)))) {
		line++;
		p++;
	}
	return line;
}

static int
is_attr_kw(const char *s, size_t len)
{
	static const char *const kw[] = {
		"__attribute__", "__attribute", "__declspec", "alignas",
		"_Alignas", NULL,
	};
	size_t i;

	for (i = 0; kw[i]; i++)
		if (strlen(kw[i]) == len && !memcmp(kw[i], s, len))
			return 1;
	return 0;
}

size_t
cscan_decl_prefix(const char *s, size_t n, size_t off)
{
	struct cscan_lex l;
	struct tok { size_t at, len; int t; } *v = NULL;
	size_t nv = 0, cap = 0, start = off;
	int t;

	if (off > n)
		return off;
	lex_init(&l, s, off);
	/* the tokens since the last boundary */
	while ((t = next(&l)) != T_EOF) {
		char c = s[l.tok];

		if (t == T_DIRECTIVE || (t == T_PUNCT && l.len == 1 &&
		    (c == ';' || c == '{' || c == '}' || c == ':'))) {
			nv = 0;
			continue;
		}
		XGROW(v, nv + 1, cap);
		v[nv].at = l.tok;
		v[nv].len = l.len;
		v[nv].t = t;
		nv++;
	}
	while (nv > 0) {
		struct tok *k = &v[nv - 1];
		char c = s[k->at];

		if (k->t == T_IDENT) {
			start = k->at;
			nv--;
		} else if (k->t == T_PUNCT && (c == ')' || c == ']')) {
			/* find the group's opening */
			size_t j = nv - 1;
			int depth = 0;

			for (;;) {
				char d = s[v[j].at];

				if (v[j].t == T_PUNCT && (d == ')' || d == ']'))
					depth++;
				else if (v[j].t == T_PUNCT &&
					 (d == '(' || d == '['))
					depth--;
				if (!depth || !j)
					break;
				j--;
			}
			if (depth)
				break;
			if (c == ']') {
				start = v[j].at;	/* [[...]] */
				nv = j;
			} else if (c == ')' && j > 0 && v[j - 1].t == T_IDENT &&
				   is_attr_kw(s + v[j - 1].at, v[j - 1].len)) {
				start = v[j - 1].at;
				nv = j - 1;
			} else {
				break;
			}
		} else {
			break;
		}
	}
	free(v);
	return start;
}

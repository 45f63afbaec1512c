/*
 * Demangled C++ names: a small tokenizer, the normal form both sides of
 * a comparison are written in, and matching with wildcards.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "source/demangled.h"
#include "base/xalloc.h"

struct tok {
	const char *s;
	size_t n;
};

struct toks {
	struct tok *v;
	size_t n, cap;
};

static int
is_word_char(int c)
{
	return isalnum(c) || c == '_' || c == '$' || (c & 0x80);
}

static void
push(struct toks *t, const char *s, size_t n)
{
	XGROW(t->v, t->n + 1, t->cap);
	t->v[t->n].s = s;
	t->v[t->n].n = n;
	t->n++;
}

/* Length of an overloaded operator's symbol at s ("<<=", "()", "[]"). */
static size_t
op_symbol(const char *s)
{
	size_t n = 0;

	if ((s[0] == '(' && s[1] == ')') || (s[0] == '[' && s[1] == ']'))
		return 2;
	while (n < 3 && s[n] && strchr("+-*/%^&|~!=<>,", s[n]))
		n++;
	return n;
}

/* Split s into tokens pointing into s. */
static void
tokenize(const char *s, struct toks *t)
{
	size_t i = 0;

	t->n = 0;
	while (s[i]) {
		size_t b = i;

		if (isspace((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (is_word_char((unsigned char)s[i])) {
			while (is_word_char((unsigned char)s[i]))
				i++;
			if (i - b == 8 && !memcmp(s + b, "operator", 8)) {
				size_t j = i, k;

				/* one token: "operator<<", "operator()" */
				while (s[j] == ' ')
					j++;
				if ((k = op_symbol(s + j)) > 0)
					i = j + k;
			}
		} else if (!strncmp(s + i, "::", 2) || !strncmp(s + i, "&&", 2)) {
			i += 2;
		} else if (!strncmp(s + i, "...", 3)) {
			i += 3;
		} else {
			i++;
		}
		push(t, s + b, i - b);
	}
}

static int
teq(const struct tok *t, const char *w)
{
	return t->n == strlen(w) && !memcmp(t->s, w, t->n);
}

static int
opener(const struct tok *t)
{
	return t->n == 1 && strchr("(<[{", t->s[0]);
}

static int
closer(const struct tok *t)
{
	return t->n == 1 && strchr(")>]}", t->s[0]);
}

/* Index of the token closing the group opened at i, or n. */
static size_t
group_end(const struct toks *t, size_t i)
{
	int depth = 0;

	for (; i < t->n; i++) {
		if (opener(&t->v[i]))
			depth++;
		else if (closer(&t->v[i]) && --depth == 0)
			return i;
	}
	return t->n;
}

/* Index of the token opening the group closed at i, or (size_t)-1. */
static size_t
group_start(const struct toks *t, size_t i)
{
	int depth = 0;

	for (;; i--) {
		if (closer(&t->v[i]))
			depth++;
		else if (opener(&t->v[i]) && --depth == 0)
			return i;
		if (!i)
			return (size_t)-1;
	}
}

static int
is_anon_ns(const struct toks *t, size_t i)
{
	return i + 3 < t->n && teq(&t->v[i], "(") &&
		teq(&t->v[i + 1], "anonymous") &&
		teq(&t->v[i + 2], "namespace") && teq(&t->v[i + 3], ")");
}

/*
 * Append tokens [b, e) of t to out, except those in drop (a byte per
 * token, may be NULL): one space between two words, the standard
 * library's inline namespaces dropped, its abbreviations written out.
 */
static void
join(struct sbuf *out, const struct toks *t, size_t b, size_t e,
     const char *drop)
{
	static const char *const abbrev[][2] = {
		{ "string", "basic_string<char,std::char_traits<char>,"
		  "std::allocator<char>>" },
		{ "istream", "basic_istream<char,std::char_traits<char>>" },
		{ "ostream", "basic_ostream<char,std::char_traits<char>>" },
		{ "iostream", "basic_iostream<char,std::char_traits<char>>" },
	};
	int prev_word = out->len && is_word_char((unsigned char)
						 out->buf[out->len - 1]);
	size_t i, a;

	for (i = b; i < e; i++) {
		const struct tok *k = &t->v[i];
		int after_std = i >= 2 && teq(&t->v[i - 2], "std") &&
			teq(&t->v[i - 1], "::") &&
			(i < 3 || !teq(&t->v[i - 3], "::"));

		if (drop && drop[i])
			continue;
		if (after_std && (teq(k, "__cxx11") || teq(k, "__1")) &&
		    i + 1 < e && teq(&t->v[i + 1], "::")) {
			i++;
			continue;
		}
		if (prev_word && is_word_char((unsigned char)k->s[0]))
			sbuf_addc(out, ' ');
		for (a = 0; after_std && a < sizeof(abbrev) / sizeof(*abbrev);
		     a++)
			if (teq(k, abbrev[a][0]) &&
			    (i + 1 >= e || !teq(&t->v[i + 1], "<")))
				break;
		if (after_std && a < sizeof(abbrev) / sizeof(*abbrev))
			sbuf_adds(out, abbrev[a][1]);
		else
			sbuf_add(out, k->s, k->n);
		prev_word = is_word_char((unsigned char)out->buf[out->len - 1]);
	}
}

void
demangled_add(struct sbuf *out, const char *text)
{
	struct toks t = { NULL, 0, 0 };

	tokenize(text, &t);
	join(out, &t, 0, t.n, NULL);
	free(t.v);
}

/* Where the qualified name that ends just before token e starts. */
static size_t
name_start(const struct toks *t, size_t e)
{
	size_t i = e;

	while (i > 0) {
		size_t j = i - 1;

		if (teq(&t->v[j], ")") && j >= 3 && is_anon_ns(t, j - 3)) {
			j -= 3;
		} else {
			if (teq(&t->v[j], ">")) {
				j = group_start(t, j);
				if (j == (size_t)-1 || j == 0)
					return i;
				j--;
			}
			if (!is_word_char((unsigned char)t->v[j].s[0]))
				return i;
			if (j > 0 && teq(&t->v[j - 1], "~"))
				j--;
			else if (j > 0 && teq(&t->v[j - 1], "operator"))
				j--;	/* a conversion: "operator int" */
		}
		i = j;
		if (i < 2 || !teq(&t->v[i - 1], "::"))
			return i;
		i--;
	}
	return i;
}

int
demangled_norm(const char *fn, struct sbuf *out)
{
	struct toks t = { NULL, 0, 0 };
	const char *clone = strstr(fn, " [clone");
	char *s = clone ? xstrndup(fn, (size_t)(clone - fn)) : xstrdup(fn);
	char *drop;
	size_t i, p = (size_t)-1, pe = 0, b;
	int depth = 0, ret = 1;

	sbuf_reset(out);
	tokenize(s, &t);
	/* ABI tags, name[abi:cxx11], go */
	for (i = b = 0; i < t.n; i++) {
		if (teq(&t.v[i], "[") && i + 2 < t.n &&
		    teq(&t.v[i + 1], "abi") && teq(&t.v[i + 2], ":")) {
			i = group_end(&t, i);
			continue;
		}
		t.v[b++] = t.v[i];
	}
	t.n = b;
	drop = xcalloc(t.n + 1, 1);
	for (i = 0; i < t.n; i++) {
		if (is_anon_ns(&t, i)) {
			i += 3;
			continue;
		}
		if (depth == 0 && teq(&t.v[i], "(") && p == (size_t)-1)
			p = i;
		if (opener(&t.v[i]))
			depth++;
		else if (closer(&t.v[i]) && --depth < 0)
			break;
	}
	if (depth != 0) {
		ret = -1;
		goto done;
	}
	if (p == (size_t)-1) {
		/* a bare name; "f.isra.0" is f */
		char *dot = strchr(s, '.');

		if (dot && !strstr(s, "operator"))
			*dot = '\0';
		tokenize(s, &t);
		join(out, &t, 0, t.n, NULL);
		ret = 0;
		goto done;
	}
	pe = group_end(&t, p);
	b = name_start(&t, p);
	/* the function's own template arguments: f<int>(...) */
	if (p > b + 1 && teq(&t.v[p - 1], ">")) {
		size_t g = group_start(&t, p - 1);

		if (g != (size_t)-1 && g > b)
			memset(drop + g, 1, p - g);
	}
	join(out, &t, b, p, drop);
	if (pe == p + 2 && teq(&t.v[p + 1], "void")) {
		sbuf_adds(out, "()");
		join(out, &t, pe + 1, t.n, drop);
	} else {
		join(out, &t, p, t.n, drop);
	}
done:
	if (ret < 0)
		sbuf_reset(out);
	free(drop);
	free(t.v);
	free(s);
	return ret;
}

/* Match pattern tokens from i against subject tokens from j. */
static int
match_at(const struct toks *p, size_t i, const struct toks *s, size_t j,
	 int budget)
{
	int wild, depth, r;
	size_t k;

	if (budget <= 0)
		return -1;
	for (; i < p->n; i++, j++) {
		wild = teq(&p->v[i], "@") ? 2 : teq(&p->v[i], "?") ? 1 : 0;
		if (wild)
			break;
		if (j >= s->n || p->v[i].n != s->v[j].n ||
		    memcmp(p->v[i].s, s->v[j].s, p->v[i].n))
			return -1;
	}
	if (i == p->n)
		return j == s->n ? 0 : -1;
	/* a wildcard: try each balanced run of the subject from j */
	depth = 0;
	for (k = j; ; k++) {
		if (depth == 0 && (wild == 2 || k > j)) {
			r = match_at(p, i + 1, s, k, budget - 1);
			if (r >= 0)
				return r + 1;
		}
		if (k >= s->n)
			break;
		if (opener(&s->v[k]))
			depth++;
		else if (closer(&s->v[k]) && --depth < 0)
			break;
		else if (wild == 1 && depth == 0 && teq(&s->v[k], ","))
			break;
	}
	return -1;
}

int
demangled_match(const char *pattern, const char *subject, int tail)
{
	struct toks p = { NULL, 0, 0 }, s = { NULL, 0, 0 };
	int r, depth = 0, dropped = 0;
	size_t i;

	tokenize(pattern, &p);
	tokenize(subject, &s);
	r = match_at(&p, 0, &s, 0, 64);
	for (i = 0; r < 0 && tail && i + 1 < p.n; i++) {
		if (opener(&p.v[i]) && !is_anon_ns(&p, i))
			depth++;
		else if (closer(&p.v[i]))
			depth--;
		else if (is_anon_ns(&p, i))
			i += 3;
		if (depth < 0 || (depth == 0 && teq(&p.v[i], "(")))
			break;
		if (depth == 0 && teq(&p.v[i], "::")) {
			dropped++;
			r = match_at(&p, i + 1, &s, 0, 64);
			if (r >= 0)
				r += 1000 * dropped;
		}
	}
	free(p.v);
	free(s.v);
	return r;
}

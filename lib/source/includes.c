#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "source/includes.h"
#include "base/xalloc.h"

/* The text as the compiler sees it after phases 1 and 2. */
struct text {
	char *s;
	size_t *line;		/* line of code each byte came from */
	size_t n;
};

static const char trigraph_from[] = "=/'()!<>-";
static const char trigraph_to[] = "#\\^[]|{}~";

static void
text_make(struct text *t, const char *code, size_t len)
{
	char *p1 = xmalloc(len + 1);
	size_t *l1 = xmalloc((len + 1) * sizeof(*l1)), n1 = 0, line = 1;
	size_t i;

	for (i = 0; i < len; i++) {
		const char *k;

		if (code[i] == '?' && i + 2 < len && code[i + 1] == '?' &&
		    code[i + 2] && (k = strchr(trigraph_from, code[i + 2]))) {
			p1[n1] = trigraph_to[k - trigraph_from];
			l1[n1++] = line;
			i += 2;
			continue;
		}
		p1[n1] = code[i];
		l1[n1++] = line;
		if (code[i] == '\n')
			line++;
	}
	t->s = xmalloc(n1 + 1);
	t->line = xmalloc((n1 + 1) * sizeof(*t->line));
	t->n = 0;
	for (i = 0; i < n1; i++) {
		if (p1[i] == '\\' && i + 1 < n1 && p1[i + 1] == '\n') {
			i++;
			continue;
		}
		if (p1[i] == '\\' && i + 2 < n1 && p1[i + 1] == '\r' &&
		    p1[i + 2] == '\n') {
			i += 2;
			continue;
		}
		t->s[t->n] = p1[i];
		t->line[t->n++] = l1[i];
	}
	t->s[t->n] = '\0';
	t->line[t->n] = line;
	free(p1);
	free(l1);
}

static void
text_free(struct text *t)
{
	free(t->s);
	free(t->line);
}

struct lex {
	struct text t;
	size_t i;
	int (*is_header)(void *, const char *);
	void *arg;
	struct sbuf *err;
	int bad;
};

/* Refuse, saying why at the line of byte at: msg, with %s for what. */
static void
refuse(struct lex *x, size_t at, const char *msg, const char *what)
{
	const char *p = strstr(msg, "%s");

	if (!x->bad) {
		sbuf_addf(x->err, "line %zu: ", x->t.line[at]);
		if (p) {
			sbuf_add(x->err, msg, (size_t)(p - msg));
			sbuf_adds(x->err, what);
			sbuf_adds(x->err, p + 2);
		} else {
			sbuf_adds(x->err, msg);
		}
	}
	x->bad = 1;
}

static int
ident_char(int c)
{
	return c == '_' || isalnum((unsigned char)c) || (c & 0x80);
}

/* Skip blanks and comments from i (not newlines when stop_nl). */
static size_t
skip_space(const struct text *t, size_t i, int stop_nl)
{
	for (;;) {
		if (i < t->n && (t->s[i] == ' ' || t->s[i] == '\t' ||
				 t->s[i] == '\r' || t->s[i] == '\f' ||
				 t->s[i] == '\v' || (!stop_nl && t->s[i] == '\n'))) {
			i++;
		} else if (i + 1 < t->n && t->s[i] == '/' && t->s[i + 1] == '*') {
			const char *e = strstr(t->s + i + 2, "*/");

			i = e ? (size_t)(e - t->s) + 2 : t->n;
		} else if (i + 1 < t->n && t->s[i] == '/' && t->s[i + 1] == '/') {
			while (i < t->n && t->s[i] != '\n')
				i++;
		} else {
			return i;
		}
	}
}

/* A string literal (after any prefix) starts at i: its '"' or 0. */
static size_t
literal_quote(const struct text *t, size_t i)
{
	static const char *const pre[] = { "u8R", "uR", "UR", "LR", "R", "u8",
		"u", "U", "L", "" };

	if (i > 0 && ident_char(t->s[i - 1]))
		return 0;
	for (int k = 0; k < 10; k++) {
		size_t n = strlen(pre[k]);

		if (i + n < t->n && !strncmp(t->s + i, pre[k], n) &&
		    t->s[i + n] == '"')
			return i + n;
	}
	return 0;
}

/* Decode one literal whose '"' is at q into out; return the end. */
static size_t
literal(const struct text *t, size_t start, size_t q, struct sbuf *out)
{
	size_t i = q + 1;

	if (q > start && t->s[q - 1] == 'R') {
		/* R"delim( ... )delim" */
		size_t d = i;
		char close[24];

		while (i < t->n && t->s[i] != '(' && i - d < 16)
			i++;
		snprintf(close, sizeof(close), ")%.*s\"", (int)(i - d), t->s + d);
		{
			const char *e = strstr(t->s + i, close);
			size_t end = e ? (size_t)(e - t->s) : t->n;

			if (i < end)
				sbuf_add(out, t->s + i + 1, end - i - 1);
			return e ? end + strlen(close) : t->n;
		}
	}
	while (i < t->n && t->s[i] != '"' && t->s[i] != '\n') {
		char c = t->s[i++];

		if (c == '\\' && i < t->n) {
			char e = t->s[i++];
			unsigned v = 0;
			int k = 0;

			if (e == 'x') {
				while (i < t->n &&
				       isxdigit((unsigned char)t->s[i])) {
					int d = tolower((unsigned char)t->s[i++]);

					v = v * 16 + (unsigned)(isdigit(d) ?
						d - '0' : d - 'a' + 10);
				}
				c = (char)v;
			} else if (e >= '0' && e <= '7') {
				v = (unsigned)(e - '0');
				while (k++ < 2 && i < t->n && t->s[i] >= '0' &&
				       t->s[i] <= '7')
					v = v * 8 + (unsigned)(t->s[i++] - '0');
				c = (char)v;
			} else {
				c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
			}
		}
		sbuf_addc(out, c);
	}
	return i < t->n ? i + 1 : i;
}

static int
has_directive(const struct sbuf *s)
{
	static const char *const bad[] = { ".incbin", ".include", NULL };

	for (int k = 0; bad[k]; k++) {
		size_t n = strlen(bad[k]);

		for (size_t i = 0; i + n <= s->len; i++)
			if (!strncasecmp(s->buf + i, bad[k], n))
				return 1;
	}
	return 0;
}

/* Adjacent literals from i (a literal's start), joined; returns the end. */
static size_t
literals(struct lex *x, size_t i)
{
	struct sbuf s = SBUF_INIT;
	size_t first = i, q;

	while ((q = literal_quote(&x->t, i))) {
		i = literal(&x->t, i, q, &s);
		i = skip_space(&x->t, i, 0);
	}
	if (has_directive(&s))
		refuse(x, first, "a string literal names the assembler's "
		       ".incbin or .include, which would copy a file of the "
		       "machine into the build", NULL);
	sbuf_release(&s);
	return i;
}

static int
bad_path(const char *p)
{
	const char *c;

	if (*p == '/' || *p == '\\' || strchr(p, '\\'))
		return 1;
	for (c = p; c; c = strchr(c, '/')) {
		if (*c == '/')
			c++;
		if (!strncmp(c, "..", 2) && (c[2] == '/' || !c[2]))
			return 1;
	}
	return 0;
}

static int
header_name(const char *p)
{
	static const char *const ext[] = { ".h", ".hh", ".hpp", ".hxx",
		".h++", ".inc", ".inl", ".ipp", ".tcc", ".tpp", ".def", NULL };
	const char *base = strrchr(p, '/'), *dot;

	dot = strrchr(base ? base : p, '.');
	if (!dot)
		return 1;
	for (int k = 0; ext[k]; k++)
		if (!strcasecmp(dot, ext[k]))
			return 1;
	return 0;
}

/* A directive at i (just after '#' or "%:"). Returns where to go on. */
static size_t
directive(struct lex *x, size_t i, size_t hash)
{
	const struct text *t = &x->t;
	size_t s = skip_space(t, i, 1), e = s, q;
	char *name;

	while (e < t->n && ident_char(t->s[e]))
		e++;
	if (!((e - s == 7 && !strncmp(t->s + s, "include", 7)) ||
	      (e - s == 12 && !strncmp(t->s + s, "include_next", 12)) ||
	      (e - s == 6 && !strncmp(t->s + s, "import", 6)) ||
	      (e - s == 5 && !strncmp(t->s + s, "embed", 5))))
		return s;
	if (e - s != 7) {
		name = xmemdupz(t->s + s, e - s);
		refuse(x, hash, "#%s is not allowed in a candidate", name);
		free(name);
		return e;
	}
	q = skip_space(t, e, 1);
	if (q < t->n && (t->s[q] == '"' || t->s[q] == '<')) {
		char close = t->s[q] == '"' ? '"' : '>';
		size_t end = q + 1;

		while (end < t->n && t->s[end] != close && t->s[end] != '\n')
			end++;
		if (end >= t->n || t->s[end] != close) {
			refuse(x, hash, "an #include without its closing quote",
			       NULL);
			return end;
		}
		name = xmemdupz(t->s + q + 1, end - q - 1);
		if (!*name || bad_path(name))
			refuse(x, hash, "#include of '%s' reaches outside the "
			       "repository and the system's headers (an "
			       "absolute path or '..')", name);
		else if (close == '"' && (!header_name(name) ||
					  !x->is_header(x->arg, name)))
			refuse(x, hash, "#include \"%s\": not a header of the "
			       "repository (a candidate may include <system> "
			       "headers and the repository's own)", name);
		free(name);
		return end + 1;
	}
	refuse(x, hash, "an #include whose file a macro names", NULL);
	return q;
}

/* An asm keyword ends at i: its template must be a string literal. */
static void
asm_template(struct lex *x, size_t kw, size_t i)
{
	static const char *const qual[] = { "volatile", "__volatile__",
		"__volatile", "inline", "__inline", "__inline__", "goto", NULL };
	const struct text *t = &x->t;

	for (;;) {
		size_t s = skip_space(t, i, 0), e = s;
		int k;

		while (e < t->n && ident_char(t->s[e]))
			e++;
		for (k = 0; qual[k]; k++)
			if (e - s == strlen(qual[k]) &&
			    !strncmp(t->s + s, qual[k], e - s))
				break;
		if (e == s || !qual[k]) {
			i = s;
			break;
		}
		i = e;
	}
	if (i >= t->n || t->s[i] != '(')
		return;
	i = skip_space(t, i + 1, 0);
	if (!literal_quote(t, i))
		refuse(x, kw, "asm with a template that is not a string "
		       "literal (a macro could make it name .incbin)", NULL);
}

int
includes_check(const char *code, size_t len,
	       int (*is_header)(void *, const char *), void *arg,
	       struct sbuf *err)
{
	struct lex x = { { NULL, NULL, 0 }, 0, is_header, arg, err, 0 };
	const struct text *t = &x.t;
	int line_start = 1;
	char prev = 0;		/* the last punctuation outside literals */
	size_t i = 0;

	text_make(&x.t, code, len);
	while (i < t->n && !x.bad) {
		char c = t->s[i];
		size_t j = skip_space(t, i, 1);

		if (j != i) {
			i = j;
			continue;
		}
		if (c == '\n') {
			line_start = 1;
			i++;
			continue;
		}
		if (line_start && (c == '#' || (c == '%' && i + 1 < t->n &&
						t->s[i + 1] == ':'))) {
			line_start = 0;
			i = directive(&x, i + (c == '#' ? 1 : 2), i);
			continue;
		}
		line_start = 0;
		if (literal_quote(t, i) || c == '"') {
			i = literals(&x, i);
			prev = '"';
			continue;
		}
		if (c == '\'') {
			for (i++; i < t->n && t->s[i] != '\'' && t->s[i] != '\n';
			     i++)
				if (t->s[i] == '\\')
					i++;
			i++;
			prev = '\'';
			continue;
		}
		if (ident_char(c) && !isdigit((unsigned char)c)) {
			size_t s = i;

			while (i < t->n && ident_char(t->s[i]))
				i++;
			if ((i - s == 6 && !strncmp(t->s + s, "incbin", 6)) ||
			    (prev == '.' && i - s == 7 &&
			     !strncmp(t->s + s, "include", 7)))
				refuse(&x, s, "the tokens of an assembler "
				       ".incbin or .include directive (a macro "
				       "could make a string of them)", NULL);
			else if ((i - s == 3 && !strncmp(t->s + s, "asm", 3)) ||
				 (i - s == 5 && !strncmp(t->s + s, "__asm", 5)) ||
				 (i - s == 7 && !strncmp(t->s + s, "__asm__", 7)))
				asm_template(&x, s, i);
			prev = 'a';
			continue;
		}
		if (isdigit((unsigned char)c)) {
			while (i < t->n && (ident_char(t->s[i]) || t->s[i] == '.'))
				i++;
			prev = '0';
			continue;
		}
		prev = c;
		i++;
	}
	text_free(&x.t);
	return x.bad ? -1 : 0;
}

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "llm/reply.h"

static int
isident(int c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

void
reply_fn_name(const char *fn, struct sbuf *out)
{
	size_t n = strcspn(fn, "("), i, start = 0;
	int depth = 0;

	/* GCC clones: foo.constprop.0, foo.isra.0, foo.part.1, foo.cold */
	for (i = 0; i < n; i++) {
		if (fn[i] == '<')
			depth++;
		else if (fn[i] == '>' && depth > 0)
			depth--;
		else if (!depth && fn[i] == '.')
			break;
		else if (!depth && fn[i] == ':' && fn[i + 1] == ':' &&
			 i + 2 <= n) {
			start = i + 2;
			i++;
		}
	}
	n = i;
	/* drop template arguments: name<T> */
	for (i = start; i < n && fn[i] != '<'; i++)
		;
	if (i > start && !strncmp(fn + start, "operator", 8))
		i = n;
	while (i > start && isspace((unsigned char)fn[i - 1]))
		i--;
	sbuf_add(out, fn + start, i - start);
}

/* Past the group opened at code[i] ('(' or '<'), or len when unbalanced. */
static size_t
skip_group(const char *code, size_t len, size_t i)
{
	int depth = 0;

	for (; i < len; i++) {
		if (code[i] == '(')
			depth++;
		else if (code[i] == ')' && --depth == 0)
			return i + 1;
	}
	return len;
}

int
reply_defines(const char *code, size_t len, const char *name)
{
	size_t nl = strlen(name), i, j;

	if (!nl)
		return 0;
	for (i = 0; i + nl <= len; i++) {
		if (memcmp(code + i, name, nl) ||
		    (i > 0 && isident((unsigned char)code[i - 1])) ||
		    (i + nl < len && isident((unsigned char)code[i + nl])))
			continue;
		j = i + nl;
		while (j < len && isspace((unsigned char)code[j]))
			j++;
		if (j >= len || code[j] != '(')
			continue;
		j = skip_group(code, len, j);
		while (j < len) {
			char c = code[j];

			if (c == '{')
				return 1;
			if (c == '(') {
				j = skip_group(code, len, j);
				continue;
			}
			if (c == ';' || c == ',' || c == '=' || c == '}' ||
			    c == ')')
				break;
			j++;
		}
	}
	return 0;
}

/* A fence line: up to 3 spaces, then 3 or more ` or ~. Its length, or 0. */
static size_t
fence(const char *p, const char *end, char *ch)
{
	const char *q = p;
	size_t n = 0;

	while (q < end && *q == ' ' && q - p < 3)
		q++;
	if (q >= end || (*q != '`' && *q != '~'))
		return 0;
	*ch = *q;
	while (q < end && *q == *ch) {
		q++;
		n++;
	}
	return n >= 3 ? n : 0;
}

static int
blank_after(const char *p, const char *eol)
{
	while (p < eol && isspace((unsigned char)*p))
		p++;
	return p == eol;
}

static const char *
eol_of(const char *p, const char *end)
{
	const char *q = memchr(p, '\n', end - p);

	return q ? q : end;
}

int
reply_code(const char *text, size_t len, const char *fn, struct sbuf *out)
{
	const char *p = text, *end = text + len, *start = NULL;
	const char *best = NULL;
	struct sbuf name = SBUF_INIT;
	size_t open = 0, best_len = 0, n;
	int nblocks = 0;
	char ch = 0, c;

	reply_fn_name(fn, &name);
	sbuf_reset(out);
	while (p < end) {
		const char *eol = eol_of(p, end);

		if (!open) {
			if ((open = fence(p, eol, &ch)))
				start = eol < end ? eol + 1 : end;
		} else if ((n = fence(p, eol, &c)) >= open && c == ch &&
			   blank_after(p + strspn(p, " ") + n, eol)) {
			nblocks++;
			if (reply_defines(start, p - start, name.buf)) {
				best = start;
				best_len = p - start;
			}
			open = 0;
		}
		p = eol < end ? eol + 1 : end;
	}
	sbuf_release(&name);
	if (!best)
		return 0;
	sbuf_add(out, best, best_len);
	return nblocks;
}

static const char *
strip_marks(const char *p, const char *eol)
{
	while (p < eol && strchr("#*_->` \t", *p))
		p++;
	return p;
}

static void
add_trimmed(struct sbuf *out, const char *p, const char *eol, size_t max)
{
	while (eol > p && strchr("*_` \t\r", eol[-1]))
		eol--;
	if ((size_t)(eol - p) > max) {
		eol = p + max;
		/* do not cut a UTF-8 sequence */
		while (eol > p && ((unsigned char)*eol & 0xc0) == 0x80)
			eol--;
	}
	sbuf_add(out, p, eol - p);
}

/* The end of the sentence that starts at p: after ". ", or eol. */
static const char *
sentence_end(const char *p, const char *eol)
{
	for (; p < eol; p++)
		if (strchr(".!?", *p) && (p + 1 == eol || p[1] == ' '))
			return p + 1;
	return eol;
}

/* Does the sentence at s only announce the code ("Here's ...")? */
static int
is_preamble(const char *s, const char *eol)
{
	static const char *const w[] = {
		"here's ", "here is ", "below is ", "sure", "certainly",
		"okay", "of course", NULL
	};

	for (const char *const *k = w; *k; k++)
		if ((size_t)(eol - s) >= strlen(*k) &&
		    !strncasecmp(s, *k, strlen(*k)))
			return 1;
	return 0;
}

/*
 * What a line of prose says, for a commit subject: its first sentence
 * that is not a preamble ("Here's a faster version of `f`."), else the
 * first; longer than 72 bytes, cut after a word, with "...".
 */
static void
first_sentence(struct sbuf *out, const char *p, const char *eol)
{
	const char *s = p, *e = sentence_end(p, eol), *next;

	while (is_preamble(s, eol) && e < eol &&
	       (next = e + strspn(e, " ")) < eol) {
		s = next;
		e = sentence_end(s, eol);
	}
	if (is_preamble(s, eol)) {
		s = p;
		e = sentence_end(p, eol);
	}
	while (e > s && strchr("*_` \t\r", e[-1]))
		e--;
	if (e - s <= 72) {
		sbuf_add(out, s, (size_t)(e - s));
		return;
	}
	e = s + 69;
	while (e > s && *e != ' ')
		e--;
	if (e == s)
		for (e = s + 69; e > s && ((unsigned char)*e & 0xc0) == 0x80;)
			e--;
	sbuf_add(out, s, (size_t)(e - s));
	sbuf_adds(out, "...");
}

void
reply_summary(const char *text, size_t len, struct sbuf *out)
{
	const char *p = text, *end = text + len, *first = NULL;
	const char *first_eol = NULL;
	size_t open = 0, n;
	char ch = 0, c;

	while (p < end) {
		const char *eol = eol_of(p, end), *s;

		if (open) {
			if ((n = fence(p, eol, &c)) >= open && c == ch)
				open = 0;
		} else if ((open = fence(p, eol, &ch))) {
			;
		} else if ((s = strip_marks(p, eol)) < eol) {
			if (eol - s > 7 && !strncasecmp(s, "summary", 7)) {
				const char *t = s + 7;

				while (t < eol && strchr("*_ \t", *t))
					t++;
				if (t < eol && *t == ':') {
					t = strip_marks(t + 1, eol);
					if (t < eol && !blank_after(t, eol)) {
						add_trimmed(out, t, eol,
							    (size_t)-1);
						return;
					}
				}
			}
			if (!first && !blank_after(s, eol)) {
				first = s;
				first_eol = eol;
			}
		}
		p = eol < end ? eol + 1 : end;
	}
	if (first)
		first_sentence(out, first, first_eol);
}

#include <string.h>

#include "source/candidate.h"

static int
isident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_' || c == '$';
}

static int
isblank_(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
		c == '\f';
}

/*
 * If a comment or literal starts at s[i], return the index just after it
 * (len when it does not end); otherwise i.
 */
static size_t
skip_lit(const char *s, size_t len, size_t i)
{
	char q;

	if (i + 1 < len && s[i] == '/' && s[i + 1] == '/') {
		while (i < len && s[i] != '\n')
			i++;
		return i;
	}
	if (i + 1 < len && s[i] == '/' && s[i + 1] == '*') {
		for (i += 2; i + 1 < len; i++)
			if (s[i] == '*' && s[i + 1] == '/')
				return i + 2;
		return len;
	}
	if (s[i] != '"' && s[i] != '\'')
		return i;
	q = s[i++];
	for (; i < len && s[i] != q && s[i] != '\n'; i++)
		if (s[i] == '\\')
			i++;
	return i < len ? i + 1 : len;
}

static int
is_comment(const char *s, size_t len, size_t i)
{
	return i + 1 < len && s[i] == '/' && (s[i + 1] == '/' || s[i + 1] == '*');
}

void
candidate_signature(const char *code, size_t len, struct sbuf *sig)
{
	size_t i = 0, j;
	int space = 0;
	char last = 0;

	while (i < len && code[i] != '{') {
		if (is_comment(code, len, i) || isblank_(code[i])) {
			j = isblank_(code[i]) ? i + 1 : skip_lit(code, len, i);
			space = 1;
			i = j;
			continue;
		}
		j = skip_lit(code, len, i);
		if (j == i)
			j = i + 1;
		if (space && last && isident(last) && isident(code[i]))
			sbuf_addc(sig, ' ');
		space = 0;
		sbuf_add(sig, code + i, j - i);
		last = code[j - 1];
		i = j;
	}
}

/* Does the identifier name[0..n) occur in head[0..len) followed by '('? */
static int
names_fn(const char *head, size_t len, const char *name, size_t n)
{
	size_t i, j;

	for (i = 0; i + n <= len; i++) {
		if (memcmp(head + i, name, n) || (i > 0 && isident(head[i - 1])))
			continue;
		j = i + n;
		if (j < len && isident(head[j]))
			continue;
		while (j < len && isblank_(head[j]))
			j++;
		if (j < len && head[j] == '(')
			return 1;
	}
	return 0;
}

int
candidate_check(const char *fn, const char *code, size_t len, size_t *off,
	   size_t *n, struct sbuf *sig, struct sbuf *err)
{
	const char *name = fn, *p;
	size_t b = 0, e = len, i, j, namelen, head = 0;
	int paren = 0, depth = 0;
	struct sbuf h = SBUF_INIT;

	while (b < e && isblank_(code[b]))
		b++;
	while (e > b && isblank_(code[e - 1]))
		e--;
	if (b == e) {
		sbuf_adds(err, "empty candidate");
		return -1;
	}
	while ((p = strstr(name, "::")))
		name = p + 2;
	namelen = strcspn(name, ".");
	/* the head: up to the first '{' outside parentheses */
	for (i = b; i < e; i = j) {
		j = skip_lit(code, e, i);
		if (j != i)
			continue;
		j = i + 1;
		if (code[i] == '(') {
			paren++;
		} else if (code[i] == ')') {
			paren--;
		} else if (code[i] == '{' && paren == 0) {
			head = i;
			break;
		} else if (paren == 0 && strchr(";#`}=", code[i])) {
			sbuf_addf(err, "candidate has '%c' before the body of "
				  "'%s': text outside the function", code[i],
				  fn);
			return -1;
		}
	}
	if (i >= e) {
		sbuf_addf(err, "candidate has no body for '%s'", fn);
		return -1;
	}
	candidate_signature(code + b, head - b, &h);
	if (!names_fn(h.buf, h.len, name, namelen)) {
		sbuf_addf(err, "candidate does not define '%.*s'",
			  (int)namelen, name);
		sbuf_release(&h);
		return -1;
	}
	/* the body: balanced braces, then only blanks and comments */
	for (i = head; i < e; i = j) {
		j = skip_lit(code, e, i);
		if (j != i)
			continue;
		j = i + 1;
		if (code[i] == '{')
			depth++;
		else if (code[i] == '}' && --depth == 0)
			break;
	}
	if (depth != 0) {
		sbuf_addf(err, "candidate body of '%s' has unbalanced braces",
			  fn);
		sbuf_release(&h);
		return -1;
	}
	for (i = j; i < e; i = j) {
		if (isblank_(code[i])) {
			j = i + 1;
		} else if (is_comment(code, e, i)) {
			j = skip_lit(code, e, i);
		} else {
			sbuf_addf(err, "candidate has text after the body of "
				  "'%s': text outside the function", fn);
			sbuf_release(&h);
			return -1;
		}
	}
	if (off)
		*off = b;
	if (n)
		*n = e - b;
	if (sig)
		sbuf_add(sig, h.buf, h.len);
	sbuf_release(&h);
	return 0;
}

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dotenv.h"
#include "base/redact.h"
#include "base/xalloc.h"

extern char **environ;

/* Does name[0..len) contain word (upper case) in any case? */
static int
has_word(const char *name, size_t len, const char *word)
{
	size_t k = strlen(word);

	for (size_t i = 0; i + k <= len; i++) {
		size_t j = 0;

		while (j < k && toupper((unsigned char)name[i + j]) == word[j])
			j++;
		if (j == k)
			return 1;
	}
	return 0;
}

int
redact_secret_name(const char *name, size_t len)
{
	static const char *const words[] = { "TOKEN", "SECRET", "PASSWORD",
		"PASSWD", "CREDENTIAL", NULL };

	if (len >= 4 && has_word(name + len - 4, 4, "_KEY"))
		return 1;
	for (int i = 0; words[i]; i++)
		if (has_word(name, len, words[i]))
			return 1;
	return 0;
}

void
redact_add(struct redact *r, const char *val, size_t len)
{
	size_t i;

	if (len < REDACT_MIN)
		return;
	for (i = 0; i < r->n; i++)
		if (strlen(r->val[i]) == len && !memcmp(r->val[i], val, len))
			return;
	XGROW(r->val, r->n + 1, r->cap);
	/* longest first, so that a secret inside another one goes second */
	for (i = r->n; i > 0 && strlen(r->val[i - 1]) < len; i--)
		r->val[i] = r->val[i - 1];
	r->val[i] = xmemdupz(val, len);
	r->n++;
}

static void
load_file(struct redact *r, const char *path)
{
	struct sbuf line = SBUF_INIT, key = SBUF_INIT, val = SBUF_INIT;
	FILE *fp = fopen(path, "r");

	if (!fp)
		return;
	while (sbuf_getline(&line, fp) > 0)
		if (dotenv_parse_line(line.buf, &key, &val) == 1 &&
		    redact_secret_name(key.buf, key.len))
			redact_add(r, val.buf, val.len);
	fclose(fp);
	sbuf_release(&line);
	sbuf_release(&key);
	sbuf_release(&val);
}

void
redact_load(struct redact *r, const char *const *files)
{
	for (char **e = environ; *e; e++) {
		const char *eq = strchr(*e, '=');

		if (eq && redact_secret_name(*e, (size_t)(eq - *e)))
			redact_add(r, eq + 1, strlen(eq + 1));
	}
	for (; files && *files; files++)
		load_file(r, *files);
}

size_t
redact_apply(const struct redact *r, struct sbuf *sb)
{
	struct sbuf out = SBUF_INIT;
	size_t count = 0;

	for (size_t i = 0; i < r->n; i++) {
		const char *v = r->val[i], *p = sb->buf, *end = sb->buf + sb->len;
		size_t k = strlen(v);
		const char *hit;

		if (!(hit = memmem(p, (size_t)(end - p), v, k)))
			continue;
		sbuf_reset(&out);
		do {
			sbuf_add(&out, p, (size_t)(hit - p));
			sbuf_adds(&out, REDACT_MARK);
			count++;
			p = hit + k;
		} while ((hit = memmem(p, (size_t)(end - p), v, k)));
		sbuf_add(&out, p, (size_t)(end - p));
		sbuf_reset(sb);
		sbuf_add(sb, out.buf, out.len);
	}
	sbuf_release(&out);
	return count;
}

void
redact_release(struct redact *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->val[i]);
	free(r->val);
	r->val = NULL;
	r->n = r->cap = 0;
}

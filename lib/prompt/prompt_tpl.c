/*
 * Prompt templates: loading them from a directory, checking and
 * expanding their {{name}} placeholders.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "prompt/prompt.h"
#include "base/xalloc.h"

/* Every placeholder prompt.c fills in (see pesq-prompt(1)). */
static const char *const known[] = {
	"fn", "file", "line", "where", "signature", "lang", "fence", "task",
	"child", "code", "candidate", "summary", "profile", "callee",
	"context", "examples", "failure", "parallel", "trimmed", "orig",
	"check_failure", "threads", "threading", "rules", NULL,
};

void
prompt_tpl_init(struct prompt_tpl *t)
{
	for (int i = 0; i < PROMPT_NTPL; i++) {
		t->text[i] = prompt_tpl_builtin(i);
		t->owned[i] = NULL;
	}
}

void
prompt_tpl_release(struct prompt_tpl *t)
{
	for (int i = 0; i < PROMPT_NTPL; i++) {
		free(t->owned[i]);
		t->owned[i] = NULL;
		t->text[i] = prompt_tpl_builtin(i);
	}
}

/*
 * If s starts a placeholder ("{{" name "}}"), return the name's length
 * and set *skip to the placeholder's; else 0.
 */
static size_t
placeholder(const char *s, size_t *skip)
{
	size_t n = 0;

	if (s[0] != '{' || s[1] != '{')
		return 0;
	while ((s[2 + n] >= 'a' && s[2 + n] <= 'z') || s[2 + n] == '_')
		n++;
	if (!n || s[2 + n] != '}' || s[3 + n] != '}')
		return 0;
	*skip = n + 4;
	return n;
}

static int
is_known(const char *name, size_t n)
{
	for (size_t i = 0; known[i]; i++)
		if (strlen(known[i]) == n && !memcmp(known[i], name, n))
			return 1;
	return 0;
}

int
prompt_tpl_check(const char *tpl, struct sbuf *err)
{
	unsigned long line = 1;
	size_t n, skip;

	for (const char *p = tpl; *p; p++) {
		if (*p == '\n')
			line++;
		else if ((n = placeholder(p, &skip)) && !is_known(p + 2, n)) {
			sbuf_addf(err, "%lu: unknown placeholder '%.*s'", line,
				  (int)skip, p);
			return -1;
		}
	}
	return 0;
}

int
prompt_tpl_load(struct prompt_tpl *t, const char *dir, struct sbuf *err)
{
	struct sbuf path = SBUF_INIT, text = SBUF_INIT;
	struct stat st;
	int ret = 0;

	sbuf_reset(err);
	if (stat(dir, &st) < 0)
		ret = -1;
	else if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		ret = -1;
	}
	if (ret) {
		sbuf_adds(err, dir);
		return -1;
	}
	for (int i = 0; i < PROMPT_NTPL && !ret; i++) {
		sbuf_reset(&path);
		sbuf_addf(&path, "%s/%s.txt", dir, prompt_tpl_names[i]);
		sbuf_reset(&text);
		if (sbuf_read_file(&text, path.buf) < 0) {
			if (errno == ENOENT)
				continue;
			sbuf_adds(err, path.buf);
			ret = -1;
		} else if (memchr(text.buf, '\0', text.len)) {
			sbuf_addf(err, "%s: contains a NUL byte", path.buf);
			ret = -2;
		} else {
			sbuf_addf(err, "%s:", path.buf);
			if (prompt_tpl_check(text.buf, err) < 0) {
				ret = -2;
				break;
			}
			sbuf_reset(err);
			free(t->owned[i]);
			t->owned[i] = sbuf_detach(&text, NULL);
			t->text[i] = t->owned[i];
		}
	}
	sbuf_release(&path);
	sbuf_release(&text);
	return ret;
}

static const char *
lookup(const struct prompt_var *vars, size_t nvars, const char *name,
       size_t n)
{
	for (size_t i = 0; i < nvars; i++)
		if (strlen(vars[i].name) == n && !memcmp(vars[i].name, name, n))
			return vars[i].val ? vars[i].val : "";
	return "";
}

void
prompt_render(struct sbuf *out, const char *tpl,
	      const struct prompt_var *vars, size_t nvars)
{
	const char *p = tpl, *bol = tpl;
	size_t n, skip;

	while (*p) {
		const char *val;

		if (!(n = placeholder(p, &skip))) {
			/* copy up to the next brace in one go */
			size_t run = strcspn(p + 1, "{") + 1;
			const char *nl = memrchr(p, '\n', run);

			if (nl)
				bol = nl + 1;
			sbuf_add(out, p, run);
			p += run;
			continue;
		}
		val = lookup(vars, nvars, p + 2, n);
		if (!*val && p == bol && (p[skip] == '\n' || !p[skip])) {
			/* an empty optional section: drop its line and gap */
			p += skip;
			if (*p == '\n')
				p++;
			if (*p == '\n')
				p++;
			bol = p;
			continue;
		}
		sbuf_adds(out, val);
		p += skip;
	}
}

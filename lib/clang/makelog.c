/*
 * A make dry run read as compile commands: directory lines, shell words,
 * compilers and their source files.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "clang/makelog.h"
#include "source/gitsrc.h"
#include "base/sbuf.h"
#include "base/xalloc.h"

struct words {
	char **v;
	size_t n, cap;
};

struct parse {
	struct makelog_cmd *v;
	size_t n, cap;
	char **dirs;		/* make's directory stack */
	size_t ndirs, dcap;
};

static void
words_free(struct words *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i]);
	w->n = 0;
}

/*
 * Split one command line into simple commands and words, calling fn for
 * each command. Quotes and backslashes are taken out; '$' is kept.
 */
static void
split(const char *s, size_t n, void (*fn)(struct parse *, struct words *,
					   struct sbuf *), struct parse *p)
{
	struct words w = { NULL, 0, 0 };
	struct sbuf word = SBUF_INIT, cwd = SBUF_INIT;
	size_t i = 0;
	int have = 0;

	sbuf_adds(&cwd, p->ndirs ? p->dirs[p->ndirs - 1] : "/");
	for (;;) {
		char c = i < n ? s[i] : '\0';

		if (!c || isspace((unsigned char)c) || c == ';' || c == '|' ||
		    (c == '&' && i + 1 < n && s[i + 1] == '&')) {
			if (have) {
				XGROW(w.v, w.n + 1, w.cap);
				w.v[w.n++] = sbuf_detach(&word, NULL);
				have = 0;
			}
			if (!c || c == ';' || c == '|' || c == '&') {
				if (w.n)
					fn(p, &w, &cwd);
				words_free(&w);
				if (!c)
					break;
				if ((c == '&' || c == '|') && i + 1 < n &&
				    s[i + 1] == c)
					i++;
			}
			i++;
		} else if (c == '\'') {
			const char *e = memchr(s + i + 1, '\'', n - i - 1);
			size_t end = e ? (size_t)(e - s) : n;

			sbuf_add(&word, s + i + 1, end - i - 1);
			have = 1;
			i = end + 1;
		} else if (c == '"') {
			for (i++; i < n && s[i] != '"'; i++) {
				if (s[i] == '\\' && i + 1 < n &&
				    strchr("\"\\$`", s[i + 1]))
					i++;
				sbuf_addc(&word, s[i]);
			}
			have = 1;
			i++;
		} else if (c == '\\' && i + 1 < n) {
			sbuf_addc(&word, s[i + 1]);
			have = 1;
			i += 2;
		} else {
			sbuf_addc(&word, c);
			have = 1;
			i++;
		}
	}
	free(w.v);
	sbuf_release(&word);
	sbuf_release(&cwd);
}

/* Is the word a C or C++ compiler: [target-]gcc[-12], clang++-14, cc? */
static int
is_compiler(const char *w)
{
	static const char *const names[] = {
		"c++", "g++", "clang++", "cc", "gcc", "clang", NULL,
	};
	const char *b = strrchr(w, '/');
	size_t i, n;

	b = b ? b + 1 : w;
	for (i = 0; names[i]; i++) {
		const char *p = b;

		/* a target prefix: x86_64-linux-gnu-gcc */
		while (strlen(p) > strlen(names[i]) &&
		       strncmp(p, names[i], strlen(names[i])) &&
		       (p = strchr(p, '-')))
			p++;
		if (!p || strncmp(p, names[i], n = strlen(names[i])))
			continue;
		/* a version suffix: gcc-12, clang-14 */
		if (!p[n] || (p[n] == '-' && isdigit((unsigned char)p[n + 1])))
			return 1;
	}
	return 0;
}

/*
 * What may come before the compiler in a command: an assignment, a
 * wrapper (ccache, libtool and its --mode=compile), a shell running it.
 */
static int
is_prefix(const char *w)
{
	static const char *const wrappers[] = {
		"ccache", "sccache", "distcc", "libtool", "env", "time",
		"nice", "sh", "bash", NULL,
	};
	const char *b = strrchr(w, '/');
	size_t i;

	if (w[0] == '-' ? w[1] == '-' : strchr(w, '=') != NULL)
		return 1;
	b = b ? b + 1 : w;
	for (i = 0; wrappers[i]; i++)
		if (!strcmp(b, wrappers[i]))
			return 1;
	return 0;
}

/* Options whose value is the next word. */
static int
takes_value(const char *a)
{
	static const char *const opts[] = {
		"-o", "-MF", "-MT", "-MQ", "-I", "-isystem", "-iquote",
		"-idirafter", "-include", "-imacros", "-x", "-D", "-U",
		"-Xclang", "-Xlinker", "-L", "-l", "-arch", "-target", NULL,
	};
	size_t i;

	for (i = 0; opts[i]; i++)
		if (!strcmp(a, opts[i]))
			return 1;
	return 0;
}

static void
command(struct parse *p, struct words *w, struct sbuf *cwd)
{
	struct makelog_cmd *c;
	size_t i, cc = w->n, file = 0;

	if (w->n == 2 && !strcmp(w->v[0], "cd")) {
		if (w->v[1][0] == '/') {
			sbuf_reset(cwd);
			sbuf_adds(cwd, w->v[1]);
		} else {
			sbuf_addf(cwd, "/%s", w->v[1]);
		}
		return;
	}
	for (i = 0; i < w->n && cc == w->n; i++)
		if (is_compiler(w->v[i]))
			cc = i;
		else if (!is_prefix(w->v[i]))
			return;
	for (i = cc + 1; i < w->n && !file; i++) {
		if (takes_value(w->v[i]))
			i++;
		else if (w->v[i][0] != '-' &&
			 gitsrc_is_source(w->v[i], NULL, NULL))
			file = i;
	}
	if (cc == w->n || !file)
		return;
	XGROW(p->v, p->n + 1, p->cap);
	c = &p->v[p->n++];
	c->dir = xstrdup(cwd->buf);
	c->file = xstrdup(w->v[file]);
	c->argc = w->n - cc;
	c->argv = xcalloc(c->argc, sizeof(char *));
	for (i = cc; i < w->n; i++)
		c->argv[i - cc] = w->v[i];
	w->n = cc;	/* the words from cc on are the command's now */
}

/* A line "make[1]: Entering directory '/x'" or "... Leaving ...". */
static int
directory_line(struct parse *p, const char *s, size_t n)
{
	static const char enter[] = ": Entering directory ";
	static const char leave[] = ": Leaving directory ";
	const char *e = memmem(s, n, enter, sizeof(enter) - 1);
	const char *q, *end;

	if (!e && memmem(s, n, leave, sizeof(leave) - 1)) {
		if (p->ndirs > 1)
			free(p->dirs[--p->ndirs]);
		return 1;
	}
	if (!e || !memmem(s, (size_t)(e - s), "make", 4))
		return 0;
	q = e + sizeof(enter) - 1;
	end = s + n;
	if (q < end && (*q == '\'' || *q == '`'))
		q++;
	if (end > q && end[-1] == '\'')
		end--;
	XGROW(p->dirs, p->ndirs + 1, p->dcap);
	p->dirs[p->ndirs++] = xstrndup(q, (size_t)(end - q));
	return 1;
}

size_t
makelog_parse(const char *text, size_t len, const char *dir,
	      struct makelog_cmd **out)
{
	struct parse p;
	struct sbuf line = SBUF_INIT;
	size_t i = 0;

	memset(&p, 0, sizeof(p));
	XGROW(p.dirs, 1, p.dcap);
	p.dirs[p.ndirs++] = xstrdup(dir);
	while (i < len) {
		const char *nl;
		size_t e;

		/* a line, with its backslash continuations */
		sbuf_reset(&line);
		for (;;) {
			nl = memchr(text + i, '\n', len - i);
			e = nl ? (size_t)(nl - text) : len;
			if (e > i && text[e - 1] == '\\' && nl) {
				sbuf_add(&line, text + i, e - i - 1);
				i = e + 1;
				continue;
			}
			sbuf_add(&line, text + i, e - i);
			i = nl ? e + 1 : len;
			break;
		}
		if (!directory_line(&p, line.buf, line.len))
			split(line.buf, line.len, command, &p);
	}
	for (i = 0; i < p.ndirs; i++)
		free(p.dirs[i]);
	free(p.dirs);
	sbuf_release(&line);
	*out = p.v;
	return p.n;
}

void
makelog_free(struct makelog_cmd *v, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < v[i].argc; j++)
			free(v[i].argv[j]);
		free(v[i].argv);
		free(v[i].dir);
		free(v[i].file);
	}
	free(v);
}

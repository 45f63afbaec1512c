/*
 * Where the time goes inside the function: its hot lines (def.hot_lines,
 * from pesq-deps) marked in the code shown, and the callers the compiler
 * inlined it into (hot.inlined_into, from pesq-hot), said in the profile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prompt/prompt_int.h"
#include "base/xalloc.h"

/* Lines marked at most, and the least share that is marked. */
enum { MAX_MARKS = 8 };
#define MIN_SHARE 0.05

struct mark {
	long line;		/* in the file */
	int pct;
};

/*
 * For each line of code (nlines of them), may a comment be appended at
 * its end: is the end in plain code, not in a block comment, a literal,
 * or a line continued by a backslash?
 */
static void
markable(const char *code, unsigned char *ok, size_t nlines)
{
	size_t i = 0, line = 0;
	int block = 0;
	char quote = 0;

	for (; code[i] && line < nlines; i++) {
		char c = code[i];

		if (c == '\n') {
			ok[line++] = !block && !quote &&
				!(i > 0 && code[i - 1] == '\\');
			quote = 0;	/* a literal ends with its line */
			continue;
		}
		if (block) {
			if (c == '*' && code[i + 1] == '/') {
				block = 0;
				i++;
			}
		} else if (quote) {
			if (c == '\\' && code[i + 1] && code[i + 1] != '\n')
				i++;
			else if (c == quote)
				quote = 0;
		} else if (c == '/' && code[i + 1] == '*') {
			block = 1;
			i++;
		} else if (c == '/' && code[i + 1] == '/') {
			while (code[i + 1] && code[i + 1] != '\n')
				i++;
		} else if (c == '"' || c == '\'') {
			quote = c;
		}
	}
	if (line < nlines)
		ok[line] = !block && !quote;
}

static int
cmp_line(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

/* Read up to MAX_MARKS hot lines of at least MIN_SHARE; their number. */
static size_t
read_marks(const struct prompt_job *j, struct mark *m)
{
	const struct jsonl_rec *rec = j->rec;
	int arr = jsonl_path(rec, "def.hot_lines");
	size_t n = 0;
	int i;

	for (i = 0; arr >= 0 && i < jsonl_count(rec, arr) && n < MAX_MARKS;
	     i++) {
		int el = jsonl_at(rec, arr, i);
		long long line;
		double share;

		if (jsonl_int(rec, jsonl_get(rec, el, "line"), &line) ||
		    jsonl_num(rec, jsonl_get(rec, el, "share"), &share) ||
		    share < MIN_SHARE || share > 1)
			continue;
		m[n].line = (long)line;
		m[n].pct = (int)(share * 100 + 0.5);
		n++;
	}
	qsort(m, n, sizeof(*m), cmp_line);
	return n;
}

/*
 * Append " /x hot: N% x/" to the hot lines of j->code. Returns how many
 * were marked.
 */
static size_t
mark_code(struct prompt_job *j, long first)
{
	struct mark m[MAX_MARKS];
	struct sbuf out = SBUF_INIT;
	unsigned char *ok;
	size_t n = read_marks(j, m), k = 0, nlines = 1, marked = 0;
	const char *p, *e;
	long line = first;

	if (!n)
		return 0;
	for (p = j->code.buf; (p = strchr(p, '\n')); p++)
		nlines++;
	ok = xcalloc(nlines, 1);
	markable(j->code.buf, ok, nlines);
	for (p = j->code.buf; ; p = e + 1, line++) {
		e = strchr(p, '\n');
		sbuf_add(&out, p, e ? (size_t)(e - p) : strlen(p));
		while (k < n && m[k].line < line)
			k++;
		if (k < n && m[k].line == line && ok[line - first]) {
			sbuf_addf(&out, " /* hot: %d%% */", m[k].pct);
			marked++;
		}
		if (!e)
			break;
		sbuf_addc(&out, '\n');
	}
	free(ok);
	if (marked) {
		sbuf_reset(&j->code);
		sbuf_add(&j->code, out.buf, out.len);
	}
	sbuf_release(&out);
	return marked;
}

void
prompt_setup_hot(struct prompt_job *j, struct sbuf *profile)
{
	const struct jsonl_rec *rec = j->rec;
	int into = jsonl_path(rec, "hot.inlined_into"), i, n;
	long long first = jsonl_path_int(rec, "def.line", 0);

	if (!j->fail && !j->check && first > 0 && mark_code(j, (long)first))
		sbuf_adds(profile, "\nThe lines marked `/* hot: N% */` in "
			  "the code below hold N% of the samples in its own "
			  "code (the marks are pesq's, not in the file: leave "
			  "them out of your reply).");
	if (!jsonl_is_array(rec, into) || (n = jsonl_count(rec, into)) <= 0)
		return;
	sbuf_addf(profile, "\n`%s` is inlined into ", j->fn.buf);
	for (i = 0; i < n; i++) {
		sbuf_reset(&j->tmp);
		jsonl_str(rec, jsonl_at(rec, into, i), &j->tmp);
		sbuf_addf(profile, "%s`%s`", i == 0 ? "" : i == n - 1 ?
			  " and " : ", ", j->tmp.buf);
	}
	sbuf_adds(profile, ": its samples were taken in the copies the "
		  "compiler made there, so it must stay fast once inlined "
		  "(keep it small, and keep it inline).");
}

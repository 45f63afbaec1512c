/*
 * The source lines of the functions' samples (pesq-fold --lines), read
 * for pesq-hot's hot.lines. See hotlines.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "profile/hotlines.h"
#include "base/jsonl.h"
#include "base/sbuf.h"
#include "base/xalloc.h"

struct hotline_list {
	struct hotline *v;
	size_t n, cap;
};

static void
list_add(struct hotlines *hl, const char *fn, size_t fnn, const char *file,
	 unsigned long line, uint64_t count)
{
	int added;
	void **slot = hmap_put(&hl->fns, fn, fnn, &added);
	struct hotline_list *l = *slot;
	struct hotline *h;

	if (added)
		*slot = l = xcalloc(1, sizeof(*l));
	XGROW(l->v, l->n + 1, l->cap);
	h = &l->v[l->n++];
	h->file = xstrdup(file);
	h->line = line;
	h->count = count;
	hl->sorted = 0;
}

int
hotlines_read(struct hotlines *hl, FILE *fp, const char *name,
	      void (*bad)(void *arg, unsigned long lineno, const char *why),
	      void *arg)
{
	struct jsonl_reader r;
	struct jsonl_rec *rec;
	struct sbuf fn = SBUF_INIT, file = SBUF_INIT;
	int k, ret = 0;
	long long line, count;

	jsonl_reader_init(&r, fp, name);
	while ((k = jsonl_read(&r, &rec)) != 0) {
		if (k == -2) {
			ret = -1;
			break;
		}
		if (k == -1) {
			/* the reader's message less its "name:line: " */
			sbuf_reset(&fn);
			sbuf_addf(&fn, "%s:%lu: ", name, r.lineno);
			bad(arg, r.lineno, r.err.buf +
			    (strncmp(r.err.buf, fn.buf, fn.len) ? 0 : fn.len));
			continue;
		}
		sbuf_reset(&fn);
		sbuf_reset(&file);
		if (jsonl_str(rec, jsonl_get(rec, 0, "fn"), &fn) ||
		    jsonl_str(rec, jsonl_get(rec, 0, "file"), &file) ||
		    jsonl_int(rec, jsonl_get(rec, 0, "line"), &line) ||
		    jsonl_int(rec, jsonl_get(rec, 0, "count"), &count) ||
		    line <= 0 || count < 0 || !fn.len ||
		    memchr(file.buf, '\0', file.len)) {
			bad(arg, r.lineno, "not a line of pesq-fold --lines "
			    "({\"fn\", \"file\", \"line\", \"count\"}), "
			    "skipped");
			continue;
		}
		list_add(hl, fn.buf, fn.len, file.buf, (unsigned long)line,
			 (uint64_t)count);
	}
	if (ret < 0) {
		int e = errno;

		jsonl_reader_release(&r);
		errno = e;
	} else {
		jsonl_reader_release(&r);
	}
	sbuf_release(&fn);
	sbuf_release(&file);
	return ret;
}

static int
bykey(const void *va, const void *vb)
{
	const struct hotline *a = va, *b = vb;
	int c = strcmp(a->file, b->file);

	if (c)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

static int
byweight(const void *va, const void *vb)
{
	const struct hotline *a = va, *b = vb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return bykey(va, vb);
}

/* Sum the repeats of a list, then order it heaviest first. */
static void
list_sort(struct hotline_list *l)
{
	size_t i, n = 0;

	qsort(l->v, l->n, sizeof(*l->v), bykey);
	for (i = 0; i < l->n; i++) {
		if (n && !bykey(&l->v[n - 1], &l->v[i])) {
			uint64_t c = l->v[n - 1].count + l->v[i].count;

			l->v[n - 1].count = c < l->v[i].count ? UINT64_MAX : c;
			free(l->v[i].file);
			continue;
		}
		l->v[n++] = l->v[i];
	}
	l->n = n;
	qsort(l->v, l->n, sizeof(*l->v), byweight);
}

const struct hotline *
hotlines_get(struct hotlines *hl, const char *name, size_t n, size_t *count)
{
	struct hotline_list *l;
	size_t i;

	if (!hl->sorted) {
		for (i = 0; i < hl->fns.cap; i++)
			if (hl->fns.ent[i].key)
				list_sort(hl->fns.ent[i].val);
		hl->sorted = 1;
	}
	l = hmap_get(&hl->fns, name, n);
	*count = l ? l->n : 0;
	return l ? l->v : NULL;
}

static void
list_free(void *p)
{
	struct hotline_list *l = p;
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].file);
	free(l->v);
	free(l);
}

void
hotlines_release(struct hotlines *hl)
{
	hmap_free(&hl->fns, list_free);
	hl->fns = (struct hmap)HMAP_INIT;
}

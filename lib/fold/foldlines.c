/*
 * Hot lines: the source line of each sample's leaf frame, summed per
 * function and line (FOLD_LINES), from perf's srcline lines when the
 * input has them, else from the binary's DWARF. Part of the fold module.
 */
#include <stdlib.h>
#include <string.h>

#include "fold/fold_int.h"
#include "fold/foldsym.h"
#include "base/jsonl.h"
#include "base/xalloc.h"

int
foldlines_is_src(const char *p, size_t n)
{
	size_t i = 0, d;

	while (i < n && is_space(p[i]))
		i++;
	if (!i || i == n)
		return 0;
	if (p[i] == '[' && p[n - 1] == ']')
		return 1;	/* a kernel address: [kernel.kallsyms][ffff...] */
	for (d = n; d > i && is_digit(p[d - 1]); d--)
		;
	return d < n && d > i && p[d - 1] == ':';
}

void
foldlines_src(struct fold *f, const char *p, size_t n)
{
	if (f->nlines != 1 || f->leaf_src.len)
		return;		/* only the leaf frame's line counts */
	while (n && is_space(*p)) {
		p++;
		n--;
	}
	sbuf_add(&f->leaf_src, p, n);
}

void
foldlines_leaf(struct fold *f, const struct foldsym_line *fl)
{
	sbuf_reset(&f->leaf_mod);
	sbuf_reset(&f->leaf_pc);
	sbuf_reset(&f->leaf_src);
	sbuf_add(&f->leaf_mod, fl->mod, fl->modn);
	sbuf_add(&f->leaf_pc, fl->pc, fl->pcn);
}

/* The length of frame s[0, n) without a "_[k]"-style mark. */
static size_t
fn_len(const char *s, size_t n)
{
	if (n >= 4 && s[n - 4] == '_' && s[n - 3] == '[' && s[n - 1] == ']' &&
	    strchr("kji", s[n - 2]))
		return n - 4;
	return n;
}

void
foldlines_sample(struct fold *f, uint64_t w)
{
	const char *leaf, *semi, *file = NULL, *colon;
	size_t ln, filen = 0;
	unsigned long line = 0;
	struct elfaddr_res r;
	uint64_t pc;

	if (!f->nframes || !f->leaf_mod.len)
		return;
	semi = memrchr(f->kbuf + f->kpos, ';', f->kcap - f->kpos);
	leaf = semi ? semi + 1 : f->kbuf + f->kpos;
	ln = f->kbuf + f->kcap - leaf;
	if (ln >= 4 && !memcmp(leaf + ln - 4, "_[k]", 4))
		return;
	ln = fn_len(leaf, ln);
	if (f->leaf_src.len &&
	    (colon = memrchr(f->leaf_src.buf, ':', f->leaf_src.len))) {
		file = f->leaf_src.buf;
		filen = colon - file;
		line = strtoul(colon + 1, NULL, 10);
		if (!filen || (filen == 2 && !memcmp(file, "??", 2)))
			line = 0;
	}
	if (!line && foldsym_is_file(f->leaf_mod.buf, f->leaf_mod.len) &&
	    !fold_parse_hex(f->leaf_pc.buf, f->leaf_pc.len, &pc)) {
		if (!f->ea)
			f->ea = elfaddr_new();
		elfaddr_lookup(f->ea, f->leaf_mod.buf, f->leaf_mod.len, pc, 0,
			       &r);
		if (r.file) {
			file = r.file;
			filen = strlen(file);
			line = r.line;
		}
	}
	if (!line || line > UINT32_MAX)
		return;
	sbuf_reset(&f->tmp);
	sbuf_add(&f->tmp, leaf, ln);
	sbuf_addc(&f->tmp, '\0');
	sbuf_add(&f->tmp, file, filen);
	sbuf_addf(&f->tmp, "%c%lu", '\0', line);
	stackmap_add(&f->lines, f->tmp.buf, f->tmp.len, w);
}

struct hot_line {
	const char *fn, *file;
	size_t fnn, filen;
	unsigned long line;
	uint64_t count;
};

static int
bytecmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : (an > bn) - (an < bn);
}

/* By function, then heaviest first, then by file and line. */
static int
linecmp(const void *va, const void *vb)
{
	const struct hot_line *a = va, *b = vb;
	int c = bytecmp(a->fn, a->fnn, b->fn, b->fnn);

	if (c)
		return c;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	c = bytecmp(a->file, a->filen, b->file, b->filen);
	if (c)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

int
fold_write_lines(struct fold *f, FILE *out)
{
	struct hot_line *v = xcalloc(f->lines.n + 1, sizeof(*v));
	struct sbuf o = SBUF_INIT;
	struct jw w;
	size_t i;
	int r = 0;

	for (i = 0; i < f->lines.n; i++) {
		const struct stackmap_ent *e = &f->lines.ent[i];
		const char *k = stackmap_key(&f->lines, e), *z1, *z2;

		z1 = memchr(k, '\0', e->len);
		z2 = memchr(z1 + 1, '\0', e->len - (z1 + 1 - k));
		v[i].fn = k;
		v[i].fnn = z1 - k;
		v[i].file = z1 + 1;
		v[i].filen = z2 - z1 - 1;
		v[i].line = strtoul(z2 + 1, NULL, 10);
		v[i].count = e->count;
	}
	qsort(v, f->lines.n, sizeof(*v), linecmp);
	for (i = 0; i < f->lines.n && !r; i++) {
		jw_init(&w, &o);
		jw_obj(&w);
		jw_key(&w, "fn");
		jw_strn(&w, v[i].fn, v[i].fnn);
		jw_key(&w, "file");
		jw_strn(&w, v[i].file, v[i].filen);
		jw_key(&w, "line");
		jw_uint(&w, v[i].line);
		jw_key(&w, "count");
		jw_uint(&w, v[i].count);
		jw_obj_end(&w);
		jw_release(&w);
		sbuf_addc(&o, '\n');
		if (o.len >= 1 << 16 || i + 1 == f->lines.n) {
			if (fwrite(o.buf, 1, o.len, out) != o.len)
				r = -1;
			sbuf_reset(&o);
		}
	}
	sbuf_release(&o);
	free(v);
	return r;
}

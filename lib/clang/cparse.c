/*
 * Finding a function's definition with libclang: which translation units
 * to parse (a textual prefilter), parsing them from the snapshot's
 * content, matching the name as perf prints it, the exact extent, and
 * telling apart static functions of the same name.
 */
#include <stdlib.h>
#include <string.h>

#include <clang-c/Index.h>

#include "clang/context.h"
#include "clang/cparse.h"
#include "clang/cursig.h"
#include "debuginfo/binsrc.h"
#include "source/cscan.h"
#include "source/demangled.h"
#include "base/jsonl.h"
#include "base/xalloc.h"

struct tu_ent {
	struct gitsrc_file *f;
	CXTranslationUnit tu;	/* NULL when libclang failed */
	struct cflags_args args;
	unsigned long used;	/* query number of its last use */
};

struct cparse {
	struct gitsrc *gs;
	struct cflags *cf;
	struct cparse_opts opts;
	CXIndex index;
	struct CXUnsavedFile *unsaved;	/* every header, plus a main slot */
	size_t nheaders;
	struct tu_ent **tus;
	size_t ntus, tucap;
	unsigned long query;
	struct sbuf defs;	/* every #define, when some paste tokens */
	int defs_read;
};

struct cand {
	struct tu_ent *te;
	CXCursor cur;
	struct gitsrc_file *f;
	unsigned start, end;
	char *qual;
	int score;		/* higher is better: see consider() */
	int bin;		/* by_binary's answer */
};

struct search {
	struct cparse *cp;
	struct tu_ent *te;
	const char *qual, *word;
	const char *sig;	/* perf's full signature, normalised, or NULL */
	struct sbuf sigbuf;
	int anon;		/* the name is in an anonymous namespace */
	int nparams;
	int loose;		/* the signature matched nothing: by name */
	struct cand *v;
	size_t n, cap;
};

struct cparse *
cparse_new(struct gitsrc *gs, struct cflags *cf,
	   const struct cparse_opts *opts)
{
	struct cparse *cp = xcalloc(1, sizeof(*cp));
	size_t i, n = 0;

	cp->gs = gs;
	cp->cf = cf;
	cp->opts = *opts;
	if (!cp->opts.max_tus)
		cp->opts.max_tus = 16;
	cp->index = clang_createIndex(0, 0);
	sbuf_init(&cp->defs, 0);
	cp->unsaved = xcalloc(gs->nfiles + 1, sizeof(*cp->unsaved));
	for (i = 0; i < gs->nfiles; i++) {
		if (!gs->files[i].is_header)
			continue;
		cp->unsaved[n].Filename = gs->files[i].abspath;
		cp->unsaved[n].Contents = gs->files[i].data;
		cp->unsaved[n].Length = gs->files[i].len;
		n++;
	}
	cp->nheaders = n;
	return cp;
}

static void
tu_free(struct tu_ent *te)
{
	if (te->tu)
		clang_disposeTranslationUnit(te->tu);
	cflags_args_release(&te->args);
	free(te);
}

void
cparse_free(struct cparse *cp)
{
	size_t i;

	if (!cp)
		return;
	for (i = 0; i < cp->ntus; i++)
		tu_free(cp->tus[i]);
	free(cp->tus);
	free(cp->unsaved);
	sbuf_release(&cp->defs);
	clang_disposeIndex(cp->index);
	free(cp);
}

/* The parsed translation unit of f, parsing it on first use. */
static struct tu_ent *
get_tu(struct cparse *cp, struct gitsrc_file *f)
{
	struct tu_ent *te;
	size_t i, nu = cp->nheaders;
	unsigned opts = CXTranslationUnit_DetailedPreprocessingRecord |
		CXTranslationUnit_KeepGoing;

	for (i = 0; i < cp->ntus; i++)
		if (cp->tus[i]->f == f) {
			cp->tus[i]->used = cp->query;
			return cp->tus[i];
		}
	te = xcalloc(1, sizeof(*te));
	te->f = f;
	te->used = cp->query;
	cflags_for(cp->cf, f, &te->args);
	if (!f->is_header) {
		cp->unsaved[nu].Filename = f->abspath;
		cp->unsaved[nu].Contents = f->data;
		cp->unsaved[nu].Length = f->len;
		nu++;
	}
	if (clang_parseTranslationUnit2(cp->index, f->abspath,
					(const char *const *)te->args.v,
					(int)te->args.n, cp->unsaved,
					(unsigned)nu, opts, &te->tu) !=
	    CXError_Success)
		te->tu = NULL;
	XGROW(cp->tus, cp->ntus + 1, cp->tucap);
	cp->tus[cp->ntus++] = te;
	return te;
}

/* Forget the units least recently used when more than max_tus are kept. */
static void
evict(struct cparse *cp)
{
	while (cp->ntus > cp->opts.max_tus) {
		size_t i, old = 0;

		for (i = 1; i < cp->ntus; i++)
			if (cp->tus[i]->used < cp->tus[old]->used)
				old = i;
		tu_free(cp->tus[old]);
		memmove(cp->tus + old, cp->tus + old + 1,
			(cp->ntus - old - 1) * sizeof(*cp->tus));
		cp->ntus--;
	}
}

static int
is_function(enum CXCursorKind k)
{
	return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod ||
		k == CXCursor_Constructor || k == CXCursor_Destructor ||
		k == CXCursor_ConversionFunction ||
		k == CXCursor_FunctionTemplate;
}

static int
is_container(enum CXCursorKind k)
{
	return k == CXCursor_Namespace || k == CXCursor_LinkageSpec ||
		k == CXCursor_ClassDecl || k == CXCursor_StructDecl ||
		k == CXCursor_UnionDecl || k == CXCursor_ClassTemplate ||
		k == CXCursor_ClassTemplatePartialSpecialization ||
		k == CXCursor_UnexposedDecl;
}

/* 2 when a and b are the same name, 1 when one ends with "::" other. */
static int
name_score(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (!strcmp(a, b))
		return 2;
	if (la > lb + 2 && !strcmp(a + la - lb, b) &&
	    !strncmp(a + la - lb - 2, "::", 2))
		return 1;
	if (lb > la + 2 && !strcmp(b + lb - la, a) &&
	    !strncmp(b + lb - la - 2, "::", 2))
		return 1;
	return 0;
}

/*
 * Score candidate c against the name searched for, 0 when it does not
 * match. With a full signature (perf script -v, c++filt): 100000 less
 * the wildcards and scopes the match needed (see demangled_match), so
 * that an explicit specialization beats its template and a whole name
 * beats a shorter one. With a bare name: 2 for the whole qualified name,
 * 1 for a suffix of it, and the parameter count must agree when given.
 * Either way "(anonymous namespace)::f" is only a function of an
 * anonymous namespace, and a qualified name never one.
 */
static int
score_of(const struct search *s, CXCursor c, const char *qual)
{
	struct sbuf sig = SBUF_INIT;
	int score, anon, r;

	cursig_write(c, &sig);
	anon = strstr(sig.buf, "(anonymous namespace)") != NULL;
	if (s->sig && !s->loose) {
		r = demangled_match(sig.buf, s->sig, 1);
		sbuf_release(&sig);
		return r < 0 ? 0 : 100000 - r;
	}
	sbuf_release(&sig);
	if (anon != s->anon && strstr(s->qual, "::"))
		return 0;
	if (s->anon && !anon)
		return 0;
	score = name_score(qual, s->qual);
	if (score && s->nparams >= 0 &&
	    clang_getCursorKind(c) != CXCursor_FunctionTemplate &&
	    clang_Cursor_getNumArguments(c) != s->nparams)
		score = 0;
	return score;
}

static void
consider(struct search *s, CXCursor c)
{
	struct sbuf q = SBUF_INIT;
	struct context_loc loc;
	CXString sp;
	int match, score;
	size_t i;

	sp = clang_getCursorSpelling(c);
	/* a class template's constructor is spelt "Box<T>" */
	match = !strncmp(clang_getCString(sp), s->word, strlen(s->word)) &&
		strchr("<", clang_getCString(sp)[strlen(s->word)]);
	clang_disposeString(sp);
	if (!match || !clang_isCursorDefinition(c))
		return;
	if (context_locate(s->cp->gs, c, &loc) || !loc.f) {
		context_loc_release(&loc);
		return;
	}
	context_loc_release(&loc);
	context_qualname(c, &q);
	score = score_of(s, c, q.buf);
	for (i = 0; score && i < s->n; i++)
		if (s->v[i].f == loc.f && s->v[i].start == loc.start)
			score = 0;	/* seen from another unit */
	if (!score) {
		sbuf_release(&q);
		return;
	}
	XGROW(s->v, s->n + 1, s->cap);
	s->v[s->n].te = s->te;
	s->v[s->n].cur = c;
	s->v[s->n].f = loc.f;
	s->v[s->n].start = loc.start;
	s->v[s->n].end = loc.end;
	s->v[s->n].qual = sbuf_detach(&q, NULL);
	s->v[s->n].score = score;
	s->n++;
}

static enum CXChildVisitResult
find_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	enum CXCursorKind k = clang_getCursorKind(c);

	(void)parent;
	if (clang_isPreprocessing(k))
		return CXChildVisit_Continue;
	if (clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
		return CXChildVisit_Continue;
	if (is_function(k))
		consider(data, c);
	else if (is_container(k))
		return CXChildVisit_Recurse;
	return CXChildVisit_Continue;
}

static void
search_tu(struct search *s, struct gitsrc_file *f)
{
	s->te = get_tu(s->cp, f);
	if (s->te->tu)
		clang_visitChildren(clang_getTranslationUnitCursor(s->te->tu),
				    find_visit, s);
}

/* Does src have an #include naming the header h (by its last component)? */
static int
includes(const struct gitsrc_file *src, const struct gitsrc_file *h)
{
	const char *base = strrchr(h->path, '/');
	size_t blen, i = 0;
	const char *p;

	base = base ? base + 1 : h->path;
	blen = strlen(base);
	while (i < src->len && (p = memmem(src->data + i, src->len - i,
					   base, blen))) {
		size_t at = (size_t)(p - src->data), b = at;

		i = at + 1;
		if (at + blen >= src->len ||
		    (src->data[at + blen] != '"' && src->data[at + blen] != '>') ||
		    !at || !strchr("\"</", src->data[at - 1]))
			continue;
		while (b > 0 && src->data[b - 1] != '\n')
			b--;
		while (b < at && (src->data[b] == ' ' || src->data[b] == '\t'))
			b++;
		if (src->data[b] == '#')
			return 1;
	}
	return 0;
}

/* Does the text of f define a function whose last name is word? */
static int
text_defines(const struct gitsrc_file *f, const char *word)
{
	struct cscan_fn *fns;
	size_t i, n;
	int found = 0;

	if (!cscan_has_word(f->data, f->len, word))
		return 0;
	n = cscan_functions(f->data, f->len, &fns);
	for (i = 0; i < n && !found; i++)
		found = cscan_name_is(f->data, &fns[i], word);
	free(fns);
	return found;
}

/* The unit to parse for a header that defines the function. */
static struct gitsrc_file *
unit_for_header(struct cparse *cp, struct gitsrc_file *h, const char *word)
{
	size_t i;
	int pass;

	/* better one that uses the function: it is parsed anyway */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < cp->gs->nfiles; i++) {
			struct gitsrc_file *f = &cp->gs->files[i];

			if (!f->is_header && includes(f, h) && (pass ||
			    cscan_has_word(f->data, f->len, word)))
				return f;
		}
	return h;
}

/* Add u to the units to parse, unless it is there. */
static void
add_unit(struct gitsrc_file ***units, size_t *n, size_t *cap,
	 struct gitsrc_file *u)
{
	size_t j;

	for (j = 0; j < *n && (*units)[j] != u; j++)
		;
	if (j == *n) {
		XGROW(*units, *n + 1, *cap);
		(*units)[(*n)++] = u;
	}
}

/*
 * A name made by pasting tokens (#define NS(x) lz_##x, then NS(update))
 * is in no file's text: parse the units where such a macro could make it
 * (see cscan_paste_could_make), at most 32 of them.
 */
static void
find_pasted(struct cparse *cp, struct search *s)
{
	struct gitsrc *gs = cp->gs;
	struct gitsrc_file **units = NULL;
	size_t i, nunits = 0, ucap = 0;
	int paste = 0;

	if (!cp->defs_read) {
		for (i = 0; i < gs->nfiles; i++)
			paste |= cscan_defines(gs->files[i].data,
					       gs->files[i].len, 1, &cp->defs);
		if (!paste)
			sbuf_reset(&cp->defs);
		cp->defs_read = 1;
	}
	if (!cp->defs.len)
		return;
	for (i = 0; i < gs->nfiles && nunits < 32; i++) {
		struct gitsrc_file *f = &gs->files[i];

		if (!cscan_paste_could_make(s->word, cp->defs.buf, cp->defs.len,
					    f->data, f->len))
			continue;
		add_unit(&units, &nunits, &ucap, f->is_header ?
			 unit_for_header(cp, f, s->word) : f);
	}
	for (i = 0; i < nunits; i++)
		search_tu(s, units[i]);
	free(units);
}

static void
find(struct cparse *cp, struct search *s)
{
	struct gitsrc *gs = cp->gs;
	struct gitsrc_file **units = NULL, **mention = NULL;
	size_t i, nunits = 0, ucap = 0, nmention = 0, mcap = 0;

	for (i = 0; i < gs->nfiles; i++) {
		struct gitsrc_file *f = &gs->files[i];

		if (!cscan_has_word(f->data, f->len, s->word))
			continue;
		if (!text_defines(f, s->word)) {
			if (!f->is_header) {
				XGROW(mention, nmention + 1, mcap);
				mention[nmention++] = f;
			}
			continue;
		}
		add_unit(&units, &nunits, &ucap, f->is_header ?
			 unit_for_header(cp, f, s->word) : f);
	}
	for (i = 0; i < nunits; i++)
		search_tu(s, units[i]);
	/* defined through a macro, perhaps: parse what mentions it */
	for (i = 0; i < nmention && !s->n; i++)
		search_tu(s, mention[i]);
	if (!s->n)
		find_pasted(cp, s);
	free(units);
	free(mention);
}

/* Keep the best-scored candidates; 1 when one is left. */
static void
keep_best(struct search *s)
{
	size_t i, n = 0;
	int best = 0;

	for (i = 0; i < s->n; i++)
		if (s->v[i].score > best)
			best = s->v[i].score;
	for (i = 0; i < s->n; i++) {
		if (s->v[i].score == best)
			s->v[n++] = s->v[i];
		else
			free(s->v[i].qual);
	}
	s->n = n;
}

/* Is w defined in a file of the snapshot that holds no candidate? */
static int
defined_elsewhere(const struct cparse *cp, const struct search *s,
		  const char *w)
{
	size_t i, j;

	for (i = 0; i < cp->gs->nfiles; i++) {
		const struct gitsrc_file *f = &cp->gs->files[i];

		for (j = 0; j < s->n && s->v[j].f != f; j++)
			;
		if (j == s->n && text_defines(f, w))
			return 1;
	}
	return 0;
}

/*
 * Choose among candidates by the file that defines the nearest caller,
 * when that caller is defined in that file only: a `main` of many
 * programs, or a caller some other file defines too, decides nothing.
 */
static int
by_callers(const struct search *s, const struct cparse_query *q)
{
	struct sbuf name = SBUF_INIT;
	size_t i, k;
	int pick = -1;

	for (k = 0; k < q->ncallers && pick < 0; k++) {
		const char *w;
		int hits = 0, at = -1;

		cscan_fn_name(q->callers[k], &name);
		w = cscan_last_component(name.buf);
		if (!*w)
			continue;
		for (i = 0; i < s->n; i++)
			if (text_defines(s->v[i].f, w)) {
				hits++;
				at = (int)i;
			}
		if (hits == 1 && !defined_elsewhere(s->cp, s, w))
			pick = at;
	}
	sbuf_release(&name);
	return pick;
}

/*
 * Keep the candidates the profiled binaries were built from: those whose
 * file a compile unit or line table names, better still those where the
 * debug information declares a function of that name. A step that would
 * leave none is skipped.
 */
static void
by_binary(struct search *s)
{
	struct binsrc *b = s->cp->opts.bin;
	size_t i, n;
	int step, best = 0, r;

	if (!b || s->n < 2)
		return;
	for (step = 0; step < 2 && s->n > 1; step++) {
		for (i = 0; i < s->n; i++) {
			r = step ? binsrc_declares(b, s->word, s->v[i].f->path)
				: binsrc_has_file(b, s->v[i].f->path);
			s->v[i].bin = r;
			if (r > best)
				best = r;
		}
		if (!best)
			continue;
		for (i = n = 0; i < s->n; i++) {
			if (s->v[i].bin == best)
				s->v[n++] = s->v[i];
			else
				free(s->v[i].qual);
		}
		s->n = n;
		best = 0;
	}
}

/* Does perf's path of a source file name the repository path? */
static int
same_source(const char *perf, const char *path)
{
	size_t n = strlen(perf), m = strlen(path);
	const char *base = strrchr(path, '/');

	if (n >= m && !strcmp(perf + n - m, path) &&
	    (n == m || perf[n - m - 1] == '/'))
		return 1;
	/* a bare file name: only a file of that base name */
	return !strchr(perf, '/') && !strcmp(perf, base ? base + 1 : path);
}

static int
cmp_hot(const void *a, const void *b)
{
	const struct cparse_line *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * "hot_lines": the lines of q->lines inside [first, last] of file, summed
 * by line, heaviest first, each with its share of all of q->lines.
 */
static void
write_hot_lines(struct jw *w, const struct cparse_query *q,
		const char *file, unsigned long first, unsigned long last)
{
	struct cparse_line *v;
	double total = 0;
	size_t i, j, n = 0;

	if (!q->nlines)
		return;
	v = xcalloc(q->nlines, sizeof(*v));
	for (i = 0; i < q->nlines; i++) {
		total += q->lines[i].count;
		if (q->lines[i].line < first || q->lines[i].line > last ||
		    !same_source(q->lines[i].file, file))
			continue;
		for (j = 0; j < n && v[j].line != q->lines[i].line; j++)
			;
		if (j == n)
			v[n++] = q->lines[i];
		else
			v[j].count += q->lines[i].count;
	}
	qsort(v, n, sizeof(*v), cmp_hot);
	jw_key(w, "hot_lines");
	jw_arr(w);
	for (i = 0; i < n; i++) {
		jw_obj(w);
		jw_key(w, "line");
		jw_uint(w, v[i].line);
		jw_key(w, "count");
		jw_numg(w, v[i].count, 15);
		jw_key(w, "share");
		jw_numg(w, total > 0 ? v[i].count / total : 0, 3);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	free(v);
}

static void
write_def(const struct cparse *cp, const struct cparse_query *q,
	  const struct context_def *d, struct sbuf *out)
{
	struct gitsrc_file *f = d->f;
	struct context_loc loc;
	unsigned body = d->end;
	struct jw w;
	size_t sig;

	if (!context_locate(cp->gs, d->cur, &loc))
		body = context_body_start(d->cur, &loc);
	context_loc_release(&loc);
	if (body < d->start || body > d->end)
		body = d->end;
	sig = body;
	while (sig > d->start && strchr(" \t\r\n", f->data[sig - 1]))
		sig--;
	jw_init(&w, out);
	jw_obj(&w);
	jw_key(&w, "file");
	jw_str(&w, f->path);
	jw_key(&w, "line");
	jw_uint(&w, cscan_line(f->data, d->start));
	jw_key(&w, "end_line");
	jw_uint(&w, cscan_line(f->data, d->end > d->start ? d->end - 1 :
			       d->end));
	jw_key(&w, "start");
	jw_uint(&w, d->start);
	jw_key(&w, "end");
	jw_uint(&w, d->end);
	jw_key(&w, "blob");
	jw_str(&w, f->blob);
	jw_key(&w, "rev");
	jw_str(&w, cp->gs->commit);
	jw_key(&w, "signature");
	jw_strn(&w, f->data + d->start, sig - d->start);
	jw_key(&w, "code");
	jw_strn(&w, f->data + d->start, d->end - d->start);
	write_hot_lines(&w, q, f->path, cscan_line(f->data, d->start),
			cscan_line(f->data, d->end > d->start ? d->end - 1 :
				   d->end));
	jw_obj_end(&w);
	jw_release(&w);
}

static void
search_release(struct search *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].qual);
	free(s->v);
	sbuf_release(&s->sigbuf);
	memset(s, 0, sizeof(*s));
}

/* Search for fn; 0 with s holding one candidate, or an error code. */
static int
lookup(struct cparse *cp, const struct cparse_query *q, const char *fn,
       struct search *s, struct sbuf *qual, struct sbuf *err)
{
	size_t i;
	int pick;

	memset(s, 0, sizeof(*s));
	s->cp = cp;
	s->nparams = cscan_fn_name(fn, qual);
	s->qual = qual->buf;
	s->word = cscan_last_component(qual->buf);
	s->anon = strstr(fn, "(anonymous namespace)") != NULL;
	sbuf_init(&s->sigbuf, 0);
	if (demangled_norm(fn, &s->sigbuf) == 1)
		s->sig = s->sigbuf.buf;
	sbuf_reset(err);
	if (!*s->word) {
		sbuf_addf(err, "cannot read a function name in '%s'", fn);
		return CPARSE_MISSING;
	}
	find(cp, s);
	if (!s->n && s->sig) {
		/* a signature spelt in a way cursig does not write: by name */
		s->loose = 1;
		find(cp, s);
	}
	keep_best(s);
	if (!s->n) {
		sbuf_addf(err, "'%s' has no definition in the repository", fn);
		return CPARSE_MISSING;
	}
	by_binary(s);
	if (s->n == 1)
		return CPARSE_OK;
	pick = q ? by_callers(s, q) : -1;
	if (pick < 0) {
		sbuf_addf(err, "'%s' is ambiguous: defined in", fn);
		for (i = 0; i < s->n; i++)
			sbuf_addf(err, "%s %s:%lu", i ? "," : "", s->v[i].f->path,
				  cscan_line(s->v[i].f->data, s->v[i].start));
		return CPARSE_AMBIGUOUS;
	}
	for (i = 0; i < s->n; i++)
		if (i != (size_t)pick)
			free(s->v[i].qual);
	s->v[0] = s->v[pick];
	s->n = 1;
	return CPARSE_OK;
}

static void
extend(struct cand *c)
{
	c->start = (unsigned)cscan_decl_prefix(c->f->data, c->f->len,
					       c->start);
}

int
cparse_extract(struct cparse *cp, const struct cparse_query *q,
	       struct sbuf *def, struct sbuf *ctx, struct sbuf *err)
{
	struct sbuf qual = SBUF_INIT, cqual = SBUF_INIT, cerr = SBUF_INIT;
	struct search s, cs;
	struct context_def d;
	struct context_child child, *childp = NULL;
	enum CX_StorageClass sc;
	int ret;

	cp->query++;
	evict(cp);
	ret = lookup(cp, q, q->fn, &s, &qual, err);
	if (ret) {
		search_release(&s);
		sbuf_release(&qual);
		return ret;
	}
	extend(&s.v[0]);
	memset(&d, 0, sizeof(d));
	d.tu = s.v[0].te->tu;
	d.cur = s.v[0].cur;
	d.f = s.v[0].f;
	d.start = s.v[0].start;
	d.end = s.v[0].end;
	d.qual = s.v[0].qual;
	d.word = cscan_last_component(d.qual);
	sc = clang_Cursor_getStorageClass(d.cur);
	/* static, or in an anonymous namespace */
	d.is_static = (sc == CX_SC_Static ||
		       clang_getCursorLinkage(d.cur) == CXLinkage_Internal) &&
		clang_getCursorKind(d.cur) == CXCursor_FunctionDecl &&
		!d.f->is_header;
	d.is_member = clang_getCursorKind(d.cur) != CXCursor_FunctionDecl &&
		clang_getCursorKind(d.cur) != CXCursor_FunctionTemplate;
	if (q->child && *q->child) {
		memset(&child, 0, sizeof(child));
		child.name = q->child;
		if (!lookup(cp, NULL, q->child, &cs, &cqual, &cerr)) {
			extend(&cs.v[0]);
			child.f = cs.v[0].f;
			child.start = cs.v[0].start;
			child.end = cs.v[0].end;
		}
		child.word = cscan_last_component(cqual.buf);
		childp = &child;
	}
	write_def(cp, q, &d, def);
	context_write(cp->gs, &cp->opts, &d, childp, s.v[0].te->args.v,
		   s.v[0].te->args.n, s.v[0].te->args.from,
		   s.v[0].te->f->path, ctx);
	if (childp)
		search_release(&cs);
	search_release(&s);
	sbuf_release(&qual);
	sbuf_release(&cqual);
	sbuf_release(&cerr);
	return CPARSE_OK;
}

/*
 * The callers of a definition: call sites across the snapshot, found in
 * the text by cscan (so that every file counts, parsed or not). Part of
 * the context module (context.h).
 */
#include <stdlib.h>

#include "clang/context.h"
#include "source/cscan.h"
#include "base/jsonl.h"

/* Does f define a function named w (a static one, an overload)? */
static int
defines(const struct gitsrc_file *f, const struct cscan_fn *fns, size_t n,
	const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cscan_name_is(f->data, &fns[i], w))
			return 1;
	return 0;
}

void
context_write_callers(struct jw *j, const struct gitsrc *gs,
		   const struct cparse_opts *o, const struct context_def *def)
{
	size_t i, k, listed = 0;

	jw_arr(j);
	for (i = 0; i < gs->nfiles && listed < o->max_callers; i++) {
		const struct gitsrc_file *f = &gs->files[i];
		struct cscan_fn *fns = NULL;
		size_t *calls, ncalls, nfns = 0, fi = 0;
		size_t last = (size_t)-1;

		if (def->is_static && f != def->f)
			continue;
		ncalls = cscan_calls(f->data, f->len, def->word,
				     def->is_member, &calls);
		if (ncalls)
			nfns = cscan_functions(f->data, f->len, &fns);
		if (ncalls && f != def->f && !def->is_member &&
		    defines(f, fns, nfns, def->word))
			ncalls = 0;	/* its calls go to its own */
		for (k = 0; k < ncalls && listed < o->max_callers; k++) {
			const struct cscan_fn *fn;
			size_t at = calls[k], s, e;

			while (fi < nfns && fns[fi].end <= at)
				fi++;
			if (fi == nfns || fns[fi].body > at)
				continue;	/* not in a function body */
			fn = &fns[fi];
			if ((f == def->f && fn->start <= def->end &&
			     fn->end >= def->start) || fi == last)
				continue;	/* itself; or listed already */
			last = fi;
			listed++;
			jw_obj(j);
			jw_key(j, "name");
			jw_strn(j, f->data + fn->name_off, fn->name_len);
			jw_key(j, "file");
			jw_str(j, f->path);
			jw_key(j, "line");
			jw_uint(j, cscan_line(f->data, at));
			s = fn->start;
			e = fn->end;
			if (e - s > o->caller_limit) {
				/* the lines around the call, within the limit */
				size_t half = o->caller_limit / 2;

				s = at > s + half ? at - half : s;
				e = at + half < e ? at + half : e;
				while (s > 0 && s < at && f->data[s - 1] != '\n')
					s++;
				while (e > at && f->data[e - 1] != '\n')
					e--;
				jw_key(j, "excerpt");
				jw_bool(j, 1);
			}
			jw_key(j, "code");
			jw_strn(j, f->data + s, e - s);
			jw_obj_end(j);
		}
		free(calls);
		free(fns);
	}
	jw_arr_end(j);
}

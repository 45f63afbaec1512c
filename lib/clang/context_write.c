/*
 * The ctx arrays as JSON: types and macros, callees, globals, from the
 * items the AST walk in context.c collected. Part of the context module.
 */
#include <stdlib.h>
#include <string.h>

#include "clang/context_int.h"
#include "source/cscan.h"
#include "base/jsonl.h"
#include "base/xalloc.h"

/* Is [s, e) inside another listed item of the same file? */
static int
nested(const struct list *l, const struct item *it)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct item *o = &l->v[i];

		if (o != it && o->f == it->f && o->start <= it->start &&
		    it->end <= o->end && o->end - o->start > it->end - it->start)
			return 1;
	}
	return 0;
}

/*
 * Is the item shown already: written inside the function itself (a local
 * struct or a #define in its body), or, for an anonymous type, inside the
 * declaration of a listed global ("struct { ... } g;")?
 */
static int
shown(const struct walk *w, const struct item *it)
{
	if (it->f == w->def->f && w->def->start <= it->start &&
	    it->end <= w->def->end)
		return 1;
	return it->anon && nested(&w->globals, it);
}

static void
common(struct jw *j, const struct item *it)
{
	jw_obj(j);
	jw_key(j, "name");
	jw_str(j, it->name ? it->name : "");
	jw_key(j, "file");
	jw_str(j, it->path ? it->path : "");
	jw_key(j, "line");
	jw_uint(j, it->line);
}

void
context_write_types(struct jw *j, const struct walk *w, const struct list *l,
		 const char *suffix, const char *prefix)
{
	size_t i;

	jw_arr(j);
	for (i = 0; i < l->n; i++) {
		const struct item *it = &l->v[i];
		struct sbuf code = SBUF_INIT;

		if (!it->f || nested(l, it) || shown(w, it))
			continue;
		common(j, it);
		jw_key(j, "code");
		sbuf_adds(&code, prefix);
		sbuf_add(&code, it->f->data + it->start, it->end - it->start);
		sbuf_adds(&code, suffix);
		jw_strn(j, code.buf, code.len);
		jw_obj_end(j);
		sbuf_release(&code);
	}
	jw_arr_end(j);
}

void
context_write_callees(struct jw *j, struct walk *w, const struct context_child *ch)
{
	size_t i;
	int child_seen = 0;

	jw_arr(j);
	for (i = 0; i < w->callees.n; i++) {
		struct item *it = &w->callees.v[i];
		int is_child = ch && ch->f && !strcmp(cscan_last_component(
			it->name ? it->name : ""), ch->word);

		if (it->f == w->def->f && it->end == w->def->end)
			continue;	/* itself: a recursive call */
		if (is_child) {
			free(it->path);
			it->path = xstrdup(ch->f->path);
			it->f = ch->f;
			it->start = ch->start;
			it->end = ch->end;
			it->line = cscan_line(ch->f->data, ch->start);
			it->full = 1;
			child_seen = 1;
		}
		common(j, it);
		jw_key(j, "how");
		jw_str(j, it->how);
		jw_key(j, "body");
		jw_bool(j, it->full);
		if (is_child) {
			jw_key(j, "child");
			jw_bool(j, 1);
		}
		jw_key(j, "code");
		if (it->f && it->full) {
			jw_strn(j, it->f->data + it->start, it->end - it->start);
		} else if (it->f) {
			struct sbuf s = SBUF_INIT;
			size_t e = it->decl_end;

			while (e > it->start && strchr(" \t\r\n",
						       it->f->data[e - 1]))
				e--;
			sbuf_add(&s, it->f->data + it->start, e - it->start);
			sbuf_addc(&s, ';');
			jw_strn(j, s.buf, s.len);
			sbuf_release(&s);
		} else if (it->decl) {
			jw_str(j, it->decl);
		} else {
			jw_null(j);
		}
		jw_obj_end(j);
	}
	if (ch && ch->f && !child_seen) {
		struct item it;

		memset(&it, 0, sizeof(it));
		it.name = (char *)ch->name;
		it.path = ch->f->path;
		it.line = cscan_line(ch->f->data, ch->start);
		common(j, &it);
		jw_key(j, "how");
		jw_str(j, "child");
		jw_key(j, "body");
		jw_bool(j, 1);
		jw_key(j, "child");
		jw_bool(j, 1);
		jw_key(j, "code");
		jw_strn(j, ch->f->data + ch->start, ch->end - ch->start);
		jw_obj_end(j);
	}
	jw_arr_end(j);
}

void
context_write_globals(struct jw *j, const struct list *l, size_t limit)
{
	size_t i;

	jw_arr(j);
	for (i = 0; i < l->n; i++) {
		const struct item *it = &l->v[i];
		struct sbuf s = SBUF_INIT;
		size_t e = it->end;

		if (!it->f)
			continue;
		if (e - it->start > limit) {
			/* a large initialiser: the declaration only */
			const char *eq = memchr(it->f->data + it->start, '=',
						e - it->start);

			if (eq)
				e = (size_t)(eq - it->f->data);
			while (e > it->start && strchr(" \t\r\n",
						       it->f->data[e - 1]))
				e--;
		}
		common(j, it);
		jw_key(j, "code");
		sbuf_add(&s, it->f->data + it->start, e - it->start);
		sbuf_addc(&s, ';');
		jw_strn(j, s.buf, s.len);
		jw_obj_end(j);
		sbuf_release(&s);
	}
	jw_arr_end(j);
}

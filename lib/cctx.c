/*
 * The context of a definition: types, callees, globals and macros from
 * libclang's AST; callers from the text of the whole snapshot.
 */
#include <stdlib.h>
#include <string.h>

#include "cctx.h"
#include "cscan.h"
#include "hmap.h"
#include "jsonl.h"
#include "xalloc.h"

/* Lexically normalise an absolute path: drop "." and "x/..". */
static void
normalise(char *p)
{
	char *out = p, *s = p;

	while (*s) {
		if (s[0] == '/' && s[1] == '.' && (s[2] == '/' || !s[2])) {
			s += 2;
		} else if (s[0] == '/' && s[1] == '.' && s[2] == '.' &&
			   (s[3] == '/' || !s[3])) {
			while (out > p && *--out != '/')
				;
			s += 3;
		} else if (s[0] == '/' && s[1] == '/') {
			s++;
		} else {
			*out++ = *s++;
		}
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

int
cctx_locate(const struct gitsrc *gs, CXCursor c, struct cctx_loc *loc)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile f1, f2;
	unsigned line, col, off1, off2;
	CXString name;

	memset(loc, 0, sizeof(*loc));
	clang_getExpansionLocation(clang_getRangeStart(r), &f1, &line, &col,
				   &off1);
	clang_getExpansionLocation(clang_getRangeEnd(r), &f2, NULL, NULL,
				   &off2);
	if (!f1 || !clang_File_isEqual(f1, f2))
		return -1;
	name = clang_getFileName(f1);
	loc->path = xstrdup(clang_getCString(name) ? clang_getCString(name) :
			    "");
	clang_disposeString(name);
	normalise(loc->path);
	loc->file = f1;
	loc->start = off1;
	loc->end = off2;
	loc->line = line;
	loc->f = gs ? gitsrc_by_abspath(gs, loc->path) : NULL;
	if (loc->f && (off2 < off1 || off2 > loc->f->len))
		loc->f = NULL;
	return 0;
}

void
cctx_loc_release(struct cctx_loc *loc)
{
	free(loc->path);
	loc->path = NULL;
}

void
cctx_qualname(CXCursor c, struct sbuf *out)
{
	CXCursor v[64];
	size_t n = 0;

	sbuf_reset(out);
	while (n < 64 && !clang_Cursor_isNull(c) &&
	       clang_getCursorKind(c) != CXCursor_TranslationUnit) {
		v[n++] = c;
		c = clang_getCursorSemanticParent(c);
	}
	while (n-- > 0) {
		enum CXCursorKind k = clang_getCursorKind(v[n]);
		CXString s;

		if (k == CXCursor_LinkageSpec || k == CXCursor_UnexposedDecl)
			continue;
		s = clang_getCursorSpelling(v[n]);
		if (*clang_getCString(s)) {
			const char *p = clang_getCString(s);

			if (out->len)
				sbuf_adds(out, "::");
			/* "Box<T>" for a constructor of a template */
			sbuf_add(out, p, strncmp(p, "operator", 8) ?
				 strcspn(p, "<") : strlen(p));
		}
		clang_disposeString(s);
	}
}

static enum CXChildVisitResult
body_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	enum CXCursorKind k = clang_getCursorKind(c);

	(void)parent;
	if (k == CXCursor_CompoundStmt || k == CXCursor_CXXTryStmt)
		*(CXCursor *)data = c;
	return CXChildVisit_Continue;
}

unsigned
cctx_body_start(CXCursor fn, const struct cctx_loc *loc)
{
	CXCursor body = clang_getNullCursor();
	struct cctx_loc b;
	unsigned at = loc->end;

	clang_visitChildren(fn, body_visit, &body);
	if (clang_Cursor_isNull(body))
		return at;
	if (!cctx_locate(NULL, body, &b) && clang_File_isEqual(b.file,
								loc->file))
		at = b.start;
	cctx_loc_release(&b);
	return at;
}

/* One entry of a ctx array. */
struct item {
	char *name;
	struct gitsrc_file *f;	/* NULL: outside the repository */
	char *path;		/* f's repository path, or libclang's name */
	unsigned start, end, line;
	unsigned decl_end;	/* where the declaration part ends */
	int full;		/* callees: code is the definition */
	const char *how;	/* callees: "call", "ref", "indirect" */
	char *decl;		/* callees outside the project: prototype */
};

struct list {
	struct item *v;
	size_t n, cap;
	struct hmap seen;
};

struct walk {
	const struct gitsrc *gs;
	const struct cparse_opts *opts;
	const struct cctx_def *def;
	struct list types, callees, globals, macros;
};

static struct item *
add(struct list *l, const char *key, int *added)
{
	void **slot = hmap_put(&l->seen, key, strlen(key), added);
	struct item *it;

	if (!*added)
		return &l->v[(size_t)(*slot) - 1];
	XGROW(l->v, l->n + 1, l->cap);
	it = &l->v[l->n++];
	memset(it, 0, sizeof(*it));
	*slot = (void *)l->n;
	return it;
}

static void
list_release(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].path);
		free(l->v[i].decl);
	}
	free(l->v);
	hmap_free(&l->seen, NULL);
}

/* A key for a declaration: its USR, else its place. */
static void
usr_key(CXCursor c, const char *kind, struct sbuf *key)
{
	CXString u = clang_getCursorUSR(c);

	sbuf_reset(key);
	sbuf_addf(key, "%s:%s", kind, clang_getCString(u));
	clang_disposeString(u);
}

/* Record the item's place; 0 when it is in the repository. */
static int
place(struct walk *w, CXCursor c, struct item *it)
{
	struct cctx_loc loc;
	CXString n;

	if (cctx_locate(w->gs, c, &loc))
		return -1;
	it->f = loc.f;
	it->path = xstrdup(loc.f ? loc.f->path : loc.path);
	it->start = loc.start;
	it->end = loc.end;
	it->decl_end = loc.end;
	it->line = loc.line;
	if (!it->name) {
		struct sbuf q = SBUF_INIT;

		if (clang_getCursorKind(c) == CXCursor_MacroDefinition) {
			n = clang_getCursorSpelling(c);
			sbuf_adds(&q, clang_getCString(n));
			clang_disposeString(n);
		} else {
			cctx_qualname(c, &q);
		}
		it->name = sbuf_detach(&q, NULL);
	}
	cctx_loc_release(&loc);
	return it->f ? 0 : 1;
}

/* Strip pointers, arrays and sugar to the declaration of a type. */
static CXCursor
type_decl(CXType t)
{
	for (;;) {
		if (t.kind == CXType_Pointer || t.kind == CXType_LValueReference ||
		    t.kind == CXType_RValueReference)
			t = clang_getPointeeType(t);
		else if (t.kind == CXType_ConstantArray ||
			 t.kind == CXType_IncompleteArray ||
			 t.kind == CXType_VariableArray)
			t = clang_getArrayElementType(t);
		else if (t.kind == CXType_Elaborated)
			t = clang_Type_getNamedType(t);
		else
			break;
	}
	return clang_getTypeDeclaration(t);
}

static void
add_type(struct walk *w, CXCursor c, int depth)
{
	enum CXCursorKind k;
	struct sbuf key = SBUF_INIT;
	struct item *it;
	CXCursor d;
	int added;

	if (clang_Cursor_isNull(c) || depth > 16)
		return;
	d = clang_getCursorDefinition(c);
	if (!clang_Cursor_isNull(d))
		c = d;
	k = clang_getCursorKind(c);
	if (k != CXCursor_StructDecl && k != CXCursor_UnionDecl &&
	    k != CXCursor_EnumDecl && k != CXCursor_TypedefDecl &&
	    k != CXCursor_ClassDecl && k != CXCursor_TypeAliasDecl &&
	    k != CXCursor_ClassTemplate)
		return;
	usr_key(c, "t", &key);
	it = add(&w->types, key.buf, &added);
	sbuf_release(&key);
	if (!added)
		return;
	if (place(w, c, it)) {
		it->f = NULL;	/* a system type: not listed */
		return;
	}
	if (k == CXCursor_TypedefDecl)
		add_type(w, type_decl(clang_getTypedefDeclUnderlyingType(c)),
			 depth + 1);
}

static int
is_fn_kind(enum CXCursorKind k)
{
	return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod ||
		k == CXCursor_Constructor || k == CXCursor_Destructor ||
		k == CXCursor_ConversionFunction ||
		k == CXCursor_FunctionTemplate;
}

static void
add_callee(struct walk *w, CXCursor ref, const char *how)
{
	struct sbuf key = SBUF_INIT;
	struct item *it;
	CXCursor d;
	int added;

	usr_key(ref, "f", &key);
	it = add(&w->callees, key.buf, &added);
	sbuf_release(&key);
	if (!added)
		return;
	it->how = how;
	d = clang_getCursorDefinition(ref);
	if (!clang_Cursor_isNull(d) && is_fn_kind(clang_getCursorKind(d)) &&
	    place(w, d, it) == 0) {
		struct cctx_loc loc;

		if (!cctx_locate(w->gs, d, &loc))
			it->decl_end = cctx_body_start(d, &loc);
		cctx_loc_release(&loc);
		it->start = (unsigned)cscan_decl_prefix(it->f->data,
							it->f->len, it->start);
		it->full = (clang_Cursor_getStorageClass(d) == CX_SC_Static ||
			    clang_Cursor_isFunctionInlined(d)) &&
			it->end - it->start <= w->opts->callee_limit;
		return;
	}
	free(it->path);
	it->path = NULL;
	if (place(w, clang_getCanonicalCursor(ref), it) &&
	    is_fn_kind(clang_getCursorKind(ref))) {
		CXString pp = clang_getCursorPrettyPrinted(ref, NULL);
		struct sbuf s = SBUF_INIT;

		sbuf_adds(&s, clang_getCString(pp));
		sbuf_addc(&s, ';');
		it->decl = sbuf_detach(&s, NULL);
		clang_disposeString(pp);
	}
}

static void
add_global(struct walk *w, CXCursor ref)
{
	struct sbuf key = SBUF_INIT;
	struct item *it;
	CXCursor d = clang_getCursorDefinition(ref);
	int added;

	if (!clang_Cursor_isNull(d))
		ref = d;
	usr_key(ref, "g", &key);
	it = add(&w->globals, key.buf, &added);
	sbuf_release(&key);
	if (added && place(w, ref, it))
		it->f = NULL;
}

static int
is_global(CXCursor var)
{
	enum CXCursorKind p = clang_getCursorKind(
		clang_getCursorSemanticParent(var));

	return !is_fn_kind(p) &&
		clang_Cursor_getStorageClass(var) != CX_SC_Register &&
		(p == CXCursor_TranslationUnit || p == CXCursor_Namespace ||
		 p == CXCursor_LinkageSpec || p == CXCursor_UnexposedDecl ||
		 p == CXCursor_ClassDecl || p == CXCursor_StructDecl);
}

static enum CXChildVisitResult
use_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	struct walk *w = data;
	enum CXCursorKind k = clang_getCursorKind(c), rk;
	CXCursor ref;

	(void)parent;
	if (k == CXCursor_TypeRef) {
		add_type(w, clang_getCursorReferenced(c), 0);
	} else if (k == CXCursor_CallExpr) {
		ref = clang_getCursorReferenced(c);
		rk = clang_getCursorKind(ref);
		if (is_fn_kind(rk))
			add_callee(w, ref, "call");
		else if (rk == CXCursor_VarDecl || rk == CXCursor_FieldDecl ||
			 rk == CXCursor_ParmDecl)
			add_callee(w, ref, "indirect");
	} else if (k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr) {
		ref = clang_getCursorReferenced(c);
		rk = clang_getCursorKind(ref);
		if (is_fn_kind(rk))
			add_callee(w, ref, "ref");
		else if (rk == CXCursor_VarDecl && is_global(ref))
			add_global(w, ref);
		else if (rk == CXCursor_EnumConstantDecl ||
			 rk == CXCursor_FieldDecl)
			add_type(w, clang_getCursorSemanticParent(ref), 0);
		if (rk == CXCursor_VarDecl || rk == CXCursor_ParmDecl ||
		    rk == CXCursor_FieldDecl)
			add_type(w, type_decl(clang_getCursorType(ref)), 0);
	}
	return CXChildVisit_Recurse;
}

static enum CXChildVisitResult
macro_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	struct walk *w = data;
	struct sbuf key = SBUF_INIT;
	struct cctx_loc loc;
	struct item *it;
	CXCursor d;
	int added;

	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_MacroExpansion)
		return CXChildVisit_Continue;
	if (cctx_locate(w->gs, c, &loc) || loc.f != w->def->f ||
	    loc.start < w->def->start || loc.start >= w->def->end) {
		cctx_loc_release(&loc);
		return CXChildVisit_Continue;
	}
	cctx_loc_release(&loc);
	d = clang_getCursorReferenced(c);
	if (clang_Cursor_isNull(d) || clang_Cursor_isMacroBuiltin(d))
		return CXChildVisit_Continue;
	usr_key(d, "m", &key);
	it = add(&w->macros, key.buf, &added);
	sbuf_release(&key);
	if (added && place(w, d, it))
		it->f = NULL;
	return CXChildVisit_Continue;
}

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

static void
write_types(struct jw *j, const struct list *l, const char *suffix,
	    const char *prefix)
{
	size_t i;

	jw_arr(j);
	for (i = 0; i < l->n; i++) {
		const struct item *it = &l->v[i];
		struct sbuf code = SBUF_INIT;

		if (!it->f || nested(l, it))
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

static void
write_callees(struct jw *j, struct walk *w, const struct cctx_child *ch)
{
	size_t i;
	int child_seen = 0;

	jw_arr(j);
	for (i = 0; i < w->callees.n; i++) {
		struct item *it = &w->callees.v[i];
		int is_child = ch && ch->f && !strcmp(cscan_last_component(
			it->name ? it->name : ""), ch->word);

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

static void
write_globals(struct jw *j, const struct list *l, size_t limit)
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

/* Call sites across the snapshot, found in the text (at the end). */
static void write_callers(struct jw *j, const struct gitsrc *gs,
			  const struct cparse_opts *o,
			  const struct cctx_def *def);

void
cctx_write(const struct gitsrc *gs, const struct cparse_opts *opts,
	   const struct cctx_def *def, const struct cctx_child *child,
	   char *const *flags, size_t nflags, int guessed,
	   const char *tu_path, struct sbuf *out)
{
	struct walk w;
	struct jw j;
	size_t i, ndiag, nerr = 0;

	memset(&w, 0, sizeof(w));
	w.gs = gs;
	w.opts = opts;
	w.def = def;
	clang_visitChildren(def->cur, use_visit, &w);
	clang_visitChildren(clang_getTranslationUnitCursor(def->tu),
			    macro_visit, &w);
	ndiag = clang_getNumDiagnostics(def->tu);
	for (i = 0; i < ndiag; i++) {
		CXDiagnostic d = clang_getDiagnostic(def->tu, (unsigned)i);

		if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error)
			nerr++;
		clang_disposeDiagnostic(d);
	}
	jw_init(&j, out);
	jw_obj(&j);
	jw_key(&j, "types");
	write_types(&j, &w.types, ";", "");
	jw_key(&j, "callees");
	write_callees(&j, &w, child);
	jw_key(&j, "callers");
	write_callers(&j, gs, opts, def);
	jw_key(&j, "globals");
	write_globals(&j, &w.globals, opts->callee_limit);
	jw_key(&j, "macros");
	write_types(&j, &w.macros, "", "#define ");
	jw_key(&j, "flags");
	jw_arr(&j);
	for (i = 0; i < nflags; i++)
		jw_str(&j, flags[i]);
	jw_arr_end(&j);
	jw_key(&j, "flags_guessed");
	jw_bool(&j, guessed);
	jw_key(&j, "tu");
	jw_str(&j, tu_path);
	jw_key(&j, "diagnostics");
	jw_uint(&j, nerr);
	jw_obj_end(&j);
	jw_release(&j);
	list_release(&w.types);
	list_release(&w.callees);
	list_release(&w.globals);
	list_release(&w.macros);
}

static void
write_callers(struct jw *j, const struct gitsrc *gs,
	      const struct cparse_opts *o, const struct cctx_def *def)
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

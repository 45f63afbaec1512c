/*
 * The context of a definition: types, callees, globals and macros from
 * libclang's AST; callers from the text of the whole snapshot.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "clang/context_int.h"
#include "source/cscan.h"
#include "base/hmap.h"
#include "base/jsonl.h"
#include "base/xalloc.h"

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
	struct context_loc loc;
	CXString n;

	if (context_locate(w->gs, c, &loc))
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
			context_qualname(c, &q);
		}
		it->name = sbuf_detach(&q, NULL);
	}
	context_loc_release(&loc);
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

static int
is_tag(enum CXCursorKind k)
{
	return k == CXCursor_StructDecl || k == CXCursor_UnionDecl ||
		k == CXCursor_EnumDecl || k == CXCursor_ClassDecl;
}

/*
 * Is c a struct, union or enum without a name of its own but named by a
 * typedef ("typedef enum { ... } mode_t;")? Its name is the typedef's.
 */
static int
typedef_named(CXCursor c)
{
	CXString s;
	int r;

	if (!is_tag(clang_getCursorKind(c)) || clang_Cursor_isAnonymous(c))
		return 0;
	s = clang_getCursorSpelling(c);
	r = !*clang_getCString(s);
	clang_disposeString(s);
	return r;
}

/*
 * Widen the item of a typedef-named tag to its typedef: back to the
 * "typedef" before it, on to the name before the ';' after it.
 */
static void
widen_to_typedef(struct item *it)
{
	const char *d = it->f->data;
	size_t b = it->start, e = it->end;

	while (b > 0 && strchr(" \t\r\n", d[b - 1]))
		b--;
	if (b >= 7 && !memcmp(d + b - 7, "typedef", 7) &&
	    (b == 7 || !isalnum((unsigned char)d[b - 8]))) {
		it->start = (unsigned)(b - 7);
		it->line = (unsigned)cscan_line(d, it->start);
	}
	while (e < it->f->len && d[e] != ';' && d[e] != '{' && d[e] != '}')
		e++;
	if (e < it->f->len && d[e] == ';') {
		while (e > it->end && strchr(" \t\r\n", d[e - 1]))
			e--;
		it->end = it->decl_end = (unsigned)e;
	}
}

static void
add_type(struct walk *w, CXCursor c, int depth)
{
	enum CXCursorKind k;
	struct sbuf key = SBUF_INIT;
	struct item *it;
	CXCursor d, named = clang_getNullCursor();
	int added;

	if (clang_Cursor_isNull(c) || depth > 16)
		return;
	d = clang_getCursorDefinition(c);
	if (!clang_Cursor_isNull(d))
		c = d;
	k = clang_getCursorKind(c);
	if (!is_tag(k) && k != CXCursor_TypedefDecl &&
	    k != CXCursor_TypeAliasDecl && k != CXCursor_ClassTemplate)
		return;
	if (k == CXCursor_TypedefDecl) {
		named = type_decl(clang_getTypedefDeclUnderlyingType(c));
		d = clang_getCursorDefinition(named);
		if (!clang_Cursor_isNull(d))
			named = d;
		if (!typedef_named(named))
			named = clang_getNullCursor();
	}
	/* a typedef-named tag and its typedef are one item */
	usr_key(clang_Cursor_isNull(named) ? c : named, "t", &key);
	it = add(&w->types, key.buf, &added);
	sbuf_release(&key);
	if (!added)
		return;
	if (typedef_named(c)) {
		CXString ts = clang_getTypeSpelling(clang_getCursorType(c));

		it->name = xstrdup(clang_getCString(ts));
		clang_disposeString(ts);
	}
	if (place(w, c, it)) {
		it->f = NULL;	/* a system type: not listed */
		return;
	}
	if (typedef_named(c))
		widen_to_typedef(it);
	if (is_tag(k) && clang_Cursor_isAnonymous(c)) {
		/* "": no name to show or to trim by; say what it is */
		free(it->name);
		it->name = xstrdup(k == CXCursor_EnumDecl ? "enum (anonymous)"
				   : k == CXCursor_UnionDecl ?
				   "union (anonymous)" : "struct (anonymous)");
		it->anon = 1;
	}
	if (k == CXCursor_TypedefDecl && clang_Cursor_isNull(named))
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

	/* the instances of a template share a definition: one entry */
	d = clang_getCursorDefinition(ref);
	usr_key(clang_Cursor_isNull(d) ? ref : d, "f", &key);
	if (!clang_Cursor_isNull(d)) {
		struct context_loc loc;

		if (!context_locate(w->gs, d, &loc) && loc.f) {
			sbuf_reset(&key);
			sbuf_addf(&key, "f@%s:%u", loc.f->path, loc.start);
		}
		context_loc_release(&loc);
	}
	it = add(&w->callees, key.buf, &added);
	sbuf_release(&key);
	if (!added)
		return;
	it->how = how;
	if (!clang_Cursor_isNull(d) && is_fn_kind(clang_getCursorKind(d)) &&
	    place(w, d, it) == 0) {
		struct context_loc loc;

		if (!context_locate(w->gs, d, &loc))
			it->decl_end = context_body_start(d, &loc);
		context_loc_release(&loc);
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
	} else if (k == CXCursor_OverloadedDeclRef) {
		/* a call a template leaves unresolved: each candidate */
		unsigned i, n = clang_getNumOverloadedDecls(c);

		for (i = 0; i < n; i++) {
			ref = clang_getOverloadedDecl(c, i);
			if (is_fn_kind(clang_getCursorKind(ref)))
				add_callee(w, ref, "call");
		}
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
	struct context_loc loc;
	struct item *it;
	CXCursor d;
	int added;

	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_MacroExpansion)
		return CXChildVisit_Continue;
	if (context_locate(w->gs, c, &loc) || loc.f != w->def->f ||
	    loc.start < w->def->start || loc.start >= w->def->end) {
		context_loc_release(&loc);
		return CXChildVisit_Continue;
	}
	context_loc_release(&loc);
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

void
context_write(const struct gitsrc *gs, const struct cparse_opts *opts,
	   const struct context_def *def, const struct context_child *child,
	   char *const *flags, size_t nflags, const char *from,
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
	context_write_types(&j, &w, &w.types, ";", "");
	jw_key(&j, "callees");
	context_write_callees(&j, &w, child);
	jw_key(&j, "callers");
	context_write_callers(&j, gs, opts, def);
	jw_key(&j, "globals");
	context_write_globals(&j, &w.globals, opts->callee_limit);
	jw_key(&j, "macros");
	context_write_types(&j, &w, &w.macros, "", "#define ");
	jw_key(&j, "flags");
	jw_arr(&j);
	for (i = 0; i < nflags; i++)
		jw_str(&j, flags[i]);
	jw_arr_end(&j);
	jw_key(&j, "flags_guessed");
	jw_bool(&j, !strcmp(from, "guessed"));
	jw_key(&j, "flags_from");
	jw_str(&j, from);
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

/*
 * Demangler-style signatures of libclang cursors: builtin type names as
 * GNU's demangler spells them, qualifiers after what they qualify, the
 * full template arguments of a class (defaults included, as mangled
 * names carry them), wildcards for what depends on a template.
 */
#include <string.h>

#include "clang/cursig.h"
#include "source/demangled.h"

static void type_str(CXType t, struct sbuf *out, int depth);
static void scope_str(CXCursor c, struct sbuf *out, int depth);

static const char *
builtin(enum CXTypeKind k)
{
	switch (k) {
	case CXType_Void: return "void";
	case CXType_Bool: return "bool";
	case CXType_Char_U: case CXType_Char_S: return "char";
	case CXType_UChar: return "unsigned char";
	case CXType_SChar: return "signed char";
	case CXType_Char16: return "char16_t";
	case CXType_Char32: return "char32_t";
	case CXType_WChar: return "wchar_t";
	case CXType_UShort: return "unsigned short";
	case CXType_Short: return "short";
	case CXType_UInt: return "unsigned int";
	case CXType_Int: return "int";
	case CXType_ULong: return "unsigned long";
	case CXType_Long: return "long";
	case CXType_ULongLong: return "unsigned long long";
	case CXType_LongLong: return "long long";
	case CXType_UInt128: return "unsigned __int128";
	case CXType_Int128: return "__int128";
	case CXType_Float: return "float";
	case CXType_Double: return "double";
	case CXType_LongDouble: return "long double";
	case CXType_Float128: return "__float128";
	case CXType_NullPtr: return "decltype(nullptr)";
	default: return NULL;
	}
}

static void
quals(CXType t, struct sbuf *out)
{
	if (clang_isConstQualifiedType(t))
		sbuf_adds(out, " const");
	if (clang_isVolatileQualifiedType(t))
		sbuf_adds(out, " volatile");
}

/* "(int, char)" for the parameters of a function type. */
static void
proto_params(CXType fn, struct sbuf *out, int depth)
{
	int i, n = clang_getNumArgTypes(fn);

	sbuf_addc(out, '(');
	for (i = 0; i < n; i++) {
		if (i)
			sbuf_addc(out, ',');
		type_str(clang_getArgType(fn, (unsigned)i), out, depth + 1);
	}
	if (clang_isFunctionTypeVariadic(fn))
		sbuf_adds(out, n ? ",..." : "...");
	sbuf_addc(out, ')');
}

/* The template arguments of a class specialization's type, "<int,?>". */
static void
template_args(CXType t, struct sbuf *out, int depth)
{
	int i, n = clang_Type_getNumTemplateArguments(t);

	if (n < 0)
		return;
	sbuf_addc(out, '<');
	for (i = 0; i < n; i++) {
		CXType a = clang_Type_getTemplateArgumentAsType(t,
								 (unsigned)i);

		if (i)
			sbuf_addc(out, ',');
		if (a.kind == CXType_Invalid)
			sbuf_addc(out, '?');	/* a value */
		else
			type_str(a, out, depth + 1);
	}
	sbuf_addc(out, '>');
}

static void
type_str(CXType t, struct sbuf *out, int depth)
{
	CXType c = clang_getCanonicalType(t), p;
	const char *b;

	if (depth > 16) {
		sbuf_addc(out, '?');
		return;
	}
	if ((b = builtin(c.kind))) {
		sbuf_adds(out, b);
		quals(c, out);
		return;
	}
	switch (c.kind) {
	case CXType_Pointer:
	case CXType_LValueReference:
	case CXType_RValueReference:
		p = clang_getCanonicalType(clang_getPointeeType(c));
		if (p.kind == CXType_FunctionProto ||
		    p.kind == CXType_FunctionNoProto) {
			type_str(clang_getResultType(p), out, depth + 1);
			sbuf_adds(out, c.kind == CXType_Pointer ? " (*)" :
				  c.kind == CXType_LValueReference ? " (&)" :
				  " (&&)");
			proto_params(p, out, depth);
		} else if (p.kind == CXType_ConstantArray ||
			   p.kind == CXType_IncompleteArray) {
			sbuf_addc(out, '?');
		} else {
			type_str(p, out, depth + 1);
			sbuf_adds(out, c.kind == CXType_Pointer ? "*" :
				  c.kind == CXType_LValueReference ? "&" : "&&");
		}
		quals(c, out);
		return;
	case CXType_Record:
	case CXType_Enum:
		scope_str(clang_getTypeDeclaration(c), out, depth + 1);
		quals(c, out);
		return;
	default:
		/* dependent, or nothing a demangler spells simply */
		sbuf_addc(out, '?');
		return;
	}
}

/* The qualified name of declaration c, scopes with template arguments. */
static void
scope_str(CXCursor c, struct sbuf *out, int depth)
{
	CXCursor parent = clang_getCursorSemanticParent(c);
	enum CXCursorKind k = clang_getCursorKind(c);
	size_t before = out->len;
	CXString s;
	const char *name;

	if (clang_Cursor_isNull(c) || k == CXCursor_TranslationUnit ||
	    depth > 32)
		return;
	scope_str(parent, out, depth + 1);
	if (k == CXCursor_LinkageSpec || k == CXCursor_UnexposedDecl)
		return;
	if (out->len > before)
		sbuf_adds(out, "::");
	if (k == CXCursor_Namespace && clang_Cursor_isAnonymous(c)) {
		sbuf_adds(out, "(anonymous namespace)");
		return;
	}
	s = clang_getCursorSpelling(c);
	name = clang_getCString(s);
	if (!*name && (k == CXCursor_EnumDecl || k == CXCursor_StructDecl ||
		       k == CXCursor_UnionDecl || k == CXCursor_ClassDecl)) {
		/* typedef struct { ... } name: mangled by its typedef */
		clang_disposeString(s);
		s = clang_getTypeSpelling(clang_getCursorType(c));
		name = clang_getCString(s);
		if (strchr(name, '(') || strchr(name, ' '))
			name = "?";
	}
	/* a constructor of a class template is spelt "Box<T>" */
	sbuf_add(out, name, strncmp(name, "operator", 8) ? strcspn(name, "<") :
		 strlen(name));
	clang_disposeString(s);
	if (k == CXCursor_ClassTemplate ||
	    k == CXCursor_ClassTemplatePartialSpecialization)
		sbuf_adds(out, "<@>");
	else if (k == CXCursor_ClassDecl || k == CXCursor_StructDecl ||
		 k == CXCursor_UnionDecl)
		template_args(clang_getCursorType(c), out, depth);
}

struct params {
	struct sbuf *out;
	int n, depth;
};

static enum CXChildVisitResult
param_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	struct params *p = data;

	(void)parent;
	CXType t = clang_getCursorType(c);
	CXString sp;
	int pack;

	if (clang_getCursorKind(c) != CXCursor_ParmDecl)
		return CXChildVisit_Continue;
	sp = clang_getTypeSpelling(t);
	pack = strstr(clang_getCString(sp), "...") != NULL;
	clang_disposeString(sp);
	if (pack) {
		/* a parameter pack: any number of parameters, its comma too */
		sbuf_addc(p->out, '@');
		p->n++;
		return CXChildVisit_Continue;
	}
	if (p->n++)
		sbuf_addc(p->out, ',');
	type_str(t, p->out, p->depth);
	return CXChildVisit_Continue;
}

void
cursig_write(CXCursor fn, struct sbuf *out)
{
	struct sbuf raw = SBUF_INIT;
	struct params p = { &raw, 0, 1 };
	CXType ft = clang_getCursorType(fn);
	enum CXRefQualifierKind rq;

	sbuf_reset(out);
	scope_str(fn, &raw, 0);
	sbuf_addc(&raw, '(');
	clang_visitChildren(fn, param_visit, &p);
	if (ft.kind == CXType_FunctionProto && clang_isFunctionTypeVariadic(ft))
		sbuf_adds(&raw, p.n ? ",..." : "...");
	sbuf_addc(&raw, ')');
	if (clang_CXXMethod_isConst(fn))
		sbuf_adds(&raw, " const");
	rq = clang_Type_getCXXRefQualifier(ft);
	if (rq == CXRefQualifier_LValue)
		sbuf_adds(&raw, "&");
	else if (rq == CXRefQualifier_RValue)
		sbuf_adds(&raw, "&&");
	demangled_add(out, raw.buf);
	sbuf_release(&raw);
}

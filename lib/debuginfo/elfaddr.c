/*
 * Addresses of a profiled program named from its own ELF file (libdw).
 * See elfaddr.h.
 */
#include <dlfcn.h>
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debuginfo/elfaddr.h"
#include "base/hmap.h"
#include "base/path.h"
#include "base/sbuf.h"
#include "base/xalloc.h"

/*
 * The C++ ABI's demangler, from libstdc++, loaded when the first C++
 * name is met: linking libstdc++ would cost every run its start-up (a
 * millisecond), most of them for C programs. NULL when it is not there
 * (names then stay mangled).
 */
typedef char *(*demangle_fn)(const char *mangled, char *buf, size_t *len,
			     int *status);

static demangle_fn
cxa_demangle(void)
{
	static int tried;
	static demangle_fn fn;
	void *h, *sym;

	if (!tried) {
		tried = 1;
		h = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);
		if (h && (sym = dlsym(h, "__cxa_demangle")))
			memcpy(&fn, &sym, sizeof(fn));
	}
	return fn;
}

#define NONE UINT32_MAX

/* A function or an inlined call of a compile unit, with its DIE. */
struct ea_rec {
	Dwarf_Off off;
	uint32_t parent;	/* the record it is in, or NONE */
	int inlined;		/* an inlined call, not a function */
	const char *name;	/* interned; looked up when first needed */
	int named;
};

/* One address range of a record. */
struct ea_iv {
	Dwarf_Addr lo, hi;
	uint32_t rec, depth;
};

/* The index of a compile unit: its records and their ranges by lo. */
struct ea_cu {
	int cxx;		/* its language is C++ */
	struct ea_rec *rec;
	size_t nrec, reccap;
	struct ea_iv *iv;
	size_t niv, ivcap;
};

struct ea_load {
	uint64_t off, size, va, memsz;
};

/* An address range of a compile unit (DWARF addresses). */
struct ea_curange {
	Dwarf_Addr lo, hi;
	Dwarf_Die die;
};

struct ea_file {
	char *path;
	enum elfaddr_why why;	/* of the file as a whole */
	Dwfl *dwfl;
	Dwfl_Module *mod;
	Elf *elf;
	GElf_Addr bias;
	Dwarf *dw;
	Dwarf_Addr dwbias;	/* module address - DWARF address */
	struct ea_curange *cur;	/* the units' ranges, by lo; NULL: not yet */
	size_t ncur;
	int is_exec, has_symtab;
	int stripped;		/* no .symtab, no DWARF: .dynsym at most */
	struct ea_load *load;
	size_t nload;
	struct hmap cus;	/* unit DIE offset -> struct ea_cu */
	struct hmap memo;	/* pc << 1 | ret -> struct ea_memo */
	struct hmap strs;	/* interned strings (the keys) */
	struct hmap quals;	/* declaration DIE offset -> qualified name */
	uint64_t unnamed[ELFADDR_NWHY];
};

/* What cxx_name needs. */
struct ea_elfq {
	struct elfaddr *ea;
	struct ea_file *m;
	Dwarf_Die *die;
};

struct ea_memo {
	struct elfaddr_res res;
	const char *inl[];
};

struct elfaddr {
	struct hmap files;	/* path -> struct ea_file */
	struct ea_file **order;
	size_t n, cap;
	struct sbuf tmp;
};

static char *debuginfo_path;
static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

struct elfaddr *
elfaddr_new(void)
{
	struct elfaddr *ea = xcalloc(1, sizeof(*ea));

	ea->files = (struct hmap)HMAP_INIT;
	sbuf_init(&ea->tmp, 0);
	return ea;
}

static void
cu_free(void *p)
{
	struct ea_cu *cu = p;

	free(cu->rec);
	free(cu->iv);
	free(cu);
}

static void
file_free(void *p)
{
	struct ea_file *m = p;

	if (m->dwfl)
		dwfl_end(m->dwfl);
	hmap_free(&m->cus, cu_free);
	hmap_free(&m->memo, free);
	hmap_free(&m->strs, NULL);
	hmap_free(&m->quals, NULL);
	free(m->cur);
	free(m->load);
	free(m->path);
	free(m);
}

void
elfaddr_free(struct elfaddr *ea)
{
	if (!ea)
		return;
	hmap_free(&ea->files, file_free);
	free(ea->order);
	sbuf_release(&ea->tmp);
	free(ea);
}

/* s interned in m: a copy that lives as long as m. */
static const char *
intern(struct ea_file *m, const char *s)
{
	size_t n = strlen(s);
	struct hmap_ent *e;

	hmap_put(&m->strs, s, n, NULL);
	e = hmap_find(&m->strs, s, n);
	return e->key;
}

/* A linkage name demangled, or NULL (the caller frees it). */
static char *
demangle(const char *s)
{
	int status = -1;
	char *d;

	if (s[0] != '_' || s[1] != 'Z' || !cxa_demangle())
		return NULL;
	d = cxa_demangle()(s, NULL, NULL, &status);
	if (status) {
		free(d);
		return NULL;
	}
	return d;
}

/* A symbol or DWARF name as pesq-fold wants it: demangled, interned. */
static const char *
fn_name(struct ea_file *m, const char *s)
{
	char *d = demangle(s);
	const char *r;

	if (!d)
		return intern(m, s);
	r = intern(m, d);
	free(d);
	return r;
}

static int
has_symtab(Elf *elf)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			return 1;
	return 0;
}

static void
file_open(struct ea_file *m)
{
	GElf_Ehdr eh;
	GElf_Phdr ph;
	size_t i, n;

	if (access(m->path, R_OK)) {
		m->why = ELFADDR_NOFILE;
		return;
	}
	m->why = ELFADDR_NOTELF;
	m->dwfl = dwfl_begin(&callbacks);
	if (!m->dwfl)
		return;
	m->mod = dwfl_report_elf(m->dwfl, m->path, m->path, -1, 0, false);
	dwfl_report_end(m->dwfl, NULL, NULL);
	if (!m->mod || !(m->elf = dwfl_module_getelf(m->mod, &m->bias)) ||
	    !gelf_getehdr(m->elf, &eh) || elf_getphdrnum(m->elf, &n))
		return;
	m->is_exec = eh.e_type == ET_EXEC;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(m->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		m->load = xreallocarray(m->load, m->nload + 1,
					sizeof(*m->load));
		m->load[m->nload].off = ph.p_offset;
		m->load[m->nload].size = ph.p_filesz;
		m->load[m->nload].va = ph.p_vaddr;
		m->load[m->nload].memsz = ph.p_memsz;
		m->nload++;
	}
	m->has_symtab = has_symtab(m->elf);
	m->dw = dwfl_module_getdwarf(m->mod, &m->dwbias);
	m->stripped = !m->has_symtab && !m->dw;
	m->why = ELFADDR_OK;
}

static struct ea_file *
file_get(struct elfaddr *ea, const char *path, size_t pathn)
{
	int added;
	void **slot = hmap_put(&ea->files, path, pathn, &added);
	struct ea_file *m;

	if (!added)
		return *slot;
	m = xcalloc(1, sizeof(*m));
	*slot = m;
	m->path = xmemdupz(path, pathn);
	m->cus = (struct hmap)HMAP_INIT;
	m->memo = (struct hmap)HMAP_INIT;
	m->strs = (struct hmap)HMAP_INIT;
	m->quals = (struct hmap)HMAP_INIT;
	XGROW(ea->order, ea->n + 1, ea->cap);
	ea->order[ea->n++] = m;
	file_open(m);
	return m;
}

/* The virtual address of file offset pc, or 0 with *ok cleared. */
static Dwarf_Addr
to_vaddr(const struct ea_file *m, uint64_t pc, int *ok)
{
	size_t i;

	*ok = 1;
	for (i = 0; i < m->nload; i++)
		if (pc >= m->load[i].off && pc - m->load[i].off < m->load[i].size)
			return pc - m->load[i].off + m->load[i].va;
	if (m->is_exec)
		for (i = 0; i < m->nload; i++)
			if (pc >= m->load[i].va &&
			    pc - m->load[i].va < m->load[i].memsz)
				return pc;
	*ok = 0;
	return 0;
}

static uint32_t
rec_add(struct ea_cu *cu, Dwarf_Die *die, uint32_t parent, int inlined)
{
	struct ea_rec *r;

	XGROW(cu->rec, cu->nrec + 1, cu->reccap);
	r = &cu->rec[cu->nrec];
	memset(r, 0, sizeof(*r));
	r->off = dwarf_dieoffset(die);
	r->parent = parent;
	r->inlined = inlined;
	return (uint32_t)cu->nrec++;
}

/* The tags whose children may hold functions or inlined calls. */
static int
may_hold_code(int tag)
{
	switch (tag) {
	case DW_TAG_subprogram:
	case DW_TAG_inlined_subroutine:
	case DW_TAG_lexical_block:
	case DW_TAG_namespace:
	case DW_TAG_module:
	case DW_TAG_try_block:
	case DW_TAG_catch_block:
	case DW_TAG_compile_unit:
	case DW_TAG_partial_unit:
		return 1;
	}
	return 0;
}

/* Index the functions and inlined calls below die. */
static void
cu_walk(struct ea_cu *cu, Dwarf_Die *die, uint32_t parent, uint32_t depth)
{
	Dwarf_Die child;

	if (dwarf_child(die, &child))
		return;
	do {
		int tag = dwarf_tag(&child);
		uint32_t p = parent, d = depth, r = NONE;
		Dwarf_Addr base, lo, hi;
		ptrdiff_t o = 0;

		if (tag == DW_TAG_subprogram ||
		    tag == DW_TAG_inlined_subroutine) {
			while ((o = dwarf_ranges(&child, o, &base, &lo,
						 &hi)) > 0) {
				if (hi <= lo)
					continue;
				if (r == NONE)
					r = rec_add(cu, &child, parent, tag ==
						    DW_TAG_inlined_subroutine);
				XGROW(cu->iv, cu->niv + 1, cu->ivcap);
				cu->iv[cu->niv].lo = lo;
				cu->iv[cu->niv].hi = hi;
				cu->iv[cu->niv].rec = r;
				cu->iv[cu->niv].depth = depth;
				cu->niv++;
			}
			if (r != NONE) {
				p = r;
				d = depth + 1;
			}
		}
		if (may_hold_code(tag) && dwarf_haschildren(&child))
			cu_walk(cu, &child, p, d);
	} while (dwarf_siblingof(&child, &child) == 0);
}

static int
ivcmp(const void *va, const void *vb)
{
	const struct ea_iv *a = va, *b = vb;

	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->depth != b->depth)
		return a->depth < b->depth ? -1 : 1;
	return (a->rec > b->rec) - (a->rec < b->rec);
}

static int
curcmp(const void *va, const void *vb)
{
	const struct ea_curange *a = va, *b = vb;

	return (a->lo > b->lo) - (a->lo < b->lo);
}

/*
 * The unit whose ranges hold a (a DWARF address), from an index of every
 * unit's ranges made on first use: libdw finds units through
 * .debug_aranges, which clang does not write.
 */
static Dwarf_Die *
cu_find(struct ea_file *m, Dwarf_Addr a)
{
	Dwarf_Die *cu = NULL;
	Dwarf_Addr bias, base, lo, hi;
	size_t cap = 0, l = 0, h, mid;
	ptrdiff_t o;

	if (!m->cur) {
		m->cur = xmalloc(sizeof(*m->cur));
		while ((cu = dwfl_module_nextcu(m->mod, cu, &bias))) {
			o = 0;
			while ((o = dwarf_ranges(cu, o, &base, &lo, &hi)) > 0) {
				if (hi <= lo)
					continue;
				XGROW(m->cur, m->ncur + 1, cap);
				m->cur[m->ncur].lo = lo;
				m->cur[m->ncur].hi = hi;
				m->cur[m->ncur].die = *cu;
				m->ncur++;
			}
		}
		if (m->ncur > 1)
			qsort(m->cur, m->ncur, sizeof(*m->cur), curcmp);
	}
	h = m->ncur;
	while (l < h) {
		mid = l + (h - l) / 2;
		if (m->cur[mid].lo <= a)
			l = mid + 1;
		else
			h = mid;
	}
	/* ranges of different units do not overlap; a few may nest */
	while (l-- > 0)
		if (a < m->cur[l].hi)
			return &m->cur[l].die;
	return NULL;
}

static struct ea_cu *
cu_get(struct ea_file *m, Dwarf_Die *cudie)
{
	Dwarf_Off off = dwarf_dieoffset(cudie);
	int added;
	void **slot = hmap_put(&m->cus, &off, sizeof(off), &added);
	struct ea_cu *cu;

	if (!added)
		return *slot;
	cu = xcalloc(1, sizeof(*cu));
	*slot = cu;
	switch (dwarf_srclang(cudie)) {
	case DW_LANG_C_plus_plus:
	case DW_LANG_C_plus_plus_03:
	case DW_LANG_C_plus_plus_11:
	case DW_LANG_C_plus_plus_14:
		cu->cxx = 1;
	}
	cu_walk(cu, cudie, NONE, 0);
	if (cu->niv > 1)
		qsort(cu->iv, cu->niv, sizeof(*cu->iv), ivcmp);
	return cu;
}

/*
 * The innermost record whose ranges hold a. Ranges nest, and at equal
 * lo the outer comes first: so going back from the last range starting
 * at or before a, the first that holds a is the innermost; a function's
 * own range (depth 0) ends the search.
 */
static uint32_t
cu_innermost(const struct ea_cu *cu, Dwarf_Addr a)
{
	size_t lo = 0, hi = cu->niv, mid, i;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cu->iv[mid].lo <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i-- > 0;) {
		if (a < cu->iv[i].hi)
			return cu->iv[i].rec;
		if (cu->iv[i].depth == 0)
			break;
	}
	return NONE;
}

/*
 * The C++ name of a function that has no linkage name (static or in an
 * anonymous namespace, inlined): its name in its namespaces and classes,
 * as the demangler would write it ("snappy::(anonymous namespace)::f").
 * Kept per declaration: finding a DIE's parents walks its unit.
 */
static const char *
cxx_name(struct ea_elfq *q)
{
	struct ea_file *m = q->m;
	Dwarf_Die d = *q->die, o, *sc = NULL;
	Dwarf_Attribute at;
	Dwarf_Off off;
	const char *s;
	int i, n, k, added;
	void **slot;
	struct sbuf *b = &q->ea->tmp;

	/* from a concrete or inlined instance to the declaration */
	for (k = 0; k < 8; k++) {
		if (!(dwarf_formref_die(dwarf_attr(&d, DW_AT_abstract_origin,
						   &at), &o) ||
		      dwarf_formref_die(dwarf_attr(&d, DW_AT_specification,
						   &at), &o)))
			break;
		d = o;
	}
	off = dwarf_dieoffset(&d);
	slot = hmap_put(&m->quals, &off, sizeof(off), &added);
	if (!added)
		return *slot;
	*slot = NULL;
	if (!(s = dwarf_diename(&d)) || (n = dwarf_getscopes_die(&d, &sc)) < 1)
		return *slot = (void *)(s ? intern(m, s) : NULL);
	sbuf_reset(b);
	for (i = n - 1; i > 0; i--) {
		const char *p = dwarf_diename(&sc[i]);

		switch (dwarf_tag(&sc[i])) {
		case DW_TAG_namespace:
			sbuf_adds(b, p ? p : "(anonymous namespace)");
			sbuf_adds(b, "::");
			break;
		case DW_TAG_class_type:
		case DW_TAG_structure_type:
		case DW_TAG_union_type:
			if (p) {
				sbuf_adds(b, p);
				sbuf_adds(b, "::");
			}
			break;
		}
	}
	free(sc);
	sbuf_adds(b, s);
	return *slot = (void *)intern(m, b->buf);
}

static const char *
rec_name(struct elfaddr *ea, struct ea_file *m, struct ea_cu *cu,
	 struct ea_rec *r)
{
	Dwarf_Die die;
	Dwarf_Attribute at;
	struct ea_elfq q;
	const char *s;

	if (r->named)
		return r->name;
	r->named = 1;
	if (!dwarf_offdie(m->dw, r->off, &die))
		return NULL;
	s = dwarf_formstring(dwarf_attr_integrate(&die, DW_AT_linkage_name,
						  &at));
	if (!s)
		s = dwarf_formstring(dwarf_attr_integrate(&die,
					DW_AT_MIPS_linkage_name, &at));
	if (s && s[0] == '_' && s[1] == 'Z') {
		r->name = fn_name(m, s);
	} else if (cu->cxx) {
		q.ea = ea;
		q.m = m;
		q.die = &die;
		r->name = cxx_name(&q);
	} else if ((s = dwarf_diename(&die))) {
		r->name = intern(m, s);
	}
	return r->name;
}

/* The function's symbol at a, or NULL. */
static const char *
sym_at(struct ea_file *m, Dwarf_Addr a)
{
	GElf_Sym sym;
	GElf_Off off;
	const char *s;
	int type;

	s = dwfl_module_addrinfo(m->mod, a, &off, &sym, NULL, NULL, NULL);
	if (!s || !*s)
		return NULL;
	type = GELF_ST_TYPE(sym.st_info);
	if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_NOTYPE)
		return NULL;
	/* without .symtab only a symbol sized to hold a is trusted */
	if (sym.st_size ? off >= sym.st_size : !m->has_symtab)
		return NULL;
	return fn_name(m, s);
}

/* The source line of a (a DWARF address in unit cudie), into res. */
static void
line_at(struct elfaddr *ea, struct ea_file *m, Dwarf_Die *cudie,
	Dwarf_Addr a, struct elfaddr_res *res)
{
	Dwarf_Line *l = dwarf_getsrc_die(cudie, a);
	Dwarf_Attribute at;
	const char *f, *dir;
	int line;

	if (!l || dwarf_lineno(l, &line) || line <= 0 ||
	    !(f = dwarf_linesrc(l, NULL, NULL)))
		return;
	if (f[0] != '/' && (dir = dwarf_formstring(dwarf_attr(cudie,
				DW_AT_comp_dir, &at))) && dir[0] == '/') {
		sbuf_reset(&ea->tmp);
		sbuf_addf(&ea->tmp, "%s/%s", dir, f);
		f = ea->tmp.buf;
	}
	if (f[0] == '/' && (strstr(f, "/.") || strstr(f, "//"))) {
		/* the compiler's "/src/prog/../lib/a.c" is /src/lib/a.c */
		if (f != ea->tmp.buf) {
			sbuf_reset(&ea->tmp);
			sbuf_adds(&ea->tmp, f);
		}
		path_normalise(ea->tmp.buf);
		f = ea->tmp.buf;
	}
	res->file = intern(m, f);
	res->line = (unsigned)line;
}

/* Look a up (not memoized yet) into a new memo entry. */
static struct ea_memo *
lookup(struct elfaddr *ea, struct ea_file *m, uint64_t pc, int ret)
{
	struct ea_memo *e;
	struct ea_cu *cu = NULL;
	struct elfaddr_res res = { ELFADDR_OK, NULL, NULL, 0, NULL, 0, 0 };
	Dwarf_Addr va, a;
	Dwarf_Die *cudie = NULL;
	uint32_t r = NONE, k, n = 0, chain[64];
	int ok;

	va = to_vaddr(m, pc, &ok);
	if (!ok) {
		res.why = ELFADDR_OUTSIDE;
		goto done;
	}
	a = va - (ret ? 1 : 0) + m->bias;
	res.fn = sym_at(m, a);
	if (m->dw && (cudie = cu_find(m, a - m->dwbias))) {
		res.dwarf = 1;
		cu = cu_get(m, cudie);
		r = cu_innermost(cu, a - m->dwbias);
	}
	/* the inlined calls, innermost first, then their function */
	for (k = r; k != NONE && n < 64; k = cu->rec[k].parent) {
		chain[n++] = k;
		if (!cu->rec[k].inlined)
			break;
	}
	if (!res.fn && n && !cu->rec[chain[n - 1]].inlined)
		res.fn = rec_name(ea, m, cu, &cu->rec[chain[n - 1]]);
	if (n && !cu->rec[chain[n - 1]].inlined)
		n--;
	if (!res.fn)
		res.why = m->stripped ? ELFADDR_STRIPPED : ELFADDR_NOSYM;
	if (cudie)
		line_at(ea, m, cudie, a - m->dwbias, &res);
done:
	e = xmalloc(sizeof(*e) + n * sizeof(e->inl[0]));
	res.ninl = 0;
	for (k = n; k-- > 0;) {
		const char *s = rec_name(ea, m, cu, &cu->rec[chain[k]]);

		if (s)
			e->inl[res.ninl++] = s;
	}
	res.inl = e->inl;
	if (res.why != ELFADDR_OK)
		m->unnamed[res.why]++;
	e->res = res;
	return e;
}

enum elfaddr_why
elfaddr_lookup(struct elfaddr *ea, const char *path, size_t pathn,
	       uint64_t pc, int ret, struct elfaddr_res *res)
{
	struct ea_file *m = file_get(ea, path, pathn);
	uint64_t key = pc << 1 | (ret != 0);
	int added;
	void **slot;

	if (m->why != ELFADDR_OK) {
		memset(res, 0, sizeof(*res));
		res->why = m->why;
		m->unnamed[m->why]++;
		return res->why;
	}
	slot = hmap_put(&m->memo, &key, sizeof(key), &added);
	if (added)
		*slot = lookup(ea, m, pc, ret);
	*res = ((struct ea_memo *)*slot)->res;
	return res->why;
}

const char *
elfaddr_file(const struct elfaddr *ea, size_t i, uint64_t *unnamed,
	     enum elfaddr_why *why)
{
	const struct ea_file *m;
	int w, best = ELFADDR_OK;

	if (i >= ea->n)
		return NULL;
	m = ea->order[i];
	*unnamed = 0;
	for (w = 1; w < ELFADDR_NWHY; w++) {
		*unnamed += m->unnamed[w];
		if (m->unnamed[w] > m->unnamed[best] || best == ELFADDR_OK)
			if (m->unnamed[w])
				best = w;
	}
	*why = (enum elfaddr_why)best;
	return m->path;
}

int
elfaddr_has_dwarf(const struct elfaddr *ea, size_t i)
{
	const struct ea_file *m;

	if (i >= ea->n)
		return -1;
	m = ea->order[i];
	if (m->why != ELFADDR_OK)
		return -1;
	return m->dw != NULL;
}

const char *
elfaddr_why_str(enum elfaddr_why why)
{
	switch (why) {
	case ELFADDR_OK:
		return "named";
	case ELFADDR_NOFILE:
		return "the file is not there: it was moved, deleted or "
		    "rebuilt after the recording (profile again, or give "
		    "the binary back its path)";
	case ELFADDR_NOTELF:
		return "not an ELF file that libdw can read";
	case ELFADDR_STRIPPED:
		return "the file is stripped: no symbol table and no DWARF "
		    "(build with -g, do not strip it, or install its debug "
		    "symbols)";
	case ELFADDR_NOSYM:
		return "no function of the file covers these addresses "
		    "(code without a symbol: PLT stubs, JIT or hand-written "
		    "assembly; or the file is not the one profiled)";
	case ELFADDR_OUTSIDE:
		return "the addresses are outside the file's loaded "
		    "segments (the file is not the one profiled, or perf "
		    "printed run-time addresses)";
	case ELFADDR_NWHY:
		break;
	}
	return "unknown";
}

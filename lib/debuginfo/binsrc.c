/*
 * The sources of the profiled binaries: compile units and line tables
 * with libdw, STT_FILE symbols with libelf, kept as path tails for
 * comparing with a repository.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dwarf.h>
#include <gelf.h>

#include "debuginfo/binsrc_int.h"
#include "base/path.h"
#include "base/xalloc.h"

struct binsrc *
binsrc_new(void)
{
	return xcalloc(1, sizeof(struct binsrc));
}

static void
free_str(void *p)
{
	free(p);
}

void
binsrc_free(struct binsrc *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->n; i++) {
		if (b->v[i].dw)
			dwarf_end(b->v[i].dw);
		elf_end(b->v[i].elf);
		close(b->v[i].fd);
	}
	free(b->v);
	hmap_free(&b->tails, NULL);
	hmap_free(&b->bases, NULL);
	hmap_free(&b->decls, free_str);
	free(b);
}

void
binsrc_full_path(const char *dir, const char *name, struct sbuf *out)
{
	sbuf_reset(out);
	if (name[0] != '/' && dir && *dir)
		sbuf_addf(out, "%s/", dir);
	sbuf_adds(out, name);
	path_normalise(out->buf);
	out->len = strlen(out->buf);
}

static void
add_tails(struct binsrc *b, const char *path)
{
	const char *p;

	if (!*path || path[0] == '<')
		return;
	*hmap_put(&b->tails, path, strlen(path), NULL) = (void *)1;
	for (p = path; (p = strchr(p, '/')); p++)
		if (p[1])
			*hmap_put(&b->tails, p + 1, strlen(p + 1), NULL) =
				(void *)1;
}

const char *
binsrc_attr_str(Dwarf_Die *die, int name)
{
	Dwarf_Attribute a;

	return dwarf_formstring(dwarf_attr_integrate(die, name, &a));
}

static void
read_units(struct binsrc *b, Dwarf *dw)
{
	struct sbuf p = SBUF_INIT;
	Dwarf_Off off = 0, next;
	size_t hsize, i, nf;

	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;
		Dwarf_Files *files;
		const char *dir, *name;

		if (dwarf_offdie(dw, off + hsize, &cu)) {
			dir = binsrc_attr_str(&cu, DW_AT_comp_dir);
			if ((name = dwarf_diename(&cu))) {
				binsrc_full_path(dir, name, &p);
				add_tails(b, p.buf);
			}
			if (dwarf_getsrcfiles(&cu, &files, &nf) == 0)
				for (i = 0; i < nf; i++) {
					name = dwarf_filesrc(files, i, NULL, NULL);
					if (!name)
						continue;
					binsrc_full_path(dir, name, &p);
					add_tails(b, p.buf);
				}
		}
		off = next;
	}
	sbuf_release(&p);
}

static void
read_symtab(struct binsrc *b, Elf *elf)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *d;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
		    !sh.sh_entsize || !(d = elf_getdata(scn, NULL)))
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < n; i++) {
			GElf_Sym sym;
			const char *name, *slash;

			if (!gelf_getsym(d, (int)i, &sym) ||
			    GELF_ST_TYPE(sym.st_info) != STT_FILE ||
			    !(name = elf_strptr(elf, sh.sh_link, sym.st_name)))
				continue;
			slash = strrchr(name, '/');
			name = slash ? slash + 1 : name;
			if (*name)
				*hmap_put(&b->bases, name, strlen(name), NULL) =
					(void *)1;
		}
	}
}

int
binsrc_add(struct binsrc *b, const char *path, struct sbuf *err)
{
	struct bin x;

	sbuf_reset(err);
	elf_version(EV_CURRENT);
	memset(&x, 0, sizeof(x));
	if ((x.fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		sbuf_addf(err, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	x.elf = elf_begin(x.fd, ELF_C_READ, NULL);
	if (!x.elf || elf_kind(x.elf) != ELF_K_ELF) {
		sbuf_addf(err, "'%s' is not an ELF file", path);
		elf_end(x.elf);
		close(x.fd);
		return -1;
	}
	x.dw = dwarf_begin_elf(x.elf, DWARF_C_READ, NULL);
	if (x.dw)
		read_units(b, x.dw);
	read_symtab(b, x.elf);
	XGROW(b->v, b->n + 1, b->cap);
	b->v[b->n++] = x;
	return 0;
}

int
binsrc_has_file(const struct binsrc *b, const char *path)
{
	const char *base = strrchr(path, '/');

	if (hmap_get(&b->tails, path, strlen(path)))
		return 2;
	base = base ? base + 1 : path;
	return hmap_get(&b->bases, base, strlen(base)) ? 1 : 0;
}

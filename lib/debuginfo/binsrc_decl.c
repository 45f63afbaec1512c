/*
 * The functions of a name in the profiled binaries' debug information:
 * which files declare the ones that have code (out of line or inlined).
 */
#include <stdlib.h>
#include <string.h>

#include <dwarf.h>

#include "debuginfo/binsrc_int.h"

struct decl_walk {
	const char *name;
	struct sbuf *files;
	struct sbuf path;
	const char *dir;
};

/* Collect the declaring files of code named w->name below die. */
static void
walk_dies(struct decl_walk *w, Dwarf_Die *die, int depth)
{
	Dwarf_Die child;
	int tag;

	if (depth > 64 || dwarf_child(die, &child) != 0)
		return;
	do {
		tag = dwarf_tag(&child);
		if (tag == DW_TAG_subprogram ||
		    tag == DW_TAG_inlined_subroutine) {
			const char *n = binsrc_attr_str(&child, DW_AT_name);
			const char *f;

			if (n && !strcmp(n, w->name) &&
			    (dwarf_hasattr(&child, DW_AT_low_pc) ||
			     dwarf_hasattr(&child, DW_AT_ranges) ||
			     dwarf_hasattr(&child, DW_AT_entry_pc)) &&
			    (f = dwarf_decl_file(&child))) {
				binsrc_full_path(w->dir, f, &w->path);
				sbuf_addf(w->files, "%s\n", w->path.buf);
			}
		}
		if (dwarf_haschildren(&child))
			walk_dies(w, &child, depth + 1);
	} while (dwarf_siblingof(&child, &child) == 0);
}

/* Does the "\n"-joined list name path, by its tail? */
static int
lists(const char *list, const char *path)
{
	size_t n = strlen(path);
	const char *p = list, *e;

	for (; *p; p = e + 1) {
		e = strchr(p, '\n');
		if ((size_t)(e - p) >= n && !memcmp(e - n, path, n) &&
		    ((size_t)(e - p) == n || e[-(long)n - 1] == '/'))
			return 1;
	}
	return 0;
}

int
binsrc_declares(struct binsrc *b, const char *name, const char *path)
{
	void **slot;
	int added;
	size_t i;

	slot = hmap_put(&b->decls, name, strlen(name), &added);
	if (added) {
		struct sbuf files = SBUF_INIT;
		struct decl_walk w = { name, &files, SBUF_INIT, NULL };

		for (i = 0; i < b->n; i++) {
			Dwarf_Off off = 0, next;
			size_t hsize;

			if (!b->v[i].dw)
				continue;
			while (dwarf_nextcu(b->v[i].dw, off, &next, &hsize,
					    NULL, NULL, NULL) == 0) {
				Dwarf_Die cu;

				if (dwarf_offdie(b->v[i].dw, off + hsize, &cu)) {
					w.dir = binsrc_attr_str(&cu, DW_AT_comp_dir);
					walk_dies(&w, &cu, 0);
				}
				off = next;
			}
		}
		sbuf_release(&w.path);
		*slot = sbuf_detach(&files, NULL);
	}
	return lists(*slot, path);
}

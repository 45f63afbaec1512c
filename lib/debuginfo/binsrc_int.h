#ifndef PESQ_BINSRC_INT_H
#define PESQ_BINSRC_INT_H

/*
 * Internal to lib/debuginfo: the set binsrc.c reads and binsrc_decl.c
 * searches for declarations.
 */
#include <elfutils/libdw.h>
#include <libelf.h>

#include "debuginfo/binsrc.h"
#include "base/hmap.h"

struct bin {
	int fd;
	Elf *elf;
	Dwarf *dw;		/* NULL: no debug information */
};

struct binsrc {
	struct bin *v;
	size_t n, cap;
	struct hmap tails;	/* each tail after a '/' of each source path */
	struct hmap bases;	/* base names of STT_FILE symbols */
	struct hmap decls;	/* name -> "\n"-joined declaring files */
};

/*
 * dir + "/" + name into out (reset first) unless name is absolute, with
 * "." and "x/.." taken out; dir may be NULL.
 */
void binsrc_full_path(const char *dir, const char *name, struct sbuf *out);

/* The string value of attribute name of die, following origins. */
const char *binsrc_attr_str(Dwarf_Die *die, int name);

#endif

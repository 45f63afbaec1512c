#ifndef PESQ_BINSRC_H
#define PESQ_BINSRC_H

#include "base/sbuf.h"

/*
 * The sources a set of ELF files (the profiled program and its own
 * libraries) were built from, read with libdw and libelf: every file a
 * compile unit or a line table names (DWARF), else the names of the
 * STT_FILE symbols of the symbol table. Paths are compared with a
 * repository's by their tail, since a binary built in another checkout
 * (pesq's profile worktree) names the same files under another
 * directory: "lib/lz4.c" is "/any/where/lib/lz4.c".
 */
struct binsrc;

/* An empty set. Allocation failure is fatal. */
struct binsrc *binsrc_new(void);

/*
 * Add the ELF file at path. Returns 0; -1 when it cannot be read or is
 * not an ELF file, with a message naming it in err (reset first). A file
 * without debug information adds its symbol table's file names only.
 */
int binsrc_add(struct binsrc *b, const char *path, struct sbuf *err);

void binsrc_free(struct binsrc *b);

/*
 * Was the repository file path (relative, '/'-separated) part of the
 * build? 2 when a compile unit or line table names it, 1 when only a
 * symbol table names a file of its base name, 0 when not.
 */
int binsrc_has_file(const struct binsrc *b, const char *path);

/*
 * 1 when the debug information has code for a function named name (its
 * last component, as DW_AT_name gives it) declared in the repository
 * file path (DW_AT_decl_file), else 0. The functions of a name are
 * looked up once and remembered.
 */
int binsrc_declares(struct binsrc *b, const char *name, const char *path);

#endif

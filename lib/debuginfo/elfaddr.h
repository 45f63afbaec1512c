#ifndef PESQ_ELFADDR_H
#define PESQ_ELFADDR_H

#include <stdint.h>
#include <stddef.h>

/*
 * What an address of a profiled program is, read from the program's own
 * ELF file with elfutils' libdw: the function it is in (the symbol table,
 * else DWARF), the functions inlined there (DWARF), its source line
 * (DWARF). pesq-fold asks it about the frames perf left "[unknown]"
 * (--resolve), about every frame for inlined functions (--inline), and
 * about the leaf of each sample for hot lines (--lines).
 *
 * Addresses are as perf script prints them in call chains: offsets into
 * the file (perf's map-relative addresses), turned into the ELF's virtual
 * addresses through its PT_LOAD program headers; for an ET_EXEC file an
 * address that is no file offset but one of its virtual addresses is
 * taken as it is (older perf).
 *
 * Each file is opened once; each address is looked up once (results are
 * kept until elfaddr_free). The functions inlined at an address come
 * from an index of each compile unit's functions and inlined calls,
 * built the first time one of its addresses is asked for, so a lookup
 * costs a binary search, not a walk of the unit. Allocation failure is
 * fatal; nothing here prints or exits.
 */

/* Why an address has no name. */
enum elfaddr_why {
	ELFADDR_OK,
	ELFADDR_NOFILE,		/* the file cannot be opened */
	ELFADDR_NOTELF,		/* not an ELF file libdw can read */
	ELFADDR_STRIPPED,	/* no symbol table and no DWARF */
	ELFADDR_NOSYM,		/* no function covers the address */
	ELFADDR_OUTSIDE,	/* no loaded part of the file holds it */
	ELFADDR_NWHY
};

struct elfaddr_res {
	enum elfaddr_why why;
	/*
	 * The function: its symbol (demangled), else its DWARF name; NULL
	 * when why is not ELFADDR_OK.
	 */
	const char *fn;
	/* The functions inlined at the address, the outermost first. */
	const char *const *inl;
	size_t ninl;
	/* The source line of the address: file NULL when unknown. */
	const char *file;
	unsigned line;
	int dwarf;		/* the file has DWARF for this address */
};

struct elfaddr;

struct elfaddr *elfaddr_new(void);

/* Close every file and free every result. */
void elfaddr_free(struct elfaddr *ea);

/*
 * Look up pc in the file path[0, pathn). ret: pc is a return address
 * (a caller's frame), so the call instruction before it is looked up.
 * Fills *res, whose strings belong to ea; returns res->why.
 */
enum elfaddr_why elfaddr_lookup(struct elfaddr *ea, const char *path,
				size_t pathn, uint64_t pc, int ret,
				struct elfaddr_res *res);

/*
 * For messages: the files asked about in the order first asked, each
 * with the number of distinct addresses left without a name and the
 * reason for most of them. i from 0; NULL past the last file.
 */
const char *elfaddr_file(const struct elfaddr *ea, size_t i,
			 uint64_t *unnamed, enum elfaddr_why *why);

/* Whether the file has DWARF (after a lookup in it); -1 when not read. */
int elfaddr_has_dwarf(const struct elfaddr *ea, size_t i);

/* What why means and what to do about it, one line. */
const char *elfaddr_why_str(enum elfaddr_why why);

#endif

#ifndef PESQ_NOTJSON_H
#define PESQ_NOTJSON_H

#include <stddef.h>

/*
 * What an input that is not JSON lines is, so that a record filter fed
 * the wrong thing (a perf.data file, folded stacks, perf script text) can
 * say so once and skip it, instead of warning about every line.
 *
 * notjson_kind looks at one line (len bytes, not NUL-terminated; it may
 * hold NULs) that failed to parse as a record. first is nonzero when it
 * is the input's first non-blank line. Returns a static description such
 * as "binary data (a NUL byte)", or NULL when the line is just one
 * invalid line to report and skip. Binary data is recognised on any line,
 * the other kinds on the first line only.
 */
const char *notjson_kind(const char *line, size_t len, int first);

#endif

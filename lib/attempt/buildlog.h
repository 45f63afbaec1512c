#ifndef PESQ_BUILDLOG_H
#define PESQ_BUILDLOG_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * The part of a build's output a model (or a person) needs to fix it,
 * bounded in size.
 *
 * Error lines come first, each with up to three lines of context after it
 * (the source line and caret compilers print; a context line that starts
 * another "file:line:" diagnostic ends it) and the "In function" line
 * before it when there is one. An error line is one containing "error:"
 * or "Error:" (compilers, assemblers, linkers, make) or "undefined
 * reference". When the output has none, the log is its last lines. Every
 * occurrence of strip (the build directory with a trailing '/', may be
 * NULL) is removed so that paths read relative to the project.
 *
 * buildlog_extract appends at most max bytes (cut at a line end when it
 * can, then ending in "...\n") of out[0..len) to log.
 */
void buildlog_extract(const char *out, size_t len, const char *strip,
		      size_t max, struct sbuf *log);

#endif

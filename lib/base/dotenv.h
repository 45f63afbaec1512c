#ifndef PESQ_DOTENV_H
#define PESQ_DOTENV_H

#include "base/sbuf.h"

/*
 * .env files: one KEY=VALUE a line, as docker compose and most dotenv
 * libraries read them. Blank lines and lines starting with '#' are
 * ignored; "export " before the key is allowed. A value may be bare (up to
 * an unquoted " #" comment, blanks trimmed), in single quotes (literal) or
 * in double quotes (\n, \t, \", \\ escapes). Nothing is ever written.
 */

/*
 * Parse one line. Returns 1 with the name in key and the value in val
 * (both reset first) for an assignment, 0 for a blank or comment line, -1
 * for anything else (no '=', a bad name, an unterminated quote).
 */
int dotenv_parse_line(const char *line, struct sbuf *key, struct sbuf *val);

/*
 * Look name up in the file at path. Returns 1 with the value in out (reset
 * first; the last assignment wins), 0 when the file does not exist or does
 * not set name, -1 when it cannot be read (errno set). Malformed lines are
 * skipped.
 */
int dotenv_get(const char *path, const char *name, struct sbuf *out);

#endif

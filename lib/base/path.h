#ifndef PESQ_PATH_H
#define PESQ_PATH_H

/*
 * Lexical normalisation of a '/'-separated path, in place: "/./" and
 * "//" become "/", "x/.." goes (never above the start), a trailing "/."
 * goes. Nothing is read from the file system, so symbolic links are not
 * followed. An absolute path that normalises to nothing is "/".
 */
void path_normalise(char *p);

/*
 * Make the directory dir, and its parent first, when they are missing
 * (mode 0777 less the umask). Returns 0, or -1 with errno set.
 */
int path_mkdirs(const char *dir);

/* Is path a regular file we may execute? */
int path_executable(const char *path);

/* Is there an executable prog in a directory of $PATH? */
int path_on_path(const char *prog);

#endif

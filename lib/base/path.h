#ifndef PESQ_PATH_H
#define PESQ_PATH_H

/*
 * Lexical normalisation of a '/'-separated path, in place: "/./" and
 * "//" become "/", "x/.." goes (never above the start), a trailing "/."
 * goes. Nothing is read from the file system, so symbolic links are not
 * followed. An absolute path that normalises to nothing is "/".
 */
void path_normalise(char *p);

#endif

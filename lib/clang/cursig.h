#ifndef PESQ_CURSIG_H
#define PESQ_CURSIG_H

#include <clang-c/Index.h>

#include "base/sbuf.h"

/*
 * The signature of a function definition as a demangler would print it,
 * written from libclang's view of the declaration: its scopes
 * (namespaces, "(anonymous namespace)", classes with their template
 * arguments), its name, the types of its parameters and its qualifiers,
 * in the normal form of source/demangled.h. What a template leaves open
 * is a wildcard: "?" for a type that depends on a template parameter,
 * "@" for the arguments of a class template or a parameter pack, so
 * that the pattern matches the instances perf names
 * ("geo::Box<@>::get()const" matches "geo::Box<int>::get() const").
 */

/* Write fn's pattern to out (reset first). */
void cursig_write(CXCursor fn, struct sbuf *out);

#endif

#ifndef PESQ_DEMANGLED_H
#define PESQ_DEMANGLED_H

#include "base/sbuf.h"

/*
 * C++ function names as demanglers print them (perf script -v, c++filt,
 * GNU's libiberty): "ns::Box<int>::get(int) const",
 * "(anonymous namespace)::f(char const*)", "int ns::f<int>(int) [clone
 * .isra.0]". A name is read into one normalised string, the form that
 * lib/clang/cursig.c writes for a definition, so that the two can be
 * compared token by token:
 *
 * - tokens are joined with one space between two words, none elsewhere
 *   ("char const*", "std::vector<int,std::allocator<int>>");
 * - the return type of a template instance, the template arguments of
 *   the function itself (not of its class), ABI tags ("[abi:cxx11]") and
 *   clone suffixes are dropped; "(void)" is "()";
 * - inline namespaces of the standard library (std::__cxx11, std::__1)
 *   are dropped, and the demangler's abbreviations std::string,
 *   std::istream, std::ostream, std::iostream are written out.
 *
 * In a pattern (what cursig writes for a template), "?" stands for one
 * type (a balanced run of tokens without a ',' outside brackets) and
 * "@" for any balanced run, commas included, possibly empty (the
 * arguments of a class template, a parameter pack).
 */

/*
 * Normalise the name fn into out (reset first). Returns 1 when fn gives
 * a parameter list, 0 when it is a bare name ("ns::f", "foo.isra.0"),
 * -1 when it cannot be read (unbalanced brackets); out is then empty.
 */
int demangled_norm(const char *fn, struct sbuf *out);

/*
 * Normalise a piece of a signature written by cursig (a type, a scope,
 * a parameter list): the same token rules, nothing dropped. Into out
 * (appended).
 */
void demangled_add(struct sbuf *out, const char *text);

/*
 * Does the normalised pattern match the normalised subject? Returns -1
 * when not, else the number of wildcards the match used (0: exact). When
 * tail is set, the pattern may also match with leading scopes left out
 * ("ns::f(int)" matches "f(int)"); each scope left out counts 1000.
 */
int demangled_match(const char *pattern, const char *subject, int tail);

#endif

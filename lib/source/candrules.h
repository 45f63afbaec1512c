#ifndef PESQ_CANDRULES_H
#define PESQ_CANDRULES_H

#include "base/sbuf.h"

/*
 * The rules a candidate's code must follow, one sentence each: the one
 * source of what pesq-apply(1) accepts (candidate.c checks them),
 * `pesq-apply --rules` prints, pesq-prompt's system message tells the
 * model ({{rules}}) and pesq-apply(1) documents (a test compares them).
 * The text avoids '*' and '_' so that scdoc prints it as it is.
 */
extern const char *const candrules[];

/* Append the rules, each as a line "- RULE\n". */
void candrules_text(struct sbuf *out);

#endif

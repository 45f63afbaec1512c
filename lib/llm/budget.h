#ifndef PESQ_BUDGET_H
#define PESQ_BUDGET_H

#include <stddef.h>

/*
 * The token budget of a run (pesq-llm --budget N --spent FILE): FILE
 * counts what the requests of a run spent, shared by every pesq-llm the
 * run starts (in parallel under make -j), read and written under
 * flock(2). It is text, one "name value" line each:
 *
 *	tokens 1234
 *	requests 3
 *	cost 0.0123
 *
 * (cost only once a priced request added to it). A request takes its
 * prompt's estimated tokens when it starts, so that requests started side
 * by side see each other, and settles the difference to what the reply
 * really cost (in + out tokens) when it ends, or gives them back when it
 * fails. Without a file, the counter lives in memory (one process).
 */
struct budget {
	long long limit;	/* tokens; 0: no limit */
	const char *path;	/* NULL: in memory */
	long long tokens, requests;	/* in memory, or as last read */
	double cost;
	int priced;
};

/*
 * Start a request that may cost est tokens: 1 when the budget is spent
 * (tokens >= limit; nothing taken), 0 when it may go (est taken and the
 * request counted), -1 when the file cannot be used (errno set; EINVAL:
 * it is not such a file). b->tokens is the total seen either way.
 */
int budget_take(struct budget *b, long long est);

/*
 * End a request that took est tokens: add tokens - est (a failed request
 * gives tokens 0 and requests back) and cost (when priced). Returns 0 or
 * -1 as above.
 */
int budget_settle(struct budget *b, long long est, long long tokens,
		  int failed, int priced, double cost);

#endif

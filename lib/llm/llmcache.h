#ifndef PESQ_LLMCACHE_H
#define PESQ_LLMCACHE_H

#include <stddef.h>

#include "base/sbuf.h"

/*
 * The reply cache of pesq-llm, kept in git. The canonical request text
 * (see llm_canonical) is hashed as a git blob; that blob id is the key,
 * and the entry is a note on it in refs/notes/pesq-cache. So
 *
 *	git notes --ref=pesq-cache show <blob>
 *
 * prints an entry, and caches from several machines merge with
 * `git notes merge`. The request blob itself is written too, so
 * `git cat-file -p <blob>` shows what was asked. Ref updates are
 * compare-and-swap on the old value and retried on contention, so
 * concurrent writers never lose an entry.
 */
struct llmcache;

#define LLMCACHE_REF "refs/notes/pesq-cache"

/*
 * Beside it, what pesq-llm learned about models (see llmmodel.h): a note
 * per model in refs/notes/pesq-models on the blob of its name and a
 * newline, so
 *
 *	git notes --ref=pesq-models show $(echo gpt-5 | git hash-object --stdin)
 *
 * shows what it learned about gpt-5.
 */
#define LLMCACHE_MODELS_REF "refs/notes/pesq-models"

/*
 * Open the cache of the repository containing dir (NULL: the current
 * directory). Returns 0 with *out set, 1 when dir is in no repository
 * (*out NULL), -1 with a message in err on failure. The caller closes it.
 */
int llmcache_open(struct llmcache **out, const char *dir, struct sbuf *err);
void llmcache_close(struct llmcache *c);

/* The repository's work tree (with a trailing '/'), or NULL when bare. */
const char *llmcache_workdir(struct llmcache *c);

/*
 * The value of git config name in the repository (its local, global and
 * system files), appended to out: 1 when set, 0 when not, -1 on error.
 * With c NULL, the global and system files alone.
 */
int llmcache_config(struct llmcache *c, const char *name, struct sbuf *out);

/*
 * Look up the entry for req[0..len). Returns 1 with the entry in val
 * (reset first), 0 when there is none, -1 with a message in err.
 */
int llmcache_get(struct llmcache *c, const char *req, size_t len,
		 struct sbuf *val, struct sbuf *err);

/*
 * Store val (text without NULs) for req[0..len), replacing any entry.
 * Returns 0, or -1 with a message in err.
 */
int llmcache_put(struct llmcache *c, const char *req, size_t len,
		 const char *val, struct sbuf *err);

/*
 * The same for the entry of a model in LLMCACHE_MODELS_REF: get returns
 * 1 with it in val, 0 when there is none, -1 with a message in err; put
 * returns 0 or -1.
 */
int llmcache_model_get(struct llmcache *c, const char *model,
		       struct sbuf *val, struct sbuf *err);
int llmcache_model_put(struct llmcache *c, const char *model,
		       const char *val, struct sbuf *err);

#endif

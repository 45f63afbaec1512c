/*
 * lib/prof: aggregation of folded stacks, checked against a naive model
 * on random profiles (in sorted, reversed and shuffled line order, since
 * the reader reuses the frames shared with the line before), and on the
 * prefix-reuse corner cases by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "profile/prof.h"
#include "profile/prof-int.h"
#include "base/sbuf.h"
#include "tap.h"
#include "base/xalloc.h"

static const char *why;

static int
add(struct prof *p, const char *line)
{
	return prof_add_line(p, line, strlen(line), &why);
}

/* A dump of everything prof computes, by function name. */
static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
dump(struct prof *p, struct sbuf *out)
{
	char **names = xcalloc(p->nfn + 1, sizeof(*names));
	uint32_t *chain = NULL, i;
	struct prof_link *l = NULL;
	size_t cc = 0, lc = 0, n, k;
	int dir;

	for (i = 0; i < p->nfn; i++)
		names[i] = (char *)p->fn[i].name;
	qsort(names, p->nfn, sizeof(*names), namecmp);
	sbuf_addf(out, "all %llu\n", (unsigned long long)p->all);
	for (i = 0; i < p->nfn; i++) {
		uint32_t fn = prof_lookup(p, names[i], strlen(names[i]));

		if (!p->fn[fn].total)
			continue;
		sbuf_addf(out, "%s self %llu total %llu chain", names[i],
			  (unsigned long long)p->fn[fn].self,
			  (unsigned long long)p->fn[fn].total);
		n = prof_chain(p, fn, &chain, &cc);
		for (k = 0; k < n; k++)
			sbuf_addf(out, " %s", p->fn[chain[k]].name);
		for (dir = 0; dir < 2; dir++) {
			sbuf_adds(out, dir ? " callees" : " callers");
			n = prof_links(p, fn, dir, &l, &lc);
			for (k = 0; k < n; k++)
				sbuf_addf(out, " %s:%llu", p->fn[l[k].fn].name,
					  (unsigned long long)l[k].count);
		}
		sbuf_addc(out, '\n');
	}
	free(names);
	free(chain);
	free(l);
}

/*
 * The naive model: stacks of single-letter functions, adjacent repeats
 * collapsed, everything recomputed from scratch per function.
 */
#define MAXD 8
#define NF 12		/* functions 'a'... (more than a narrow node's children) */
struct stk {
	char f[MAXD + 1];	/* collapsed, NUL-terminated */
	unsigned long long c;
};

static void
naive(const struct stk *s, size_t n, struct sbuf *out)
{
	unsigned long long all = 0, self, total, w, bestw, cnt;
	char fn, g, best[MAXD + 1];
	size_t i, j, k, m;
	int dir;

	for (i = 0; i < n; i++)
		all += s[i].c;
	sbuf_addf(out, "all %llu\n", all);
	for (fn = 'a'; fn < 'a' + NF; fn++) {
		self = total = 0;
		bestw = 0;
		best[0] = '\0';
		for (i = 0; i < n; i++) {
			const char *q = strchr(s[i].f, fn);

			if (!q)
				continue;
			total += s[i].c;
			if (s[i].f[strlen(s[i].f) - 1] == fn)
				self += s[i].c;
		}
		if (!total)
			continue;
		/* heaviest prefix ending at the first occurrence */
		for (i = 0; i < n; i++) {
			const char *q = strchr(s[i].f, fn);
			char pre[MAXD + 1];

			if (!q)
				continue;
			m = (size_t)(q - s[i].f) + 1;
			memcpy(pre, s[i].f, m);
			pre[m] = '\0';
			w = 0;
			for (j = 0; j < n; j++) {
				const char *r = strchr(s[j].f, fn);

				if (r && (size_t)(r - s[j].f) + 1 == m &&
				    !strncmp(s[j].f, pre, m))
					w += s[j].c;
			}
			if (w > bestw || (w == bestw && strcmp(pre, best) < 0)) {
				bestw = w;
				strcpy(best, pre);
			}
		}
		sbuf_addf(out, "%c self %llu total %llu chain", fn, self, total);
		for (k = 0; best[k]; k++)
			sbuf_addf(out, " %c", best[k]);
		for (dir = 0; dir < 2; dir++) {
			/* edges, heaviest first, ties by name */
			unsigned long long ew[NF] = { 0 };
			int done[NF] = { 0 }, b;

			sbuf_adds(out, dir ? " callees" : " callers");
			for (g = 'a'; g < 'a' + NF; g++) {
				char pair[3] = { dir ? fn : g, dir ? g : fn, 0 };

				for (i = 0; i < n; i++)
					if (strstr(s[i].f, pair))
						ew[g - 'a'] += s[i].c;
			}
			for (;;) {
				b = -1;
				for (k = 0; k < NF; k++)
					if (!done[k] && ew[k] &&
					    (b < 0 || ew[k] > ew[b]))
						b = (int)k;
				if (b < 0)
					break;
				done[b] = 1;
				cnt = ew[b];
				sbuf_addf(out, " %c:%llu", 'a' + b, cnt);
			}
		}
		sbuf_addc(out, '\n');
	}
}

static unsigned long rng = 12345;

static unsigned long
rnd(unsigned long n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (rng >> 33) % n;
}

static int
linecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Random profiles: naive model == prof, whatever the line order. */
static void
random_profiles(void)
{
	int round, order, bad = 0;

	for (round = 0; round < 300; round++) {
		size_t n = 1 + rnd(40), i, j, d;
		struct stk s[40];
		char *lines[40];
		struct sbuf want = SBUF_INIT, got = SBUF_INIT;

		for (i = 0; i < n; i++) {
			struct sbuf l = SBUF_INIT;
			size_t k = 0;

			d = 1 + rnd(MAXD);
			s[i].c = rnd(4) ? 1 + rnd(9) : 0;
			for (j = 0; j < d; j++) {
				char f = (char)('a' + rnd(j < 2 ? NF : 4));

				if (j)
					sbuf_addc(&l, ';');
				sbuf_addc(&l, f);
				if (rnd(6) == 0)	/* sometimes annotated */
					sbuf_adds(&l, "_[i]");
				if (!k || s[i].f[k - 1] != f)
					s[i].f[k++] = f;
			}
			s[i].f[k] = '\0';
			sbuf_addf(&l, " %llu", s[i].c);
			lines[i] = sbuf_detach(&l, NULL);
		}
		naive(s, n, &want);
		for (order = 0; order < 3; order++) {
			struct prof p;

			if (order == 1)
				qsort(lines, n, sizeof(*lines), linecmp);
			if (order == 2)
				for (i = 0; i + 1 < n; i++) {
					char *t;

					j = i + rnd(n - i);
					t = lines[i];
					lines[i] = lines[j];
					lines[j] = t;
				}
			prof_init(&p);
			for (i = 0; i < n; i++)
				add(&p, lines[i]);
			prof_finish(&p);
			sbuf_reset(&got);
			dump(&p, &got);
			prof_release(&p);
			if (strcmp(want.buf, got.buf)) {
				if (!bad++) {
					printf("# round %d order %d\n", round, order);
					for (i = 0; i < n; i++)
						printf("# %s\n", lines[i]);
					printf("# want:\n%s# got:\n%s", want.buf,
					       got.buf);
				}
			}
		}
		for (i = 0; i < n; i++)
			free(lines[i]);
		sbuf_release(&want);
		sbuf_release(&got);
	}
	is_int(bad, 0, "300 random profiles agree with the naive model");
}

/*
 * A profile big enough for the node table to grow many times and for
 * the queue of lines read ahead to wrap around: one node per distinct
 * collapsed prefix, and the same results in any line order, whether
 * added line by line or read from a file.
 */
static void
big_profile(void)
{
	enum { N = 3000 };
	char **lines = xcalloc(N, sizeof(*lines));
	struct hmap prefixes = HMAP_INIT;
	struct sbuf want = SBUF_INIT, got = SBUF_INIT;
	size_t i, j, d, nprefix = 0;
	int order, differ = 0, nodes_ok = 1, added;

	for (i = 0; i < N; i++) {
		struct sbuf l = SBUF_INIT, key = SBUF_INIT;
		unsigned long f, prev = 99;

		d = 1 + rnd(16);
		for (j = 0; j < d; j++, prev = f) {
			f = rnd(j < 3 ? 4 : 40);
			if (j)
				sbuf_addc(&l, ';');
			sbuf_addf(&l, "fn%lu", f);
			if (f == prev)
				continue;
			sbuf_addf(&key, "%lu;", f);
			hmap_put(&prefixes, key.buf, key.len, &added);
			nprefix += added;
		}
		sbuf_addf(&l, " %lu", 1 + rnd(100));
		lines[i] = sbuf_detach(&l, NULL);
		sbuf_release(&key);
	}
	for (order = 0; order < 4; order++) {
		struct prof p;

		if (order == 1)
			qsort(lines, N, sizeof(*lines), linecmp);
		if (order == 2)
			for (i = 0; i < N / 2; i++) {
				char *t = lines[i];

				lines[i] = lines[N - 1 - i];
				lines[N - 1 - i] = t;
			}
		if (order == 3)
			for (i = 0; i + 1 < N; i++) {
				char *t;

				j = i + rnd(N - i);
				t = lines[i];
				lines[i] = lines[j];
				lines[j] = t;
			}
		prof_init(&p);
		if (order < 3) {
			for (i = 0; i < N; i++)
				add(&p, lines[i]);
		} else {
			FILE *f = tmpfile();

			if (!f) {
				perror("tmpfile");
				exit(1);
			}
			for (i = 0; i < N; i++)
				fprintf(f, "%s\n", lines[i]);
			if (fflush(f) || fseek(f, 0, SEEK_SET) ||
			    prof_read_fd(&p, fileno(f), NULL, NULL) < 0) {
				perror("tmpfile");
				exit(1);
			}
			fclose(f);
		}
		prof_finish(&p);
		if (p.nnode - 1 != nprefix) {
			printf("# order %d: %u nodes, %zu prefixes\n", order,
			       p.nnode - 1, nprefix);
			nodes_ok = 0;
		}
		sbuf_reset(&got);
		dump(&p, &got);
		prof_release(&p);
		if (!order)
			sbuf_add(&want, got.buf, got.len);
		else if (strcmp(want.buf, got.buf))
			differ++;
	}
	ok(nodes_ok, "a node per distinct prefix of %zu", nprefix);
	is_int(differ, 0, "big profile: the same in any order");
	for (i = 0; i < N; i++)
		free(lines[i]);
	free(lines);
	hmap_free(&prefixes, NULL);
	sbuf_release(&want);
	sbuf_release(&got);
}

static int
tab_has(const struct prof_tab *t, uint32_t h, uint32_t id)
{
	size_t i;

	for (i = TAB_FIRST(t, h); t->slot[i]; i = TAB_NEXT(t, i))
		if (t->slot[i] == ((uint64_t)h << 32 | ((uint64_t)id + 1)))
			return 1;
	return 0;
}

/* The tables grow, keeping their values, also runs wrapping around. */
static void
tab_growth(void)
{
	struct prof_tab t = { NULL, 0, 0 };
	uint32_t id, h[20000];
	int lost = 0;

	for (id = 0; id < 20000; id++) {
		h[id] = (uint32_t)rnd(1UL << 32);
		prof_tab_put(&t, h[id], id);
	}
	for (id = 0; id < 20000; id++)
		lost += !tab_has(&t, h[id], id);
	is_int(lost, 0, "20000 random hashes found after growing");
	free(t.slot);

	/* home 1023 in 1024 slots (a run wrapping to 0), 2047 after */
	memset(&t, 0, sizeof(t));
	for (id = 0; id < 600; id++) {
		h[id] = id < 300 ? 2047 : (uint32_t)rnd(1UL << 32);
		prof_tab_put(&t, h[id], id);
	}
	lost = 0;
	for (id = 0; id < 600; id++)
		lost += !tab_has(&t, h[id], id);
	is_int(lost, 0, "a run wrapping around the end survives growing");
	is_int(t.n, 600, "600 values");
	free(t.slot);
}

static void
check(const char *const *in, const char *want, const char *what)
{
	struct prof p;
	struct sbuf got = SBUF_INIT;

	prof_init(&p);
	for (; *in; in++)
		add(&p, *in);
	prof_finish(&p);
	dump(&p, &got);
	is_str(got.buf, want, "%s", what);
	sbuf_release(&got);
	prof_release(&p);
}

int
main(void)
{
	static const char *const runs[] = {
		"a;b;b;c 1", "a;b;b;d 1", "a;b 1", "a;b;b 1", NULL
	};
	static const char *const bytes[] = {
		"ab;c 1", "a;c 1", "a;b 1", "a;b c;d 2", "a;b;c 1", NULL
	};
	static const char *const broken[] = {
		"m;a;b 1", "m;a;;c 1", "m;a;b 2", "m;a; 5", "m;x 1",
		"m;a;b;b;;c 1", "m;a;b 1", NULL
	};
	struct prof p;

	check(runs, "all 4\n"
	      "a self 0 total 4 chain a callers callees b:4\n"
	      "b self 2 total 4 chain a b callers a:4 callees c:1 d:1\n"
	      "c self 1 total 1 chain a b c callers b:1 callees\n"
	      "d self 1 total 1 chain a b d callers b:1 callees\n",
	      "runs of a recursive frame, cut in the middle");
	check(bytes, "all 6\n"
	      "a self 0 total 5 chain a callers callees b:2 b c:2 c:1\n"
	      "ab self 0 total 1 chain ab callers callees c:1\n"
	      "b self 1 total 2 chain a b callers a:2 callees c:1\n"
	      "b c self 0 total 2 chain a b c callers a:2 callees d:2\n"
	      "c self 3 total 3 chain a b c callers a:1 ab:1 b:1 callees\n"
	      "d self 2 total 2 chain a b c d callers b c:2 callees\n",
	      "lines sharing bytes but not frames");
	check(broken, "all 5\n"
	      "a self 0 total 4 chain m a callers m:4 callees b:4\n"
	      "b self 4 total 4 chain m a b callers a:4 callees\n"
	      "m self 0 total 5 chain m callers callees a:4 x:1\n"
	      "x self 1 total 1 chain m x callers m:1 callees\n",
	      "malformed lines between shared prefixes change nothing");

	prof_init(&p);
	is_int(prof_add_line(&p, "", 0, &why), 0, "empty line ignored");
	is_int(add(&p, " \t\r"), 0, "blank line ignored");
	is_int(add(&p, "a;b"), -1, "no count");
	is_str(why, "no count after the stack", "no count: why");
	is_int(add(&p, "a;b -1"), -1, "negative count");
	is_int(add(&p, "a;b 18446744073709551616"), -1, "count overflows");
	is_int(add(&p, "a;b 18446744073709551615"), 1, "largest count");
	is_int(add(&p, "a;b 1.5"), -1, "fractional count");
	is_int(add(&p, "a;b "), -1, "empty count");
	is_int(add(&p, " 3"), -1, "empty stack");
	is_str(why, "empty stack", "empty stack: why");
	is_int(add(&p, ";a 3"), -1, "empty first frame");
	is_str(why, "empty frame", "empty frame: why");
	is_int(add(&p, "x;y_[k] 2\r"), 1, "CRLF line");
	is_int(add(&p, "x;y 1"), 1, "unannotated spelling");
	is_int(add(&p, "x;z_[k] 1"), 1, "kernel frame");
	prof_finish(&p);
	is_int(p.fn[prof_lookup(&p, "y", 1)].self, 3, "y_[k] is y");
	ok(p.fn[prof_lookup(&p, "y", 1)].plain, "y has a plain frame");
	ok(!p.fn[prof_lookup(&p, "z", 1)].plain, "z is kernel only");
	ok(p.fn[prof_lookup(&p, "z", 1)].annotated, "z is annotated");
	ok(!p.fn[prof_lookup(&p, "x", 1)].nonroot, "x only at the root");
	ok(p.fn[prof_lookup(&p, "b", 1)].nonroot, "b below the root");
	ok(prof_lookup(&p, "y_[k]", 5) == PROF_NONE, "no function y_[k]");
	prof_release(&p);

	random_profiles();
	big_profile();
	tab_growth();
	return done_testing();
}

#include <stdlib.h>
#include <string.h>

#include "fold/stackmap.h"
#include "base/xalloc.h"

__extension__ typedef unsigned __int128 stackmap_u128;

static inline uint64_t
mum(uint64_t a, uint64_t b)
{
	stackmap_u128 r = (stackmap_u128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t
load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

uint64_t
stackmap_hash(const void *key, size_t n)
{
	const unsigned char *p = key;
	uint64_t h = 0x243f6a8885a308d3ULL ^ (n * 0x9e3779b97f4a7c15ULL);
	uint64_t a, b;

	if (n <= 16) {
		if (n >= 8) {
			a = load64(p);
			b = load64(p + n - 8);
		} else if (n >= 4) {
			uint32_t x, y;

			memcpy(&x, p, 4);
			memcpy(&y, p + n - 4, 4);
			a = x;
			b = y;
		} else {
			a = n ? (uint64_t)p[0] << 16 | (uint64_t)p[n / 2] << 8 |
			    p[n - 1] : 0;
			b = 0;
		}
		return mum(mum(a ^ 0xa0761d6478bd642fULL, b ^ h) ^
			   0xe7037ed1a0b428dbULL, h);
	}
	while (n > 16) {
		h = mum(load64(p) ^ 0xa0761d6478bd642fULL,
			load64(p + 8) ^ h);
		p += 16;
		n -= 16;
	}
	/* The last 16 bytes, overlapping what came before. */
	a = load64(p + n - 16);
	b = load64(p + n - 8);
	return mum(mum(a ^ 0xe7037ed1a0b428dbULL, b ^ h) ^
		   0x8ebc6af09c88c6e3ULL, h ^ 0x589965cc75374cc3ULL);
}

static void
grow_slots(struct stackmap *m)
{
	size_t cap = m->slot ? (m->mask + 1) * 2 : 1024, i;
	uint64_t *slot = xcalloc(cap, sizeof(*slot));

	for (i = 0; m->slot && i <= m->mask; i++) {
		uint64_t s = m->slot[i];
		size_t j;

		if (!s)
			continue;
		/* The stored hash bits are the high half: re-place by them. */
		j = (size_t)(s >> 32) & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = s;
	}
	free(m->slot);
	m->slot = slot;
	m->mask = cap - 1;
}

void
stackmap_add(struct stackmap *m, const void *key, size_t n, uint64_t count)
{
	uint64_t h, tag;
	size_t i;
	struct stackmap_ent *e;

	if (!m->slot)
		grow_slots(m);
	h = stackmap_hash(key, n);
	/* Index by the high 32 bits, which the slot keeps as a tag. */
	tag = h >> 32;
	i = (size_t)tag & m->mask;
	for (;;) {
		uint64_t s = m->slot[i];

		if (!s)
			break;
		if ((s >> 32) == tag) {
			e = &m->ent[(s & 0xffffffffu) - 1];
			if (e->len == n && !memcmp(m->arena + e->off, key, n)) {
				if (e->count + count < e->count) {
					e->count = UINT64_MAX;
					m->overflow = 1;
				} else {
					e->count += count;
				}
				return;
			}
		}
		i = (i + 1) & m->mask;
	}
	XGROW(m->ent, m->n + 1, m->alloc);
	if (m->arena_len + n + 1 > m->arena_alloc) {
		size_t a = m->arena_alloc ? m->arena_alloc : 65536;

		while (a < m->arena_len + n + 1)
			a *= 2;
		m->arena = xrealloc(m->arena, a);
		m->arena_alloc = a;
	}
	e = &m->ent[m->n];
	e->off = m->arena_len;
	e->len = n;
	e->count = count;
	if (n)
		memcpy(m->arena + m->arena_len, key, n);
	m->arena_len += n;
	m->n++;
	m->slot[i] = tag << 32 | m->n;
	/* Keep the load under 1/2: probes stay short. */
	if (m->n * 2 > m->mask + 1)
		grow_slots(m);
}

static int
cmp_ent(const void *a, const void *b, void *arg)
{
	const struct stackmap_ent *x = a, *y = b;
	const char *arena = arg;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = n ? memcmp(arena + x->off, arena + y->off, n) : 0;

	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

void
stackmap_sort(struct stackmap *m)
{
	size_t i;

	if (m->n > 1)
		qsort_r(m->ent, m->n, sizeof(*m->ent), cmp_ent, m->arena);
	/* The slots name entries by index: renumber them. */
	if (m->slot)
		memset(m->slot, 0, (m->mask + 1) * sizeof(*m->slot));
	for (i = 0; i < m->n; i++) {
		uint64_t tag = stackmap_hash(m->arena + m->ent[i].off,
					     m->ent[i].len) >> 32;
		size_t j = (size_t)tag & m->mask;

		while (m->slot[j])
			j = (j + 1) & m->mask;
		m->slot[j] = tag << 32 | (i + 1);
	}
}

int
stackmap_write(const struct stackmap *m, FILE *fp)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct stackmap_ent *e = &m->ent[i];
		char num[24], *q = num + sizeof(num);
		uint64_t c = e->count;

		*--q = '\n';
		do {
			*--q = '0' + c % 10;
			c /= 10;
		} while (c);
		*--q = ' ';
		if (fwrite(m->arena + e->off, 1, e->len, fp) != e->len ||
		    fwrite(q, 1, num + sizeof(num) - q, fp) !=
		    (size_t)(num + sizeof(num) - q))
			return -1;
	}
	return 0;
}

void
stackmap_release(struct stackmap *m)
{
	free(m->slot);
	free(m->ent);
	free(m->arena);
	memset(m, 0, sizeof(*m));
}

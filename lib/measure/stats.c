#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure/stats.h"
#include "base/xalloc.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
stats_rng_seed(struct stats_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
stats_rng_next(struct stats_rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

uint64_t
stats_rng_below(struct stats_rng *r, uint64_t n)
{
	/* reject the top partial block so every value is equally likely */
	uint64_t lim = UINT64_MAX - UINT64_MAX % n, x;

	do
		x = stats_rng_next(r);
	while (x >= lim);
	return x % n;
}

/* Wirth's selection: put the k-th smallest of x[0..n) at x[k]. */
static void
select_k(double *x, size_t n, size_t k)
{
	long l = 0, m = (long)n - 1, kk = (long)k;

	while (l < m) {
		double piv = x[kk];
		long i = l, j = m;

		do {
			while (x[i] < piv)
				i++;
			while (piv < x[j])
				j--;
			if (i <= j) {
				double t = x[i];

				x[i] = x[j];
				x[j] = t;
				i++;
				j--;
			}
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			m = j;
	}
}

double
stats_median_inplace(double *x, size_t n)
{
	double a, b;
	size_t i;

	if (n == 0)
		return NAN;
	select_k(x, n, n / 2);
	b = x[n / 2];
	if (n % 2)
		return b;
	/* the lower middle is the largest of what lies below */
	a = x[0];
	for (i = 1; i < n / 2; i++)
		if (x[i] > a)
			a = x[i];
	return (a + b) / 2;
}

double
stats_median(const double *x, size_t n)
{
	double *c, m;

	if (n == 0)
		return NAN;
	c = xmalloc(n * sizeof(*c));
	memcpy(c, x, n * sizeof(*c));
	m = stats_median_inplace(c, n);
	free(c);
	return m;
}

double
stats_quantile_sorted(const double *x, size_t n, double q)
{
	double h, f;
	size_t i;

	if (n == 0)
		return NAN;
	if (q <= 0)
		return x[0];
	if (q >= 1)
		return x[n - 1];
	h = (double)(n - 1) * q;
	f = floor(h);
	i = (size_t)f;
	if (i + 1 >= n)
		return x[n - 1];
	return x[i] + (h - f) * (x[i + 1] - x[i]);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void
stats_boot_ratio(const double *base, const double *cand, size_t rounds,
		 size_t per, double conf, size_t nboot, uint64_t seed,
		 double *lo, double *hi)
{
	struct stats_rng rng;
	double *rb, *rc, *ratio;
	size_t m = rounds * per, b, i, k;

	*lo = *hi = NAN;
	if (rounds == 0 || per == 0 || nboot == 0)
		return;
	rb = xmalloc(m * sizeof(*rb));
	rc = xmalloc(m * sizeof(*rc));
	ratio = xmalloc(nboot * sizeof(*ratio));
	stats_rng_seed(&rng, seed);
	for (b = 0; b < nboot; b++) {
		for (i = 0; i < rounds; i++) {
			size_t r = (size_t)stats_rng_below(&rng, rounds);

			for (k = 0; k < per; k++) {
				rb[i * per + k] = base[r * per + k];
				rc[i * per + k] = cand[r * per + k];
			}
		}
		ratio[b] = stats_median_inplace(rb, m) /
			stats_median_inplace(rc, m);
	}
	qsort(ratio, nboot, sizeof(*ratio), cmp_double);
	*lo = stats_quantile_sorted(ratio, nboot, (1 - conf) / 2);
	*hi = stats_quantile_sorted(ratio, nboot, (1 + conf) / 2);
	free(rb);
	free(rc);
	free(ratio);
}

static int
cmp_abs(const void *a, const void *b)
{
	double x = fabs(*(const double *)a), y = fabs(*(const double *)b);

	return (x > y) - (x < y);
}

double
stats_signed_rank(const double *d, size_t n, double *w)
{
	double *a, wplus = 0, ties = 0, p;
	unsigned *r2;		/* twice the (mean) rank: an integer */
	size_t m = 0, i, j;

	a = xmalloc((n ? n : 1) * sizeof(*a));
	r2 = xmalloc((n ? n : 1) * sizeof(*r2));
	for (i = 0; i < n; i++)
		if (d[i] != 0 && !isnan(d[i]))
			a[m++] = d[i];
	qsort(a, m, sizeof(*a), cmp_abs);
	for (i = 0; i < m; i = j) {
		double t;

		for (j = i + 1; j < m && fabs(a[j]) == fabs(a[i]); j++)
			;
		/* ranks i+1 .. j share their mean (i+1+j)/2 */
		for (size_t k = i; k < j; k++) {
			r2[k] = (unsigned)(i + 1 + j);
			if (a[k] > 0)
				wplus += (double)(i + 1 + j) / 2;
		}
		t = (double)(j - i);
		ties += t * t * t - t;
	}
	if (w)
		*w = wplus;
	if (m == 0) {
		p = 1;
	} else if (m <= STATS_EXACT_MAX) {
		/*
		 * Under the null each sign is + or - with probability 1/2,
		 * independently: the distribution of 2*W+ is the convolution
		 * of {0, r2[k]} with equal weights.
		 */
		size_t max = (size_t)m * (m + 1), s, obs = (size_t)(2 * wplus + 0.5);
		double *dist = xcalloc(max + 1, sizeof(*dist));
		size_t top = 0;

		dist[0] = 1;
		for (i = 0; i < m; i++) {
			/* downwards, so dist[s - r] is still the old value */
			for (s = top + r2[i] + 1; s-- > 0;) {
				double keep = s <= top ? dist[s] : 0;
				double add = s >= r2[i] ? dist[s - r2[i]] : 0;

				dist[s] = (keep + add) / 2;
			}
			top += r2[i];
		}
		p = 0;
		for (s = obs; s <= top; s++)
			p += dist[s];
		free(dist);
	} else {
		double mm = (double)m, mean = mm * (mm + 1) / 4;
		double var = mm * (mm + 1) * (2 * mm + 1) / 24 - ties / 48;
		double z = var > 0 ? (wplus - mean - 0.5) / sqrt(var) : 0;

		p = 0.5 * erfc(z / sqrt(2.0));
	}
	free(a);
	free(r2);
	return p > 1 ? 1 : p;
}

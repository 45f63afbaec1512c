#ifndef PESQ_STATS_H
#define PESQ_STATS_H

#include <stddef.h>
#include <stdint.h>

/*
 * The statistics pesq-bench decides with: medians, a seeded random number
 * generator, a bootstrap confidence interval of a ratio of medians that
 * resamples whole rounds, and the Wilcoxon signed-rank test. Everything
 * is deterministic for a given seed, so a verdict can be recomputed from
 * the samples kept in a note. Nothing here allocates except where said,
 * and nothing fails except on allocation (which is fatal).
 */

/* xoshiro256** seeded through splitmix64: the same seed, the same stream. */
struct stats_rng {
	uint64_t s[4];
};

void stats_rng_seed(struct stats_rng *r, uint64_t seed);
uint64_t stats_rng_next(struct stats_rng *r);
/* A uniform integer in [0, n), without modulo bias; n > 0. */
uint64_t stats_rng_below(struct stats_rng *r, uint64_t n);

/*
 * The median of x[0..n): the middle element, or the mean of the two middle
 * ones for even n; NaN for n == 0. stats_median leaves x alone (it works on
 * a copy); stats_median_inplace reorders x.
 */
double stats_median(const double *x, size_t n);
double stats_median_inplace(double *x, size_t n);

/*
 * The q-quantile (0 <= q <= 1) of sorted x[0..n), interpolating linearly
 * between order statistics (type 7 of Hyndman and Fan); NaN for n == 0.
 */
double stats_quantile_sorted(const double *x, size_t n, double q);

/*
 * Bootstrap percentile interval of median(base) / median(cand), where
 * both hold `per` samples for each of `rounds` rounds (round i owns
 * samples [i*per, (i+1)*per)). Each of nboot resamples draws `rounds`
 * round indices with replacement and takes both sides' samples of the
 * drawn rounds, so that what a round shares (the machine's state at that
 * moment) stays paired. *lo and *hi get the (1-conf)/2 and (1+conf)/2
 * quantiles of the resampled ratios. With rounds == 0 both are NaN.
 */
void stats_boot_ratio(const double *base, const double *cand, size_t rounds,
		      size_t per, double conf, size_t nboot, uint64_t seed,
		      double *lo, double *hi);

/*
 * One-sided Wilcoxon signed-rank test of d[0..n) against a median of
 * zero, for the alternative that d tends to be positive. Zeros are
 * dropped; tied absolute values get their mean rank. For at most
 * STATS_EXACT_MAX non-zero differences the p-value is exact (the
 * permutation distribution of the signs, ties included); beyond, the
 * normal approximation with the tie correction to the variance and a
 * continuity correction. Returns 1 when no difference is non-zero.
 * *w, when not NULL, gets W+, the sum of the ranks of positive d.
 */
#define STATS_EXACT_MAX 60
double stats_signed_rank(const double *d, size_t n, double *w);

#endif

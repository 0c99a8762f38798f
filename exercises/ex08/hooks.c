/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hooks.c: what exercise 8's table of calls cannot say by itself: a count
 * and a number of rows that are size_t, an order that is a gsl_permutation,
 * and a gsl_rng, none of which crosses the process boundary as it is. */
#ifdef NNG_PROBE_SIDE

#include <stdlib.h>
#include <gsl/gsl_rng.h>

/* ex8_batch_count with its size_t count carried in an int. */
static int
batch_count(int64_t n, int64_t batch_size, int *count)
{
  size_t c = (size_t) *count;
  int status = ex8_batch_count((size_t) n, (size_t) batch_size, &c);
  *count = (int) c;
  return status;
}

/* ex8_batch with ORDER's entries (whole numbers, a permutation of 0 .. N-1)
 * made into a gsl_permutation, and *rows carried in an int. A request whose
 * order is no permutation is refused: the API cannot receive one. */
static int
batch(const gsl_matrix *X, const gsl_vector *y, const gsl_vector *order, int64_t k,
      gsl_matrix *Xb, gsl_vector *yb, int *rows)
{
  const size_t n = order->size;
  size_t *data = malloc(n * sizeof *data);
  unsigned char *seen = calloc(n, 1);
  int valid = data != NULL && seen != NULL;
  for (size_t i = 0; valid && i < n; i++) {
    const double v = gsl_vector_get(order, i);
    valid = v >= 0 && v < (double) n && v == floor(v) && !seen[(size_t) v];
    if (valid) {
      data[i] = (size_t) v;
      seen[data[i]] = 1;
    }
  }
  free(seen);
  if (!valid) {
    free(data);
    return NNG_PROBE_BAD_REQUEST;
  }
  gsl_permutation p = {n, data};
  size_t r = (size_t) *rows;
  int status = ex8_batch(X, y, &p, (size_t) k, Xb, yb, &r);
  *rows = (int) r;
  free(data);
  return status;
}

/* ex8_train with a Mersenne Twister seeded with SEED as its generator. */
static int
train(gsl_vector *theta, const gsl_matrix *X, const gsl_vector *y, double lr,
      int64_t epochs, int64_t batch_size, int64_t seed)
{
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  if (rng == NULL)
    return NNG_PROBE_BAD_REQUEST;
  gsl_rng_set(rng, (unsigned long) seed);
  int status = ex8_train(theta, X, y, lr, (size_t) epochs, (size_t) batch_size, rng);
  gsl_rng_free(rng);
  return status;
}

#endif /* nngrade's side needs nothing more: it sends the table's types */

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* data.c: synthetic data sets, shuffling and mini-batches (see nn/data.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>

#include <nn/data.h>

nn_data *
nn_data_alloc(size_t n, size_t d)
{
  if (n == 0 || d == 0) {
    char msg[128];
    snprintf(msg, sizeof msg, "nn_data_alloc: a data set needs at least 1 sample"
             " and 1 input, not %zu samples of %zu inputs", n, d);
    GSL_ERROR_NULL(msg, GSL_EBADLEN);
  }
  nn_data *data = calloc(1, sizeof *data);
  if (data == NULL)
    GSL_ERROR_NULL("nn_data_alloc: out of memory", GSL_ENOMEM);
  data->X = gsl_matrix_calloc(n, d);
  data->y = gsl_vector_calloc(n);
  if (data->X == NULL || data->y == NULL) {
    nn_data_free(data);
    GSL_ERROR_NULL("nn_data_alloc: out of memory", GSL_ENOMEM);
  }
  return data;
}

void
nn_data_free(nn_data *data)
{
  if (data == NULL)
    return;
  if (data->X != NULL)
    gsl_matrix_free(data->X);
  if (data->y != NULL)
    gsl_vector_free(data->y);
  free(data);
}

/* ===== Generators =====
 *
 * Each generator checks its arguments, allocates the data set and fills it
 * row by row, class by class. A standard deviation of 0 is allowed (every
 * point on its centre): it makes a tidy picture for a first look.
 */

static int
check_rng(const char *who, const gsl_rng *r)
{
  if (r == NULL) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s: the random number generator must not be NULL", who);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  return GSL_SUCCESS;
}

static int
check_rng_sd(const char *who, const gsl_rng *r, double sd)
{
  char msg[160];
  int status = check_rng(who, r);
  if (status != GSL_SUCCESS)
    return status;
  if (!(sd >= 0.0) || !isfinite(sd)) {
    snprintf(msg, sizeof msg, "%s: the standard deviation must be finite and"
             " non-negative, not %g", who, sd);
    GSL_ERROR(msg, GSL_EDOM);
  }
  return GSL_SUCCESS;
}

static int
check_count(const char *who, const char *what, size_t n)
{
  if (n == 0) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s: %s must be at least 1, not 0", who, what);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  return GSL_SUCCESS;
}

nn_data *
nn_data_separable(gsl_rng *r, size_t n_per_class, double margin)
{
  const char *who = "nn_data_separable";
  if (check_rng(who, r) != GSL_SUCCESS
      || check_count(who, "the samples per class", n_per_class) != GSL_SUCCESS)
    return NULL;
  if (!(margin >= 0.0 && margin <= NN_DATA_SEPARABLE_MARGIN_MAX)) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s: the margin must be between 0 and %g, not %g",
             who, NN_DATA_SEPARABLE_MARGIN_MAX, margin);
    GSL_ERROR_NULL(msg, GSL_EDOM);
  }
  nn_data *data = nn_data_alloc(2 * n_per_class, 2);
  if (data == NULL)
    return NULL;
  /* Rejection sampling: draw uniformly in the square and keep a point when
   * it lies on the wanted side, outside the band. s = x₁ + x₂ - 1 is √2
   * times the signed distance to the line. Even at the widest margin more
   * than a quarter of the draws are kept, so the loop ends quickly. */
  const double band = margin / M_SQRT2;  /* |s| >= band <=> distance >= margin/2 */
  for (size_t i = 0; i < 2 * n_per_class; i++) {
    const int cls = i >= n_per_class;
    double x1, x2, s;
    do {
      x1 = -2.0 + 5.0 * gsl_rng_uniform(r);
      x2 = -2.0 + 5.0 * gsl_rng_uniform(r);
      s = x1 + x2 - 1.0;
    } while ((cls ? s : -s) <= 0.0 || fabs(s) < band);
    gsl_matrix_set(data->X, i, 0, x1);
    gsl_matrix_set(data->X, i, 1, x2);
    gsl_vector_set(data->y, i, cls);
  }
  return data;
}

nn_data *
nn_data_xor(gsl_rng *r, size_t n_per_corner, double sd)
{
  const char *who = "nn_data_xor";
  if (check_rng_sd(who, r, sd) != GSL_SUCCESS
      || check_count(who, "the samples per corner", n_per_corner) != GSL_SUCCESS)
    return NULL;
  nn_data *data = nn_data_alloc(4 * n_per_corner, 2);
  if (data == NULL)
    return NULL;
  /* The truth table of exclusive or: the label is x₁ XOR x₂. */
  static const double corner[4][2] = {{0, 0}, {1, 1}, {0, 1}, {1, 0}};
  for (size_t i = 0; i < 4 * n_per_corner; i++) {
    const size_t c = i / n_per_corner;
    gsl_matrix_set(data->X, i, 0, corner[c][0] + gsl_ran_gaussian(r, sd));
    gsl_matrix_set(data->X, i, 1, corner[c][1] + gsl_ran_gaussian(r, sd));
    gsl_vector_set(data->y, i, c >= 2);
  }
  return data;
}

nn_data *
nn_data_blobs(gsl_rng *r, const gsl_matrix *centres, size_t n_per_class, double sd)
{
  const char *who = "nn_data_blobs";
  char msg[160];
  if (check_rng_sd(who, r, sd) != GSL_SUCCESS
      || check_count(who, "the samples per class", n_per_class) != GSL_SUCCESS)
    return NULL;
  if (centres == NULL)
    GSL_ERROR_NULL("nn_data_blobs: the centres must not be NULL", GSL_EINVAL);
  for (size_t c = 0; c < centres->size1; c++)
    for (size_t j = 0; j < centres->size2; j++)
      if (!isfinite(gsl_matrix_get(centres, c, j))) {
        snprintf(msg, sizeof msg, "%s: coordinate %zu of centre %zu is %g, not a"
                 " finite number", who, j, c, gsl_matrix_get(centres, c, j));
        GSL_ERROR_NULL(msg, GSL_EDOM);
      }
  nn_data *data = nn_data_alloc(centres->size1 * n_per_class, centres->size2);
  if (data == NULL)  /* reported there, with both sizes, when centres is empty */
    return NULL;
  for (size_t i = 0; i < data->X->size1; i++) {
    const size_t c = i / n_per_class;
    for (size_t j = 0; j < centres->size2; j++)
      gsl_matrix_set(data->X, i, j,
                     gsl_matrix_get(centres, c, j) + gsl_ran_gaussian(r, sd));
    gsl_vector_set(data->y, i, (double) c);
  }
  return data;
}

nn_data *
nn_data_qwerties(gsl_rng *r)
{
  double centres[] = {1.0, 1.0,   /* class 0 */
                      5.0, 1.0};  /* class 1 */
  gsl_matrix_const_view c = gsl_matrix_const_view_array(centres, 2, 2);
  return nn_data_blobs(r, &c.matrix, NN_DATA_QWERTIES_N, NN_DATA_QWERTIES_SD);
}

nn_data *
nn_data_regression(gsl_rng *r, size_t n, double slope, double noise_sd)
{
  const char *who = "nn_data_regression";
  if (check_rng_sd(who, r, noise_sd) != GSL_SUCCESS
      || check_count(who, "the number of samples", n) != GSL_SUCCESS)
    return NULL;
  if (!isfinite(slope)) {
    char msg[128];
    snprintf(msg, sizeof msg, "%s: the slope must be a finite number, not %g", who,
             slope);
    GSL_ERROR_NULL(msg, GSL_EDOM);
  }
  nn_data *data = nn_data_alloc(n, 1);
  if (data == NULL)
    return NULL;
  /* All the x first, then all the noise, as the course's code draws them. */
  for (size_t i = 0; i < n; i++)
    gsl_matrix_set(data->X, i, 0, gsl_ran_gaussian(r, 1.0));
  for (size_t i = 0; i < n; i++)
    gsl_vector_set(data->y, i,
                   slope * gsl_matrix_get(data->X, i, 0) + gsl_ran_gaussian(r, noise_sd));
  return data;
}

/* ===== Shuffling and mini-batches =====
 *
 * The data set itself is never reordered: a permutation of its row indices
 * is, and the batches copy rows in that order. Copying B rows per batch is
 * cheap next to the forward and backward passes they feed, and it leaves
 * every batch a contiguous matrix, ready for BLAS.
 */

int
nn_data_shuffle(gsl_rng *r, gsl_permutation *order)
{
  if (r == NULL || order == NULL)
    GSL_ERROR("nn_data_shuffle: the generator and the permutation must not be NULL",
              GSL_EINVAL);
  gsl_permutation_init(order);
  gsl_ran_shuffle(r, order->data, order->size, sizeof order->data[0]);
  return GSL_SUCCESS;
}

size_t
nn_data_batch_count(size_t n, size_t batch_size)
{
  if (batch_size == 0)
    return 0;
  return n / batch_size + (n % batch_size != 0);
}

int
nn_data_batch(const nn_data *data, const gsl_permutation *order, size_t batch,
              gsl_matrix *Xb, gsl_vector *yb, size_t *rows)
{
  const char *who = "nn_data_batch";
  char msg[200];
  if (data == NULL || data->X == NULL || data->y == NULL || order == NULL
      || Xb == NULL || yb == NULL || rows == NULL)
    GSL_ERROR("nn_data_batch: the data, order, Xb, yb and rows must not be NULL",
              GSL_EINVAL);
  const size_t n = data->X->size1, d = data->X->size2, B = Xb->size1;
  if (data->y->size != n) {
    snprintf(msg, sizeof msg, "%s: X has %zu rows but y has %zu entries", who, n,
             data->y->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (order->size != n) {
    snprintf(msg, sizeof msg, "%s: the order has %zu entries but the data %zu rows",
             who, order->size, n);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (Xb->size2 != d) {
    snprintf(msg, sizeof msg, "%s: Xb is %zux%zu but the samples have %zu inputs",
             who, Xb->size1, Xb->size2, d);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (yb->size != B) {
    snprintf(msg, sizeof msg, "%s: Xb has %zu rows but yb has %zu entries", who, B,
             yb->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  const size_t count = nn_data_batch_count(n, B);
  if (batch >= count) {
    snprintf(msg, sizeof msg, "%s: batch %zu is past the last one (%zu batches of"
             " %zu cover %zu rows)", who, batch, count, B, n);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  const size_t first = batch * B;
  const size_t m = n - first < B ? n - first : B;
  for (size_t k = 0; k < m; k++) {
    const size_t i = gsl_permutation_get(order, first + k);
    gsl_vector_const_view src = gsl_matrix_const_row(data->X, i);
    gsl_vector_view dst = gsl_matrix_row(Xb, k);
    gsl_vector_memcpy(&dst.vector, &src.vector);
    gsl_vector_set(yb, k, gsl_vector_get(data->y, i));
  }
  *rows = m;
  return GSL_SUCCESS;
}

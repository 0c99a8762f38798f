/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/data.h: the synthetic sets have the shapes and statistics
 * they promise, and mini-batches cover every row once. */
#include "nntest.h"

#include <gsl/gsl_fit.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_statistics_double.h>
#include <nn/data.h>

static int last_code;

static void
record_error(const char *reason, const char *file, int line, int err)
{
  nn_test_error_handler(reason, file, line, err);
  last_code = err;
}

#define assert_null_error(call, code, text)                                  \
  do {                                                                       \
    nn_test_last_error[0] = '\0';                                            \
    last_code = 0;                                                           \
    assert_null(call);                                                       \
    assert_int_equal(last_code, (code));                                     \
    if (strstr(nn_test_last_error, (text)) == NULL) {                        \
      print_error("error message \"%s\" does not mention \"%s\"\n",         \
                  nn_test_last_error, (text));                               \
      fail();                                                                \
    }                                                                        \
  } while (0)

static gsl_rng *
seeded(unsigned long seed)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  return r;
}

/* Rows first..first+n-1 of column j: mean within 3 standard errors of the
 * centre, and sample standard deviation within 20% of sd. */
static void
assert_blob(const nn_data *d, size_t first, size_t n, size_t j, double centre,
            double sd)
{
  gsl_vector_const_view col = gsl_matrix_const_subcolumn(d->X, j, first, n);
  const double *data = col.vector.data;
  size_t stride = col.vector.stride;
  double mean = gsl_stats_mean(data, stride, n);
  double s = gsl_stats_sd(data, stride, n);
  if (fabs(mean - centre) > 3 * sd / sqrt((double) n)) {
    print_error("blob at row %zu, column %zu: mean %g is more than 3 standard errors"
                " from %g\n", first, j, mean, centre);
    fail();
  }
  assert_true(s > 0.8 * sd && s < 1.2 * sd);
}

static size_t
count_label(const nn_data *d, double label)
{
  size_t n = 0;
  for (size_t i = 0; i < d->y->size; i++)
    n += gsl_vector_get(d->y, i) == label;
  return n;
}

static void
qwerties_have_the_course_defaults(void **state)
{
  (void) state;
  gsl_rng *r = seeded(2385);
  nn_data *d = nn_data_qwerties(r);
  assert_non_null(d);
  assert_int_equal(d->X->size1, 200);
  assert_int_equal(d->X->size2, 2);
  assert_int_equal(d->y->size, 200);
  for (size_t i = 0; i < 200; i++)
    assert_true(gsl_vector_get(d->y, i) == (i < 100 ? 0.0 : 1.0));
  assert_blob(d, 0, 100, 0, 1.0, 1.0);
  assert_blob(d, 0, 100, 1, 1.0, 1.0);
  assert_blob(d, 100, 100, 0, 5.0, 1.0);
  assert_blob(d, 100, 100, 1, 1.0, 1.0);
  nn_data_free(d);
  gsl_rng_free(r);
}

static void
blobs_in_three_dimensions(void **state)
{
  (void) state;
  gsl_rng *r = seeded(7);
  double c[] = {-2.385, 0.0, 4.0,
                1.5, 1.5, 1.5,
                0.0, -3.0, 2.0};
  gsl_matrix_view centres = gsl_matrix_view_array(c, 3, 3);
  nn_data *d = nn_data_blobs(r, &centres.matrix, 400, 0.5);
  assert_non_null(d);
  assert_int_equal(d->X->size1, 1200);
  assert_int_equal(d->X->size2, 3);
  for (size_t k = 0; k < 3; k++) {
    assert_int_equal(count_label(d, (double) k), 400);
    for (size_t j = 0; j < 3; j++)
      assert_blob(d, 400 * k, 400, j, c[3 * k + j], 0.5);
  }
  /* sd 0: every point on its centre. */
  nn_data *e = nn_data_blobs(r, &centres.matrix, 2, 0.0);
  assert_true(gsl_matrix_get(e->X, 5, 1) == -3.0);
  nn_data_free(e);
  nn_data_free(d);
  gsl_rng_free(r);
}

static void
separable_data_is_separated_by_its_line(void **state)
{
  (void) state;
  gsl_rng *r = seeded(11);
  const double margin = 0.5;
  nn_data *d = nn_data_separable(r, 150, margin);
  assert_non_null(d);
  assert_int_equal(d->X->size1, 300);
  assert_int_equal(d->X->size2, 2);
  assert_int_equal(count_label(d, 0.0), 150);
  assert_int_equal(count_label(d, 1.0), 150);
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  for (size_t i = 0; i < 300; i++) {
    double x1 = gsl_matrix_get(d->X, i, 0), x2 = gsl_matrix_get(d->X, i, 1);
    assert_true(x1 >= -2 && x1 <= 3 && x2 >= -2 && x2 <= 3);
    double dist = (x1 + x2 - 1) / M_SQRT2;  /* signed distance to the line */
    if (gsl_vector_get(d->y, i) == 1.0)
      assert_true(dist >= margin / 2);
    else
      assert_true(dist <= -margin / 2);
    lo = fmin(lo, fabs(dist));
    hi = fmax(hi, fabs(dist));
  }
  /* Spread over the square, not bunched at the band. */
  assert_true(lo < margin / 2 + 0.1 && hi > 2.0);
  nn_data_free(d);
  /* The widest margin still ends. */
  d = nn_data_separable(r, 50, NN_DATA_SEPARABLE_MARGIN_MAX);
  assert_non_null(d);
  nn_data_free(d);
  gsl_rng_free(r);
}

static void
xor_has_four_corners(void **state)
{
  (void) state;
  gsl_rng *r = seeded(3);
  nn_data *d = nn_data_xor(r, 250, 0.2);
  assert_non_null(d);
  assert_int_equal(d->X->size1, 1000);
  assert_int_equal(d->X->size2, 2);
  assert_int_equal(count_label(d, 0.0), 500);
  assert_int_equal(count_label(d, 1.0), 500);
  const double corner[4][2] = {{0, 0}, {1, 1}, {0, 1}, {1, 0}};
  for (size_t c = 0; c < 4; c++) {
    assert_blob(d, 250 * c, 250, 0, corner[c][0], 0.2);
    assert_blob(d, 250 * c, 250, 1, corner[c][1], 0.2);
    /* label = x1 XOR x2 of the corner */
    assert_true(gsl_vector_get(d->y, 250 * c) == (double) ((int) corner[c][0] ^ (int) corner[c][1]));
  }
  nn_data_free(d);
  gsl_rng_free(r);
}

static void
regression_has_its_slope_and_noise(void **state)
{
  (void) state;
  gsl_rng *r = seeded(2385);
  /* Many samples to pin the statistics down; then the course's 50. */
  nn_data *d = nn_data_regression(r, 4000, -1.3, 0.5);
  assert_non_null(d);
  assert_int_equal(d->X->size1, 4000);
  assert_int_equal(d->X->size2, 1);
  assert_int_equal(d->y->size, 4000);
  double c0, c1, cov00, cov01, cov11, sumsq;
  gsl_fit_linear(d->X->data, d->X->tda, d->y->data, d->y->stride, 4000, &c0, &c1,
                 &cov00, &cov01, &cov11, &sumsq);
  assert_true(fabs(c1 - -1.3) < 3 * sqrt(cov11));
  assert_true(fabs(c0) < 3 * sqrt(cov00));
  double noise = sqrt(sumsq / (4000 - 2));
  assert_true(noise > 0.45 && noise < 0.55);
  assert_blob(d, 0, 4000, 0, 0.0, 1.0);  /* x ~ N(0, 1) */
  nn_data_free(d);
  d = nn_data_regression(r, NN_DATA_REGRESSION_N, 2.385, NN_DATA_REGRESSION_NOISE);
  assert_int_equal(d->X->size1, 50);
  nn_data_free(d);
  gsl_rng_free(r);
}

static void
the_same_seed_gives_the_same_data(void **state)
{
  (void) state;
  for (int kind = 0; kind < 4; kind++) {
    nn_data *d[3];
    for (int k = 0; k < 3; k++) {
      gsl_rng *r = seeded(k < 2 ? 2385 : 2386);
      d[k] = kind == 0 ? nn_data_qwerties(r)
             : kind == 1 ? nn_data_xor(r, 10, 0.1)
             : kind == 2 ? nn_data_separable(r, 10, 0.3)
             : nn_data_regression(r, 50, 0.7, 0.5);
      gsl_rng_free(r);
    }
    assert_true(gsl_matrix_equal(d[0]->X, d[1]->X));
    assert_true(gsl_vector_equal(d[0]->y, d[1]->y));
    assert_false(gsl_matrix_equal(d[0]->X, d[2]->X));
    for (int k = 0; k < 3; k++)
      nn_data_free(d[k]);
  }
}

static void
batches_cover_every_row_once(void **state)
{
  (void) state;
  gsl_rng *r = seeded(5);
  nn_data *d = nn_data_alloc(23, 2);
  for (size_t i = 0; i < 23; i++) {  /* row i is (i, -i), label i */
    gsl_matrix_set(d->X, i, 0, (double) i);
    gsl_matrix_set(d->X, i, 1, -(double) i);
    gsl_vector_set(d->y, i, (double) i);
  }
  gsl_permutation *order = gsl_permutation_alloc(23);
  assert_int_equal(nn_data_shuffle(r, order), GSL_SUCCESS);
  assert_int_equal(gsl_permutation_valid(order), GSL_SUCCESS);
  size_t fixed = 0;
  for (size_t i = 0; i < 23; i++)
    fixed += gsl_permutation_get(order, i) == i;
  assert_true(fixed < 23);  /* shuffled, not the identity */

  assert_int_equal(nn_data_batch_count(23, 5), 5);
  assert_int_equal(nn_data_batch_count(25, 5), 5);
  assert_int_equal(nn_data_batch_count(23, 0), 0);
  gsl_matrix *Xb = gsl_matrix_alloc(5, 2);
  gsl_vector *yb = gsl_vector_alloc(5);
  int seen[23] = {0};
  for (size_t b = 0; b < 5; b++) {
    size_t rows = 99;
    assert_int_equal(nn_data_batch(d, order, b, Xb, yb, &rows), GSL_SUCCESS);
    assert_int_equal(rows, b < 4 ? 5 : 3);
    for (size_t k = 0; k < rows; k++) {
      size_t i = (size_t) gsl_vector_get(yb, k);
      assert_int_equal(i, gsl_permutation_get(order, 5 * b + k));
      assert_true(gsl_matrix_get(Xb, k, 0) == (double) i);
      assert_true(gsl_matrix_get(Xb, k, 1) == -(double) i);
      seen[i]++;
    }
  }
  for (size_t i = 0; i < 23; i++)
    assert_int_equal(seen[i], 1);

  /* Same seed, same order. */
  gsl_permutation *again = gsl_permutation_alloc(23);
  gsl_rng *r2 = seeded(5);
  nn_data_shuffle(r2, again);
  for (size_t i = 0; i < 23; i++)
    assert_int_equal(gsl_permutation_get(again, i), gsl_permutation_get(order, i));

  /* Shapes that do not fit are named. */
  size_t rows;
  gsl_matrix *X3 = gsl_matrix_alloc(5, 3);
  gsl_vector *y4 = gsl_vector_alloc(4);
  gsl_permutation *p22 = gsl_permutation_alloc(22);
  assert_gsl_error(nn_data_batch(d, order, 5, Xb, yb, &rows), GSL_EBADLEN,
                   "batch 5 is past the last one (5 batches of 5 cover 23 rows)");
  assert_gsl_error(nn_data_batch(d, p22, 0, Xb, yb, &rows), GSL_EBADLEN,
                   "the order has 22 entries but the data 23 rows");
  assert_gsl_error(nn_data_batch(d, order, 0, X3, yb, &rows), GSL_EBADLEN,
                   "Xb is 5x3 but the samples have 2 inputs");
  assert_gsl_error(nn_data_batch(d, order, 0, Xb, y4, &rows), GSL_EBADLEN,
                   "Xb has 5 rows but yb has 4 entries");
  assert_gsl_error(nn_data_batch(d, order, 0, Xb, yb, NULL), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_data_shuffle(NULL, order), GSL_EINVAL, "NULL");
  gsl_matrix_free(X3);
  gsl_vector_free(y4);
  gsl_permutation_free(p22);
  gsl_permutation_free(again);
  gsl_rng_free(r2);
  gsl_matrix_free(Xb);
  gsl_vector_free(yb);
  gsl_permutation_free(order);
  nn_data_free(d);
  gsl_rng_free(r);
}

static void
bad_arguments_are_named(void **state)
{
  (void) state;
  gsl_rng *r = seeded(1);
  double c[] = {1.0, NAN};
  gsl_matrix_view centres = gsl_matrix_view_array(c, 1, 2);
  assert_null_error(nn_data_alloc(0, 2), GSL_EBADLEN, "not 0 samples of 2 inputs");
  assert_null_error(nn_data_alloc(5, 0), GSL_EBADLEN, "not 5 samples of 0 inputs");
  assert_null_error(nn_data_separable(r, 0, 0.5), GSL_EBADLEN,
                    "the samples per class must be at least 1");
  assert_null_error(nn_data_separable(r, 10, 2.385), GSL_EDOM,
                    "margin must be between 0 and 2, not 2.385");
  assert_null_error(nn_data_separable(r, 10, -0.5), GSL_EDOM, "-0.5");
  assert_null_error(nn_data_separable(r, 10, NAN), GSL_EDOM, "nan");
  assert_null_error(nn_data_xor(r, 10, -0.1), GSL_EDOM,
                    "standard deviation must be finite and non-negative, not -0.1");
  assert_null_error(nn_data_xor(r, 0, 0.1), GSL_EBADLEN, "samples per corner");
  assert_null_error(nn_data_xor(NULL, 10, 0.1), GSL_EINVAL, "NULL");
  assert_null_error(nn_data_blobs(r, &centres.matrix, 10, 1.0), GSL_EDOM,
                    "coordinate 1 of centre 0 is nan");
  assert_null_error(nn_data_blobs(r, NULL, 10, 1.0), GSL_EINVAL, "NULL");
  assert_null_error(nn_data_blobs(r, &centres.matrix, 10, INFINITY), GSL_EDOM, "inf");
  assert_null_error(nn_data_regression(r, 0, 1.0, 0.5), GSL_EBADLEN,
                    "number of samples must be at least 1");
  assert_null_error(nn_data_regression(r, 50, NAN, 0.5), GSL_EDOM, "slope");
  assert_null_error(nn_data_regression(r, 50, 1.0, -2.385), GSL_EDOM, "-2.385");
  assert_null_error(nn_data_qwerties(NULL), GSL_EINVAL, "NULL");
  nn_data_free(NULL);
  gsl_rng_free(r);
}

int
main(void)
{
  nn_test_init();
  gsl_set_error_handler(record_error);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(qwerties_have_the_course_defaults),
    cmocka_unit_test(blobs_in_three_dimensions),
    cmocka_unit_test(separable_data_is_separated_by_its_line),
    cmocka_unit_test(xor_has_four_corners),
    cmocka_unit_test(regression_has_its_slope_and_noise),
    cmocka_unit_test(the_same_seed_gives_the_same_data),
    cmocka_unit_test(batches_cover_every_row_once),
    cmocka_unit_test(bad_arguments_are_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

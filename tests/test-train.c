/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/train.h: argmax and predictions over a data set larger than a
 * batch, accuracy, the confusion matrix, the L2 penalty and its gradient,
 * and early stopping on a known sequence of dev losses. */
#include "nntest.h"

#include <gsl/gsl_rng.h>
#include <nn/gradcheck.h>
#include <nn/train.h>

static void
argmax_takes_the_first_largest_and_thresholds_one_output(void **state)
{
  (void) state;
  const double y[] = {0.1, 0.7, 0.2,   3, 3, -1,   -5, -6, -4.5};
  gsl_matrix_const_view Y = gsl_matrix_const_view_array(y, 3, 3);
  gsl_vector *c = gsl_vector_alloc(3);
  assert_int_equal(nn_train_argmax(&Y.matrix, c), GSL_SUCCESS);
  assert_close(gsl_vector_get(c, 0), 1, 0);
  assert_close(gsl_vector_get(c, 1), 0, 0);  /* a tie goes to the first */
  assert_close(gsl_vector_get(c, 2), 2, 0);
  const double p[] = {0.49, 0.51, 0.5};
  gsl_matrix_const_view P = gsl_matrix_const_view_array(p, 3, 1);
  assert_int_equal(nn_train_argmax(&P.matrix, c), GSL_SUCCESS);
  assert_close(gsl_vector_get(c, 0), 0, 0);
  assert_close(gsl_vector_get(c, 1), 1, 0);
  assert_close(gsl_vector_get(c, 2), 0, 0);
  gsl_vector *two = gsl_vector_alloc(2);
  assert_gsl_error(nn_train_argmax(&Y.matrix, two), GSL_EBADLEN, "3 rows");
  gsl_vector_free(two);
  gsl_vector_free(c);
}

/* Predictions over 11 rows with batches of 4 equal those of each row alone. */
static void
predictions_cover_a_data_set_larger_than_a_batch(void **state)
{
  (void) state;
  const size_t sizes[] = {2, 6, 3};
  const nn_activation_kind acts[] = {NN_ACTIVATION_TANH, NN_ACTIVATION_IDENTITY};
  nn_network *net = nn_network_alloc(sizes, 3, acts, 4);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  nn_network_init(net, r);
  gsl_matrix *X = gsl_matrix_alloc(11, 2);
  for (size_t i = 0; i < 11; i++) {
    gsl_matrix_set(X, i, 0, gsl_rng_uniform(r) * 4 - 2);
    gsl_matrix_set(X, i, 1, gsl_rng_uniform(r) * 4 - 2);
  }
  gsl_vector *cls = gsl_vector_alloc(11), *one = gsl_vector_alloc(1);
  assert_int_equal(nn_train_predict(net, X, cls), GSL_SUCCESS);
  size_t distinct = 0;
  for (size_t i = 0; i < 11; i++) {
    gsl_matrix_const_view row = gsl_matrix_const_submatrix(X, i, 0, 1, 2);
    nn_network_forward(net, NULL, &row.matrix);
    nn_train_argmax(nn_network_output(net), one);
    assert_close(gsl_vector_get(cls, i), gsl_vector_get(one, 0), 0);
    distinct |= 1u << (unsigned) gsl_vector_get(cls, i);
  }
  assert_true(distinct != 1 && distinct != 2 && distinct != 4);  /* not all one class */
  /* Accuracy against these labels is 1; change 3 of them and it is 8/11. */
  double acc = 0;
  assert_int_equal(nn_train_accuracy(net, X, cls, &acc), GSL_SUCCESS);
  assert_close(acc, 1, 0);
  for (size_t i = 0; i < 3; i++)
    gsl_vector_set(cls, i, fmod(gsl_vector_get(cls, i) + 1, 3));
  assert_int_equal(nn_train_accuracy(net, X, cls, &acc), GSL_SUCCESS);
  assert_close(acc, 8.0 / 11, 1e-15);
  gsl_matrix *wide = gsl_matrix_calloc(11, 3);
  assert_gsl_error(nn_train_predict(net, wide, cls), GSL_EBADLEN, "11x3");
  gsl_matrix_free(wide);
  gsl_vector_free(cls);
  gsl_vector_free(one);
  gsl_matrix_free(X);
  gsl_rng_free(r);
  nn_network_free(net);
}

static void
confusion_matrix_counts_true_against_predicted(void **state)
{
  (void) state;
  const double t[] = {0, 0, 1, 2, 2, 2, 1};
  const double p[] = {0, 1, 1, 2, 0, 2, 1};
  gsl_vector_const_view truth = gsl_vector_const_view_array(t, 7);
  gsl_vector_const_view pred = gsl_vector_const_view_array(p, 7);
  gsl_matrix *C = gsl_matrix_alloc(3, 3);
  assert_int_equal(nn_train_confusion(&truth.vector, &pred.vector, C), GSL_SUCCESS);
  const double want[3][3] = {{1, 1, 0}, {0, 2, 0}, {1, 0, 2}};
  for (size_t i = 0; i < 3; i++)
    for (size_t j = 0; j < 3; j++)
      assert_close(gsl_matrix_get(C, i, j), want[i][j], 0);
  /* A label outside 0..2 or not whole is refused, and C is left alone. */
  const double bad[] = {0, 0, 1, 3, 2, 2, 1};
  gsl_vector_const_view badv = gsl_vector_const_view_array(bad, 7);
  assert_gsl_error(nn_train_confusion(&badv.vector, &pred.vector, C), GSL_EDOM,
                   "truth[3] = 3");
  const double half[] = {0, 0, 1, 2, 2, 1.5, 1};
  gsl_vector_const_view halfv = gsl_vector_const_view_array(half, 7);
  assert_gsl_error(nn_train_confusion(&truth.vector, &halfv.vector, C), GSL_EDOM,
                   "predicted[5] = 1.5");
  assert_close(gsl_matrix_get(C, 2, 2), 2, 0);
  gsl_matrix_free(C);
}

static double
penalty_of(const gsl_vector *theta, void *params)
{
  double pen = 0;
  nn_train_l2_penalty(theta, *(double *) params, NULL, &pen);
  return pen;
}

static void
l2_penalty_and_its_gradient(void **state)
{
  (void) state;
  const double th[] = {0.5, -2.385, 1.25, 0};
  gsl_vector_const_view theta = gsl_vector_const_view_array(th, 4);
  double lambda = 0.3, pen = 0;
  gsl_vector *g = gsl_vector_alloc(4);
  gsl_vector_set_all(g, 1.0);  /* the penalty's gradient adds to what is there */
  assert_int_equal(nn_train_l2_penalty(&theta.vector, lambda, g, &pen), GSL_SUCCESS);
  assert_close(pen, 0.15 * (0.25 + 2.385 * 2.385 + 1.5625), 1e-15);
  for (size_t i = 0; i < 4; i++)
    assert_close(gsl_vector_get(g, i), 1.0 + lambda * th[i], 1e-15);
  /* and the gradient is the penalty's, by central differences */
  gsl_vector *t = gsl_vector_alloc(4), *only = gsl_vector_calloc(4);
  for (size_t i = 0; i < 4; i++)
    gsl_vector_set(t, i, th[i]);
  nn_train_l2_penalty(t, lambda, only, NULL);
  double error = 1;
  assert_int_equal(nn_gradcheck_compare(&error, penalty_of, &lambda, t, only,
                                        NN_GRADCHECK_STEP), GSL_SUCCESS);
  assert_true(error < 1e-9);
  assert_gsl_error(nn_train_l2_penalty(t, -1, NULL, &pen), GSL_EDOM, "lambda = -1");
  gsl_vector *three = gsl_vector_alloc(3);
  assert_gsl_error(nn_train_l2_penalty(t, 1, three, NULL), GSL_EBADLEN, "grads 3");
  gsl_vector_free(three);
  gsl_vector_free(t);
  gsl_vector_free(only);
  gsl_vector_free(g);
}

/* Feed LOSSES until es says stop; return the epoch it stopped at. */
static long
run(nn_early_stop *es, const double *losses, size_t n, long *last_best_flag_epoch)
{
  for (size_t e = 0; e < n; e++) {
    int best = 0;
    assert_int_equal(nn_early_stop_update(es, (long) e, losses[e], &best), GSL_SUCCESS);
    if (best)
      *last_best_flag_epoch = (long) e;
    if (es->stop)
      return (long) e;
  }
  return -1;
}

static void
early_stopping_picks_the_best_epoch_and_waits_patience(void **state)
{
  (void) state;
  const double dev[] = {1.0, 0.8, 0.85, 0.79, 0.9, 0.95, 0.99, 0.5};
  nn_early_stop es;
  long flagged = -1;
  assert_int_equal(nn_early_stop_init(&es, 3, 0), GSL_SUCCESS);
  assert_int_equal(run(&es, dev, 8, &flagged), 6);
  assert_int_equal(es.best_epoch, 3);
  assert_int_equal(flagged, 3);
  assert_close(es.best, 0.79, 0);
  /* With min_delta 0.02, 0.79 is no real improvement on 0.8. */
  assert_int_equal(nn_early_stop_init(&es, 3, 0.02), GSL_SUCCESS);
  assert_int_equal(run(&es, dev, 8, &flagged), 4);
  assert_int_equal(es.best_epoch, 1);
  /* A loss that is not a number stops at once. */
  assert_int_equal(nn_early_stop_init(&es, 3, 0), GSL_SUCCESS);
  assert_gsl_error(nn_early_stop_update(&es, 0, NAN, NULL), GSL_EDOM, "epoch 0");
  assert_true(es.stop);
  assert_gsl_error(nn_early_stop_init(&es, 0, 0), GSL_EDOM, "patience = 0");
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(argmax_takes_the_first_largest_and_thresholds_one_output),
    cmocka_unit_test(predictions_cover_a_data_set_larger_than_a_batch),
    cmocka_unit_test(confusion_matrix_counts_true_against_predicted),
    cmocka_unit_test(l2_penalty_and_its_gradient),
    cmocka_unit_test(early_stopping_picks_the_best_epoch_and_waits_patience),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

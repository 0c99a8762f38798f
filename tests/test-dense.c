/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/dense.h: the forward pass against a hand-written triple loop,
 * the parameter views, the backward pass by gradient check and against its
 * formulas, accumulation, and every error path. */
#include "nntest.h"

#include <gsl/gsl_rng.h>
#include <nn/dense.h>
#include <nn/gradcheck.h>

#define N_IN 3
#define N_OUT 5
#define MAX_B 6
#define B 4

/* A layer 3 -> 5 for batches of up to 6, with random parameters, and a
 * random batch of 4 samples. */
struct fixture {
  gsl_vector *params, *grads;
  nn_dense *layer;
  gsl_matrix *X, *Y, *G;  // G: a fixed dY, the gradient of J = Σ G ⊙ Y
};

static void
fill_uniform(gsl_rng *rng, double *a, size_t n)
{
  for (size_t i = 0; i < n; i++)
    a[i] = 4.0 * gsl_rng_uniform(rng) - 2.0;
}

static int
setup(void **state)
{
  struct fixture *f = calloc(1, sizeof *f);
  if (f == NULL)
    return -1;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 2385);
  f->params = gsl_vector_alloc(nn_dense_n_params(N_IN, N_OUT));
  f->grads = gsl_vector_calloc(nn_dense_n_params(N_IN, N_OUT));
  f->layer = nn_dense_alloc(N_IN, N_OUT, MAX_B, f->params, f->grads);
  f->X = gsl_matrix_alloc(B, N_IN);
  f->Y = gsl_matrix_alloc(B, N_OUT);
  f->G = gsl_matrix_alloc(B, N_OUT);
  fill_uniform(rng, f->params->data, f->params->size);
  fill_uniform(rng, f->X->data, B * N_IN);
  fill_uniform(rng, f->G->data, B * N_OUT);
  gsl_rng_free(rng);
  *state = f;
  return f->layer == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
  struct fixture *f = *state;
  nn_dense_free(f->layer);
  gsl_vector_free(f->params);
  gsl_vector_free(f->grads);
  gsl_matrix_free(f->X);
  gsl_matrix_free(f->Y);
  gsl_matrix_free(f->G);
  free(f);
  return 0;
}

/* W is the first N_out·N_in entries of params, row by row; b the rest. */
static double
W_of(const gsl_vector *params, size_t j, size_t i)
{
  return gsl_vector_get(params, j * N_IN + i);
}

static double
b_of(const gsl_vector *params, size_t j)
{
  return gsl_vector_get(params, N_OUT * N_IN + j);
}

static void
forward_matches_a_triple_loop(void **state)
{
  struct fixture *f = *state;
  assert_int_equal(nn_dense_forward(f->layer, f->Y, f->X), GSL_SUCCESS);
  for (size_t b = 0; b < B; b++)
    for (size_t j = 0; j < N_OUT; j++) {
      double y = b_of(f->params, j);
      for (size_t i = 0; i < N_IN; i++)
        y += W_of(f->params, j, i) * gsl_matrix_get(f->X, b, i);
      assert_close(gsl_matrix_get(f->Y, b, j), y, 1e-14);
    }
  // a smaller batch: the first two samples give the first two rows
  gsl_matrix_view X2 = gsl_matrix_submatrix(f->X, 0, 0, 2, N_IN);
  double y2[2 * N_OUT];
  gsl_matrix_view Y2 = gsl_matrix_view_array(y2, 2, N_OUT);
  assert_int_equal(nn_dense_forward(f->layer, &Y2.matrix, &X2.matrix), GSL_SUCCESS);
  for (size_t b = 0; b < 2; b++)
    for (size_t j = 0; j < N_OUT; j++)
      assert_close(y2[b * N_OUT + j], gsl_matrix_get(f->Y, b, j), 1e-15);
  assert_int_equal(f->layer->batch, 2);
}

static void
parameters_are_views_into_storage_the_caller_owns(void **state)
{
  struct fixture *f = *state;
  gsl_matrix *W = &f->layer->W.matrix;
  assert_int_equal(W->size1, N_OUT);
  assert_int_equal(W->size2, N_IN);
  assert_int_equal(f->layer->b.vector.size, N_OUT);
  for (size_t j = 0; j < N_OUT; j++) {
    for (size_t i = 0; i < N_IN; i++)
      assert_ptr_equal(gsl_matrix_ptr(W, j, i), gsl_vector_ptr(f->params, j * N_IN + i));
    assert_ptr_equal(gsl_vector_ptr(&f->layer->b.vector, j),
                     gsl_vector_ptr(f->params, N_OUT * N_IN + j));
    assert_ptr_equal(gsl_vector_ptr(&f->layer->db.vector, j),
                     gsl_vector_ptr(f->grads, N_OUT * N_IN + j));
  }
  assert_ptr_equal(gsl_matrix_ptr(&f->layer->dW.matrix, 4, 2), gsl_vector_ptr(f->grads, 14));
  // writing params changes what the layer computes
  gsl_vector_set(f->params, 1 * N_IN + 2, 2.385);  // W[1][2]
  assert_close(gsl_matrix_get(W, 1, 2), 2.385, 0.0);
  assert_int_equal(nn_dense_forward(f->layer, f->Y, f->X), GSL_SUCCESS);
  const double before = gsl_matrix_get(f->Y, 0, 1);
  gsl_vector_set(f->params, 1 * N_IN + 2, 2.385 + 1.0);
  assert_int_equal(nn_dense_forward(f->layer, f->Y, f->X), GSL_SUCCESS);
  assert_close(gsl_matrix_get(f->Y, 0, 1) - before, gsl_matrix_get(f->X, 0, 2), 1e-13);
}

/* J(θ) = Σ G ⊙ Y, Y = forward of the layer: dY = G. The function is used
 * with θ = the params (for dW, db) and with θ = the entries of X (for dX). */
struct problem {
  struct fixture *f;
  gsl_matrix *X;  // the input the forward pass reads (a view of θ for dX)
};

static double
weighted_output(const gsl_vector *theta, void *params)
{
  (void) theta;  // θ is params or X itself: the layer reads it through its views
  struct problem *p = params;
  double ya[B * N_OUT];
  gsl_matrix_view Y = gsl_matrix_view_array(ya, B, N_OUT);
  nn_dense_forward(p->f->layer, &Y.matrix, p->X);
  double J = 0.0;
  for (size_t k = 0; k < B * N_OUT; k++)
    J += p->f->G->data[k] * ya[k];
  return J;
}

static void
backward_passes_a_gradient_check(void **state)
{
  struct fixture *f = *state;
  double dxa[B * N_IN];
  gsl_matrix_view dX = gsl_matrix_view_array(dxa, B, N_IN);
  assert_int_equal(nn_dense_forward(f->layer, f->Y, f->X), GSL_SUCCESS);
  assert_int_equal(nn_dense_backward(f->layer, &dX.matrix, f->G), GSL_SUCCESS);

  struct problem p = {f, f->X};
  double err = NAN;
  assert_int_equal(nn_gradcheck_compare(&err, weighted_output, &p, f->params, f->grads,
                                        NN_GRADCHECK_STEP), GSL_SUCCESS);
  assert_true(err < 1e-7);

  gsl_vector_view x = gsl_vector_view_array(f->X->data, B * N_IN);
  gsl_vector_view dx = gsl_vector_view_array(dxa, B * N_IN);
  err = NAN;
  assert_int_equal(nn_gradcheck_compare(&err, weighted_output, &p, &x.vector, &dx.vector,
                                        NN_GRADCHECK_STEP), GSL_SUCCESS);
  assert_true(err < 1e-7);
}

static void
backward_follows_its_formulas_and_accumulates(void **state)
{
  struct fixture *f = *state;
  double dxa[B * N_IN];
  gsl_matrix_view dX = gsl_matrix_view_array(dxa, B, N_IN);
  assert_int_equal(nn_dense_forward(f->layer, f->Y, f->X), GSL_SUCCESS);
  for (int pass = 1; pass <= 2; pass++) {
    assert_int_equal(nn_dense_backward(f->layer, &dX.matrix, f->G), GSL_SUCCESS);
    for (size_t j = 0; j < N_OUT; j++) {
      double db = 0.0;
      for (size_t b = 0; b < B; b++)
        db += gsl_matrix_get(f->G, b, j);
      assert_close(b_of(f->grads, j), pass * db, 1e-14);  // += : two passes, twice
      for (size_t i = 0; i < N_IN; i++) {
        double dW = 0.0;
        for (size_t b = 0; b < B; b++)
          dW += gsl_matrix_get(f->G, b, j) * gsl_matrix_get(f->X, b, i);
        assert_close(W_of(f->grads, j, i), pass * dW, 1e-14);
      }
    }
    for (size_t b = 0; b < B; b++)
      for (size_t i = 0; i < N_IN; i++) {
        double dx = 0.0;
        for (size_t j = 0; j < N_OUT; j++)
          dx += gsl_matrix_get(f->G, b, j) * W_of(f->params, j, i);
        assert_close(dxa[b * N_IN + i], dx, 1e-14);  // = : the same after two passes
      }
  }
  // dX may be left out; the parameter gradients still accumulate
  assert_int_equal(nn_dense_backward(f->layer, NULL, f->G), GSL_SUCCESS);
  double db0 = 0.0;
  for (size_t b = 0; b < B; b++)
    db0 += gsl_matrix_get(f->G, b, 0);
  assert_close(b_of(f->grads, 0), 3 * db0, 1e-14);
}

static void
backward_uses_the_input_the_forward_pass_saw(void **state)
{
  struct fixture *f = *state;
  assert_int_equal(nn_dense_forward(f->layer, f->Y, f->X), GSL_SUCCESS);
  const double x00 = gsl_matrix_get(f->X, 0, 0);
  gsl_matrix_set_all(f->X, 99.5);  // the caller reuses its buffer: the layer kept a copy
  assert_int_equal(nn_dense_backward(f->layer, NULL, f->G), GSL_SUCCESS);
  double dW00 = 0.0;
  for (size_t b = 0; b < B; b++)
    dW00 += gsl_matrix_get(f->G, b, 0) * gsl_matrix_get(f->layer->X_cache, b, 0);
  assert_close(W_of(f->grads, 0, 0), dW00, 1e-14);
  assert_close(gsl_matrix_get(f->layer->X_cache, 0, 0), x00, 0.0);
}

/* A borrowing layer gives the copying layer's results, bit for bit, while
 * X is left alone; it owns no cache; and it reads X as it is at the backward
 * pass (its documented contract: leave X alone until then). */
static void
borrowing_layer_computes_the_same_without_a_copy(void **state)
{
  struct fixture *f = *state;
  gsl_vector *grads2 = gsl_vector_calloc(f->grads->size);
  nn_dense *borrow = nn_dense_alloc_borrowing(N_IN, N_OUT, MAX_B, f->params, grads2);
  assert_non_null(borrow);
  assert_null(borrow->X_cache);
  gsl_matrix *Y2 = gsl_matrix_alloc(B, N_OUT), *dX = gsl_matrix_alloc(B, N_IN);
  gsl_matrix *dX2 = gsl_matrix_alloc(B, N_IN);
  assert_int_equal(nn_dense_forward(f->layer, f->Y, f->X), GSL_SUCCESS);
  assert_int_equal(nn_dense_forward(borrow, Y2, f->X), GSL_SUCCESS);
  assert_true(gsl_matrix_equal(f->Y, Y2));
  assert_int_equal(nn_dense_backward(f->layer, dX, f->G), GSL_SUCCESS);
  assert_int_equal(nn_dense_backward(borrow, dX2, f->G), GSL_SUCCESS);
  assert_true(gsl_matrix_equal(dX, dX2));
  assert_true(gsl_vector_equal(f->grads, grads2));
  /* X changed before the backward pass: the borrowing layer sees the change. */
  gsl_matrix_scale(f->X, 2.0);
  gsl_vector_set_zero(grads2);
  assert_int_equal(nn_dense_backward(borrow, NULL, f->G), GSL_SUCCESS);
  assert_close(W_of(grads2, 0, 0), 2 * W_of(f->grads, 0, 0), 1e-14);
  gsl_matrix_free(Y2);
  gsl_matrix_free(dX);
  gsl_matrix_free(dX2);
  gsl_vector_free(grads2);
  nn_dense_free(borrow);
}

static void
bad_shapes_and_sizes_are_named(void **state)
{
  struct fixture *f = *state;
  gsl_vector *small = gsl_vector_alloc(10), *big = gsl_vector_alloc(2 * 20);
  gsl_vector_view strided = gsl_vector_subvector_with_stride(big, 0, 2, 20);
  assert_null(nn_dense_alloc(N_IN, N_OUT, MAX_B, small, f->grads));
  assert_non_null(strstr(nn_test_last_error, "params has 10 entries but a 3 -> 5 layer"
                                             " needs 20"));
  assert_null(nn_dense_alloc(N_IN, N_OUT, MAX_B, f->params, small));
  assert_non_null(strstr(nn_test_last_error, "grads has 10 entries"));
  assert_null(nn_dense_alloc(N_IN, N_OUT, MAX_B, &strided.vector, f->grads));
  assert_non_null(strstr(nn_test_last_error, "unit stride"));
  assert_null(nn_dense_alloc(0, N_OUT, MAX_B, f->params, f->grads));
  assert_non_null(strstr(nn_test_last_error, "n_in 0"));
  assert_null(nn_dense_alloc(N_IN, N_OUT, 0, f->params, f->grads));
  assert_non_null(strstr(nn_test_last_error, "max_batch 0"));
  assert_null(nn_dense_alloc(N_IN, N_OUT, MAX_B, NULL, f->grads));
  assert_non_null(strstr(nn_test_last_error, "NULL"));
  gsl_vector_free(small);
  gsl_vector_free(big);
  nn_dense_free(NULL);

  double a[8 * 6] = {0};
  gsl_matrix_view X43 = gsl_matrix_view_array(a, 4, 3), X45 = gsl_matrix_view_array(a, 4, 5);
  gsl_matrix_view X73 = gsl_matrix_view_array(a, 7, 3), Y35 = gsl_matrix_view_array(a, 3, 5);
  gsl_matrix_view Y44 = gsl_matrix_view_array(a, 4, 4);
  // backward before any forward
  assert_gsl_error(nn_dense_backward(f->layer, NULL, f->G), GSL_EINVAL,
                   "before any forward");
  assert_gsl_error(nn_dense_forward(f->layer, f->Y, &X45.matrix), GSL_EBADLEN,
                   "X is 4x5 but the layer takes 3 inputs");
  assert_gsl_error(nn_dense_forward(f->layer, f->Y, &X73.matrix), GSL_EBADLEN,
                   "X is 7x3 but the layer takes batches of 1 to 6 rows");
  assert_gsl_error(nn_dense_forward(f->layer, &Y35.matrix, &X43.matrix), GSL_EBADLEN,
                   "X is 4x3 so Y must be 4x5, not 3x5");
  assert_gsl_error(nn_dense_forward(f->layer, &Y44.matrix, f->X), GSL_EBADLEN,
                   "Y must be 4x5, not 4x4");
  assert_gsl_error(nn_dense_forward(NULL, f->Y, f->X), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_dense_forward(f->layer, f->Y, NULL), GSL_EINVAL, "NULL");
  assert_int_equal(nn_dense_forward(f->layer, f->Y, f->X), GSL_SUCCESS);
  assert_gsl_error(nn_dense_backward(f->layer, NULL, &Y35.matrix), GSL_EBADLEN,
                   "dY is 3x5 but the last forward gave Y of 4x5");
  assert_gsl_error(nn_dense_backward(f->layer, &X45.matrix, f->G), GSL_EBADLEN,
                   "dX is 4x5 but the last forward took X of 4x3");
  assert_gsl_error(nn_dense_backward(f->layer, NULL, NULL), GSL_EINVAL, "NULL");
  // no failed call touched the gradients
  for (size_t k = 0; k < f->grads->size; k++)
    assert_close(gsl_vector_get(f->grads, k), 0.0, 0.0);
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(forward_matches_a_triple_loop, setup, teardown),
    cmocka_unit_test_setup_teardown(parameters_are_views_into_storage_the_caller_owns,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(backward_passes_a_gradient_check, setup, teardown),
    cmocka_unit_test_setup_teardown(backward_follows_its_formulas_and_accumulates, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(backward_uses_the_input_the_forward_pass_saw, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(borrowing_layer_computes_the_same_without_a_copy, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(bad_shapes_and_sizes_are_named, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

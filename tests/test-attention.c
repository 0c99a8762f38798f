/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/attention.h: scaled dot-product attention, with and without the
 * causal mask, against PyTorch's autograd on the same numbers (computed once
 * by tests/reference/attention-torch.py), its backward against central
 * differences, the syllabus's checks (each row of weights sums to 1, a causal
 * row puts zero weight on the future), positional encodings, and the errors. */
#include "nntest.h"

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <nn/attention.h>
#include <nn/gradcheck.h>

#include "reference/attention-torch.h"

/* One attention problem: inputs, outputs and gradients, all allocated. */
struct problem {
  const torch_attention_case *ref;
  int causal;
  gsl_matrix *Q, *K, *V, *R;   // R = dO, the weights of J = Σ R ⊙ O
  gsl_matrix *O, *P, *work;
  gsl_matrix *dQ, *dK, *dV;
};

static gsl_matrix *
matrix_of(const double *a, size_t rows, size_t cols)
{
  gsl_matrix *M = gsl_matrix_alloc(rows, cols);
  memcpy(M->data, a, rows * cols * sizeof(double));
  return M;
}

static struct problem *
problem_alloc(const torch_attention_case *c)
{
  struct problem *p = calloc(1, sizeof *p);
  p->ref = c;
  p->causal = c->causal;
  p->Q = matrix_of(c->Q, c->n_q, c->d_k);
  p->K = matrix_of(c->K, c->n_k, c->d_k);
  p->V = matrix_of(c->V, c->n_k, c->d_v);
  p->R = matrix_of(c->R, c->n_q, c->d_v);
  p->O = gsl_matrix_alloc(c->n_q, c->d_v);
  p->P = gsl_matrix_alloc(c->n_q, c->n_k);
  p->work = gsl_matrix_alloc(c->n_q, c->n_k);
  p->dQ = gsl_matrix_alloc(c->n_q, c->d_k);
  p->dK = gsl_matrix_alloc(c->n_k, c->d_k);
  p->dV = gsl_matrix_alloc(c->n_k, c->d_v);
  return p;
}

static void
problem_free(struct problem *p)
{
  gsl_matrix *all[] = {p->Q, p->K, p->V, p->R, p->O, p->P, p->work, p->dQ, p->dK, p->dV};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    gsl_matrix_free(all[i]);
  free(p);
}

static void
assert_matrix_like_torch(const char *what, const char *name, const gsl_matrix *M,
                         const double *want)
{
  double worst = 0.0;
  for (size_t i = 0; i < M->size1 * M->size2; i++) {
    const double d = fabs(M->data[i] - want[i]) / fmax(1.0, fabs(want[i]));
    if (!(d <= worst))
      worst = d;
  }
  if (!(worst <= 1e-12))
    fail_msg("%s: %s differs from torch's by %g (relative)", what, name, worst);
}

static void
forward_and_backward_match_torch(void **state)
{
  (void) state;
  for (size_t c = 0; c < sizeof torch_attention_cases / sizeof torch_attention_cases[0];
       c++) {
    struct problem *p = problem_alloc(&torch_attention_cases[c]);
    const char *name = p->ref->name;
    assert_int_equal(nn_attention_forward(p->O, p->P, p->Q, p->K, p->V, p->causal),
                     GSL_SUCCESS);
    assert_matrix_like_torch(name, "O", p->O, p->ref->O);
    assert_matrix_like_torch(name, "P", p->P, p->ref->P);
    assert_int_equal(nn_attention_backward(p->dQ, p->dK, p->dV, p->work, p->R, p->Q,
                                           p->K, p->V, p->P), GSL_SUCCESS);
    assert_matrix_like_torch(name, "dQ", p->dQ, p->ref->dQ);
    assert_matrix_like_torch(name, "dK", p->dK, p->ref->dK);
    assert_matrix_like_torch(name, "dV", p->dV, p->ref->dV);
    problem_free(p);
  }
}

/* J = Σ R ⊙ O, a function of the entries of Q, K or V (θ is one of them). */
static double
cost(const gsl_vector *theta, void *params)
{
  (void) theta;
  struct problem *p = params;
  if (nn_attention_forward(p->O, p->P, p->Q, p->K, p->V, p->causal) != GSL_SUCCESS)
    return NAN;
  double J = 0.0;
  for (size_t i = 0; i < p->O->size1 * p->O->size2; i++)
    J += p->R->data[i] * p->O->data[i];
  return J;
}

static void
backward_passes_a_gradient_check(void **state)
{
  (void) state;
  for (size_t c = 0; c < sizeof torch_attention_cases / sizeof torch_attention_cases[0];
       c++) {
    struct problem *p = problem_alloc(&torch_attention_cases[c]);
    assert_int_equal(nn_attention_forward(p->O, p->P, p->Q, p->K, p->V, p->causal),
                     GSL_SUCCESS);
    assert_int_equal(nn_attention_backward(p->dQ, p->dK, p->dV, p->work, p->R, p->Q,
                                           p->K, p->V, p->P), GSL_SUCCESS);
    struct { const char *name; gsl_matrix *theta, *grad; } checks[] = {
      {"dQ", p->Q, p->dQ}, {"dK", p->K, p->dK}, {"dV", p->V, p->dV},
    };
    for (size_t k = 0; k < 3; k++) {
      const size_t n = checks[k].theta->size1 * checks[k].theta->size2;
      gsl_vector_view th = gsl_vector_view_array(checks[k].theta->data, n);
      gsl_vector_view g = gsl_vector_view_array(checks[k].grad->data, n);
      double err = NAN;
      assert_int_equal(nn_gradcheck_compare(&err, cost, p, &th.vector, &g.vector,
                                            NN_GRADCHECK_STEP), GSL_SUCCESS);
      if (!(err < 1e-7))
        fail_msg("%s: %s is off by %g", p->ref->name, checks[k].name, err);
    }
    problem_free(p);
  }
}

/* The syllabus's checks on a longer sequence with large scores (nearly
 * one-hot rows): every row of P sums to 1; with the mask, query i gives
 * exactly 0 to the keys after i, so changing a future value changes
 * nothing in row i of O. */
static void
rows_sum_to_one_and_the_future_is_hidden(void **state)
{
  (void) state;
  enum { N = 7, D = 4 };
  gsl_matrix *Q = gsl_matrix_alloc(N, D), *K = gsl_matrix_alloc(N, D);
  gsl_matrix *V = gsl_matrix_alloc(N, 3), *O = gsl_matrix_alloc(N, 3);
  gsl_matrix *O2 = gsl_matrix_alloc(N, 3), *P = gsl_matrix_alloc(N, N);
  for (size_t i = 0; i < N; i++) {
    for (size_t j = 0; j < D; j++) {
      gsl_matrix_set(Q, i, j, 40.0 * sin(2.385 * (double) (i * D + j) + 0.1));
      gsl_matrix_set(K, i, j, 30.0 * cos(1.3 * (double) (i * D + j)));
    }
    for (size_t j = 0; j < 3; j++)
      gsl_matrix_set(V, i, j, sin((double) (3 * i + j)));
  }
  for (int causal = 0; causal <= 1; causal++) {
    assert_int_equal(nn_attention_forward(O, P, Q, K, V, causal), GSL_SUCCESS);
    for (size_t i = 0; i < N; i++) {
      double sum = 0.0;
      for (size_t j = 0; j < N; j++) {
        const double w = gsl_matrix_get(P, i, j);
        assert_true(w >= 0.0 && w <= 1.0);
        if (causal && j > i)
          assert_true(w == 0.0);  // exactly: the future gets no weight at all
        sum += w;
      }
      assert_close(sum, 1.0, 1e-14);
    }
  }
  // a causal row i does not move when the values after i change
  for (size_t i = 0; i < N; i++) {
    assert_int_equal(nn_attention_forward(O, P, Q, K, V, 1), GSL_SUCCESS);
    gsl_matrix *V2 = gsl_matrix_alloc(N, 3);
    gsl_matrix_memcpy(V2, V);
    for (size_t j = i + 1; j < N; j++)
      for (size_t c = 0; c < 3; c++)
        gsl_matrix_set(V2, j, c, 100.0 + (double) j);
    assert_int_equal(nn_attention_forward(O2, P, Q, K, V2, 1), GSL_SUCCESS);
    for (size_t r = 0; r <= i; r++)
      for (size_t c = 0; c < 3; c++)
        assert_close(gsl_matrix_get(O2, r, c), gsl_matrix_get(O, r, c), 0.0);
    gsl_matrix_free(V2);
  }
  // and the mask does something: row 0 of O differs without it
  assert_int_equal(nn_attention_forward(O, P, Q, K, V, 1), GSL_SUCCESS);
  assert_int_equal(nn_attention_forward(O2, P, Q, K, V, 0), GSL_SUCCESS);
  double moved = 0.0;
  for (size_t c = 0; c < 3; c++)
    moved += fabs(gsl_matrix_get(O2, 0, c) - gsl_matrix_get(O, 0, c));
  assert_true(moved > 1e-3);
  gsl_matrix_free(Q);
  gsl_matrix_free(K);
  gsl_matrix_free(V);
  gsl_matrix_free(O);
  gsl_matrix_free(O2);
  gsl_matrix_free(P);
}

static void
positional_encodings_match_torch(void **state)
{
  (void) state;
  gsl_matrix *PE = gsl_matrix_alloc(TORCH_PE_POS, TORCH_PE_D);
  assert_int_equal(nn_attention_positional(PE), GSL_SUCCESS);
  assert_matrix_like_torch("positional", "PE", PE, torch_pe);
  // position 0: sin 0 = 0, cos 0 = 1; position 1, column 0: sin 1
  for (size_t c = 0; c < TORCH_PE_D; c++)
    assert_close(gsl_matrix_get(PE, 0, c), c % 2 == 0 ? 0.0 : 1.0, 0.0);
  assert_close(gsl_matrix_get(PE, 1, 0), sin(1.0), 1e-15);
  gsl_matrix_free(PE);
}

static void
bad_input_is_named(void **state)
{
  (void) state;
  struct problem *p = problem_alloc(&torch_attention_cases[0]);  // 4 queries, 5 keys
  gsl_matrix *K2 = gsl_matrix_calloc(5, 2), *V4 = gsl_matrix_calloc(4, 2);
  gsl_matrix *P45 = gsl_matrix_calloc(4, 4), *O3 = gsl_matrix_calloc(4, 3);
  assert_gsl_error(nn_attention_forward(p->O, p->P, p->Q, K2, p->V, 0), GSL_EBADLEN,
                   "Q is 4x3 but K is 5x2");
  assert_gsl_error(nn_attention_forward(p->O, p->P, p->Q, p->K, V4, 0), GSL_EBADLEN,
                   "K is 5x3 but V is 4x2");
  assert_gsl_error(nn_attention_forward(p->O, P45, p->Q, p->K, p->V, 0), GSL_EBADLEN,
                   "P is 4x4 but must be 4x5");
  assert_gsl_error(nn_attention_forward(O3, p->P, p->Q, p->K, p->V, 1), GSL_EBADLEN,
                   "O is 4x3 but must be 4x2");
  assert_gsl_error(nn_attention_forward(p->O, NULL, p->Q, p->K, p->V, 0), GSL_EINVAL,
                   "NULL");
  gsl_matrix_set(p->K, 2, 1, NAN);
  assert_gsl_error(nn_attention_forward(p->O, p->P, p->Q, p->K, p->V, 0), GSL_EDOM,
                   "K[2, 1] is nan (K is 5x3)");
  gsl_matrix_set(p->K, 2, 1, 0.5);
  assert_int_equal(nn_attention_forward(p->O, p->P, p->Q, p->K, p->V, 0), GSL_SUCCESS);

  assert_gsl_error(nn_attention_backward(p->dQ, p->dK, p->dV, P45, p->R, p->Q, p->K,
                                         p->V, p->P), GSL_EBADLEN,
                   "work is 4x4 but must be 4x5");
  assert_gsl_error(nn_attention_backward(p->dQ, p->dK, p->dV, p->work, O3, p->Q, p->K,
                                         p->V, p->P), GSL_EBADLEN,
                   "dO is 4x3 but must be 4x2");
  assert_gsl_error(nn_attention_backward(p->dQ, p->dV, NULL, p->work, p->R, p->Q, p->K,
                                         p->V, p->P), GSL_EBADLEN,
                   "dK is 5x2 but must be 5x3");
  gsl_matrix_set(p->R, 3, 1, INFINITY);
  assert_gsl_error(nn_attention_backward(p->dQ, p->dK, p->dV, p->work, p->R, p->Q,
                                         p->K, p->V, p->P), GSL_EDOM,
                   "dO[3, 1] is inf");

  gsl_matrix_view empty = gsl_matrix_submatrix(p->Q, 0, 0, 1, 3);
  empty.matrix.size1 = 0;
  assert_gsl_error(nn_attention_forward(p->O, p->P, &empty.matrix, p->K, p->V, 0),
                   GSL_EBADLEN, "Q is 0x3");
  gsl_matrix_view no_cols = gsl_matrix_submatrix(p->Q, 0, 0, 4, 1);
  no_cols.matrix.size2 = 0;
  assert_gsl_error(nn_attention_positional(&no_cols.matrix), GSL_EBADLEN, "PE is 4x0");

  gsl_matrix_free(K2);
  gsl_matrix_free(V4);
  gsl_matrix_free(P45);
  gsl_matrix_free(O3);
  problem_free(p);
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(forward_and_backward_match_torch),
    cmocka_unit_test(backward_passes_a_gradient_check),
    cmocka_unit_test(rows_sum_to_one_and_the_future_is_hidden),
    cmocka_unit_test(positional_encodings_match_torch),
    cmocka_unit_test(bad_input_is_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/rnn.h: the Elman RNN and the LSTM against torch.nn.RNNCell and
 * LSTMCell on the same numbers (computed once by tests/reference/rnn-torch.py),
 * backpropagation through time against central differences over several
 * steps, the gradient norm against steps back where it is known exactly,
 * and the errors. */
#include "nntest.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>
#include <nn/gradcheck.h>
#include <nn/optim.h>
#include <nn/rnn.h>

#include "reference/rnn-torch.h"

enum { N_IN = TORCH_N_IN, HID = TORCH_HID, N_OUT = TORCH_N_OUT, B = TORCH_B,
       T = TORCH_T };

/* A layer of the reference's sizes, its storage, and the reference's inputs
 * (copies, so that a gradient check may move them). */
struct fixture {
  nn_rnn_kind kind;
  const torch_rnn_case *ref;
  nn_rnn *rnn;
  gsl_vector *params, *grads;
  gsl_matrix *X, *h0, *c0;  // (T·B, N_in), (B, H), (B, H); c0 NULL for Elman
  gsl_matrix *R, *dH;       // dY = R (T·B, N_out); dH (T·B, H): S on the last step
  gsl_matrix *Y;            // (T·B, N_out)
};

static gsl_matrix *
matrix_of(const double *a, size_t rows, size_t cols)
{
  gsl_matrix *M = gsl_matrix_alloc(rows, cols);
  memcpy(M->data, a, rows * cols * sizeof(double));
  return M;
}

static struct fixture *
fixture_alloc(nn_rnn_kind kind)
{
  struct fixture *f = calloc(1, sizeof *f);
  f->kind = kind;
  f->ref = &torch_rnn_cases[kind == NN_RNN_LSTM ? 1 : 0];
  assert_string_equal(f->ref->kind, nn_rnn_name(kind));
  const size_t n = nn_rnn_n_params(kind, N_IN, HID, N_OUT);
  f->params = gsl_vector_alloc(n);
  f->grads = gsl_vector_calloc(n);
  memcpy(f->params->data, f->ref->params, n * sizeof(double));
  f->rnn = nn_rnn_alloc(kind, N_IN, HID, N_OUT, B, T, f->params, f->grads);
  assert_non_null(f->rnn);
  f->X = matrix_of(f->ref->X, T * B, N_IN);
  f->h0 = matrix_of(f->ref->h0, B, HID);
  f->c0 = kind == NN_RNN_LSTM ? matrix_of(f->ref->c0, B, HID) : NULL;
  f->R = matrix_of(f->ref->R, T * B, N_OUT);
  f->dH = gsl_matrix_calloc(T * B, HID);
  memcpy(gsl_matrix_ptr(f->dH, (T - 1) * B, 0), f->ref->S, B * HID * sizeof(double));
  f->Y = gsl_matrix_alloc(T * B, N_OUT);
  return f;
}

static void
fixture_free(struct fixture *f)
{
  nn_rnn_free(f->rnn);
  gsl_vector_free(f->params);
  gsl_vector_free(f->grads);
  gsl_matrix_free(f->X);
  gsl_matrix_free(f->h0);
  if (f->c0 != NULL)
    gsl_matrix_free(f->c0);
  gsl_matrix_free(f->R);
  gsl_matrix_free(f->dH);
  gsl_matrix_free(f->Y);
  free(f);
}

/* The largest of |a_i − want_i| / max(1, |want_i|). */
static double
worst_difference(const double *a, const double *want, size_t n)
{
  double worst = 0.0;
  for (size_t i = 0; i < n; i++) {
    const double d = fabs(a[i] - want[i]) / fmax(1.0, fabs(want[i]));
    if (!(d <= worst))
      worst = d;  // a NaN makes it NaN, and the comparison below fails
  }
  return worst;
}

#define assert_like_torch(what, a, want, n)                                        \
  do {                                                                             \
    const double d_ = worst_difference((a), (want), (n));                          \
    if (!(d_ <= 1e-12))                                                            \
      fail_msg("%s: %s differs from torch's by %g (relative)", f->ref->kind, what, \
               d_);                                                                \
  } while (0)

static void
both_cells_match_torch(void **state)
{
  (void) state;
  for (int k = 0; k < 2; k++) {
    struct fixture *f = fixture_alloc(k ? NN_RNN_LSTM : NN_RNN_ELMAN);
    assert_int_equal(nn_rnn_forward(f->rnn, f->Y, f->X, T, f->h0, f->c0), GSL_SUCCESS);
    assert_like_torch("Y", f->Y->data, f->ref->Y, T * B * N_OUT);
    gsl_matrix_const_view hT = nn_rnn_hidden(f->rnn, T);
    assert_non_null(hT.matrix.data);
    gsl_matrix *h = gsl_matrix_alloc(B, HID);
    gsl_matrix_memcpy(h, &hT.matrix);
    assert_like_torch("h_T", h->data, f->ref->hT, B * HID);

    gsl_matrix *dX = gsl_matrix_alloc(T * B, N_IN), *dh0 = gsl_matrix_alloc(B, HID);
    gsl_matrix *dc0 = f->c0 != NULL ? gsl_matrix_alloc(B, HID) : NULL;
    assert_int_equal(nn_rnn_backward(f->rnn, dX, dh0, dc0, f->R, f->dH), GSL_SUCCESS);
    assert_like_torch("the parameters' gradient", f->grads->data, f->ref->grads,
                      f->grads->size);
    assert_like_torch("dX", dX->data, f->ref->dX, T * B * N_IN);
    assert_like_torch("dh0", dh0->data, f->ref->dh0, B * HID);
    if (dc0 != NULL)
      assert_like_torch("dc0", dc0->data, f->ref->dc0, B * HID);
    gsl_vector *norms = gsl_vector_alloc(T + 1);
    assert_int_equal(nn_rnn_grad_norms(f->rnn, norms), GSL_SUCCESS);
    assert_like_torch("the gradient norms against steps back", norms->data,
                      f->ref->norms, T + 1);
    /* The reference is not a trivial one: something flowed back T steps. */
    assert_true(gsl_vector_get(norms, T) > 1e-3);

    gsl_vector_free(norms);
    gsl_matrix_free(h);
    gsl_matrix_free(dX);
    gsl_matrix_free(dh0);
    if (dc0 != NULL)
      gsl_matrix_free(dc0);
    fixture_free(f);
  }
}

/* ===== Gradient checks through time =====
 *
 * J = Σ R ⊙ Y + Σ dH ⊙ [h_1..h_T], a function of θ = the parameters, X, h0
 * or c0: the layer reads all of them where θ lives, so the gradient check
 * may move any of them.
 */

static double
cost(const gsl_vector *theta, void *params)
{
  (void) theta;
  struct fixture *f = params;
  if (nn_rnn_forward(f->rnn, f->rnn->n_out ? f->Y : NULL, f->X, T, f->h0, f->c0)
      != GSL_SUCCESS)
    return NAN;
  double J = 0.0;
  if (f->rnn->n_out)
    for (size_t i = 0; i < T * B * N_OUT; i++)
      J += f->R->data[i] * f->Y->data[i];
  for (size_t t = 1; t <= T; t++) {
    gsl_matrix_const_view h = nn_rnn_hidden(f->rnn, t);
    for (size_t b = 0; b < B; b++)
      for (size_t j = 0; j < HID; j++)
        J += gsl_matrix_get(f->dH, (t - 1) * B + b, j) * gsl_matrix_get(&h.matrix, b, j);
  }
  return J;
}

/* Every gradient of the layer (PARAMS and GRADS: its storage) against
 * central differences of cost(). */
static void
check_all_gradients(struct fixture *f, gsl_vector *params, gsl_vector *grads,
                    const gsl_matrix *dY)
{
  gsl_matrix *dX = gsl_matrix_alloc(T * B, N_IN), *dh0 = gsl_matrix_alloc(B, HID);
  gsl_matrix *dc0 = f->c0 != NULL ? gsl_matrix_alloc(B, HID) : NULL;
  gsl_vector_set_zero(grads);
  assert_int_equal(nn_rnn_forward(f->rnn, dY ? f->Y : NULL, f->X, T, f->h0, f->c0),
                   GSL_SUCCESS);
  assert_int_equal(nn_rnn_backward(f->rnn, dX, dh0, dc0, dY, f->dH), GSL_SUCCESS);

  struct { const char *name; gsl_matrix *theta, *grad; } checks[] = {
    {"X", f->X, dX}, {"h0", f->h0, dh0}, {"c0", f->c0, dc0},
  };
  double err = NAN;
  assert_int_equal(nn_gradcheck_compare(&err, cost, f, params, grads,
                                        NN_GRADCHECK_STEP), GSL_SUCCESS);
  if (!(err < 1e-7))
    fail_msg("%s: the parameters' gradient is off by %g", f->ref->kind, err);
  for (size_t c = 0; c < 3; c++) {
    if (checks[c].theta == NULL)
      continue;
    const size_t n = checks[c].theta->size1 * checks[c].theta->size2;
    gsl_vector_view th = gsl_vector_view_array(checks[c].theta->data, n);
    gsl_vector_view g = gsl_vector_view_array(checks[c].grad->data, n);
    err = NAN;
    assert_int_equal(nn_gradcheck_compare(&err, cost, f, &th.vector, &g.vector,
                                          NN_GRADCHECK_STEP), GSL_SUCCESS);
    if (!(err < 1e-7))
      fail_msg("%s: d%s is off by %g", f->ref->kind, checks[c].name, err);
  }
  gsl_matrix_free(dX);
  gsl_matrix_free(dh0);
  if (dc0 != NULL)
    gsl_matrix_free(dc0);
}

static void
bptt_passes_a_gradient_check(void **state)
{
  (void) state;
  for (int k = 0; k < 2; k++) {
    struct fixture *f = fixture_alloc(k ? NN_RNN_LSTM : NN_RNN_ELMAN);
    check_all_gradients(f, f->params, f->grads, f->R);  // on every y_t and h_T
    fixture_free(f);
  }
}

/* Without an output layer, a loss on every state through dH only. */
static void
bptt_without_output_layer_passes_a_gradient_check(void **state)
{
  (void) state;
  for (int k = 0; k < 2; k++) {
    struct fixture *f = fixture_alloc(k ? NN_RNN_LSTM : NN_RNN_ELMAN);
    nn_rnn_free(f->rnn);
    const size_t n = nn_rnn_n_params(f->kind, N_IN, HID, 0);
    gsl_vector_view p = gsl_vector_subvector(f->params, 0, n);
    gsl_vector_view g = gsl_vector_subvector(f->grads, 0, n);
    f->rnn = nn_rnn_alloc(f->kind, N_IN, HID, 0, B, T, &p.vector, &g.vector);
    assert_non_null(f->rnn);
    for (size_t i = 0; i < T * B * HID; i++)
      f->dH->data[i] = 0.3 * sin(1.7 * (double) i + 0.2);
    check_all_gradients(f, &p.vector, &g.vector, NULL);
    fixture_free(f);
  }
}

/* ===== Gradient norm against steps back =====
 *
 * With x_t = 0, h_0 = 0, b_h = 0 every state stays 0, where tanh' = 1: the
 * recurrence is linear, dh_(t−1) = W_hhᵀ dh_t, and with W_hh = λ I the
 * gradient k steps back is exactly λ^k times the last one. λ < 1 vanishes,
 * λ > 1 explodes.
 */
static void
grad_norm_vanishes_and_explodes_geometrically(void **state)
{
  (void) state;
  enum { H = 3, STEPS = 12 };
  const size_t n = nn_rnn_n_params(NN_RNN_ELMAN, 2, H, 0);
  gsl_vector *params = gsl_vector_calloc(n), *grads = gsl_vector_calloc(n);
  nn_rnn *rnn = nn_rnn_alloc(NN_RNN_ELMAN, 2, H, 0, 1, STEPS, params, grads);
  assert_non_null(rnn);
  gsl_matrix *X = gsl_matrix_calloc(STEPS, 2), *dH = gsl_matrix_calloc(STEPS, H);
  gsl_matrix_set(dH, STEPS - 1, 0, 0.6);  // a loss on the last state only
  gsl_matrix_set(dH, STEPS - 1, 2, -0.8);
  gsl_vector *norms = gsl_vector_alloc(STEPS + 1);
  const double lambdas[] = {0.5, 1.5};
  for (size_t c = 0; c < 2; c++) {
    gsl_matrix_set_identity(&rnn->W_hh.matrix);
    gsl_matrix_scale(&rnn->W_hh.matrix, lambdas[c]);
    gsl_matrix_set(&rnn->W_xh.matrix, 1, 1, 2.385);  // x = 0: no effect
    assert_int_equal(nn_rnn_forward(rnn, NULL, X, STEPS, NULL, NULL), GSL_SUCCESS);
    assert_int_equal(nn_rnn_backward(rnn, NULL, NULL, NULL, NULL, dH), GSL_SUCCESS);
    assert_int_equal(nn_rnn_grad_norms(rnn, norms), GSL_SUCCESS);
    for (size_t k = 0; k <= STEPS; k++)
      assert_close(gsl_vector_get(norms, k), pow(lambdas[c], (double) k), 1e-12);
  }
  gsl_vector_free(norms);
  gsl_matrix_free(X);
  gsl_matrix_free(dH);
  nn_rnn_free(rnn);
  gsl_vector_free(params);
  gsl_vector_free(grads);
}

/* ===== Storage ===== */

static void
parameters_live_in_the_callers_buffer(void **state)
{
  (void) state;
  // G·H·N_in + G·H·H + G·H + N_out·H + N_out
  assert_int_equal(nn_rnn_n_params(NN_RNN_ELMAN, 3, 4, 2), 12 + 16 + 4 + 8 + 2);
  assert_int_equal(nn_rnn_n_params(NN_RNN_LSTM, 3, 4, 2), 48 + 64 + 16 + 8 + 2);
  assert_int_equal(nn_rnn_n_params(NN_RNN_LSTM, 3, 4, 0), 48 + 64 + 16);
  struct fixture *f = fixture_alloc(NN_RNN_LSTM);
  // W_xh, W_hh, b_h, W_hy, b_y one after the other, rows of 4H gates
  assert_ptr_equal(gsl_matrix_ptr(&f->rnn->W_xh.matrix, 0, 0), f->params->data);
  assert_ptr_equal(gsl_matrix_ptr(&f->rnn->W_hh.matrix, 1, 2),
                   f->params->data + 4 * HID * N_IN + 1 * HID + 2);
  assert_ptr_equal(gsl_vector_ptr(&f->rnn->b_h.vector, 0),
                   f->params->data + 4 * HID * (N_IN + HID));
  assert_ptr_equal(gsl_vector_ptr(&f->rnn->b_y.vector, N_OUT - 1),
                   f->params->data + f->params->size - 1);
  assert_ptr_equal(gsl_matrix_ptr(&f->rnn->dW_hy.matrix, 0, 0),
                   f->grads->data + 4 * HID * (N_IN + HID + 1));

  /* Gradients accumulate: two backward passes give twice one. Clipping then
   * works on the whole buffer (nn/optim.h). */
  assert_int_equal(nn_rnn_forward(f->rnn, f->Y, f->X, T, f->h0, f->c0), GSL_SUCCESS);
  assert_int_equal(nn_rnn_backward(f->rnn, NULL, NULL, NULL, f->R, f->dH), GSL_SUCCESS);
  assert_int_equal(nn_rnn_backward(f->rnn, NULL, NULL, NULL, f->R, f->dH), GSL_SUCCESS);
  for (size_t i = 0; i < f->grads->size; i++)
    assert_close(gsl_vector_get(f->grads, i), 2.0 * f->ref->grads[i], 1e-12);
  double norm = 0;
  assert_int_equal(nn_optim_clip_grad_norm(f->grads, 0.5, &norm), GSL_SUCCESS);
  gsl_vector_const_view ref_grads = gsl_vector_const_view_array(f->ref->grads,
                                                                f->grads->size);
  assert_close(norm, 2.0 * gsl_blas_dnrm2(&ref_grads.vector), 1e-12);
  assert_close(gsl_blas_dnrm2(f->grads), 0.5, 1e-6);

  /* No initial state is a zero one. */
  gsl_matrix *Y2 = gsl_matrix_alloc(T * B, N_OUT);
  gsl_matrix_set_zero(f->h0);
  gsl_matrix_set_zero(f->c0);
  assert_int_equal(nn_rnn_forward(f->rnn, f->Y, f->X, T, f->h0, f->c0), GSL_SUCCESS);
  assert_int_equal(nn_rnn_forward(f->rnn, Y2, f->X, T, NULL, NULL), GSL_SUCCESS);
  for (size_t i = 0; i < T * B * N_OUT; i++)
    assert_close(Y2->data[i], f->Y->data[i], 0.0);
  gsl_matrix_free(Y2);
  fixture_free(f);
}

/* torch's initialization: uniform in [−1/√H, 1/√H], from the caller's
 * generator (the same seed, the same numbers), gradients zeroed. */
static void
init_draws_torch_like_weights_from_the_callers_rng(void **state)
{
  (void) state;
  struct fixture *f = fixture_alloc(NN_RNN_LSTM);
  gsl_vector_set_all(f->grads, 2.385);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 42);
  assert_int_equal(nn_rnn_init(f->rnn, rng), GSL_SUCCESS);
  const double k = 1.0 / sqrt((double) HID);
  double lo = 1, hi = -1;
  for (size_t i = 0; i < f->params->size; i++) {
    lo = fmin(lo, gsl_vector_get(f->params, i));
    hi = fmax(hi, gsl_vector_get(f->params, i));
    assert_close(gsl_vector_get(f->grads, i), 0.0, 0.0);
  }
  assert_true(lo >= -k && hi <= k);
  assert_true(lo < -0.8 * k && hi > 0.8 * k);  // 138 draws spread over the range
  const double first = gsl_vector_get(f->params, 0);
  const double last = gsl_vector_get(f->params, f->params->size - 1);
  gsl_rng_set(rng, 42);
  assert_int_equal(nn_rnn_init(f->rnn, rng), GSL_SUCCESS);
  assert_close(gsl_vector_get(f->params, 0), first, 0.0);
  assert_close(gsl_vector_get(f->params, f->params->size - 1), last, 0.0);

  // the LSTM's cell states are readable like the hidden ones: c_0 is c0
  assert_int_equal(nn_rnn_forward(f->rnn, f->Y, f->X, T, f->h0, f->c0), GSL_SUCCESS);
  gsl_matrix_const_view c = nn_rnn_cell(f->rnn, 0);
  assert_non_null(c.matrix.data);
  for (size_t b = 0; b < B; b++)
    for (size_t j = 0; j < HID; j++)
      assert_close(gsl_matrix_get(&c.matrix, b, j), gsl_matrix_get(f->c0, b, j), 0.0);
  assert_null(nn_rnn_cell(f->rnn, T + 1).matrix.data);
  gsl_rng_free(rng);
  fixture_free(f);
}

/* A shorter sequence of a smaller batch than the layer was sized for gives
 * what a layer of exactly that size gives. */
static void
shorter_sequences_and_smaller_batches_fit(void **state)
{
  (void) state;
  struct fixture *f = fixture_alloc(NN_RNN_LSTM);
  const size_t n = f->params->size;
  gsl_vector *grads = gsl_vector_calloc(n);
  nn_rnn *big = nn_rnn_alloc(NN_RNN_LSTM, N_IN, HID, N_OUT, B + 3, T + 4, f->params,
                             grads);
  assert_non_null(big);
  gsl_matrix_view X = gsl_matrix_submatrix(f->X, 0, 0, 3 * B, N_IN);  // T = 3
  gsl_matrix_view Y = gsl_matrix_submatrix(f->Y, 0, 0, 3 * B, N_OUT);
  gsl_matrix *Ybig = gsl_matrix_alloc(3 * B, N_OUT);
  assert_int_equal(nn_rnn_forward(f->rnn, &Y.matrix, &X.matrix, 3, f->h0, f->c0),
                   GSL_SUCCESS);
  assert_int_equal(nn_rnn_forward(big, Ybig, &X.matrix, 3, f->h0, f->c0), GSL_SUCCESS);
  for (size_t i = 0; i < 3 * B * N_OUT; i++)
    assert_close(gsl_matrix_get(Ybig, i / N_OUT, i % N_OUT),
                 gsl_matrix_get(&Y.matrix, i / N_OUT, i % N_OUT), 0.0);
  gsl_matrix_view dY = gsl_matrix_submatrix(f->R, 0, 0, 3 * B, N_OUT);
  assert_int_equal(nn_rnn_backward(f->rnn, NULL, NULL, NULL, &dY.matrix, NULL),
                   GSL_SUCCESS);
  assert_int_equal(nn_rnn_backward(big, NULL, NULL, NULL, &dY.matrix, NULL),
                   GSL_SUCCESS);
  for (size_t i = 0; i < n; i++)
    assert_close(gsl_vector_get(grads, i), gsl_vector_get(f->grads, i), 0.0);
  assert_true(gsl_blas_dnrm2(grads) > 1e-3);

  /* The same 5 steps in two chunks, 3 then 2, the second starting from the
   * state where the first ended (read from the layer itself). */
  assert_int_equal(nn_rnn_forward(f->rnn, f->Y, f->X, T, f->h0, f->c0), GSL_SUCCESS);
  gsl_matrix *Y2 = gsl_matrix_alloc(2 * B, N_OUT);
  gsl_matrix_view X2 = gsl_matrix_submatrix(f->X, 3 * B, 0, 2 * B, N_IN);
  assert_int_equal(nn_rnn_forward(big, Ybig, &X.matrix, 3, f->h0, f->c0), GSL_SUCCESS);
  gsl_matrix_const_view h3 = nn_rnn_hidden(big, 3), c3 = nn_rnn_cell(big, 3);
  assert_int_equal(nn_rnn_forward(big, Y2, &X2.matrix, 2, &h3.matrix, &c3.matrix),
                   GSL_SUCCESS);
  for (size_t i = 0; i < 2 * B * N_OUT; i++)
    assert_close(Y2->data[i], f->Y->data[3 * B * N_OUT + i], 1e-15);
  gsl_matrix_free(Y2);
  gsl_matrix_free(Ybig);
  nn_rnn_free(big);
  gsl_vector_free(grads);
  fixture_free(f);
}

/* ===== Bad input ===== */

static void
bad_input_is_named(void **state)
{
  (void) state;
  struct fixture *f = fixture_alloc(NN_RNN_ELMAN);
  gsl_vector *short_params = gsl_vector_alloc(f->params->size - 1);
  assert_null(nn_rnn_alloc(NN_RNN_ELMAN, N_IN, HID, N_OUT, B, T, short_params, f->grads));
  assert_non_null(strstr(nn_test_last_error, "41 entries but the layer needs 42"));
  assert_null(nn_rnn_alloc(NN_RNN_ELMAN, N_IN, HID, N_OUT, B, 0, f->params, f->grads));
  assert_non_null(strstr(nn_test_last_error, "max_steps 0"));
  assert_null(nn_rnn_alloc((nn_rnn_kind) 7, N_IN, HID, N_OUT, B, T, f->params, f->grads));
  assert_non_null(strstr(nn_test_last_error, "kind 7"));
  gsl_vector_free(short_params);

  // backward and norms before any forward
  gsl_vector *norms = gsl_vector_alloc(T + 1);
  assert_gsl_error(nn_rnn_backward(f->rnn, NULL, NULL, NULL, f->R, NULL), GSL_EINVAL,
                   "before any forward");
  assert_gsl_error(nn_rnn_grad_norms(f->rnn, norms), GSL_EINVAL, "no backward");

  // T = 0, T too long, rows that are not T·B, wrong widths
  assert_gsl_error(nn_rnn_forward(f->rnn, f->Y, f->X, 0, NULL, NULL), GSL_EBADLEN,
                   "T = 0 steps, but the layer takes 1 to 5 steps");
  gsl_matrix *X6 = gsl_matrix_calloc(6 * B, N_IN);
  assert_gsl_error(nn_rnn_forward(f->rnn, NULL, X6, 6, NULL, NULL), GSL_EBADLEN,
                   "T = 6 steps");
  assert_gsl_error(nn_rnn_forward(f->rnn, NULL, f->X, 3, NULL, NULL), GSL_EBADLEN,
                   "X is 10x3 but must be (T·B)x3 with T = 3 steps");
  gsl_matrix *X4 = gsl_matrix_calloc(T * B, N_IN + 1);
  assert_gsl_error(nn_rnn_forward(f->rnn, NULL, X4, T, NULL, NULL), GSL_EBADLEN,
                   "X is 10x4");
  gsl_matrix *big = gsl_matrix_calloc(T * (B + 1), N_IN);  // B = 3 > max_batch
  assert_gsl_error(nn_rnn_forward(f->rnn, NULL, big, T, NULL, NULL), GSL_EBADLEN,
                   "B = 1 to 2 rows");
  gsl_matrix *h_bad = gsl_matrix_calloc(B, HID + 1);
  assert_gsl_error(nn_rnn_forward(f->rnn, f->Y, f->X, T, h_bad, NULL), GSL_EBADLEN,
                   "h0 is 2x5 but must be 2x4");
  assert_gsl_error(nn_rnn_forward(f->rnn, f->Y, f->X, T, f->h0, f->h0), GSL_EINVAL,
                   "c0 is an LSTM's");
  gsl_matrix *Y_bad = gsl_matrix_calloc(T * B, N_OUT + 1);
  assert_gsl_error(nn_rnn_forward(f->rnn, Y_bad, f->X, T, NULL, NULL), GSL_EBADLEN,
                   "Y is 10x3 but must be 10x2");

  // NaN and infinity: named, with the entry and the shape
  gsl_matrix_set(f->X, 7, 1, NAN);
  assert_gsl_error(nn_rnn_forward(f->rnn, f->Y, f->X, T, NULL, NULL), GSL_EDOM,
                   "X[7, 1] is nan (X is 10x3)");
  gsl_matrix_set(f->X, 7, 1, 0.5);
  gsl_matrix_set(f->h0, 1, 3, -INFINITY);
  assert_gsl_error(nn_rnn_forward(f->rnn, f->Y, f->X, T, f->h0, NULL), GSL_EDOM,
                   "h0[1, 3] is -inf");
  assert_gsl_error(nn_rnn_backward(f->rnn, NULL, NULL, NULL, f->R, NULL), GSL_EINVAL,
                   "before any forward");  // the failed forwards left none

  // backward: shapes of the last forward, NaN, nothing to propagate
  assert_int_equal(nn_rnn_forward(f->rnn, f->Y, f->X, T, NULL, NULL), GSL_SUCCESS);
  assert_gsl_error(nn_rnn_backward(f->rnn, NULL, NULL, NULL, NULL, NULL), GSL_EINVAL,
                   "both NULL");
  assert_gsl_error(nn_rnn_backward(f->rnn, NULL, NULL, NULL, Y_bad, NULL), GSL_EBADLEN,
                   "dY is 10x3 but must be 10x2");
  assert_gsl_error(nn_rnn_backward(f->rnn, X4, NULL, NULL, f->R, NULL), GSL_EBADLEN,
                   "dX is 10x4 but must be 10x3");
  assert_gsl_error(nn_rnn_backward(f->rnn, NULL, h_bad, NULL, f->R, NULL), GSL_EBADLEN,
                   "dh0 is 2x5 but must be 2x4");
  assert_gsl_error(nn_rnn_backward(f->rnn, NULL, NULL, f->h0, f->R, NULL), GSL_EINVAL,
                   "dc0 is an LSTM's");
  gsl_matrix_set(f->R, 3, 0, NAN);
  assert_gsl_error(nn_rnn_backward(f->rnn, NULL, NULL, NULL, f->R, NULL), GSL_EDOM,
                   "dY[3, 0] is nan");
  assert_gsl_error(nn_rnn_grad_norms(f->rnn, norms), GSL_EINVAL, "no backward");
  gsl_matrix_set(f->R, 3, 0, 0.25);
  assert_int_equal(nn_rnn_backward(f->rnn, NULL, NULL, NULL, f->R, NULL), GSL_SUCCESS);
  gsl_vector *norms_short = gsl_vector_alloc(T);
  assert_gsl_error(nn_rnn_grad_norms(f->rnn, norms_short), GSL_EBADLEN,
                   "norms has 5 entries but the last sequence had T = 5 steps, so"
                   " T + 1 = 6");
  assert_null(nn_rnn_hidden(f->rnn, T + 1).matrix.data);
  assert_non_null(strstr(nn_test_last_error, "step 6 asked of a sequence of T = 5"));
  assert_null(nn_rnn_cell(f->rnn, 1).matrix.data);
  assert_non_null(strstr(nn_test_last_error, "only an LSTM"));

  gsl_vector_free(norms);
  gsl_vector_free(norms_short);
  gsl_matrix_free(X6);
  gsl_matrix_free(X4);
  gsl_matrix_free(big);
  gsl_matrix_free(h_bad);
  gsl_matrix_free(Y_bad);
  fixture_free(f);
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(both_cells_match_torch),
    cmocka_unit_test(bptt_passes_a_gradient_check),
    cmocka_unit_test(bptt_without_output_layer_passes_a_gradient_check),
    cmocka_unit_test(grad_norm_vanishes_and_explodes_geometrically),
    cmocka_unit_test(parameters_live_in_the_callers_buffer),
    cmocka_unit_test(init_draws_torch_like_weights_from_the_callers_rng),
    cmocka_unit_test(shorter_sequences_and_smaller_batches_fit),
    cmocka_unit_test(bad_input_is_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

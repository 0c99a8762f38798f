/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rnn.c: the Elman RNN and the LSTM, forward and backward through time
 * (see nn/rnn.h). */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>

#include <nn/activation.h>
#include <nn/rnn.h>

#include "check.h"

static size_t
n_gates(nn_rnn_kind kind)
{
  return kind == NN_RNN_LSTM ? 4 : 1;
}

size_t
nn_rnn_n_params(nn_rnn_kind kind, size_t n_in, size_t n_hidden, size_t n_out)
{
  if (kind != NN_RNN_ELMAN && kind != NN_RNN_LSTM)
    return 0;
  const size_t GH = n_gates(kind) * n_hidden;
  return GH * n_in + GH * n_hidden + GH + n_out * n_hidden + n_out;
}

const char *
nn_rnn_name(nn_rnn_kind kind)
{
  switch (kind) {
  case NN_RNN_ELMAN: return "elman";
  case NN_RNN_LSTM: return "lstm";
  default: return NULL;
  }
}

/* ===== Allocation =====
 *
 * The parameters are views into params, in the order W_xh, W_hh, b_h, W_hy,
 * b_y; the caches are sized for the longest sequence of the largest batch.
 * Everything starts NULL, so that nn_rnn_free() can undo a construction
 * that stopped half-way.
 */

static int
check_storage(const char *name, const gsl_vector *v, size_t n)
{
  char msg[192];
  if (v->size != n) {
    snprintf(msg, sizeof msg, "nn_rnn_alloc: %s has %zu entries but the layer needs %zu",
             name, v->size, n);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (v->stride != 1) {
    snprintf(msg, sizeof msg, "nn_rnn_alloc: %s must have unit stride, not %zu", name,
             v->stride);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  return GSL_SUCCESS;
}

nn_rnn *
nn_rnn_alloc(nn_rnn_kind kind, size_t n_in, size_t n_hidden, size_t n_out,
             size_t max_batch, size_t max_steps, gsl_vector *params, gsl_vector *grads)
{
  char msg[192];
  if (params == NULL || grads == NULL)
    GSL_ERROR_NULL("nn_rnn_alloc: params and grads must not be NULL", GSL_EINVAL);
  if (kind != NN_RNN_ELMAN && kind != NN_RNN_LSTM) {
    snprintf(msg, sizeof msg, "nn_rnn_alloc: kind %d is not a known recurrent cell",
             (int) kind);
    GSL_ERROR_NULL(msg, GSL_EINVAL);
  }
  if (n_in == 0 || n_hidden == 0 || max_batch == 0 || max_steps == 0) {
    snprintf(msg, sizeof msg, "nn_rnn_alloc: sizes must be positive, not n_in %zu,"
             " n_hidden %zu, max_batch %zu, max_steps %zu", n_in, n_hidden, max_batch,
             max_steps);
    GSL_ERROR_NULL(msg, GSL_EINVAL);
  }
  const size_t G = n_gates(kind), big = SIZE_MAX / 16;
  if (n_in > big / n_hidden || n_hidden > big / n_hidden || n_out > big / n_hidden
      || max_steps + 1 > big / max_batch
      || (max_steps + 1) * max_batch > big / (n_in + G * n_hidden))
    GSL_ERROR_NULL("nn_rnn_alloc: the layer is too large", GSL_EINVAL);
  const size_t n = nn_rnn_n_params(kind, n_in, n_hidden, n_out);
  if (check_storage("params", params, n) != GSL_SUCCESS
      || check_storage("grads", grads, n) != GSL_SUCCESS)
    return NULL;

  nn_rnn *rnn = calloc(1, sizeof *rnn);
  if (rnn == NULL)
    GSL_ERROR_NULL("nn_rnn_alloc: out of memory", GSL_ENOMEM);
  rnn->kind = kind;
  rnn->n_in = n_in;
  rnn->n_hidden = n_hidden;
  rnn->n_out = n_out;
  rnn->n_gates = G;
  rnn->max_batch = max_batch;
  rnn->max_steps = max_steps;
  const size_t H = n_hidden, GH = G * H, rows = max_steps * max_batch;
  rnn->X = gsl_matrix_alloc(rows, n_in);
  rnn->Hs = gsl_matrix_alloc(rows + max_batch, H);
  rnn->dA = gsl_matrix_alloc(rows, GH);
  rnn->dHs = gsl_matrix_alloc(rows, H);
  rnn->dh = gsl_matrix_alloc(max_batch, H);
  rnn->h_norms = gsl_vector_calloc(max_steps + 1);
  int lstm_ok = 1;
  if (kind == NN_RNN_LSTM) {
    rnn->Cs = gsl_matrix_alloc(rows + max_batch, H);
    rnn->A = gsl_matrix_alloc(rows, GH);
    rnn->dc = gsl_matrix_alloc(max_batch, H);
    lstm_ok = rnn->Cs != NULL && rnn->A != NULL && rnn->dc != NULL;
  }
  if (rnn->X == NULL || rnn->Hs == NULL || rnn->dA == NULL || rnn->dHs == NULL
      || rnn->dh == NULL || rnn->h_norms == NULL || !lstm_ok) {
    nn_rnn_free(rnn);  // frees whatever was built; the rest is NULL
    GSL_ERROR_NULL("nn_rnn_alloc: out of memory for the caches", GSL_ENOMEM);
  }

  // W_xh, W_hh, b_h, W_hy, b_y one after the other, in params and in grads
  size_t off = 0;
  rnn->W_xh = gsl_matrix_view_array(params->data + off, GH, n_in);
  rnn->dW_xh = gsl_matrix_view_array(grads->data + off, GH, n_in);
  off += GH * n_in;
  rnn->W_hh = gsl_matrix_view_array(params->data + off, GH, H);
  rnn->dW_hh = gsl_matrix_view_array(grads->data + off, GH, H);
  off += GH * H;
  rnn->b_h = gsl_vector_subvector(params, off, GH);
  rnn->db_h = gsl_vector_subvector(grads, off, GH);
  off += GH;
  if (n_out > 0) {
    rnn->W_hy = gsl_matrix_view_array(params->data + off, n_out, H);
    rnn->dW_hy = gsl_matrix_view_array(grads->data + off, n_out, H);
    off += n_out * H;
    rnn->b_y = gsl_vector_subvector(params, off, n_out);
    rnn->db_y = gsl_vector_subvector(grads, off, n_out);
  }
  return rnn;
}

void
nn_rnn_free(nn_rnn *rnn)
{
  if (rnn == NULL)
    return;
  gsl_matrix_free(rnn->X);
  gsl_matrix_free(rnn->Hs);
  gsl_matrix_free(rnn->Cs);
  gsl_matrix_free(rnn->A);
  gsl_matrix_free(rnn->dA);
  gsl_matrix_free(rnn->dHs);
  gsl_matrix_free(rnn->dh);
  gsl_matrix_free(rnn->dc);
  gsl_vector_free(rnn->h_norms);
  free(rnn);
}

/* Every entry uniform in [−k, k] with k = 1/√H, as torch.nn.RNN, LSTM and
 * Linear(H, ·) do: the sums of H terms then start near unit size. */
static void
uniform_fill(double *p, size_t n, double k, gsl_rng *rng)
{
  for (size_t i = 0; i < n; i++)
    p[i] = k * (2.0 * gsl_rng_uniform(rng) - 1.0);
}

int
nn_rnn_init(nn_rnn *rnn, gsl_rng *rng)
{
  if (rnn == NULL || rng == NULL)
    GSL_ERROR("nn_rnn_init: rnn and rng must not be NULL", GSL_EINVAL);
  const double k = 1.0 / sqrt((double) rnn->n_hidden);
  const size_t n = nn_rnn_n_params(rnn->kind, rnn->n_in, rnn->n_hidden, rnn->n_out);
  // the parameters are contiguous from W_xh on (see nn_rnn_alloc)
  uniform_fill(rnn->W_xh.matrix.data, n, k, rng);
  memset(rnn->dW_xh.matrix.data, 0, n * sizeof(double));
  return GSL_SUCCESS;
}

/* ===== Checks ===== */

/* Rows FIRST .. FIRST + N − 1 of M, all columns. */
static gsl_matrix_view
rows_of(gsl_matrix *M, size_t first, size_t n)
{
  return gsl_matrix_submatrix(M, first, 0, n, M->size2);
}

/* Every row of M (rows x n) = v (n entries, unit stride). */
static void
fill_rows(gsl_matrix *M, const gsl_vector *v)
{
  for (size_t r = 0; r < M->size1; r++)
    memcpy(gsl_matrix_ptr(M, r, 0), v->data, M->size2 * sizeof(double));
}

/* Start with M (rows x n) or zeros when M is NULL, into D. */
static void
copy_or_zero(gsl_matrix *D, const gsl_matrix *M)
{
  if (M != NULL)
    gsl_matrix_memcpy(D, M);
  else
    gsl_matrix_set_zero(D);
}

/* ===== Forward =====
 *
 * The input's share of every step's pre-activation, X W_xhᵀ + b_h, does
 * not depend on the state: one matrix product for all T steps. Then, step
 * by step, a_t += h_(t−1) W_hhᵀ and the cell's squashing. For the Elman
 * cell a_t is computed right where h_t is kept (rows of Hs) and squashed in
 * place; the LSTM keeps its four squashed gates in A.
 */

int
nn_rnn_forward(nn_rnn *rnn, gsl_matrix *Y, const gsl_matrix *X, size_t steps,
               const gsl_matrix *h0, const gsl_matrix *c0)
{
  static const char who[] = "nn_rnn_forward";
  if (rnn == NULL || X == NULL)
    GSL_ERROR("nn_rnn_forward: rnn and X must not be NULL", GSL_EINVAL);
  char msg[256];
  const size_t T = steps, H = rnn->n_hidden;
  if (T == 0 || T > rnn->max_steps) {
    snprintf(msg, sizeof msg, "nn_rnn_forward: T = %zu steps, but the layer takes 1 to"
             " %zu steps", T, rnn->max_steps);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (X->size2 != rnn->n_in || X->size1 % T != 0 || X->size1 == 0
      || X->size1 / T > rnn->max_batch) {
    snprintf(msg, sizeof msg, "nn_rnn_forward: X is %zux%zu but must be (T·B)x%zu with"
             " T = %zu steps of B = 1 to %zu rows", X->size1, X->size2, rnn->n_in, T,
             rnn->max_batch);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  const size_t B = X->size1 / T;
  if (c0 != NULL && rnn->kind != NN_RNN_LSTM)
    GSL_ERROR("nn_rnn_forward: c0 is an LSTM's initial cell, but the layer is an"
              " Elman RNN (pass NULL)", GSL_EINVAL);
  if (Y != NULL && rnn->n_out == 0)
    GSL_ERROR("nn_rnn_forward: Y must be NULL: the layer has no output layer"
              " (n_out = 0)", GSL_EINVAL);
  int status;
  if ((status = nn_check_shape(who, "h0", h0, B, H, "B x H")) != GSL_SUCCESS
      || (status = nn_check_shape(who, "c0", c0, B, H, "B x H")) != GSL_SUCCESS
      || (status = nn_check_shape(who, "Y", Y, T * B, rnn->n_out, "T·B x N_out"))
         != GSL_SUCCESS
      || (status = nn_check_finite(who, "X", X)) != GSL_SUCCESS
      || (status = nn_check_finite(who, "h0", h0)) != GSL_SUCCESS
      || (status = nn_check_finite(who, "c0", c0)) != GSL_SUCCESS)
    return status;
  rnn->batch = 0;  // no backward until this forward has succeeded
  rnn->backward_run = 0;

  // keep X: the backward pass needs it for dW_xh = Σ_t da_tᵀ x_t
  gsl_matrix_view Xc = rows_of(rnn->X, 0, T * B);
  gsl_matrix_memcpy(&Xc.matrix, X);
  gsl_matrix_view h_first = rows_of(rnn->Hs, 0, B);
  copy_or_zero(&h_first.matrix, h0);
  if (rnn->kind == NN_RNN_LSTM) {
    gsl_matrix_view c_first = rows_of(rnn->Cs, 0, B);
    copy_or_zero(&c_first.matrix, c0);
  }

  // a_t = x_t W_xhᵀ + b_h for all steps at once: (T·B, G·H)
  gsl_matrix_view Aall = rnn->kind == NN_RNN_LSTM ? rows_of(rnn->A, 0, T * B)
                                                   : rows_of(rnn->Hs, B, T * B);
  fill_rows(&Aall.matrix, &rnn->b_h.vector);
  status = gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, &Xc.matrix, &rnn->W_xh.matrix,
                          1.0, &Aall.matrix);

  for (size_t t = 1; t <= T && status == GSL_SUCCESS; t++) {
    gsl_matrix_view h_prev = rows_of(rnn->Hs, (t - 1) * B, B);
    gsl_matrix_view a = rows_of(&Aall.matrix, (t - 1) * B, B);
    // a_t += h_(t−1) W_hhᵀ: the recurrence, the same W_hh at every step
    status = gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, &h_prev.matrix,
                            &rnn->W_hh.matrix, 1.0, &a.matrix);
    if (status != GSL_SUCCESS)
      break;
    for (size_t b = 0; b < B; b++) {
      double *ab = gsl_matrix_ptr(&a.matrix, b, 0);
      if (rnn->kind == NN_RNN_ELMAN) {  // h_t = tanh(a_t), in place in Hs
        for (size_t j = 0; j < H; j++)
          ab[j] = tanh(ab[j]);
        continue;
      }
      // LSTM: the gates i, f, g, o side by side in a row of A
      double *i = ab, *f = ab + H, *g = ab + 2 * H, *o = ab + 3 * H;
      const double *c_prev = gsl_matrix_const_ptr(rnn->Cs, (t - 1) * B + b, 0);
      double *c = gsl_matrix_ptr(rnn->Cs, t * B + b, 0);
      double *h = gsl_matrix_ptr(rnn->Hs, t * B + b, 0);
      for (size_t j = 0; j < H; j++) {
        i[j] = nn_activation_sigmoid(i[j]);
        f[j] = nn_activation_sigmoid(f[j]);
        g[j] = tanh(g[j]);
        o[j] = nn_activation_sigmoid(o[j]);
        c[j] = f[j] * c_prev[j] + i[j] * g[j];
        h[j] = o[j] * tanh(c[j]);
      }
    }
  }

  // y_t = h_t W_hyᵀ + b_y for all steps at once
  if (status == GSL_SUCCESS && Y != NULL) {
    gsl_matrix_view Hall = rows_of(rnn->Hs, B, T * B);
    fill_rows(Y, &rnn->b_y.vector);
    status = gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, &Hall.matrix,
                            &rnn->W_hy.matrix, 1.0, Y);
  }
  if (status != GSL_SUCCESS)
    return status;
  rnn->batch = B;
  rnn->steps = T;
  return GSL_SUCCESS;
}

/* Rows t·B .. t·B + B − 1 of S: the state at step t. As GSL's own view
 * functions, a view of NULL data (and an error) when there is none; and as
 * they do, the unqualified _gsl_matrix_const_view is returned (a const
 * return type would be ignored). */
static _gsl_matrix_const_view
state_at(const nn_rnn *rnn, const gsl_matrix *S, size_t t, const char *who)
{
  const _gsl_matrix_const_view none = {{0, 0, 0, NULL, NULL, 0}};
  char msg[160];
  if (rnn == NULL) {
    snprintf(msg, sizeof msg, "%s: rnn must not be NULL", who);
    GSL_ERROR_VAL(msg, GSL_EINVAL, none);
  }
  if (rnn->batch == 0) {
    snprintf(msg, sizeof msg, "%s: no forward pass has run yet", who);
    GSL_ERROR_VAL(msg, GSL_EINVAL, none);
  }
  if (t > rnn->steps) {
    snprintf(msg, sizeof msg, "%s: step %zu asked of a sequence of T = %zu steps"
             " (0..%zu)", who, t, rnn->steps, rnn->steps);
    GSL_ERROR_VAL(msg, GSL_EBADLEN, none);
  }
  return gsl_matrix_const_submatrix(S, t * rnn->batch, 0, rnn->batch, S->size2);
}

_gsl_matrix_const_view
nn_rnn_hidden(const nn_rnn *rnn, size_t t)
{
  return state_at(rnn, rnn != NULL ? rnn->Hs : NULL, t, "nn_rnn_hidden");
}

_gsl_matrix_const_view
nn_rnn_cell(const nn_rnn *rnn, size_t t)
{
  if (rnn != NULL && rnn->kind != NN_RNN_LSTM) {
    const _gsl_matrix_const_view none = {{0, 0, 0, NULL, NULL, 0}};
    GSL_ERROR_VAL("nn_rnn_cell: only an LSTM has a cell state", GSL_EINVAL, none);
  }
  return state_at(rnn, rnn != NULL ? rnn->Cs : NULL, t, "nn_rnn_cell");
}

/* ===== Backward through time =====
 *
 * First what does not go through the recurrence: the output layer's
 * gradients and its share of ∂J/∂h_t (one product for all steps), plus dH.
 * Then t = T..1, the recurrence in reverse: dh collects what step t + 1
 * sent back and what reaches h_t from outside, becomes da_t through the
 * cell's derivative, and goes on to h_(t−1) through W_hh. Last, the sums
 * over the steps, again one product each: dW_xh += dAᵀ X, dW_hh += dAᵀ
 * [h_0..h_(T−1)], db_h += column sums of dA, dX = dA W_xh.
 */

/* ‖M‖ over every entry (the Frobenius norm). */
static double
frobenius(const gsl_matrix *M)
{
  double s = 0.0;
  for (size_t r = 0; r < M->size1; r++) {
    const double *row = gsl_matrix_const_ptr(M, r, 0);
    for (size_t c = 0; c < M->size2; c++)
      s += row[c] * row[c];
  }
  return sqrt(s);
}

/* One LSTM step back: from dh = ∂J/∂h_t and dc = ∂J/∂c_t (from step t+1),
 * da_t into DA and dc ← ∂J/∂c_(t−1). Rows b of the B samples. */
static void
lstm_step_back(nn_rnn *rnn, gsl_matrix *DA, size_t t, size_t B)
{
  const size_t H = rnn->n_hidden;
  for (size_t b = 0; b < B; b++) {
    const double *gate = gsl_matrix_const_ptr(rnn->A, (t - 1) * B + b, 0);
    const double *i = gate, *f = gate + H, *g = gate + 2 * H, *o = gate + 3 * H;
    const double *c = gsl_matrix_const_ptr(rnn->Cs, t * B + b, 0);
    const double *c_prev = gsl_matrix_const_ptr(rnn->Cs, (t - 1) * B + b, 0);
    const double *dh = gsl_matrix_const_ptr(rnn->dh, b, 0);
    double *dc = gsl_matrix_ptr(rnn->dc, b, 0);
    double *da = gsl_matrix_ptr(DA, b, 0);
    double *da_i = da, *da_f = da + H, *da_g = da + 2 * H, *da_o = da + 3 * H;
    for (size_t j = 0; j < H; j++) {
      const double tc = tanh(c[j]);
      // h = o tanh c: to o, and to c (added to what c_(t+1) sent back)
      da_o[j] = dh[j] * tc * o[j] * (1.0 - o[j]);
      const double dcj = dc[j] + dh[j] * o[j] * (1.0 - tc * tc);
      // c = f c_prev + i g
      da_i[j] = dcj * g[j] * i[j] * (1.0 - i[j]);
      da_f[j] = dcj * c_prev[j] * f[j] * (1.0 - f[j]);
      da_g[j] = dcj * i[j] * (1.0 - g[j] * g[j]);
      dc[j] = dcj * f[j];  // to c_(t−1)
    }
  }
}

int
nn_rnn_backward(nn_rnn *rnn, gsl_matrix *dX, gsl_matrix *dh0, gsl_matrix *dc0,
                const gsl_matrix *dY, const gsl_matrix *dH)
{
  static const char who[] = "nn_rnn_backward";
  if (rnn == NULL)
    GSL_ERROR("nn_rnn_backward: rnn must not be NULL", GSL_EINVAL);
  if (rnn->batch == 0)
    GSL_ERROR("nn_rnn_backward: called before any forward pass (no states to use)",
              GSL_EINVAL);
  if (dY == NULL && dH == NULL)
    GSL_ERROR("nn_rnn_backward: dY and dH are both NULL: there is no gradient to"
              " propagate", GSL_EINVAL);
  if (dY != NULL && rnn->n_out == 0)
    GSL_ERROR("nn_rnn_backward: dY must be NULL: the layer has no output layer"
              " (n_out = 0)", GSL_EINVAL);
  if (dc0 != NULL && rnn->kind != NN_RNN_LSTM)
    GSL_ERROR("nn_rnn_backward: dc0 is an LSTM's, but the layer is an Elman RNN"
              " (pass NULL)", GSL_EINVAL);
  const size_t T = rnn->steps, B = rnn->batch, H = rnn->n_hidden;
  int status;
  if ((status = nn_check_shape(who, "dY", dY, T * B, rnn->n_out,
                            "T·B x N_out of the last forward")) != GSL_SUCCESS
      || (status = nn_check_shape(who, "dH", dH, T * B, H, "T·B x H of the last forward"))
         != GSL_SUCCESS
      || (status = nn_check_shape(who, "dX", dX, T * B, rnn->n_in,
                               "T·B x N_in of the last forward")) != GSL_SUCCESS
      || (status = nn_check_shape(who, "dh0", dh0, B, H, "B x H")) != GSL_SUCCESS
      || (status = nn_check_shape(who, "dc0", dc0, B, H, "B x H")) != GSL_SUCCESS
      || (status = nn_check_finite(who, "dY", dY)) != GSL_SUCCESS
      || (status = nn_check_finite(who, "dH", dH)) != GSL_SUCCESS)
    return status;

  gsl_matrix_view Hall = rows_of(rnn->Hs, B, T * B);       // h_1..h_T
  gsl_matrix_view Hprev = rows_of(rnn->Hs, 0, T * B);      // h_0..h_(T−1)
  gsl_matrix_view dHall = rows_of(rnn->dHs, 0, T * B);
  gsl_matrix_view DA = rows_of(rnn->dA, 0, T * B);
  gsl_matrix_view Xc = rows_of(rnn->X, 0, T * B);
  gsl_matrix_view dh = rows_of(rnn->dh, 0, B);

  // ∂J/∂h_t from outside the recurrence: dH_t + dy_t W_hy
  copy_or_zero(&dHall.matrix, dH);
  if (dY != NULL) {
    status = gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, dY, &rnn->W_hy.matrix,
                            1.0, &dHall.matrix);
    if (status == GSL_SUCCESS)  // dW_hy += dYᵀ [h_1..h_T]
      status = gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, dY, &Hall.matrix, 1.0,
                              &rnn->dW_hy.matrix);
    if (status != GSL_SUCCESS)
      return status;
    for (size_t r = 0; r < T * B; r++) {  // db_y += each row of dY
      gsl_vector_const_view dy = gsl_matrix_const_row(dY, r);
      gsl_blas_daxpy(1.0, &dy.vector, &rnn->db_y.vector);
    }
  }

  gsl_matrix_set_zero(&dh.matrix);
  if (rnn->kind == NN_RNN_LSTM) {
    gsl_matrix_view dc = rows_of(rnn->dc, 0, B);
    gsl_matrix_set_zero(&dc.matrix);
  }
  for (size_t t = T; t >= 1; t--) {
    // dh = ∂J/∂h_t: what step t + 1 sent back, plus what reaches h_t from outside
    gsl_matrix_view dh_out = rows_of(&dHall.matrix, (t - 1) * B, B);
    gsl_matrix_add(&dh.matrix, &dh_out.matrix);
    gsl_vector_set(rnn->h_norms, t, frobenius(&dh.matrix));
    gsl_matrix_view da = rows_of(&DA.matrix, (t - 1) * B, B);
    if (rnn->kind == NN_RNN_ELMAN) {  // da = dh ⊙ (1 − h_t²)
      for (size_t b = 0; b < B; b++) {
        const double *h = gsl_matrix_const_ptr(rnn->Hs, t * B + b, 0);
        const double *dhb = gsl_matrix_const_ptr(&dh.matrix, b, 0);
        double *dab = gsl_matrix_ptr(&da.matrix, b, 0);
        for (size_t j = 0; j < H; j++)
          dab[j] = dhb[j] * (1.0 - h[j] * h[j]);
      }
    } else {
      lstm_step_back(rnn, &da.matrix, t, B);
    }
    // to h_(t−1): dh = da W_hh (overwritten)
    status = gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &da.matrix,
                            &rnn->W_hh.matrix, 0.0, &dh.matrix);
    if (status != GSL_SUCCESS)
      return status;
  }
  gsl_vector_set(rnn->h_norms, 0, frobenius(&dh.matrix));
  if (dh0 != NULL)
    gsl_matrix_memcpy(dh0, &dh.matrix);
  if (dc0 != NULL) {
    gsl_matrix_view dc = rows_of(rnn->dc, 0, B);
    gsl_matrix_memcpy(dc0, &dc.matrix);
  }
  rnn->backward_run = 1;

  // the sums over the steps, one product each
  status = gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &DA.matrix, &Xc.matrix, 1.0,
                          &rnn->dW_xh.matrix);
  if (status == GSL_SUCCESS)
    status = gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &DA.matrix, &Hprev.matrix,
                            1.0, &rnn->dW_hh.matrix);
  if (status == GSL_SUCCESS && dX != NULL)
    status = gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &DA.matrix,
                            &rnn->W_xh.matrix, 0.0, dX);
  if (status != GSL_SUCCESS)
    return status;
  for (size_t r = 0; r < T * B; r++) {  // db_h += each row of dA
    gsl_vector_view da = gsl_matrix_row(&DA.matrix, r);
    gsl_blas_daxpy(1.0, &da.vector, &rnn->db_h.vector);
  }
  return GSL_SUCCESS;
}

int
nn_rnn_grad_norms(const nn_rnn *rnn, gsl_vector *norms)
{
  if (rnn == NULL || norms == NULL)
    GSL_ERROR("nn_rnn_grad_norms: rnn and norms must not be NULL", GSL_EINVAL);
  if (rnn->batch == 0 || !rnn->backward_run)
    GSL_ERROR("nn_rnn_grad_norms: no backward pass has run since the last forward",
              GSL_EINVAL);
  const size_t T = rnn->steps;
  if (norms->size != T + 1) {
    char msg[160];
    snprintf(msg, sizeof msg, "nn_rnn_grad_norms: norms has %zu entries but the last"
             " sequence had T = %zu steps, so T + 1 = %zu norms", norms->size, T, T + 1);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  for (size_t k = 0; k <= T; k++)  // k steps back from the end: h_(T−k)
    gsl_vector_set(norms, k, gsl_vector_get(rnn->h_norms, T - k));
  return GSL_SUCCESS;
}

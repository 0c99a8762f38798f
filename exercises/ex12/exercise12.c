/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise12.c: your solutions to Exercise 12 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise12
 *
 * which compiles this file and runs the public tests on it.
 */
#include "exercise12.h"

int
ex12_rnn_step(gsl_vector *h, const gsl_vector *x, const gsl_vector *h_prev,
              const gsl_matrix *W_xh, const gsl_matrix *W_hh, const gsl_vector *b)
{
  (void) h;
  (void) x;
  (void) h_prev;
  (void) W_xh;
  (void) W_hh;
  (void) b;
  /* TODO: check the sizes; then h_i = tanh(Σ_j W_xh[i][j] x_j
   * + Σ_k W_hh[i][k] h_prev_k + b_i). */
  return GSL_EUNIMPL;
}

int
ex12_rnn_forward(gsl_matrix *Hs, const gsl_matrix *X, const gsl_vector *h0,
                 const gsl_matrix *W_xh, const gsl_matrix *W_hh, const gsl_vector *b)
{
  (void) Hs;
  (void) X;
  (void) h0;
  (void) W_xh;
  (void) W_hh;
  (void) b;
  /* TODO: check the sizes; then for t = 1..T, row t - 1 of Hs is the step
   * from row t - 1 of X and the state before (h0 for t = 1, else row t - 2
   * of Hs). */
  return GSL_EUNIMPL;
}

int
ex12_rnn_bptt(gsl_matrix *dW_xh, gsl_matrix *dW_hh, gsl_vector *db, gsl_vector *dh0,
              const gsl_matrix *dHs, const gsl_matrix *X, const gsl_matrix *Hs,
              const gsl_vector *h0, const gsl_matrix *W_hh)
{
  (void) dW_xh;
  (void) dW_hh;
  (void) db;
  (void) dh0;
  (void) dHs;
  (void) X;
  (void) Hs;
  (void) h0;
  (void) W_hh;
  /* TODO: check the sizes; zero the gradients; then walk t = T..1 carrying
   * dh (see exercise12.h), and write the dh that reaches t = 0 into dh0. */
  return GSL_EUNIMPL;
}

int
ex12_clip_grad_norm(gsl_matrix *dW_xh, gsl_matrix *dW_hh, gsl_vector *db,
                    double max_norm, double *norm)
{
  (void) dW_xh;
  (void) dW_hh;
  (void) db;
  (void) max_norm;
  (void) norm;
  /* TODO: check max_norm and the sizes; then the joint norm n of the three,
   * and when c = max_norm / (n + 1e-6) is below 1, multiply all three by c. */
  return GSL_EUNIMPL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/dropout.h: inverted dropout, a layer that is only there in training.
 *
 * Names used throughout: B = batch size, N = units per sample, p = the
 * probability of dropping a unit.
 *
 * In training each unit of each sample is kept with probability 1 − p and
 * scaled by 1/(1 − p), or dropped (set to 0); at evaluation the layer is the
 * identity. The scale keeps the expected value of every unit the same in
 * both modes, so nothing needs rescaling after training ("inverted"
 * dropout, as in torch.nn.Dropout):
 *
 *   training:    M_bj = 1/(1 − p) with probability 1 − p, else 0
 *                Y = X ⊙ M              dX = dY ⊙ M
 *   evaluation:  Y = X                  dX = dY
 *
 * A network that drops random units cannot lean on any one of them: dropout
 * is a regularizer (lecture 10). The mask M is drawn from the caller's
 * gsl_rng at each training forward and kept for the backward pass.
 *
 * Legal call order:
 *
 *   d = nn_dropout_alloc(N, max_batch, p);
 *   nn_dropout_train(d, 1);                 training mode (the default)
 *   nn_dropout_forward(d, rng, Y, X);       any B <= max_batch; Y may be X
 *   nn_dropout_backward(d, dX, dY);         same B; dX may be dY
 *   nn_dropout_train(d, 0);                 evaluation: the identity
 *   nn_dropout_free(d);
 *
 * Errors: GSL_EDOM for p outside [0, 1) or not finite; GSL_EBADLEN for
 * shapes that do not fit (both shapes in the message); GSL_EINVAL for NULL,
 * zero sizes, or a backward with no forward; GSL_ENOMEM.
 */
#ifndef NN_DROPOUT_H
#define NN_DROPOUT_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>

typedef struct nn_dropout {
  size_t n;          /* N: units per sample */
  size_t max_batch;  /* the most rows a batch may have */
  double p;          /* the probability of dropping a unit, in [0, 1) */
  int training;      /* 1: drop and scale; 0: the identity */
  gsl_matrix *mask;  /* (max_batch, N), owned: M of the last training forward */
  size_t batch;      /* B of the last forward; 0 before the first */
} nn_dropout;

nn_dropout *nn_dropout_alloc(size_t n, size_t max_batch, double p);

/* Accepts NULL. */
void nn_dropout_free(nn_dropout *d);

/* Training (1) or evaluation (0) mode. */
void nn_dropout_train(nn_dropout *d, int training);

/* Y = X ⊙ M with a new mask M (training) or Y = X (evaluation); X and Y are
 * (B, N) and may be the same matrix. r is only used in training. */
int nn_dropout_forward(nn_dropout *d, gsl_rng *r, gsl_matrix *Y, const gsl_matrix *X);

/* dX = dY ⊙ M of the last forward (training) or dY (evaluation); (B, N), B
 * of the last forward; dX may be dY. */
int nn_dropout_backward(nn_dropout *d, gsl_matrix *dX, const gsl_matrix *dY);

#endif /* NN_DROPOUT_H */
